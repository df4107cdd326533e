/** Java techniques a TIL page may explain (`LanguageDescriptor.techniques`). */
import type { PatternIndicatorRule, TechniqueRule } from '../types.ts';

export const JAVA_TECHNIQUES: TechniqueRule[] = [
  { name: 'try-with-resources', what: 'every resource declared in `try (...)` is closed when the block ends, in reverse order, even when it throws', weight: 20, kind: 'function', source: /\btry\s*\(/ },
  { name: 'generic method', what: 'a type parameter declared on the method ties the types of its arguments and result together, checked at each call', weight: 18, kind: 'function', source: /^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|protected|private|static|final|synchronized|abstract|default)\s+)*<[A-Z]/ },
  { name: 'stream pipeline', what: 'a lazy chain of map / filter steps that runs once, item by item, when the terminal collect or reduce asks for the result', weight: 16, kind: 'function', source: /\.stream\(\)[\s\S]*\.(?:collect|reduce|toList|forEach|count|anyMatch|allMatch|findFirst)\(/ },
  { name: 'Optional chaining', what: 'map / flatMap / orElse on an Optional replace nested null checks', weight: 14, kind: 'function', source: /Optional\.(?:ofNullable|of|empty)\([\s\S]*\.(?:map|flatMap|orElse|orElseGet|orElseThrow|ifPresent)\(/ },
  { name: 'builder', what: 'a mutable Builder collects the settings, and build() makes the immutable object in one step', weight: 18, kind: 'class', source: /\bBuilder\b/, test: (sym, all) => all.some((s) => s.className === sym.name && s.name === 'build') || /class\s+Builder\b/.test(sym.source) },
  { name: 'enum with behaviour', what: 'each enum constant carries its own fields or method bodies, so a switch over the constants is not needed', weight: 16, kind: 'class', source: /^\s*(?:public\s+)?enum\s+\w+[^{]*\{[\s\S]*\b\w+\s*\([^)]*\)\s*\{/ },
];

/** Java idioms of the design patterns (`LanguageDescriptor.patterns`). */
export const JAVA_PATTERNS: PatternIndicatorRule[] = [
  { pattern: 'singleton', label: 'a static final INSTANCE field', kind: 'class', source: /\bstatic\s+(?:final\s+)?\w+(?:<[^>]*>)?\s+(?:INSTANCE|instance)\b/ },
  { pattern: 'singleton', label: 'a private constructor', kind: 'function', source: /^\s*private\s+[A-Z]\w*\s*\(/ },
  { pattern: 'factory', label: 'static factory methods (`of` / `valueOf` / `from*` / `create*` / `newInstance`)', kind: 'function', source: /^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:public\s+|protected\s+)?static\s+(?:<[^>]+>\s+)?[\w.<>[\], ?]+\s+(?:of|valueOf|from\w*|create\w*|newInstance|get\w*Instance)\s*\(/ },
  { pattern: 'factory', label: 'a builder (`builder()` / a nested Builder with `build()`)', kind: 'function', name: /^(?:builder|build|toBuilder)$/ },
  { pattern: 'strategy', label: 'an interface or abstract class', kind: 'class', source: /^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:public\s+)?(?:sealed\s+)?(?:interface|abstract\s+class)\b/ },
  { pattern: 'observer', label: 'listener registration (`add*Listener` / `remove*Listener`)', kind: 'function', name: /^(?:add|remove)\w*(?:Listener|Observer|Handler)$/ },
];
