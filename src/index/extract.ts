/**
 * Extraction entry points: which language a path is, and the symbols, imports and file
 * figures of one source. Pure and synchronous on a parsed tree, so the indexer can run it in
 * worker threads; `extractSource` is the parse-extract-free convenience.
 */
import type { Tree } from 'web-tree-sitter';
import type { LanguageId } from './types.ts';
import type { Extraction } from '../languages/types.ts';
import { languageByExtension, languageById } from '../languages/registry.ts';
import { profileOf } from './metrics.ts';
import { parseSource } from './parser.ts';

/** What one file yields: symbols and imports plus file-level figures. */
export type FileExtraction = Extraction & {
  /** Tree-sitter found ERROR or MISSING nodes; symbols are what it recovered. */
  hasSyntaxErrors: boolean;
  /** Lines of the file (a trailing newline does not open a line). */
  lines: number;
  /** Lines holding code: not blank, not comment-only. */
  nloc: number;
};

/**
 * Language of a file path by its extension (case-insensitive), or null when unsupported.
 * `.ts`/`.mts`/`.cts` are TypeScript, `.tsx` TSX, `.js .jsx .mjs .cjs` JavaScript.
 */
export function languageForPath(path: string): LanguageId | null {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  if (base.endsWith('.d.ts') || base.endsWith('.d.mts') || base.endsWith('.d.cts')) return null;
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return null;
  return languageByExtension(base.slice(dot).toLowerCase())?.id ?? null;
}

/**
 * Symbols (with metrics and calls), imports and file figures of a parsed file, symbols in
 * source order. Each symbol's `source` is exactly the text of lines startLine..endLine
 * without the final line terminator, so its span in `source` is known from line offsets
 * (no search needed: a minified file can hold thousands of symbols on one 1 MB line).
 * @throws Error when `language` has no registered module; QueryError when `tree` was not
 *   parsed with that language's grammar.
 */
export function extractFromTree(tree: Tree, language: LanguageId, source: string): FileExtraction {
  const module = languageById(language);
  if (!module) throw new Error(`no extractor for language "${language}"`);
  const root = tree.rootNode;
  const { symbols, imports } = module.extract(root, source);
  const profile = profileOf(source, module.lexer);
  // Walkers emit inner symbols first; callers expect source order, a class before its members.
  // On the same line the enclosing symbol spans more lines or, on one line, more tokens.
  symbols.sort((a, b) => a.startLine - b.startLine || rank(a) - rank(b) || b.endLine - a.endLine || b.metrics.tokens - a.metrics.tokens);
  return { symbols, imports, hasSyntaxErrors: root.hasError, lines: profile.lines, nloc: profile.nloc };
}

function rank(s: { kind: string }): number {
  return s.kind === 'class' ? 0 : 1;
}

/**
 * Parse `source` as `language`, extract, and free the tree.
 * @throws Error when the grammar cannot be loaded or the language has no module.
 */
export async function extractSource(language: LanguageId, source: string): Promise<FileExtraction> {
  const tree = await parseSource(language, source);
  try {
    return extractFromTree(tree, language, source);
  } finally {
    tree.delete();
  }
}
