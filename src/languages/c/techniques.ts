/** C techniques a TIL page may explain (`LanguageDescriptor.techniques`); C++ adds its own. */
import type { PatternIndicatorRule, TechniqueRule } from '../types.ts';

export const C_TECHNIQUES: TechniqueRule[] = [
  { name: 'goto cleanup', what: 'every error path jumps to one label that frees what was acquired, in reverse order, so nothing leaks and nothing is freed twice', weight: 20, kind: 'function', source: /\bgoto\s+(?:cleanup|fail|failed|error|err|out|done|end|exit|bail)\w*\s*;/ },
  { name: 'function pointer', what: 'a pointer to a function chosen at run time lets the caller plug in behaviour (a callback or a dispatch table)', weight: 18, kind: 'function', source: /\(\s*\*\s*\w+\s*\)\s*\([^)]*\)/ },
  { name: 'bit trick', what: 'bit operations replace a loop or a branch (`x & (x - 1)` clears the lowest set bit; a mask tests many flags at once)', weight: 14, kind: 'function', source: /&\s*\(\s*\w+\s*-\s*1\s*\)|<<\s*\d+\s*\)\s*-\s*1|\^=\s*\w+\s*;/ },
];

/** C idioms of the design patterns (`LanguageDescriptor.patterns`); C++ adds its own. */
export const C_PATTERNS: PatternIndicatorRule[] = [
  { pattern: 'factory', label: 'constructors by convention (`*_create` / `*_new` / `*_alloc` / `*_open`)', kind: 'function', name: /_(?:create|new|alloc|open|init)$/ },
  { pattern: 'factory', label: 'matching destructors (`*_destroy` / `*_free` / `*_delete` / `*_close`)', kind: 'function', name: /_(?:destroy|free|delete|close|release)$/ },
  { pattern: 'strategy', label: 'a struct of function pointers (a hand-made interface)', kind: 'class', source: /\(\s*\*\s*\w+\s*\)\s*\([^)]*\)\s*;/ },
  { pattern: 'observer', label: 'callback registration (`*_set_callback` / `*_register*` / `on_*`)', kind: 'function', name: /(?:set_\w*(?:callback|handler|hook)|register\w*|_on_\w+)$/ },
];
