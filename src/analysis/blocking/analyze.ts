/**
 * The blocking-in-async graph pass: pure, over `FileRecord.facts.blocking` of every file of an
 * index. It finds
 * - **direct** findings: a blocking operation lexically inside an async function (or a Rust
 *   async block), not awaited and not inside a closure handed to an offload wrapper;
 * - **indirect** findings: a blocking operation inside a synchronous function that an async
 *   function reaches through calls the index resolves (`self.method` / `this.method` within the
 *   class and its repository bases, same-module functions, nested functions, functions and
 *   classes imported from other files of the repository). Awaited calls and functions passed by
 *   reference to `asyncio.to_thread` & co. do not propagate; async callees are entries of their own.
 *
 * Deduplication: each blocking line is reported once (several blocking calls on one line: the
 * most severe, then the shortest callee text). An indirect line carries the shortest call
 * chain from an async function of runtime code, else from one in test code (breadth-first from
 * all runtime async functions in file / line order, so ties go to the first in that order, then
 * from the test ones); `details[i].reachedFrom` counts the async functions that reach it.
 *
 * Severity (rule table → final): start from the rule's base severity (sleep, subprocess, network,
 * input and network databases `high`; file I/O, local databases, waits and CPU-bound work
 * `medium`; directory walks / mutations, JS/Rust metadata calls and semaphore entry `low`); raise one level when the path is
 * hot — the blocking call or a call of its chain sits in a loop, or the async entry is a request /
 * event handler (route decorator, `handle_*` / `on_*` name, a callback given to `app.get(...)`)
 * or is awaited, directly or through other coroutines, by a handler or inside a loop;
 * lower one level for indirect chains of 4 or more functions (the deeper, the likelier a rare
 * path); a rule's `cap` bounds it (logging file handlers stay `low`); test code (test files and
 * directories, Rust `tests` modules) is `low`. JS worker-thread entry files report nothing.
 */
import type { FileRecord, RepoIndex } from '../../index/types.ts';
import { LANGUAGES } from '../../languages/registry.ts';
import { rulesOf, RuleMatcher, type BlockingRule, type RuleFamily } from './rules.ts';
import { blockingFamily } from '../../languages/lookup.ts';
import { familyOf } from './collector.ts';
import { RepoResolver, type FunctionMeta, type ResolvableFacts, type Resolution, type ResolvableFile } from './resolve.ts';
import { own } from './collect-common.ts';
import {
  BLOCKING_FACTS_VERSION,
  type BlockingFileFacts,
  type BlockingFinding,
  type BlockingReport,
  type CallFact,
  type ComponentStats,
  type FindingDetail,
  type Ref,
  type Frequency,
  type Severity,
} from './types.ts';

export interface AnalyzeOptions {
  /** Only report findings at or above this severity (default: all). */
  minSeverity?: Severity;
}

interface Op {
  call: CallFact;
  rule: BlockingRule;
  api: string;
}

interface Edge {
  to: number;
  line: number;
  loop: boolean;
  /** The call as written (`self.state.get_stats`), for the offload hint. */
  callee?: string;
}

const LEVELS: Severity[] = ['low', 'medium', 'high'];
/** A call that sleeps: in a loop, it paces the loop (a periodic check, not a hot loop). */
const SLEEP_CALL = /(?:^|\.)(?:sleep|setTimeout)$/;
/** Functions that run once when a program starts (an entry point by name, a constructor, a start-up hook). */
const STARTUP_NAME = /^(?:main|_?async_main|_?async_run|_?run_forever|setup|set_up|bootstrap|initialize|init_app|create_app|lifespan|on_startup|startup|_?start_up|__init__|constructor)$/;
const MAX_VISITS_PER_ENTRY = 20_000;
const TEST_PATH = /(^|\/)(tests?|__tests__|testing|spec)\/|(^|\/)(test_[^/]*|[^/]*_tests?|conftest)\.py$|\.(test|spec)\.[cm]?[jt]sx?$|_test\.rs$/;

