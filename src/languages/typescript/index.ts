/** TypeScript: `.ts .mts .cts` (declaration files `.d.ts` are not source), the JavaScript family's extractor and collectors. */
import { defineLanguage } from '../types.ts';
import { extractTypeScript } from '../javascript/extract.ts';
import { JS_FAMILY, jsFacts } from '../javascript/index.ts';

export const typescript = defineLanguage({
  ...JS_FAMILY,
  id: 'typescript',
  name: 'TypeScript',
  group: 'typescript',
  extensions: ['.ts', '.mts', '.cts'],
  aliases: ['ts', 'mts', 'cts'],
  grammar: 'tree-sitter-typescript/tree-sitter-typescript.wasm',
  extract: (root, source) => extractTypeScript(root, source),
  facts: jsFacts('typescript'),
  hints: {
    docs: 'Note TypeScript-specific types, generics, and async patterns',
    security: 'Check eval and new Function, child_process with built strings, innerHTML, paths and SQL built from request data, disabled TLS checks, Math.random for tokens',
    performance: 'Check *Sync calls in async code, awaits in loops over independent items (Promise.all), JSON parse/stringify of large data in hot paths, includes() on arrays inside loops',
  },
  fence: 'typescript',
  devlogFolder: 'typescript',
  entryFiles: ['index.ts'],
});
