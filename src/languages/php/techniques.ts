/** PHP techniques a TIL page may explain (`LanguageDescriptor.techniques`). */
import type { PatternIndicatorRule, TechniqueRule } from '../types.ts';

export const PHP_TECHNIQUES: TechniqueRule[] = [
  { name: 'generator', what: 'a function with `yield` returns a Generator that produces values lazily, one per iteration, keeping memory flat', weight: 22, kind: 'function', source: /\byield\b/ },
  { name: 'magic method', what: 'PHP calls `__get` / `__set` / `__call` / `__invoke` itself when a property or method is missing or the object is called', weight: 22, kind: 'function', source: /function\s+__(?:get|set|call|callStatic|invoke|isset|unset)\s*\(/ },
  { name: 'late static binding', what: '`static::` refers to the class the method was called on, not the one it is written in, so subclasses override it', weight: 18, kind: 'function', source: /\bstatic::/ },
  { name: 'match expression', what: '`match` compares strictly, returns a value and throws when nothing matches, unlike switch', weight: 16, kind: 'function', source: /\bmatch\s*\([^)]*\)\s*\{/ },
  { name: 'closure binding', what: 'a closure captures outer variables with `use` (by value, or by reference with &) — arrow functions capture them automatically', weight: 14, kind: 'function', source: /function\s*\([^)]*\)\s*use\s*\(/ },
];

/** PHP idioms of the design patterns (`LanguageDescriptor.patterns`). */
export const PHP_PATTERNS: PatternIndicatorRule[] = [
  { pattern: 'middleware', label: 'a handler continuation (`$handler` / `$next` called)', kind: 'function', source: /\$(?:handler|next)\s*\(|\$(?:handler|next)->handle\s*\(/ },
  { pattern: 'middleware', label: 'a middleware signature (`callable $handler` / PSR-15 `process`)', kind: 'function', source: /callable\s+\$(?:handler|next)\b|function\s+process\s*\(\s*ServerRequestInterface/ },
  { pattern: 'factory', label: 'static constructors (`create*` / `from*` / `new*`)', kind: 'function', source: /\bpublic\s+static\s+function\s+(?:create|from|new|make|build)\w*\s*\(/ },
  { pattern: 'singleton', label: 'a static instance (`self::$instance` / `static::$instance`)', kind: 'class', source: /(?:self|static)::\$instance\b/ },
  { pattern: 'strategy', label: 'an interface', kind: 'class', source: /^\s*interface\s+\w+/ },
];
