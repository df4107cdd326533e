/**
 * The descriptor every language exports from `src/languages/<lang>/index.ts`. Everything the
 * product knows about a language lives in its descriptor — extensions, grammar, extractor,
 * fact collectors, grounding lexicon, prompt hints, module entry files, Markdown fence, DevLog
 * folder — and every language-keyed table elsewhere is derived from `registry.ts`. Adding a
 * language is adding one folder and one line to the registry.
 *
 * Load order: descriptors are built when the registry loads, so a descriptor refers to code of
 * other modules through arrow functions (never a `const` of a module that imports the
 * registry), which keeps the registry free of import-order traps.
 */
import type { Node } from 'web-tree-sitter';
import type { CodeSymbol, FileRecord, ImportRef } from '../index/types.ts';
import type { Lexer } from '../index/metrics.ts';
import type { BlockingFileFacts } from '../analysis/blocking/types.ts';
import type { LanguageRules, RuleFamily } from '../analysis/blocking/rules.ts';
import type { SecurityRule } from '../analysis/security/rules.ts';
import type { StaticGotcha } from '../analysis/gotchas.ts';

export interface Extraction {
  symbols: CodeSymbol[];
  imports: ImportRef[];
}

/** The per-file fact collectors of a language (`src/analysis/facts.ts` runs them); each is optional. */
export interface LanguageFacts {
  /** Blocking calls in async code: the collector and the rule family (`src/analysis/blocking/rules.ts`) its calls are matched with. */
  blocking?: BlockingSupport;
  /** Declared exports and class attributes (`src/analysis/structure.ts`). */
  structure?: (root: Node, source: string) => unknown;
  /** Performance anti-pattern hits (`src/analysis/performance.ts`). */
  performance?: (root: Node) => unknown;
  /** Security sinks (`src/analysis/security/collect.ts`). */
  security?: (root: Node, source: string) => unknown;
  /** What a page says about this language's own security rule ids (merged into `SECURITY_RULES`; ids unique across languages). */
  securityRules?: Record<string, SecurityRule>;
}

/**
 * A language's blocking analysis. The built-in families (`python`, `js`, `rust`) keep their
 * rule tables in `src/analysis/blocking/rules.ts`; a language that brings its own family
 * (`csharp`) brings its table, offload hint and name rules here, so nothing outside its folder
 * names it.
 */
export interface BlockingSupport {
  family: RuleFamily;
  collect(root: Node): BlockingFileFacts;
  /** The rule table of a family that is not built in. */
  rules?: LanguageRules;
  /** How an indirect finding's fix names the offload (`…inside \`await Task.Run(...)\``), after the rule's advice. */
  offloadHint?: (fn: string, entry: string, call?: string) => string;
  /**
   * Types are visible by their simple name across the repository (C#: one namespace over many
   * files), so a `{ k: 'mod', mod: '' }` reference first looks for a repository class of that
   * name; a method a repository class inherits from an external base resolves to that base's API
   * (`AppDbContext#SaveChanges` → `DbContext#SaveChanges`).
   */
  typesByName?: boolean;
  /** Test code of this language beyond the common test paths (`Foo.Tests/`): findings there are `low`. */
  testPath?: RegExp;
}

/**
 * A technique worth a TIL page in one language (`src/targets/finders/til.ts`): what it is called,
 * what it does, how much it weighs against other techniques (the built-in ones weigh 16-30), and
 * which symbols show it (`kind`) by a pattern over the symbol's source. `lines` picks the lines
 * that show it (default: the first line that matches `source`, else the symbol's first line).
 */
export interface TechniqueRule {
  name: string;
  what: string;
  weight: number;
  kind: 'function' | 'class';
  source: RegExp;
  /** Further test on the symbol and its file's symbols (a class's methods). */
  test?(sym: CodeSymbol, fileSymbols: CodeSymbol[]): boolean;
}

/**
 * A handler that catches every exception and drops it without a trace (no log, no re-raise):
 * its `continue` skips the loop's current item, `pass` goes on after the `try`, `return` ends
 * the function. `src/analysis/dead-logic.ts` says what is lost.
 */
export interface SwallowedHandler {
  /** File line of the handler (`except Exception:`), and the line as written. */
  line: number;
  excerpt: string;
  /** What it catches, as written (`Exception`), or `every exception` for a bare handler. */
  caught: string;
  action: 'continue' | 'pass' | 'return';
  /** The guarded block: the `try` line, its last statement's line, and the calls in it. */
  tryLine: number;
  tryEnd: number;
  calls: string[];
  /** The loop around the `try` and its item variable (`for item in items` → `item`). */
  loop?: { line: number; header: string; item: string | null };
}

