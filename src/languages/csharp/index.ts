/**
 * C#: `.cs` files, tree-sitter-c-sharp, the .NET code-metrics cyclomatic complexity
 * (`extract.ts`). A directory is a module when it holds a project file's sibling entry: the
 * file named after the directory (`Billing/Billing.cs`), else `Program.cs`.
 */
import path from 'node:path';
import { C_LEXER } from '../../index/metrics.ts';
import type { FileRecord } from '../../index/types.ts';
import { defineLanguage } from '../types.ts';
import { extractCSharp } from './extract.ts';
import { CSHARP_MODULES, CSHARP_WORDS } from './lexicon.ts';

function csharpEntry(dir: string, files: FileRecord[]): FileRecord | null {
  return files.find((f) => f.language === 'csharp' && path.posix.basename(f.path) === `${path.posix.basename(dir)}.cs`) ?? null;
}

export const csharp = defineLanguage({
  id: 'csharp',
  name: 'C#',
  group: 'csharp',
  extensions: ['.cs'],
  aliases: ['cs', 'c#'],
  grammar: 'tree-sitter-c-sharp/tree-sitter-c_sharp.wasm',
  lexer: C_LEXER,
  extract: (root, source) => extractCSharp(root, source),
  facts: {},
  lexicon: { words: CSHARP_WORDS, modules: CSHARP_MODULES },
  hints: {
    docs: 'Note async/await and Task use, nullability, LINQ, IDisposable and using, and dependency injection',
    security: 'Check SQL built by concatenation instead of parameters, Process.Start with built strings, BinaryFormatter and other unsafe deserialization, paths combined from input, disabled certificate validation',
    performance: 'Check .Result/.Wait() and other sync-over-async, allocations in hot loops, LINQ in tight loops, string concatenation in loops, missing ConfigureAwait in libraries',
  },
  hasAsync: true,
  lineComment: '//',
  fence: 'csharp',
  devlogFolder: 'csharp',
  entryFiles: ['Program.cs'],
  entryOf: csharpEntry,
  isPublic: (s) => /^\s*(?:\[[^\]]*\]\s*)*(?:public|protected)\b/.test(s.source),
  paramStyle: 'type name',
});
