/**
 * Facts for a file page's "Where it fits" narrative (issue 12, blind review beside seed 003: the
 * seed's file page says what the file is for in the project and how it works; ours listed
 * contents): the file's main class with the places that create it, and the calls between the
 * file's own functions and methods, in source order — the flow a new team member follows.
 * Everything comes from the index; nothing is guessed.
 */
import type { CodeSymbol, RepoIndex } from '../index/types.ts';
import type { Target } from '../targets/types.ts';
import type { Facts } from './types.ts';
import { findCallers } from './facts.ts';
import { creationSites, type CallSiteFact } from './doc-facts.ts';
import { conditionsOver } from './providers/frequency.ts';

/** `extra.fileFit` of a file page. */
export interface FileFitFact {
  /** The longest public top-level class (ties: the one more importers take), with every place that creates it. */
  mainClass?: { name: string; line: number; methods: number; creators: CallSiteFact[] };
  /** Each function or method of the file with the file's own functions it calls, in call order. */
  calls: { name: string; line: number; async: boolean; callees: { name: string; line: number; conditional?: boolean }[] }[];
  /**
   * The file's public functions and main-class methods that other files call, most called first
   * (at most 4, 8 sites each; `inferred`: the receiver's type is not declared, see `Facts.callers`).
   */
  usedThrough: { name: string; count: number; sites: { caller: string; file: string; line: number; inferred?: true }[] }[];
  /** Whether any test file of the repository imports the file. */
  testedByImport: boolean;
  /** Whether the repository holds any test file at all. */
  repoHasTests: boolean;
}

const TEST_FILE = /(?:^|\/)(?:tests?|__tests__|spec)\/|(?:^|\/)test_[^/]*$|_test\.\w+$|\.(?:test|spec)\.\w+$/;

/**
 * The functions of `symbols` (defined in `relPath`) that other files call, most called first: at
 * most 4, each with its first 8 call sites (`inferred` as `Facts.callers` marks it).
 */
export function usedFromOutside(symbols: CodeSymbol[], relPath: string, index: RepoIndex): FileFitFact['usedThrough'] {
  const out: FileFitFact['usedThrough'] = [];
  for (const s of symbols) {
    const outside = findCallers(s, relPath, index).filter((c) => c.file !== relPath);
    if (outside.length > 0) out.push({ name: s.name, count: outside.length, sites: outside.slice(0, 8).map((c) => ({ caller: c.displayName, file: c.file, line: c.line, ...(c.inferred ? { inferred: true as const } : {}) })) });
  }
  return out.sort((a, b) => b.count - a.count).slice(0, 4);
}

