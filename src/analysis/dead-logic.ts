/**
 * Code whose effect is not what it reads like (issue 12, blind review: "a reader wants the so
 * what"): pure functions over Python source text, each finding with its file line.
 *
 * - parameters a function never reads (a value passed for them changes nothing), and calls
 *   that pass a value to such a parameter of another function of the repository;
 * - a literal given to a field or name that a comparison in the same file tests against a
 *   threshold the literal can never meet (`total = 20` while `score >= 25` decides);
 * - `break` in a nested loop, which leaves only the innermost loop (the outer ones go on), and
 *   `break` right after a match in a search loop (the first match wins, later ones are never
 *   looked at);
 * - a broad exception handler that drops the error without a trace (the language finds it,
 *   `swallowedGotcha` says what is lost: the loop's item, the rest of the block, the result).
 */
import { callList, cutCode } from '../core/code-text.ts';
import type { StaticGotcha } from './gotchas.ts';
import type { SwallowedHandler } from '../languages/types.ts';

/** Text without string literals (f-string fields kept) and comments. */
function codeOnly(text: string): string {
  return text
    .replace(/\b[fF][rR]?(["'])((?:\\.|(?!\1).)*)\1/g, (_m, _q, body: string) => ` ${[...body.matchAll(/\{([^{}]*)\}/g)].map((x) => x[1]).join(' ')} `)
    .replace(/(["'])(?:\\.|(?!\1).)*\1/g, '""')
    .replace(/#.*$/, '');
}

const indentOf = (s: string): number => s.length - s.trimStart().length;

/** The body lines of a Python `def` (source from its `def` line): after the signature and the docstring. */
function defBody(source: string, startLine: number): { line: number; text: string }[] {
  const lines = source.split('\n');
  let depth = 0;
  let i = 0;
  for (; i < lines.length; i++) {
    const c = codeOnly(lines[i]);
    for (const ch of c) depth += '([{'.includes(ch) ? 1 : ')]}'.includes(ch) ? -1 : 0;
    if (depth <= 0 && /:\s*$/.test(c.trimEnd())) break;
  }
  let rest = lines.slice(i + 1).map((text, k) => ({ line: startLine + i + 1 + k, text })).filter((l) => l.text.trim() !== '' && !/^\s*#/.test(l.text));
  // the docstring
  const q = /^\s*[rRuU]?("""|''')/.exec(rest[0]?.text ?? '');
  if (q) {
    const end = rest.findIndex((l, k) => (k === 0 ? l.text.split(q[1]).length > 2 : l.text.includes(q[1])));
    rest = rest.slice(end + 1);
  } else if (/^\s*[rRuU]?(["'])(?:\\.|(?!\1).)*\1\s*$/.test(rest[0]?.text ?? '')) rest = rest.slice(1);
  return rest;
}

/** A body that only stands for an interface: `pass`, `...`, `raise NotImplementedError`, a bare return. */
function isStub(body: { text: string }[]): boolean {
  return body.length === 0 || body.every((l) => /^\s*(?:pass|\.\.\.|raise\s+NotImplementedError\b.*|return(?:\s+None)?)\s*$/.test(l.text));
}

/** A parameter a function never reads. */
export interface UnusedParameter {
  name: string;
  /** Position among the parameters a caller passes (`self`/`cls` not counted), 0-based. */
  position: number;
  /** File line of the parameter in the signature. */
  line: number;
}

/**
 * Parameters of a Python function (`params` as the index lists them, `self`/`cls` included) that
 * its body never names. Left out: `self`/`cls`, `*args`/`**kwargs`, stubs (the body is `pass`,
 * `...` or `raise NotImplementedError`), dunder methods other than `__init__` and functions
 * decorated `abstractmethod`/`overload`/`override` (their signature is a protocol's).
 */
export function unusedParameters(source: string, startLine: number, params: readonly string[], decorators: readonly string[] = [], name = ''): UnusedParameter[] {
  if (/^__\w+__$/.test(name) && name !== '__init__') return [];
  if (decorators.some((d) => /\b(?:abstractmethod|overload|override)\b/.test(d))) return [];
  const body = defBody(source, startLine);
  if (isStub(body)) return [];
  const text = body.map((l) => codeOnly(l.text)).join('\n');
  const sigLines = source.split('\n');
  const own = params.filter((p) => !/^(?:self|cls)$/.test(p));
  const out: UnusedParameter[] = [];
  own.forEach((p, position) => {
    if (p.startsWith('*') || !/^[A-Za-z_]\w*$/.test(p)) return;
    if (new RegExp(`(?<![\\w.])${p}(?!\\w)`).test(text)) return;
    const at = sigLines.findIndex((l) => new RegExp(`(?<![\\w.])${p}(?!\\w)`).test(codeOnly(l)));
    out.push({ name: p, position, line: startLine + Math.max(0, at) });
  });
  return out;
}

/**
 * Whether a file hands the function `name` over without calling it (`signal.signal(SIGTERM,
 * self._handle_shutdown)`, `callback=on_done`): its signature is then set by whoever calls it
 * back, and a parameter it does not read is no mistake.
 */
export function passedByReference(fileSource: string, name: string): boolean {
  const re = new RegExp(`(?<![\\w])(?:self\\.|cls\\.)?${name}(?![\\w(])(?!\\s*\\()`);
  return fileSource.split('\n').some((l) => !/^\s*(?:async\s+)?def\s/.test(l) && re.test(codeOnly(l)));
}

const list = (xs: string[]): string => (xs.length > 1 ? `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}` : xs[0]);

/**
 * The gotcha for a function's own unused parameters. A parameter named with a leading
 * underscore says "unused on purpose": it is reported only when a caller passes a value for it
 * (`passedBy`, where), since then the caller believes it matters.
 */
export function unusedParameterGotcha(fn: string, unused: UnusedParameter[], passedBy: { name: string; where: string }[] = []): StaticGotcha[] {
  const shown = unused.filter((u) => !u.name.startsWith('_') || passedBy.some((p) => p.name === u.name));
  if (shown.length === 0) return [];
  const names = shown.map((u) => `\`${u.name}\``);
  const callers = [...new Set(passedBy.filter((p) => shown.some((u) => u.name === p.name)).map((p) => p.where))];
  return [{
    kind: 'unused parameter',
    severity: 'medium',
    line: shown[0].line,
    excerpt: shown[0].name,
    in: fn,
    note: `\`${fn}\` never reads ${list(names)} (line ${shown[0].line}): ${callers.length > 0 ? `the ${shown.length > 1 ? 'values' : 'value'} passed at ${list(callers)} ${shown.length > 1 ? 'change' : 'changes'} nothing` : `whatever a caller passes for ${shown.length > 1 ? 'them' : 'it'} changes nothing`}${shown.some((u) => u.name.startsWith('_')) ? ` (the leading underscore marks ${shown.length > 1 ? 'them' : 'it'} unused on purpose, but ${callers.length > 1 ? 'callers still pass' : 'the caller still passes'} ${shown.length > 1 ? 'them' : 'it'})` : ''}`,
  }];
}

/** Top-level arguments of a call whose text starts right after its `(`; keyword names kept. */
function callArguments(after: string): { positional: number; keywords: string[] } | null {
  let depth = 1;
  let cur = '';
  const parts: string[] = [];
  for (const ch of after) {
    if ('([{'.includes(ch)) depth++;
    if (')]}'.includes(ch)) depth--;
    if (depth === 0) {
      parts.push(cur);
      const args = parts.map((p) => p.trim()).filter((p) => p !== '');
      const keywords = args.map((a) => /^([A-Za-z_]\w*)\s*=(?!=)/.exec(a)?.[1]).filter((k): k is string => k !== undefined);
      return { positional: args.filter((a) => !/^([A-Za-z_]\w*)\s*=(?!=)/.test(a) && !a.startsWith('*')).length, keywords };
    }
    if (ch === ',' && depth === 1) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  return null;
}

/**
 * Which parameters in `unused` a call passes a value for: `callText` is the source from the
 * call's line on, `callee` the name as called (`self.scorer.get_git_stats`, `get_git_stats`).
 */
export function passedUnused(callText: string, callee: string, unused: UnusedParameter[]): UnusedParameter[] {
  const code = callText.split('\n').map(codeOnly).join('\n');
  const at = code.search(new RegExp(`(?<![\\w])${callee.replace(/\./g, '\\.')}\\s*\\(`));
  if (at < 0) return [];
  const args = callArguments(code.slice(code.indexOf('(', at) + 1));
  if (!args) return [];
  return unused.filter((u) => u.position < args.positional || args.keywords.includes(u.name));
}

/** The gotcha on a caller's page: it passes values to parameters the callee never reads. */
export function ignoredArgumentGotcha(call: { line: number; excerpt: string }, callee: { name: string; file: string; line: number }, ignored: UnusedParameter[]): StaticGotcha {
  const names = ignored.map((u) => `\`${u.name}\``);
  return {
    kind: 'argument ignored',
    severity: 'medium',
    line: call.line,
    excerpt: call.excerpt,
    note: `\`${cutCode(call.excerpt, 60)}\` passes values for ${list(names)}, which \`${callee.name}\` (\`${callee.file}:${callee.line}\`) never reads: ${ignored.length > 1 ? 'those values change' : 'that value changes'} nothing in what it returns or does`,
  };
}

// ---------------------------------------------------------------------------------------------
// A literal that never meets the threshold compared against it

const COMPARE = /(?<![\w.])((?:self\.)?[A-Za-z_][\w.]*)\s*(>=|>|<=|<)\s*(-?\d+(?:\.\d+)?)(?![\w.])/g;

/** Whether `value op threshold` holds. */
function holds(value: number, op: string, threshold: number): boolean {
  return op === '>=' ? value >= threshold : op === '>' ? value > threshold : op === '<=' ? value <= threshold : value < threshold;
}

/** The name of the `def` that holds file line `line` (1-based), or null. */
function enclosingDef(lines: string[], line: number): string | null {
  const ind = indentOf(lines[line - 1] ?? '');
  for (let i = line - 2; i >= 0; i--) {
    const d = /^(\s*)(?:async\s+)?def\s+([A-Za-z_]\w*)/.exec(lines[i]);
    if (d && d[1].length < ind) return d[2];
  }
  return null;
}

/**
 * Literal numbers given to a keyword argument or assigned to a name (`total = 20` in a
 * constructor call, `score = 0`) in a Python file, against the comparisons of the same file that
 * read that name — directly (`x.total >= 25`) or through a `@property` that returns it
 * (`def score(self): return self.interest_score.total` … `self.score >= 25`) — when the literal
 * can never pass the comparison. The finding is at the literal's line; `within` limits the
 * literals to a line range (a function page), comparisons are read from the whole file.
 */
export function literalsBelowThreshold(fileSource: string, within?: { start: number; end: number }): StaticGotcha[] {
  const lines = fileSource.split('\n');
  // properties returning an attribute path: score → total
  const aliases = new Map<string, string>();
  const aliasPath = new Map<string, string>();
  for (let i = 0; i < lines.length - 2; i++) {
    if (!/^\s*@(?:functools\.)?(?:cached_)?property\s*$/.test(lines[i])) continue;
    const d = /^\s*def\s+([A-Za-z_]\w*)\s*\(\s*self\s*\)/.exec(lines[i + 1]);
    if (!d) continue;
    for (let k = i + 2; k < Math.min(lines.length, i + 8); k++) {
      const r = /^\s*return\s+self\.([\w.]+)\s*$/.exec(codeOnly(lines[k]));
      if (r) {
        aliases.set(d[1], r[1].split('.').pop()!);
        aliasPath.set(d[1], `self.${r[1]}`);
        break;
      }
      if (/^\s*(?:def|@)/.test(lines[k])) break;
    }
  }
  const comparisons: { field: string; via: string; op: string; threshold: number; line: number; text: string }[] = [];
  lines.forEach((l, i) => {
    const c = codeOnly(l);
    if (!/^\s*(?:if|elif|while|return|assert)\b|\band\b|\bor\b/.test(c)) return;
    for (const m of c.matchAll(COMPARE)) {
      const last = m[1].split('.').pop()!;
      const field = aliases.get(last) ?? last;
      comparisons.push({ field, via: last, op: m[2], threshold: Number(m[3]), line: i + 1, text: m[0] });
    }
  });
  if (comparisons.length === 0) return [];
  const out: StaticGotcha[] = [];
  // bracket depth at the start of each line: only keyword arguments count (a local `n = 0` is
  // usually a counter that changes before the comparison)
  let depth = 0;
  let signature = false;
  const inSignature: boolean[] = [];
  const depthAt = lines.map((l) => {
    const d = depth;
    if (d === 0) signature = /^\s*(?:async\s+)?def\b/.test(l);
    inSignature.push(signature);
    for (const ch of codeOnly(l)) depth = Math.max(0, depth + ('([{'.includes(ch) ? 1 : ')]}'.includes(ch) ? -1 : 0));
    return d;
  });
  lines.forEach((l, i) => {
    const line = i + 1;
    if ((within && (line < within.start || line > within.end)) || inSignature[i]) return;
    const c = codeOnly(l);
    for (const m of c.matchAll(/(?<![\w.=!<>])([A-Za-z_]\w*)\s*=\s*(-?\d+(?:\.\d+)?)\s*(?:,|\)|$)/g)) {
      let d = depthAt[i];
      for (const ch of c.slice(0, m.index)) d += '([{'.includes(ch) ? 1 : ')]}'.includes(ch) ? -1 : 0;
      if (d <= 0) continue;
      const value = Number(m[2]);
      const failing = comparisons.filter((k) => k.field === m[1] && k.line !== line && !holds(value, k.op, k.threshold));
      if (failing.length === 0) continue;
      const k = failing[0];
      const via = k.via !== k.field ? `, where \`${k.via}\` returns \`${aliasPath.get(k.via)}\`` : '';
      const owner = enclosingDef(lines, k.line);
      out.push({
        kind: 'threshold never met',
        severity: 'medium',
        line,
        excerpt: cutCode(l, 90),
        note: `\`${m[1]} = ${m[2]}\` here never passes \`${k.text}\` (line ${k.line}${owner ? `, in \`${owner}\`` : ''}${via}): ${value} ${k.op.startsWith('>') ? 'is below' : 'is above'} ${k.threshold}, so a value built on this path never passes that check`,
      });
    }
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// break: only the innermost loop, or the first match of a search

/**
 * Whether loop `outer` (a line of `body`) has, after the `break` at `body[at]` and before its own
 * end, an `if` with the same condition as `cond` directly in its body (not in a deeper loop)
 * whose block is `break`.
 */
function rechecks(body: { line: number; text: string }[], at: number, outer: { line: number; text: string }, inner: { line: number; text: string }, cond: { line: number; text: string }): boolean {
  const squash = (x: string) => codeOnly(x).replace(/\s+/g, ' ').trim();
  const want = squash(cond.text);
  const outerIndent = indentOf(outer.text);
  for (let k = at + 1; k < body.length && (body[k].text.trim() === '' || indentOf(body[k].text) > outerIndent); k++) {
    const t = body[k].text;
    if (indentOf(t) <= indentOf(inner.text) && squash(t) === want && /^\s*break\s*$/.test(body[k + 1]?.text ?? '') && loopAround(body, k) === outer.line) return true;
  }
  return false;
}

/** The line of the innermost `for`/`while` that holds `body[at]`, or -1. */
function loopAround(body: { line: number; text: string }[], at: number): number {
  let level = indentOf(body[at].text);
  for (let k = at - 1; k >= 0; k--) {
    if (body[k].text.trim() === '' || indentOf(body[k].text) >= level) continue;
    level = indentOf(body[k].text);
    if (/^\s*(?:async\s+)?(?:for|while)\b/.test(body[k].text)) return body[k].line;
  }
  return -1;
}

/**
 * `break` statements of a Python function (source from its `def` line at `startLine`) whose
 * effect a reader misjudges: one inside two or more nested loops leaves only the innermost (the
 * outer loops go on, so a cap it enforces holds per inner loop, not in total); one that follows
 * an assignment under an `if` in a search loop stops at the first match (later matches are never
 * looked at). One gotcha per `break`.
 */
export function breakEffects(source: string, startLine: number): StaticGotcha[] {
  const body = defBody(source, startLine);
  const out: StaticGotcha[] = [];
  body.forEach((b, i) => {
    if (!/^\s*break\s*$/.test(b.text)) return;
    // enclosing blocks, innermost first
    const blocks: { line: number; text: string }[] = [];
    let level = indentOf(b.text);
    for (let k = i - 1; k >= 0; k--) {
      if (indentOf(body[k].text) >= level) continue;
      level = indentOf(body[k].text);
      blocks.push(body[k]);
    }
    const loops = blocks.filter((x) => /^\s*(?:async\s+)?(?:for|while)\b/.test(x.text));
    if (loops.length === 0) return;
    const inner = loops[0];
    const cond = blocks[0] && /^\s*(?:if|elif)\b/.test(blocks[0].text) ? blocks[0] : null;
    // a search: `if cond:` … `x = …` … `break` as the last statements of the if
    const prev = body[i - 1];
    // only a loose test (endswith, in, a regex) can match several items: an exact `==` finds the one
    if (cond && prev && prev.line > cond.line && /^\s*[A-Za-z_][\w.]*\s*=(?!=)/.test(prev.text) && /^\s*for\b/.test(inner.text) && !/==|\bis\b/.test(codeOnly(cond.text))) {
      out.push({
        kind: 'first match wins',
        severity: 'low',
        line: b.line,
        excerpt: cutCode(cond.text, 90),
        note: `\`${cutCode(inner.text.trim(), 50)}\` (line ${inner.line}) stops at the first item where \`${cutCode(cond.text.trim().replace(/^(?:if|elif)\s+|:$/g, ''), 60)}\` (line ${cond.line}) and keeps \`${cutCode(prev.text.trim(), 50)}\`: when several items match, the first in iteration order wins and the others are never looked at`,
      });
      return;
    }
    if (loops.length >= 2) {
      // an outer loop that tests the same condition after the inner one and breaks too stops as
      // well (`if len(targets) >= limit: break` at each level): only the others go on
      const outer = loops.slice(1).filter((o) => !(cond && rechecks(body, i, o, inner, cond)));
      if (outer.length === 0) return;
      out.push({
        kind: 'break leaves one loop',
        severity: 'medium',
        line: b.line,
        excerpt: cond ? cutCode(cond.text, 90) : 'break',
        note: `the \`break\` at line ${b.line}${cond ? ` (under \`${cutCode(cond.text.trim(), 60)}\`, line ${cond.line})` : ''} leaves only \`${cutCode(inner.text.trim(), 50)}\` (line ${inner.line}); ${outer.length > 1 ? 'the outer loops' : 'the outer loop'} ${list(outer.map((o) => `\`${cutCode(o.text.trim(), 50)}\` (line ${o.line})`))} ${outer.length > 1 ? 'go' : 'goes'} on with the next item, so the check stops one inner loop at a time, not the whole search`,
      });
      return;
    }
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// A check polled at an interval: how late it notices

/**
 * A `while` loop of a Python function (source from its `def` line at `startLine`) that sleeps
 * a fixed number of seconds each turn (`asyncio.sleep(x)`, `time.sleep(x)`, a literal or a local
 * name assigned one) and tests a value against a fixed threshold (`age > alert_threshold`): the
 * check sees the condition only on its next turn, so it acts between T and T + interval seconds
 * after the condition starts to hold, and anything that keeps the value above T for longer than
 * T — a quiet stretch or a slow run alike — sets it off. One gotcha per such loop.
 */
export function pollingDelay(source: string, startLine: number): StaticGotcha[] {
  const body = defBody(source, startLine);
  const consts = new Map<string, { value: number; line: number }>();
  for (const b of body) {
    const m = /^\s*([A-Za-z_]\w*)\s*(?::\s*\w+\s*)?=\s*(\d+(?:\.\d+)?)\s*$/.exec(codeOnly(b.text));
    if (m) consts.set(m[1], { value: Number(m[2]), line: b.line });
  }
  const valueOf = (x: string): { value: number; name: string | null; line: number | null } | null => {
    if (/^\d+(?:\.\d+)?$/.test(x)) return { value: Number(x), name: null, line: null };
    const c = consts.get(x);
    return c ? { value: c.value, name: x, line: c.line } : null;
  };
  const out: StaticGotcha[] = [];
  body.forEach((b, i) => {
    if (!/^\s*while\b/.test(b.text)) return;
    const ind = indentOf(b.text);
    const inner = [];
    for (let k = i + 1; k < body.length && indentOf(body[k].text) > ind; k++) inner.push(body[k]);
    const sleep = inner.map((l) => ({ l, m: /\b(?:asyncio|time)\.sleep\(\s*([A-Za-z_]\w*|\d+(?:\.\d+)?)\s*\)/.exec(codeOnly(l.text)) })).find((x) => x.m);
    if (!sleep) return;
    const interval = valueOf(sleep.m![1]);
    if (!interval || interval.value <= 0) return;
    for (const l of inner) {
      const m = /^\s*(?:if|elif)\s+(?:.*\band\s+)?([A-Za-z_]\w*)\s*(>=|>)\s*([A-Za-z_]\w*|\d+(?:\.\d+)?)/.exec(codeOnly(l.text));
      if (!m) continue;
      const threshold = valueOf(m[3]);
      if (!threshold) continue;
      const t = threshold.value;
      const iv = interval.value;
      const name = (v: { value: number; name: string | null }) => (v.name ? `\`${v.name}\` (${v.value} s)` : `${v.value} s`);
      out.push({
        kind: 'polling delay',
        severity: 'low',
        line: l.line,
        excerpt: cutCode(l.text, 90),
        note: `\`${m[1]} ${m[2]} ${m[3]}\` is checked once every ${name(interval)} (\`${cutCode(sleep.l.text.trim(), 50)}\`, line ${sleep.l.line}), so it acts up to ${iv} s after \`${m[1]}\` passes ${name(threshold)}: ${t} to ${t + iv} s after the moment \`${m[1]}\` counts from; and any stretch longer than ${t} s (${Math.round(t / 60)} min) before that moment moves on sets it off, whether something went wrong or a run simply took longer`,
      });
      return;
    }
  });
  return out;
}

/**
 * What a silent broad handler (`src/languages/types.ts` SwallowedHandler) hides, said for a
 * reader: the errors of which calls it catches, and what happens instead — `continue` skips the
 * loop's current item, `pass` goes on after the `try` as if the block had succeeded, `return`
 * ends the function (a generator: the caller gets no more items) — with nothing logged.
 * `generator`: the function has `yield` statements.
 */
export function swallowedGotcha(h: SwallowedHandler, generator: boolean): StaticGotcha {
  const tick = (s: string) => `\`${s}\``;
  const calls = h.calls.length > 0 ? `: ${callList(h.calls)}` : '';
  const guarded = `${h.caught === 'every exception' ? 'every exception' : tick(h.caught)} raised in the \`try\` block (${h.tryEnd > h.tryLine ? `lines ${h.tryLine}–${h.tryEnd}` : `line ${h.tryLine}`}${calls})`;
  let lost: string;
  if (h.action === 'continue' && h.loop) {
    const item = h.loop.item ? `that ${tick(h.loop.item)}` : 'that round';
    lost = `\`continue\` skips ${item} of ${tick(cutCode(h.loop.header, 70))} (line ${h.loop.line})${generator ? ' and yields nothing for it' : ''}`;
  } else if (h.action === 'return') lost = generator ? '`return` ends the generator: the caller gets no more items and cannot tell the failure from an empty result' : 'it returns `None`: the caller cannot tell the failure from an empty result';
  else lost = 'execution goes on after the `try` as if the block had succeeded';
  return {
    kind: 'swallowed exception',
    severity: 'medium',
    line: h.line,
    excerpt: cutCode(h.excerpt, 90),
    note: `${tick(cutCode(h.excerpt.replace(/\s+#.*$/, ''), 60))} catches ${guarded}, and ${lost}; nothing is logged, so the error leaves no trace`,
  };
}