/** A finding in test code: its file or any file of its call chain is a test file or directory. */
export function isTestFinding(f: Pick<BlockingFinding, 'file'>, d: Pick<FindingDetail, 'chainFiles'> | undefined): boolean {
  return isTestPath(f.file) || (d?.chainFiles.some(isTestPath) ?? false);
}
/** The test-path rules languages bring (`BlockingSupport.testPath`). */
let extraTestPaths: RegExp[] | null = null;
const MATCHERS = new Map<RuleFamily, RuleMatcher>();

/** The compiled rules of a family (built once per family). */
function matcherOf(family: RuleFamily): RuleMatcher {
  let m = MATCHERS.get(family);
  if (!m) MATCHERS.set(family, (m = new RuleMatcher(rulesOf(family))));
  return m;
}

/** Whether a path is test code by the common rule or a language's own (`BlockingSupport.testPath`). */
function isTestPath(path: string): boolean {
  extraTestPaths ??= LANGUAGES.flatMap((l) => (l.facts.blocking?.testPath ? [l.facts.blocking.testPath] : []));
  return TEST_PATH.test(path) || extraTestPaths.some((re) => re.test(path));
}

/** Whether a facts value is usable blocking facts of the current version. */
export function isBlockingFacts(v: unknown): v is BlockingFileFacts {
  return !!v && typeof v === 'object' && (v as BlockingFileFacts).v === BLOCKING_FACTS_VERSION && Array.isArray((v as BlockingFileFacts).functions);
}

/**
 * Analyse a repository index for blocking calls in async code.
 * @param index a `RepoIndex` whose files carry `facts.blocking` (from the `blocking` collector)
 * @returns the report: counts, findings sorted by severity then location, per-directory adoption
 */
