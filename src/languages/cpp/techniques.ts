/** C++ techniques a TIL page may explain (`LanguageDescriptor.techniques`), after C's own. */
import type { PatternIndicatorRule, TechniqueRule } from '../types.ts';
import { C_PATTERNS, C_TECHNIQUES } from '../c/techniques.ts';

export const CPP_TECHNIQUES: TechniqueRule[] = [
  { name: 'RAII', what: 'the constructor acquires and the destructor releases, so scope exit (normal or by exception) always cleans up', weight: 22, kind: 'class', source: /~\w+\s*\(/, test: (sym) => new RegExp(`\\b${sym.name}\\s*\\(`).test(sym.source) },
  { name: 'template', what: 'one definition generated per type it is used with, checked at compile time', weight: 18, kind: 'function', source: /^\s*template\s*</ },
  { name: 'class template', what: 'a class generated per type argument, checked at compile time', weight: 18, kind: 'class', source: /^\s*template\s*</ },
  { name: 'move semantics', what: 'std::move hands over a resource instead of copying it; the source is left empty but valid', weight: 16, kind: 'function', source: /\bstd::move\s*\(|\w&&\s+\w/ },
  { name: 'lambda passed to an algorithm', what: 'a lambda given to a standard algorithm states the per-item work in place of a hand-written loop', weight: 16, kind: 'function', source: /std::(?:sort|for_each|transform|find_if|remove_if|count_if|any_of|all_of|accumulate|partition)\s*\([^;]*\[[^\]]*\]\s*\(/ },
  ...C_TECHNIQUES,
];

/** C++ idioms of the design patterns (`LanguageDescriptor.patterns`), after C's own. */
export const CPP_PATTERNS: PatternIndicatorRule[] = [
  { pattern: 'strategy', label: 'an abstract class (pure virtual methods)', kind: 'class', source: /\bvirtual\b[^;{]*\)\s*(?:const\s*)?=\s*0\s*;/ },
  { pattern: 'factory', label: 'static factory methods (`Create*` / `New*` / `Make*` / `Open`)', kind: 'function', name: /^(?:Create|New|Make|Build|Open)\w*$|^(?:create|make)_\w+$/ },
  { pattern: 'singleton', label: 'a function-local static instance (Meyers singleton)', kind: 'function', source: /^\s*static\s+[\w:<>]+\s+\w+(?:\([^)]*\))?\s*;\s*$|static\s+[\w:<>]+\s*\*?\s*\w+\s*=\s*new\b/m },
  ...C_PATTERNS,
];
