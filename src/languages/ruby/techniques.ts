/** Ruby techniques a TIL page may explain (`LanguageDescriptor.techniques`). */
import type { PatternIndicatorRule, TechniqueRule } from '../types.ts';

export const RUBY_TECHNIQUES: TechniqueRule[] = [
  { name: 'method_missing', what: 'calls to methods that do not exist land here, so an object can answer any name (paired with respond_to_missing?)', weight: 24, kind: 'function', source: /^\s*def\s+(?:method_missing|respond_to_missing\?)\b/ },
  { name: 'Enumerable from each', what: 'a class that defines `each` and includes Enumerable gets map, select, sort_by, each_slice and the rest for free', weight: 24, kind: 'class', source: /\binclude\s+Enumerable\b/ },
  { name: 'define_method', what: 'methods are generated at load time from data, instead of being written out one by one', weight: 22, kind: 'function', source: /\bdefine_method\b/ },
  { name: 'block-taking method', what: '`yield` (or an explicit `&block`) runs the caller\'s block inside the method, with setup before and cleanup after', weight: 20, kind: 'function', source: /\byield\b|^\s*def\s+\w+[!?=]?\s*\([^)]*&\w+/ },
  { name: 'Comparable from <=>', what: 'defining `<=>` and including Comparable gives <, <=, ==, between? and clamp', weight: 20, kind: 'class', source: /\binclude\s+Comparable\b/ },
  { name: 'memoisation with ||=', what: '`@x ||= compute` computes once and keeps the value in an instance variable (a nil or false result is recomputed)', weight: 14, kind: 'function', source: /@\w+\s*\|\|=/ },
];

/** Ruby idioms of the design patterns (`LanguageDescriptor.patterns`). */
export const RUBY_PATTERNS: PatternIndicatorRule[] = [
  { pattern: 'middleware', label: 'a Rack `call(env)` entry', kind: 'function', source: /^\s*def\s+call\s*\(\s*env\s*\)/ },
  { pattern: 'middleware', label: 'the next application called (`@app.call(env)`)', kind: 'function', source: /@app\.call\s*\(/ },
  { pattern: 'middleware', label: 'the wrapped application kept (`def initialize(app, …)`)', kind: 'function', source: /^\s*def\s+initialize\s*\(\s*app\b/ },
  { pattern: 'singleton', label: 'the Singleton module or a class-level instance', kind: 'class', source: /\binclude\s+Singleton\b|def\s+self\.instance\b|@instance\s*\|\|=/ },
  { pattern: 'observer', label: 'Observable or observer registration', kind: 'class', source: /\binclude\s+Observable\b|\badd_observer\b/ },
  { pattern: 'factory', label: 'class-level constructors (`self.build` / `self.create` / `self.for` / `self.from_*`)', kind: 'function', source: /^\s*def\s+self\.(?:build|create|for|from_\w+|parse|new_\w+)\b/ },
];
