/**
 * The `blocking` fact collector: runs inside the index workers on each file's syntax tree and
 * stores `BlockingFileFacts` in `FileRecord.facts.blocking` (see `types.ts`). Each language
 * brings its collector in its descriptor (`src/languages/<lang>/blocking.ts`); Go has none (no
 * event loop to block), so Go files get no facts.
 */
import type { Node } from 'web-tree-sitter';
import type { FactCollector } from '../facts.ts';
import type { LanguageDescriptor } from '../../languages/types.ts';
import { languageById } from '../../languages/registry.ts';
import type { RuleFamily } from './rules.ts';
import { BLOCKING_FACTS_VERSION, type BlockingFileFacts } from './types.ts';

/** Rule family of an index language (its descriptor's), or null when the analysis does not cover it (Go). */
export function familyOf(language: string): RuleFamily | null {
  return languageById(language)?.facts.blocking?.family ?? null;
}

/**
 * Blocking facts of one parsed file (`language` a descriptor or a language id), or null for a
 * language the analysis does not cover.
 * Pure; throws only on a bug (the indexer then skips the facts of that file and counts it).
 */
export function collectBlockingFacts(root: Node, language: LanguageDescriptor | string): BlockingFileFacts | null {
  const descriptor = typeof language === 'string' ? languageById(language) : language;
  return descriptor?.facts.blocking?.collect(root) ?? null;
}

export const blockingCollector: FactCollector = {
  name: 'blocking',
  version: BLOCKING_FACTS_VERSION,
  collect: (root, language) => collectBlockingFacts(root, language),
};
