/**
 * Static gotchas (issue 12, the blind review beside the seeds): what surprises a reader who
 * changes the code, each found by a pure function over the source text and the lifecycle facts
 * (src/analysis/lifecycle.ts), each with its file line:
 *
 * - constants defined and never read (they look like settings but change nothing);
 * - `param or default` on a numeric parameter (0 is replaced by the default);
 * - docstrings that promise what the body does not do (a handler that only logs; a signal named
 *   in a docstring that nothing handles);
 * - tasks and threads started and never cancelled, awaited or joined;
 * - boolean flags an entry path never sets (a `while self.running:` loop that `run_once`
 *   reaches but never enters);
 * - configuration overridden by literals in `main` (a literal keyword argument to the loader, or
 *   a loaded value assigned a literal after loading).
 * - naive local `datetime.now()` next to UTC times (SQLite's `'now'`, `datetime.utcnow()`);
 * - (`with sqlite3.connect(…) as conn:`, which commits but does not close, is Python's rule in
 *   src/languages/python/resources.ts);
 * - counters only ever incremented and collections only ever added to in a long-running process.
 *
 * `rankGotchas` orders them by severity (then line) and keeps the first few.
 */
import { reachable, type ClassLifecycle, type MethodModel } from './lifecycle.ts';
import { cutCode, splitTopLevel } from '../core/code-text.ts';

export type GotchaSeverity = 'high' | 'medium' | 'low';

export interface StaticGotcha {
  kind: 'unused constant' | 'falsy default' | 'docstring promise' | 'task never stopped' | 'flag never set' | 'config override' | 'mixed clocks' | 'connection not closed' | 'counter never reset' | 'collection only grows' | 'legacy call' | 'timeout does not cancel' | 'shared state without a lock' | 'unused parameter' | 'argument ignored' | 'threshold never met' | 'break leaves one loop' | 'first match wins' | 'polling delay' | 'swallowed exception';
  severity: GotchaSeverity;
  line: number;
  /** The line as written (collapsed). */
  excerpt: string;
  /** What it means for the reader, one sentence without a final period; code in backticks. */
  note: string;
  /** The method or function the line belongs to, when known. */
  in?: string;
}

const SEVERITY: Record<GotchaSeverity, number> = { high: 0, medium: 1, low: 2 };

function collapse(text: string, max = 90): string {
  return cutCode(text, max);
}

