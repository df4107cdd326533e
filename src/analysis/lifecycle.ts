/**
 * The lifecycle of a Python class, read from its source (issue 12, the blind review beside the
 * seeds): which of its methods are registered as callbacks and with what, which signals it
 * handles and what the handlers do, which tasks and threads it starts and whether anything
 * cancels, awaits or joins them, which boolean flags keep its loops running and who sets them,
 * and what its entry methods (`run`, `start`, `run_once`, …) do in order.
 *
 * Pure functions over text, line based like the rest of the static provider's readers: a class
 * is its `class` line and the indented block under it; a method is a `def` / `async def` at the
 * class body's indentation. Only what the code shows is recorded; nothing is inferred from names
 * except which methods count as entry points (public `run`/`start`/`serve`/`main`-like names).
 * All line numbers are file lines.
 */

/** One method of a class: its body lines (docstring left out) and its docstring. */
export interface MethodModel {
  name: string;
  line: number;
  endLine: number;
  async: boolean;
  /** A `@property` / `@cached_property` / `@x.setter`: read as an attribute, never handed over as a callback. */
  property: boolean;
  doc: string | null;
  /** Body lines after the signature and the docstring, blank lines and comments left out. */
  body: { line: number; text: string }[];
}

/** A method handed to something that calls it later. */
export interface Registration {
  /** The registered method. */
  method: string;
  /** `callback` (stored by another object), `thread` (a thread's target), `executor`, `threadsafe` (a coroutine submitted to a loop from another thread). */
  kind: 'callback' | 'thread' | 'executor' | 'threadsafe';
  /** The call that registers it as written: `self.scheduler.set_task_callback`. */
  via: string;
  /** Method where the registration happens. */
  in: string;
  line: number;
  excerpt: string;
  /**
   * For `threadsafe`: where the submitting thread blocks until the coroutine is done
   * (`future.result(timeout = 1800)`, `concurrent.futures.wait([future])`, a chained
   * `.result()`), the timeout as written (null: it waits for as long as the work takes) and
   * whether the method cancels the future (then a timeout stops the work too).
   */
  waits?: { line: number; excerpt: string; timeout: string | null; cancelled: boolean };
  /** For `callback` on `self.x`: the class `x` is created from in this class (`self.scheduler = Trigger()` → `Trigger`). */
  receiverClass?: string;
  /** Filled by the caller from the receiver class's file: where it starts a thread (`BackgroundScheduler(...)`). */
  thread?: { file: string; line: number; excerpt: string };
}

export interface SignalHandler {
  signal: string;
  handler: string;
  mechanism: 'signal.signal' | 'add_signal_handler';
  in: string;
  line: number;
  excerpt: string;
}

export interface TaskStart {
  kind: 'task' | 'thread';
  /** The method the task runs, when it is one of the class's (`_dead_mans_switch`). */
  runs: string | null;
  /** Where the handle is kept (`self._dead_mans_task`), or null when it is dropped. */
  storedAs: string | null;
  in: string;
  line: number;
  excerpt: string;
  /** Where the handle is cancelled, awaited or joined. */
  stoppedBy: { how: 'cancel' | 'await' | 'join' | 'gather'; in: string; line: number }[];
}

export interface FlagFact {
  /** `self.running`. */
  name: string;
  /** Value assigned in `__init__`, or null. */
  initial: boolean | null;
  sets: { value: boolean; in: string; line: number }[];
  /** Loops and checks that read it: `while self.running:`. */
  loops: FlagLoop[];
}

/** A `while self.flag:` loop or an `if not self.flag:` check. */
export interface FlagLoop {
  in: string;
  line: number;
  excerpt: string;
  /** The line of the `while` loop on the same flag whose body holds this check, if any. */
  inside?: number;
  /** For a `while` loop: the first statement after its body (what runs when the loop is never entered). */
  after?: { line: number; excerpt: string };
}

