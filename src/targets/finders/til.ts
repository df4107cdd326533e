/**
 * til ("Today I Learned", issue 12): functions and classes that show a technique worth
 * learning, found from the index alone: decorators that take arguments (a decorator factory:
 * three nested functions), context managers (`@contextmanager`, `__enter__`/`__exit__`),
 * descriptors (`__get__` / `__set__` / `__set_name__`), generics (`TypeVar` / `Generic[T]`,
 * TS/Rust/Go type parameters), async generators, `__init_subclass__` / metaclass hooks, and a
 * clever standard-library use (`functools.lru_cache` / `singledispatch` / `cached_property`,
 * `itertools`, `collections.Counter` / `defaultdict` / `deque`, `contextlib.ExitStack` /
 * `suppress`, `bisect`, `heapq`, `weakref`). A symbol with no technique is not a TIL target.
 * Ranked by the technique's weight, then the interest score. Each target carries
 * `context.technique` (name, what it is, the lines that show it).
 */
import type { CodeSymbol, FileRecord, ImportRef } from '../../index/types.ts';
import { interestScore, symbolLines } from '../../index/score.ts';
import { emptyChurn } from '../../index/churn.ts';
import type { FinderInput, Target, TargetFinder } from '../types.ts';
import { symbolTarget } from '../common.ts';
import { TEST_PATH } from './security-review.ts';
import { languageById } from '../../languages/registry.ts';
import type { TechniqueRule } from '../../languages/types.ts';

export interface Technique {
  /** Short name, e.g. `decorator with arguments`. */
  name: string;
  /** One sentence: what the technique does. */
  what: string;
  /** Lines of the file that show it. */
  lines: number[];
  weight: number;
}

/**
 * Python standard-library calls worth a TIL, matched on the call's canonical `module.name` (what
 * the file's imports bind its head to): a `merge` of the file's own, or a JavaScript `merge`,
 * is not `heapq.merge`.
 */
const CLEVER_CALLS: [RegExp, string, string][] = [
  [/^functools\.singledispatch(?:method)?$/, 'functools.singledispatch', 'picks an implementation by the type of the first argument'],
  [/^itertools\.(?:groupby|accumulate|pairwise|islice|tee|zip_longest|product|chain\.from_iterable)$/, 'itertools', 'builds the iteration lazily from standard building blocks'],
  [/^collections\.(?:Counter|defaultdict|deque|ChainMap|OrderedDict)$/, 'collections', 'uses a specialised container instead of hand-written bookkeeping'],
  [/^contextlib\.(?:ExitStack|AsyncExitStack|suppress|closing|nullcontext|redirect_stdout)$/, 'contextlib', 'composes context managers or silences an expected exception without try/except'],
  [/^bisect\.(?:bisect|bisect_left|bisect_right|insort|insort_left|insort_right)$/, 'bisect', 'keeps a list sorted and searches it in O(log n)'],
  [/^heapq\.(?:heappush|heappop|heapify|nlargest|nsmallest|merge)$/, 'heapq', 'keeps the smallest item at hand with a binary heap'],
  [/^weakref\.(?:ref|WeakValueDictionary|WeakKeyDictionary|WeakSet|finalize|proxy)$/, 'weakref', 'refers to objects without keeping them alive'],
  [/^asyncio\.(?:gather|TaskGroup|as_completed|wait_for|shield|Semaphore)$/, 'asyncio concurrency', 'runs coroutines together or bounds them instead of one after the other'],
];

/** JavaScript/TypeScript globals worth a TIL (no import binds them). */
const CLEVER_GLOBAL_CALLS: [RegExp, string, string][] = [
  [/^Promise\.(?:all|allSettled|race|any)$/, 'Promise combinators', 'runs promises together and combines their results'],
];

const CLEVER_DECORATORS: [RegExp, string, string][] = [
  [/^(?:functools\.)?(?:lru_cache|cache)\b/, 'functools.lru_cache', 'memoises results by argument, so repeated calls cost a dictionary lookup'],
  [/^(?:functools\.)?cached_property$/, 'functools.cached_property', 'computes an attribute once per instance and stores it'],
  [/^(?:functools\.)?singledispatch(?:method)?$/, 'functools.singledispatch', 'picks an implementation by the type of the first argument'],
];

/**
 * A call's callee as `module.name…` through the file's imports (`import heapq` → `heapq.merge`,
 * `import collections as c` → `c.Counter` is `collections.Counter`, `from heapq import merge as m`
 * → `m` is `heapq.merge`), or null when no import binds its first name.
 */
