/**
 * Lifecycle and gotcha facts of a Python class or method target (issue 12): reads the target's
 * file, builds the class's lifecycle (src/analysis/lifecycle.ts) and runs the gotcha detectors
 * (src/analysis/gotchas.ts), and stores what concerns the page in `facts.extra`:
 *
 * - `lifecycle`: for a class page the whole `ClassLifecycle`; for a method page the parts that
 *   name the method (`MethodLifecycle`), with the class's entries when the method is one of them
 *   or is reached by one;
 * - `staticGotchas`: the detectors' findings for the page, ranked by severity, at most 5;
 * - `unusedConstants`: names of constants the page's class or file defines and nothing reads.
 *
 * Reads one file and runs `git grep` once per constant candidate; a failure leaves the facts
 * out (the page then says less, never something wrong). Never throws.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { RepoIndex } from '../index/types.ts';
import type { Target } from '../targets/types.ts';
import type { Facts } from './types.ts';
import { languageById } from '../languages/registry.ts';
import { entryFlagGotcha } from './callee-facts.ts';
import { classLifecycle, lifecycleOfMethod, pythonClassMethods, reachable, type ClassLifecycle } from '../analysis/lifecycle.ts';
import { breakEffects, ignoredArgumentGotcha, literalsBelowThreshold, passedByReference, passedUnused, pollingDelay, unusedParameterGotcha, unusedParameters } from '../analysis/dead-logic.ts';
import { configOverrides, countersNeverReset, docstringPromises, falsyNumericDefaults, flagsNeverSet, isLongRunning, LEGACY_DOC, legacyCalls, mixedClocks, rankGotchas, sharedStateWithoutLock, timeoutWithoutCancel, tasksNeverStopped, unusedConstantGotchas, unusedConstants, type StaticGotcha } from '../analysis/gotchas.ts';

const run = promisify(execFile);

/** An asyncio task a class starts and never cancels or awaits, for the repository's async report. */
export interface TaskFinding {
  file: string;
  line: number;
  /** `Class.method` that starts it. */
  function: string;
  excerpt: string;
  /** What happens to it (`tasksNeverStopped`), pending at a loop close included. */
  note: string;
}

/**
 * Every asyncio task of the repository's Python classes that nothing cancels or awaits
 * (`tasksNeverStopped` over each class that calls `create_task` / `ensure_future`), in file
 * and line order. Pure over the index (symbols carry their source).
 */
