/**
 * "How it works" for a long Python function (issue 12, the blind review beside the seeds: the
 * page on the daemon's documentation cycle did not say what one cycle does). The body's
 * statements in source order, read as a lifecycle rather than a call dump: consecutive plain
 * statements are one step, an `if`/`for`/`while`/`with` block is one step with the calls inside
 * it and how it ends (returns, raises, skips), a `try` block (or a `with` block of three or more
 * statements) lists its own steps one level deeper, followed by what each `except` and the `finally` do. Each step carries its file line; at most
 * about `limit` steps. Pure function over the source text: every name it shows is in the code.
 */
import { bodyLines, cutCode } from './static-code.ts';
import { callList } from './static-purpose.ts';
import { code } from '../../core/code-text.ts';

/** One step: its text (Markdown, code in backticks) and, for a `try` block, its own steps. */
export interface WalkStep {
  line: number;
  /** The last file line of the statements the step names, when it spans several lines. */
  end?: number;
  /** The text cites the line of each statement it names itself (a run of several statements). */
  cited?: boolean;
  text: string;
  sub?: WalkStep[];
}

interface Stmt {
  line: number;
  /** The statement's last line (continuation lines included, its block not). */
  end: number;
  /** The statement's first line, trimmed. */
  text: string;
  /** The whole statement (continuation lines joined), strings and comments blanked. */
  code: string;
  /** The whole statement as written, whitespace collapsed. */
  full: string;
  indent: number;
  children: Stmt[];
}