export function canonicalCallee(callee: string, imports: readonly ImportRef[]): string | null {
  const dot = callee.indexOf('.');
  const head = dot < 0 ? callee : callee.slice(0, dot);
  const rest = dot < 0 ? '' : callee.slice(dot);
  for (const imp of imports) {
    for (const n of imp.names) {
      if (n.local !== head) continue;
      // `import a.b` / `import a.b as x` bind the module itself; `from a import b` binds a member
      const bindsModule = n.imported === imp.module || n.imported === imp.module.split('.').pop() || n.imported === '*';
      return bindsModule ? `${imp.module}${rest}` : `${imp.module}.${n.imported}${rest}`;
    }
  }
  return null;
}

/** The techniques of a language's own table (`LanguageDescriptor.techniques`) a symbol shows. */
function languageTechniques(sym: CodeSymbol, fileSymbols: CodeSymbol[], rules: TechniqueRule[]): Technique[] {
  const out: Technique[] = [];
  const kind = sym.kind === 'class' ? 'class' : 'function';
  for (const r of rules) {
    if (r.kind !== kind || !r.source.test(sym.source) || (r.test && !r.test(sym, fileSymbols))) continue;
    const i = sym.source.split('\n').findIndex((l) => r.source.test(l));
    out.push({ name: r.name, what: r.what, lines: [sym.startLine + Math.max(i, 0)], weight: r.weight });
  }
  return out;
}

/**
 * The technique a symbol shows, the strongest first, or null. `fileSymbols` are its file's
 * symbols; `language` adds that language's own techniques (its descriptor's `techniques`).
 */
