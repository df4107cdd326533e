/** TSX: `.tsx`, the TypeScript grammar with JSX; counted as TypeScript on the dashboard. */
import { defineLanguage } from '../types.ts';
import { extractTypeScript } from '../javascript/extract.ts';
import { JS_FAMILY, jsFacts } from '../javascript/index.ts';

export const tsx = defineLanguage({
  ...JS_FAMILY,
  id: 'tsx',
  name: 'TypeScript (TSX)',
  group: 'typescript',
  extensions: ['.tsx'],
  aliases: [],
  grammar: 'tree-sitter-typescript/tree-sitter-tsx.wasm',
  extract: (root, source) => extractTypeScript(root, source),
  facts: jsFacts('typescript'),
  hints: {
    docs: 'Cover React component patterns, hooks usage, and prop types',
    security: 'Check dangerouslySetInnerHTML, URLs and HTML built from props or query data, tokens kept in localStorage',
    performance: 'Check re-renders from new objects or functions in props, missing memoization of expensive computations, effects without dependency lists',
  },
  fence: 'tsx',
  devlogFolder: 'tsx',
  entryFiles: ['index.tsx'],
});
