/**
 * PHP: `.php` files, tree-sitter-php, PHPMD's cyclomatic complexity (`extract.ts`). A directory
 * of PHP files is a namespace (a module page): its entry is `index.php`, else the file named
 * after it (`src/Http/Http.php`), else its largest file.
 */
import path from 'node:path';
import { C_LEXER } from '../../index/metrics.ts';
import type { FileRecord } from '../../index/types.ts';
import { defineLanguage, noLeadingUnderscore } from '../types.ts';
import { extractPhp } from './extract.ts';
import { PHP_MODULES, PHP_WORDS } from './lexicon.ts';
import { PHP_PATTERNS, PHP_TECHNIQUES } from './techniques.ts';
import { collectPhpPerformance, collectPhpSinks, PHP_SECURITY_RULES } from './analysis.ts';

/** A directory of PHP files is a namespace (PSR-4): its entry is the file named after it, else its largest file. */
function phpEntry(dir: string, files: FileRecord[]): FileRecord | null {
  const php = files.filter((f) => f.language === 'php');
  if (php.length === 0) return null;
  return php.find((f) => path.posix.basename(f.path) === `${path.posix.basename(dir)}.php`) ?? [...php].sort((a, b) => b.lines - a.lines)[0];
}

export const php = defineLanguage({
  id: 'php',
  name: 'PHP',
  group: 'php',
  extensions: ['.php'],
  aliases: [],
  grammar: 'tree-sitter-php/tree-sitter-php.wasm',
  lexer: C_LEXER,
  extract: (root, source) => extractPhp(root, source),
  facts: {
    security: (_root, source) => collectPhpSinks(source),
    securityRules: PHP_SECURITY_RULES,
    performance: (root) => collectPhpPerformance(root),
  },
  lexicon: { words: PHP_WORDS, modules: PHP_MODULES },
  hints: {
    docs: 'Note types and nullability, interfaces and traits, exceptions, and how arrays are shaped',
    security: 'Check SQL built by concatenation instead of prepared statements, echo of request data without escaping, include/require of paths from input, exec/shell_exec/system with built strings, unserialize on untrusted data',
    performance: 'Check queries inside loops, array_merge in loops, repeated file or network reads per request, regexes compiled in loops',
  },
  hasAsync: false,
  lineComment: '//',
  fence: 'php',
  devlogFolder: 'php',
  entryFiles: ['index.php'],
  entryOf: phpEntry,
  isPublic: noLeadingUnderscore,
  paramStyle: 'type name',
  techniques: PHP_TECHNIQUES,
  patterns: PHP_PATTERNS,
});
