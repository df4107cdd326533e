/**
 * pattern_analysis: files where at least two indicators of one design pattern appear
 * (SPEC section 4: singleton, factory, observer, decorator, strategy, middleware, repository).
 * One target per (file, pattern), ranked by the number of indicators, then file size.
 * Indicators read the index only: symbol names, kinds, bases, decorators, calls and sources.
 */
import { sha256 } from '../../core/hash.ts';
import type { CodeSymbol, FileRecord } from '../../index/types.ts';
import type { FinderInput, Target, TargetFinder } from '../types.ts';
import { fileStem, fileTarget } from '../common.ts';

export type PatternName = 'singleton' | 'factory' | 'observer' | 'decorator' | 'strategy' | 'middleware' | 'repository';

interface Indicator {
  label: string;
  test(file: FileRecord, fns: CodeSymbol[], classes: CodeSymbol[], ctx: FileContext): boolean;
}

/** Per-file views computed once for all indicators. */
interface FileContext {
  /** The outermost symbols, whose sources cover the file's code once (for text searches). */
  top: CodeSymbol[];
  /** Distinct names of every call in the file. */
  callNames: string[];
}

const names = (syms: CodeSymbol[]) => syms.map((s) => s.name);
const anyName = (syms: CodeSymbol[], re: RegExp) => syms.some((s) => re.test(s.name));
const anySource = (ctx: FileContext, re: RegExp) => ctx.top.some((s) => re.test(s.source));
const anyCall = (ctx: FileContext, re: RegExp) => ctx.callNames.some((n) => re.test(n));