/** Fill `facts.extra.fileFit` for a file target (no-op for others). */
export function addFitFacts(target: Target, facts: Facts, index: RepoIndex): void {
  if (target.symbol || target.relPath === '.') return;
  const file = index.files.find((f) => f.path === target.relPath);
  if (!file) return;
  const importers = Array.isArray(facts.extra.importers) ? (facts.extra.importers as { file: string; names: string[] }[]) : [];
  const classes = file.symbols.filter((s) => s.kind === 'class' && s.parent === null && !s.name.startsWith('_'));
  const taken = (c: CodeSymbol) => importers.filter((i) => i.names.includes(c.name)).length;
  // a class other files create, then one they import, then the one with the most code (a helper
  // only the file itself creates, or a record type other files pass around, is not what the file is for)
  const madeOutside = new Set(classes.filter((c) => findCallers(c, file.path, index).some((x) => x.file !== file.path)));
  const rank = (c: CodeSymbol) => (madeOutside.has(c) ? 2 : 0) + (taken(c) > 0 ? 1 : 0);
  const main = [...classes].sort((a, b) => rank(b) - rank(a) || b.endLine - b.startLine - (a.endLine - a.startLine) || taken(b) - taken(a))[0];
  const fit: FileFitFact = { calls: [], usedThrough: [], testedByImport: importers.some((i) => TEST_FILE.test(i.file)), repoHasTests: index.files.some((f) => TEST_FILE.test(f.path)) };
  if (main) {
    const methods = file.symbols.filter((s) => s.kind !== 'class' && s.className === main.name && s.startLine >= main.startLine && s.endLine <= main.endLine);
    const creators = creationSites({ ...target, symbol: main, className: main.name, startLine: main.startLine, endLine: main.endLine } as Target, index);
    fit.mainClass = { name: main.name, line: main.startLine, methods: methods.length, creators };
  }
  // how other files use it: calls of its public functions and of its main class's public methods
  const entry = file.symbols.filter((s) => s.kind !== 'class' && !s.name.startsWith('_') && ((s.className === null && s.parent === null) || (main && s.className === main.name && s.startLine >= main.startLine && s.endLine <= main.endLine)));
  fit.usedThrough = usedFromOutside(entry, file.path, index);
  // calls between the file's own functions: `self.x(…)` within a class, bare `f(…)` at top level
  const fns = file.symbols.filter((s) => s.kind !== 'class');
  for (const s of fns) {
    const callees: { name: string; line: number; conditional?: boolean }[] = [];
    for (const c of [...s.calls].sort((a, b) => a.line - b.line)) {
      const m = /^(?:self|this)\.([A-Za-z_$][\w$]*)$/.exec(c.callee) ?? (/^[A-Za-z_$][\w$]*$/.test(c.callee) ? [c.callee, c.callee] : null);
      if (!m) continue;
      const to = fns.find((x) => x.name === m[1] && (c.callee.includes('.') ? x.className === s.className && x.className !== null : x.className === null && x.parent === null));
      if (!to || to === s || callees.some((k) => k.name === to.name)) continue;
      // under an `if` of the caller: it runs on some calls only
      const conditional = conditionsOver(s.source, s.startLine, s.startLine, c.line).length > 0;
      callees.push({ name: to.name, line: c.line, ...(conditional ? { conditional } : {}) });
    }
    if (callees.length > 0) fit.calls.push({ name: s.className ? `${s.className}.${s.name}` : s.name, line: s.startLine, async: s.isAsync, callees });
  }
  facts.extra.fileFit = fit;
}

/**
 * The "where it fits" facts of a file page as lines of an LLM prompt's facts block, the facts the
 * static provider writes its "Where it fits" section from (providers/static-fit.ts): the files
 * that import it, its main class and where it is created, the functions other files call, the
 * calls between its own functions, whether a test imports it. Imports, top-level symbols and
 * entry points are in the facts block already and are not repeated. [] without `fileFit`.
 */
export function fitFactLines(facts: Facts): string[] {
  const fit = facts.extra.fileFit as FileFitFact | undefined;
  if (!fit) return [];
  const importers = Array.isArray(facts.extra.importers) ? (facts.extra.importers as { file: string; line: number; names: string[] }[]) : [];
  const out = [`- imported by (${importers.length} file${importers.length === 1 ? '' : 's'}): ${importers.length > 0 ? importers.slice(0, 15).map((i) => `${i.file}:${i.line}${i.names.length > 0 ? ` (${i.names.slice(0, 8).join(', ')})` : ''}`).join('; ') : 'no file of the repository'}`];
  const m = fit.mainClass;
  if (m) out.push(`- main class: ${m.name} (line ${m.line}, ${m.methods} method${m.methods === 1 ? '' : 's'}), created ${m.creators.length > 0 ? `by ${m.creators.map((c) => `${c.caller} (${c.file}:${c.line})`).join('; ')}` : 'nowhere in the repository'}`);
  if (fit.usedThrough.length > 0) out.push(`- called from other files: ${fit.usedThrough.map((u) => `${u.name} at ${u.count} call site${u.count === 1 ? '' : 's'} (${u.sites.map((s) => `${s.caller}, ${s.file}:${s.line}`).join('; ')})`).join('; ')}`);
  if (fit.calls.length > 0) out.push(`- calls between its own functions, in source order: ${fit.calls.slice(0, 15).map((c) => `${c.name} (line ${c.line}) calls ${c.callees.map((k) => `${k.name}${k.conditional ? ' (under a condition)' : ''}`).join(', ')}`).join('; ')}`);
  out.push(`- tests: ${fit.testedByImport ? 'a test file imports it' : fit.repoHasTests ? 'no test file imports it' : 'the repository has no test files'}`);
  return out;
}
