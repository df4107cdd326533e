/**
 * Facts a reader of a function page needs beyond the facts block (issue 12, item 3): each
 * caller with the line that makes the call, and the tests in the repository that exercise the
 * function. Computed from the warm index (symbols keep their source and call sites), so it
 * costs one pass over the symbols' call lists and no file reads.
 */
import type { RepoIndex } from '../index/types.ts';
import type { Target } from '../targets/types.ts';
import type { Facts } from './types.ts';
import { findCallers } from './facts.ts';
import { cutCode, enclosingLoop } from './providers/static-code.ts';
import { conditionsOver, loopPace } from './providers/frequency.ts';

/** One place in the repository that calls the target, with the calling line as written. */
export interface CallSiteFact {
  /** Display name of the calling function (`Daemon.run_once`, `test_fetch`). */
  caller: string;
  /** Repo-relative POSIX path. */
  file: string;
  /** 1-based file line of the call. */
  line: number;
  /** The calling line, whitespace collapsed, cut at 100 characters with `…`. */
  excerpt: string | null;
  /** The receiver's type is not declared: bound by its name or by a method name only one class defines (`Facts.callers`). */
  inferred?: true;
  /**
   * Where the caller puts the result: the next line of the calling function that reads the
   * variable the call is assigned to (`tail = self._tail_log(20)` … `details=f"<pre>{tail}</pre>"`),
   * or `returned` when the call is returned. Absent when the result is not kept.
   */
  resultUse?: { line: number; excerpt: string } | 'returned';
  /** The caller's loop around the call (header as written, its line), and the sleep that paces it, if any. */
  loop?: { line: number; header: string; pace?: { line: number; call: string } };
  /** The `if` conditions over the call in the caller (inside its loop, if any), outermost first: the call runs only when they hold. */
  guards?: { line: number; condition: string }[];
  /**
   * For an instance kept in an attribute (`self.state = StateManager(…)`): the attribute and the
   * lines of the creating class that use it (`self.state.get_stats()`), at most 8.
   */
  attributeUses?: {
    attribute: string;
    uses: { line: number; excerpt: string }[];
    /** Uses left out of `uses` (it holds at most 8). */
    more?: number;
    /**
     * Where the instance is handed to another class of the repository that keeps it
     * (`TargetRouter(analyzer = self.analyzer)` … `self.analyzer = analyzer`), and that class's
     * lines that use it, followed two hand-overs deep.
     */
    handedTo?: { className: string; file: string; via: { file: string; line: number; excerpt: string }; attribute: string; uses: { line: number; excerpt: string }[] }[];
  };
}