/** Indicator table; each pattern needs two or more to fire in one file. */
export const PATTERN_INDICATORS: Record<PatternName, Indicator[]> = {
  singleton: [
    { label: 'a class-level `_instance` slot', test: (_f, _fn, _cl, ctx) => anySource(ctx, /\b_?_?instance\s*[:=]\s*(None|null|undefined)\b|static\s+(#|_)?instance\b/) },
    { label: 'an instance accessor (`get_instance` / `getInstance` / `instance()`)', test: (_f, fns) => anyName(fns, /^(get_?instance|getInstance|instance|shared|default_instance)$/i) },
    { label: '`__new__` overridden', test: (_f, fns) => names(fns).includes('__new__') },
    { label: 'a cached module-level accessor (`lru_cache`/`cache` on a getter)', test: (_f, fns) => fns.some((s) => /^get_/.test(s.name) && s.decorators.some((d) => /\b(lru_)?cache\b/.test(d))) },
  ],
  factory: [
    { label: 'functions named `create_*` / `make_*` / `build_*` / `new*`', test: (_f, fns) => fns.filter((s) => /^(create|make|build|new)[_A-Z]/.test(s.name)).length >= 1 },
    { label: 'a class named `*Factory`', test: (_f, _fn, cl) => anyName(cl, /Factory$/) },
    { label: 'construction chosen from a mapping or switch on a kind', test: (_f, _fn, _cl, ctx) => anySource(ctx, /\b(registry|_registry|factories|constructors|creators)\s*\[|switch\s*\(\s*(kind|type)\b/) },
    { label: 'classmethod alternative constructors (`from_*`)', test: (_f, fns) => fns.some((s) => /^from_/.test(s.name) && s.decorators.includes('classmethod')) },
  ],
  observer: [
    { label: 'subscription methods (`subscribe` / `add_listener` / `on` / `register`)', test: (_f, fns) => anyName(fns, /^(subscribe|add_?listener|addEventListener|on|register_?(callback|handler|observer)|attach)$/i) },
    { label: 'notification methods (`notify` / `emit` / `publish` / `dispatch`)', test: (_f, fns) => anyName(fns, /^(notify(_all)?|notifyAll|emit|publish|dispatch|fire|trigger)$/i) },
    { label: 'a collection of observers / listeners / subscribers', test: (_f, _fn, _cl, ctx) => anySource(ctx, /\b_?(observers|listeners|subscribers|handlers|callbacks)\b/) },
    { label: 'unsubscription (`unsubscribe` / `remove_listener` / `off`)', test: (_f, fns) => anyName(fns, /^(unsubscribe|remove_?listener|removeEventListener|off|detach)$/i) },
  ],
  decorator: [
    { label: 'a function returning an inner wrapper', test: (_f, fns) => fns.some((s) => s.parent !== null && /^(wrapper|wrapped|inner|_wrapper|decorated)$/.test(s.name)) },
    { label: '`functools.wraps` applied', test: (_f, fns) => fns.some((s) => s.decorators.some((d) => /^(functools\.)?wraps\(/.test(d))) },
    { label: 'decorators defined here used on functions of the file', test: (_f, fns) => {
      const local = new Set(fns.filter((s) => s.parent === null).map((s) => s.name));
      return fns.some((s) => s.decorators.some((d) => local.has(d.split('(')[0])));
    } },
    { label: 'a wrapper class delegating to a wrapped object', test: (_f, _fn, _cl, ctx) => anySource(ctx, /self\._?(wrapped|inner|component|delegate)\b|this\.(wrapped|inner|component|delegate)\b/) },
  ],
  strategy: [
    { label: 'an abstract base or interface with one operation', test: (_f, fns, cl) => cl.some((c) => (c.bases ?? []).some((b) => /^(ABC|Protocol|abc\.ABC)$/.test(b))) || fns.some((s) => s.decorators.includes('abstractmethod')) },
    { label: 'several classes implementing the same base', test: (_f, _fn, cl) => {
      const counts = new Map<string, number>();
      for (const c of cl) for (const b of c.bases ?? []) counts.set(b, (counts.get(b) ?? 0) + 1);
      return [...counts.values()].some((n) => n >= 2);
    } },
    { label: 'a `*Strategy` / `*Policy` name', test: (_f, _fn, cl) => anyName(cl, /(Strategy|Policy)$/) },
    { label: 'behaviour chosen by injecting a callable or object', test: (_f, fns) => fns.some((s) => s.params.some((p) => /^(strategy|policy|algorithm|handler|comparator|key_func|keyfunc)$/i.test(p))) },
  ],
  middleware: [
    { label: 'handlers taking a `next` / `call_next` continuation', test: (_f, fns) => fns.some((s) => s.params.some((p) => /^(next|call_next|nextHandler|get_response)$/.test(p))) },
    { label: 'a `*Middleware` name', test: (_f, fns, cl) => anyName([...cl, ...fns], /middleware/i) },
    { label: 'registration through `use(…)` / `add_middleware(…)`', test: (_f, _fn, _cl, ctx) => anyCall(ctx, /^(use|add_middleware|middleware)$/) },
    { label: 'the continuation invoked inside the handler', test: (_f, _fn, _cl, ctx) => anyCall(ctx, /^(next|call_next|get_response)$/) },
  ],
  repository: [
    { label: 'a `*Repository` / `*Store` / `*DAO` class', test: (_f, _fn, cl) => anyName(cl, /(Repository|Repo|Store|DAO|Dao)$/) },
    { label: 'lookup methods (`get_by_*` / `find_*` / `findBy*`)', test: (_f, fns) => anyName(fns, /^(get_by_|find_|findBy|findAll|find_all|get_all|list_)/) },
    { label: 'persistence methods (`save` / `add` / `delete` / `update`)', test: (_f, fns) => fns.filter((s) => s.kind === 'method' && /^(save|add|insert|delete|remove|update|upsert|persist)(_|$|[A-Z])/.test(s.name)).length >= 2 },
    { label: 'database access in methods (`execute` / `query` / `session`)', test: (_f, _fn, _cl, ctx) => anyCall(ctx, /^(execute|executemany|query|prepare|commit|fetchone|fetchall)$/) },
  ],
};

/** Which indicators of which patterns fire in a file. */
export function patternIndicators(file: FileRecord): { pattern: PatternName; indicators: string[] }[] {
  const fns = file.symbols.filter((s) => s.kind !== 'class');
  const classes = file.symbols.filter((s) => s.kind === 'class');
  // Methods and nested functions lie inside these, so each line of code is searched once.
  const ctx: FileContext = {
    top: file.symbols.filter((s) => s.parent === null && s.className === null),
    callNames: [...new Set(fns.flatMap((s) => s.calls.map((c) => c.name)))],
  };
  const out: { pattern: PatternName; indicators: string[] }[] = [];
  for (const [pattern, inds] of Object.entries(PATTERN_INDICATORS) as [PatternName, Indicator[]][]) {
    const hits = inds.filter((i) => i.test(file, fns, classes, ctx)).map((i) => i.label);
    if (hits.length >= 2) out.push({ pattern, indicators: hits });
  }
  return out;
}

export const finder: TargetFinder = {
  docType: 'pattern_analysis',
  find(input: FinderInput): Target[] {
    const targets: Target[] = [];
    for (const file of input.index.files) {
      if (file.symbols.length === 0) continue;
      for (const { pattern, indicators } of patternIndicators(file)) {
        targets.push(
          fileTarget('pattern_analysis', input, file, {
            displayName: `${fileStem(file.path)} (${pattern})`,
            codeHash: sha256(`pattern_analysis:${pattern}:${file.hash}`),
            score: indicators.length * 100 + Math.min(file.nloc, 99),
            context: { pattern, indicators },
          }),
        );
      }
    }
    return targets.sort((a, b) => b.score - a.score);
  },
};