/** A line without its string literals and `#` comment. */
export function codeOnly(text: string): string {
  return text.replace(/(["'])(?:\\.|(?!\1).)*\1/g, '""').replace(/#.*$/, '');
}

/** Gotchas ordered by severity, then line; at most `limit`. Duplicates (same kind and line) are dropped. */
export function rankGotchas<T extends { severity: GotchaSeverity; line: number; kind: string }>(items: T[], limit = 5): T[] {
  const seen = new Set<string>();
  return [...items]
    .sort((a, b) => SEVERITY[a.severity] - SEVERITY[b.severity] || a.line - b.line)
    .filter((g) => {
      const k = `${g.kind}:${g.line}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .slice(0, limit);
}

// ---------------------------------------------------------------------------------------------
// Constants defined and never read

export interface ConstantFact {
  name: string;
  line: number;
  value: string;
  scope: 'module' | 'class';
  /** The class that holds a class constant. */
  className?: string;
}

/**
 * UPPER_CASE constants of a Python file (module level and class level, a literal value) that no
 * line of the file reads. `usedElsewhere` are the names other files of the repository mention
 * (from `git grep`); those count as read. `__all__`-style dunders are left out.
 */
export function unusedConstants(fileSource: string, usedElsewhere: ReadonlySet<string> = new Set()): ConstantFact[] {
  const lines = fileSource.split('\n');
  const found: ConstantFact[] = [];
  let cls: { name: string; indent: number } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.trim() === '' || l.trim().startsWith('#')) continue;
    const ind = l.length - l.trimStart().length;
    if (cls && ind <= cls.indent) cls = null;
    const c = /^(\s*)class\s+([A-Za-z_]\w*)/.exec(l);
    if (c) {
      cls = { name: c[2], indent: c[1].length };
      continue;
    }
    const m = /^(\s*)([A-Z][A-Z0-9_]{2,})\s*(?::\s*[\w[\], .|]+)?=\s*(-?\d[\d_]*(?:\.\d+)?|(["'])[^"']*\4|True|False|None|\([^()]*\)|\[[^[\]]*\])\s*(?:#.*)?$/.exec(l);
    if (!m) continue;
    const atModule = m[1].length === 0;
    const atClass = cls !== null && m[1].length > cls.indent && !lines.slice(0, i).reverse().find((x) => x.trim() !== '' && (x.length - x.trimStart().length) < m[1].length && !/^\s*class\b/.test(x))?.match(/^\s*(?:async\s+)?def\b/);
    if (!atModule && !atClass) continue;
    found.push({ name: m[2], line: i + 1, value: collapse(m[3], 40), scope: atModule ? 'module' : 'class', ...(atModule ? {} : { className: cls!.name }) });
  }
  return found.filter((k) => {
    if (usedElsewhere.has(k.name)) return false;
    const word = new RegExp(`(?<![\\w$])${k.name}(?![\\w$])`);
    return !lines.some((l, i) => i + 1 !== k.line && word.test(codeOnly(l)));
  });
}

/** Gotchas for constants never read; `within` keeps those of one class (a class page) or module. */
export function unusedConstantGotchas(constants: ConstantFact[]): StaticGotcha[] {
  return constants.map((k) => ({
    kind: 'unused constant' as const,
    severity: 'low' as const,
    line: k.line,
    excerpt: `${k.name} = ${k.value}`,
    note: `\`${k.name}\` is defined but nothing in the repository reads it: it looks like a setting, yet changing it changes nothing`,
  }));
}

// ---------------------------------------------------------------------------------------------
// `param or default` on numbers

/**
 * `x or default` where `x` is a numeric parameter (annotated `int`/`float`, or with a number as
 * its default) of the function whose source starts at file line `startLine`: a caller's `0` is
 * falsy and gets the default. TS/JS `x || d` alike.
 */
export function falsyNumericDefaults(source: string, startLine: number): StaticGotcha[] {
  const head = /(?:def|function)\s+([A-Za-z_$][\w$]*)\s*\(([\s\S]*?)\)\s*(?:->[^:]+)?[:{]/.exec(source);
  if (!head) return [];
  const numeric = new Set<string>();
  for (const p of head[2].split(',')) {
    const m = /^\s*\*{0,2}([A-Za-z_$][\w$]*)\??\s*(?::\s*([^=]+?))?\s*(?:=\s*(.+?))?\s*$/.exec(p);
    if (!m) continue;
    const type = (m[2] ?? '').replace(/\s+/g, '');
    if (/^(?:int|float|number|Optional\[(?:int|float)\]|(?:int|float)\|None|None\|(?:int|float)|number\|undefined)$/.test(type) || (m[3] !== undefined && /^-?\d[\d_]*(?:\.\d+)?$/.test(m[3]))) numeric.add(m[1]);
  }
  if (numeric.size === 0) return [];
  const out: StaticGotcha[] = [];
  const lines = source.split('\n');
  const headLines = source.slice(0, head.index + head[0].length).split('\n').length;
  for (let i = headLines; i < lines.length; i++) {
    const c = codeOnly(lines[i]);
    for (const m of c.matchAll(/(?<![\w$.])([A-Za-z_$][\w$]*)\s+or\s+([\w$.]+|\d[\d_.]*)|(?<![\w$.])([A-Za-z_$][\w$]*)\s*\|\|\s*([\w$.]+|\d[\d_.]*)/g)) {
      const name = m[1] ?? m[3];
      const fallback = m[2] ?? m[4];
      if (!numeric.has(name) || /^(?:None|null|undefined|0|0\.0)$/.test(fallback)) continue;
      out.push({
        kind: 'falsy default',
        severity: 'medium',
        line: startLine + i,
        excerpt: collapse(lines[i]),
        note: `\`${name} ${m[1] ? 'or' : '||'} ${fallback}\` also replaces a caller's \`0\` with \`${fallback}\` (0 is falsy); ${m[1] ? `\`${fallback} if ${name} is None else ${name}\`` : `\`${name} ?? ${fallback}\``} keeps 0`,
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Docstring promises

const LOG_ONLY = /^(?:self\.)?(?:logger|logging|log|_log|_logger)\.\w+\s*\(|^print\s*\(|^pass$|^\.\.\.$|^return(?:\s+None)?$/;

/**
 * Docstrings that promise what the body does not do: a method whose docstring names an action
 * but whose body only logs (or passes); a signal named in a docstring that no code of the file
 * handles (`fileSource` is searched for `SIGxxx` outside strings and comments).
 */
export function docstringPromises(methods: Pick<MethodModel, 'name' | 'line' | 'doc' | 'body'>[], fileSource: string): StaticGotcha[] {
  const out: StaticGotcha[] = [];
  const handled = new Set<string>();
  // docstrings and other triple-quoted text name signals without handling them
  const code = fileSource.replace(/("""|''')[\s\S]*?\1/g, '""');
  for (const l of code.split('\n')) for (const m of codeOnly(l).matchAll(/\b(SIG[A-Z0-9]{2,})\b/g)) handled.add(m[1]);
  for (const m of methods) {
    if (!m.doc) continue;
    const summary = m.doc.split('\n')[0].trim();
    const statements = m.body.map((b) => b.text.trim());
    // logging calls spread over lines: keep first lines only
    const firsts: string[] = [];
    let depth = 0;
    for (const t of statements) {
      if (depth === 0) firsts.push(t);
      for (const ch of codeOnly(t)) depth += '([{'.includes(ch) ? 1 : ')]}'.includes(ch) ? -1 : 0;
    }
    if (firsts.length > 0 && firsts.every((t) => LOG_ONLY.test(t)) && firsts.some((t) => !/^(?:pass|\.\.\.)$/.test(t)) && /\b(?:reload|restart|refresh|retry|reconnect|rotate|flush|save|persist|update|sync|close|clean\s*up|cleanup|validate|send|notify)\w*/i.test(summary)) {
      out.push({ kind: 'docstring promise', severity: 'high', line: m.line, in: m.name, excerpt: collapse(summary, 80), note: `the docstring of \`${m.name}\` says “${collapse(summary, 80)}”, but its body only logs: nothing of that happens` });
      continue;
    }
    for (const s of new Set([...m.doc.matchAll(/\b(SIG[A-Z0-9]{2,})\b/g)].map((x) => x[1]))) {
      if (handled.has(s)) continue;
      out.push({ kind: 'docstring promise', severity: 'high', line: m.line, in: m.name, excerpt: collapse(summary, 80), note: `the docstring of \`${m.name}\` names ${s}, but no code in the file handles ${s}` });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Lifecycle gotchas

/** A loop closed with `.close()` after running a coroutine of the class with `run_until_complete`. */
export interface LoopClose {
  /** The method that closes it (`run`). */
  in: string;
  line: number;
  excerpt: string;
  /** Methods whose coroutines the loop runs (`_async_run`, `_cleanup`). */
  runs: string[];
}

/**
 * Event loops a class closes itself: `X.close()` on a name that holds a loop (`self._loop`,
 * assigned `asyncio.new_event_loop()` / `get_event_loop()`, or named `loop`) in a method that
 * also runs a coroutine of the class on it (`X.run_until_complete(self.m())`). A class that
 * cancels what is left first (`asyncio.all_tasks(…)`, as `asyncio.run` does) closes none
 * with tasks pending, so none is returned for it.
 */
export function loopCloses(methods: Pick<MethodModel, 'name' | 'body'>[]): LoopClose[] {
  const code = methods.map((m) => ({ m, lines: m.body.map((b) => ({ line: b.line, text: b.text, c: codeOnly(b.text) })) }));
  if (code.some((x) => x.lines.some((l) => /\ball_tasks\s*\(/.test(l.c)))) return [];
  const loops = new Set<string>();
  for (const x of code) for (const l of x.lines) {
    const a = /^\s*((?:self\.)?[A-Za-z_]\w*)\s*(?::[^=]+)?=\s*asyncio\.(?:new_event_loop|get_event_loop)\s*\(/.exec(l.c);
    if (a) loops.add(a[1]);
  }
  const out: LoopClose[] = [];
  for (const x of code) for (const l of x.lines) {
    const c = /^\s*((?:self\.)?[A-Za-z_]\w*)\.close\s*\(\s*\)/.exec(l.c);
    if (!c || !(loops.has(c[1]) || /(?:^|\.)_?(?:event_)?loop$/.test(c[1]))) continue;
    const esc = c[1].replace(/\./g, '\\.');
    const runs = x.lines.flatMap((k) => [...k.c.matchAll(new RegExp(`${esc}\\.run_until_complete\\s*\\(\\s*self\\.([A-Za-z_]\\w*)\\s*\\(`, 'g'))].map((r) => r[1]));
    if (runs.length > 0) out.push({ in: x.m.name, line: l.line, excerpt: collapse(l.text), runs: [...new Set(runs)] });
  }
  return out;
}

/**
 * Tasks and threads started and never cancelled, awaited or joined; tasks whose handle is
 * dropped. With the class's `methods`, an asyncio task started by code a loop the class closes
 * itself runs (`loopCloses`) is also said to be pending at that `close()`: asyncio then logs
 * "Task was destroyed but it is pending!" and the task's coroutine never finishes (asyncio docs,
 * "Developing with asyncio": a task destroyed while pending). A task whose coroutine loops with
 * a sleep between rounds is pending there for certain, any other only if it has not finished.
 */
export function tasksNeverStopped(model: Pick<ClassLifecycle, 'tasks'> & Partial<Pick<ClassLifecycle, 'methods'>>, methods?: Pick<MethodModel, 'name' | 'body'>[]): StaticGotcha[] {
  const calls = model.methods;
  const closes = methods && calls ? loopCloses(methods) : [];
  return model.tasks
    .filter((t) => t.stoppedBy.length === 0)
    .map((t) => {
      // the coroutine run on a loop the class closes, from which the task is started
      const reaches = (r: string) => calls !== undefined && reachable({ methods: calls }, r).has(t.in);
      const close = t.kind === 'task' ? closes.find((c) => c.runs.some(reaches)) : undefined;
      const via = close?.runs.find(reaches);
      // a coroutine that loops with a sleep between rounds is sleeping when the loop closes
      const body = t.runs ? methods?.find((m) => m.name === t.runs)?.body ?? [] : [];
      const sleep = body.find((b) => /^\s*await\s+asyncio\.sleep\s*\(/.test(b.text) && body.some((w) => /^\s*while\b/.test(w.text) && w.line < b.line));
      const pending = close
        ? `; when \`${close.in}\` closes the loop (\`${close.excerpt}\`, line ${close.line}) after \`${via}\` returns, the task ${sleep ? `is still pending (between rounds it sleeps in \`${collapse(sleep.text.trim(), 50)}\`, line ${sleep.line})` : 'is still pending unless it has finished'}: asyncio logs “Task was destroyed but it is pending!” and ${t.runs ? `\`${t.runs}\`` : 'its coroutine'} never runs to its end (no \`finally\` of it runs); cancel it and await it before \`${via}\` returns`
        : '';
      return {
        kind: 'task never stopped' as const,
        severity: 'medium' as const,
        line: t.line,
        in: t.in,
        excerpt: t.excerpt,
        note: t.storedAs
          ? `nothing ${t.kind === 'thread' ? 'joins' : 'cancels or awaits'} \`${t.storedAs}\`: the ${t.kind}${t.runs ? ` running \`${t.runs}\`` : ''} is left running at shutdown${t.kind === 'task' ? ', and an exception inside it is never seen' : ''}${pending}`
          : `the ${t.kind} handle is not kept, so nothing can cancel or await it${t.kind === 'task' ? ' (and the event loop holds only a weak reference to it)' : ''}${pending}`,
      };
    });
}

/** Flags an entry method never sets although loops it reaches wait on them (`ClassLifecycle.unsetFlags`). */
export function flagsNeverSet(model: Pick<ClassLifecycle, 'unsetFlags'>): StaticGotcha[] {
  return model.unsetFlags.map((u) => {
    // the consequence: what the method does instead when the loop is skipped
    const loops = u.loops.map((l) => `\`${l.excerpt}\` in \`${l.in}\` (line ${l.line}) ${/^while\b/.test(l.excerpt) ? `never runs its body${l.after ? `: \`${l.in}\` goes straight to \`${l.after.excerpt}\` (line ${l.after.line})` : ', and the method ends'}` : 'is true at once'}`).join('; ');
    return {
      kind: 'flag never set' as const,
      severity: 'high' as const,
      line: u.loops[0].line,
      in: u.loops[0].in,
      excerpt: u.loops[0].excerpt,
      note: `\`${u.entry}\` (line ${u.entryLine}) never sets \`${u.flag}\` to True (only ${u.setIn.map((s) => `\`${s.in}\` does, line ${s.line}`).join(', ')}), so through \`${u.entry}\`: ${loops}`,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Configuration overridden in main

const LOADER = /(?:^|\.)(?:(?:load|read|get|parse|make)_?(?:settings|config|configuration|conf)|(?:load|read)Config|(?:load|read)Settings)$/i;
const LITERAL = /^(?:-?\d[\d_]*(?:\.\d+)?|True|False|None|true|false|(["'])[^"']*\1|Path\(\s*(["'])[^"']*\2\s*\)|\{[^{}]*(?:(["'])[^"']*\3|Path\([^()]*\))[^{}]*\}|\[[^[\]]*\])$/;

/**
 * In a `main` function (source starting at file line `startLine`): keyword arguments with
 * literal values given to a configuration loader (`load_settings(devlog = {"repo_path":
 * Path("/tmp/devlog")})`), and literals assigned to a loaded configuration after loading
 * (`settings.debug = True`). `loaderTakes(name)` gives the loader's `**name` parameter when
 * known (`overrides`), so the note can say the value wins over the file.
 */
export function configOverrides(source: string, startLine: number, loaderTakes: (loader: string) => string | null = () => null): StaticGotcha[] {
  const lines = source.split('\n');
  const out: StaticGotcha[] = [];
  const loaded = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    // join a call spread over lines
    let text = lines[i];
    let depth = 0;
    for (const ch of codeOnly(text)) depth += '([{'.includes(ch) ? 1 : ')]}'.includes(ch) ? -1 : 0;
    let j = i;
    while (depth > 0 && j + 1 < lines.length) {
      j++;
      text += ` ${lines[j].trim()}`;
      for (const ch of codeOnly(lines[j])) depth += '([{'.includes(ch) ? 1 : ')]}'.includes(ch) ? -1 : 0;
    }
    const call = /^\s*(?:([A-Za-z_]\w*)\s*=\s*)?([A-Za-z_][\w.]*)\s*\((.*)\)\s*$/.exec(text);
    if (call && LOADER.test(call[2])) {
      if (call[1]) loaded.add(call[1]);
      const args = splitTopLevel(call[3], false);
      for (const a of args) {
        const kw = /^([A-Za-z_]\w*)\s*=\s*([\s\S]+)$/.exec(a);
        if (!kw || !LITERAL.test(kw[2].trim())) continue;
        const star = loaderTakes(call[2].split('.').pop()!);
        out.push({
          kind: 'config override',
          severity: 'high',
          line: startLine + i,
          excerpt: collapse(`${kw[1]} = ${kw[2]}`, 80),
          note: `\`${call[2]}\` is called with the literal \`${collapse(`${kw[1]} = ${kw[2]}`, 70)}\`${star && /override/i.test(star) ? `, which its signature collects as keyword overrides: this value replaces whatever the configuration sets for \`${kw[1]}\`` : `: a value fixed in code next to the configuration`}`,
        });
      }
      i = j;
      continue;
    }
    const assign = /^\s*([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)+)\s*=\s*(.+?)\s*$/.exec(codeOnly(lines[i]).trimEnd() ? lines[i].replace(/#.*$/, '') : '');
    if (assign && loaded.has(assign[1]) && LITERAL.test(assign[3])) {
      out.push({ kind: 'config override', severity: 'high', line: startLine + i, excerpt: collapse(lines[i]), note: `\`${assign[1]}${assign[2]}\` is set to \`${collapse(assign[3], 40)}\` after the configuration is loaded, so the configured value is never used` });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Local and UTC clocks mixed

/** SQLite's own clock: `datetime('now')`, `date('now')`, `strftime(…, 'now')`, `CURRENT_TIMESTAMP` are UTC unless 'localtime' is given. */
const SQL_UTC = /\b(?:datetime|date|time|julianday|strftime)\s*\([^)]*['"]now['"](?![^)]*localtime)[^)]*\)|\bCURRENT_(?:TIMESTAMP|DATE|TIME)\b/i;
/** A naive local time: `datetime.now()` without a time zone. */
const NAIVE_NOW = /\bdatetime\s*\.\s*now\s*\(\s*\)/;
const NAIVE_UTC = /\bdatetime\s*\.\s*utcnow\s*\(\s*\)/;

/**
 * Naive local times (`datetime.now()`) next to UTC ones in the same scope (a class or a module,
 * source starting at file line `startLine`): SQLite's `datetime('now')` / `CURRENT_TIMESTAMP`
 * (UTC, SQLite docs "Date And Time Functions") or `datetime.utcnow()`. Comparing or storing them
 * side by side is off by the machine's UTC offset. A stored `.isoformat()` also writes a `T`
 * between date and time where SQLite writes a space, so text comparisons between the two are
 * wrong on the same day. One gotcha per scope, at the first naive `now()`.
 */
export function mixedClocks(source: string, startLine: number): StaticGotcha[] {
  const lines = source.split('\n');
  const local: number[] = [];
  const utcNaive: number[] = [];
  const sql: number[] = [];
  let iso = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (/^\s*#/.test(l)) continue;
    const c = codeOnly(l);
    if (NAIVE_NOW.test(c)) local.push(startLine + i);
    if (NAIVE_UTC.test(c)) utcNaive.push(startLine + i);
    // SQL sits in strings: read the line with its strings, without its comment
    if (SQL_UTC.test(l.replace(/#[^'"]*$/, ''))) sql.push(startLine + i);
    if (/\.isoformat\s*\(\s*\)/.test(c)) iso = true;
  }
  if (local.length === 0 || (sql.length === 0 && utcNaive.length === 0)) return [];
  const at = (xs: number[]) => `line${xs.length > 1 ? 's' : ''} ${xs.slice(0, 4).join(', ')}${xs.length > 4 ? ', …' : ''}`;
  const utc = [
    ...(sql.length > 0 ? [`SQLite's \`'now'\`, which is UTC, at ${at(sql)}`] : []),
    ...(utcNaive.length > 0 ? [`\`datetime.utcnow()\` at ${at(utcNaive)}`] : []),
  ].join(' and ');
  const first = local[0];
  return [{
    kind: 'mixed clocks',
    severity: 'medium',
    line: first,
    excerpt: collapse(lines[first - startLine]),
    note: `\`datetime.now()\` (${at(local)}) is local time without a time zone, while ${utc}: times stored or compared side by side differ by the machine's UTC offset (hours, and more across a daylight-saving change)${sql.length > 0 && iso ? `; \`.isoformat()\` also writes a \`T\` between date and time where SQLite writes a space, so comparing the two as text goes wrong within the same day` : ''}; passing the UTC time zone to \`datetime.now\` on the Python side keeps one clock`,
  }];
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

// ---------------------------------------------------------------------------------------------
// Counters that only grow

/**
 * Attributes of a class (source starting at file line `startLine`) that are only ever added to —
 * `self.x += …` for a counter, `self.x.append(…)` / `.add(…)` / `[k] = …` for a collection —
 * and never set back outside `__init__`, cleared, popped or deleted. In a long-running process
 * (`longRunning`: the file has a `while` loop over a flag or `while True`, or serves forever) a
 * counter then means "since the process started" and a collection grows for as long as it runs.
 * A dataclass field default or an `__init__` assignment is the start value, not a reset.
 * `inMethod` keeps the attributes that method adds to (a method page: the gotcha of its own
 * lines), resets still read from the whole class.
 */
export function countersNeverReset(classSource: string, startLine: number, longRunning: boolean, inMethod?: string): StaticGotcha[] {
  if (!longRunning) return [];
  const lines = classSource.split('\n');
  const grows = new Map<string, { line: number; kind: 'counter' | 'collection'; text: string; in: string }>();
  const resets = new Set<string>();
  let method = '';
  let methodIndent = -1;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === '') continue;
    const ind = raw.length - raw.trimStart().length;
    const d = /^\s*(?:async\s+)?def\s+([A-Za-z_]\w*)/.exec(raw);
    if (d) {
      method = d[1];
      methodIndent = ind;
      continue;
    }
    if (methodIndent >= 0 && ind <= methodIndent) method = '';
    const c = codeOnly(raw);
    const inc = /\bself\.([A-Za-z_]\w*)\s*\+=\s*(.+)$/.exec(c);
    const mine = inMethod === undefined || method === inMethod;
    if (inc && method && method !== '__init__' && !/^\s*-/.test(inc[2])) {
      if (mine && !grows.has(inc[1])) grows.set(inc[1], { line: startLine + i, kind: /^\s*[[(]/.test(inc[2]) ? 'collection' : 'counter', text: collapse(raw), in: method });
      continue;
    }
    const add = /\bself\.([A-Za-z_]\w*)\.(?:append|extend|add|update|setdefault)\s*\(|\bself\.([A-Za-z_]\w*)\s*\[[^\]]+\]\s*=(?!=)/.exec(c);
    if (add && method && method !== '__init__') {
      const name = add[1] ?? add[2];
      if (mine && !grows.has(name)) grows.set(name, { line: startLine + i, kind: 'collection', text: collapse(raw), in: method });
    }
    for (const m of c.matchAll(/\bself\.([A-Za-z_]\w*)\s*=(?!=)/g)) if (method && method !== '__init__') resets.add(m[1]);
    for (const m of c.matchAll(/\bself\.([A-Za-z_]\w*)\.(?:clear|pop|popitem|popleft|remove|discard)\s*\(|\bdel\s+self\.([A-Za-z_]\w*)\b/g)) resets.add(m[1] ?? m[2]);
    // a bounded deque drops old items on its own
    for (const m of c.matchAll(/\bself\.([A-Za-z_]\w*)\s*(?::[^=]+)?=\s*(?:collections\.)?deque\s*\([^)]*maxlen/g)) resets.add(m[1]);
  }
  const counters = [...grows].filter(([n, g]) => g.kind === 'counter' && !resets.has(n));
  const collections = [...grows].filter(([n, g]) => g.kind === 'collection' && !resets.has(n));
  const out: StaticGotcha[] = [];
  if (counters.length > 0) {
    const [name, g] = counters[0];
    const names = counters.map(([n]) => `\`${n}\``);
    out.push({
      kind: 'counter never reset',
      severity: 'low',
      line: g.line,
      in: g.in,
      excerpt: g.text,
      note: `${names.length > 1 ? `${names.slice(0, -1).slice(0, 5).join(', ')} and ${names[names.length - 1]} are` : `\`${name}\` is`} only ever incremented (first at line ${g.line}) and never set back, in a process that runs until it is stopped: ${names.length > 1 ? 'they count' : 'it counts'} since the process started, not per day or per cycle, and a restart returns ${names.length > 1 ? 'them' : 'it'} to the start value`,
    });
  }
  for (const [name, g] of collections.slice(0, 2)) {
    out.push({
      kind: 'collection only grows',
      severity: 'medium',
      line: g.line,
      in: g.in,
      excerpt: g.text,
      note: `\`self.${name}\` is added to (line ${g.line}) and never cleared, popped or replaced outside \`__init__\`: in a process that runs until it is stopped it grows for as long as it runs (memory), and what it holds means "since start"`,
    });
  }
  return out;
}

/** Whether a file runs until stopped: a `while True:` / `while self.flag:` loop, `run_forever`, `serve_forever`. */
export function isLongRunning(fileSource: string): boolean {
  return /^\s*while\s+(?:True|1|self\.\w+|not\s+self\.\w+(?:\.is_set\(\))?)\s*:|\b(?:run_forever|serve_forever)\s*\(/m.test(fileSource);
}

// ---------------------------------------------------------------------------------------------
// Calls into code its own docstring calls legacy

/** A docstring that opens by calling the code old: "Legacy method - …", "Deprecated: …". */
export const LEGACY_DOC = /^\s*(?:legacy|deprecated|obsolete)\b/i;

/**
 * Lines of a function (source starting at file line `startLine`) that call a method of its own
 * class (`self.name(`, `viaSelf`) or a function of its file (`name(`) whose docstring opens with "Legacy",
 * "Deprecated" or "Obsolete" (`legacy`: name → the docstring's first line and the definition's
 * line): that path still runs the code its authors call old. One gotcha per function.
 */
export function legacyCalls(source: string, startLine: number, legacy: ReadonlyMap<string, { line: number; doc: string }>, viaSelf = true): StaticGotcha[] {
  if (legacy.size === 0) return [];
  const lines = source.split('\n');
  const hits: { name: string; line: number; text: string }[] = [];
  for (let i = 1; i < lines.length; i++) {
    const c = codeOnly(lines[i]);
    for (const m of c.matchAll(/(?<![\w$.])(self\.|cls\.)?([A-Za-z_]\w*)\s*\(/g)) {
      if (viaSelf !== (m[1] !== undefined)) continue;
      const name = m[2];
      if (legacy.has(name) && !/^\s*(?:async\s+)?def\b/.test(c) && !hits.some((h) => h.name === name)) hits.push({ name, line: startLine + i, text: lines[i] });
    }
  }
  if (hits.length === 0) return [];
  const list = hits.map((h) => `\`${h.name}\` (line ${h.line}; its docstring: “${collapse(legacy.get(h.name)!.doc, 70)}”, line ${legacy.get(h.name)!.line})`);
  return [{
    kind: 'legacy call',
    severity: 'medium',
    line: hits[0].line,
    excerpt: collapse(hits[0].text),
    note: `it calls ${list.length > 1 ? `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}` : list[0]}: this path still runs the code its authors call legacy, so a fix made only on the newer path does not reach it`,
  }];
}

// ---------------------------------------------------------------------------------------------
// Threads: a timeout that does not cancel, state shared with a thread without a lock

/**
 * `fut.result(timeout=…)` on a future from `asyncio.run_coroutine_threadsafe(…)` or an
 * executor's `submit(…)` in a function (source starting at file line `startLine`) that never
 * calls `fut.cancel()`: on timeout `result` raises `TimeoutError`, but the work goes on (Python
 * docs, concurrent.futures `Future.result` and asyncio "Scheduling From Other Threads": cancel
 * the future to stop it). One gotcha per waited future.
 */
export function timeoutWithoutCancel(source: string, startLine: number): StaticGotcha[] {
  const lines = source.split('\n');
  const text = lines.map(codeOnly).join('\n');
  const out: StaticGotcha[] = [];
  for (const m of text.matchAll(/\b([A-Za-z_]\w*)\s*=\s*((?:asyncio\.)?run_coroutine_threadsafe|[\w.]*\.submit)\s*\(/g)) {
    const fut = m[1];
    const made = text.slice(0, m.index).split('\n').length - 1;
    const wait = lines.findIndex((l, i) => i > made && new RegExp(`\\b${fut}\\.result\\s*\\((?=[^)]*\\btimeout\\s*=|\\s*\\d)`).test(codeOnly(l)));
    if (wait < 0 || new RegExp(`\\b${fut}\\.cancel\\s*\\(`).test(text)) continue;
    const timeout = /\btimeout\s*=\s*([^,)]+)|\(\s*(\d[\d_.]*)/.exec(codeOnly(lines[wait]));
    const value = (timeout?.[1] ?? timeout?.[2] ?? '').trim();
    const what = m[2].endsWith('run_coroutine_threadsafe') ? 'the coroutine keeps running on the event loop' : 'the submitted function keeps running in its executor thread';
    out.push({
      kind: 'timeout does not cancel',
      severity: 'medium',
      line: startLine + wait,
      excerpt: collapse(lines[wait]),
      note: `\`${collapse(lines[wait].trim(), 60)}\` raises \`TimeoutError\`${value ? ` after ${value}${/^\d[\d_.]*$/.test(value) ? ' s' : ''}` : ''} but does not stop the work it waits for: ${what} (submitted with \`${m[2]}\` at line ${startLine + made}), and nothing here cancels \`${fut}\`, so after the timeout this code goes on while that work still runs`,
    });
  }
  return out;
}

/** `self.x` changed by a line: assigned, augmented, an item set, a mutating method called on it or on its parts. */
function mutatedAttribute(code: string): string | null {
  const m = /\bself\.([A-Za-z_]\w*)(?:\.[A-Za-z_]\w*)*\s*(?:\[[^\]]*\]\s*)?(?:[-+*/|&]|\/\/)?=(?!=)/.exec(code)
    ?? /\bself\.([A-Za-z_]\w*)(?:\.[A-Za-z_]\w*)*\.(?:append|extend|add|update|pop|popitem|clear|remove|discard|setdefault|insert|(?:record|increment|incr|reset|set|mark)_?\w*)\s*\(/.exec(code);
  return m ? m[1] : null;
}

/**
 * State a class changes both on another thread and in its other methods without a lock: the
 * methods a thread runs — a callback handed to an object that works on a thread of its own
 * (`Registration.thread`, an APScheduler `BackgroundScheduler`), a `threading.Thread` target, a
 * function run in an executor — and the plain methods they call, against the class's other
 * methods (`__init__` left out). A line inside `with self.<…lock…>:` or after `.acquire()` is
 * guarded. `onlyFor` keeps the gotchas that name that method (a method page).
 *
 * Not every other method can run while the thread does:
 * - work the thread hands to the event loop and then blocks on (`asyncio.run_coroutine_threadsafe`
 *   and `future.result(…)`, `Registration.waits`) runs while the thread waits, not beside it:
 *   the methods that work reaches race with the thread only when the wait has a timeout and
 *   nothing cancels the future (the work goes on after `TimeoutError`); otherwise they do not;
 * - a private method reached only from entry methods that never reach the place the thread is
 *   started (`run_once` when only `run` starts the scheduler) does not run while it does.
 */
export function sharedStateWithoutLock(model: Pick<ClassLifecycle, 'registrations' | 'tasks' | 'methods' | 'entries'>, methods: Pick<MethodModel, 'name' | 'async' | 'body'>[], onlyFor?: string): StaticGotcha[] {
  /** `from`: the method that registers the callback or starts the thread. */
  const starts: { method: string; where: string; from: string }[] = [];
  for (const r of model.registrations) {
    if (r.kind === 'callback' && r.thread) starts.push({ method: r.method, from: r.in, where: `on the thread of \`${r.receiverClass ?? r.via}\` (\`${collapse(r.thread.excerpt, 70)}\` at \`${r.thread.file}:${r.thread.line}\`)` });
    else if (r.kind === 'thread' || r.kind === 'executor') starts.push({ method: r.method, from: r.in, where: `${r.kind === 'thread' ? 'on its own thread' : 'in an executor thread'} (\`${collapse(r.excerpt, 50)}\`, line ${r.line})` });
  }
  for (const t of model.tasks) if (t.kind === 'thread' && t.runs) starts.push({ method: t.runs, from: t.in, where: `on its own thread (\`${collapse(t.excerpt, 50)}\`, line ${t.line})` });
  if (starts.length === 0) return [];
  const byName = new Map(methods.map((m) => [m.name, m]));
  const guarded = (m: Pick<MethodModel, 'body'>, line: number): boolean => {
    let lockIndent = -1;
    for (const b of m.body) {
      const ind = b.text.length - b.text.trimStart().length;
      if (lockIndent >= 0 && ind <= lockIndent) lockIndent = -1;
      if (b.line === line) return lockIndent >= 0 || m.body.some((x) => x.line < line && /\.acquire\s*\(/.test(x.text));
      if (/^\s*(?:async\s+)?with\s+self\.\w*lock\w*/i.test(b.text)) lockIndent = ind;
    }
    return false;
  };
  const mutations = (m: Pick<MethodModel, 'name' | 'body'>) => m.body.map((b) => ({ attr: mutatedAttribute(codeOnly(b.text)), line: b.line, text: b.text })).filter((x): x is { attr: string; line: number; text: string } => x.attr !== null && !guarded(m, x.line));
  const reach = new Map(model.entries.map((e) => [e.name, reachable(model, e.name)]));
  const out: StaticGotcha[] = [];
  const seen = new Set<string>();
  for (const s of starts) {
    // the thread runs its method and the plain (not async) methods it calls; a method named
    // thread-safe (`call_soon_threadsafe`) hands the work over to its owner's thread by design
    const onThread = [...reachable({ methods: model.methods.filter((x) => (!x.async || x.name === s.method) && !/thread_?safe/i.test(x.name)) }, s.method)].filter((n) => byName.has(n) && !byName.get(n)!.async);
    // work handed to the event loop that the thread blocks on, and the methods it reaches
    const handoffs = model.registrations.filter((r) => r.kind === 'threadsafe' && r.waits && onThread.includes(r.in)).map((r) => ({ r, reached: reachable(model, r.method) }));
    // private methods only entries that never start the thread reach
    const apart = (name: string) => {
      const by = [...reach].filter(([, set]) => set.has(name));
      return name.startsWith('_') && by.length > 0 && by.every(([, set]) => !set.has(s.from));
    };
    for (const tm of onThread) {
      for (const mut of mutations(byName.get(tm)!)) {
        if (seen.has(mut.attr)) continue;
        const others = methods.filter((o) => !onThread.includes(o.name) && o.name !== '__init__' && !apart(o.name)).map((o) => ({ o, lines: mutations(o).filter((x) => x.attr === mut.attr) })).filter((x) => x.lines.length > 0);
        if (others.length === 0) continue;
        if (onlyFor && tm !== onlyFor && s.method !== onlyFor && !others.some((x) => x.o.name === onlyFor)) continue;
        const handed = handoffs.find((h) => others.some((x) => h.reached.has(x.o.name)));
        const beside = others.filter((x) => !handoffs.some((h) => h.reached.has(x.o.name)));
        const at = (x: (typeof others)[number]) => `\`${x.o.name}\` (line${x.lines.length > 1 ? 's' : ''} ${x.lines.slice(0, 4).map((l) => l.line).join(', ')})`;
        const changed = `\`self.${mut.attr}\` is changed ${s.where} by \`${tm}\` (\`${collapse(mut.text.trim(), 50)}\`, line ${mut.line})`;
        let note: string;
        if (beside.length === 0 && handed) {
          const w = handed.r.waits!;
          // the thread blocks until the work is done: no overlap unless a timeout lets it go on
          if (w.timeout === null || w.cancelled) continue;
          // the handed-over method first, then what it calls in class order
          const inWork = others.filter((x) => handed.reached.has(x.o.name)).sort((a, b) => Number(b.o.name === handed.r.method) - Number(a.o.name === handed.r.method));
          // still a race, though only after the timeout
          note = `${changed} and, on the event loop, by the work that thread hands over with \`${handed.r.via}\` (line ${handed.r.line}) — \`${handed.r.method}\` and the methods it calls: ${inWork.map(at).join(', ')}. The thread waits for that work with \`${collapse(w.excerpt, 50)}\` (line ${w.line}), so the two sides do not change it at the same time — except after the timeout (${w.timeout}${/^\d[\d_.]*$/.test(w.timeout) ? ' s' : ''}): nothing cancels the work, which goes on changing \`self.${mut.attr}\` while line ${mut.line} does, with no lock, and a read-modify-write on one side can overwrite the other's`;
        } else if (beside.length > 0) {
          // every method named: a reader checks each of them, "and 2 more" names nothing to check
          const loop = beside.filter((x) => x.o.async);
          const plain = beside.filter((x) => !x.o.async);
          const other = [...(loop.length > 0 ? [`on the event loop by ${loop.map(at).join(', ')}`] : []), ...(plain.length > 0 ? [`by ${plain.map(at).join(', ')}`] : [])].join(' and ');
          note = `${changed} and ${other}, with no lock: changes made at the same moment can interleave, and a read-modify-write on one side can overwrite the other's`;
        } else continue;
        seen.add(mut.attr);
        out.push({ kind: 'shared state without a lock', severity: 'medium', line: mut.line, in: tm, excerpt: collapse(mut.text), note });
      }
    }
  }
  return out;
}
