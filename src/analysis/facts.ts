/**
 * Per-file fact collectors that run on the syntax tree the indexer already has, so analyses
 * (blocking calls in async code, design-pattern indicators) never parse a file twice. The
 * index stores each collector's output in `FileRecord.facts[name]` and caches it with the file.
 */
import type { Node } from 'web-tree-sitter';
import type { LanguageId } from '../index/types.ts';
import type { LanguageDescriptor } from '../languages/types.ts';
import { languageById } from '../languages/registry.ts';
import { blockingCollector } from './blocking/collector.ts';
import { securityCollector } from './security/collect.ts';
import { structureCollector } from './structure.ts';
import { performanceCollector } from './performance.ts';

export interface FactCollector {
  /** Key in `FileRecord.facts`. */
  name: string;
  /**
   * Version of the facts' shape and meaning; a cache should treat facts of another version as
   * absent (the index cache key can include `name@version`).
   */
  version?: number;
  /** JSON-serialisable facts about one file; must be pure and fast. */
  collect(root: Node, language: LanguageDescriptor, source: string): unknown;
}

/** Registered collectors; analyses append theirs here. */
export const FACT_COLLECTORS: FactCollector[] = [blockingCollector, securityCollector, structureCollector, performanceCollector];

/**
 * Run every collector on a parsed file. A collector that throws is skipped for this file
 * (its key is absent) and the error message is returned so the indexer can count it. Facts
 * that say they are partial (`{ partial: { reason, line } }`, e.g. a syntax tree nested too deep
 * to walk) are kept, and a `name: partial: …` line is returned in `partial` for the log.
 */
export function collectFileFacts(
  root: Node,
  language: LanguageId,
  source: string,
): { facts: Record<string, unknown>; errors: string[]; partial: string[] } {
  const facts: Record<string, unknown> = {};
  const errors: string[] = [];
  const partial: string[] = [];
  const descriptor = languageById(language);
  if (!descriptor) return { facts, errors: [`no language "${language}" is registered`], partial };
  for (const c of FACT_COLLECTORS) {
    try {
      const f = c.collect(root, descriptor, source);
      facts[c.name] = f;
      const p = (f as { partial?: { reason?: unknown; line?: unknown } } | null)?.partial;
      if (p && typeof p.reason === 'string') partial.push(`${c.name}: partial: ${p.reason} (from line ${String(p.line)})`);
    } catch (err) {
      errors.push(`${c.name}: ${(err as Error).message}`);
    }
  }
  return { facts, errors, partial };
}
