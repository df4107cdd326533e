/**
 * The `performance` fact collector (issue 12): concrete performance findings of one file, each
 * with its line, read from the syntax tree in the index workers and stored in
 * `FileRecord.facts.performance`. Every rule looks at what runs inside a loop, where a cost is
 * paid once per item:
 *
 * - `perf-await-in-loop`: an `await` whose call uses the loop variable, so independent items
 *   are awaited one after the other (asyncio.gather / Promise.all run them together) — not in
 *   loops that are sequential by design (`sequentialLoop`): retry and backoff loops, loops that
 *   stop at the first success, paced loops that sleep, and awaits that read a value an earlier
 *   iteration assigned;
 * - `perf-nested-loop`: a loop nested in a loop over the same data (quadratic);
 * - `perf-io-in-loop`: opening files, HTTP requests and subprocesses inside a loop;
 * - `perf-query-in-loop`: a database query inside a loop that uses the loop variable (N+1 shape);
 * - `perf-regex-in-loop`: a regular expression compiled inside a loop;
 * - `perf-in-list`: `x in [a, b, c]` (or a list built in the function) tested inside a loop;
 * - `perf-string-concat`: a string grown with `+=` inside a loop.
 *
 * Blocking calls reached from async code are not collected here: the blocking analysis
 * (`src/analysis/blocking/`) finds them with their call chains.
 */
import type { Node } from 'web-tree-sitter';
import { queryFor } from '../languages/common.ts';
import { PYTHON_QUERIES } from '../languages/python/queries.ts';
import type { LanguageDescriptor } from '../languages/types.ts';
import { descriptorOf } from '../languages/lookup.ts';
import type { FactCollector } from './facts.ts';

export const PERFORMANCE_FACTS_VERSION = 3;

export interface PerfRule {
  title: string;
  severity: 'high' | 'medium' | 'low';
  why: string;
  fix: string;
}

export const PERF_RULES: Record<string, PerfRule> = {
  'perf-await-in-loop': { title: 'awaits in a loop over independent items', severity: 'high', why: 'each item waits for the previous one, so the loop takes the sum of all the waits', fix: 'start the calls together and await them at once (asyncio.gather / asyncio.TaskGroup, Promise.all), bounded with a semaphore if needed' },
  'perf-nested-loop': { title: 'nested loop over the same data', severity: 'medium', why: 'every item is compared with every item: the work grows with the square of the input', fix: 'index the items once (a dict or set keyed by what is compared) and look them up' },
  'perf-io-in-loop': { title: 'I/O inside a loop', severity: 'medium', why: 'a file open, request or process start per item pays its fixed cost every time', fix: 'open once outside the loop, batch the requests, or reuse one session / connection' },
  'perf-query-in-loop': { title: 'query per item (N+1)', severity: 'high', why: 'one database round trip per item: N items cost N+1 queries', fix: 'fetch all items in one query (WHERE id IN (...), a join, executemany or a bulk API)' },
  'perf-regex-in-loop': { title: 'regular expression compiled in a loop', severity: 'low', why: 'the pattern is compiled (or looked up in the cache) once per item', fix: 'compile the pattern once at module level or before the loop' },
  'perf-in-list': { title: 'membership test on a list in a loop', severity: 'low', why: '`in` on a list scans it item by item each time', fix: 'test membership in a set (or a frozenset constant) instead' },
  'perf-string-concat': { title: 'string built with += in a loop', severity: 'low', why: 'each += copies the string built so far, so the loop can take quadratic time', fix: "collect the parts in a list and join them once (''.join(parts), parts.join(''))" },
};

/** One finding: line, rule id, the code as written (collapsed, ≤ 100 chars). */
export interface PerfHit {
  l: number;
  r: string;
  c: string;
}

export interface PerformanceFileFacts {
  v: number;
  f: PerfHit[];
}

function collapse(text: string, max = 100): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

const line1 = (n: Node) => n.startPosition.row + 1;

const PY_IO = /^(?:open|io\.open|os\.open|(?:requests|httpx)\.(?:get|post|put|patch|delete|head|request)|urllib\.request\.urlopen|urlopen|subprocess\.(?:run|call|check_call|check_output|Popen)|os\.system|socket\.create_connection)$/;
const JS_IO = /^(?:fs\.(?:readFileSync|writeFileSync|readFile|writeFile|openSync|appendFileSync|existsSync|statSync)|fetch|axios\.(?:get|post|put|delete|request)|execSync|spawnSync|http\.request|https\.request)$/;
const QUERY = /(?:^|\.)(?:execute|executemany|query|queryRow|fetchone|fetchrow|fetchval|get_object_or_404|filter|get|first|one|findOne|findUnique|findFirst|findById|findByPk|all|run)$/;
const DB_RECEIVER = /\b(?:cur|cursor|conn|connection|db|session|objects|query|pool|client|prisma|knex|repo|repository|model|Model|stmt|statement)\b/i;
const PY_REGEX = /^(?:re\.(?:compile|match|search|fullmatch|findall|finditer|sub|subn|split))$/;

