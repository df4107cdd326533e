/** C: `.c` and `.h` files, tree-sitter-c, pmccabe's cyclomatic complexity (`extract.ts`). A directory's module entry is the header named after it, else its largest header. */
import path from 'node:path';
import { C_LEXER } from '../../index/metrics.ts';
import type { FileRecord } from '../../index/types.ts';
import { defineLanguage } from '../types.ts';
import { extractC } from './extract.ts';
import { C_MODULES, C_WORDS } from './lexicon.ts';
import { C_PATTERNS, C_TECHNIQUES } from './techniques.ts';
import { C_SECURITY_RULES, collectCPerformance, collectCSinks } from './analysis.ts';

/** The header named after the directory (`src/json/json.h`), else the directory's largest header, else null. */
export function headerNamedAfter(dir: string, files: FileRecord[], exts: string[]): FileRecord | null {
  const base = path.posix.basename(dir === '.' ? '' : dir);
  const headers = files.filter((f) => exts.includes(path.posix.extname(f.path)));
  return headers.find((f) => base && path.posix.basename(f.path) === `${base}${path.posix.extname(f.path)}`) ?? [...headers].sort((a, b) => b.lines - a.lines)[0] ?? null;
}

export const c = defineLanguage({
  id: 'c',
  name: 'C',
  group: 'c',
  extensions: ['.c', '.h'],
  aliases: [],
  grammar: 'tree-sitter-c/tree-sitter-c.wasm',
  lexer: C_LEXER,
  extract: (root, source) => extractC(root, source),
  facts: {
    security: (_root, source) => collectCSinks(source),
    securityRules: C_SECURITY_RULES,
    performance: (root) => collectCPerformance(root),
  },
  lexicon: { words: C_WORDS, modules: C_MODULES },
  hints: {
    docs: 'Note ownership of memory and who frees it, error-return conventions, buffer sizes, and macros',
    security: 'Check buffer sizes in memcpy/strcpy/sprintf, integer overflow in size computations, format strings from input, system() and popen() with built strings, use after free and double free',
    performance: 'Check allocations in hot loops, repeated strlen in loop conditions, cache-unfriendly access patterns, unbuffered I/O',
  },
  hasAsync: false,
  lineComment: '//',
  fence: 'c',
  devlogFolder: 'c',
  entryFiles: [],
  entryOf: (dir, files) => headerNamedAfter(dir, files, ['.h']),
  isPublic: (s) => !/^\s*static\b/.test(s.source),
  paramStyle: 'type name',
  techniques: C_TECHNIQUES,
  patterns: C_PATTERNS,
});
