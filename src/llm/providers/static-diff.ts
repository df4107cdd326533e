/**
 * What a change does to behaviour, read from its unified diff (issue 12, the blind review beside
 * the seeds: evolution pages listed the calls a commit adds and drops rather than what changed).
 * Per function the diff touches, in file order: checks added or dropped (with what runs under a
 * new one), exceptions now caught or raised, `finally` blocks, values returned, literals changed
 * in place (`timeout = 900` → `1800`), parameters added, dropped or given new defaults, and calls
 * made or no longer made. Lines only moved, re-indented or re-wrapped are not changes. Each item
 * carries its line in the new file (or the old one for what is gone). Pure function over text.
 */
import { cutCode } from './static-code.ts';
import { code } from '../../core/code-text.ts';

/** One function's behaviour changes, each a Markdown clause. */
export interface FunctionChange {
  /** The function (or `module level`). */
  name: string;
  items: string[];
}

interface DiffLine {
  sign: '+' | '-';
  text: string;
  /** Line in the new file (`+`) or the old file (`-`). */
  line: number;
  fn: string;
}

const DEF = /^\s*(?:export\s+)?(?:async\s+)?(?:def|function|func|fn)\s+([A-Za-z_$][\w$]*)|^\s*(?:(?:public|private|protected|static|async)\s+)*([A-Za-z_$][\w$]*)\s*\([^)]*\)\s*\{\s*$/;
const CLASS = /^\s*(?:export\s+)?class\s+([A-Za-z_$][\w$]*)/;
const LOGGING = /^(?:await\s+)?(?:self\.|this\.)?(?:logger|log|logging|_log|_logger|console)\.\w+\s*\(/;
const NOT_A_CALL = /^(?:if|elif|while|for|return|not|and|or|in|is|await|yield|with|lambda|assert|del|raise|except|print|len|str|int|float|bool|list|dict|set|tuple|isinstance|super|range|round|min|max|type|repr|getattr|hasattr|f|catch|switch|typeof|new|function)$/;

/** A handler line: `except A:`, `except (A, B) as e:`, `catch (e) {`; group 1 is what it names. */
const EXCEPT = /^(?:except|catch)\b\s*\(?([^):]*)\)?\s*[:{]?\s*$/;

/** The exception classes an `except` clause names, without the `as` binding. */
function exceptionNames(clause: string): string[] {
  return clause.replace(/\s+as\s+\w+$/, '').split(',').map((e) => e.trim()).filter((e) => e.length > 0);
}

function codeOnly(text: string): string {
  return text.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '""').replace(/#.*$|\/\/.*$/, '');
}

const squash = (s: string) => codeOnly(s).replace(/\s+/g, '');

/** Added and removed lines with their file lines and the function they sit in. */
function diffLines(diff: string): DiffLine[] {
  const out: DiffLine[] = [];
  let oldLine = 0;
  let newLine = 0;
  let fn = 'module level';
  let fnIndent = -1;
  for (const raw of diff.split('\n')) {
    const h = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@\s*(.*)$/.exec(raw);
    if (h) {
      oldLine = Number(h[1]);
      newLine = Number(h[2]);
      const d = DEF.exec(h[3]);
      fn = d ? (d[1] ?? d[2]) : 'module level';
      fnIndent = d ? h[3].length - h[3].trimStart().length : -1;
      continue;
    }
    if (/^(?:\+\+\+|---|diff |index |new file|deleted file|similarity|rename )/.test(raw) || oldLine === 0) continue;
    const sign = raw[0];
    const text = raw.slice(1);
    if (text.trim() !== '') {
      const ind = text.length - text.trimStart().length;
      const d = DEF.exec(text);
      if (d && !/^\s*(?:if|for|while|switch|catch)\b/.test(text)) {
        fn = d[1] ?? d[2];
        fnIndent = ind;
      } else if (CLASS.test(text) || (fnIndent >= 0 && ind <= fnIndent && !/^[)\]}]/.test(text.trim()))) {
        fn = 'module level';
        fnIndent = -1;
      }
    }
    if (sign === '+') out.push({ sign, text, line: newLine++, fn });
    else if (sign === '-') out.push({ sign, text, line: oldLine++, fn });
    else {
      oldLine++;
      newLine++;
    }
  }
  return out;
}