export function analyzeBlocking(index: RepoIndex, opts: AnalyzeOptions = {}): BlockingReport {
  const files: ResolvableFile[] = [];
  const records: FileRecord[] = [];
  const prepared: PreparedFile[] = [];
  let withoutFacts = 0;
  let total = 0;
  // strings shared by the files prepared in this run (each file's facts are parsed apart)
  const intern = new Map<string, string>();
  for (const rec of index.files) {
    const family = familyOf(rec.language);
    if (!family) continue;
    const p = preparedOf(rec, intern);
    if (!p) {
      withoutFacts++;
      continue;
    }
    files.push({ path: rec.path, family, facts: p.meta, base: total });
    records.push(rec);
    prepared.push(p);
    total += p.meta.functions.length;
  }
  const resolver = new RepoResolver(files);

  // global function tables
  const fileOf = new Int32Array(total);
  const localOf = new Int32Array(total);
  const isAsync = new Uint8Array(total);
  const names: string[] = new Array(total);
  files.forEach((f, fi) => {
    const p = prepared[fi];
    f.facts.functions.forEach((fn, i) => {
      const g = f.base + i;
      fileOf[g] = fi;
      localOf[g] = i;
      // entry points: async functions and the sync callbacks the event loop runs (`ev`)
      isAsync[g] = fn.async || fn.ev ? 1 : 0;
      names[g] = p.names[i];
    });
  });

  // ops and edges per function
  const ops: Op[][] = new Array(total);
  const edges: Edge[][] = new Array(total);
  // awaited calls between async functions: only for hotness (a coroutine awaited by a handler or in a loop is hot)
  const awaitEdges: Edge[][] = new Array(total);
  const paced = new Uint8Array(total);
  const awaits = new Uint8Array(total);
  for (let fi = 0; fi < files.length; fi++) {
    const f = files[fi];
    const p = prepared[fi];
    const { rows, callStart, targets, strings } = p;
    // each distinct reference of the file resolved once per run (the resolver is pure over this index)
    const resolved: Resolution[] = new Array(targets.length);
    const done = new Uint8Array(targets.length);
    const resolveTarget = (t: number): Resolution => {
      if (!done[t]) {
        done[t] = 1;
        resolved[t] = resolver.resolve(fi, targets[t]);
      }
      return resolved[t];
    };
    for (let i = 0; i < f.facts.functions.length; i++) {
      const g = f.base + i;
      const fn = f.facts.functions[i];
      const myOps: Op[] = [];
      const myEdges: Edge[] = [];
      const myAwaits: Edge[] = [];
      for (let r = callStart[i] * CALL_STRIDE, end = callStart[i + 1] * CALL_STRIDE; r < end; r += CALL_STRIDE) {
        const flags = rows[r + 5];
        // a loop that sleeps between iterations is a periodic check, not a hot loop
        if (flags & LP && SLEEP_CALL.test(strings[rows[r + 2]])) paced[g] = 1;
        if (flags & AW) awaits[g] = 1;
        if (flags & OFF) continue;
        const t = rows[r];
        const line = rows[r + 3];
        if (flags & AW) {
          if (fn.async && t >= 0) {
            const res = resolveTarget(t);
            if (res && 'fn' in res && res.fn >= 0 && res.fn < total && res.fn !== g) myAwaits.push({ to: res.fn, line, loop: !!(flags & LP) });
          }
          continue;
        }
        const m = rows[r + 1];
        const res = (t >= 0 ? resolveTarget(t) : null) ?? (m >= 0 ? { api: own(rulesOf(f.family).anyMethod, strings[m]) ?? '' } : null);
        if (!res) continue;
        if ('fn' in res) {
          // a plain attribute read leads somewhere only through a property getter
          if (flags & PA && !(res.fn >= 0 && res.fn < total && files[fileOf[res.fn]].facts.functions[localOf[res.fn]].prop)) continue;
          if (res.fn !== g && res.fn >= 0 && res.fn < total) myEdges.push({ to: res.fn, line, loop: !!(flags & LP), callee: strings[rows[r + 2]] });
          continue;
        }
        const api = 'api' in res ? res.api : null;
        // an attribute read of an external type is a call only for the I/O properties the rules list (`git.Repo#active_branch`)
        if (flags & PA && !(api && own(rulesOf(f.family).properties, api))) continue;
        if (!api || f.facts.worker) continue;
        const rule = matcherOf(f.family).match(api);
        if (!rule) continue;
        if (rule.syncWithoutCallback && flags & CB) continue;
        const ref = t >= 0 ? targets[t] : undefined;
        if (rule.via && !(ref?.k === 'inst' && ref.via) && ref?.k !== 'sattr' && !('api' in res && res.via)) continue;
        if (f.facts.nonBlockingSockets && api.startsWith('socket.socket#')) continue;
        const call = callFact(p, r);
        // one operation per line: the most severe, then the shortest callee text
        const same = myOps.findIndex((o) => o.call.l === call.l);
        if (same < 0) myOps.push({ call, rule, api });
        else if (better(rule, call, myOps[same])) myOps[same] = { call, rule, api };
      }
      ops[g] = myOps;
      edges[g] = myEdges;
      awaitEdges[g] = myAwaits;
    }
  }

  // hot async functions: handlers, and what they (or any async function in a loop) await, transitively
  const hotAsync = new Uint8Array(total);
  const hotQueue: number[] = [];
  for (let g = 0; g < total; g++) if (isAsync[g] && files[fileOf[g]].facts.functions[localOf[g]].handler) { hotAsync[g] = 1; hotQueue.push(g); }
  for (let g = 0; g < total; g++) for (const e of awaitEdges[g]) if (e.loop && isAsync[e.to] && !hotAsync[e.to]) { hotAsync[e.to] = 1; hotQueue.push(e.to); }
  while (hotQueue.length) {
    const g = hotQueue.pop()!;
    for (const e of awaitEdges[g]) if (isAsync[e.to] && !hotAsync[e.to]) { hotAsync[e.to] = 1; hotQueue.push(e.to); }
  }

  // start-up code: entry points, start-up names, and functions only they call outside loops
  const callersOf: { from: number; loop: boolean }[][] = Array.from({ length: total }, () => []);
  for (let g = 0; g < total; g++) for (const e of [...edges[g], ...awaitEdges[g]]) callersOf[e.to].push({ from: g, loop: e.loop });
  const eps = index.entryPoints ?? [];
  const epKeys = new Set(eps.flatMap((e) => (e.file && e.func ? [`${e.file}:${e.func.split('.').pop()}`] : [])));
  const startupMemo = new Int8Array(total).fill(-1);
  const startupOnly = (g: number, depth = 0): boolean => {
    if (startupMemo[g] >= 0) return startupMemo[g] === 1;
    const fn = files[fileOf[g]].facts.functions[localOf[g]];
    let yes = epKeys.has(`${files[fileOf[g]].path}:${fn.name}`) || STARTUP_NAME.test(fn.name);
    if (!yes && !fn.handler && depth < 12) {
      startupMemo[g] = 0; // a cycle of calls is not start-up
      const cs = callersOf[g];
      yes = cs.length > 0 && cs.every((c) => !c.loop && c.from !== g && startupOnly(c.from, depth + 1));
    }
    startupMemo[g] = yes ? 1 : 0;
    return yes;
  };
  /**
   * How often the op runs (see `Frequency`): per request for a handler; else the loop nearest the
   * op (its own loop, then the chain's innermost looped call: a file read in a loop over files,
   * called once per repository, runs per file); else start-up, hot caller or per call. `guards`
   * lists every call line of the chain and the op's line: the `if`s around any of them narrow it.
   */
  const frequencyOf = (g: number, op: Op, chainIds: number[], chainLines: number[], chainLoops: boolean[]): Frequency => {
    // the call lines from chain link `from` on, each with the file of its function, then the op
    const guards = (from: number): { file: string; line: number }[] => [...chainLines.slice(from).map((l, i) => ({ file: files[fileOf[chainIds[from + i]]].path, line: l })), { file: files[fileOf[g]].path, line: op.call.l }];
    const at = (c: number, line: number, kind: Frequency['kind'], extra: Partial<Frequency> = {}): Frequency => ({ kind, fn: names[c], file: files[fileOf[c]].path, line, ...extra });
    const entry = chainIds[0];
    if (files[fileOf[entry]].facts.functions[localOf[entry]].handler) return at(entry, files[fileOf[entry]].facts.functions[localOf[entry]].line, 'request', { guards: guards(0) });
    const inner = chainLoops.lastIndexOf(true);
    if (inner >= 0 && op.call.lp) return at(g, op.call.l, paced[g] ? 'cycle' : 'loop', { guards: guards(0) });
    if (inner >= 0) return at(chainIds[inner], chainLines[inner], paced[chainIds[inner]] ? 'cycle' : 'loop', { guards: guards(0) });
    // start-up only when no other async function (a cycle, a handler) reaches the line too
    const early = startupOnly(entry);
    if (early && !(chainIds.length > 1 && notStartupReach[g])) return at(entry, files[fileOf[entry]].facts.functions[localOf[entry]].line, 'startup', op.call.lp ? { ownLoop: true } : {});
    if (op.call.lp) return at(g, op.call.l, paced[g] ? 'cycle' : 'loop', { guards: guards(0) });
    if (hotAsync[entry]) return at(entry, files[fileOf[entry]].facts.functions[localOf[entry]].line, 'hot-caller', { guards: guards(0) });
    return at(entry, files[fileOf[entry]].facts.functions[localOf[entry]].line, 'call', { guards: guards(0), ...(early ? { alsoLater: true } : {}) });
  };

  /** Functions with blocking ops that an async function other than start-up code reaches (set below). */
  const notStartupReach = new Uint8Array(total);
  const findings: { f: BlockingFinding; d: FindingDetail; rank: number }[] = [];
  const seenLines = new Set<string>();
  const min = LEVELS.indexOf(opts.minSeverity ?? 'low');
  const emit = (g: number, op: Op, kind: 'direct' | 'indirect', chainIds: number[], chainLines: number[], chainLoops: boolean[], reachedFrom: number, entryCall?: string) => {
    const fi = fileOf[g];
    const f = files[fi];
    const key = `${fi}:${op.call.l}`;
    if (seenLines.has(key)) return;
    seenLines.add(key);
    const entry = chainIds[0];
    const frequency = frequencyOf(g, op, chainIds, chainLines, chainLoops);
    // hot only with evidence: a request handler, a loop that does not sleep, a coroutine awaited by one
    const hot = frequency.kind === 'request' || frequency.kind === 'loop' || frequency.kind === 'hot-caller';
    let sev = LEVELS.indexOf(op.rule.severity);
    if (hot) sev = Math.min(2, sev + 1);
    // once at start-up: the stall happens before the program serves anything
    if (frequency.kind === 'startup') sev = Math.max(0, sev - 1);
    if (kind === 'indirect' && chainIds.length >= 4) sev = Math.max(0, sev - 1);
    if (op.rule.cap) sev = Math.min(sev, LEVELS.indexOf(op.rule.cap));
    const chainFiles = chainIds.map((c) => files[fileOf[c]].path);
    if (chainFiles.some(isTestPath) || chainIds.some((c) => /(^|\.)tests?\./.test(names[c]))) sev = 0;
    if (sev < min) return;
    const severity = LEVELS[sev];
    const chain = chainIds.map((c) => names[c]);
    findings.push({
      rank: sev,
      f: {
        file: f.path,
        line: op.call.l,
        end_line: Math.max(op.call.e, op.call.l),
        function: names[g],
        kind,
        category: op.rule.category,
        call: op.call.c,
        chain,
        severity,
        recommendation: defInsteadOfAsync(g, kind) + recommendation(op.rule, op.api, f.family, kind, chain, entryCall),
      },
      d: { api: op.api, language: records[fi].language, chainFiles, chainLines, hot, reachedFrom, entry: entryKind(entry, op), frequency },
    });
  };

  /**
   * The cheapest fix of a FastAPI endpoint that awaits nothing: declare it `def`, and FastAPI
   * runs it in its thread pool (its docs, "async def or def"); '' for anything else.
   */
  const defInsteadOfAsync = (g: number, kind: 'direct' | 'indirect'): string => {
    const fn = files[fileOf[g]].facts.functions[localOf[g]];
    if (kind !== 'direct' || files[fileOf[g]].family !== 'python' || !fn.async || !fn.handler || awaits[g]) return '';
    if (!records[fileOf[g]].imports.some((i) => /^fastapi(?:\.|$)/.test(i.module))) return '';
    return `Cheapest fix: declare \`${fn.name}\` with \`def\` instead of \`async def\` (it awaits nothing): FastAPI runs \`def\` endpoints in its thread pool, off the event loop. Otherwise: `;
  };

  /** What runs the chain's first function: an `async` function, a sync callback of the event loop, an async block. */
  const entryKind = (entry: number, op: Op): FindingDetail['entry'] => {
    const fn = files[fileOf[entry]].facts.functions[localOf[entry]];
    return fn.async ? 'async' : fn.ev ? 'callback' : op.call.ax ? 'async-block' : 'async';
  };

  // direct: async functions (and async blocks of sync functions)
  for (let g = 0; g < total; g++) {
    for (const op of ops[g]) if (isAsync[g] || op.call.ax) emit(g, op, 'direct', [g], [], [], 1);
  }

  // reachability of blocking code through sync functions: tainted = reaches an op
  const tainted = new Uint8Array(total);
  const callers: number[][] = Array.from({ length: total }, () => []);
  for (let g = 0; g < total; g++) for (const e of edges[g]) if (!isAsync[e.to]) callers[e.to].push(g);
  const stack: number[] = [];
  for (let g = 0; g < total; g++) if (!isAsync[g] && ops[g].length) { tainted[g] = 1; stack.push(g); }
  while (stack.length) {
    const g = stack.pop()!;
    for (const c of callers[g]) if (!isAsync[c] && !tainted[c]) { tainted[c] = 1; stack.push(c); }
  }

  // shortest chains: breadth-first from all async functions at once
  const parent = new Int32Array(total).fill(-2);
  const parentLine = new Int32Array(total);
  const parentCallee: (string | undefined)[] = new Array(total);
  const parentLoop = new Uint8Array(total);
  const queue: number[] = [];
  // Entries in runtime code first, test entries only for what runtime code does not reach: a
  // helper a test fixture calls directly would otherwise carry the fixture's short chain, and
  // read as test-only (low, in the test section) while the application reaches it too.
  const testEntry = (g: number) => isTestPath(files[fileOf[g]].path) || /(^|\.)tests?\./.test(names[g]);
  const deferred: number[] = [];
  for (let g = 0; g < total; g++) {
    if (!isAsync[g]) continue;
    parent[g] = -1;
    (testEntry(g) ? deferred : queue).push(g);
  }
  for (let qi = 0; qi < queue.length || deferred.length; qi++) {
    if (qi === queue.length) queue.push(...deferred.splice(0));
    const g = queue[qi];
    for (const e of edges[g]) {
      if (isAsync[e.to] || !tainted[e.to] || parent[e.to] !== -2) continue;
      parent[e.to] = g;
      parentLine[e.to] = e.line;
      parentCallee[e.to] = e.callee;
      parentLoop[e.to] = e.loop ? 1 : 0;
      queue.push(e.to);
    }
  }

  // per async entry: which tainted sync functions it reaches (for counts and adoption)
  const reached = new Uint16Array(total);
  const entryHasFinding = new Uint8Array(total);
  const stamp = new Int32Array(total).fill(-1);
  for (let a = 0; a < total; a++) {
    if (!isAsync[a]) continue;
    if (ops[a].length) entryHasFinding[a] = 1;
    const fromStartup = startupOnly(a);
    const todo = [a];
    stamp[a] = a;
    // bounded per entry, so a huge sync call graph stays linear-ish (counts are then lower bounds)
    for (let visits = 0; todo.length && visits < MAX_VISITS_PER_ENTRY; visits++) {
      const g = todo.pop()!;
      for (const e of edges[g]) {
        if (isAsync[e.to] || !tainted[e.to] || stamp[e.to] === a) continue;
        stamp[e.to] = a;
        if (ops[e.to].length) { entryHasFinding[a] = 1; if (reached[e.to] < 99) reached[e.to]++; if (!fromStartup) notStartupReach[e.to] = 1; }
        todo.push(e.to);
      }
    }
  }

  for (let g = 0; g < total; g++) {
    if (isAsync[g] || parent[g] === -2 || !ops[g].length) continue;
    const chainIds: number[] = [];
    const chainLines: number[] = [];
    const chainLoops: boolean[] = [];
    for (let c = g; c !== -1; c = parent[c]) {
      chainIds.push(c);
      if (parent[c] !== -1) {
        chainLines.push(parentLine[c]);
        chainLoops.push(parentLoop[c] === 1);
      }
    }
    chainIds.reverse();
    chainLines.reverse();
    chainLoops.reverse();
    for (const op of ops[g]) emit(g, op, 'indirect', chainIds, chainLines, chainLoops, reached[g] || 1, parentCallee[chainIds[1]]);
  }

  // at one severity: what a request or event runs first, then the cycle's work, start-up last
  const tier = (x: { d: FindingDetail }) => (x.d.frequency?.kind === 'request' ? 0 : x.d.frequency?.kind === 'startup' ? 2 : 1);
  findings.sort((a, b) => b.rank - a.rank || tier(a) - tier(b) || cmp(a.f.file, b.f.file) || a.f.line - b.f.line);

  // adoption per component (directory of the async function)
  const comp = new Map<string, ComponentStats>();
  let asyncCount = 0;
  for (let g = 0; g < total; g++) {
    if (!isAsync[g]) continue;
    asyncCount++;
    const path = dirOf(files[fileOf[g]].path);
    const c = comp.get(path) ?? { path, async_functions: 0, with_findings: 0, adoption_pct: 100 };
    c.async_functions++;
    if (entryHasFinding[g]) c.with_findings++;
    comp.set(path, c);
  }
  const components = [...comp.values()].sort((a, b) => cmp(a.path, b.path));
  for (const c of components) c.adoption_pct = Math.round((100 * (c.async_functions - c.with_findings)) / c.async_functions);

  return {
    root: index.root,
    files: files.length,
    async_functions: asyncCount,
    findings: findings.map((x) => x.f),
    details: findings.map((x) => x.d),
    components,
    filesWithoutFacts: withoutFacts,
    partialFiles: files.flatMap((f) => (f.facts.partial ? [{ file: f.path, ...f.facts.partial }] : [])),
  };
}