const noStrings = (l: string) => l.replace(/(["'])(?:\\.|(?!\1).)*\1/g, '""').replace(/#.*$|\/\/.*$/, '');
const esc = (x: string) => x.replace(/[.$]/g, (c) => `\\${c}`);

/**
 * Classes of the repository that receive `value` (an expression such as `self.analyzer` or a
 * parameter name) through their constructor in the lines of `holder` and keep it in an
 * attribute: for each, the attribute path as the receiving class reads it (`self.analyzer`,
 * `self.perspective_finder.analyzer`) and the lines that use it. Python keyword and positional
 * arguments; `depth` hand-overs deep.
 */
function handOvers(holder: { source: string; startLine: number }, holderFile: string, value: string, index: RepoIndex, depth: number): NonNullable<NonNullable<CallSiteFact['attributeUses']>['handedTo']> {
  const out: NonNullable<NonNullable<CallSiteFact['attributeUses']>['handedTo']> = [];
  if (depth <= 0) return out;
  const classes = new Map<string, { file: string; cls: RepoIndex['files'][number]['symbols'][number]; init?: RepoIndex['files'][number]['symbols'][number] }>();
  for (const f of index.files) for (const c of f.symbols) if (c.kind === 'class' && !classes.has(c.name)) classes.set(c.name, { file: f.path, cls: c, init: f.symbols.find((m) => m.className === c.name && m.name === '__init__' && m.startLine >= c.startLine && m.endLine <= c.endLine) });
  const lines = holder.source.split('\n');
  const text = lines.map(noStrings).join('\n');
  const argRe = new RegExp(`(?:([A-Za-z_]\\w*)\\s*=\\s*)?${esc(value)}(?![\\w.(])`);
  for (const m of text.matchAll(/\b([A-Z]\w*)\s*\(/g)) {
    const target = classes.get(m[1]);
    if (!target?.init) continue;
    // the argument list of the call
    let d = 1;
    let k = m.index! + m[0].length;
    for (; k < text.length && d > 0; k++) d += text[k] === '(' ? 1 : text[k] === ')' ? -1 : 0;
    const args: string[] = [];
    let cur = '';
    let depthA = 0;
    for (const ch of text.slice(m.index! + m[0].length, k - 1)) {
      if ('([{'.includes(ch)) depthA++;
      if (')]}'.includes(ch)) depthA--;
      if (ch === ',' && depthA === 0) {
        args.push(cur.trim());
        cur = '';
      } else cur += ch;
    }
    args.push(cur.trim());
    const pos = args.findIndex((a) => argRe.test(a) && new RegExp(`^(?:[A-Za-z_]\\w*\\s*=\\s*)?${esc(value)}$`).test(a));
    if (pos < 0) continue;
    const kw = /^([A-Za-z_]\w*)\s*=(?!=)/.exec(args[pos])?.[1];
    const params = target.init.params.filter((x) => !/^(?:self|cls)$/.test(x));
    const param = kw ?? params[pos];
    if (!param || !params.includes(param)) continue;
    const callLine = holder.startLine + text.slice(0, m.index).split('\n').length - 1;
    const via = { file: holderFile, line: callLine, excerpt: cutCode(lines[callLine - holder.startLine] ?? '', 100) };
    // where the receiving class keeps it: `self.x = param`
    const keep = target.init.source.split('\n').map(noStrings).map((l) => new RegExp(`^\\s*self\\.([A-Za-z_]\\w*)\\s*(?::[^=]+)?=\\s*${esc(param)}\\s*$`).exec(l)?.[1]).find((x) => x !== undefined);
    if (keep) {
      const re = new RegExp(`\\bself\\.${esc(keep)}\\.`);
      const uses = target.cls.source.split('\n').map((l, i) => ({ line: target.cls.startLine + i, text: l })).filter((l) => re.test(noStrings(l.text)));
      if (uses.length > 0) out.push({ className: target.cls.name, file: target.file, via, attribute: `self.${keep}`, uses: uses.map((u) => ({ line: u.line, excerpt: cutCode(u.text, 100) })) });
    }
    // handed on from the constructor: `self.w = Other(param)` → `self.w.<kept>.` in this class
    for (const h of handOvers(target.init, target.file, param, index, depth - 1)) {
      const held = new RegExp(`^\\s*self\\.([A-Za-z_]\\w*)\\s*(?::[^=]+)?=`).exec(noStrings(target.init.source.split('\n')[h.via.line - target.init.startLine] ?? ''))?.[1];
      out.push(h);
      if (!held) continue;
      const path = `self.${held}.${h.attribute.replace(/^self\./, '')}`;
      const re = new RegExp(`\\b${esc(path)}\\.`);
      const uses = target.cls.source.split('\n').map((l, i) => ({ line: target.cls.startLine + i, text: l })).filter((l) => re.test(noStrings(l.text)));
      if (uses.length > 0) out.push({ className: target.cls.name, file: target.file, via, attribute: path, uses: uses.map((u) => ({ line: u.line, excerpt: cutCode(u.text, 100) })) });
    }
  }
  return out;
}

/** Where the function `s` uses the value of the call at file line `line` (see `CallSiteFact.resultUse`). */
export function resultUseOf(source: string, startLine: number, line: number): CallSiteFact['resultUse'] {
  const lines = source.split('\n');
  const text = lines[line - startLine];
  if (text === undefined) return undefined;
  if (/^\s*return\b/.test(text)) return 'returned';
  const m = /^\s*(?:(?:const|let|var)\s+)?([A-Za-z_$][\w$]*)\s*(?::\s*[^=]+)?=(?!=)/.exec(text);
  if (!m || /^(?:self|this)$/.test(m[1])) return undefined;
  const word = new RegExp(`(?<![\\w$.])${m[1].replace(/\$/g, '\\$')}(?![\\w$])`);
  for (let i = line - startLine + 1; i < lines.length; i++) {
    const t = lines[i];
    if (/^\s*#|^\s*\/\//.test(t)) continue;
    if (word.test(t)) return { line: startLine + i, excerpt: cutCode(t, 100) };
  }
  return undefined;
}

/** Test files by the conventions of pytest, unittest, Jest/Vitest/node:test, Go and Rust. */
export const TEST_FILE = /(?:^|\/)(?:tests?|__tests__|spec|specs)\/|(?:^|\/)test_[^/]*\.py$|_test\.(?:py|go)$|\.(?:test|spec)\.[cm]?[jt]sx?$/;

function excerptOf(source: string, startLine: number, line: number): string | null {
  const text = source.split('\n')[line - startLine];
  if (text === undefined) return null;
  const t = cutCode(text, 100);
  return t.length === 0 ? null : t;
}

/**
 * Where an instance created at caller site `c` is kept in an attribute (`self.x = Cls(…)`): the
 * attribute's uses across the creating class's methods (at most 8 lines, `more` counts the
 * rest) and the classes it is handed on to (two hand-overs deep). Undefined when the result is
 * not kept in an attribute or the attribute is never used.
 */
function attributeUsesOf(c: { file: string; line: number }, excerpt: string | null, byFile: Map<string, RepoIndex['files'][number]>, index: RepoIndex): CallSiteFact['attributeUses'] {
  const attr = excerpt ? /^(self|this)\.([A-Za-z_$][\w$]*)\s*=(?!=)/.exec(excerpt) : null;
  const cls = attr ? byFile.get(c.file)?.symbols.find((x) => x.kind === 'class' && x.startLine <= c.line && x.endLine >= c.line) : undefined;
  if (!attr || !cls) return undefined;
  const re = new RegExp(`\\b${attr[1]}\\.${attr[2].replace(/\$/g, '\\$')}\\.`);
  const all = cls.source.split('\n').map((l, i) => ({ line: cls.startLine + i, text: l })).filter((l) => l.line !== c.line && re.test(noStrings(l.text)));
  const uses = all.slice(0, 8);
  const handedTo = handOvers(cls, c.file, `${attr[1]}.${attr[2]}`, index, 2);
  if (uses.length === 0 && handedTo.length === 0) return undefined;
  const out: NonNullable<CallSiteFact['attributeUses']> = { attribute: `${attr[1]}.${attr[2]}`, uses: uses.map((u) => ({ line: u.line, excerpt: excerptOf(cls.source, cls.startLine, u.line) ?? u.text.trim() })) };
  if (all.length > uses.length) out.more = all.length - uses.length;
  if (handedTo.length > 0) out.handedTo = handedTo;
  return out;
}

/**
 * Caller sites (from `facts.callers`, with the calling line) and test sites (functions in test
 * files whose calls name the target function; tests reach code through imports and fixtures
 * the resolver cannot always follow, so a name match in a test file counts).
 * Returns empty lists for targets that are not functions.
 */
export function callSiteFacts(target: Target, facts: Facts, index: RepoIndex): { callers: CallSiteFact[]; tests: CallSiteFact[] } {
  const name = target.functionName;
  if (!name || !target.symbol) return { callers: [], tests: [] };
  const byFile = new Map(index.files.map((f) => [f.path, f]));
  const symbolAt = (file: string, line: number) => byFile.get(file)?.symbols.find((s) => s.kind !== 'class' && s.startLine <= line && s.endLine >= line && s.calls.some((c) => c.line === line));
  const callers: CallSiteFact[] = facts.callers.map((c) => {
    const s = symbolAt(c.file, c.line);
    const use = s ? resultUseOf(s.source, s.startLine, c.line) : undefined;
    const excerpt = s ? excerptOf(s.source, s.startLine, c.line) : null;
    const attributeUses = attributeUsesOf(c, excerpt, byFile, index);
    // how often the caller makes the call: inside one of its loops, paced by a sleep or not
    const loop = s ? enclosingLoop(s.source, s.startLine, c.line) : null;
    const pace = loop && s ? loopPace(s.source, s.startLine, loop.line) : null;
    const guards = s ? conditionsOver(s.source, s.startLine, loop ? loop.line : s.startLine, c.line) : [];
    return { caller: c.displayName, file: c.file, line: c.line, excerpt, ...(c.inferred ? { inferred: true as const } : {}), ...(use ? { resultUse: use } : {}), ...(attributeUses ? { attributeUses } : {}), ...(loop ? { loop: { ...loop, ...(pace ? { pace } : {}) } } : {}), ...(guards.length > 0 ? { guards } : {}) };
  });
  const seen = new Set(callers.map((c) => `${c.file}:${c.line}`));
  const tests: CallSiteFact[] = [];
  for (const file of index.files) {
    if (!TEST_FILE.test(file.path)) continue;
    for (const s of file.symbols) {
      if (s.kind === 'class') continue;
      const call = s.calls.find((c) => c.name === name);
      if (!call) continue;
      const key = `${file.path}:${call.line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      tests.push({ caller: s.displayName, file: file.path, line: call.line, excerpt: excerptOf(s.source, s.startLine, call.line) });
    }
  }
  // callers in test files are listed as tests
  return { callers: callers.filter((c) => !TEST_FILE.test(c.file)), tests: [...callers.filter((c) => TEST_FILE.test(c.file)), ...tests] };
}

/**
 * Where a class is instantiated (`CodeWormDaemon(settings)`), with the calling line and where the
 * instance goes (`resultUse`): who creates it, for the class page's role in the system. Calls
 * resolve like function calls (same module, imported name, `module.Class`). Empty for other targets.
 */
export function creationSites(target: Target, index: RepoIndex): CallSiteFact[] {
  const sym = target.symbol;
  if (!sym || sym.kind !== 'class') return [];
  const byFile = new Map(index.files.map((f) => [f.path, f]));
  return findCallers(sym, target.relPath, index).map((c) => {
    const s = byFile.get(c.file)?.symbols.find((x) => x.kind !== 'class' && x.startLine <= c.line && x.endLine >= c.line && x.calls.some((k) => k.line === c.line));
    const use = s ? resultUseOf(s.source, s.startLine, c.line) : undefined;
    const excerpt = s ? excerptOf(s.source, s.startLine, c.line) : null;
    const attributeUses = attributeUsesOf(c, excerpt, byFile, index);
    return { caller: c.displayName, file: c.file, line: c.line, excerpt, ...(use ? { resultUse: use } : {}), ...(attributeUses ? { attributeUses } : {}) };
  });
}
