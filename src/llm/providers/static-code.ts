/**
 * What the static provider reads from a target's own source text to write documentation
 * rather than a fact dump (issue 12, item 3): each parameter's type, default and use, the
 * return values and raised exceptions with their lines, the side effects of the calls it makes,
 * a purpose derived from the name when there is no docstring, and the technique a TIL is about.
 * Pure functions over text; line numbers are file lines (`startLine` is the source's first line).
 */
import { declarationHead } from '../declaration.ts';
import { languageById } from '../../languages/registry.ts';
import type { Facts } from '../types.ts';
import { cutCode, matchParen, scanOutsideStrings, splitTopLevel } from '../../core/code-text.ts';

export { cutCode };

export interface ParamDoc {
  name: string;
  /** The annotation as written, or null. */
  type: string | null;
  /** The default as written, or null (required). */
  default: string | null;
  /** `*args` / `**kwargs` / `...rest`. */
  variadic: string | null;
  /** Calls whose line mentions the parameter: callee and file line. */
  usedIn: { callee: string; line: number }[];
  /** File lines (other than calls) where the body mentions it. */
  lines: number[];
}


const RECEIVERS = new Set(['self', 'cls', 'this', '&self', '&mut self', 'mut self', 'self: Self']);

/** The index of the first top-level `ch` in `text` (outside brackets and strings), or -1. */
function topIndex(text: string, ch: string): number {
  let depth = 0;
  return scanOutsideStrings(text, 0, (c, i) => {
    if ('([{<'.includes(c)) depth++;
    else if (')]}>'.includes(c)) depth = Math.max(0, depth - 1);
    else return c === ch && depth === 0 && !(ch === '=' && (text[i + 1] === '=' || text[i + 1] === '>' || '!<>='.includes(text[i - 1] ?? '')));
    return false;
  });
}

/** Body lines of the source (after the declaration head) with their file line numbers. */
export function bodyLines(source: string, name: string, startLine: number): { line: number; text: string }[] {
  const decl = declarationHead(source, name);
  const lines = source.split('\n');
  let skip = 1;
  if (decl) {
    const want = decl.head.replace(/\s+/g, '').length;
    let seen = 0;
    let i = 0;
    while (i < source.length && seen < want) {
      if (!/\s/.test(source[i])) seen++;
      i++;
    }
    skip = source.slice(0, i).split('\n').length;
  }
  return lines.slice(skip).map((text, k) => ({ line: startLine + skip + k, text }));
}

