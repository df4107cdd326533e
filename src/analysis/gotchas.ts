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
 *
 * `rankGotchas` orders them by severity (then line) and keeps the first few.
 */
import type { ClassLifecycle, MethodModel } from './lifecycle.ts';
import { splitTopLevel } from '../llm/facts.ts';

export type GotchaSeverity = 'high' | 'medium' | 'low';

export interface StaticGotcha {
  kind: 'unused constant' | 'falsy default' | 'docstring promise' | 'task never stopped' | 'flag never set' | 'config override';
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
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1).trimEnd()}…` : t;
}

function codeOnly(text: string): string {
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

/** Tasks and threads started and never cancelled, awaited or joined; tasks whose handle is dropped. */
export function tasksNeverStopped(model: Pick<ClassLifecycle, 'tasks'>): StaticGotcha[] {
  return model.tasks
    .filter((t) => t.stoppedBy.length === 0)
    .map((t) => ({
      kind: 'task never stopped' as const,
      severity: 'medium' as const,
      line: t.line,
      in: t.in,
      excerpt: t.excerpt,
      note: t.storedAs
        ? `nothing ${t.kind === 'thread' ? 'joins' : 'cancels or awaits'} \`${t.storedAs}\`: the ${t.kind}${t.runs ? ` running \`${t.runs}\`` : ''} is left running at shutdown${t.kind === 'task' ? ', and an exception inside it is never seen' : ''}`
        : `the ${t.kind} handle is not kept, so nothing can cancel or await it${t.kind === 'task' ? ' (and the event loop holds only a weak reference to it)' : ''}`,
    }));
}

/** Flags an entry method never sets although loops it reaches wait on them (`ClassLifecycle.unsetFlags`). */
export function flagsNeverSet(model: Pick<ClassLifecycle, 'unsetFlags'>): StaticGotcha[] {
  return model.unsetFlags.map((u) => {
    const loops = u.loops.map((l) => `\`${l.excerpt}\` in \`${l.in}\` (line ${l.line}) ${/^while\b/.test(l.excerpt) ? 'never runs its body' : 'is true at once'}`).join('; ');
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
