/**
 * C#: `.cs` files, tree-sitter-c-sharp, the .NET code-metrics cyclomatic complexity
 * (`extract.ts`). A directory of C# files is a namespace folder (a module page): its entry is
 * `Program.cs`, else the file named after the directory (`Billing/Billing.cs`), else the largest.
 */
import path from 'node:path';
import { C_LEXER } from '../../index/metrics.ts';
import type { FileRecord } from '../../index/types.ts';
import { defineLanguage } from '../types.ts';
import { extractCSharp } from './extract.ts';
import { CSHARP_MODULES, CSHARP_WORDS } from './lexicon.ts';
import { CSHARP_PATTERNS, CSHARP_TECHNIQUES } from './techniques.ts';
import { collectCSharp } from './blocking.ts';
import { CSHARP_RULES } from './blocking-rules.ts';
import { collectCSharpPerformance, collectCSharpSinks, CSHARP_SECURITY_RULES } from './analysis.ts';

/** A directory of `.cs` files is a namespace folder: its entry is the file named after it, else its largest file. */
function csharpEntry(dir: string, files: FileRecord[]): FileRecord | null {
  const cs = files.filter((f) => f.language === 'csharp');
  if (cs.length === 0) return null;
  return cs.find((f) => path.posix.basename(f.path) === `${path.posix.basename(dir)}.cs`) ?? [...cs].sort((a, b) => b.lines - a.lines)[0];
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
  facts: {
    blocking: {
      family: 'csharp',
      collect: (root) => collectCSharp(root),
      rules: CSHARP_RULES,
      offloadHint: (fn, entry) => `or make \`${fn}\` async and await it from \`${entry}\`, or call it there as \`await Task.Run(() => ${fn.slice(fn.lastIndexOf('.') + 1)}(...))\``,
      typesByName: true,
      // .NET test projects: `Foo.Tests/`, `Foo.UnitTests/`, `*Tests.cs`
      testPath: /(^|\/)[^/]*\.(Unit|Integration|Functional)?Tests?\/|Tests?\.cs$/,
    },
    security: (_root, source) => collectCSharpSinks(source),
    securityRules: CSHARP_SECURITY_RULES,
    performance: (root) => collectCSharpPerformance(root),
  },
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
  techniques: CSHARP_TECHNIQUES,
  patterns: CSHARP_PATTERNS,
});