/** A line that opens a nested function or class in an indentation language (Python). */
const NESTED_DEF_INDENTED = /^(\s*)(?:async\s+def|def|class)\s/;
/** Where a nested function's braced body opens in a C-family line: `function (…) {`, `(…) => {`, Go `func(…) {`, Java `-> {`. */
const NESTED_FN_BRACED = /\bfunction\b[^{]*\{|=>\s*\{|\bfunc\s*\([^{]*\{|->\s*\{/;

/**
 * `bodyLines` without the lines of nested functions and classes, so a `return` or `raise` of an
 * inner function is not read as the outer one's (pm2's `copydirSync` "returned" what its default
 * filter callback returns). Python nests by indentation; brace languages by the `{…}` of a
 * `function`, arrow, Go `func` literal or Java lambda body (strings and comments ignored).
 * Ruby is left whole: `return` in a block returns from the method.
 */
export function ownBodyLines(source: string, name: string, startLine: number, language: string): { line: number; text: string }[] {
  const body = bodyLines(source, name, startLine);
  const descriptor = languageById(language);
  // indentation nests in Python's rule family, braces where `//` comments (C family); others
  // (Ruby: `return` in a block returns from the method) keep the whole body
  const indented = descriptor?.facts.blocking?.family === 'python';
  if (!descriptor || (!indented && descriptor.lineComment !== '//')) return body;
  const out: { line: number; text: string }[] = [];
  if (indented) {
    let nestedIndent = -1;
    for (const l of body) {
      const indent = /^\s*/.exec(l.text)![0].length;
      if (nestedIndent >= 0) {
        if (l.text.trim() === '' || indent > nestedIndent) continue;
        nestedIndent = -1;
      }
      const m = NESTED_DEF_INDENTED.exec(l.text);
      if (m) {
        nestedIndent = m[1].length;
        continue;
      }
      out.push(l);
    }
    return out;
  }
  let depth = 0; // brace depth inside nested functions; 0 = the function's own code
  for (const l of body) {
    const code = codeOnly(l.text);
    if (depth === 0) {
      const m = NESTED_FN_BRACED.exec(code);
      if (!m) {
        out.push(l);
        continue;
      }
      out.push(l); // the line itself is the outer function's (`return new Promise((resolve) => {`)
      depth = braceBalance(code.slice(m.index));
      continue;
    }
    depth += braceBalance(code);
    if (depth <= 0) depth = 0;
  }
  return out;
}

function braceBalance(code: string): number {
  let d = 0;
  for (const ch of code) d += ch === '{' ? 1 : ch === '}' ? -1 : 0;
  return d;
}

/** Text of a line without string literals and comments (so a name in a string is no use). */
function codeOnly(text: string): string {
  return text
    .replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '""')
    .replace(/#.*$/, '')
    .replace(/\/\/.*$/, '');
}

/**
 * The calls of one line (`text`, strings blanked) whose arguments hold a match of `word`, the
 * innermost when calls nest (`asyncio.run(daemon.run_once(dry_run = dry_run))` → `daemon.run_once`);
 * a call not found on the line (its arguments on the next lines) is kept. `len(targets) >= limit`
 * is no use of `limit` in `len`.
 */
function argumentHolders<C extends { callee: string }>(text: string, calls: C[], word: RegExp): C[] {
  const held: { c: C; open: number; close: number }[] = [];
  for (const c of calls) {
    const name = c.callee.replace(/^await\s+/, '');
    const re = new RegExp(`(?<![\\w$.])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\(`, 'g');
    const found = [...text.matchAll(re)];
    if (found.length === 0) held.push({ c, open: -1, close: text.length });
    for (const m of found) {
      const open = m.index! + m[0].length - 1;
      const close = matchParen(text, open);
      if (word.test(text.slice(open + 1, close < 0 ? text.length : close))) held.push({ c, open, close: close < 0 ? text.length : close });
    }
  }
  // a call holding another holding call is not where the value goes
  return held.filter((h) => !held.some((o) => o !== h && o.open > h.open && o.close <= h.close)).map((h) => h.c).filter((c, i, all) => all.indexOf(c) === i);
}

/** The index of the first body line after a Python docstring (0 when the body opens with none). */
export function afterDocstring(body: { text: string }[]): number {
  const first = body.findIndex((l) => l.text.trim() !== '');
  const m = first >= 0 ? /^[rRuUbB]?("""|''')/.exec(body[first].text.trim()) : null;
  if (!m) return 0;
  const rest = body[first].text.trim().slice(m[0].length);
  return rest.includes(m[1]) ? first + 1 : body.findIndex((l, i) => i > first && l.text.includes(m[1])) + 1;
}

/**
 * Parameters with type, default and use (receivers left out). Python `name: T = d`,
 * TS `name?: T = d`, Go `name T`, Rust `name: T`. Returns [] when no parameter list is found.
 */
export function parameterDocs(source: string, name: string, startLine: number, calls: Facts['calls'], language: string): ParamDoc[] {
  const decl = declarationHead(source, name);
  if (!decl) return [];
  // the docstring names parameters but does not read them
  const lines = bodyLines(source, name, startLine);
  const body = lines.slice(afterDocstring(lines)).map((l) => ({ line: l.line, text: codeOnly(l.text) }));
  const out: ParamDoc[] = [];
  for (const raw of splitTopLevel(decl.paramText, true).map((p) => p.replace(/\s+/g, ' '))) {
    let p = raw.replace(/^(?:public|private|protected|readonly|override)\s+/g, '');
    if (p === '*' || p === '/' || RECEIVERS.has(p) || RECEIVERS.has(p.replace(/:.*$/, '').trim())) continue;
    let def: string | null = null;
    const eq = topIndex(p, '=');
    if (eq >= 0) {
      def = p.slice(eq + 1).trim();
      p = p.slice(0, eq).trim();
    }
    let type: string | null = null;
    let pname = p;
    const colon = topIndex(p, ':');
    if (colon >= 0) {
      type = p.slice(colon + 1).trim() || null;
      pname = p.slice(0, colon).trim();
    } else if (languageById(language)?.paramStyle === 'name type') {
      const m = /^([A-Za-z_]\w*)\s+(.+)$/.exec(p);
      if (m) [pname, type] = [m[1], m[2]];
    }
    const optionalTs = pname.endsWith('?');
    pname = pname.replace(/\?$/, '');
    const variadic = /^(\*{1,2}|\.\.\.)/.exec(pname)?.[1] ?? null;
    const bare = pname.replace(/^(\*{1,2}|\.\.\.|&\s*(?:mut\s+)?|mut\s+)/, '');
    if (!/^[A-Za-z_$][\w$]*$/.test(bare)) continue; // destructuring: no single name to document
    const word = new RegExp(`(?<![\\w$.])${bare.replace(/\$/g, '\\$')}(?![\\w$])`);
    const used = body.filter((l) => word.test(l.text));
    const usedIn: ParamDoc['usedIn'] = [];
    for (const l of used) {
      for (const c of argumentHolders(l.text, calls.filter((c) => c.line === l.line && !c.callee.startsWith(`${bare}.`) && c.callee !== bare), word)) {
        if (!usedIn.some((u) => u.callee === c.callee && u.line === c.line)) usedIn.push({ callee: c.callee, line: c.line });
      }
    }
    out.push({
      name: bare,
      type,
      default: def ?? (optionalTs ? 'undefined' : null),
      variadic,
      usedIn,
      lines: used.map((l) => l.line).filter((n) => !usedIn.some((u) => u.line === n)),
    });
  }
  return out;
}

/** The return annotation of a declaration head (`-> T`, `): T`, Go results, Rust `-> T`), or null. */
export function returnAnnotation(source: string, name: string, language: string): string | null {
  const decl = declarationHead(source, name);
  if (!decl) return null;
  const after = decl.head.slice(decl.head.lastIndexOf(')') + 1).trim();
  const m = /^(?:->|:)\s*(.+)$/.exec(after);
  if (m) return m[1].trim() || null;
  // `name type` languages (Go) write the results after the parameters, without an arrow.
  if (languageById(language)?.paramStyle === 'name type' && after) return after.replace(/\{$/, '').trim() || null;
  return null;
}

/** The brackets left open in `text` (strings skipped), closed innermost first: `f((a) => {` → `})`. */
function closers(text: string): string {
  const open: string[] = [];
  scanOutsideStrings(text, 0, (ch) => {
    if ('([{'.includes(ch)) open.push(ch);
    else if (')]}'.includes(ch)) open.pop();
  });
  return open.reverse().map((ch) => ({ '(': ')', '[': ']', '{': '}' })[ch]).join('');
}

/** `return x` statements of the body (nested functions included), by expression, with lines. */
export function returnValues(source: string, name: string, startLine: number, language = ''): { value: string; lines: number[] }[] {
  const out = new Map<string, number[]>();
  for (const l of ownBodyLines(source, name, startLine, language)) {
    // a return on its own line, or after a one-line condition: `if (!ok) return`, `if not ok: return None`
    const own = /^\s*return\b\s*(.*?)\s*;?\s*$/.exec(l.text);
    const after = own ? null : /^\s*(?:\}\s*)?(?:(?:else\s+)?if\s*\(.*\)|else|(?:if|elif)\s+.+:|else\s*:)\s*(\{\s*)?return\b\s*(.*?)\s*;?\s*$/.exec(l.text.replace(/\s(?:#|\/\/).*$/, ''));
    // `if (done) { return count }`: the brace closes the block, not the value
    const value = own ? own[1] : after ? (after[1] ? after[2].replace(/\s*;?\s*\}$/, '') : after[2]) : null;
    if (value === null) continue;
    let v = value.replace(/\s+/g, ' ');
    if (v === '') v = '(nothing)';
    // a value whose call or literal goes on over the next lines: `GenerationResult(…)`
    if (v.length > 60 || /[([{]$/.test(v)) v = v.length > 60 ? cutCode(v, 58) : `${v}…${closers(v)}`;
    out.set(v, [...(out.get(v) ?? []), l.line]);
  }
  return [...out].map(([value, lines]) => ({ value, lines }));
}

/** Exceptions the body raises or throws, by name, with lines (a bare `raise` re-raises). */
export function raisedExceptions(source: string, name: string, startLine: number, language = ''): { name: string; lines: number[] }[] {
  const out = new Map<string, number[]>();
  for (const l of ownBodyLines(source, name, startLine, language)) {
    // also a one-line guard: `if (err) throw err;`, `if not ok: raise ValueError(…)`
    const m = /^\s*(?:(?:if|elif)\b[^;]*?[):]\s*|else:?\s*)?(?:raise|throw)(?:\s+(?:new\s+)?([A-Za-z_$][\w$.]*)|\s*$)/.exec(l.text);
    if (!m) continue;
    const n = m[1] ?? '(re-raise)';
    out.set(n, [...(out.get(n) ?? []), l.line]);
  }
  return [...out].map(([n, lines]) => ({ name: n, lines }));
}

/** Kinds of side effect a call has, by callee (standard-library names of each language). */
const EFFECTS: { kind: string; test: RegExp }[] = [
  { kind: 'file system', test: /^(?:open|io\.open|os\.(?:remove|unlink|rename|replace|makedirs|mkdir|rmdir|write|chmod)|shutil\.\w+|\w+\.(?:write_text|write_bytes|read_text|read_bytes|mkdir|unlink|touch|rename)|fs\.\w+|fsPromises\.\w+|os\.(?:Open|Create|WriteFile|ReadFile|Remove|MkdirAll)|std::fs::\w+|File::(?:open|create))$/ },
  { kind: 'network', test: /^(?:requests\.\w+|httpx\.\w+|aiohttp\.\w+|urllib\.request\.\w+|urlopen|socket\.\w+|fetch|axios(?:\.\w+)?|https?\.(?:get|request)|http\.(?:Get|Post)|reqwest::\w+|\w*client\.(?:get|post|put|delete|patch|request|send))$/i },
  { kind: 'subprocess', test: /^(?:subprocess\.\w+|os\.(?:system|popen|exec\w*|spawn\w*)|asyncio\.create_subprocess_\w+|child_process\.\w+|exec(?:Sync|File|FileSync)?|spawn(?:Sync)?|exec\.Command|Command::new)$/ },
  { kind: 'database', test: /(?:^sqlite3\.connect$|\.(?:execute|executemany|executescript|commit|rollback|cursor|query|Exec|Query|QueryRow)$)/ },
  { kind: 'process state', test: /^(?:os\.environ\.\w+|os\.(?:chdir|putenv|setenv)|signal\.signal|sys\.exit|process\.(?:exit|chdir|on)|atexit\.register)$/ },
  { kind: 'logging', test: /^(?:(?:self\.)?(?:logger|log|logging)\.(?:debug|info|warning|warn|error|exception|critical)|console\.(?:log|warn|error|info))$/ },
];

/** Calls of the target grouped by side-effect kind, in line order. */
export function sideEffects(calls: Facts['calls']): { kind: string; calls: { callee: string; line: number }[] }[] {
  const groups = new Map<string, { callee: string; line: number }[]>();
  for (const c of calls) {
    const callee = c.callee.replace(/^await\s+/, '');
    const e = EFFECTS.find((x) => x.test.test(callee));
    if (!e) continue;
    const g = groups.get(e.kind) ?? [];
    if (!g.some((x) => x.callee === callee)) g.push({ callee, line: c.line });
    groups.set(e.kind, g);
  }
  return EFFECTS.filter((e) => groups.has(e.kind)).map((e) => ({ kind: e.kind, calls: groups.get(e.kind)! }));
}

/** Words of an identifier: `scan_repo` → scan repo, `fetchReport` → fetch report. */
export function nameWords(name: string): string[] {
  return name
    .replace(/^_+|_+$/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[_\s]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/**
 * The summary of a docstring: its first paragraph, each line read as a sentence when the
 * author wrote phrases one per line without punctuation, cut at 300 characters.
 */
export function docSummary(doc: string | null): string | null {
  if (!doc) return null;
  const lines = doc.trim().split(/\n\s*\n/)[0].split('\n').map((l) => l.trim()).filter(Boolean);
  // a tag line (`@param`, `:param x:`) ends the description: JSDoc, Javadoc, PHPDoc and reST
  // field lists often follow it without a blank line
  const tag = lines.findIndex((l) => /^(?:@\w|:(?:param|type|returns?|rtype|raises?)\b)/.test(l));
  if (tag >= 0) lines.length = tag;
  // a template's placeholder says nothing (pm2's JSDoc has `Description` on several methods)
  if (lines.length === 0 || /^(?:description|todo|fixme|tbd|\.\.\.)[.:]?$/i.test(lines.join(' '))) return null;
  let text = '';
  for (const l of lines) {
    if (text === '') text = l;
    else if (/[.!?:;,]$/.test(text) || /^[a-z(]/.test(l)) text += ` ${l}`;
    else text += `. ${l}`;
  }
  text = text.replace(/\s+/g, ' ').trim();
  if (!/[.!?]$/.test(text)) text += '.';
  return text.length > 300 ? `${text.slice(0, 299).trimEnd()}…` : text;
}

/** A module docstring that is only a file header (copyright line, the file's own name), not a description. */
export function isHeaderDocstring(doc: string, relPath: string): boolean {
  const base = relPath.split('/').pop() ?? relPath;
  const words = doc.replace(/[©Ⓒ]|\(c\)|copyright|all rights reserved|\d{4}|[|:-]/gi, ' ').replace(base, ' ').replace(relPath, ' ').replace(relPath.split('/').slice(-2).join('/'), ' ').trim();
  return /[©Ⓒ]|copyright|\(c\)/i.test(doc) && words.split(/\s+/).filter((w) => w.length > 2).length <= 3;
}

/** A paragraph of legal boilerplate: copyright, licence terms, warranty disclaimer, SPDX tag. */
const LEGAL = /[©Ⓒ]|\(c\)\s*\d|copyright|all rights reserved|licen[cs]ed? (?:under|to)|governed by|spdx-license|without warranty|permission is hereby granted|the license|license file/i;

/**
 * What a module docstring says about the code: the docstring without its legal paragraphs
 * (copyright, licence, warranty), or null when nothing else is left (pm2's `API.js` opens
 * with "Copyright 2013-present the PM2 project authors … governed by a license …").
 */
export function descriptiveDoc(doc: string | null, relPath: string): string | null {
  if (!doc || isHeaderDocstring(doc, relPath)) return null;
  const kept = doc.split(/\n\s*\n/).filter((p) => !LEGAL.test(p));
  const text = kept.join('\n\n').trim();
  return text.split(/\s+/).filter((w) => w.length > 2).length > 3 ? text : null;
}

/** A module's docstring from its source: a leading Python string literal or a leading `/** … *\/` comment. */
export function moduleDocstring(source: string): string | null {
  const py = /^\s*(?:#[^\n]*\n\s*)*(?:[rRuU]?)("""|''')([\s\S]*?)\1/.exec(source);
  if (py) return py[2].trim() || null;
  const js = /^\s*(?:#![^\n]*\n\s*)?\/\*\*?([\s\S]*?)\*\//.exec(source);
  if (js) return js[1].split('\n').map((l) => l.replace(/^\s*\*\s?/, '')).join('\n').trim() || null;
  const go = /^\s*((?:\/\/[^\n]*\n)+)\s*package\b/.exec(source);
  if (go) return go[1].split('\n').map((l) => l.replace(/^\s*\/\/\s?/, '')).join('\n').trim() || null;
  return null;
}

/** A technique worth a TIL: what it is, the line that shows it, and why it is worth knowing. */
export interface Technique {
  id: string;
  line: number;
  excerpt: string;
  lesson: string;
  why: string;
}

interface TechniqueRule {
  id: string;
  test: RegExp;
  lesson: (m: RegExpExecArray) => string;
  why: string;
}

/** Techniques by priority (most worth learning first); each rule matches one line of code. */
const TECHNIQUES: TechniqueRule[] = [
  { id: 'async-context-manager', test: /^\s*async\s+with\s+(.+?)(?:\s+as\s+\w+)?\s*:/, lesson: () => '`async with` runs the setup and cleanup of an async context manager without blocking the event loop', why: 'Use it for anything that must be released after awaiting: connections, locks, sessions.' },
  { id: 'async-iteration', test: /^\s*async\s+for\s+/, lesson: () => '`async for` pulls items from an async iterator, awaiting each one as it arrives', why: 'It is how you stream results (pages of an API, lines of a socket) without loading them all first.' },
  { id: 'gather', test: /\b(asyncio\.gather|Promise\.all(?:Settled)?|asyncio\.TaskGroup|asyncio\.wait)\b/, lesson: (m) => `\`${m[1]}\` runs several awaitables concurrently and waits for all of them`, why: 'Independent I/O then costs the time of the slowest call instead of the sum of all of them.' },
  { id: 'create-task', test: /\b(asyncio\.create_task|loop\.create_task|asyncio\.ensure_future)\b/, lesson: (m) => `\`${m[1]}\` starts a coroutine in the background and returns at once`, why: 'Keep a reference to the task: an unreferenced task can be garbage-collected before it finishes.' },
  { id: 'to-thread', test: /\b(asyncio\.to_thread|run_in_executor|spawn_blocking)\b/, lesson: (m) => `\`${m[1]}\` moves blocking work off the event loop`, why: 'It keeps an async program responsive when a library offers only a blocking API.' },
  { id: 'yield-from', test: /^\s*yield\s+from\b/, lesson: () => '`yield from` delegates to another generator and passes its items through', why: 'It flattens recursive or nested generators without an explicit inner loop.' },
  { id: 'generator', test: /^\s*(?:\w+\s*=\s*)?yield\b/, lesson: () => 'a function with `yield` is a generator: it produces items lazily, one per request', why: 'Callers can stop early, and nothing is computed or held in memory ahead of need.' },
  { id: 'suppress', test: /^\s*with\s+(?:contextlib\.)?suppress\(([^)]*)\)/, lesson: (m) => `\`suppress(${m[1].trim()})\` ignores ${m[1].includes(',') ? 'those exceptions' : 'that exception'} when raised inside the \`with\` block: execution goes on after the block`, why: 'It is the one-line form of a try block whose except clause only says pass.' },
  { id: 'bounded-deque', test: /\b((?:collections\.)?deque)\([^)]*\bmaxlen\s*=\s*([^,)]+)/, lesson: (m) => `\`${m[1]}(maxlen=${m[2].trim()})\` is a bounded buffer: appending to a full one drops the item at the other end`, why: 'Keeping only the last N entries (log lines, events, samples) then needs no trimming code, and appends and pops at either end cost O(1).' },
  { id: 'counter', test: /\b((?:collections\.)?Counter)\(/, lesson: (m) => `\`${m[1]}\` counts hashable items in one call and answers \`most_common(n)\``, why: 'It replaces the `if key in counts: counts[key] += 1 else: counts[key] = 1` bookkeeping, and missing keys count as 0.' },
  { id: 'defaultdict', test: /\b((?:collections\.)?defaultdict)\(\s*(\w+)/, lesson: (m) => `\`${m[1]}(${m[2]})\` creates the missing value on first access`, why: 'Grouping items into lists or counting by key then needs no check for a key that is not there yet.' },
  { id: 'context-manager', test: /^\s*with\s+(.+?)\s*:\s*$/, lesson: () => 'a `with` block ties cleanup to the block, so the resource is released even when an exception escapes', why: 'It replaces try/finally for files, locks and connections.' },
  { id: 'walrus', test: /\((\w+)\s*:=/, lesson: () => 'the walrus operator `:=` assigns inside an expression', why: 'It avoids computing a value twice in a condition and its body.' },
  { id: 'dict-get-default', test: /\.(setdefault|get)\(\s*[^,()]+,\s*[^)]/, lesson: (m) => `\`dict.${m[1]}(key, default)\` answers with a fallback instead of raising \`KeyError\``, why: 'It keeps lookups of optional keys on one line without a membership test first.' },
  { id: 'comprehension', test: /[[{(]\s*[^\s[{(][^\]})]*\bfor\b\s+[\w, ]+\s+in\b/, lesson: () => 'a comprehension builds a collection in one expression', why: 'It is shorter than an append loop, and it runs faster in CPython.' },
  { id: 'enumerate-zip', test: /\b(enumerate|zip)\(/, lesson: (m) => `\`${m[1]}()\` pairs items ${m[1] === 'enumerate' ? 'with their index' : 'from several iterables'} without manual counters`, why: 'It removes off-by-one bookkeeping from loops.' },
  { id: 'optional-chaining', test: /\?\.\w|\?\?/, lesson: () => 'optional chaining `?.` and nullish coalescing `??` handle missing values in one expression', why: 'Unlike `||`, `??` keeps legitimate falsy values such as `0` and `""`.' },
  { id: 'destructuring', test: /^\s*(?:const|let|var)\s*[{[]/, lesson: () => 'destructuring pulls several fields out of an object or array in one declaration', why: 'It names exactly what the code uses from a larger value.' },
  { id: 'try-finally', test: /^\s*finally\s*[:{]/, lesson: () => 'a `finally` block runs whether the `try` block returned, raised or completed', why: 'It is the place for cleanup that must happen on every path.' },
];

/** Techniques worth a TIL before a decorator with arguments; the rest come after it. */
const HIGH_VALUE = new Set(['async-context-manager', 'async-iteration', 'gather', 'create-task', 'to-thread', 'yield-from', 'generator', 'suppress', 'bounded-deque', 'counter', 'defaultdict', 'context-manager']);

/**
 * The first technique (by priority) the body shows, or null. `tier` 'high' looks only at the
 * techniques worth more than a decorator with arguments, 'low' only at the others.
 */
export function findTechnique(source: string, name: string, startLine: number, tier: 'high' | 'low' | 'all' = 'all'): Technique | null {
  const body = bodyLines(source, name, startLine);
  for (const rule of TECHNIQUES.filter((r) => tier === 'all' || (tier === 'high') === HIGH_VALUE.has(r.id))) {
    for (const l of body) {
      const m = rule.test.exec(codeOnly(l.text));
      if (!m) continue;
      const why = rule.id === 'suppress' ? `${rule.why} ${suppressNotes(body, body.indexOf(l), m[1], name)}${otherExceptions(body, body.indexOf(l), m[1])}` : rule.why;
      return { id: rule.id, line: l.line, excerpt: cutCode(l.text, 90), lesson: rule.lesson(m), why };
    }
  }
  return null;
}

/**
 * The `except` clauses of the Python `try` blocks that enclose body line `at` (innermost first):
 * a clause's line, what it catches as written (`Exception`, `(OSError, ValueError)`, or
 * `every exception` for a bare `except:`) and the first statement of its handler.
 */
export function enclosingExcepts(body: { line: number; text: string }[], at: number): { line: number; caught: string; first: string }[] {
  const indent = (t: string): number => t.length - t.trimStart().length;
  const out: { line: number; caught: string; first: string }[] = [];
  let level = indent(body[at].text);
  for (let i = at - 1; i >= 0; i--) {
    const t = body[i].text;
    if (t.trim() === '' || indent(t) >= level) continue;
    level = indent(t);
    if (!/^\s*try\s*:/.test(t)) continue;
    // the clauses of this try: lines at its indent after `at`, until a line at that indent that is no clause
    for (let j = at + 1; j < body.length; j++) {
      const u = body[j].text;
      if (u.trim() === '' || indent(u) > level) continue;
      if (indent(u) < level) break;
      const m = /^\s*except\b\s*(.*?)\s*:/.exec(u);
      if (m) {
        const next = body.slice(j + 1).find((b) => b.text.trim() !== '');
        const first = next && indent(next.text) > level ? next.text.trim() : '';
        out.push({ line: body[j].line, caught: m[1].replace(/\s+as\s+\w+$/, '').trim() || 'every exception', first });
        continue;
      }
      if (/^\s*(?:else|finally)\s*:/.test(u)) continue;
      break;
    }
  }
  return out;
}

/** Names a broad clause catches: `Exception` and `BaseException` catch any error a body raises. */
const CATCH_ALL = /^(?:every exception|(?:builtins\.)?(?:Base)?Exception)$/;

/**
 * What a reader of a `with suppress(…):` block at body line `at` of function `fn` should know
 * beyond the rule: with more than one statement in the block, the ones after a failing one are
 * skipped; suppressing `CancelledError` around an `await` also swallows a cancellation aimed at
 * the task running `fn` (Python documentation, asyncio "Task Cancellation": the awaiting task
 * gets the `CancelledError` at its `await`), so a cancelled caller keeps running. Each note ends
 * with a space (or is empty).
 */
function suppressNotes(body: { line: number; text: string }[], at: number, suppressed: string, fn: string): string {
  const indent = (t: string): number => t.length - t.trimStart().length;
  const head = indent(body[at].text);
  const block: { line: number; text: string }[] = [];
  for (const l of body.slice(at + 1)) {
    if (l.text.trim() === '' || /^\s*#/.test(l.text)) continue;
    if (indent(l.text) <= head) break;
    block.push(l);
  }
  const notes: string[] = [];
  if (block.length > 1) notes.push('When a statement in the block raises it, the statements after that one are skipped.');
  const awaited = block.find((l) => /\bawait\b/.test(codeOnly(l.text)));
  if (/\bCancelledError\b/.test(suppressed) && awaited) {
    notes.push(`Watch out with \`CancelledError\`, though: if the task running \`${fn}\` is itself cancelled while it waits at \`${cutCode(awaited.text.trim(), 60)}\` (line ${awaited.line}), it gets that same \`CancelledError\`, so this swallows a cancellation aimed at the caller and \`${fn}\` carries on as if nothing happened.`);
  }
  return notes.map((n) => `${n} `).join('');
}

/**
 * What happens to an exception `suppress(…)` at body line `at` does not name: the enclosing
 * `except Exception:` that catches it (and what its handler does), or that it propagates.
 */
function otherExceptions(body: { line: number; text: string }[], at: number, suppressed: string): string {
  const clauses = enclosingExcepts(body, at);
  const all = clauses.find((c) => CATCH_ALL.test(c.caught.replace(/^\((.*)\)$/, '$1').trim()));
  const handler = (c: { first: string }) => (/^raise\b/.test(c.first) ? 're-raises it' : /^return\b/.test(c.first) ? `returns \`${cutCode(c.first.replace(/^return\s*/, ''), 40) || 'None'}\`` : /^pass\b/.test(c.first) ? 'ignores it too' : /^continue\b/.test(c.first) ? 'skips to the next iteration' : 'handles it');
  if (all) {
    return `Any other exception does not propagate here: it is caught by the enclosing \`except ${all.caught === 'every exception' ? '' : all.caught}:\` (line ${all.line}), which ${handler(all)}${/^raise\b/.test(all.first) ? '' : ', so a caller never sees it'}.`.replace('`except :`', '`except:`');
  }
  const named = clauses.filter((c) => c.caught !== suppressed.trim());
  if (named.length > 0) return `Other exceptions reach the enclosing \`except\` clauses (${named.map((c) => `\`${c.caught}\` at line ${c.line}`).join(', ')}); any they do not name propagates to the caller.`;
  return 'Any other exception propagates to the caller.';
}

/** The shape of a body a reader needs before changing it: guards, loops, exception handlers. */
export interface BodyShape {
  /** Early exits: `if cond: return x` / `if (cond) return x;` with the condition. */
  guards: { line: number; condition: string; result: string }[];
  loops: { line: number; header: string }[];
  /** `except X` / `catch (e)`: what is caught and what the handler does (re-raise, return, log, pass). */
  handlers: { line: number; caught: string; action: string }[];
}

function cut(text: string, max = 70): string {
  return cutCode(text, max);
}

/** Guards, loops and exception handlers of a Python or C-like body. */
export function bodyShape(source: string, name: string, startLine: number): BodyShape {
  const body = bodyLines(source, name, startLine);
  const shape: BodyShape = { guards: [], loops: [], handlers: [] };
  const indent = (t: string): number => t.length - t.trimStart().length;
  for (let i = 0; i < body.length; i++) {
    const { line, text } = body[i];
    const t = text.trim();
    let m = /^(?:if|elif)\s+(.+?):\s*(?:return\b\s*(.*))?$/.exec(t) ?? /^(?:if|else\s+if)\s*\((.+)\)\s*\{?\s*(?:return\b\s*(.*?);?\s*\}?)?$/.exec(t);
    if (m) {
      let result = m[2];
      if (result === undefined) {
        const next = body.slice(i + 1).find((b) => b.text.trim() !== '');
        const r = next && indent(next.text) > indent(text) ? /^\s*(return|raise|throw|continue|break)\b\s*(.*?);?\s*$/.exec(next.text) : null;
        if (r) result = r[1] === 'return' ? r[2] : `${r[1]}${r[2] ? ` ${r[2]}` : ''}`;
      }
      if (result !== undefined && shape.guards.length < 6) shape.guards.push({ line, condition: cut(m[1]), result: cut(result || 'nothing', 40) });
      continue;
    }
    m = /^(async\s+for|for|while)\b\s*(.+?)\s*[:{]?\s*$/.exec(t);
    if (m && shape.loops.length < 6) {
      shape.loops.push({ line, header: cut(`${m[1]} ${m[2]}`.replace(/[:{]$/, '')) });
      continue;
    }
    // a trailing comment (`except Exception:  # noqa: S112`) is not part of the handler's head
    m = /^(?:except\b\s*(.*?)\s*:|\}?\s*catch\s*(?:\((.*?)\))?\s*\{)\s*$/.exec(t.replace(/\s+#.*$/, ''));
    if (m) {
      const caught = (m[1] ?? m[2] ?? '').replace(/\s+as\s+\w+$/, '').trim() || (m[1] !== undefined ? 'every exception' : 'every error');
      const next = body.slice(i + 1).find((b) => b.text.trim() !== '');
      const n = next ? next.text.trim() : '';
      const action = /^(?:raise|throw)\b/.test(n) ? 're-raises' : /^pass\b/.test(n) ? 'ignores it (`pass`)' : /^return\b/.test(n) ? `returns ${cut(n.replace(/^return\s*/, '').replace(/;$/, '') || 'nothing', 30)}` : /^continue\b/.test(n) ? 'skips to the next iteration' : /\b(?:log|logger|logging|console)\.\w+\(/.test(n) ? 'logs it and goes on' : 'handles it';
      if (shape.handlers.length < 6) shape.handlers.push({ line, caught: cut(caught, 50), action });
    }
  }
  return shape;
}

/** A generator function turned into a context manager by `@contextmanager` / `@asynccontextmanager`. */
export interface ContextManagerShape {
  /** The decorator as written (`asynccontextmanager`, `contextlib.contextmanager`). */
  decorator: string;
  isAsync: boolean;
  /** File line of the (first) `yield`. */
  yieldLine: number;
  /** The yielded expression, or null for a bare `yield` (then `as` binds None). */
  yielded: string | null;
  /** Statements before the yield (run on entering the `with` block) and after it (run on leaving), with file lines. */
  enter: { line: number; text: string }[];
  exit: { line: number; text: string }[];
  /** Whether the exit code sits in a `finally` (or an `except`) around the yield, so it runs when the block raises. */
  guarded: boolean;
}

const CM_DECORATOR = /^(?:contextlib\.)?(async)?contextmanager$/;

/**
 * The context-manager shape of a function decorated with `contextlib.contextmanager` or
 * `asynccontextmanager` (Python documentation, contextlib): the code before `yield` runs on
 * entering the `with` block, the code after it on leaving, the yielded value is the `as` target;
 * without try/finally around the `yield`, an exception in the block skips the exit code.
 * Returns null for other functions.
 */
export function contextManagerShape(source: string, name: string, startLine: number, decorators: string[]): ContextManagerShape | null {
  const deco = decorators.map((d) => d.replace(/^@/, '').trim()).find((d) => CM_DECORATOR.test(d));
  if (!deco) return null;
  const body = bodyLines(source, name, startLine);
  const yi = body.findIndex((l) => /^\s*(?:\w+\s*=\s*)?yield\b/.test(codeOnly(l.text)));
  if (yi < 0) return null;
  const y = body[yi];
  const yielded = /^\s*(?:\w+\s*=\s*)?yield\b\s*(.*)$/.exec(y.text)?.[1].trim() ?? '';
  const stmt = (l: { line: number; text: string }) => {
    const t = l.text.trim();
    return t !== '' && !t.startsWith('#') && !/^(?:"""|''')/.test(t) && !/^(?:try|finally|else)\s*:$/.test(t) && !/^except\b/.test(t);
  };
  // the docstring's lines are not code run on entry
  const start = afterDocstring(body);
  const before = body.slice(start, yi).filter(stmt);
  const after = body.slice(yi + 1).filter(stmt);
  const guarded = body.slice(0, yi).some((l) => /^\s*try\s*:/.test(l.text)) && body.slice(yi + 1).some((l) => /^\s*(?:finally|except\b[^:]*)\s*:/.test(l.text));
  const cutLine = (l: { line: number; text: string }) => ({ line: l.line, text: cutCode(l.text, 80) });
  return { decorator: deco, isAsync: !!/^async/.exec(deco.replace(/^contextlib\./, '')), yieldLine: y.line, yielded: yielded || null, enter: before.slice(0, 4).map(cutLine), exit: after.slice(0, 4).map(cutLine), guarded };
}

/** One thing that surprises a reader changing the code, with the line that shows it. */
export interface Gotcha {
  kind: 'swallowed exception' | 'hard-coded value' | 'clock' | 'randomness' | 'shared state' | 'mutable default';
  line: number;
  /** The line as written (collapsed, cut). */
  excerpt: string;
  /** What it means for the reader, one sentence without a final period. */
  note: string;
}

const CLOCK = /\b(?:datetime\.(?:now|utcnow|today)|date\.today|time\.(?:time|monotonic|perf_counter)|Date\.now|new Date\(\s*\)|performance\.now|time\.Now|Instant::now|SystemTime::now)\s*\(/;
const RANDOM = /\b(?:random\.\w+|Math\.random|uuid\.uuid4|uuid4|secrets\.\w+|crypto\.randomUUID|rand\.\w+)\s*\(/;
/** A name bound to a number literal with at least two digits (`check_interval = 300`), or such a literal passed as an argument (`timeout=1800`). */
const MAGIC_ASSIGN = /^\s*(?:(?:const|let|var)\s+)?([A-Za-z_$][\w$.]*)\s*(?::\s*\w+\s*)?=\s*(-?\d[\d_]*(?:\.\d+)?)\s*;?\s*(?:#.*|\/\/.*)?$/;
const MAGIC_ARG = /\b([A-Za-z_]\w*)\s*=\s*(\d[\d_]{1,}(?:\.\d+)?)\b(?!\s*[.\w])/;

/**
 * What a new team member should know before changing a function (issue 12, the review beside
 * the seeds): exceptions caught and dropped or only logged, hard-coded limits and intervals,
 * dependence on the clock or on randomness, module state changed through `global`, mutable
 * default arguments. Each with its file line; at most `limit`.
 */
export function gotchas(source: string, name: string, startLine: number, limit = 8): Gotcha[] {
  const out: Gotcha[] = [];
  const body = bodyLines(source, name, startLine);
  const shape = bodyShape(source, name, startLine);
  for (const h of shape.handlers) {
    if (!/^(?:every exception|every error|Exception|BaseException)$/.test(h.caught) || h.action === 're-raises') continue;
    const text = body.find((l) => l.line === h.line)?.text ?? '';
    const what = h.action === 'ignores it (`pass`)' ? 'drops it silently' : h.action === 'logs it and goes on' ? 'only logs it and goes on' : h.action.startsWith('returns') ? `${h.action.replace(/^returns/, 'returns')} instead` : 'handles it without re-raising';
    out.push({ kind: 'swallowed exception', line: h.line, excerpt: cutCode(text, 80), note: `catches ${h.caught === 'every exception' || h.caught === 'every error' ? 'everything' : h.caught} and ${what}: a failure here never reaches the caller` });
  }
  const decl = declarationHead(source, name);
  if (decl && /=\s*(?:\[\s*\]|\{\s*\}|list\(\)|dict\(\)|set\(\))/.test(decl.paramText) && /^\s*(?:async\s+)?def\b/.test(source)) {
    const m = /([A-Za-z_]\w*)\s*(?::[^=,]+)?=\s*(\[\s*\]|\{\s*\}|list\(\)|dict\(\)|set\(\))/.exec(decl.paramText);
    if (m) out.push({ kind: 'mutable default', line: startLine, excerpt: `${m[1]}=${m[2]}`, note: 'the default object is created once and shared by every call that omits the argument' });
  }
  let magic = 0;
  for (const l of body) {
    const text = l.text.replace(/#.*$/, '').replace(/\/\/.*$/, '');
    const t = text.trim();
    if (t === '') continue;
    if (/^global\s+\w/.test(t)) out.push({ kind: 'shared state', line: l.line, excerpt: cutCode(t, 80), note: 'it rebinds module-level state that every caller shares' });
    const clock = CLOCK.exec(text);
    if (clock && !out.some((g) => g.kind === 'clock')) out.push({ kind: 'clock', line: l.line, excerpt: cutCode(t, 80), note: 'the result depends on the current time: tests need an injected clock or a frozen time' });
    const rnd = RANDOM.exec(text);
    if (rnd && !out.some((g) => g.kind === 'randomness')) out.push({ kind: 'randomness', line: l.line, excerpt: cutCode(t, 80), note: 'the result differs between runs: tests need a seeded or injected random source' });
    if (magic < 3) {
      const a = MAGIC_ASSIGN.exec(text);
      const g = a ?? MAGIC_ARG.exec(text);
      if (g && !/^(?:-?[01](?:\.0+)?|2|10|100)$/.test(g[2]) && !/^(?:self|this)\.\w*(?:count|index|total)\b/.test(g[1]) && !/["']/.test(t.slice(0, t.indexOf(g[2])))) {
        magic++;
        out.push({ kind: 'hard-coded value', line: l.line, excerpt: cutCode(t, 80), note: `${a ? `${g[1]} is fixed at ${g[2]}` : `${g[1]}=${g[2]} is written into the call`}; changing it means editing the code (it is not configuration)` });
      }
    }
  }
  return out.sort((a, b) => a.line - b.line).slice(0, limit);
}

/**
 * What a function does, in order: its top-level statements (the body's own indentation) that
 * call something or open a block, each with its file line, logging calls and docstrings left
 * out; at most `limit`. A multi-line statement is its first line. A block header that calls
 * nothing (`try:`, `if not self.dry_run:`, `else:`) says nothing alone: it is shown with the
 * first call inside its block (`if not self.dry_run: self.devlog.ensure_directory_structure()`),
 * or left out when its block calls nothing. Consecutive statements calling the same function
 * are one step with their count (`parser.add_argument(…)` ×6).
 */
export function bodySteps(source: string, name: string, startLine: number, limit = 12): { line: number; text: string; count?: number }[] {
  const body = bodyLines(source, name, startLine);
  const first = body.find((l) => l.text.trim() !== '' && !l.text.trim().startsWith('#'));
  if (!first) return [];
  // statement lines (not continuation lines inside brackets), docstring left out
  const lines: StepLine[] = [];
  let inDoc: string | null = null;
  let depth = 0;
  for (const l of body) {
    const t = l.text.trim();
    if (inDoc) {
      if (t.includes(inDoc)) inDoc = null;
      continue;
    }
    const code = codeOnly(l.text);
    if (depth === 0 && t !== '' && !t.startsWith('#') && !/^[)\]}]/.test(t)) {
      const q = /^[rRuUbB]?("""|''')/.exec(t);
      if (q && lines.length === 0) {
        if (!t.slice(q[0].length).includes(q[1])) inDoc = q[1];
        continue;
      }
      lines.push({ line: l.line, text: t, code, indent: l.text.length - l.text.trimStart().length });
    }
    // statements spread over several lines: inside brackets the next lines are not statements
    for (const ch of code) {
      if ('([{'.includes(ch)) depth++;
      else if (')]}'.includes(ch)) depth = Math.max(0, depth - 1);
    }
  }
  const out = stepsOf(lines);
  // consecutive calls of the same function: one step with a count
  const callee = (text: string) => /^(?:await\s+)?(?:[\w$.]+\s*=\s*)?([\w$.]+)\s*\(/.exec(text)?.[1] ?? null;
  const merged: { line: number; text: string; count?: number }[] = [];
  for (const st of out) {
    const prev = merged[merged.length - 1];
    const c = callee(st.text);
    if (prev && c !== null && callee(prev.text) === c) {
      prev.count = (prev.count ?? 1) + 1;
      continue;
    }
    merged.push({ ...st });
  }
  return merged.length > limit ? [...merged.slice(0, limit), { line: -1, text: `${merged.length - limit}` }] : merged;
}

interface StepLine {
  line: number;
  text: string;
  code: string;
  indent: number;
}

const STEP_LOGGING = /\b(?:logger|logging|log|console)\.\w+\s*\(/;
const STEP_CALL = /[\w$\]]\s*\(/;

/** Steps of a block: its own statements (the first line's indentation), block headers resolved as `bodySteps` says. */
function stepsOf(lines: StepLine[]): { line: number; text: string }[] {
  if (lines.length === 0) return [];
  const base = lines[0].indent;
  const stmts: { st: StepLine; inner: StepLine[] }[] = [];
  for (const l of lines) {
    if (l.indent <= base) stmts.push({ st: l, inner: [] });
    else if (stmts.length > 0) stmts[stmts.length - 1].inner.push(l);
  }
  const out: { line: number; text: string }[] = [];
  for (const { st, inner } of stmts) {
    if (STEP_LOGGING.test(st.code)) continue;
    const opener = /^(?:if|elif|else|for|while|with|try|except|finally|async\s+(?:for|with))\b/.test(st.text);
    if (!opener) {
      if (STEP_CALL.test(st.code) || /^(?:return|raise|throw)\b/.test(st.text)) out.push({ line: st.line, text: cutCode(st.text, 90) });
      continue;
    }
    if (STEP_CALL.test(st.code)) {
      out.push({ line: st.line, text: cutCode(st.text, 90) });
      continue;
    }
    // `try:` says nothing: its block's own steps are the function's steps
    if (/^try\b/.test(st.text)) {
      out.push(...stepsOf(inner));
      continue;
    }
    // `except …:` handling is the How it works section's
    if (/^except\b/.test(st.text)) continue;
    // any other header that calls nothing: with the first call of its block, or left out
    const call = inner.find((x) => STEP_CALL.test(x.code) && !STEP_LOGGING.test(x.code));
    if (call) out.push({ line: call.line, text: cutCode(`${st.text} ${call.text}`, 90) });
    else if (/^(?:for|while|async\s+for)\b/.test(st.text)) out.push({ line: st.line, text: cutCode(st.text, 90) });
  }
  return out;
}

const READ_CALL = /(?:^|\.)(?:read_text|read_bytes|read|readlines|readline|load|loads|readFile|readFileSync|createReadStream|ReadFile|read_to_string|iterdir|glob|stat|exists)$/;
const WRITE_CALL = /(?:^|\.)(?:write_text|write_bytes|write|writelines|dump|touch|mkdir|makedirs|unlink|remove|rename|replace|rmtree|chmod|writeFile|writeFileSync|appendFile|appendFileSync|createWriteStream|WriteFile|Create|copy|copyfile|move)$/;
/** `open(path, mode)`: a mode with w, a, x or + writes; no mode or `r`/`rb` reads. */
const OPEN_CALL = /^(?:open|io\.open|os\.open|\w+\.open|fs\.open|fs\.openSync)$/;

/**
 * What a function does with files, from its calls: the calls that read and those that write,
 * each with its file line (an `open` call counts by its mode argument as written on the line).
 * Used to say "read", "write" or "read and write" of a path, never both when the code only reads.
 */
export function fileAccess(source: string, startLine: number, calls: Facts['calls']): { reads: { callee: string; line: number }[]; writes: { callee: string; line: number }[] } {
  const lines = source.split('\n');
  const reads: { callee: string; line: number }[] = [];
  const writes: { callee: string; line: number }[] = [];
  for (const c of calls) {
    const callee = c.callee.replace(/^await\s+/, '');
    const add = (to: { callee: string; line: number }[]) => {
      if (!to.some((x) => x.callee === callee && x.line === c.line)) to.push({ callee, line: c.line });
    };
    if (OPEN_CALL.test(callee)) {
      const text = lines[c.line - startLine] ?? '';
      const mode = /open\s*\((?:[^()]|\([^()]*\))*?,\s*(?:mode\s*=\s*)?["']([rwaxbt+]+)["']/.exec(text)?.[1] ?? /\.open\s*\(\s*["']([rwaxbt+]+)["']/.exec(text)?.[1] ?? 'r';
      if (/[wax]/.test(mode)) add(writes);
      if (/r|\+/.test(mode)) add(reads);
    } else if (WRITE_CALL.test(callee)) add(writes);
    else if (READ_CALL.test(callee)) add(reads);
  }
  return { reads, writes };
}

/**
 * The innermost loop of the target's body that contains file line `line`: its header line and
 * text, or null when the line runs once per call. Read by indentation (a loop's block is the
 * lines indented deeper than its header), which holds for Python and for formatted brace code.
 */
export function enclosingLoop(source: string, startLine: number, line: number): { line: number; header: string } | null {
  const src = source.split('\n');
  const i = line - startLine;
  const at = src[i];
  if (at === undefined || i <= 0) return null;
  let indent = at.length - at.trimStart().length;
  for (let k = i - 1; k >= 0; k--) {
    const l = src[k];
    if (l.trim() === '') continue;
    const ind = l.length - l.trimStart().length;
    if (ind >= indent) continue;
    indent = ind;
    const t = l.trim();
    if (/^(?:async\s+for|for|while)\b/.test(t) || /\.(?:forEach|map)\s*\(/.test(t)) return { line: startLine + k, header: cutCode(t.replace(/\s*[:{]\s*$/, ''), 60) };
    if (/^(?:(?:async\s+)?def|function|async\s+function|class)\b/.test(t)) return null;
  }
  return null;
}
