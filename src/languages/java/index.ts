/**
 * Java: `.java` files, tree-sitter-java, Checkstyle's cyclomatic complexity (`extract.ts`). A
 * package is a directory; `package-info.java` (the package's Javadoc) is its entry file, else
 * the file named after the package, else its largest file.
 */
import path from 'node:path';
import { C_LEXER } from '../../index/metrics.ts';
import type { FileRecord } from '../../index/types.ts';
import { defineLanguage } from '../types.ts';
import { extractJava } from './extract.ts';
import { JAVA_MODULES, JAVA_WORDS } from './lexicon.ts';
import { JAVA_PATTERNS, JAVA_TECHNIQUES } from './techniques.ts';
import { collectJavaPerformance, collectJavaSinks, JAVA_SECURITY_RULES } from './analysis.ts';

/** A directory of `.java` files is a package: its entry is `package-info.java`, else the file named after it, else the largest. */
function javaEntry(dir: string, files: FileRecord[]): FileRecord | null {
  const java = files.filter((f) => f.language === 'java');
  if (java.length === 0) return null;
  const base = path.posix.basename(dir).toLowerCase();
  return java.find((f) => path.posix.basename(f.path).toLowerCase() === `${base}.java`) ?? [...java].sort((a, b) => b.lines - a.lines)[0];
}

export const java = defineLanguage({
  id: 'java',
  name: 'Java',
  group: 'java',
  extensions: ['.java'],
  aliases: [],
  grammar: 'tree-sitter-java/tree-sitter-java.wasm',
  lexer: C_LEXER,
  extract: (root, source) => extractJava(root, source),
  facts: {
    security: (_root, source) => collectJavaSinks(source),
    securityRules: JAVA_SECURITY_RULES,
    performance: (root) => collectJavaPerformance(root),
  },
  lexicon: { words: JAVA_WORDS, modules: JAVA_MODULES },
  hints: {
    docs: 'Note the class design, interfaces and generics, checked exceptions, and resource handling (try-with-resources)',
    security: 'Check Runtime.exec and ProcessBuilder with built strings, SQL built by concatenation instead of PreparedStatement, ObjectInputStream on untrusted data, XML parsers without disabled external entities, paths joined from input, java.util.Random for secrets',
    performance: 'Check string concatenation in loops, boxing in hot loops, synchronized blocks on hot paths, streams recreated in loops, unbuffered I/O',
  },
  hasAsync: false,
  lineComment: '//',
  fence: 'java',
  devlogFolder: 'java',
  entryFiles: ['package-info.java'],
  entryOf: javaEntry,
  isPublic: (s) => /^\s*(?:@[\w.]+(?:\([^)]*\))?\s+)*public\b/.test(s.source),
  importHint: (dir, names) => `import ${dir.replace(/^(?:.*\/)?(?:src\/main\/java|src)\//, '').replace(/\//g, '.')}.${names[0]};`,
  paramStyle: 'type name',
  techniques: JAVA_TECHNIQUES,
  patterns: JAVA_PATTERNS,
});
