/**
 * Go: `.go` files, gocyclo's cyclomatic complexity (`extract.ts`). No blocking collector: Go
 * has no event loop to block. A directory of `.go` files is a package, so it needs no entry-file
 * name (`entryOf`).
 */
import path from 'node:path';
import { C_LEXER } from '../../index/metrics.ts';
import { collectGoSinks } from '../../analysis/security/collect.ts';
import type { FileRecord } from '../../index/types.ts';
import { defineLanguage } from '../types.ts';
import { extractGo } from './extract.ts';
import { GO_MODULES, GO_WORDS } from './lexicon.ts';

/** A Go package's entry file: the file named after the directory, else `doc.go`, else the largest (test files aside). */
function goEntry(dir: string, files: FileRecord[]): FileRecord | null {
  const goFiles = files.filter((f) => f.language === 'go' && !f.path.endsWith('_test.go'));
  if (goFiles.length === 0) return null;
  const dirName = path.posix.basename(dir === '.' ? '' : dir);
  return (
    goFiles.find((f) => path.posix.basename(f.path) === `${dirName}.go`) ??
    goFiles.find((f) => path.posix.basename(f.path) === 'doc.go') ??
    [...goFiles].sort((a, b) => b.lines - a.lines)[0]
  );
}

export const go = defineLanguage({
  id: 'go',
  name: 'Go',
  group: 'go',
  extensions: ['.go'],
  aliases: ['golang'],
  grammar: 'tree-sitter-go/tree-sitter-go.wasm',
  lexer: C_LEXER,
  extract: (root, source) => extractGo(root, source),
  facts: {
    security: (_root, source) => collectGoSinks(source),
  },
  lexicon: { words: GO_WORDS, modules: GO_MODULES },
  hints: {
    docs: 'Emphasize Go idioms like error handling, goroutines, and interfaces',
    security: 'Check exec.Command through a shell, fmt.Sprintf into SQL, InsecureSkipVerify, math/rand for secrets, file paths joined from input',
    performance: 'Check allocations in hot loops, defer inside loops, lock contention, string concatenation in loops, goroutines without bounds',
  },
  hasAsync: false,
  lineComment: '//',
  fence: 'go',
  devlogFolder: 'go',
  entryFiles: [],
  entryOf: goEntry,
  isPublic: (s) => /^[A-Z]/.test(s.name),
  paramStyle: 'name type',
});