const OFFLOAD_HINT: Record<string, (fn: string, entry: string, call?: string) => string> = {
  python: (fn, entry, call) => `or call \`${fn}\` from \`${entry}\` as \`await asyncio.to_thread(${call && /^[\w.]+$/.test(call) ? call : shortName(fn)}, ...)\``,
  js: (fn, entry) => `and make \`${fn}\` async (await it from \`${entry}\`), or move it to a worker thread`,
  rust: (fn, entry) => `or call \`${fn}\` from \`${entry}\` inside \`tokio::task::spawn_blocking\``,
};

/**
 * The fix of a finding. For an indirect one, the offload hint names the first call of the
 * chain as the async function writes it (`self.state.get_stats`, not `self.get_stats`).
 */
function recommendation(rule: BlockingRule, api: string, family: RuleFamily, kind: 'direct' | 'indirect', chain: string[], entryCall?: string): string {
  const name = api.slice(Math.max(api.lastIndexOf('.'), api.lastIndexOf('#')) + 1).replace(/Sync$/, '');
  const rec = rule.rec.replace('{async}', name);
  const base = rec.charAt(0).toUpperCase() + rec.slice(1);
  if (kind === 'direct') return `${base}.`;
  const hint = blockingFamily(family)?.offloadHint ?? OFFLOAD_HINT[family] ?? OFFLOAD_HINT.js;
  return `${base}; ${hint(chain[1], chain[0], entryCall)}.`;
}

