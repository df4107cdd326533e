/**
 * pattern_analysis: files where at least two indicators of one design pattern appear, shown by a
 * class or by at least two symbols (one factory function alone is no pattern analysis)
 * (SPEC section 4: singleton, factory, observer, decorator, strategy, middleware, repository).
 * One target per (file, pattern), ranked by the number of indicators, then file size; its
 * participants are the symbols that matched an indicator (not every symbol of the file).
 * Indicators read the index only: symbol names, kinds, bases, decorators, calls and sources.
 */
import { sha256 } from '../../core/hash.ts';
import type { CodeSymbol, FileRecord } from '../../index/types.ts';
import type { FinderInput, Target, TargetFinder } from '../types.ts';
import { fileStem, fileTarget } from '../common.ts';
import { languageById } from '../../languages/registry.ts';
import type { PatternIndicatorRule } from '../../languages/types.ts';

export type PatternName = 'singleton' | 'factory' | 'observer' | 'decorator' | 'strategy' | 'middleware' | 'repository';

interface Indicator {
  label: string;
  /** The symbols that show the indicator (its participants); empty when it does not fire. */
  match(file: FileRecord, fns: CodeSymbol[], classes: CodeSymbol[], ctx: FileContext): CodeSymbol[];
  /**
   * The line of a participant that shows the indicator (the call, the matching line); without
   * it the participant's definition line is the evidence.
   */
  evidence?: (sym: CodeSymbol) => number | null;
}

/** Per-file views computed once for all indicators. */
interface FileContext {
  /** Functions and classes, for text searches (the innermost match is the participant). */
  all: CodeSymbol[];
  /** The observer structure of the file, computed once (`observerStructure`). */
  observer?: ObserverStructure | null;
}

const named = (syms: CodeSymbol[], re: RegExp) => syms.filter((s) => re.test(s.name));
/** The innermost symbols whose source matches `re` (a class matches only where none of its methods does). */
/**
 * A symbol's source without string literals and comments (a word in a message is no indicator),
 * kept for one `patternIndicators` call: symbols live as long as the warm index, and keeping
 * every symbol's lines held 100 MB of strings on the Python standard library (issue 14).
 */
let codeCache = new WeakMap<CodeSymbol, string[]>();
/** Each symbol's language (set by `patternIndicators`), for its comment syntax. */
const symbolLanguage = new WeakMap<CodeSymbol, string>();
const C_FAMILY = /^(?:javascript|typescript|tsx|jsx|java|c|cpp|csharp|go|rust|kotlin|swift|scala|dart)$/;
function codeLines(sym: CodeSymbol): string[] {
  let lines = codeCache.get(sym);
  if (!lines) {
    // `#` starts a comment only outside the C family (`this.#listeners` is a private field)
    const comment = C_FAMILY.test(symbolLanguage.get(sym) ?? '') ? /\/\/.*$/ : /(?:#|\/\/).*$/;
    lines = sym.source.split('\n').map((l) => l.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '""').replace(comment, ''));
    codeCache.set(sym, lines);
  }
  return lines;
}
const inSource = (ctx: FileContext, re: RegExp) => {
  const hits = ctx.all.filter((s) => codeLines(s).some((l) => re.test(l)));
  return hits.filter((h) => !hits.some((o) => o !== h && o.startLine >= h.startLine && o.endLine <= h.endLine && (o.startLine !== h.startLine || o.endLine !== h.endLine)));
};
const calling = (fns: CodeSymbol[], re: RegExp) => fns.filter((s) => s.calls.some((c) => re.test(c.name)));
/** The first call of `sym` whose name matches `re`: its line. */
const callLine = (re: RegExp) => (sym: CodeSymbol) => sym.calls.find((c) => re.test(c.name))?.line ?? null;
/** The first line of `sym`'s source matching `re`. */
const sourceLine = (re: RegExp) => (sym: CodeSymbol) => {
  const i = codeLines(sym).findIndex((l) => re.test(l));
  return i < 0 ? null : sym.startLine + i;
};
/** Receivers of database calls: a cursor, connection, session, engine or pool (not `git.commit`, not `re.match`). */
const DB_RECEIVER = /(?:^|\.)(?:_?(?:cur|cursor|conn|connection|db|database|session|engine|pool|tx|transaction|sqlite|pg|mongo|collection)\w*)$/i;
const DB_METHOD = /^(execute|executemany|executescript|query|fetchone|fetchall|fetchmany|fetchrow|fetchval|commit|rollback)$/;
/** Calls that reach a database: a query method on a receiver named like a cursor, connection or session. */
const isDbCall = (c: CodeSymbol['calls'][number]) => DB_METHOD.test(c.name) && DB_RECEIVER.test(c.callee.slice(0, Math.max(0, c.callee.length - c.name.length - 1)));
const when = (ok: boolean, syms: CodeSymbol[]) => (ok ? syms : []);