/**
 * An indicator of a design pattern in one language (`src/targets/finders/pattern-analysis.ts`,
 * whose patterns need two indicators in one file): the symbols of `kind` whose name matches
 * `name` and whose source matches `source` (each optional, at least one given); the evidence
 * line is the first line that matches `source`.
 */
export interface PatternIndicatorRule {
  pattern: 'singleton' | 'factory' | 'observer' | 'decorator' | 'strategy' | 'middleware' | 'repository';
  label: string;
  kind: 'function' | 'class';
  name?: RegExp;
  source?: RegExp;
}

/** How a declaration head writes a parameter's type (the static provider's parameter table). */
export type ParamStyle = 'name: type' | 'name type' | 'type name';

export interface LanguageDescriptor<Id extends string = string> {
  /** Language id as stored in the index and on pages: `python`, `tsx`. */
  id: Id;
  /** Name for people: `Python`, `TypeScript (TSX)`. */
  name: string;
  /**
   * The language a reader counts this one as (the dashboard's language chart): TSX is
   * `typescript`; most languages are their own id.
   */
  group: string;
  /** File extensions with the dot, lower case: `.py`, `.ts`. Unique across the registry. */
  extensions: string[];
  /** Other names a Markdown fence or a page's `Language:` field uses for it (`py`, `golang`). */
  aliases: string[];
  /** Path of the `.wasm` grammar, resolvable from `node_modules`. */
  grammar: string;
  /**
   * Lexer for nloc and token counting (`src/index/metrics.ts`): a global regex whose first
   * group matches comments. The built-in ones (`PYTHON_LEXER`, `C_LEXER`, `RUST_LEXER`) run a
   * hand-written scanner.
   */
  lexer: Lexer;
  /** Symbols (with metrics and calls) and imports of one parsed file. Pure. */
  extract(root: Node, source: string): Extraction;
  /** Per-file fact collectors. */
  facts: LanguageFacts;
  /** Keywords, builtins and globals a page may name freely, and standard-library module heads (grounding). */
  lexicon: { words: string[]; modules: string[] };
  /** Prompt hints: documentation (the original's `language_hints`), security and performance reviews. */
  hints: { docs: string; security?: string; performance?: string };
  /** The language has async functions (`async def`, `async fn`): a page may speak of awaiting. */
  hasAsync: boolean;
  /** Start of a line comment (`#`, `//`), for notes inside code excerpts. */
  lineComment: string;
  /** Info string of a Markdown code fence. */
  fence: string;
  /** Folder of function pages under `snippets/` in the DevLog. */
  devlogFolder: string;
  /** Names of a directory's entry file that make it a module (`__init__.py`), in priority order. */
  entryFiles: string[];
  /** A directory's entry file by the language's own rule when no entry-file name is present (Go packages). */
  entryOf?(dir: string, files: FileRecord[]): FileRecord | null;
  /** Whether a top-level symbol is public by the language's convention (module pages list them). */
  isPublic(symbol: CodeSymbol): boolean;
  /** How code imports names from a module directory (`from a.b import X`), or null. */
  importHint?(dir: string, names: string[]): string | null;
  /** Parameter syntax in declaration heads. */
  paramStyle: ParamStyle;
  /** Techniques of this language a TIL page may explain (beyond the built-in Python / JS / TS ones). */
  techniques?: TechniqueRule[];
  /** Design-pattern indicators of this language's idioms (beyond the built-in ones). */
  patterns?: PatternIndicatorRule[];
  /** Broad exception handlers of a function (source from its first line, at file line `startLine`) that drop the error silently. */
  swallowedExceptions?(source: string, startLine: number): SwallowedHandler[];
  /**
   * Resources a function's code opens and does not release (Python: `with sqlite3.connect(…) as
   * conn:` commits but does not close), over its source starting at file line `startLine`;
   * `fileSource` holds the helpers it calls (`_get_conn` returning a connection). Class and
   * function pages list them among the gotchas, performance pages under "Resources".
   */
  resourceLeaks?(source: string, startLine: number, fileSource: string): StaticGotcha[];
}

/** Declare a descriptor, keeping its id as a literal type (the registry derives `LanguageId` from it). */
export function defineLanguage<const Id extends string>(d: LanguageDescriptor<Id>): LanguageDescriptor<Id> {
  return d;
}

/** Split a whitespace-separated word list (lexicon tables). */
export function words(s: string): string[] {
  return s.trim().split(/\s+/);
}

/** Public by the common convention: a name without a leading underscore. */
export function noLeadingUnderscore(s: CodeSymbol): boolean {
  return !s.name.startsWith('_');
}