function shortName(display: string): string {
  const parts = display.split('.');
  // a constructor is offloaded by constructing in the thread: `to_thread(Conn, ...)`
  if (parts.length > 1 && (parts[parts.length - 1] === '__init__' || parts[parts.length - 1] === 'constructor')) return parts[parts.length - 2];
  return parts.length > 1 && /^[A-Z]/.test(parts[parts.length - 2]) ? `self.${parts[parts.length - 1]}` : parts[parts.length - 1];
}

/**
 * What the pass keeps of one file's blocking facts between runs, so a warm index is not unpacked
 * and parsed again on every run (that was two thirds of a warm run on the Python standard
 * library): the resolution part (`meta`, the facts without calls), the functions' display names,
 * and the calls in a compact form: `CALL_STRIDE` integers per call in `rows` (target index into
 * `targets`, method name and callee text as indexes into `strings` or -1, line, end line, flag
 * bits), function `i`'s calls being rows `callStart[i]` to `callStart[i + 1]`. A file's calls
 * repeat few distinct references (238,616 calls, 62,135 distinct per file on the standard
 * library), each kept once.
 */
interface PreparedFile {
  meta: ResolvableFacts;
  names: string[];
  callStart: Int32Array;
  rows: Int32Array;
  targets: Ref[];
  strings: string[];
  /** The blocking facts object it was built from, when the record holds it as a value (else null: not kept). */
  src: BlockingFileFacts | null;
}

