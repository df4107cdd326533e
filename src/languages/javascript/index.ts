/**
 * JavaScript: `.js .jsx .mjs .cjs` (JSX is in the grammar), ESLint's `complexity` rule
 * (`extract.ts`) and the blocking-call collector (`blocking.ts`), both shared with TypeScript
 * and TSX (`../typescript`, `../tsx`).
 */
import { C_LEXER } from '../../index/metrics.ts';
import { collectJsStructure } from '../../analysis/structure.ts';
import { collectJsPerformance } from '../../analysis/performance.ts';
import { collectJsSinks } from '../../analysis/security/collect.ts';
import { defineLanguage, noLeadingUnderscore, type LanguageDescriptor } from '../types.ts';
import { extractJavaScript } from './extract.ts';
import { collectJs } from './blocking.ts';
import { JS_WORDS, NODE_MODULES } from './lexicon.ts';

/** The parts JavaScript, TypeScript and TSX share. */
export const JS_FAMILY = {
  lexer: C_LEXER,
  lexicon: { words: JS_WORDS, modules: NODE_MODULES },
  hasAsync: true,
  lineComment: '//',
  isPublic: noLeadingUnderscore,
  importHint: (dir: string, names: string[]) => `import { ${names.slice(0, 3).join(', ')} } from './${dir}'`,
  paramStyle: 'name: type',
} satisfies Partial<LanguageDescriptor>;

/** The fact collectors of the family (`dialect` picks the class query of the structure facts). */
export function jsFacts(dialect: 'javascript' | 'typescript'): LanguageDescriptor['facts'] {
  return {
    blocking: { family: 'js', collect: (root) => collectJs(root) },
    structure: (root) => collectJsStructure(root, dialect),
    performance: (root) => collectJsPerformance(root),
    security: (root, source) => collectJsSinks(root, source),
  };
}

export const javascript = defineLanguage({
  ...JS_FAMILY,
  id: 'javascript',
  name: 'JavaScript',
  group: 'javascript',
  extensions: ['.js', '.jsx', '.mjs', '.cjs'],
  aliases: ['js', 'jsx', 'mjs', 'cjs', 'node'],
  grammar: 'tree-sitter-javascript/tree-sitter-javascript.wasm',
  extract: (root, source) => extractJavaScript(root, source),
  facts: jsFacts('javascript'),
  hints: {
    docs: 'Highlight async/await patterns, closures, and module patterns',
    security: 'Check eval and new Function, child_process with built strings, innerHTML, paths and SQL built from request data, disabled TLS checks, Math.random for tokens',
    performance: 'Check *Sync calls in async code, awaits in loops over independent items (Promise.all), JSON parse/stringify of large data in hot paths, includes() on arrays inside loops',
  },
  fence: 'javascript',
  devlogFolder: 'javascript',
  entryFiles: ['index.js', 'index.mjs', 'index.cjs', 'index.jsx'],
});