/** Calls that say nothing about what a step is for: logging, conversions, checks. */
const QUIET = /^(?:(?:self\.)?(?:logger|log|logging|_log|_logger)\.\w+|print|len|str|int|float|bool|list|dict|set|tuple|isinstance|getattr|hasattr|range|enumerate|zip|min|max|sorted|repr|type|super|round|any|all|next|iter)$/;
const KEYWORD = /^(?:if|elif|while|for|return|not|and|or|in|is|await|yield|with|lambda|assert|del|raise|except|print)$/;
/** Printing to the console or a terminal: output, not the work of a step. */
const OUTPUT = /^(?:await\s+)?(?:print|(?:self\.)?console\.\w+|click\.(?:echo|secho)|sys\.(?:stdout|stderr)\.write|rich\.print|typer\.echo)\s*\(/;
const LOGGING = /^(?:await\s+)?(?:self\.)?(?:logger|log|logging|_log|_logger)\.\w+\s*\(/;

function codeOnly(text: string): string {
  return text.replace(/(["'])(?:\\.|(?!\1).)*\1/g, '""').replace(/#.*$/, '');
}

/** The statements of a body as a tree by indentation (docstring and comments left out). */
function statements(body: { line: number; text: string }[]): Stmt[] {
  const flat: Stmt[] = [];
  let depth = 0;
  let inDoc: string | null = null;
  let triple: string | null = null;
  for (const l of body) {
    const t = l.text.trim();
    if (inDoc) {
      if (t.includes(inDoc)) inDoc = null;
      continue;
    }
    // inside a multi-line string of a statement: part of that statement
    if (triple) {
      if (l.text.includes(triple)) triple = null;
      if (flat.length > 0) {
        flat[flat.length - 1].full += ' …';
        flat[flat.length - 1].end = l.line;
      }
      continue;
    }
    const c = codeOnly(l.text);
    if (depth === 0 && t !== '' && !t.startsWith('#')) {
      const q = /^[rRuUbBfF]?("""|''')/.exec(t);
      if (q && flat.length === 0) {
        if (!t.slice(q[0].length).includes(q[1])) inDoc = q[1];
        continue;
      }
      flat.push({ line: l.line, end: l.line, text: t, code: c, full: t, indent: l.text.length - l.text.trimStart().length, children: [] });
    } else if (depth > 0 && flat.length > 0) {
      flat[flat.length - 1].code += ` ${c.trim()}`;
      flat[flat.length - 1].full += ` ${t}`;
      flat[flat.length - 1].end = l.line;
    }
    const opens = (l.text.match(/"""|'''/g) ?? []).length;
    if (opens % 2 === 1) triple = /"""/.test(l.text) ? '"""' : "'''";
    for (const ch of c) {
      if ('([{'.includes(ch)) depth++;
      else if (')]}'.includes(ch)) depth = Math.max(0, depth - 1);
    }
  }
  const root: Stmt[] = [];
  const stack: Stmt[] = [];
  for (const s of flat) {
    while (stack.length > 0 && stack[stack.length - 1].indent >= s.indent) stack.pop();
    (stack.length > 0 ? stack[stack.length - 1].children : root).push(s);
    stack.push(s);
  }
  return root;
}

/** Distinct callees of statements (nested ones included), logging and trivial calls left out. */
function calleesOf(stmts: Stmt[]): string[] {
  const out: string[] = [];
  const walk = (ss: Stmt[]) => {
    for (const s of ss) {
      if (!LOGGING.test(s.text)) {
        for (const m of s.code.matchAll(/(?<![\w$.])((?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*)\s*\(/g)) {
          const name = m[1];
          if (KEYWORD.test(name) || QUIET.test(name) || out.includes(name)) continue;
          out.push(name);
        }
      }
      walk(s.children);
    }
  };
  walk(stmts);
  return out;
}

/** How a block ends when its last statement leaves: returns, raises, skips, leaves the loop. */
function ending(block: Stmt[]): string | null {
  const last = block[block.length - 1];
  if (!last) return null;
  const r = /^return\b\s*(.*)$/.exec(last.full);
  if (r) return r[1] ? `returns ${code(cutCode(r[1], 50))}` : 'returns';
  const x = /^raise\b\s*(.*)$/.exec(last.full);
  if (x) return x[1] ? `raises ${code(cutCode(x[1].replace(/\(.*$/, ''), 40))}` : 'raises the exception again';
  if (/^continue\b/.test(last.text)) return 'skips to the next item';
  if (/^break\b/.test(last.text)) return 'leaves the loop';
  return null;
}

/** What a block does in one clause: "calls `a` and `b`, then returns `x`". */
function blockSummary(block: Stmt[]): string {
  // a raise or return under a condition is said with its condition, not as a call
  const exits = block.filter((s) => /^(?:if|elif)\b/.test(s.text)).map((s) => ({ s, end: ending(s.children) })).filter((x) => x.end !== null && /^(?:returns|raises)/.test(x.end));
  const calls = calleesOf(block.filter((s) => !/^(?:return|raise)\b/.test(s.text) && !exits.some((x) => x.s === s)));
  const sets = block.map((s) => assigned(s)).filter((x): x is string => x !== null).filter((x, i, a) => a.indexOf(x) === i);
  const end = ending(block);
  const does = [...(sets.length > 0 ? [`sets ${callList(sets)}`] : []), ...(calls.length > 0 ? [`calls ${callList(calls)}`] : [])].join('; ');
  const conditional = exits.map((x) => `${x.end} when ${code(cutCode((/^(?:if|elif)\s+(.+?):?$/.exec(x.s.full)?.[1] ?? '').replace(/([([{])\s+/g, '$1').replace(/\s+([)\]}])/g, '$1'), 80))}`).join(' and ');
  const head = [does, conditional].filter(Boolean).join('; ');
  // after an exit under a condition, the block's own ending is the other case
  const parts = [...(head ? [head] : []), ...(end ? [conditional ? `otherwise ${end}` : end] : [])];
  if (parts.length > 0) return parts.join(conditional ? ', ' : ', then ');
  return block.length > 0 && block.every((s) => LOGGING.test(s.text)) ? 'only logs' : 'nothing that calls or assigns';
}

/** The target a statement assigns a value that is not a call's (`overrides["devlog"] = {…}`), or null. */
function assigned(s: Stmt): string | null {
  const m = /^([A-Za-z_][\w.]*(?:\[[^\]]+\])?)\s*(?::\s*[^=]+)?(?:[-+*/|&]|\/\/)?=(?!=)/.exec(s.full);
  // a value from a call is said by the call (one the step names: `" AND ".join(…)` or `len(…)` is not)
  if (!m || (/[\w\])]\s*\(/.test(s.code.slice(s.code.indexOf('=') + 1)) && calleesOf([{ ...s, children: [] }]).length > 0)) return null;
  return cutCode(m[1], 40);
}

/** A statement as a step shows it: whole when short, else its call with the arguments elided (`x = await f(…)`). */
function shortStatement(s: Stmt): string {
  if (s.full.length <= 60) return s.full;
  const m = /^((?:[\w.[\]"]+\s*(?:[-+*/]?=)\s*)?(?:await\s+)?(?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*)\s*\(/.exec(s.full);
  if (m) return `${m[1]}(…)`;
  const open = /^[{[(]/.exec(s.full)?.[0];
  return open ? `${open}…${{ '{': '}', '[': ']', '(': ')' }[open]}` : cutCode(s.full, 60);
}

/** `(line 5)`, or `(lines 5–7)` for statements over several lines. */
export function lineRef(line: number, end?: number): string {
  return end !== undefined && end > line ? `(lines ${line}–${end})` : `(line ${line})`;
}

/** The last file line of a statement with its block. */
function endOf(s: Stmt): number {
  return Math.max(s.end, ...s.children.map(endOf));
}

function capital(t: string): string {
  return /^[a-z]/.test(t) ? `${t.charAt(0).toUpperCase()}${t.slice(1)}` : t;
}

interface RunPart {
  kind: 'call' | 'set' | 'print' | 'more';
  line: number;
  end: number;
  text: string;
  count: number;
}

/**
 * A run of plain statements as the parts a step names, in source order: each statement that
 * calls something (its text), values set without a call (`sets \`mode\``), consecutive prints to
 * the console as one part; logging and imports left out. After the third call (a fourth is
 * shown rather than counted), the rest is one part, "N more statements", with its lines.
 */
function runParts(run: Stmt[]): RunPart[] {
  const parts: RunPart[] = [];
  let calls = 0;
  const callCount = run.filter((s) => !LOGGING.test(s.text) && !OUTPUT.test(s.text) && /[\w\])]\s*\(/.test(s.code)).length;
  const max = callCount === 4 ? 4 : 3;
  const shown = run.filter((s) => !LOGGING.test(s.text) && !/^(?:from|import)\b/.test(s.text));
  for (const [i, s] of shown.entries()) {
    const prev = parts[parts.length - 1];
    // "1 more statement" takes as many words as the statement: the last one is shown
    if (calls >= max && !(i === shown.length - 1 && prev?.kind !== 'more')) {
      if (prev?.kind === 'more') {
        prev.count++;
        prev.end = s.end;
      } else parts.push({ kind: 'more', line: s.line, end: s.end, text: '', count: 1 });
      continue;
    }
    if (OUTPUT.test(s.text)) {
      if (prev?.kind === 'print') {
        prev.count++;
        prev.end = s.end;
      } else parts.push({ kind: 'print', line: s.line, end: s.end, text: '', count: 1 });
      continue;
    }
    if (/[\w\])]\s*\(/.test(s.code)) {
      calls++;
      parts.push({ kind: 'call', line: s.line, end: s.line, text: code(shortStatement(s)), count: 1 });
      continue;
    }
    const target = assigned(s);
    if (target === null) continue;
    if (prev?.kind === 'set') {
      prev.text += prev.text.includes(code(target)) ? '' : ` and ${code(target)}`;
      prev.end = s.end;
    } else parts.push({ kind: 'set', line: s.line, end: s.end, text: `sets ${code(target)}`, count: 1 });
  }
  for (const p of parts) {
    if (p.kind === 'print') p.text = p.count > 1 ? `${p.count} prints to the console` : 'prints to the console';
    if (p.kind === 'more') p.text = `${p.count} more statement${p.count > 1 ? 's' : ''}`;
  }
  // a run that only sets values or only prints says little alone, but it is a step of the body
  return parts;
}

const OPENER = /^(?:if|elif|else|for|async\s+for|while|with|async\s+with|try|except|finally|match|case)\b/;

/** The steps of a block, `try` blocks expanded one level (`nested`: inside one already). */
function blockSteps(block: Stmt[], nested: boolean): WalkStep[] {
  const out: WalkStep[] = [];
  let run: Stmt[] = [];
  const flush = () => {
    const parts = runParts(run);
    run = [];
    if (parts.length === 0) return;
    const first = parts[0];
    const last = parts[parts.length - 1];
    // one part: the step's own line; several: each part cites its own lines, in source order
    if (parts.length === 1) out.push({ line: first.line, ...(first.end > first.line ? { end: first.end } : {}), text: capital(first.text) });
    else out.push({ line: first.line, end: last.end, cited: true, text: capital(parts.map((p) => `${p.text} ${lineRef(p.line, p.end)}`).join(', then ')) });
  };
  for (let i = 0; i < block.length; i++) {
    const s = block[i];
    if (!OPENER.test(s.text)) {
      const r = /^return\b\s*(.*)$/.exec(s.full);
      const x = /^raise\b\s*(.*)$/.exec(s.full);
      if (r || x) {
        flush();
        const value = (v: string) => code(shortStatement({ ...s, full: v }));
        out.push({ line: s.line, end: s.end, text: r ? (r[1] ? `Returns ${value(r[1])}` : 'Returns') : x![1] ? `Raises ${value(x![1])}` : 'Raises the caught exception again' });
        continue;
      }
      run.push(s);
      continue;
    }
    flush();
    const head = s.text.replace(/:\s*$/, '');
    let m: RegExpExecArray | null;
    if ((m = /^(if|elif|while)\s+(.+)$/.exec(head))) {
      const what = m[1] === 'while' ? 'While' : m[1] === 'elif' ? 'Else, if' : 'If';
      out.push({ line: s.line, end: endOf(s), text: `${what} ${code(cutCode(m[2], 60))}: ${blockSummary(s.children)}` });
    } else if (/^else$/.test(head)) {
      out.push({ line: s.line, end: endOf(s), text: `Otherwise: ${blockSummary(s.children)}` });
    } else if ((m = /^((?:async\s+)?for)\s+(.+)$/.exec(head))) {
      out.push({ line: s.line, end: endOf(s), text: `For each ${code(cutCode(m[2], 60))}: ${blockSummary(s.children)}` });
    } else if ((m = /^((?:async\s+)?with)\s+(.+)$/.exec(head))) {
      // a `with` block holding most of the body (a connection, a lock) reads like a `try`
      if (nested || s.children.length < 3) out.push({ line: s.line, end: endOf(s), text: `With ${code(cutCode(m[2], 60))}: ${blockSummary(s.children)}` });
      else out.push({ line: s.line, text: `With ${code(cutCode(m[2], 60))}:`, sub: blockSteps(s.children, true) });
    } else if (/^try$/.test(head)) {
      const inner = nested ? [] : blockSteps(s.children, true);
      // one step inside: said on one line
      if (inner.length === 1 && !nested) out.push({ ...inner[0], text: `In a \`try\` block: ${inner[0].text.replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase())}` });
      else if (nested || inner.length === 0) out.push({ line: s.line, end: endOf(s), text: `In a \`try\` block: ${blockSummary(s.children)}` });
      else out.push({ line: s.line, text: 'In a `try` block:', sub: inner });
    } else if ((m = /^except\b\s*(.*)$/.exec(head))) {
      const caught = m[1].replace(/\s+as\s+\w+$/, '').trim();
      out.push({ line: s.line, end: endOf(s), text: `If ${caught ? code(caught) : 'any exception'} is raised: ${blockSummary(s.children)}` });
    } else if (/^finally$/.test(head)) {
      out.push({ line: s.line, end: endOf(s), text: `Always at the end (\`finally\`): ${blockSummary(s.children)}` });
    } else {
      out.push({ line: s.line, end: endOf(s), text: `${code(cutCode(head, 60))}: ${blockSummary(s.children)}` });
    }
  }
  flush();
  return out;
}

/**
 * The steps of a Python function's body in source order (see the module comment): the
 * top-level steps (at most `limit`) and the sub-steps of `try` blocks within what is left of
 * `limit` (at least 3); what is left out as one "… and N more steps" line.
 */
export function walkthrough(source: string, name: string, startLine: number, limit = 12): WalkStep[] {
  const steps = blockSteps(statements(bodyLines(source, name, startLine)), false);
  // every top-level step is shown (up to the limit); the sub-steps of `try` blocks share what is left
  const top = steps.slice(0, limit);
  const dropped = steps.length - top.length;
  let budget = Math.max(3, limit - top.length);
  const out = top.map((s) => {
    if (!s.sub) return s;
    const keep = s.sub.slice(0, budget);
    budget = Math.max(0, budget - keep.length);
    const rest = s.sub.length - keep.length;
    return { ...s, sub: rest > 0 ? [...keep, { line: -1, text: `… and ${rest} more step${rest > 1 ? 's' : ''} in the block` }] : keep };
  });
  if (dropped > 0) out.push({ line: -1, text: `… and ${dropped} more step${dropped > 1 ? 's' : ''}` });
  return out;
}