/** Callees of a line (strings and comments blanked), logging and conversions left out. */
function callees(text: string): string[] {
  if (LOGGING.test(text.trim())) return [];
  return [...codeOnly(text).matchAll(/(?<![\w$.])((?:[A-Za-z_$][\w$]*\.)*[A-Za-z_$][\w$]*)\s*\(/g)].map((m) => m[1]).filter((c) => !NOT_A_CALL.test(c));
}

/** The lines under an added block header (deeper indentation, same sign), as a list of callees. */
function blockCalls(lines: DiffLine[], i: number): string[] {
  const ind = lines[i].text.length - lines[i].text.trimStart().length;
  const out: string[] = [];
  // the block is the lines right below the header in the file, not + lines of a later hunk
  for (let j = i + 1; j < lines.length && lines[j].sign === lines[i].sign && lines[j].fn === lines[i].fn && lines[j].line === lines[j - 1].line + 1; j++) {
    const t = lines[j].text;
    if (t.trim() === '') continue;
    if (t.length - t.trimStart().length <= ind && !/^[)\]}]/.test(t.trim())) break;
    for (const c of callees(t)) if (!out.includes(c)) out.push(c);
  }
  return out;
}

/** A line with the lines it continues on while its brackets are open (same sign), comment removed. */
function joined(lines: DiffLine[], i: number): string {
  let text = lines[i].text.replace(/\s+#[^"']*$/, '').trim();
  let depth = 0;
  for (const ch of codeOnly(text)) depth += '([{'.includes(ch) ? 1 : ')]}'.includes(ch) ? -1 : 0;
  for (let j = i + 1; depth > 0 && j < lines.length && lines[j].sign === lines[i].sign; j++) {
    text += ` ${lines[j].text.trim()}`;
    for (const ch of codeOnly(lines[j].text)) depth += '([{'.includes(ch) ? 1 : ')]}'.includes(ch) ? -1 : 0;
  }
  return text;
}

/** How the block under a header added in one piece ends: returns, re-raises, skips, leaves the loop; null otherwise. */
function blockEnd(lines: DiffLine[], i: number): string | null {
  const ind = lines[i].text.length - lines[i].text.trimStart().length;
  let last: string | null = null;
  for (let j = i + 1; j < lines.length && lines[j].sign === lines[i].sign && lines[j].line === lines[j - 1].line + 1; j++) {
    const t = lines[j].text;
    if (t.trim() === '') continue;
    if (t.length - t.trimStart().length <= ind) break;
    last = t.trim();
  }
  if (!last) return null;
  if (/^return\b\s*$/.test(last)) return 'returns';
  const r = /^return\b\s*(.+?);?$/.exec(last);
  if (r) return `returns ${code(cutCode(r[1], 40))}`;
  if (/^(?:raise|throw)\b/.test(last)) return /^raise\s*$/.test(last) ? 'raises it again' : `raises ${code(cutCode(last.replace(/^(?:raise|throw)\s+(?:new\s+)?/, '').replace(/\(.*$/, ''), 40))}`;
  if (/^continue\b/.test(last)) return 'skips to the next item';
  if (/^break\b/.test(last)) return 'leaves the loop';
  return null;
}

/** Whether the + and - lines of one function are the same code moved, re-indented or re-wrapped. */
function sameCode(plus: DiffLine[], minus: DiffLine[]): boolean {
  const plusBlob = plus.map((l) => squash(l.text)).join('');
  const minusBlob = minus.map((l) => squash(l.text)).join('');
  return plus.every((l) => squash(l.text) === '' || minusBlob.includes(squash(l.text))) && minus.every((l) => squash(l.text) === '' || plusBlob.includes(squash(l.text)));
}

/**
 * The functions whose lines a diff adds or removes, in the order the diff reaches them, each with
 * whether its change is formatting only (the same code moved, re-indented or re-wrapped; comments
 * such as `# noqa` left out). A function is the one a changed line sits in — read from definition
 * lines in the diff, the hunk header's enclosing function only until the first definition line —
 * or `module level`.
 */
export function changedFunctions(diff: string): { name: string; reformatOnly: boolean }[] {
  const lines = diffLines(diff);
  const names = [...new Set(lines.map((l) => l.fn))];
  return names.map((name) => ({
    name,
    reformatOnly: sameCode(
      lines.filter((l) => l.fn === name && l.sign === '+'),
      lines.filter((l) => l.fn === name && l.sign === '-'),
    ),
  }));
}

/**
 * Whether every added and removed line of a diff is the same code moved, re-indented or
 * re-wrapped (a formatter run): no behaviour changes.
 */
export function reformatOnly(diff: string): boolean {
  const fns = changedFunctions(diff);
  return fns.length > 0 && fns.every((f) => f.reformatOnly);
}

function list(items: string[], max = 3): string {
  // "and 1 more" hides one name behind as many words as the name itself: show it
  const shown = items.slice(0, items.length === max + 1 ? max + 1 : max).map(code);
  const more = items.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  return shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}` : (shown[0] ?? '');
}

/** Parameters of a definition line: name → default (or null). */
function params(def: string): Map<string, string | null> {
  const m = /\(([^)]*)\)/.exec(def);
  const out = new Map<string, string | null>();
  if (!m) return out;
  for (const p of m[1].split(',')) {
    const x = /^\s*\*{0,2}([A-Za-z_$][\w$]*)\??\s*(?::[^=]+)?(?:=\s*(.+?))?\s*$/.exec(p);
    if (x && !/^(?:self|cls|this)$/.test(x[1])) out.set(x[1], x[2]?.trim() ?? null);
  }
  return out;
}

/**
 * The behaviour changes of a diff, per function in the order the diff reaches them; functions
 * the diff adds or removes whole are left to the caller (they are listed as added or removed).
 * `skip` names those. At most `maxFunctions` functions, `maxItems` items each.
 */
export function behaviourChanges(diff: string, skip: ReadonlySet<string> = new Set(), maxFunctions = 8, maxItems = 5): FunctionChange[] {
  const lines = diffLines(diff);
  const order: string[] = [];
  for (const l of lines) if (!order.includes(l.fn) && !skip.has(l.fn)) order.push(l.fn);
  const out: FunctionChange[] = [];
  for (const fn of order) {
    const mine = lines.filter((l) => l.fn === fn);
    const plus = mine.filter((l) => l.sign === '+');
    const minus = mine.filter((l) => l.sign === '-');
    // moved, re-indented or re-wrapped lines are no change: a line found in the other side's text
    const plusBlob = plus.map((l) => squash(l.text)).join('');
    const minusBlob = minus.map((l) => squash(l.text)).join('');
    const isNew = (l: DiffLine) => squash(l.text) !== '' && !minusBlob.includes(squash(l.text));
    const isGone = (l: DiffLine) => squash(l.text) !== '' && !plusBlob.includes(squash(l.text));
    const items: string[] = [];
    const usedMinus = new Set<DiffLine>();
    // a definition whose parameters changed
    const newDef = plus.find((l) => DEF.exec(l.text)?.slice(1).includes(fn));
    const oldDef = minus.find((l) => DEF.exec(l.text)?.slice(1).includes(fn));
    if (newDef && oldDef) {
      const a = params(oldDef.text);
      const b = params(newDef.text);
      const added = [...b.keys()].filter((k) => !a.has(k));
      const removed = [...a.keys()].filter((k) => !b.has(k));
      const changed = [...b.keys()].filter((k) => a.has(k) && a.get(k) !== b.get(k) && a.get(k) !== null && b.get(k) !== null);
      if (added.length > 0) items.push(`takes the new parameter${added.length > 1 ? 's' : ''} ${list(added)} (line ${newDef.line})`);
      if (removed.length > 0) items.push(`no longer takes ${list(removed)}`);
      for (const k of changed) items.push(`the default of ${code(k)} changes from ${code(a.get(k)!)} to ${code(b.get(k)!)} (line ${newDef.line})`);
    }
    for (const l of plus) {
      if (!isNew(l) || l === newDef) continue;
      const t = codeOnly(l.text).trim();
      // the same line with other literals: a value changed in place
      const shape = (s: string) => squash(s).replace(/-?\d[\d_.]*/g, '0');
      const twin = minus.find((m) => !usedMinus.has(m) && isGone(m) && shape(m.text) === shape(l.text) && squash(m.text) !== squash(l.text));
      if (twin) {
        usedMinus.add(twin);
        const was = codeOnly(twin.text).match(/-?\d[\d_.]*/g) ?? [];
        const now = codeOnly(l.text).match(/-?\d[\d_.]*/g) ?? [];
        const k = now.findIndex((n, i) => n !== was[i]);
        if (k >= 0) items.push(`changes ${code(was[k])} to ${code(now[k])} in ${code(cutCode(l.text.trim(), 60))} (line ${l.line})`);
        continue;
      }
      let m: RegExpExecArray | null;
      if ((m = /^(?:if|elif|else\s+if|while)\s*\(?(.+?)\)?\s*[:{]?\s*$/.exec(t))) {
        // the condition as written (strings kept), with the lines it continues on
        m[1] = /^\s*(?:if|elif|else\s+if|while)\s*(.+?)\s*[:{]?\s*$/.exec(joined(plus, plus.indexOf(l)))?.[1].replace(/^\((.*)\)$/, '$1') ?? m[1];
        const under = blockCalls(plus, plus.indexOf(l));
        const end = blockEnd(plus, plus.indexOf(l));
        const then = [...(under.length > 0 ? [`calls ${list(under)}`] : []), ...(end ? [end] : [])].join(', then ');
        items.push(`new check ${code(cutCode(m[1], 160))} (line ${l.line})${then ? `: when it holds, ${then}` : ''}`);
      } else if ((m = EXCEPT.exec(t))) {
        const caught = m[1].replace(/\s+as\s+\w+$/, '').trim();
        // a handler whose exception list changed (`except A:` → `except (A, B):`): say the difference
        const twin = minus.find((x) => !usedMinus.has(x) && isGone(x) && EXCEPT.test(codeOnly(x.text).trim()));
        if (twin && caught) {
          usedMinus.add(twin);
          const was = exceptionNames(EXCEPT.exec(codeOnly(twin.text).trim())![1]);
          const now = exceptionNames(caught);
          const gained = now.filter((e) => !was.includes(e));
          const lost = was.filter((e) => !now.includes(e));
          const kept = now.filter((e) => was.includes(e));
          if (gained.length > 0) items.push(`now also catches ${list(gained)} (line ${l.line})${kept.length > 0 ? `, beside ${list(kept)} as before` : ''}`);
          if (lost.length > 0) items.push(`no longer catches ${list(lost)} (old line ${twin.line})`);
          continue;
        }
        const under = blockCalls(plus, plus.indexOf(l));
        const end = blockEnd(plus, plus.indexOf(l));
        items.push(`now catches ${caught ? code(caught) : 'every exception'} (line ${l.line})${under.length > 0 ? ` and then calls ${list(under)}` : ''}${end ? `${under.length > 0 ? ',' : ' and'} ${end}` : ''}`);
      } else if (/^(?:finally)\b/.test(t.replace(/^\}\s*/, ''))) {
        const under = blockCalls(plus, plus.indexOf(l));
        items.push(`new \`finally\` (line ${l.line})${under.length > 0 ? `: ${list(under)} now run${under.length === 1 ? 's' : ''} at the end even when the code before it raises` : ''}`);
      } else if ((m = /^(?:raise|throw)\s+(?:new\s+)?([A-Za-z_$][\w$.]*)/.exec(t))) {
        items.push(`now raises ${code(m[1])} (line ${l.line})`);
      } else if ((m = /^return\b\s*(.*?);?$/.exec(t)) && m[1]) {
        // said already by the new check it ends
        if (!items.some((x) => x.startsWith('new check') && x.endsWith(`returns ${code(cutCode(l.text.trim().replace(/^return\s+/, '').replace(/;$/, ''), 40))}`))) items.push(`now returns ${code(cutCode(m[1], 50))} (line ${l.line})`);
      }
    }
    for (const l of minus) {
      if (!isGone(l) || usedMinus.has(l) || l === oldDef) continue;
      const t = codeOnly(l.text).trim();
      let m: RegExpExecArray | null;
      if ((m = /^(?:if|elif|else\s+if|while)\s*\(?(.+?)\)?\s*[:{]?\s*$/.exec(t))) items.push(`drops the check ${code(cutCode(m[1], 160))} (old line ${l.line})`);
      else if ((m = EXCEPT.exec(t))) items.push(`no longer catches ${m[1].replace(/\s+as\s+\w+$/, '').trim() ? code(m[1].replace(/\s+as\s+\w+$/, '').trim()) : 'every exception'} (old line ${l.line})`);
      else if ((m = /^(?:raise|throw)\s+(?:new\s+)?([A-Za-z_$][\w$.]*)/.exec(t))) items.push(`no longer raises ${code(m[1])} (old line ${l.line})`);
      else if ((m = /^return\b\s*(.*?);?$/.exec(t)) && m[1]) items.push(`no longer returns ${code(cutCode(m[1], 50))} (old line ${l.line})`);
    }
    // keyword arguments a call gains, loses or changes (`Repo(repo_path, search_parent_directories = True)`)
    const kwargs = (ls: DiffLine[]) => {
      const out = new Map<string, { line: number; kw: Map<string, string> }>();
      for (const l of ls) {
        for (const c of codeOnly(l.text).matchAll(/(?<![\w$.])((?:[A-Za-z_$][\w$]*\.)*[A-Za-z_$][\w$]*)\s*\(([^()]*)\)/g)) {
          if (NOT_A_CALL.test(c[1]) || out.has(c[1])) continue;
          const kw = new Map<string, string>();
          // the values as written (strings kept): the same span of the raw line
          const raw = l.text.slice(c.index, c.index + c[0].length);
          for (const k of raw.matchAll(/(?:^|[(,])\s*([A-Za-z_]\w*)\s*=(?!=)\s*([^,)]+)/g)) kw.set(k[1], k[2].trim());
          out.set(c[1], { line: l.line, kw });
        }
      }
      return out;
    };
    const nowKw = kwargs(plus.filter(isNew));
    const oldKw = kwargs(minus.filter((l) => isGone(l) && !usedMinus.has(l)));
    for (const [callee, n] of nowKw) {
      const o = oldKw.get(callee);
      if (!o) continue;
      for (const [k, v] of n.kw) {
        if (!o.kw.has(k)) items.push(`now passes ${code(`${k} = ${v}`)} to ${code(callee)} (line ${n.line})`);
        else if (o.kw.get(k) !== v) items.push(`passes ${code(`${k} = ${v}`)} to ${code(callee)} instead of ${code(o.kw.get(k)!)} (line ${n.line})`);
      }
      for (const k of o.kw.keys()) if (!n.kw.has(k)) items.push(`no longer passes ${code(k)} to ${code(callee)} (old line ${o.line})`);
    }
    // calls made now and no longer, beyond those said above
    const said = items.join(' ');
    const callsOf = (ls: DiffLine[], keep: (l: DiffLine) => boolean) => {
      const m = new Map<string, number>();
      for (const l of ls) if (keep(l)) for (const c of callees(l.text)) if (!m.has(c)) m.set(c, l.line);
      return m;
    };
    const nowCalls = callsOf(plus, isNew);
    const oldCalls = callsOf(minus, (l) => isGone(l) && !usedMinus.has(l));
    const before = new Set(minus.flatMap((l) => callees(l.text)));
    const after = new Set(plus.flatMap((l) => callees(l.text)));
    const added = [...nowCalls].filter(([c]) => !before.has(c) && !said.includes(code(c)));
    const dropped = [...oldCalls].filter(([c]) => !after.has(c));
    if (added.length > 0) items.push(`now calls ${list(added.map(([c]) => c), 4)} (from line ${added[0][1]})`);
    if (dropped.length > 0) items.push(`no longer calls ${list(dropped.map(([c]) => c), 4)} (old line ${dropped[0][1]})`);
    if (items.length > 0) out.push({ name: fn, items: items.slice(0, maxItems).concat(items.length > maxItems ? [`and ${items.length - maxItems} more change${items.length - maxItems > 1 ? 's' : ''}`] : []) });
    if (out.length >= maxFunctions) break;
  }
  return out;
}
