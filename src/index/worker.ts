/**
 * Parse worker (a `worker_threads` thread started by `ParsePool`): parses one source with
 * tree-sitter, extracts symbols and imports, runs the per-file fact collectors on the same tree,
 * serialises the result compactly and, when given a cache file, writes the cache row itself.
 * CPU-heavy work (parse, extract, JSON, SQLite insert) stays here so the main event loop stays free.
 */
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { collectFileFacts } from '../analysis/facts.ts';
import { extractFromTree } from './extract.ts';
import { parseSource } from './parser.ts';
import { CacheWriter, compactJson, type CacheTarget, type CompactExtraction } from './store.ts';
import type { LanguageId } from './types.ts';

/** One file to parse. */
export interface ParseRequest {
  id: number;
  /** Repo-relative path, for error messages and the cache row. */
  path: string;
  language: LanguageId;
  source: string;
  /** Write the cache row here (file-backed caches only), with the file's stat and hash. */
  cache?: CacheTarget & { size: number; mtimeMs: number; hash: string };
  /**
   * Only extract (no facts, no cache row): `data.json` is the plain `FileExtraction` JSON, every
   * symbol's source inline and nothing redacted, `data.facts` is `{}`. The grounding check's
   * parse of a page's source, kept off the main thread (`CodeIndex.extract`).
   */
  extractOnly?: boolean;
}

/** The parse result: `compactJson` of the extraction (symbol sources as spans of `source`). */
export type ParseResponse =
  | {
      id: number;
      ok: true;
      /** `compactJson` output: symbols and figures, and the facts apart. */
      data: CompactExtraction;
      /** Fact collectors that threw on this file (`name: message`). */
      factErrors: string[];
      /** Fact collectors whose facts cover the file only in part (`name: partial: why (from line N)`). */
      factPartial?: string[];
      /** The cache row could not be written (the result is still good). */
      cacheError?: string;
      /** This thread's V8 heap plus external memory (the tree-sitter runtime) after the file, in MB. */
      memoryMb?: number;
    }
  | { id: number; ok: false; error: string };

const writer = new CacheWriter();

/** Parse, extract and serialise one file. Errors come back as `{ ok: false }`; the caller counts them. */
export async function parseFile(req: ParseRequest): Promise<ParseResponse> {
  let data: CompactExtraction;
  let factErrors: string[];
  let factPartial: string[];
  try {
    const tree = await parseSource(req.language, req.source);
    try {
      const ex = extractFromTree(tree, req.language, req.source);
      if (req.extractOnly) {
        const mem = process.memoryUsage();
        return { id: req.id, ok: true, data: { json: JSON.stringify(ex), facts: '{}' }, factErrors: [], memoryMb: Math.round((mem.heapTotal + mem.external) / 1048576) };
      }
      const { facts, errors, partial } = collectFileFacts(tree.rootNode, req.language, req.source);
      factErrors = errors;
      factPartial = partial;
      data = compactJson(
        { lines: ex.lines, nloc: ex.nloc, imports: ex.imports, symbols: ex.symbols, hasSyntaxErrors: ex.hasSyntaxErrors, facts },
        req.source,
      );
    } finally {
      tree.delete();
    }
  } catch (err) {
    return { id: req.id, ok: false, error: `${req.path}: ${(err as Error)?.message ?? String(err)}` };
  }
  let cacheError: string | undefined;
  if (req.cache) {
    const { size, mtimeMs, hash, ...target } = req.cache;
    try {
      writer.write(target, { path: req.path, language: req.language, size, mtimeMs, hash, status: 'ok', json: data.json, facts: data.facts });
    } catch (err) {
      cacheError = `${req.path}: cache write failed: ${(err as Error).message}`;
    }
  }
  const mem = process.memoryUsage();
  const memoryMb = Math.round((mem.heapTotal + mem.external) / 1048576);
  return { id: req.id, ok: true, data, factErrors, ...(factPartial.length ? { factPartial } : {}), cacheError, memoryMb };
}

if (parentPort) {
  const port = parentPort;
  const nice = Number(workerData?.nice ?? 0);
  if (nice > 0) {
    try {
      // On Linux the nice value is per thread: only this parse thread yields to the main event loop.
      setPriority(Math.min(19, getPriority() + nice));
    } catch {
      // Not permitted or not supported here: parsing still works at normal priority.
    }
  }
  port.on('message', (req: ParseRequest) => {
    void parseFile(req).then((res) => port.postMessage(res));
  });
  // Tells the pool the imports loaded: a worker dying before this is a broken install, not a bad file.
  port.postMessage({ ready: true });
}
