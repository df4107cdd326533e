/**
 * The `blocking` fact collector: runs inside the index workers on each file's syntax tree and
 * stores `BlockingFileFacts` in `FileRecord.facts.blocking` (see `types.ts`). Go is not covered
 * (no event loop to block), so Go files get no facts.
 */
import type { Node } from 'web-tree-sitter';
import type { FactCollector } from '../facts.ts';
import type { LanguageId } from '../../index/types.ts';
import { collectPython } from './collect-python.ts';
import { collectJs } from './collect-js.ts';
import { collectRust } from './collect-rust.ts';
import { BLOCKING_FACTS_VERSION, type BlockingFileFacts } from './types.ts';

/**
 * Blocking facts of one parsed file, or null for a language the analysis does not cover.
 * Pure; throws only on a bug (the indexer then skips the facts of that file and counts it).
 */
export function collectBlockingFacts(root: Node, language: LanguageId): BlockingFileFacts | null {
  switch (language) {
    case 'python':
      return collectPython(root);
    case 'typescript':
    case 'tsx':
    case 'javascript':
      return collectJs(root);
    case 'rust':
      return collectRust(root);
    default:
      return null;
  }
}

export const blockingCollector: FactCollector = {
  name: 'blocking',
  version: BLOCKING_FACTS_VERSION,
  collect: (root, language) => collectBlockingFacts(root, language),
};
