/**
 * Parse worker (a `worker_threads` thread started by `ParsePool`): parses one source with
 * tree-sitter, extracts symbols and imports, runs the per-file fact collectors on the same tree,
 * and posts the result back. CPU-heavy work stays here so the main event loop stays free.
 */
import { parentPort } from 'node:worker_threads';
import { collectFileFacts } from '../analysis/facts.ts';
import { extractFromTree } from './extract.ts';
import { parseSource } from './parser.ts';
import type { FileRecord, LanguageId } from './types.ts';

/** One file to parse. */
export interface ParseRequest {
  id: number;
  /** Repo-relative path, for error messages. */
  path: string;
  language: LanguageId;
  source: string;
}

/** What the worker computes: a FileRecord without path, language and the stat/hash fields. */
export type ParsedFile = Pick<FileRecord, 'lines' | 'nloc' | 'imports' | 'symbols' | 'hasSyntaxErrors' | 'facts'> & {
  /** Fact collectors that threw on this file (`name: message`). */
  factErrors: string[];
};

export type ParseResponse = { id: number; ok: true; file: ParsedFile } | { id: number; ok: false; error: string };

/** Parse and extract one file. Errors come back as `{ ok: false }`; the caller counts them. */
export async function parseFile(req: ParseRequest): Promise<ParseResponse> {
  try {
    const tree = await parseSource(req.language, req.source);
    try {
      const ex = extractFromTree(tree, req.language, req.source);
      const { facts, errors } = collectFileFacts(tree.rootNode, req.language, req.source);
      return {
        id: req.id,
        ok: true,
        file: {
          lines: ex.lines,
          nloc: ex.nloc,
          imports: ex.imports,
          symbols: ex.symbols,
          hasSyntaxErrors: ex.hasSyntaxErrors,
          facts,
          factErrors: errors,
        },
      };
    } finally {
      tree.delete();
    }
  } catch (err) {
    return { id: req.id, ok: false, error: `${req.path}: ${(err as Error)?.message ?? String(err)}` };
  }
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (req: ParseRequest) => {
    void parseFile(req).then((res) => port.postMessage(res));
  });
  // Tells the pool the imports loaded: a worker dying before this is a broken install, not a bad file.
  port.postMessage({ ready: true });
}