const CALL_STRIDE = 6;
const AW = 1;
const OFF = 2;
const LP = 4;
const AX = 8;
const PA = 16;
const CB = 32;

/**
 * Prepared files by record. An entry holds while the record's blocking facts are the same object
 * (`src`), or when they are the store's lazy accessor (a packed index: each read unpacks a fresh
 * copy of facts that never change for that record, see `lazyFacts`; a changed or renamed file
 * gets a new record). Entries go with their records: weak keys.
 */
const PREPARED = new WeakMap<FileRecord, PreparedFile>();

/** A file's prepared facts, built on first use; null when it has no usable blocking facts. */
function preparedOf(rec: FileRecord, intern: Map<string, string>): PreparedFile | null {
  const facts = rec.facts as Record<string, unknown> | undefined;
  if (!facts) return null;
  const d = Object.getOwnPropertyDescriptor(facts, 'blocking');
  if (!d) return null;
  const hit = PREPARED.get(rec);
  if (hit && (d.get || hit.src === d.value)) return hit;
  const blocking: unknown = d.get ? facts.blocking : d.value;
  if (!isBlockingFacts(blocking)) return null;
  const p = prepare(rec, blocking, d.get ? null : blocking, intern);
  PREPARED.set(rec, p);
  return p;
}

function prepare(rec: FileRecord, facts: BlockingFileFacts, src: BlockingFileFacts | null, intern: Map<string, string>): PreparedFile {
  const targets: Ref[] = [];
  const targetIds = new Map<string, number>();
  const strings: string[] = [];
  const stringIds = new Map<string, number>();
  const str = (s: string): number => {
    let id = stringIds.get(s);
    if (id === undefined) stringIds.set(s, (id = strings.push(shared(s, intern)) - 1));
    return id;
  };
  let count = 0;
  for (const fn of facts.functions) count += fn.calls.length;
  const rows = new Int32Array(count * CALL_STRIDE);
  const callStart = new Int32Array(facts.functions.length + 1);
  let n = 0;
  facts.functions.forEach((fn, i) => {
    callStart[i] = n;
    for (const call of fn.calls) {
      let t = -1;
      if (call.t) {
        const k = JSON.stringify(call.t);
        const seen = targetIds.get(k);
        if (seen === undefined) targetIds.set(k, (t = targets.push(internDeep(call.t, intern)) - 1));
        else t = seen;
      }
      const r = n++ * CALL_STRIDE;
      rows[r] = t;
      rows[r + 1] = call.m ? str(call.m) : -1;
      rows[r + 2] = str(call.c);
      rows[r + 3] = call.l;
      rows[r + 4] = call.e;
      rows[r + 5] = (call.aw ? AW : 0) | (call.off ? OFF : 0) | (call.lp ? LP : 0) | (call.ax ? AX : 0) | (call.pa ? PA : 0) | (call.cb ? CB : 0);
    }
  });
  callStart[facts.functions.length] = n;
  const symbolNames = displayNamesByLine(rec);
  const names = facts.functions.map((fn) => {
    const sym = symbolNames.get(fn.line);
    return sym && (sym === fn.display || sym.endsWith(`.${fn.name}`) || sym === fn.name) ? sym : fn.display;
  });
  return { meta: metaOf(facts, intern), names: names.map((n) => shared(n, intern)), callStart, rows, targets, strings, src };
}