/** Names bound by a for-loop target (`for k, v in ...` → k, v). */
function loopNames(target: Node | null): string[] {
  if (!target) return [];
  return target.type === 'identifier' ? [target.text] : target.descendantsOfType('identifier').filter((n): n is Node => !!n).map((n) => n.text);
}

function usesAny(text: string, names: string[]): boolean {
  return names.some((n) => new RegExp(`(?<![\\w.$])${n.replace(/\$/g, '\\$')}(?![\\w$])`).test(text));
}

/** Whether `n` lies inside `fn` without a nested function in between. */
function sameFunction(n: Node, loop: Node, fnTypes: Set<string>): boolean {
  for (let p = n.parent; p && p.id !== loop.id; p = p.parent) if (fnTypes.has(p.type)) return false;
  return true;
}

/** Loop variables that count attempts: `for attempt in range(retries)` is a retry loop. */
const RETRY_NAME = /^_?(?:attempts?|retry|retries|tries|try_?(?:count|number|no)?|n_?tries)$/i;
/** Awaited calls that wait on purpose: a sleep in a loop paces it or backs off between attempts. */
const SLEEP_CALL = /(?:^|\.)(?:sleep|delay|setTimeout|wait_for_backoff|backoff)$/;

/**
 * Why a loop's awaits must stay one after the other, or null when nothing says so: it is a
 * retry loop (its variable counts attempts), it stops at the first success (a `return` or
 * `break` of its own), or it sleeps on purpose (pacing or backoff). asyncio.gather there would
 * change what the code does, not only how fast.
 */
function sequentialLoop(body: Node, names: string[], fnTypes: Set<string>, loopTypes: Set<string>, sleepCallee: (n: Node) => string | null): string | null {
  if (names.some((n) => RETRY_NAME.test(n))) return 'retry';
  for (const n of body.descendantsOfType(['return_statement', 'break_statement'])) {
    if (!n) continue;
    let p: Node | null = n.parent;
    let crossed = false;
    for (; p && p.id !== body.id; p = p.parent) {
      if (fnTypes.has(p.type)) {
        crossed = true;
        break;
      }
      // a `break` of an inner loop leaves only that loop
      if (n.type === 'break_statement' && loopTypes.has(p.type)) {
        crossed = true;
        break;
      }
    }
    if (!crossed) return 'first-success';
  }
  for (const n of body.descendantsOfType(['await', 'await_expression'])) {
    if (!n) continue;
    const callee = sleepCallee(n);
    if (callee && SLEEP_CALL.test(callee)) return 'paced';
  }
  return null;
}

/**
 * Whether the awaited call reads a name the loop body assigns at or after it (`cursor = await
 * fetch(cursor)`): each iteration then needs the one before it (a loop-carried dependency).
 */