/** `return Class(…)` / `return new Class(…)` / `return cls(…)`: a function handing out a new instance. */
const RETURN_NEW = /^\s*return\s+(?:new\s+)?([A-Z]\w*|cls)\s*\(/;
/** Decorators through which a framework calls a function (a route, a command): a handler, not a factory. */
const FRAMEWORK_DECORATOR = /^(?:[\w.]+\.)?(?:route|get|post|put|patch|delete|command|group|fixture|task|on_event|websocket)\b/;

/**
 * Factory functions: a plain function (not a constructor, not a framework handler) that returns
 * new instances, either of several classes chosen by its arguments (`if kind == …: return A(…)`)
 * or, when it is short and does nothing else, of one class (`get_prompt_builder(settings)` returns
 * `PromptBuilder(settings=settings)`): callers get objects through it instead of naming the class.
 */
function factoryFunctions(fns: CodeSymbol[]): CodeSymbol[] {
  return fns.filter((s) => {
    if (s.isAsync || /^(?:__init__|__new__|constructor|from_\w+)$/.test(s.name) || s.decorators.some((d) => FRAMEWORK_DECORATOR.test(d))) return false;
    const made = s.source.split('\n').filter((l) => !returnsTuple(l)).map((l) => RETURN_NEW.exec(l)?.[1]).filter((x): x is string => !!x && !/(?:Error|Exception)$/.test(x));
    if (made.length === 0) return false;
    return new Set(made).size >= 2 || s.metrics.nloc <= 8;
  });
}

/**
 * A `from_*` classmethod that returns an instance of its own class (`return cls(…)` or the class
 * by name): an alternative constructor. One that returns another class's object
 * (`PromptBuilder.from_candidate` returning a `PromptContext`) converts, it does not construct.
 */
function isAlternativeConstructor(s: CodeSymbol): boolean {
  if (!/^from_/.test(s.name) || !s.decorators.includes('classmethod')) return false;
  const own = s.parent?.split('.').pop();
  return codeLines(s).some((l) => {
    const m = RETURN_NEW.exec(l);
    return m !== null && (m[1] === 'cls' || m[1] === own);
  });
}

/** Whether a `return` line returns several values (`return A(…), B(…)`, `return (a, b)`): a tuple, not one new instance. */
function returnsTuple(line: string): boolean {
  const m = /^\s*return\s+(.*)$/.exec(line);
  if (!m) return false;
  let expr = m[1].replace(/\s*#.*$/, '').trim();
  if (expr.startsWith('(') && expr.endsWith(')')) expr = expr.slice(1, -1);
  let depth = 0;
  for (const ch of expr.replace(/(["'])(?:\\.|(?!\1).)*\1/g, '""')) {
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (ch === ',' && depth === 0) return true;
  }
  return false;
}

/** Return annotations that are not one class's instance. */
const NOT_AN_INSTANCE = /^(?:tuple|Tuple|list|List|dict|Dict|set|Set|str|int|float|bool|bytes|None|Any|Optional|Union|Callable|Iterator|Iterable|Generator|AsyncIterator|Sequence|Mapping|void|string|number|boolean|unknown|any|never|object|Record|Array|Map)\b/;

/**
 * Whether a `create_*`/`make_*`/`build_*` function hands out a new instance of a class: its body
 * returns `Class(…)`/`new Class(…)`/`cls(…)` (not in a tuple), or its declared return type is one
 * class (`-> OllamaClient`, `): Promise<Store>`). `build_prompt() -> tuple[str, str]` returns data,
 * not an object: no factory.
 */
function returnsNewInstance(s: CodeSymbol): boolean {
  if (s.source.split('\n').some((l) => RETURN_NEW.test(l) && !returnsTuple(l))) return true;
  const head = s.source.slice(0, Math.max(0, s.source.search(/:\s*\n|\{\s*\n/)) + 1);
  const ann = /\)\s*(?:->|:)\s*([^:{]+?)\s*[:{]$/.exec(head.replace(/\s+/g, ' '))?.[1]?.replace(/^Promise<(.*)>$/, '$1').trim();
  return !!ann && /^[A-Z]\w*$/.test(ann) && !NOT_AN_INSTANCE.test(ann);
}

const SINGLETON_SLOT = /\b_?_?instance\s*[:=]\s*(None|null|undefined)\b|static\s+(#|_)?instance\b/;
const FACTORY_CHOICE = /\b(registry|_registry|factories|constructors|creators)\s*\[|switch\s*\(\s*(kind|type)\b/;
const OBSERVERS = /\b_?(observers|listeners|subscribers|handlers|callbacks)\b/;

/** Where a file keeps, fills and walks a list of subscribers: each part's symbol and line. */
interface ObserverStructure {
  list: { sym: CodeSymbol; line: number };
  subscribe: { sym: CodeSymbol; line: number };
  notify: { sym: CodeSymbol; line: number };
}

/** An attribute holding subscribers, created empty: `this.listeners = []`, `self._observers = set()`, `_callbacks: list = field(default_factory=list)`. */
const SUBSCRIBER_LIST = /(?:\b(?:this|self)\.|^\s*(?:(?:private|protected|public|readonly|static)\s+)*)(#?_{0,2}\w*(?:observers|listeners|subscribers|handlers|callbacks|subscriptions|watchers|hooks))\s*(?::[^=]+)?=\s*(?:\[\s*\]|\{\s*\}|new\s+(?:Set|Map|WeakMap|WeakSet|Array)\b|(?:set|dict|list|WeakSet|weakref\.WeakSet|defaultdict)\s*\(|field\s*\(\s*default_factory\s*=\s*(?:list|set|dict)\b)/i;

/**
 * The structure of the observer pattern, not its names (issue 12: pm2's `SubSocket.subscribe`,
 * which stores topic filters, was called an observer on names alone): an attribute created as an
 * empty collection of subscribers, a method that adds to it (subscribe), and a loop over it —
 * directly or through a local alias — whose body calls each element (notify). Null unless all
 * three are in the file.
 */
function observerStructure(ctx: FileContext): ObserverStructure | null {
  if (ctx.observer !== undefined) return ctx.observer;
  ctx.observer = null;
  const fns = ctx.all.filter((x) => x.kind !== 'class');
  const scan = ctx.all;
  for (const holder of scan) {
    const lines = codeLines(holder);
    const at = lines.findIndex((l) => SUBSCRIBER_LIST.test(l));
    if (at < 0) continue;
    const name = SUBSCRIBER_LIST.exec(lines[at])![1];
    const attr = `(?:\\b(?:this|self|cls)\\.)${name}\\b`;
    const adds = new RegExp(`${attr}(?:\\.(?:push|append|add|set|insert|setdefault|unshift)\\s*\\(|\\s*\\[[^\\]]+\\]\\s*=(?!=))`);
    const subscribe = fns.map((f) => ({ sym: f, i: codeLines(f).findIndex((l) => adds.test(l)) })).find((x) => x.i >= 0);
    if (!subscribe) continue;
    let notify: { sym: CodeSymbol; line: number } | null = null;
    for (const f of fns) {
      const ls = codeLines(f);
      // the list itself or a local alias of it (`var listeners = this.listeners`)
      const names = [`(?:this|self|cls)\\.${name}`];
      for (const l of ls) {
        const a = new RegExp(`(?:\\b(?:var|let|const)\\s+)?\\b([A-Za-z_$][\\w$]*)\\s*=\\s*(?:this|self|cls)\\.${name}(?:\\.get\\([^)]*\\)|\\[[^\\]]+\\])?\\s*(?:;|$|\\.copy\\(\\)|\\.slice\\(\\))`).exec(l);
        if (a) names.push(a[1]);
      }
      const x = `(?:${names.join('|')})`;
      const loops = [
        new RegExp(`\\bfor\\s*\\(\\s*(?:const|let|var)?\\s*([A-Za-z_$][\\w$]*)\\s+of\\s+${x}\\b`),
        new RegExp(`^\\s*(?:async\\s+)?for\\s+([A-Za-z_]\\w*)\\s+in\\s+(?:list\\(|tuple\\()?${x}\\b(?:\\.(?:values|copy)\\(\\))?`),
        new RegExp(`${x}\\.forEach\\(\\s*(?:(?:async\\s+)?function\\s*\\(\\s*([A-Za-z_$][\\w$]*)|\\(?\\s*([A-Za-z_$][\\w$]*))`),
        new RegExp(`\\bfor\\s*\\([^;]*;\\s*\\w+\\s*<\\s*${x}\\.length`),
      ];
      for (let i = 0; i < ls.length && !notify; i++) {
        const m = loops.map((re) => re.exec(ls[i])).find((r) => r !== null);
        if (!m) continue;
        const elem = m[1] ?? m[2] ?? null;
        const body = ls.slice(i, i + 15);
        // an element taken by index (`var listener = listeners[i]`)
        const byIndex = new RegExp(`\\b([A-Za-z_$][\\w$]*)\\s*=\\s*${x}\\[\\w+\\]`);
        const elems = [elem, ...body.map((l) => byIndex.exec(l)?.[1] ?? null)].filter((e): e is string => !!e);
        // the element is called, or a callback-like member of it (`listener.fn.apply(…)`, `o.update(…)`); `re.test(topic)` is a check, not a notification
        const invoke = `(?:\\s*\\(|(?:\\.[A-Za-z_$][\\w$]*)*\\.(?:apply|call|update|notify\\w*|handle\\w*|on[A-Z_]\\w*|emit|send|publish|receive|callback|dispatch|fire|trigger|fn|cb|func|handler|listener)\\s*\\()`;
        const calls = body.some((l, k) => (k > 0 || /forEach/.test(l)) && (elems.some((e) => new RegExp(`(?<![\\w$.])${e}${invoke}`).test(l)) || new RegExp(`${x}\\[\\w+\\]${invoke}`).test(l)));
        if (calls) notify = { sym: f, line: f.startLine + i };
      }
      if (notify) break;
    }
    if (!notify) continue;
    ctx.observer = { list: { sym: holder, line: holder.startLine + at }, subscribe: { sym: subscribe.sym, line: subscribe.sym.startLine + subscribe.i }, notify };
    return ctx.observer;
  }
  return null;
}
/** The observer's structural indicators: their labels (the finder requires all three). */
const OBSERVER_STRUCTURE = ['a list of subscribers created empty', 'a subscribe method that adds to it', 'a notify loop that calls each subscriber'] as const;
const structurePart = (part: keyof ObserverStructure) => ({
  match: (_f: FileRecord, _fn: CodeSymbol[], _cl: CodeSymbol[], ctx: FileContext) => {
    const o = observerStructure(ctx);
    return o ? [o[part].sym] : [];
  },
  evidence: (sym: CodeSymbol) => {
    const o = codeCtx.get(sym);
    return o && o[part].sym === sym ? o[part].line : null;
  },
});
/** The structure found for a symbol's file, for the evidence lines. */
const codeCtx = new WeakMap<CodeSymbol, ObserverStructure>();
const DELEGATE = /self\._?(wrapped|inner|component|delegate)\b|this\.(wrapped|inner|component|delegate)\b/;

/** Indicator table; each pattern needs two or more to fire in one file. */
export const PATTERN_INDICATORS: Record<PatternName, Indicator[]> = {
  singleton: [
    { label: 'a class-level `_instance` slot', match: (_f, _fn, _cl, ctx) => inSource(ctx, SINGLETON_SLOT), evidence: sourceLine(SINGLETON_SLOT) },
    { label: 'an instance accessor (`get_instance` / `getInstance` / `instance()`)', match: (_f, fns) => named(fns, /^(get_?instance|getInstance|instance|shared|default_instance)$/i) },
    { label: '`__new__` overridden', match: (_f, fns) => named(fns, /^__new__$/) },
    { label: 'a cached module-level accessor (`lru_cache`/`cache` on a getter)', match: (_f, fns) => fns.filter((s) => /^get_/.test(s.name) && s.decorators.some((d) => /\b(lru_)?cache\b/.test(d))) },
  ],
  factory: [
    { label: 'functions named `create_*` / `make_*` / `build_*` / `new*` that return a new instance', match: (_f, fns) => named(fns, /^(create|make|build|new)[_A-Z]/).filter(returnsNewInstance) },
    { label: 'a class named `*Factory`', match: (_f, _fn, cl) => named(cl, /Factory$/) },
    { label: 'construction chosen from a mapping or switch on a kind', match: (_f, _fn, _cl, ctx) => inSource(ctx, FACTORY_CHOICE), evidence: sourceLine(FACTORY_CHOICE) },
    { label: 'classmethod alternative constructors (`from_*`)', match: (_f, fns) => fns.filter(isAlternativeConstructor) },
    { label: 'functions that return new instances (`return Class(…)`)', match: (_f, fns) => factoryFunctions(fns), evidence: sourceLine(RETURN_NEW) },
  ],
  observer: [
    { label: OBSERVER_STRUCTURE[0], ...structurePart('list') },
    { label: OBSERVER_STRUCTURE[1], ...structurePart('subscribe') },
    { label: OBSERVER_STRUCTURE[2], ...structurePart('notify') },
    { label: 'subscription methods (`subscribe` / `add_listener` / `on` / `register`)', match: (_f, fns) => named(fns, /^(subscribe|add_?listener|addEventListener|on|register_?(callback|handler|observer)|attach)$/i) },
    { label: 'notification methods (`notify` / `emit` / `publish` / `dispatch`)', match: (_f, fns) => named(fns, /^(notify(_all)?|notifyAll|emit|publish|dispatch|fire|trigger)$/i) },
    { label: 'a collection of observers / listeners / subscribers', match: (_f, _fn, _cl, ctx) => inSource(ctx, OBSERVERS), evidence: sourceLine(OBSERVERS) },
    { label: 'unsubscription (`unsubscribe` / `remove_listener` / `off`)', match: (_f, fns) => named(fns, /^(unsubscribe|remove_?listener|removeEventListener|off|detach)$/i) },
  ],
  decorator: [
    {
      label: 'a function returning an inner wrapper',
      match: (_f, fns) => {
        const inner = fns.filter((s) => s.parent !== null && /^(wrapper|wrapped|inner|_wrapper|decorated)$/.test(s.name));
        return [...fns.filter((s) => inner.some((i) => i.parent === s.displayName)), ...inner];
      },
    },
    { label: '`functools.wraps` applied', match: (_f, fns) => fns.filter((s) => s.decorators.some((d) => /^(functools\.)?wraps\(/.test(d))) },
    {
      label: 'decorators defined here used on functions of the file',
      match: (_f, fns) => {
        const local = new Map(fns.filter((s) => s.parent === null).map((s) => [s.name, s]));
        const users = fns.filter((s) => s.decorators.some((d) => local.has(d.split('(')[0])));
        const defs = [...new Set(users.flatMap((s) => s.decorators.map((d) => local.get(d.split('(')[0])).filter((x): x is CodeSymbol => !!x)))];
        return users.length > 0 ? [...defs, ...users] : [];
      },
    },
    { label: 'a wrapper class delegating to a wrapped object', match: (_f, _fn, _cl, ctx) => inSource(ctx, DELEGATE), evidence: sourceLine(DELEGATE) },
  ],
  strategy: [
    {
      label: 'an abstract base or interface with one operation',
      match: (_f, fns, cl) => [...cl.filter((c) => (c.bases ?? []).some((b) => /^(ABC|Protocol|abc\.ABC)$/.test(b))), ...fns.filter((s) => s.decorators.includes('abstractmethod'))],
    },
    {
      label: 'several classes implementing the same base',
      match: (_f, _fn, cl) => {
        const counts = new Map<string, CodeSymbol[]>();
        for (const c of cl) for (const b of c.bases ?? []) counts.set(b, [...(counts.get(b) ?? []), c]);
        return [...counts.values()].filter((v) => v.length >= 2).flat();
      },
    },
    { label: 'a `*Strategy` / `*Policy` name', match: (_f, _fn, cl) => named(cl, /(Strategy|Policy)$/) },
    { label: 'behaviour chosen by injecting a callable or object', match: (_f, fns) => fns.filter((s) => s.params.some((p) => /^(strategy|policy|algorithm|handler|comparator|key_func|keyfunc)$/i.test(p))) },
  ],
  middleware: [
    { label: 'handlers taking a `next` / `call_next` continuation', match: (_f, fns) => fns.filter((s) => s.params.some((p) => /^(next|call_next|nextHandler|get_response)$/.test(p))) },
    { label: 'a `*Middleware` name', match: (_f, fns, cl) => named([...cl, ...fns], /middleware/i) },
    { label: 'registration through `use(…)` / `add_middleware(…)`', match: (_f, fns) => calling(fns, /^(use|add_middleware|middleware)$/), evidence: callLine(/^(use|add_middleware|middleware)$/) },
    { label: 'the continuation invoked inside the handler', match: (_f, fns) => calling(fns, /^(next|call_next|get_response)$/), evidence: callLine(/^(next|call_next|get_response)$/) },
  ],
  repository: [
    { label: 'a `*Repository` / `*Store` / `*DAO` class', match: (_f, _fn, cl) => named(cl, /(Repository|Repo|Store|DAO|Dao)$/) },
    { label: 'lookup methods (`get_by_*` / `find_*` / `findBy*`)', match: (_f, fns) => named(fns, /^(get_by_|find_|findBy|findAll|find_all|get_all|list_)/) },
    {
      label: 'persistence methods (`save` / `add` / `delete` / `update`)',
      match: (_f, fns) => {
        const m = fns.filter((s) => s.kind === 'method' && /^(save|add|insert|delete|remove|update|upsert|persist)(_|$|[A-Z])/.test(s.name));
        return when(m.length >= 2, m);
      },
    },
    { label: 'database access in methods (a query on a cursor, connection or session)', match: (_f, fns) => fns.filter((s) => s.calls.some(isDbCall)), evidence: (sym) => sym.calls.find(isDbCall)?.line ?? null },
  ],
};

/** One participant of a pattern: a symbol that matched at least one of its indicators. */
export interface PatternParticipant {
  name: string;
  kind: CodeSymbol['kind'];
  line: number;
  /** Its last line (the page shows the lines from the first participant to the last). */
  endLine: number;
  /** Labels of the indicators it matched. */
  indicators: string[];
}

/** The code that shows an indicator: one line of one participant, as written. */
export interface PatternEvidence {
  indicator: string;
  symbol: string;
  line: number;
  /** The line as written, whitespace collapsed, at most 100 characters. */
  code: string;
}

function evidenceOf(ind: Indicator, sym: CodeSymbol): PatternEvidence {
  const line = ind.evidence?.(sym) ?? sym.startLine;
  const raw = sym.source.split('\n')[line - sym.startLine] ?? '';
  let t = raw.replace(/\s+/g, ' ').trim();
  if (t.length > 100) {
    let end = 99;
    while (end > 0 && /[\w$]/.test(t[end]) && /[\w$]/.test(t[end - 1])) end--;
    t = `${t.slice(0, end).trimEnd()}…`;
  }
  return { indicator: ind.label, symbol: sym.displayName, line, code: t };
}

/** A language's own indicator (`LanguageDescriptor.patterns`) as an indicator of the table. */
function languageIndicator(r: PatternIndicatorRule): Indicator {
  return {
    label: r.label,
    match: (_f, fns, cl) => (r.kind === 'class' ? cl : fns).filter((s) => (!r.name || r.name.test(s.name)) && (!r.source || r.source.test(s.source))),
    evidence: r.source ? sourceLine(r.source) : undefined,
  };
}

/**
 * Which indicators of which patterns fire in a file (two or more), with the participants: the
 * symbols that matched an indicator, in line order, each with the indicators it matched.
 */
export function patternIndicators(file: FileRecord): { pattern: PatternName; indicators: string[]; participants: PatternParticipant[]; evidence: PatternEvidence[] }[] {
  try {
    return indicatorsIn(file);
  } finally {
    codeCache = new WeakMap();
  }
}

function indicatorsIn(file: FileRecord): { pattern: PatternName; indicators: string[]; participants: PatternParticipant[]; evidence: PatternEvidence[] }[] {
  const fns = file.symbols.filter((s) => s.kind !== 'class');
  const classes = file.symbols.filter((s) => s.kind === 'class');
  for (const sym of file.symbols) symbolLanguage.set(sym, file.language);
  const ctx: FileContext = { all: file.symbols };
  const out: { pattern: PatternName; indicators: string[]; participants: PatternParticipant[]; evidence: PatternEvidence[] }[] = [];
  const own = languageById(file.language)?.patterns ?? [];
  for (const [pattern, builtin] of Object.entries(PATTERN_INDICATORS) as [PatternName, Indicator[]][]) {
    const inds = [...builtin, ...own.filter((r) => r.pattern === pattern).map(languageIndicator)];
    const hits = inds.map((i) => ({ label: i.label, ind: i, syms: i.match(file, fns, classes, ctx) })).filter((h) => h.syms.length > 0);
    if (hits.length < 2) continue;
    // one function showing two indicators (`create_x` that returns `X(…)`) is one function, not a
    // pattern among several pieces of code; a class may show a pattern alone (a singleton)
    const shown = new Set(hits.flatMap((h) => h.syms));
    if (shown.size === 1 && [...shown][0].kind !== 'class') continue;
    // an observer needs its structure, not only its names
    if (pattern === 'observer') {
      const o = observerStructure(ctx);
      if (!o) continue;
      for (const part of [o.list, o.subscribe, o.notify]) codeCtx.set(part.sym, o);
    }
    const by = new Map<CodeSymbol, string[]>();
    for (const h of hits) for (const sym of h.syms) by.set(sym, [...(by.get(sym) ?? []), h.label]);
    const participants = [...by]
      .sort((a, b) => a[0].startLine - b[0].startLine)
      .map(([sym, labels]) => ({ name: sym.displayName, kind: sym.kind, line: sym.startLine, endLine: sym.endLine, indicators: [...new Set(labels)] }));
    // up to four quoted lines per indicator: the reader sees what matched, not only its name
    const evidence = hits.flatMap((h) => h.syms.slice(0, 4).map((sym) => evidenceOf(h.ind, sym)));
    out.push({ pattern, indicators: hits.map((h) => h.label), participants, evidence });
  }
  return out;
}

/** `patternIndicators` per file record: a record is immutable and the warm index keeps it while its file is unchanged. */
const indicatorsByFile = new WeakMap<FileRecord, ReturnType<typeof patternIndicators>>();

/** The pattern indicators of `file`, computed once per record (they read every symbol's source). */
function indicatorsOf(file: FileRecord): ReturnType<typeof patternIndicators> {
  let found = indicatorsByFile.get(file);
  if (!found) {
    found = patternIndicators(file);
    indicatorsByFile.set(file, found);
  }
  return found;
}

export const finder: TargetFinder = {
  docType: 'pattern_analysis',
  find(input: FinderInput): Target[] {
    const targets: Target[] = [];
    for (const file of input.index.files) {
      if (file.symbols.length === 0) continue;
      for (const { pattern, indicators, participants, evidence } of indicatorsOf(file)) {
        targets.push(
          fileTarget('pattern_analysis', input, file, {
            displayName: `${fileStem(file.path)} (${pattern})`,
            codeHash: sha256(`pattern_analysis:${pattern}:${file.hash}`),
            score: indicators.length * 100 + Math.min(file.nloc, 99),
            context: { pattern, indicators, participants, evidence },
          }),
        );
      }
    }
    return targets.sort((a, b) => b.score - a.score);
  },
};