export function techniqueOf(sym: CodeSymbol, fileSymbols: CodeSymbol[], language?: string, imports: readonly ImportRef[] = []): Technique | null {
  const found: Technique[] = language ? languageTechniques(sym, fileSymbols, languageById(language)?.techniques ?? []) : [];
  const family = language ? languageById(language)?.facts.blocking?.family : 'python';
  const children = fileSymbols.filter((s) => s.parent === sym.displayName);
  if (sym.kind !== 'class') {
    // A decorator factory: outer(args) → decorator(fn) → wrapper(*a, **kw), returned in turn.
    // outer returns decorator, decorator takes the function and returns wrapper.
    const returns = (s: CodeSymbol, inner: CodeSymbol) => new RegExp(`\\breturn\\s+${inner.name}\\b`).test(s.source);
    for (const deco of children.length <= 3 ? children : []) {
      const wrapper = fileSymbols.find((s) => s.parent === deco.displayName && returns(deco, s));
      if (deco.params.length === 1 && wrapper && returns(sym, deco)) {
        found.push({ name: 'decorator with arguments', what: 'a function that takes options and returns the decorator, which returns the wrapper', lines: [sym.startLine, deco.startLine, wrapper.startLine], weight: 30 });
        break;
      }
    }
    if (sym.decorators.some((d) => /^(?:contextlib\.)?(?:async)?contextmanager$/.test(d))) {
      found.push({ name: 'context manager from a generator', what: 'everything before the `yield` is the setup, everything after it the cleanup, run even when the block raises', lines: [sym.startLine], weight: 28 });
    }
    if (sym.isAsync && sym.isGenerator) {
      // said in the file's own syntax: `async def` is Python's, `async function*` JS/TS's
      const python = !language || languageById(language)?.facts.blocking?.family === 'python';
      const what = python ? 'an `async def` with `yield` produces values lazily for `async for`, awaiting between them' : 'an `async function*` yields values lazily to a `for await` loop, awaiting between them';
      found.push({ name: 'async generator', what, lines: [sym.startLine], weight: 26 });
    }
    if (/^__(?:get|set|delete|set_name)__$/.test(sym.name)) found.push({ name: 'descriptor', what: 'an object whose `__get__`/`__set__` run when the attribute it is stored under is read or written', lines: [sym.startLine], weight: 26 });
    if (/^__(?:init_subclass|class_getitem|missing|getattr)__$/.test(sym.name)) found.push({ name: `the ${sym.name} hook`, what: 'a special method the interpreter calls on its own at a precise moment', lines: [sym.startLine], weight: 22 });
    if (family === 'python') {
      for (const [re, name, what] of CLEVER_DECORATORS) {
        const d = sym.decorators.find((x) => re.test(x));
        if (d) found.push({ name, what, lines: [sym.startLine], weight: 20 });
      }
      const canonical = sym.calls.map((c) => ({ line: c.line, name: canonicalCallee(c.callee, imports) ?? c.callee }));
      for (const [re, name, what] of CLEVER_CALLS) {
        const calls = canonical.filter((c) => re.test(c.name));
        if (calls.length > 0) found.push({ name, what, lines: [...new Set(calls.map((c) => c.line))], weight: 16 });
      }
    }
    if (family === 'js') {
      for (const [re, name, what] of CLEVER_GLOBAL_CALLS) {
        const calls = sym.calls.filter((c) => re.test(c.callee));
        if (calls.length > 0) found.push({ name, what, lines: [...new Set(calls.map((c) => c.line))], weight: 16 });
      }
    }
    if (/<\s*[A-Z]\w*(?:\s+extends\s+[^>]+)?\s*(?:,\s*[A-Z]\w*(?:\s+extends\s+[^>]+)?)*\s*>\s*\(/.test(sym.source.split('\n', 1)[0])) {
      found.push({ name: 'generic function', what: 'a type parameter ties the types of the arguments and the result together', lines: [sym.startLine], weight: 18 });
    }
  } else {
    const methods = fileSymbols.filter((s) => s.className === sym.name && s.kind === 'method');
    const has = (n: string) => methods.some((m) => m.name === n);
    if ((has('__enter__') && has('__exit__')) || (has('__aenter__') && has('__aexit__'))) {
      found.push({ name: 'context manager class', what: '`__enter__`/`__exit__` make the object usable in a `with` block that always cleans up', lines: methods.filter((m) => /^__a?(enter|exit)__$/.test(m.name)).map((m) => m.startLine), weight: 24 });
    }
    if (has('__get__') || has('__set_name__')) found.push({ name: 'descriptor class', what: 'an attribute whose reads and writes run code (how property and methods work)', lines: methods.filter((m) => /^__(get|set|set_name|delete)__$/.test(m.name)).map((m) => m.startLine), weight: 26 });
    if ((sym.bases ?? []).some((b) => /^(?:typing\.)?Generic\[|^Protocol\[/.test(b))) found.push({ name: 'generic class', what: 'a class parametrised by a type variable, checked per use', lines: [sym.startLine], weight: 18 });
    if ((sym.bases ?? []).some((b) => /metaclass\s*=/.test(b)) || has('__init_subclass__')) found.push({ name: 'class creation hook', what: 'code that runs when a subclass is defined, not when it is instantiated', lines: [sym.startLine], weight: 20 });
  }
  if (found.length === 0) return null;
  return found.sort((a, b) => b.weight - a.weight)[0];
}

/** Functions with fewer lines of code than this are too small for a TIL on a call they make. */
const TINY_NLOC = 5;
/** Techniques from this weight up are the function's own shape (context manager class 24, generator-based context manager 28, decorator with arguments 30). */
const SHAPE_WEIGHT = 24;

/** `candidatesOf` per file record: a record is immutable, and the warm index keeps it while its file is unchanged. */
const candidatesByFile = new WeakMap<FileRecord, { sym: CodeSymbol; technique: Technique }[]>();

/**
 * The symbols of `file` that show a technique, computed once per record: reading every symbol's
 * source inflated every file's text again in each cycle.
 */
function candidatesOf(file: FileRecord): { sym: CodeSymbol; technique: Technique }[] {
  let out = candidatesByFile.get(file);
  if (!out) {
    out = techniquesOf(file);
    candidatesByFile.set(file, out);
  }
  return out;
}

function techniquesOf(file: FileRecord): { sym: CodeSymbol; technique: Technique }[] {
  const out: { sym: CodeSymbol; technique: Technique }[] = [];
  for (const sym of file.symbols) {
    // A wrapper nested in a decorator is shown by its outer function.
    if (sym.parent !== null && sym.kind !== 'class') continue;
    if (sym.kind === 'class' && symbolLines(sym) > 400) continue;
    const technique = techniqueOf(sym, file.symbols, file.language, file.imports);
    // a function of a few lines shows a library call, not a technique worth a page (SPEC: tiny code is
    // not worth documenting), unless its shape is the technique (a decorator, a context manager…)
    if (technique && sym.kind !== 'class' && sym.metrics.nloc < TINY_NLOC && technique.weight < SHAPE_WEIGHT) continue;
    if (technique) out.push({ sym, technique });
  }
  return out;
}

export const finder: TargetFinder = {
  docType: 'til',
  find(input: FinderInput): Target[] {
    const scored: { t: Target; key: number }[] = [];
    for (const file of input.index.files) {
      const found = candidatesOf(file);
      if (found.length === 0) continue;
      const churn = input.index.churn.get(file.path) ?? emptyChurn();
      for (const { sym, technique } of found) {
        const interest = interestScore(sym, churn, input.now);
        const key = (TEST_PATH.test(file.path) ? 0 : 1000) + technique.weight * 10 + interest.score / 10;
        scored.push({ key, t: symbolTarget('til', input, file, sym, Math.round(key * 100) / 100, { scoreBreakdown: interest.breakdown, context: { technique: { name: technique.name, what: technique.what, lines: technique.lines } } }) });
      }
    }
    return scored.sort((a, b) => b.key - a.key || a.t.relPath.localeCompare(b.t.relPath) || a.t.startLine - b.t.startLine).map((x) => x.t);
  },
};
