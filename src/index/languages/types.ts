/**
 * The interface every language module implements (`src/index/languages/<lang>.ts`). Adding a
 * language is adding one file that exports a `LanguageModule` and listing it in `registry.ts`.
 */
import type { Node } from 'web-tree-sitter';
import type { CodeSymbol, ImportRef, LanguageId } from '../types.ts';

export interface Extraction {
  symbols: CodeSymbol[];
  imports: ImportRef[];
}

export interface LanguageModule {
  id: LanguageId;
  /** File extensions with the dot, lower case: `.py`, `.ts`. */
  extensions: string[];
  /** Path of the `.wasm` grammar, relative to `node_modules`. */
  grammar: string;
  /**
   * Lexer for nloc and token counting (`src/index/metrics.ts`): a global regex whose first
   * group matches comments. Optional; the C-family lexer is used when absent.
   */
  lexer?: RegExp;
  /** Symbols (with metrics and calls) and imports of one parsed file. Pure. */
  extract(root: Node, source: string): Extraction;
}