/** The call of row `r` as the collector wrote it (only for the few calls that become operations). */
function callFact(p: PreparedFile, r: number): CallFact {
  const { rows, targets, strings } = p;
  const flags = rows[r + 5];
  const call: CallFact = { c: strings[rows[r + 2]], l: rows[r + 3], e: rows[r + 4] };
  if (rows[r] >= 0) call.t = targets[rows[r]];
  if (rows[r + 1] >= 0) call.m = strings[rows[r + 1]];
  if (flags & AW) call.aw = 1;
  if (flags & OFF) call.off = 1;
  if (flags & LP) call.lp = 1;
  if (flags & AX) call.ax = 1;
  if (flags & PA) call.pa = 1;
  if (flags & CB) call.cb = 1;
  return call;
}

/** A file's blocking facts as resolution reads them: functions without calls or display names, strings shared. */
function metaOf(facts: BlockingFileFacts, intern: Map<string, string>): ResolvableFacts {
  const { functions, ...rest } = facts;
  const meta = internDeep(rest, intern) as ResolvableFacts;
  meta.functions = functions.map((fn) => {
    const m: FunctionMeta = { name: shared(fn.name, intern), line: fn.line, async: fn.async };
    if (fn.ev !== undefined) m.ev = fn.ev;
    if (fn.handler !== undefined) m.handler = fn.handler;
    if (fn.prop !== undefined) m.prop = fn.prop;
    if (fn.ret !== undefined) m.ret = internDeep(fn.ret, intern);
    return m;
  });
  return meta;
}

/** Strings longer than this are rarely repeated: not shared. */
const INTERN_MAX = 64;

function shared(s: string, intern: Map<string, string>): string {
  if (s.length > INTERN_MAX) return s;
  const seen = intern.get(s);
  if (seen !== undefined) return seen;
  intern.set(s, s);
  return s;
}

/** `v` with its string values (not keys) replaced by shared copies, in place (JSON values only). */
function internDeep<T>(v: T, intern: Map<string, string>): T {
  if (typeof v === 'string') return shared(v, intern) as T;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = internDeep(v[i], intern);
  } else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = internDeep(o[k], intern);
  }
  return v;
}

/** Display names the extractor reports, by start line (functions and methods). */
function displayNamesByLine(rec: FileRecord): Map<number, string> {
  const m = new Map<number, string>();
  for (const s of rec.symbols ?? []) if (s.kind !== 'class' && !m.has(s.startLine)) m.set(s.startLine, s.displayName);
  return m;
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '.' : p.slice(0, i);
}

function better(rule: BlockingRule, call: CallFact, than: Op): boolean {
  const d = LEVELS.indexOf(rule.severity) - LEVELS.indexOf(than.rule.severity);
  return d > 0 || (d === 0 && call.c.length < than.call.c.length);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