function loopCarried(awaitNode: Node, body: Node, names: string[], assignTypes: string[]): boolean {
  const used = new Set(awaitNode.descendantsOfType('identifier').filter((n): n is Node => !!n).map((n) => n.text));
  for (const n of names) used.delete(n);
  if (used.size === 0) return false;
  for (const a of body.descendantsOfType(assignTypes)) {
    if (!a || a.endIndex < awaitNode.startIndex) continue;
    const left = a.childForFieldName('left') ?? a.childForFieldName('name');
    if (!left) continue;
    const targets = left.type === 'identifier' ? [left.text] : left.descendantsOfType('identifier').filter((n): n is Node => !!n).map((n) => n.text);
    if (targets.some((t) => used.has(t))) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Python

const PY_FN = new Set(['function_definition', 'lambda', 'class_definition']);
const PY_LOOPS = new Set(['for_statement', 'while_statement']);
const PY_QUERY = PYTHON_QUERIES.add(`[(for_statement) (while_statement)] @loop`);

/** Performance hits of a Python file (unsorted, may repeat). */
export function collectPythonPerformance(root: Node): PerfHit[] {
  const out: PerfHit[] = [];
  const caps = PY_QUERY.captures(root);
  // String variables and list variables assigned in a function (nested ones included): `s = ''`,
  // `seen = []`; read only for a function with a loop that concatenates or tests membership.
  const vars = new Map<number, { str: Set<string>; list: Set<string> }>();
  const varsOf = (fn: Node): { str: Set<string>; list: Set<string> } => {
    let v = vars.get(fn.id);
    if (v) return v;
    v = { str: new Set<string>(), list: new Set<string>() };
    for (const a of fn.descendantsOfType('assignment')) {
      const left = a?.childForFieldName('left');
      const right = a?.childForFieldName('right');
      if (left?.type !== 'identifier' || !right) continue;
      if (right.type === 'string' && !right.descendantsOfType('interpolation').length) v.str.add(left.text);
      if (right.type === 'list' || right.type === 'list_comprehension' || /^list\(/.test(right.text)) v.list.add(left.text);
    }
    vars.set(fn.id, v);
    return v;
  };
  const fnOf = (n: Node): Node | null => {
    for (let p = n.parent; p; p = p.parent) if (p.type === 'function_definition') return p;
    return null;
  };
  for (const c of caps) {
    const loop = c.node;
    const isAsyncFor = loop.type === 'for_statement' && /^async\s/.test(loop.text);
    const names = loop.type === 'for_statement' ? loopNames(loop.childForFieldName('left')) : [];
    const iter = loop.type === 'for_statement' ? (loop.childForFieldName('right')?.text ?? '') : '';
    const body = loop.childForFieldName('body');
    if (!body) continue;
    const fn = fnOf(loop);
    const add = (n: Node, r: string) => out.push({ l: line1(n), r, c: collapse(n.text) });
    const sequential = sequentialLoop(body, names, PY_FN, PY_LOOPS, (a) => (a.firstNamedChild?.type === 'call' ? (a.firstNamedChild.childForFieldName('function')?.text ?? null) : null));
    for (const n of body.descendantsOfType(['await', 'call', 'for_statement', 'augmented_assignment', 'comparison_operator'])) {
      if (!n || !sameFunction(n, loop, PY_FN)) continue;
      switch (n.type) {
        case 'await': {
          const call = n.firstNamedChild;
          if (!isAsyncFor && !sequential && call?.type === 'call' && names.length > 0 && usesAny(call.text, names) && !loopCarried(n, body, names, ['assignment', 'augmented_assignment'])) add(n, 'perf-await-in-loop');
          break;
        }
        case 'call': {
          const callee = n.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';
          const args = n.childForFieldName('arguments')?.text ?? '';
          if (PY_IO.test(callee)) add(n, 'perf-io-in-loop');
          else if (PY_REGEX.test(callee) && /^\(\s*[rRbB]*['"]/.test(args)) add(n, 'perf-regex-in-loop');
          else if (QUERY.test(callee) && DB_RECEIVER.test(callee) && callee.includes('.') && names.length > 0 && usesAny(args, names)) add(n, 'perf-query-in-loop');
          break;
        }
        case 'for_statement': {
          const inner = n.childForFieldName('right')?.text ?? '';
          if (iter && inner === iter) add(n, 'perf-nested-loop');
          break;
        }
        case 'augmented_assignment': {
          const left = n.childForFieldName('left');
          if (n.childForFieldName('operator')?.text === '+=' && left?.type === 'identifier' && fn && varsOf(fn).str.has(left.text)) add(n, 'perf-string-concat');
          break;
        }
        case 'comparison_operator': {
          if (!/\bin\b/.test(n.text)) break;
          const parts = n.namedChildren.filter((x): x is Node => !!x);
          const right = parts[parts.length - 1];
          if (parts.length === 2 && /\s(?:not\s+)?in\s/.test(n.text) && right && (right.type === 'list' || (right.type === 'identifier' && fn && varsOf(fn).list.has(right.text)))) add(n, 'perf-in-list');
          break;
        }
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// JavaScript / TypeScript

const JS_FN = new Set(['function_declaration', 'function_expression', 'arrow_function', 'method_definition', 'generator_function_declaration', 'class_declaration', 'function']);
const JS_QUERY = `[(for_statement) (for_in_statement) (while_statement) (do_statement)] @loop`;
const JS_LOOPS = new Set(['for_statement', 'for_in_statement', 'while_statement', 'do_statement']);

/** Performance hits of a TS/JS file (unsorted, may repeat). */
export function collectJsPerformance(root: Node): PerfHit[] {
  const out: PerfHit[] = [];
  for (const c of queryFor(root.tree.language, JS_QUERY).captures(root)) {
    const loop = c.node;
    const isForAwait = loop.type === 'for_in_statement' && /^for\s+await\b/.test(loop.text);
    const names = loop.type === 'for_in_statement' ? loopNames(loop.childForFieldName('left')) : loop.type === 'for_statement' ? loopNames(loop.childForFieldName('initializer')).slice(0, 1) : [];
    const iter = loop.type === 'for_in_statement' ? (loop.childForFieldName('right')?.text ?? '') : '';
    const body = loop.childForFieldName('body');
    if (!body) continue;
    const add = (n: Node, r: string) => out.push({ l: line1(n), r, c: collapse(n.text) });
    const sequential = sequentialLoop(body, names, JS_FN, JS_LOOPS, (a) => {
      const call = a.firstNamedChild;
      if (call?.type === 'call_expression') return call.childForFieldName('function')?.text ?? null;
      // `await new Promise((r) => setTimeout(r, ms))`
      return call?.type === 'new_expression' && /\bsetTimeout\b/.test(call.text) ? 'setTimeout' : null;
    });
    for (const n of body.descendantsOfType(['await_expression', 'call_expression', 'new_expression', 'for_in_statement', 'augmented_assignment_expression'])) {
      if (!n || !sameFunction(n, loop, JS_FN)) continue;
      switch (n.type) {
        case 'await_expression': {
          const call = n.firstNamedChild;
          if (!isForAwait && !sequential && call?.type === 'call_expression' && names.length > 0 && usesAny(call.text, names) && !loopCarried(n, body, names, ['assignment_expression', 'augmented_assignment_expression', 'variable_declarator'])) add(n, 'perf-await-in-loop');
          break;
        }
        case 'call_expression': {
          const callee = n.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';
          const args = n.childForFieldName('arguments')?.text ?? '';
          if (JS_IO.test(callee)) add(n, 'perf-io-in-loop');
          else if (QUERY.test(callee) && DB_RECEIVER.test(callee) && callee.includes('.') && names.length > 0 && usesAny(args, names)) add(n, 'perf-query-in-loop');
          break;
        }
        case 'new_expression':
          if (n.childForFieldName('constructor')?.text === 'RegExp') add(n, 'perf-regex-in-loop');
          break;
        case 'for_in_statement':
          if (iter && n.childForFieldName('right')?.text === iter) add(n, 'perf-nested-loop');
          break;
        case 'augmented_assignment_expression': {
          const right = n.childForFieldName('right');
          if (n.text.includes('+=') && right && (right.type === 'string' || right.type === 'template_string')) add(n, 'perf-string-concat');
          break;
        }
      }
    }
  }
  return out;
}

/** Performance findings of one parsed file, in line order (one per line and rule), or null for Go and Rust. */
export function collectPerformance(root: Node, language: LanguageDescriptor | string): PerformanceFileFacts | null {
  const collect = descriptorOf(language).facts.performance;
  if (!collect) return null;
  let f = collect(root) as PerfHit[];
  const seen = new Set<string>();
  f = f.filter((h) => {
    const k = `${h.l}:${h.r}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return { v: PERFORMANCE_FACTS_VERSION, f: f.sort((a, b) => a.l - b.l || a.r.localeCompare(b.r)) };
}

export const performanceCollector: FactCollector = {
  name: 'performance',
  version: PERFORMANCE_FACTS_VERSION,
  collect: (root, language) => collectPerformance(root, language),
};

export function isPerformanceFacts(v: unknown): v is PerformanceFileFacts {
  return !!v && typeof v === 'object' && (v as PerformanceFileFacts).v === PERFORMANCE_FACTS_VERSION && Array.isArray((v as PerformanceFileFacts).f);
}

/** The performance findings of `file` on lines `from..to` (inclusive), in line order. Empty without facts. */
export function performanceFindingsIn(file: import('../index/types.ts').FileRecord, from: number, to: number): import('./findings.ts').CodeFinding[] {
  const facts = file.facts?.performance;
  if (!isPerformanceFacts(facts)) return [];
  return facts.f
    .filter((h) => h.l >= from && h.l <= to && PERF_RULES[h.r])
    .map((h) => ({ file: file.path, line: h.l, rule: h.r, title: PERF_RULES[h.r].title, severity: PERF_RULES[h.r].severity, code: h.c, why: PERF_RULES[h.r].why, fix: PERF_RULES[h.r].fix }));
}
