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
  attributeUses?: { attribute: string; uses: { line: number; excerpt: string }[] };
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
    // kept in an attribute: its uses across the creating class's methods
    const attr = excerpt ? /^(self|this)\.([A-Za-z_$][\w$]*)\s*=(?!=)/.exec(excerpt) : null;
    const cls = attr ? byFile.get(c.file)?.symbols.find((x) => x.kind === 'class' && x.startLine <= c.line && x.endLine >= c.line) : undefined;
    let attributeUses: CallSiteFact['attributeUses'];
    if (attr && cls) {
      const re = new RegExp(`\\b${attr[1]}\\.${attr[2].replace(/\$/g, '\\$')}\\.`);
      const uses = cls.source.split('\n').map((l, i) => ({ line: cls.startLine + i, text: l })).filter((l) => l.line !== c.line && re.test(l.text.replace(/(["'])(?:\\.|(?!\1).)*\1/g, '""').replace(/#.*$|\/\/.*$/, ''))).slice(0, 8);
      if (uses.length > 0) attributeUses = { attribute: `${attr[1]}.${attr[2]}`, uses: uses.map((u) => ({ line: u.line, excerpt: excerptOf(cls.source, cls.startLine, u.line) ?? u.text.trim() })) };
    }
    // how often the caller makes the call: inside one of its loops, paced by a sleep or not
    const loop = s ? enclosingLoop(s.source, s.startLine, c.line) : null;
    const pace = loop && s ? loopPace(s.source, s.startLine, loop.line) : null;
    const guards = s ? conditionsOver(s.source, s.startLine, loop ? loop.line : s.startLine, c.line) : [];
    return { caller: c.displayName, file: c.file, line: c.line, excerpt, ...(use ? { resultUse: use } : {}), ...(attributeUses ? { attributeUses } : {}), ...(loop ? { loop: { ...loop, ...(pace ? { pace } : {}) } } : {}), ...(guards.length > 0 ? { guards } : {}) };
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
    // kept in an attribute: its uses across the creating class's methods
    const attr = excerpt ? /^(self|this)\.([A-Za-z_$][\w$]*)\s*=(?!=)/.exec(excerpt) : null;
    const cls = attr ? byFile.get(c.file)?.symbols.find((x) => x.kind === 'class' && x.startLine <= c.line && x.endLine >= c.line) : undefined;
    let attributeUses: CallSiteFact['attributeUses'];
    if (attr && cls) {
      const re = new RegExp(`\\b${attr[1]}\\.${attr[2].replace(/\$/g, '\\$')}\\.`);
      const uses = cls.source.split('\n').map((l, i) => ({ line: cls.startLine + i, text: l })).filter((l) => l.line !== c.line && re.test(l.text.replace(/(["'])(?:\\.|(?!\1).)*\1/g, '""').replace(/#.*$|\/\/.*$/, ''))).slice(0, 8);
      if (uses.length > 0) attributeUses = { attribute: `${attr[1]}.${attr[2]}`, uses: uses.map((u) => ({ line: u.line, excerpt: excerptOf(cls.source, cls.startLine, u.line) ?? u.text.trim() })) };
    }
    return { caller: c.displayName, file: c.file, line: c.line, excerpt, ...(use ? { resultUse: use } : {}), ...(attributeUses ? { attributeUses } : {}) };
  });
}