/** A flag that an entry method never sets to True although a loop it reaches waits on it. */
export interface UnsetFlag {
  flag: string;
  entry: string;
  entryLine: number;
  /** The loops reached from `entry` that read the flag (checks inside a loop that never runs left out). */
  loops: FlagLoop[];
  /** Where the flag is set to True (other entry paths). */
  setIn: { in: string; line: number }[];
}

/** One step of an entry method, in order. */
export interface LifecycleStep {
  /** The method whose body holds the line. */
  in: string;
  line: number;
  text: string;
  /** Inside a `finally:` block. */
  finally: boolean;
}

export interface ClassLifecycle {
  className: string;
  methods: { name: string; line: number; async: boolean; calls: string[] }[];
  registrations: Registration[];
  signals: SignalHandler[];
  tasks: TaskStart[];
  flags: FlagFact[];
  /** What each signal handler does: its non-logging statements. */
  handlerEffects: Record<string, { line: number; text: string }[]>;
  /** Entry methods and their start-up steps (self calls expanded one level). */
  entries: { name: string; line: number; steps: LifecycleStep[] }[];
  unsetFlags: UnsetFlag[];
}

const ENTRY = /^(?:run|start|serve|serve_forever|run_forever|run_once|main|launch|begin|start_polling|run_until_stopped)$/;
const LOGGING = /^(?:self\.)?(?:logger|logging|log|_log|_logger|console)\.\w+\s*\(|^print\s*\(/;

function indentOf(s: string): number {
  return s.length - s.trimStart().length;
}

/** Text without string literals and comments (a name in a string is no use). */
function codeOnly(text: string): string {
  return text.replace(/(["'])(?:\\.|(?!\1).)*\1/g, '""').replace(/#.*$/, '');
}

function collapse(text: string, max = 100): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  // never inside an identifier: a half name would read as a name the code does not have
  let end = max - 1;
  while (end > 0 && /[\w$]/.test(t[end]) && /[\w$]/.test(t[end - 1])) end--;
  return `${t.slice(0, end).trimEnd()}…`;
}

/**
 * The methods of a class whose source (from its `class` line, or decorators before it) starts
 * at file line `startLine`. Multi-line signatures and docstrings are skipped.
 */
export function pythonClassMethods(source: string, startLine: number): MethodModel[] {
  const lines = source.split('\n');
  const head = lines.findIndex((l) => /^\s*class\s+\w/.test(l));
  if (head < 0) return [];
  let bodyIndent = -1;
  for (let i = head + 1; i < lines.length; i++) {
    if (lines[i].trim() === '' || lines[i].trim().startsWith('#')) continue;
    if (indentOf(lines[i]) > indentOf(lines[head])) {
      bodyIndent = indentOf(lines[i]);
      break;
    }
  }
  if (bodyIndent < 0) return [];
  const out: MethodModel[] = [];
  for (let i = head + 1; i < lines.length; i++) {
    const l = lines[i];
    const m = /^\s*(async\s+)?def\s+([A-Za-z_]\w*)\s*\(/.exec(l);
    if (!m || indentOf(l) !== bodyIndent) continue;
    // the signature ends at the first `:` at bracket depth 0 after the name
    let depth = 0;
    let j = i;
    let done = false;
    for (; j < lines.length && !done; j++) {
      const c = codeOnly(lines[j]);
      for (let k = j === i ? c.indexOf('(') : 0; k < c.length; k++) {
        if ('([{'.includes(c[k])) depth++;
        else if (')]}'.includes(c[k])) depth--;
        else if (c[k] === ':' && depth === 0) {
          done = true;
          break;
        }
      }
    }
    let end = j;
    while (end < lines.length && (lines[end].trim() === '' || indentOf(lines[end]) > bodyIndent)) end++;
    while (end > j && lines[end - 1].trim() === '') end--;
    const raw = lines.slice(j, end).map((text, k) => ({ line: startLine + j + k, text }));
    // docstring
    let doc: string | null = null;
    let k = 0;
    while (k < raw.length && raw[k].text.trim() === '') k++;
    const q = raw[k] ? /^[rRuU]?("""|''')/.exec(raw[k].text.trim()) : null;
    if (q) {
      const first = raw[k].text.trim().slice(q[0].length);
      const parts: string[] = [];
      if (first.includes(q[1])) {
        parts.push(first.slice(0, first.indexOf(q[1])));
        k++;
      } else {
        parts.push(first);
        k++;
        while (k < raw.length && !raw[k].text.includes(q[1])) parts.push(raw[k++].text.trim());
        if (k < raw.length) parts.push(raw[k].text.trim().slice(0, raw[k].text.trim().indexOf(q[1])));
        k++;
      }
      doc = parts.map((p) => p.trim()).filter(Boolean).join('\n') || null;
    }
    const body = raw.slice(q ? k : 0).filter((b) => b.text.trim() !== '' && !b.text.trim().startsWith('#'));
    let d = i - 1;
    let property = false;
    while (d > head && /^\s*@/.test(lines[d])) {
      if (/^\s*@(?:(?:functools\.)?cached_property|property|\w+\.(?:setter|getter|deleter))\b/.test(lines[d])) property = true;
      d--;
    }
    out.push({ name: m[2], line: startLine + i, endLine: startLine + end - 1, async: !!m[1], property, doc, body });
  }
  return out;
}

/** The statement starting at body index `i`, joined over its continuation lines (open brackets). */
function statementAt(body: MethodModel['body'], i: number): string {
  let text = body[i].text.trim();
  let depth = 0;
  for (const ch of codeOnly(text)) depth += '([{'.includes(ch) ? 1 : ')]}'.includes(ch) ? -1 : 0;
  let j = i + 1;
  while (depth > 0 && j < body.length) {
    const t = body[j].text.trim();
    text += ` ${t}`;
    for (const ch of codeOnly(t)) depth += '([{'.includes(ch) ? 1 : ')]}'.includes(ch) ? -1 : 0;
    j++;
  }
  return text.replace(/\(\s+/g, '(').replace(/\s+\)/g, ')').replace(/,\s*\)/g, ')');
}

/** The `self` methods a statement calls directly (`self.m(`), in order. */
function selfCalls(text: string, methods: Set<string>): string[] {
  const out: string[] = [];
  for (const m of codeOnly(text).matchAll(/\bself\.([A-Za-z_]\w*)\s*\(/g)) if (methods.has(m[1]) && !out.includes(m[1])) out.push(m[1]);
  return out;
}

/**
 * The lifecycle facts of the class whose source starts at file line `startLine`
 * (`source` is the class's own text). Empty lists when the class shows none of it.
 */
export function classLifecycle(source: string, startLine: number): ClassLifecycle {
  const className = /^\s*class\s+([A-Za-z_]\w*)/m.exec(source)?.[1] ?? '';
  const methods = pythonClassMethods(source, startLine);
  const names = new Set(methods.map((m) => m.name));
  // properties are read, not handed over: `round(self.success_rate, 1)` registers nothing
  const callables = new Set(methods.filter((m) => !m.property).map((m) => m.name));
  const registrations: Registration[] = [];
  const signals: SignalHandler[] = [];
  const tasks: TaskStart[] = [];
  const flagMap = new Map<string, FlagFact>();
  const calls: Record<string, string[]> = {};
  const flag = (name: string) => {
    let f = flagMap.get(name);
    if (!f) flagMap.set(name, (f = { name, initial: null, sets: [], loops: [] }));
    return f;
  };
  for (const m of methods) {
    calls[m.name] = [];
    for (let i = 0; i < m.body.length; i++) {
      const b = m.body[i];
      const text = statementAt(m.body, i);
      const c = codeOnly(text);
      const excerpt = collapse(text);
      for (const s of selfCalls(text, names)) if (!calls[m.name].includes(s)) calls[m.name].push(s);
      // signal handlers
      const sig = /\b(signal\.signal|(?:[\w.]+\.)?add_signal_handler)\s*\(\s*(?:signal\.)?(SIG[A-Z0-9]+)\s*,\s*(?:self\.([A-Za-z_]\w*)|(?:functools\.)?partial\s*\(\s*self\.([A-Za-z_]\w*)|lambda[^:]*:\s*self\.([A-Za-z_]\w*))/.exec(c);
      if (sig) {
        const handler = sig[3] ?? sig[4] ?? sig[5];
        if (names.has(handler)) signals.push({ signal: sig[2], handler, mechanism: sig[1] === 'signal.signal' ? 'signal.signal' : 'add_signal_handler', in: m.name, line: b.line, excerpt });
        continue;
      }
      // tasks and threads started
      const task = /(?:^|[^\w.])((?:asyncio\.)?(?:create_task|ensure_future)|[\w.]*loop\.create_task|[\w.]*\.create_task|(?:threading\.)?Thread|(?:threading\.)?Timer)\s*\((.*)$/.exec(c);
      if (task && (/create_task|ensure_future/.test(task[1]) || /Thread|Timer/.test(task[1]))) {
        const isThread = /Thread|Timer/.test(task[1]);
        const target = isThread ? /\btarget\s*=\s*self\.([A-Za-z_]\w*)/.exec(task[2]) : /^\s*self\.([A-Za-z_]\w*)\s*\(/.exec(task[2]);
        const stored = /^\s*((?:self\.)?[A-Za-z_][\w.]*)\s*(?::[^=]+)?=(?!=)/.exec(c)?.[1] ?? null;
        tasks.push({ kind: isThread ? 'thread' : 'task', runs: target && names.has(target[1]) ? target[1] : null, storedAs: stored, in: m.name, line: b.line, excerpt, stoppedBy: [] });
        continue;
      }
      // a method of the class passed (not called) to a call: a callback
      const passed = [...c.matchAll(/\bself\.([A-Za-z_]\w*)\b(?!\s*\()/g)].map((x) => x[1]).filter((x) => callables.has(x));
      if (passed.length > 0) {
        const call = /((?:self\.)?[A-Za-z_][\w.]*)\s*\(/.exec(c);
        if (call && !/^(?:print|len|getattr|setattr|hasattr|isinstance)$/.test(call[1])) {
          const kind: Registration['kind'] = /run_in_executor|to_thread/.test(call[1]) ? 'executor' : 'callback';
          for (const p of passed) registrations.push({ method: p, kind, via: call[1], in: m.name, line: b.line, excerpt });
        }
      }
      const ts = /\b(?:asyncio\.)?run_coroutine_threadsafe\s*\(\s*self\.([A-Za-z_]\w*)\s*\(/.exec(c);
      if (ts && names.has(ts[1])) {
        const fut = /^\s*([A-Za-z_]\w*)\s*=/.exec(c)?.[1];
        // the thread blocks on the future: `fut.result(…)`, `wait([fut])`, or `.result(…)` chained on the call
        const w = /\)\s*\.result\s*\(/.test(c) ? { line: b.line, text } : fut ? m.body.slice(i + 1).find((x) => new RegExp(`\\b${fut}\\.result\\s*\\(|\\bwait\\s*\\(\\s*[[({]?\\s*${fut}\\b`).test(codeOnly(x.text))) : undefined;
        const waitText = w ? codeOnly(w.text) : '';
        const timeout = /\btimeout\s*=\s*([^,)]+)|\.result\s*\(\s*(\d[\d_.]*)/.exec(waitText);
        const cancelled = fut !== undefined && m.body.some((x) => new RegExp(`\\b${fut}\\.cancel\\s*\\(`).test(codeOnly(x.text)));
        registrations.push({ method: ts[1], kind: 'threadsafe', via: 'asyncio.run_coroutine_threadsafe', in: m.name, line: b.line, excerpt, ...(w ? { waits: { line: w.line, excerpt: collapse(w.text), timeout: timeout ? (timeout[1] ?? timeout[2]).trim() : null, cancelled } } : {}) });
      }
      // boolean flags
      const set = /^\s*(self\.[A-Za-z_]\w*)\s*(?::\s*bool\s*)?=\s*(True|False)\s*$/.exec(c);
      if (set) {
        const f = flag(set[1]);
        if (m.name === '__init__' && f.initial === null) f.initial = set[2] === 'True';
        else f.sets.push({ value: set[2] === 'True', in: m.name, line: b.line });
      }
      const loop = /^\s*while\s+(not\s+)?(self\.[A-Za-z_]\w*)\s*:/.exec(c) ?? /^\s*if\s+(not\s+)(self\.[A-Za-z_]\w*)\s*:/.exec(c);
      if (loop && !names.has(loop[2].slice(5))) {
        const fl: FlagLoop = { in: m.name, line: b.line, excerpt };
        // a check in the body of a `while` on the same flag: never reached when that loop never runs
        const ind = indentOf(b.text);
        let level = ind;
        for (let k = i - 1; k >= 0; k--) {
          const o = m.body[k];
          if (indentOf(o.text) >= level) continue;
          level = indentOf(o.text);
          const w = new RegExp(`^\\s*while\\s+${loop[2].replace('.', '\\.')}\\s*:`).exec(codeOnly(o.text));
          if (w) {
            fl.inside = o.line;
            break;
          }
        }
        if (/^\s*while\b/.test(c)) {
          const next = m.body.slice(i + 1).find((x) => indentOf(x.text) <= ind);
          if (next) fl.after = { line: next.line, excerpt: collapse(next.text) };
        }
        flag(loop[2]).loops.push(fl);
      }
    }
  }
  // the class a registration's receiver attribute is created from: `self.scheduler = Trigger(…)`
  for (const r of registrations) {
    const attr = /^self\.([A-Za-z_]\w*)\.\w+$/.exec(r.via)?.[1];
    if (!attr) continue;
    for (const m of methods) for (const b of m.body) {
      const k = new RegExp(`^\\s*self\\.${attr}\\s*(?::[^=]+)?=\\s*([A-Z]\\w*)\\s*\\(`).exec(b.text);
      if (k && !r.receiverClass) r.receiverClass = k[1];
    }
  }
  // what stops each task: `.cancel()`, `await x`, `.join()`, `gather(x)`
  for (const t of tasks) {
    if (!t.storedAs) continue;
    const esc = t.storedAs.replace(/\./g, '\\.');
    for (const m of methods) for (const b of m.body) {
      const c = codeOnly(b.text);
      if (new RegExp(`${esc}\\.cancel\\s*\\(`).test(c)) t.stoppedBy.push({ how: 'cancel', in: m.name, line: b.line });
      else if (new RegExp(`${esc}\\.join\\s*\\(`).test(c)) t.stoppedBy.push({ how: 'join', in: m.name, line: b.line });
      else if (new RegExp(`\\bawait\\s+(?:asyncio\\.(?:wait_for|shield)\\s*\\()?${esc}\\b(?!\\s*[.(])`).test(c)) t.stoppedBy.push({ how: 'await', in: m.name, line: b.line });
      else if (new RegExp(`gather\\s*\\([^)]*${esc}\\b`).test(c)) t.stoppedBy.push({ how: 'gather', in: m.name, line: b.line });
    }
  }
  const flags = [...flagMap.values()].filter((f) => f.loops.length > 0 && (f.initial !== null || f.sets.length > 0));
  const handlerEffects: Record<string, { line: number; text: string }[]> = {};
  for (const s of signals) {
    const h = methods.find((m) => m.name === s.handler);
    if (!h || handlerEffects[h.name]) continue;
    handlerEffects[h.name] = h.body.map((b, i) => ({ line: b.line, text: statementAt(h.body, i) })).filter((b, i) => indentOf(h.body[i].text) === indentOf(h.body[0].text) && !LOGGING.test(b.text.trim()) && !/^\s*[\w]+\s*=\s*(?:signal\.)?Signals?\b/.test(b.text)).map((b) => ({ line: b.line, text: collapse(b.text) }));
  }
  const entries = methods.filter((m) => ENTRY.test(m.name)).map((m) => ({ name: m.name, line: m.line, steps: entrySteps(m, methods, names, flags) }));
  const model: ClassLifecycle = { className, methods: methods.map((m) => ({ name: m.name, line: m.line, async: m.async, calls: calls[m.name] })), registrations, signals, tasks, flags, handlerEffects, entries, unsetFlags: [] };
  model.unsetFlags = unsetFlags(model);
  return model;
}

/** Whether a statement matters for the lifecycle: a self call, a flag, a start/stop, a task, a registration, a flag loop. */
function lifecycleStatement(text: string, names: Set<string>, flags: FlagFact[]): boolean {
  const c = codeOnly(text);
  if (selfCalls(text, names).length > 0) return true;
  if (flags.some((f) => c.includes(f.name))) return true;
  if (/\.(?:start|stop|shutdown|close|serve_forever|run_forever|run_until_complete|join|cancel)\s*\(|create_task|ensure_future|new_event_loop|asyncio\.run\s*\(|signal\.signal|add_signal_handler/.test(c)) return true;
  if (/\bself\.[A-Za-z_]\w*\b(?!\s*\()/.test(c) && [...c.matchAll(/\bself\.([A-Za-z_]\w*)\b(?!\s*\()/g)].some((x) => names.has(x[1]))) return true;
  return false;
}

/** An entry method's lifecycle statements in order, each call of another method of the class expanded one level. */
function entrySteps(entry: MethodModel, methods: MethodModel[], names: Set<string>, flags: FlagFact[]): LifecycleStep[] {
  const byName = new Map(methods.map((m) => [m.name, m]));
  const out: LifecycleStep[] = [];
  const walk = (m: MethodModel, depth: number, seen: Set<string>) => {
    const base = m.body.length > 0 ? indentOf(m.body[0].text) : 0;
    let inFinally = -1;
    for (let i = 0; i < m.body.length; i++) {
      const b = m.body[i];
      const ind = indentOf(b.text);
      const t = b.text.trim();
      if (inFinally >= 0 && ind <= inFinally) inFinally = -1;
      if (/^finally\s*:/.test(t)) {
        inFinally = ind;
        continue;
      }
      // statements inside a branch or a loop are not the start-up order; inside try/with they are
      if (ind > base && !onlyTryOrWith(m.body, i, base)) continue;
      const text = statementAt(m.body, i);
      if (!lifecycleStatement(text, names, flags) || LOGGING.test(t)) continue;
      // inside an expanded method, a call of a helper without lifecycle work is detail
      if (m !== entry && !lifecycleStatement(text.replace(/\bself\.[A-Za-z_]\w*\s*\(/g, '('), names, flags) && selfCalls(text, names).every((x) => !byName.get(x) || !lifecycleRelevant(byName.get(x)!, names, flags))) continue;
      out.push({ in: m.name, line: b.line, text: collapse(text, 90), finally: inFinally >= 0 });
      if (/^while\b/.test(t)) continue;
      if (depth > 0) for (const callee of selfCalls(text, names)) {
        const sub = byName.get(callee);
        if (!sub || seen.has(callee) || !lifecycleRelevant(sub, names, flags)) continue;
        walk(sub, depth - 1, new Set([...seen, callee]));
      }
    }
  };
  walk(entry, 1, new Set([entry.name]));
  return out.slice(0, 16);
}

/** Whether every block enclosing body line `i` (deeper than `base`) is a `try`/`finally`/`with` block. */
function onlyTryOrWith(body: MethodModel['body'], i: number, base: number): boolean {
  let ind = indentOf(body[i].text);
  for (let k = i - 1; k >= 0 && ind > base; k--) {
    const ki = indentOf(body[k].text);
    if (ki >= ind) continue;
    if (!/^(?:try|finally|else|(?:async\s+)?with\b[^:]*)\s*:|^(?:async\s+)?with\b/.test(body[k].text.trim())) return false;
    ind = ki;
  }
  return true;
}

/** Whether a method holds lifecycle work (a registration, a start, a task, a flag loop), so its steps belong in the start-up order. */
function lifecycleRelevant(m: MethodModel, names: Set<string>, flags: FlagFact[]): boolean {
  return m.body.some((b) => {
    const c = codeOnly(b.text);
    return /\.(?:start|serve_forever|run_forever|run_until_complete)\s*\(|create_task|ensure_future|signal\.signal|add_signal_handler|new_event_loop/.test(c) || flags.some((f) => new RegExp(`^\\s*while\\s+(?:not\\s+)?${f.name.replace('.', '\\.')}\\s*:`).test(c)) || [...c.matchAll(/\bself\.([A-Za-z_]\w*)\b(?!\s*\()/g)].some((x) => names.has(x[1]));
  });
}

/** Methods reachable from `from` through direct self calls (including `from`). */
export function reachable(model: Pick<ClassLifecycle, 'methods'>, from: string): Set<string> {
  const calls = new Map(model.methods.map((m) => [m.name, m.calls]));
  const seen = new Set<string>([from]);
  const stack = [from];
  while (stack.length > 0) for (const c of calls.get(stack.pop()!) ?? []) if (!seen.has(c)) {
    seen.add(c);
    stack.push(c);
  }
  return seen;
}

/**
 * Flags an entry path never sets (issue 12): a flag that starts False in `__init__`, is set True
 * only in other methods, and is read by a `while flag:` / `if not flag:` reached from an entry
 * method that does not reach any of those True assignments. Through that entry the loop never
 * runs (or the check stops at once).
 */
export function unsetFlags(model: Pick<ClassLifecycle, 'methods' | 'flags' | 'entries'>): UnsetFlag[] {
  const out: UnsetFlag[] = [];
  for (const f of model.flags) {
    if (f.initial !== false) continue;
    const trueSets = f.sets.filter((s) => s.value);
    if (trueSets.length === 0) continue;
    for (const e of model.entries) {
      const reach = reachable(model, e.name);
      if (trueSets.some((s) => reach.has(s.in))) continue;
      const loops = f.loops.filter((l) => reach.has(l.in) && !(l.inside !== undefined && f.loops.some((w) => w.line === l.inside && w.in === l.in)));
      if (loops.length === 0) continue;
      out.push({ flag: f.name, entry: e.name, entryLine: e.line, loops, setIn: trueSets.map((s) => ({ in: s.in, line: s.line })) });
    }
  }
  return out;
}

/** The class model reduced to what concerns one method (for a function page). */
export function lifecycleOfMethod(model: ClassLifecycle, method: string): {
  registeredBy: Registration[];
  registers: Registration[];
  signals: SignalHandler[];
  installsSignals: SignalHandler[];
  startedAs: TaskStart[];
  starts: TaskStart[];
  loops: { flag: FlagFact; line: number; excerpt: string }[];
  calledBy: string[];
} {
  return {
    registeredBy: model.registrations.filter((r) => r.method === method),
    registers: model.registrations.filter((r) => r.in === method),
    signals: model.signals.filter((s) => s.handler === method),
    installsSignals: model.signals.filter((s) => s.in === method),
    startedAs: model.tasks.filter((t) => t.runs === method),
    starts: model.tasks.filter((t) => t.in === method),
    loops: model.flags.flatMap((f) => f.loops.filter((l) => l.in === method).map((l) => ({ flag: f, line: l.line, excerpt: l.excerpt }))),
    calledBy: model.methods.filter((m) => m.calls.includes(method)).map((m) => m.name),
  };
}
