/** C# techniques a TIL page may explain (`LanguageDescriptor.techniques`). */
import type { PatternIndicatorRule, TechniqueRule } from '../types.ts';

export const CSHARP_TECHNIQUES: TechniqueRule[] = [
  { name: 'async stream', what: '`IAsyncEnumerable<T>` with `yield return` produces items lazily for `await foreach`, awaiting between them', weight: 24, kind: 'function', source: /IAsyncEnumerable<|await\s+foreach\b/ },
  { name: 'iterator with yield return', what: 'the method becomes a lazy sequence: its body runs step by step as the caller enumerates it', weight: 22, kind: 'function', source: /\byield\s+return\b/ },
  { name: 'extension method', what: 'a static method whose first parameter is marked `this` reads like an instance method of that type', weight: 20, kind: 'function', source: /^\s*(?:\[[^\]]*\]\s*)*(?:public|internal)\s+static\s+[^(]+\(\s*this\s+\w/ },
  { name: 'switch expression with patterns', what: 'a switch expression matches on types, properties and conditions and yields a value, checked for exhaustiveness', weight: 18, kind: 'function', source: /\bswitch\s*\{[\s\S]*=>/ },
  { name: 'LINQ pipeline', what: 'Where / Select / GroupBy compose a lazy query that runs when it is enumerated', weight: 16, kind: 'function', source: /\.(?:Where|Select|SelectMany|GroupBy|OrderBy)\s*\([\s\S]*\.(?:Select|ToList|ToArray|ToDictionary|First|FirstOrDefault|Any|Count|Sum|Aggregate)\s*\(/ },
  { name: 'using declaration', what: '`using var x = ...` disposes the object when the enclosing scope ends, even on exceptions', weight: 16, kind: 'function', source: /\busing\s+(?:var|[A-Z]\w*(?:<[^>]*>)?\s+\w+\s*=)|\busing\s*\(/ },
];

/** C# idioms of the design patterns (`LanguageDescriptor.patterns`). */
export const CSHARP_PATTERNS: PatternIndicatorRule[] = [
  { pattern: 'singleton', label: 'a static Instance (or a Lazy<T> holder)', kind: 'class', source: /\bstatic\s+(?:readonly\s+)?(?:Lazy<\w+>|\w+)\s+_?(?:Instance|instance|Default|lazy)\b/ },
  { pattern: 'singleton', label: 'a private constructor', kind: 'function', source: /^\s*private\s+[A-Z]\w*\s*\(/ },
  { pattern: 'factory', label: 'methods named `Create*` / `Make*` / `Build*` / `New*`', kind: 'function', name: /^(?:Create|Make|Build|New)[A-Z]?\w*$/ },
  { pattern: 'factory', label: 'a class named `*Factory`', kind: 'class', name: /Factory$/ },
  { pattern: 'strategy', label: 'an interface with implementations chosen by dependency injection', kind: 'class', source: /^\s*(?:\[[^\]]*\]\s*)*(?:public\s+|internal\s+)?(?:partial\s+)?interface\s+I[A-Z]/ },
  { pattern: 'middleware', label: 'a `RequestDelegate` / `next` continuation', kind: 'function', source: /\bRequestDelegate\b|\bawait\s+_?next\s*\(/ },
  { pattern: 'middleware', label: 'an `Invoke` / `InvokeAsync` / pipeline `Handle` method', kind: 'function', name: /^(?:Invoke|InvokeAsync)$/ },
  { pattern: 'repository', label: 'lookup methods (`GetById*` / `Find*` / `List*`)', kind: 'function', name: /^(?:GetBy\w+|Find\w*|List\w*|GetAll\w*)(?:Async)?$/ },
  { pattern: 'observer', label: 'C# events (`event EventHandler`)', kind: 'class', source: /\bevent\s+(?:EventHandler|Action|Func)\b/ },
];
