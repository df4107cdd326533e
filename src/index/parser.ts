/**
 * Tree-sitter parsing with the official `.wasm` grammars. The runtime is initialised once per
 * thread and each grammar is loaded once, on first use; a parser per language is reused.
 */
import { createRequire } from 'node:module';
import { Language, Parser, type Tree } from 'web-tree-sitter';
import type { LanguageId } from './types.ts';
import { languageById } from '../languages/registry.ts';

const require = createRequire(import.meta.url);

let runtime: Promise<void> | null = null;
const parsers = new Map<LanguageId, Promise<Parser>>();

function initRuntime(): Promise<void> {
  runtime ??= Parser.init();
  return runtime;
}

async function createParser(language: LanguageId): Promise<Parser> {
  await initRuntime();
  const file = languageById(language)?.grammar;
  if (!file) throw new Error(`no tree-sitter grammar for language "${String(language)}"`);
  const grammar = await Language.load(require.resolve(file));
  const parser = new Parser();
  parser.setLanguage(grammar);
  return parser;
}

/**
 * The reusable parser of one language (grammar loaded on first call, then cached).
 * @throws Error when the grammar's `.wasm` file cannot be found or loaded.
 */
export function parserFor(language: LanguageId): Promise<Parser> {
  let p = parsers.get(language);
  if (!p) {
    p = createParser(language);
    // A failed load is not cached, so a later call can retry.
    p.catch(() => parsers.delete(language));
    parsers.set(language, p);
  }
  return p;
}

/**
 * Parse `source` as `language`. Syntax errors do not throw: the tree holds ERROR/MISSING nodes
 * around what tree-sitter recovered. The caller owns the tree and must call `tree.delete()`.
 * @throws Error when the grammar cannot be loaded or tree-sitter returns no tree.
 */
export async function parseSource(language: LanguageId, source: string): Promise<Tree> {
  const parser = await parserFor(language);
  const tree = parser.parse(source);
  if (!tree) throw new Error(`tree-sitter returned no tree for a ${language} source`);
  return tree;
}