export function taskFindings(index: RepoIndex): TaskFinding[] {
  const out: TaskFinding[] = [];
  for (const f of index.files) {
    if (languageById(f.language)?.facts.blocking?.family !== 'python') continue;
    for (const c of f.symbols.filter((s) => s.kind === 'class' && !s.parent && /\b(?:create_task|ensure_future)\s*\(/.test(s.source))) {
      const model = classLifecycle(c.source, c.startLine);
      const methods = pythonClassMethods(c.source, c.startLine);
      for (const g of tasksNeverStopped({ tasks: model.tasks.filter((t) => t.kind === 'task'), methods: model.methods }, methods)) {
        out.push({ file: f.path, line: g.line, function: `${c.name}.${g.in ?? ''}`, excerpt: g.excerpt, note: g.note });
      }
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** The lifecycle facts of a method page. */
export type MethodLifecycle = ReturnType<typeof lifecycleOfMethod> & {
  method: string;
  className: string;
  /** Entry methods that reach this method, with their steps (when it is an entry or reached by one and the class has lifecycle work). */
  entries: ClassLifecycle['entries'];
  flags: ClassLifecycle['flags'];
  handlerEffects: ClassLifecycle['handlerEffects'];
  tasks: ClassLifecycle['tasks'];
  /** Every signal handler of the class (to name the signals that end a loop). */
  allSignals: ClassLifecycle['signals'];
};

/** Names among `names` that files other than `relPath` mention (`git grep -w -l`). */
async function namesUsedElsewhere(root: string, relPath: string, names: string[]): Promise<Set<string>> {
  const used = new Set<string>();
  for (const n of names.slice(0, 12)) {
    try {
      const { stdout } = await run('git', ['grep', '-l', '-w', '-I', '-F', '-e', n], { cwd: root, timeout: 15_000, maxBuffer: 4 * 1024 * 1024 });
      if (stdout.split('\n').some((f) => f.trim() !== '' && f.trim() !== relPath)) used.add(n);
    } catch (err) {
      // exit 1: no match anywhere; anything else: unknown, so count it as used (say nothing)
      if ((err as { code?: number }).code !== 1) used.add(n);
    }
  }
  return used;
}

/** The lines of the class named `name` in a file: from the index when it has it, else by indentation. */
function classRange(fileSource: string, name: string, index: RepoIndex | undefined, relPath: string): { start: number; end: number } | null {
  const sym = index?.files.find((f) => f.path === relPath)?.symbols.find((s) => s.kind === 'class' && s.name === name);
  if (sym) return { start: sym.startLine, end: sym.endLine };
  const lines = fileSource.split('\n');
  const at = lines.findIndex((l) => new RegExp(`^\\s*class\\s+${name}\\b`).test(l));
  if (at < 0) return null;
  const ind = lines[at].length - lines[at].trimStart().length;
  let end = at + 1;
  while (end < lines.length && (lines[end].trim() === '' || lines[end].length - lines[end].trimStart().length > ind)) end++;
  while (end > at + 1 && lines[end - 1].trim() === '') end--;
  return { start: at + 1, end };
}

/** The `**name` parameter of a function called `loader` defined in the repository, read from its file. */
async function loaderStar(root: string, index: RepoIndex | undefined, loader: string): Promise<string | null> {
  for (const f of index?.files ?? []) {
    const s = f.symbols.find((x) => x.name === loader && x.kind !== 'class');
    if (!s) continue;
    try {
      const text = (await readFile(path.join(root, f.path), 'utf8')).split('\n').slice(s.startLine - 1, s.startLine + 12).join('\n');
      const head = /\(([\s\S]*?)\)\s*(?:->[^:]+)?:/.exec(text);
      return head ? (/\*\*\s*([A-Za-z_]\w*)/.exec(head[1])?.[1] ?? null) : null;
    } catch {
      return null;
    }
  }
  return null;
}

/** The language's rule for resources opened and not released (`LanguageDescriptor.resourceLeaks`); none without one. */
function resourceLeaks(language: string, source: string, startLine: number, fileSource: string): StaticGotcha[] {
  return languageById(language)?.resourceLeaks?.(source, startLine, fileSource) ?? [];
}

const THREAD = /\b(?:BackgroundScheduler|threading\.Thread|Thread|ThreadPoolExecutor|threading\.Timer)\s*\(/;

/**
 * For each callback registration on an attribute whose class the repository defines: where that
 * class's file starts a thread (a `BackgroundScheduler`, a `threading.Thread`), so the page can
 * say the callback is called from that thread.
 */
async function addThreads(model: ClassLifecycle, root: string, index: RepoIndex | undefined): Promise<void> {
  for (const r of model.registrations) {
    if (r.kind !== 'callback' || !r.receiverClass) continue;
    const file = index?.files.find((f) => f.symbols.some((s) => s.kind === 'class' && s.name === r.receiverClass));
    if (!file) continue;
    const cls = file.symbols.find((s) => s.kind === 'class' && s.name === r.receiverClass)!;
    try {
      const lines = (await readFile(path.join(root, file.path), 'utf8')).split('\n');
      for (let i = cls.startLine - 1; i < Math.min(cls.endLine, lines.length); i++) {
        const t = lines[i].replace(/#.*$/, '');
        if (THREAD.test(t) && !/^\s*(?:from|import)\s/.test(t)) {
          r.thread = { file: file.path, line: i + 1, excerpt: lines[i].trim().replace(/\s+/g, ' ').slice(0, 90) };
          break;
        }
      }
    } catch {
      // unreadable: say nothing about threads
    }
  }
}

/**
 * A file page: the lifecycle of each class that has one (`fileLifecycle`), and the detectors over
 * the whole file — every class, every function, `main`, module and class constants — ranked.
 */
async function addFileFacts(target: Target, facts: Facts, root: string, index?: RepoIndex): Promise<void> {
  try {
    const fileSource = await readFile(path.join(root, target.relPath), 'utf8');
    const lines = fileSource.split('\n');
    const symbols = index?.files.find((f) => f.path === target.relPath)?.symbols ?? [];
    const gotchas: StaticGotcha[] = [];
    const lifecycles: ClassLifecycle[] = [];
    for (const c of symbols.filter((s) => s.kind === 'class' && !s.parent)) {
      const src = lines.slice(c.startLine - 1, c.endLine).join('\n');
      const model = classLifecycle(src, c.startLine);
      await addThreads(model, root, index);
      if (model.signals.length + model.registrations.length + model.tasks.length > 0) lifecycles.push(model);
      const classMethods = pythonClassMethods(src, c.startLine);
      gotchas.push(...flagsNeverSet(model), ...tasksNeverStopped(model, classMethods), ...docstringPromises(classMethods, fileSource), ...countersNeverReset(src, c.startLine, isLongRunning(fileSource)).map((g) => ({ ...g, in: c.name })));
      gotchas.push(...sharedStateWithoutLock(model, classMethods));
    }
    gotchas.push(...mixedClocks(fileSource, 1), ...resourceLeaks(target.language, fileSource, 1, fileSource));
    for (const s of symbols.filter((x) => x.kind !== 'class')) {
      const src = lines.slice(s.startLine - 1, s.endLine).join('\n');
      gotchas.push(...falsyNumericDefaults(src, s.startLine).map((g) => ({ ...g, in: s.displayName })), ...timeoutWithoutCancel(src, s.startLine).map((g) => ({ ...g, in: s.displayName })));
      if (s.name === 'main' && !s.className) {
        const pre = configOverrides(src, s.startLine);
        const stars = new Map<string, string | null>();
        for (const g of pre) {
          const loader = /^`([\w.]+)`/.exec(g.note)?.[1]?.split('.').pop();
          if (loader && !stars.has(loader)) stars.set(loader, await loaderStar(root, index, loader));
        }
        gotchas.push(...configOverrides(src, s.startLine, (l) => stars.get(l) ?? null).map((g) => ({ ...g, in: 'main' })));
      }
    }
    const candidates = unusedConstants(fileSource);
    const used = await namesUsedElsewhere(root, target.relPath, candidates.map((k) => k.name));
    const unused = candidates.filter((k) => !used.has(k.name));
    gotchas.push(...unusedConstantGotchas(unused).map((g, i) => ({ ...g, ...(unused[i].className ? { in: unused[i].className } : {}) })));
    gotchas.push(...deadLogicOf(symbols, fileSource));
    if (lifecycles.length > 0) facts.extra.fileLifecycle = lifecycles;
    if (gotchas.length > 0) facts.extra.staticGotchas = rankGotchas(gotchas, 5);
  } catch {
    // unreadable file: leave the facts out
  }
}

/**
 * The dead-logic gotchas of functions of a file (src/analysis/dead-logic.ts) seen from a page
 * listing several of them (a class or file page): parameters never read (named ones only: no
 * callers are read here), `break` effects; thresholds never met over `range`.
 */
function deadLogicOf(symbols: RepoIndex['files'][number]['symbols'], fileSource: string, range?: { start: number; end: number }): StaticGotcha[] {
  const out: StaticGotcha[] = [];
  for (const s of symbols) {
    if (s.kind === 'class') continue;
    if (range && (s.startLine < range.start || s.endLine > range.end)) continue;
    if (!passedByReference(fileSource, s.name)) out.push(...unusedParameterGotcha(s.displayName, unusedParameters(s.source, s.startLine, s.params, s.decorators, s.name)));
    out.push(...breakEffects(s.source, s.startLine).map((g) => ({ ...g, in: s.displayName })), ...pollingDelay(s.source, s.startLine).map((g) => ({ ...g, in: s.displayName })));
  }
  out.push(...literalsBelowThreshold(fileSource, range));
  return out;
}

/**
 * A function page's dead-logic gotchas: its own unused parameters (with the callers that pass a
 * value for one), calls in its body that pass values to parameters a function of the repository
 * never reads, `break` effects and literals below a threshold of its file.
 */
async function deadLogicOfFunction(target: Target, facts: Facts, fileSource: string, root: string, index?: RepoIndex): Promise<StaticGotcha[]> {
  const sym = target.symbol;
  if (!sym) return [];
  const out: StaticGotcha[] = [];
  const own = passedByReference(fileSource, sym.name) ? [] : unusedParameters(target.source, target.startLine, sym.params, sym.decorators, sym.name);
  const fileText = new Map<string, string[]>([[target.relPath, fileSource.split('\n')]]);
  const linesOf = async (file: string): Promise<string[] | null> => {
    if (!fileText.has(file)) {
      try {
        fileText.set(file, (await readFile(path.join(root, file), 'utf8')).split('\n'));
      } catch {
        return null;
      }
    }
    return fileText.get(file)!;
  };
  if (own.length > 0) {
    const passedBy: { name: string; where: string }[] = [];
    for (const c of facts.callers.slice(0, 20)) {
      const lines = await linesOf(c.file);
      if (!lines) continue;
      const caller = index?.files.find((f) => f.path === c.file)?.symbols.find((x) => x.kind !== 'class' && x.startLine <= c.line && x.endLine >= c.line);
      const call = caller?.calls.find((k) => k.line === c.line && k.name === sym.name);
      if (!call) continue;
      for (const u of passedUnused(lines.slice(c.line - 1, c.line + 8).join('\n'), call.callee, own)) passedBy.push({ name: u.name, where: `\`${c.file}:${c.line}\`` });
    }
    out.push(...unusedParameterGotcha(sym.displayName, own, passedBy));
  }
  // calls that hand values to parameters their callee never reads
  const seen = new Set<string>();
  for (const call of sym.calls) {
    if (seen.has(call.name) || call.name === sym.name) continue;
    seen.add(call.name);
    const viaSelf = /^self\.[A-Za-z_]\w*$/.test(call.callee);
    const defs = (index?.files ?? []).flatMap((f) => f.symbols.filter((x) => x.kind !== 'class' && x.name === call.name && (!viaSelf || x.className === target.className)).map((x) => ({ f, x })));
    if (defs.length !== 1) continue;
    const { f, x } = defs[0];
    const unused = unusedParameters(x.source, x.startLine, x.params, x.decorators, x.name);
    if (unused.length === 0) continue;
    const text = target.source.split('\n').slice(call.line - target.startLine, call.line - target.startLine + 8).join('\n');
    const ignored = passedUnused(text, call.callee, unused);
    if (ignored.length === 0) continue;
    const excerpt = target.source.split('\n')[call.line - target.startLine]?.trim() ?? call.callee;
    out.push({ ...ignoredArgumentGotcha({ line: call.line, excerpt }, { name: x.displayName, file: f.path, line: x.startLine }, ignored), in: sym.displayName });
  }
  out.push(...breakEffects(target.source, target.startLine).map((g) => ({ ...g, in: sym.displayName })), ...pollingDelay(target.source, target.startLine).map((g) => ({ ...g, in: sym.displayName })));
  out.push(...literalsBelowThreshold(fileSource, { start: target.startLine, end: target.endLine }).map((g) => ({ ...g, in: sym.displayName })));
  return out;
}

/** The calls on `self` a body makes (`self.notifier.send_alert`, `self._emit_event`), logging left out. */
function selfCalls(source: string): Set<string> {
  const out = new Set<string>();
  for (const l of source.split('\n').slice(1)) {
    const c = l.replace(/(["'])(?:\\.|(?!\1).)*\1/g, '""').replace(/#.*$/, '');
    for (const m of c.matchAll(/\bself\.([A-Za-z_][\w.]*)\s*\(/g)) if (!/(?:^|\.)(?:logger|log|logging)\./.test(m[1])) out.add(`self.${m[1]}`);
  }
  return out;
}

/**
 * What a legacy callee skips that its newer counterpart does: for each legacy method the
 * gotcha names, the method of the same class that is not legacy and shares the longest name
 * prefix (`_document_candidate` → `_document_target`, at least its first word), and the calls
 * on `self` the newer one makes and the legacy one does not. An empty string when there is none.
 */
function legacyBypass(g: StaticGotcha, legacy: ReadonlyMap<string, { line: number }>, siblings: RepoIndex['files'][number]['symbols'], fn: string): string {
  const parts: string[] = [];
  const prefix = (a: string, b: string) => {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return i;
  };
  for (const name of legacy.keys()) {
    if (!g.note.includes(`\`${name}\``)) continue;
    const old = siblings.find((x) => x.name === name);
    if (!old) continue;
    const word = (x: string) => x.replace(/^_+/, '').split('_')[0];
    const newer = siblings
      .filter((x) => x.name !== name && x.name !== fn && !legacy.has(x.name) && word(x.name) === word(name) && prefix(x.name, name) >= name.indexOf(word(name)) + word(name).length + 1)
      .sort((a, b) => prefix(b.name, name) - prefix(a.name, name))[0];
    if (!newer) continue;
    const had = selfCalls(old.source);
    const missing = [...selfCalls(newer.source)].filter((c) => !had.has(c));
    if (missing.length === 0) continue;
    const shown = missing.slice(0, 4).map((c) => `\`${c}\``);
    parts.push(`unlike \`${newer.name}\` (line ${newer.startLine}), \`${name}\` never calls ${shown.length > 1 ? `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}` : shown[0]}${missing.length > 4 ? ` (nor ${missing.length - 4} more)` : ''}`);
  }
  return parts.length > 0 ? `; ${parts.join('; ')}, so what those do never happens on this path` : '';
}

/** Re-indent a top-level function's source under a dummy class so `pythonClassMethods` reads it. */
function asMethods(source: string, startLine: number) {
  return pythonClassMethods(`class _:\n${source.split('\n').map((l) => `    ${l}`).join('\n')}`, startLine - 1);
}

/** A performance page: what its code opens and does not release (`facts.extra.resources`, the language's rule). Never throws. */
async function addResourceFacts(target: Target, facts: Facts, root: string): Promise<void> {
  if (!target.symbol || !languageById(target.language)?.resourceLeaks) return;
  try {
    const found = resourceLeaks(target.language, target.source, target.startLine, await readFile(path.join(root, target.relPath), 'utf8'));
    if (found.length > 0) facts.extra.resources = found;
  } catch {
    // unreadable file: leave the facts out
  }
}

/**
 * Fill `facts.extra.lifecycle`, `staticGotchas` and `unusedConstants` for a Python class or
 * function target. Never throws.
 */
export async function addLifecycleFacts(target: Target, facts: Facts, root: string, index?: RepoIndex): Promise<void> {
  if (target.docType === 'performance_analysis') return addResourceFacts(target, facts, root);
  // the lifecycle and gotcha readers parse Python syntax: languages of the Python rule family only
  const python = languageById(target.language)?.facts.blocking?.family === 'python';
  if (python && target.docType === 'file_doc') return addFileFacts(target, facts, root, index);
  if (!python || !target.symbol || !['class_doc', 'function_doc', 'til'].includes(target.docType)) return;
  try {
    const fileSource = await readFile(path.join(root, target.relPath), 'utf8');
    const lines = fileSource.split('\n');
    const className = target.functionName ? target.className : (target.className ?? target.symbol.name);
    const gotchas: StaticGotcha[] = [];
    let model: ClassLifecycle | null = null;
    const r = className ? classRange(fileSource, className, index, target.relPath) : null;
    const classSource = r ? lines.slice(r.start - 1, r.end).join('\n') : '';
    if (r) model = classLifecycle(classSource, r.start);
    if (model) await addThreads(model, root, index);
    if (!target.functionName && model) {
      // a class page: the whole lifecycle, every detector over the class
      const hasLifecycle = model.signals.length + model.registrations.length + model.tasks.length + model.flags.length > 0;
      if (hasLifecycle) facts.extra.lifecycle = model;
      const methods = pythonClassMethods(classSource, r!.start);
      gotchas.push(...flagsNeverSet(model), ...tasksNeverStopped(model, methods), ...docstringPromises(methods, fileSource));
      gotchas.push(...countersNeverReset(classSource, r!.start, isLongRunning(fileSource)), ...mixedClocks(classSource, r!.start), ...resourceLeaks(target.language, classSource, r!.start, fileSource));
      for (const m of methods) gotchas.push(...falsyNumericDefaults(lines.slice(m.line - 1, m.endLine).join('\n'), m.line), ...timeoutWithoutCancel(lines.slice(m.line - 1, m.endLine).join('\n'), m.line).map((g) => ({ ...g, in: m.name })));
      gotchas.push(...sharedStateWithoutLock(model, methods));
      const candidates = unusedConstants(fileSource).filter((k) => k.scope === 'class' && k.className === className);
      const used = await namesUsedElsewhere(root, target.relPath, candidates.map((k) => k.name));
      const unused = candidates.filter((k) => !used.has(k.name));
      facts.extra.unusedConstants = unused.map((k) => k.name);
      gotchas.push(...unusedConstantGotchas(unused));
      gotchas.push(...deadLogicOf(index?.files.find((x) => x.path === target.relPath)?.symbols ?? [], fileSource, r!));
    } else if (target.functionName) {
      const fn = target.functionName;
      if (model) {
        const mine = lifecycleOfMethod(model, fn);
        const entryNames = model.entries.filter((e) => reachable(model!, e.name).has(fn)).map((e) => e.name);
        const ownEntry = model.entries.find((e) => e.name === fn && e.steps.filter((s) => !s.finally).length >= 2);
        const touches = ownEntry !== undefined || mine.registeredBy.length + mine.registers.length + mine.signals.length + mine.installsSignals.length + mine.startedAs.length + mine.starts.length + mine.loops.length > 0;
        if (touches) {
          const ml: MethodLifecycle = { ...mine, method: fn, className: model.className, entries: model.entries.filter((e) => entryNames.includes(e.name) || e.name === fn), flags: model.flags, handlerEffects: model.handlerEffects, tasks: model.tasks, allSignals: model.signals };
          facts.extra.lifecycle = ml;
        }
        // the loop's own page and the entry's page both carry a flag the entry never sets
        const all = pythonClassMethods(classSource, r!.start);
        // (on the entry's page, said at the entry's own line that leads to the loop)
        const unset = model.unsetFlags.filter((u) => u.entry === fn || u.loops.some((l) => l.in === fn));
        gotchas.push(...unset.map((u) => (u.entry === fn ? entryFlagGotcha(u, model!, target.source, target.startLine) : flagsNeverSet({ unsetFlags: [u] })[0])), ...tasksNeverStopped({ tasks: model.tasks.filter((x) => x.in === fn || x.runs === fn), methods: model.methods }, all));
        gotchas.push(...docstringPromises(all.filter((m) => m.name === fn), fileSource), ...sharedStateWithoutLock(model, all, fn));
      } else {
        gotchas.push(...docstringPromises(asMethods(target.source, target.startLine).filter((m) => m.name === fn), fileSource));
      }
      gotchas.push(...falsyNumericDefaults(target.source, target.startLine), ...timeoutWithoutCancel(target.source, target.startLine), ...resourceLeaks(target.language, target.source, target.startLine, fileSource));
      // the clocks of the class (or module) when this function reads one of them
      if (/\bdatetime\s*\.\s*(?:now|utcnow)\s*\(\s*\)|['"]now['"]|CURRENT_TIMESTAMP/.test(target.source)) gotchas.push(...mixedClocks(r ? classSource : fileSource, r ? r.start : 1));
      // the counters and collections this method itself adds to
      if (model) gotchas.push(...countersNeverReset(classSource, r!.start, isLongRunning(fileSource), fn));
      // calls from its own lines into methods of its class (or functions of its file) called legacy
      const legacy = new Map<string, { line: number; doc: string }>();
      for (const s of index?.files.find((x) => x.path === target.relPath)?.symbols ?? []) {
        if (s.kind === 'class' || s.name === fn || !s.docstring || !LEGACY_DOC.test(s.docstring) || (s.className ?? null) !== (target.className ?? null)) continue;
        legacy.set(s.name, { line: s.startLine, doc: s.docstring.trim().split('\n')[0].trim() });
      }
      const siblings = index?.files.find((x) => x.path === target.relPath)?.symbols.filter((x) => x.kind !== 'class' && (x.className ?? null) === (target.className ?? null)) ?? [];
      gotchas.push(...legacyCalls(target.source, target.startLine, legacy, target.className !== null).map((g) => ({ ...g, note: `${g.note}${legacyBypass(g, legacy, siblings, fn)}` })));
      gotchas.push(...(await deadLogicOfFunction(target, facts, fileSource, root, index)));
      if (fn === 'main') {
        const stars = new Map<string, string | null>();
        const pre = configOverrides(target.source, target.startLine);
        for (const g of pre) {
          const loader = /^`([\w.]+)`/.exec(g.note)?.[1]?.split('.').pop();
          if (loader && !stars.has(loader)) stars.set(loader, await loaderStar(root, index, loader));
        }
        gotchas.push(...configOverrides(target.source, target.startLine, (l) => stars.get(l) ?? null));
      }
    }
    if (gotchas.length > 0) facts.extra.staticGotchas = rankGotchas(gotchas, 5);
  } catch {
    // unreadable file: leave the facts out
  }
}
