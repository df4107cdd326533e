/**
 * The facts block (SPEC section 8): what the code says about a target, computed from the warm
 * index and never guessed — signature, parameters, async or not, awaited and plain calls,
 * blocking calls reached, complexity, callers inside the repository, docstring, recent commits
 * and churn. Every prompt carries `renderFactsBlock(buildFacts(...))`; the `static` provider
 * writes its pages from the same `Facts`, and the grounding check reads the same rules.
 */
import path from 'node:path';
import type { CodeSymbol, FileRecord, RepoIndex } from '../index/types.ts';
import type { Target } from '../targets/types.ts';
import { describeEntryPoints, entryPointsOf, type EntryPoint } from '../analysis/entry-points.ts';
import { classComplexity, classMethods, classNestedFunctions, type ClassComplexityFact } from '../targets/common.ts';
import type { Facts } from './types.ts';
import type { CodeFinding } from '../analysis/findings.ts';
import { securityFindingsIn } from '../analysis/security/index.ts';
import { fitFinding } from '../analysis/security/fit.ts';
import { isStructureFacts, type AttributeFact } from '../analysis/structure.ts';
import { performanceFindingsIn } from '../analysis/performance.ts';
import { languageById } from '../languages/registry.ts';
import { pageDate } from '../devlog/render.ts';
import { matchParen, splitTopLevel } from '../core/code-text.ts';
import { declarationHead } from './declaration.ts';
import { derivedFunctionPurpose } from './providers/static-purpose.ts';
import { inferredReceiverClass } from './receiver-inference.ts';

const DAY_MS = 86_400_000;
/**
 * A decorator as a reader needs it: its name and short arguments (`app.get("/")`,
 * `lru_cache(maxsize=128)`); long arguments are dropped with `…` (`click.option("--repo", …)`
 * instead of the whole help text). Whitespace is collapsed.
 */
export function trimDecorator(text: string, max = 40): string {
  const t = text.replace(/^@\s*/, '').replace(/\s+/g, ' ').trim();
  const open = t.indexOf('(');
  if (open < 0 || t.length <= max) return t;
  const close = matchParen(t, open);
  const name = t.slice(0, open);
  const args = splitTopLevel(t.slice(open + 1, close < 0 ? t.length : close), true);
  const kept: string[] = [];
  let len = 0;
  for (const a of args) {
    if (a.length > 24 || len + a.length > max - name.length) break;
    kept.push(a);
    len += a.length + 2;
  }
  return `${name}(${[...kept, ...(kept.length < args.length ? ['…'] : [])].join(', ')})`;
}

/** Find the target's symbol: the one on the target, else by file, name and start line. */
function symbolOf(target: Target, file: FileRecord | undefined): CodeSymbol | undefined {
  if (target.symbol) return target.symbol;
  const name = target.functionName ?? target.className;
  if (!file || name === null) return undefined; // file, module and repository targets
  return file.symbols.find((s) => s.name === name && s.startLine === target.startLine) ?? file.symbols.find((s) => s.displayName === target.displayName);
}

/** The module name a file is imported as: file stem, or the directory for `__init__`/`index`/`mod`. */
function moduleStem(relPath: string): string {
  const base = path.posix.basename(relPath).replace(/\.[^.]+$/, '');
  if (base === '__init__' || base === 'index' || base === 'mod' || base === 'lib') return path.posix.basename(path.posix.dirname(relPath));
  return base;
}

/** Last segment of an import specifier: `a.b.c` → `c`, `./util/x.js` → `x`, `crate::a::b` → `b`. */
function specifierStem(spec: string): string {
  const last = spec.split(/::|\/|\./).filter((s) => s.length > 0).pop() ?? spec;
  return last === 'js' || last === 'ts' ? (spec.replace(/\.(js|ts|mjs|cjs|tsx|jsx)$/, '').split(/[/.]/).filter(Boolean).pop() ?? last) : last;
}

/**
 * Local names under which `file` binds the module `stem`: `import a.stock as s` (s),
 * `import * as s from './stock'`, a default import, `from a import stock` (stock).
 */
function moduleAliasesOf(file: FileRecord, stem: string): Set<string> {
  const out = new Set<string>();
  for (const i of file.imports) {
    const same = specifierStem(i.module) === stem;
    if (same && i.names.length === 0) out.add(stem);
    for (const n of i.names) {
      if (same && (n.imported === '*' || n.imported === 'default' || n.imported === i.module)) out.add(n.local);
      else if (!same && n.imported === stem) out.add(n.local);
    }
  }
  return out;
}

/**
 * Functions in the repository that call `symbol` (defined in `relPath`). A call resolves when it
 * is `self.x`/`this.x`/`cls.x`/`Class.x` from the same class, a plain `x` in the same module or
 * bound by an import from a module whose last segment is the defining file's module name,
 * `mod.x` through such a module import, or `self.attr.x` where the attribute's type is the
 * method's class (`attributeIsA`); a receiver of undeclared type binds by its name or by a
 * method name only one class defines, marked `inferred` (`receiver-inference.ts`). Other calls
 * stay unresolved; the page then lists where the name occurs instead of claiming there is no
 * caller (`reader-facts.ts`).
 * Cost: one pass over every symbol's call list, no parsing.
 */
export function findCallers(symbol: CodeSymbol, relPath: string, index: RepoIndex): Facts['callers'] {
  const out: Facts['callers'] = [];
  // A nested function is a local name of its enclosing function: only bare calls from inside that
  // function (or functions nested in it) can reach it, and only where no closer definition of the
  // same name shadows it (Python's LEGB rule; JS/TS block scoping for function declarations).
  if (symbol.parent !== null && symbol.kind !== 'class') {
    const file = index.files.find((f) => f.path === relPath);
    for (const s of file?.symbols ?? []) {
      if (s.kind === 'class' || s === symbol || (s.startLine === symbol.startLine && s.name === symbol.name)) continue;
      for (const c of s.calls) if (c.name === symbol.name && c.callee === c.name && localBinding(file!, s, c.name) === symbol) out.push({ displayName: s.displayName, file: relPath, line: c.line });
    }
    return out;
  }
  const stem = moduleStem(relPath);
  const dirOf = path.posix.dirname(relPath);
  const pkgStem = dirOf === '.' ? null : path.posix.basename(dirOf);
  for (const file of index.files) {
    const sameFile = file.path === relPath;
    let importedNames: Set<string> | null = null;
    let moduleAliases: Set<string> | null = null;
    for (const s of file.symbols) {
      if (s.kind === 'class' || s.calls.length === 0) continue;
      if (sameFile && s.startLine === symbol.startLine && s.name === symbol.name) continue;
      for (const c of s.calls) {
        if (c.name !== symbol.name) continue;
        const qual = c.callee.slice(0, Math.max(0, c.callee.length - c.name.length)).replace(/(\.|::|->)$/, '');
        let resolved = false;
        if (symbol.className) {
          if (qual === 'self' || qual === 'this' || qual === 'cls') resolved = sameFile && s.className === symbol.className;
          else resolved = qual === symbol.className || qual === 'Self';
        } else if (qual === '') {
          // a nested function of the same name in the caller's enclosing functions shadows it
          if (localBinding(file, s, c.name) !== null) resolved = false;
          else if (sameFile) resolved = true;
          else {
            // from the module itself, or from its package re-exporting it (`from codeworm.analysis import CodeAnalyzer`)
            importedNames ??= new Set(file.imports.filter((i) => specifierStem(i.module) === stem || (pkgStem !== null && specifierStem(i.module) === pkgStem)).flatMap((i) => i.names.filter((n) => n.imported === symbol.name).map((n) => n.local)));
            resolved = importedNames.has(c.callee);
          }
        } else if (!sameFile) {
          moduleAliases ??= moduleAliasesOf(file, stem);
          resolved = moduleAliases.has(qual) || qual.endsWith(`.${stem}`);
        }
        // `self.client.generate(…)`: the attribute's declared or constructed type names the class
        if (!resolved && symbol.className) resolved = attributeIsA(qual, s, file, symbol.className);
        // `daemon = CodeWormDaemon(settings)` … `daemon.run_once()`: a local built from the class
        if (!resolved && symbol.className && /^[A-Za-z_$][\w$]*$/.test(qual)) resolved = localIsA(qual, s, c.line, symbol.className);
        // a receiver of undeclared type (`self.analyzer` kept from `analyzer: object`): by the receiver's name or a method name only one class defines
        const how = !resolved && symbol.className && !(sameFile && s.className === symbol.className && /^(?:self|this|cls)$/.test(qual)) ? inferredReceiverClass(qual, symbol, relPath, s, file, c.line, index, declarationHead) : null;
        if (how === 'declared') resolved = true;
        if (resolved) out.push({ displayName: s.displayName, file: file.path, line: c.line });
        else if (how === 'inferred') out.push({ displayName: s.displayName, file: file.path, line: c.line, inferred: true });
      }
    }
  }
  return out;
}

/**
 * Whether the local `name` of function `s` holds an instance of `className` at file line
 * `line`: an earlier line of `s` assigns it a construction (`name = ClassName(…)`, `new
 * ClassName(…)`, `await ClassName.create(…)` is not counted), annotates it (`name: ClassName`) or
 * binds it in `with ClassName(…) as name:`.
 */
function localIsA(name: string, s: CodeSymbol, line: number, className: string): boolean {
  const lines = s.source.split('\n').slice(0, Math.max(0, line - s.startLine));
  const n = name.replace(/\$/g, '\\$');
  const assign = new RegExp(`^\\s*(?:(?:const|let|var)\\s+)?${n}\\s*(?::\\s*${className}\\b[^=]*)?=\\s*(?:new\\s+)?${className}\\s*\\(`);
  const annotated = new RegExp(`^\\s*(?:(?:const|let|var)\\s+)?${n}\\s*:\\s*${className}\\b`);
  const withAs = new RegExp(`\\bwith\\s+${className}\\s*\\(.*\\)\\s+as\\s+${n}\\s*:`);
  return lines.some((l) => assign.test(l) || annotated.test(l) || withAs.test(l));
}

/**
 * The nested function a bare call `name` inside `caller` binds to: the innermost definition of
 * `name` among `caller`'s own nested functions, then its enclosing function's, outwards (Python's
 * LEGB rule: enclosing *function* scopes are searched, a class body is not). Null when no
 * enclosing function defines it, so the name is the module's or an import's.
 * Cost: one pass over the file's symbols per scope level.
 */
function localBinding(file: FileRecord, caller: CodeSymbol, name: string): CodeSymbol | null {
  let scope: CodeSymbol | undefined = caller;
  for (let depth = 0; scope && depth < 32; depth++) {
    const inner: CodeSymbol = scope;
    const defs = file.symbols.filter((x) => x.kind !== 'class' && x.name === name && x.parent === inner.displayName && x.startLine > inner.startLine && x.endLine <= inner.endLine);
    if (defs.length > 0) return defs[0];
    if (inner.parent === null) return null;
    scope = file.symbols.find((x) => x.kind !== 'class' && x.displayName === inner.parent && x.startLine <= inner.startLine && x.endLine >= inner.endLine);
  }
  return null;
}

/**
 * Whether `qual` (`self.client`, `this.store`) is an attribute of the caller's class whose type
 * names `className`: its annotation, the constructor call assigned to it
 * (`self.client = OllamaClient(…)`), or the annotation of the constructor parameter assigned to it
 * (`def __init__(self, client: OllamaClient): self.client = client`).
 */
function attributeIsA(qual: string, caller: CodeSymbol, file: FileRecord, className: string): boolean {
  const m = /^(?:self|this)\.(\w+)$/.exec(qual);
  if (!m || !caller.className) return false;
  const st = file.facts?.structure;
  const attr = isStructureFacts(st) ? (st.classes[caller.className] ?? []).find((a) => a.name === m[1]) : undefined;
  if (!attr) return false;
  const word = new RegExp(`(?<![\\w.])${className}(?![\\w])`);
  if (word.test(attr.type ?? '') || word.test((attr.value ?? '').replace(/\(.*$/, ''))) return true;
  const param = /^[A-Za-z_]\w*$/.exec(attr.value ?? '')?.[0];
  if (!param) return false;
  const ctor = file.symbols.find((x) => x.className === caller.className && (x.name === '__init__' || x.name === 'constructor') && x.kind !== 'class');
  const head = ctor ? declarationHead(ctor.source, ctor.name) : null;
  if (!head) return false;
  const p = splitTopLevel(head.paramText, true).find((x) => new RegExp(`^(?:(?:private|public|protected|readonly)\\s+)*${param}\\??\\s*:`).test(x.trim()));
  return !!p && word.test(p.slice(p.indexOf(':') + 1));
}

/** The findings on `symbol`'s lines that are not inside a function nested in it. */
function ownFindings(findings: CodeFinding[], symbol: CodeSymbol, file: FileRecord): CodeFinding[] {
  const nested = file.symbols.filter((s) => s !== symbol && s.kind !== 'class' && s.startLine >= symbol.startLine && s.endLine <= symbol.endLine && !(s.startLine === symbol.startLine && s.endLine === symbol.endLine));
  return findings.filter((f) => !nested.some((s) => f.line >= s.startLine && f.line <= s.endLine));
}

/** Commit dates in facts: the page rule (UTC day, `pageDate`), so facts, prompts and pages agree. */
const isoDate = pageDate;

/**
 * Compute the facts for a target from the repository index.
 *
 * Shapes: `target.relPath` is repo-relative; line numbers in the result are file lines (1-based).
 * Function targets get signature, parameters, async flag, calls with awaited flags, complexity,
 * callers, docstring; class targets get their methods (`extra.methods`) and bases; file targets
 * their imports and symbols (`extra.imports`, `extra.symbols`); every target with a file gets
 * the newest 5 commits touching it and its churn. `opts.blocking` comes from the blocking-in-async
 * analysis (`blockingFactsForSymbol`); when it is absent `extra.blockingAnalysed` is false and the
 * block says "not analysed" instead of "none found". `opts.now` (ms since epoch) dates the churn.
 * Pure: reads the index only, never throws on a target the index does not know (fields stay empty).
 */
export function buildFacts(target: Target, index: RepoIndex, opts: { blocking?: Facts['blocking']; now: number }): Facts {
  const file = target.file ?? index.files.find((f) => f.path === target.relPath);
  const symbol = symbolOf(target, file);
  const isFunction = symbol !== undefined && symbol.kind !== 'class';
  const extra: Record<string, unknown> = { kind: isFunction ? 'function' : symbol ? 'class' : target.relPath === '.' ? 'repository' : 'file' };
  extra.blockingAnalysed = opts.blocking !== undefined;
  extra.file = target.relPath;

  const facts: Facts = {
    signature: null,
    params: [],
    isAsync: null,
    calls: [],
    blocking: opts.blocking ?? [],
    complexity: null,
    callers: [],
    docstring: symbol?.docstring ?? null,
    recentCommits: [],
    churn: null,
    extra,
  };

  if (symbol && isFunction) {
    const decl = declarationHead(symbol.source, symbol.name);
    facts.signature = decl?.head ?? symbol.source.split('\n', 1)[0].trim();
    facts.params = symbol.params;
    facts.isAsync = symbol.isAsync;
    facts.calls = symbol.calls.map((c) => ({ callee: c.callee, line: c.line, awaited: c.awaited }));
    facts.complexity = { ...symbol.metrics };
    facts.callers = findCallers(symbol, target.relPath, index);
    extra.startLine = symbol.startLine;
    extra.endLine = symbol.endLine;
    if (symbol.className) extra.className = symbol.className;
    if (symbol.decorators.length > 0) extra.decorators = symbol.decorators.map((d) => trimDecorator(d));
    if (symbol.isGenerator) extra.generator = true;
    if (file) {
      // each finding's fix fits its line: where the sink's input comes from, what a path is for
      const params = symbol.params.map((p) => p.replace(/^\*+/, '')).filter((p) => p !== 'self' && p !== 'cls' && p !== 'this');
      facts.security = ownFindings(securityFindingsIn(file, symbol.startLine, symbol.endLine), symbol, file).map((f) => {
        const fit = f.file === file.path ? fitFinding(f, symbol.source, symbol.startLine, params) : null;
        return fit ? { ...f, fix: fit.fix, input: fit.input, lowRisk: fit.lowRisk } : f;
      });
      facts.performance = ownFindings(performanceFindingsIn(file, symbol.startLine, symbol.endLine), symbol, file);
      // what the performance finder picked the target for: blocking calls in the function's own
      // callbacks (`child.on('close', () => fs.readFileSync(…))`), which its blocking facts leave out
      const picked = Array.isArray(target.context.performanceFindings) ? (target.context.performanceFindings as CodeFinding[]) : [];
      for (const p of picked) {
        if (!facts.performance.some((x) => x.line === p.line && x.rule === p.rule)) facts.performance.push(p);
      }
      facts.performance.sort((a, b) => a.line - b.line);
    }
  } else if (symbol) {
    facts.complexity = { ...symbol.metrics };
    const methods = file ? classMethods(file, symbol) : [];
    extra.methods = methods.map(
      (m): ClassMethodFact => ({
        name: m.name,
        line: m.startLine,
        async: m.isAsync,
        params: m.params,
        signature: declarationHead(m.source, m.name)?.head ?? m.source.split('\n', 1)[0].trim(),
        decorators: m.decorators.map((d) => trimDecorator(d)),
        cyclomatic: m.metrics.cyclomatic,
        nloc: m.metrics.nloc,
        // what it is for, in its author's words (seed 002 lists each method with it)
        ...(m.docstring && firstDocLine(m.docstring) ? { doc: firstDocLine(m.docstring) } : derivedOf(m, target.language)),
      }),
    );
    extra.classComplexity = classComplexity(methods, file ? classNestedFunctions(file, symbol) : []);
    const st = file?.facts?.structure;
    const attributes: AttributeFact[] = withParamTypes(isStructureFacts(st) ? (st.classes[symbol.name] ?? []) : [], methods);
    const collaborators = collaboratorsOf(symbol, attributes, methods, index);
    extra.attributes = withConstructedTypes(attributes, collaborators);
    extra.collaborators = collaborators;
    if (symbol.decorators.length > 0) extra.decorators = symbol.decorators.map((d) => trimDecorator(d));
    extra.bases = symbol.bases ?? [];
    extra.startLine = symbol.startLine;
    extra.endLine = symbol.endLine;
  } else if (file) {
    extra.imports = file.imports.map((i) => i.module);
    const st = file.facts?.structure;
    if (isStructureFacts(st) && st.exports !== null) extra.exports = st.exports;
    // each with the first line of its docstring: what it is for, in its author's words
    extra.symbols = topLevelSymbols(file).map((s) => ({ name: s.displayName, kind: s.kind, line: s.startLine, async: s.isAsync, ...(s.docstring && firstDocLine(s.docstring) ? { doc: firstDocLine(s.docstring) } : {}) }));
    extra.lines = file.lines;
    extra.nloc = file.nloc;
    // who uses it: a module page covers every file of its package, a file page the file
    const dir = path.posix.dirname(file.path);
    extra.importers = importersOf(target.docType === 'module_doc' ? index.files.filter((f) => path.posix.dirname(f.path) === dir).map((f) => f.path) : [file.path], index);
    if (target.docType === 'module_doc') extra.packageFiles = packageFiles(dir, index, Array.isArray(extra.exports) ? (extra.exports as string[]) : []);
  }

  if (index.entryPoints) addEntryPointFacts(extra, facts, target.relPath, file, symbol ?? null, index);

  if (target.relPath !== '.') {
    // a module page: the commits that touched any file of its package, not only its entry file
    const pkg = target.docType === 'module_doc' ? path.posix.dirname(target.relPath) : null;
    facts.recentCommits = index.commits
      .filter((c) => (pkg !== null ? c.files.some((x) => path.posix.dirname(x) === pkg) : c.files.includes(target.relPath)))
      .slice(0, 5)
      .map((c) => ({ hash: c.hash, date: isoDate(c.date), author: c.author, subject: c.subject }));
    const churn = index.churn.get(target.relPath);
    if (churn) {
      facts.churn = { commits30d: churn.commits30d, commits90d: churn.commits90d, lastModified: churn.lastModified === null ? null : isoDate(churn.lastModified) };
      if (churn.lastModified !== null) extra.daysSinceChange = Math.max(0, Math.floor((opts.now - churn.lastModified) / DAY_MS));
    }
  }
  return facts;
}

/**
 * How the code is started, for "Used by" and "How often" (`readEntryPoints`):
 * - `extra.entryPoints`: the commands that run this function, or this file (file targets);
 * - `extra.callerEntryPoints`: caller display name → the commands that run that caller;
 * - `extra.startedBy` (classes): the entry-point functions that create an instance, with the line.
 * Set only when the index read entry points (`[]` then means "none declared").
 */
function addEntryPointFacts(extra: Record<string, unknown>, facts: Facts, relPath: string, file: FileRecord | undefined, symbol: CodeSymbol | null, index: RepoIndex): void {
  const eps = index.entryPoints ?? [];
  const described = (list: EntryPoint[]) => describeEntryPoints(list).slice(0, 4);
  if (!symbol) {
    if (file) extra.entryPoints = described(entryPointsOf(eps, relPath, null));
    return;
  }
  const symbolNamed = (path: string, display: string) => index.files.find((f) => f.path === path)?.symbols.find((s) => s.kind !== 'class' && s.displayName === display);
  if (symbol.kind !== 'class') {
    extra.entryPoints = described(entryPointsOf(eps, relPath, symbol));
    const byCaller: Record<string, string[]> = {};
    for (const c of facts.callers) {
      const cs = symbolNamed(c.file, c.displayName);
      const e = cs ? described(entryPointsOf(eps, c.file, cs)) : [];
      if (e.length > 0) byCaller[c.displayName] = e;
    }
    extra.callerEntryPoints = byCaller;
    return;
  }
  const started: { creator: string; file: string; line: number; by: string[] }[] = [];
  for (const c of findCallers(symbol, relPath, index)) {
    const cs = symbolNamed(c.file, c.displayName);
    const e = cs ? described(entryPointsOf(eps, c.file, cs)) : [];
    if (e.length > 0) started.push({ creator: c.displayName, file: c.file, line: c.line, by: e });
  }
  extra.startedBy = started;
}

/**
 * Attributes assigned straight from a constructor parameter (`self.repos = repos`) take the
 * parameter's annotation as their type (`list[RepoEntry]`) when they declare none.
 */
function withParamTypes(attributes: AttributeFact[], methods: CodeSymbol[]): AttributeFact[] {
  const ctor = methods.find((m) => m.name === '__init__' || m.name === 'constructor');
  const head = ctor ? declarationHead(ctor.source, ctor.name) : null;
  if (!head) return attributes;
  const types = new Map<string, string>();
  for (const p of splitTopLevel(head.paramText, true)) {
    const m = /^(?:(?:private|public|protected|readonly)\s+)*([A-Za-z_$][\w$]*)\??\s*:\s*(.+?)\s*(?:=.*)?$/s.exec(p.trim());
    if (m) types.set(m[1], m[2].replace(/\s+/g, ' '));
  }
  return attributes.map((a) => (a.type === null && a.value !== null && types.has(a.value) ? { ...a, type: types.get(a.value)! } : a));
}

/**
 * Attributes without an annotation whose value constructs a class of the repository
 * (`self.stats = CycleStats()`, `this.db = new Store(…)`) take that class as their type.
 * `classes` are the repository's class names this class works with (`collaboratorsOf`).
 */
function withConstructedTypes(attributes: AttributeFact[], classes: string[]): AttributeFact[] {
  const known = new Set(classes);
  return attributes.map((a) => {
    if (a.type !== null || a.value === null) return a;
    const m = /^(?:new\s+)?([A-Z][\w$]*)\s*\(/.exec(a.value);
    return m && known.has(m[1]) ? { ...a, type: m[1] } : a;
  });
}

/** One method of a class page's facts (`extra.methods`). */
export interface ClassMethodFact {
  name: string;
  line: number;
  async: boolean;
  params: string[];
  /** The declaration as the source writes it, one line (`def find(self, repo: RepoEntry, limit: int = 10) -> list[Target]`). */
  signature: string;
  /** Decorators trimmed to name and short arguments (`trimDecorator`). */
  decorators: string[];
  cyclomatic: number;
  nloc: number;
  /** The first line of its docstring, when it has one. */
  doc?: string;
  /** Without a docstring: what its code does, one sentence (`derivedFunctionPurpose`). */
  derived?: string;
}

export { classComplexity, type ClassComplexityFact };

/**
 * `{ derived }` for a method without a docstring: what its code shows it does (the attributes it
 * changes, its side effects, the calls under which conditions, what it returns), so a class page
 * lists `_tail_log` with a purpose, not a bare signature; `{}` when the code shows nothing.
 */
function derivedOf(m: CodeSymbol, language: string): { derived?: string } {
  const d = derivedFunctionPurpose(m.source, m.name, m.startLine, language, m.calls.map((c) => ({ callee: c.callee, line: c.line, awaited: c.awaited })));
  return d ? { derived: d } : {};
}

const NOT_COLLABORATORS = new Set(['Optional', 'List', 'Dict', 'Set', 'Tuple', 'Any', 'Union', 'Callable', 'Iterable', 'Iterator', 'Sequence', 'Mapping', 'Type', 'Promise', 'Record', 'Array', 'Map', 'Partial', 'Readonly', 'Self', 'None', 'True', 'False']);

/**
 * Classes of the repository this class works with: its bases, the types of its attributes
 * (annotations and constructed values, `self.state = State()`) and the annotated parameter and
 * return types of its methods, when a class of that name exists in the index. Sorted.
 */
function collaboratorsOf(cls: CodeSymbol, attributes: AttributeFact[], methods: CodeSymbol[], index: RepoIndex): string[] {
  const names = new Set<string>();
  const texts = [...(cls.bases ?? []), ...attributes.flatMap((a) => [a.type ?? '', a.value ?? '']), ...methods.map((m) => declarationHead(m.source, m.name)?.head ?? '')];
  for (const t of texts) for (const m of t.matchAll(/\b([A-Z][A-Za-z0-9_]*)\b/g)) if (!NOT_COLLABORATORS.has(m[1]) && m[1] !== cls.name) names.add(m[1]);
  if (names.size === 0) return [];
  const known = new Set<string>();
  for (const f of index.files) for (const s of f.symbols) if (s.kind === 'class' && names.has(s.name)) known.add(s.name);
  return [...known].sort();
}

/** One file that imports a module, with the names it takes from it (empty for `import mod`). */
export interface ImporterFact {
  file: string;
  /** The first import line. */
  line: number;
  /** Every import line of the file that names it, in file order (a `TYPE_CHECKING` import may come later). */
  lines?: number[];
  names: string[];
  /** Every one of those imports is for type checkers only (`if TYPE_CHECKING:`, `import type`): no run-time coupling. */
  typeOnly?: boolean;
}

/** Python module path of a file (`codeworm/core/state.py` → `codeworm.core.state`, a package's `__init__.py` → the package). */
function pyModuleOf(relPath: string): string {
  return relPath.replace(/\.pyi?$/, '').replace(/\/__init__$/, '').replace(/\//g, '.');
}

/** Script path without extension (`src/a/index.ts` → `src/a/index` and `src/a`). */
function jsKeysOf(relPath: string): string[] {
  const base = relPath.replace(/\.(?:d\.)?[cm]?[jt]sx?$/, '');
  return base.endsWith('/index') ? [base, base.slice(0, -'/index'.length)] : [base];
}

/**
 * Files of the repository that import any of `paths` (a file, or every file of a package), from
 * outside them: Python absolute and relative imports (`from codeworm.core.state import X`,
 * `from .state import X`, `from codeworm.core import state`) and relative JS/TS specifiers.
 * One entry per importing file, sorted by path. Pure over the index.
 */
export function importersOf(paths: string[], index: RepoIndex): ImporterFact[] {
  const inside = new Set(paths);
  const py = new Set(paths.filter((p) => /\.pyi?$/.test(p)).map(pyModuleOf));
  const js = new Set(paths.filter((p) => /\.[cm]?[jt]sx?$/.test(p)).flatMap(jsKeysOf));
  // `from codeworm.core import StateManager`: a package re-exports the names its files define
  const byPath = new Map(index.files.map((f) => [f.path, f]));
  const pkgNames = new Map<string, Set<string>>();
  for (const p of paths) {
    if (!/\.py$/.test(p) || p.endsWith('__init__.py')) continue;
    const file = byPath.get(p);
    if (!file) continue;
    const pkg = path.posix.dirname(p).replace(/\//g, '.');
    const set = pkgNames.get(pkg) ?? new Set<string>();
    for (const sym of topLevelSymbols(file)) set.add(sym.name);
    pkgNames.set(pkg, set);
  }
  const out: ImporterFact[] = [];
  for (const f of index.files) {
    if (inside.has(f.path)) continue;
    let hit: ImporterFact | null = null;
    // Module resolution follows the language's rule family (Python dotted modules, JS/TS relative paths).
    const family = languageById(f.language)?.facts.blocking?.family;
    for (const i of f.imports) {
      let names: string[] | null = null;
      if (family === 'python') {
        let mod = i.module;
        if (mod.startsWith('.')) {
          const dots = /^\.+/.exec(mod)![0].length;
          const pkg = path.posix.dirname(f.path).split('/').filter(Boolean);
          mod = [...pkg.slice(0, Math.max(0, pkg.length - (dots - 1))), mod.slice(dots)].filter(Boolean).join('.');
        }
        if (py.has(mod)) names = i.names.map((n) => n.imported).filter((n) => n !== mod);
        else {
          const viaPackage = pkgNames.get(mod);
          const sub = i.names.filter((n) => py.has(`${mod}.${n.imported}`) || viaPackage?.has(n.imported)).map((n) => n.imported);
          if (sub.length > 0) names = sub;
        }
      } else if (family === 'js' && i.module.startsWith('.')) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(f.path), i.module)).replace(/\.(?:[cm]?[jt]sx?)$/, '');
        if (js.has(target)) names = i.names.map((n) => n.imported).filter((n) => n !== '*' && n !== 'default');
      }
      if (names === null) continue;
      hit ??= { file: f.path, line: i.line, lines: [], names: [], typeOnly: true };
      if (!i.typeOnly) hit.typeOnly = false;
      if (!hit.lines!.includes(i.line)) hit.lines!.push(i.line);
      for (const n of names) if (!hit.names.includes(n)) hit.names.push(n);
    }
    if (hit) {
      if (!hit.typeOnly) delete hit.typeOnly;
      out.push(hit);
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

/** One file of a package on its module page: what it defines and which files of the package it imports. */
export interface PackageFileFact {
  path: string;
  lines: number;
  /** Its main top-level classes (else functions), at most 2 — the package's exported names first, then the largest — each with its docstring's first line. */
  main: { name: string; kind: CodeSymbol['kind']; line: number; doc?: string }[];
  /** Other files of the package it imports at run time (paths), in path order. */
  uses: string[];
}

/**
 * The files of the package in `dir` (not its subpackages), in path order, at most 30: each with
 * its main definitions (`exported`, the names the package's entry file makes available, first)
 * and the package files it imports at run time (`importersOf` over the package alone), so a
 * module page shows what each file is for and how they depend on each other.
 */
export function packageFiles(dir: string, index: RepoIndex, exported: readonly string[] = []): PackageFileFact[] {
  const isExported = (s: CodeSymbol) => (exported.includes(s.name) ? 0 : 1);
  const files = index.files.filter((f) => path.posix.dirname(f.path) === dir).sort((a, b) => a.path.localeCompare(b.path)).slice(0, 30);
  const pkg: RepoIndex = { ...index, files };
  const uses = new Map<string, string[]>(files.map((f) => [f.path, []]));
  for (const f of files) {
    // the package's entry file re-exports everything: "uses every file" says nothing
    if (/(?:^|\/)(?:__init__\.py|index\.[cm]?[jt]sx?)$/.test(f.path)) continue;
    for (const i of importersOf([f.path], pkg)) if (!i.typeOnly && !/(?:^|\/)(?:__init__\.py|index\.[cm]?[jt]sx?)$/.test(i.file)) uses.get(i.file)?.push(f.path);
  }
  return files.map((f) => {
    const top = topLevelSymbols(f);
    const classes = top.filter((s) => s.kind === 'class');
    const main = (classes.length > 0 ? classes : top).slice().sort((a, b) => isExported(a) - isExported(b) || b.endLine - b.startLine - (a.endLine - a.startLine) || a.startLine - b.startLine).slice(0, 2).sort((a, b) => a.startLine - b.startLine);
    return {
      path: f.path,
      lines: f.lines,
      main: main.map((s) => ({ name: s.displayName, kind: s.kind, line: s.startLine, ...(s.docstring && firstDocLine(s.docstring) ? { doc: firstDocLine(s.docstring) } : {}) })),
      uses: (uses.get(f.path) ?? []).sort(),
    };
  });
}

/**
 * The first non-empty line of a docstring, whitespace collapsed, at most 120 characters (cut at a
 * word); '' when that line is a tag (`@param …`) or a template's placeholder (`Description`).
 */
function firstDocLine(doc: string): string {
  const l = (doc.split('\n').map((x) => x.trim()).find((x) => x.length > 0) ?? '').replace(/\s+/g, ' ');
  if (/^(?:@\w|:(?:param|returns?|raises?)\b)/.test(l) || /^(?:description|todo|fixme|tbd|\.\.\.)[.:]?$/i.test(l)) return '';
  return l.length > 120 ? `${l.slice(0, l.lastIndexOf(' ', 119)).trimEnd()}…` : l;
}

/** The file's top-level symbols: classes and functions not nested in a class or function (methods excluded). */
export function topLevelSymbols(file: FileRecord): CodeSymbol[] {
  return file.symbols.filter((s) => s.parent === null && (s.kind === 'class' || s.className === null) && !file.symbols.some((c) => c.kind === 'class' && c !== s && c.startLine < s.startLine && c.endLine >= s.endLine));
}

/** `name (line 3)` / `name (lines 3, 9)` for each distinct callee, in first-seen order. */
function groupCalls(calls: Facts['calls'], limit: number): string {
  const byCallee = new Map<string, number[]>();
  for (const c of calls) {
    const lines = byCallee.get(c.callee) ?? [];
    if (!lines.includes(c.line)) lines.push(c.line);
    byCallee.set(c.callee, lines);
  }
  if (byCallee.size === 0) return 'none';
  const items = [...byCallee].map(([callee, lines]) => `${callee} (line${lines.length > 1 ? 's' : ''} ${lines.join(', ')})`);
  const shown = items.slice(0, limit).join(', ');
  return items.length > limit ? `${shown}, … and ${items.length - limit} more` : shown;
}

/** A docstring quoted line by line (its line breaks kept), at most 15 lines / 1200 characters. */
function docstringBlock(doc: string): string {
  const lines = doc.replace(/\s+$/, '').split('\n');
  const out: string[] = [];
  let size = 0;
  for (const l of lines) {
    if (out.length >= 15 || size + l.length > 1200) {
      out.push('  > …');
      break;
    }
    out.push(`  > ${l}`.trimEnd());
    size += l.length;
  }
  return out.join('\n');
}

function oneLine(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/**
 * Render facts as the labelled text block the prompts include. The heading tells the model the
 * block is authoritative; each line is `- label: value`, with "none found" / "none" where the
 * code has nothing, so absence is stated rather than left to guess. Line numbers are file lines.
 */
export function renderFactsBlock(facts: Facts): string {
  const out: string[] = ['## Facts (computed from the code; do not contradict)'];
  const kind = facts.extra.kind as string | undefined;
  if (facts.signature !== null) out.push(`- signature: \`${facts.signature}\``);
  if (kind === 'function') {
    out.push(`- parameters (${facts.params.length}): ${facts.params.length > 0 ? facts.params.join(', ') : 'none'}`);
    out.push(`- async: ${facts.isAsync ? 'yes' : 'no (a synchronous function)'}`);
    const awaited = facts.calls.filter((c) => c.awaited);
    const plain = facts.calls.filter((c) => !c.awaited);
    out.push(`- awaited calls: ${groupCalls(awaited, 25)}`);
    out.push(`- plain (not awaited) calls: ${groupCalls(plain, 25)}`);
    if (Array.isArray(facts.extra.decorators)) out.push(`- decorators: ${(facts.extra.decorators as string[]).join(', ')}`);
    if (facts.extra.generator) out.push('- generator: yes');
  }
  if (kind === 'class') {
    const methods = (facts.extra.methods as { name: string; line: number; async: boolean; params: string[] }[] | undefined) ?? [];
    const bases = (facts.extra.bases as string[] | undefined) ?? [];
    out.push(`- bases: ${bases.length > 0 ? bases.join(', ') : 'none'}`);
    out.push(`- methods (${methods.length}): ${methods.length > 0 ? methods.map((m) => `\`${(m as Partial<ClassMethodFact>).signature ?? `${m.name}(${m.params.join(', ')})`}\` line ${m.line}`).join('; ') : 'none'}`);
    const attrs = (facts.extra.attributes as AttributeFact[] | undefined) ?? [];
    out.push(`- attributes (${attrs.length}): ${attrs.length > 0 ? attrs.slice(0, 40).map((a) => `${a.name}${a.type ? `: ${a.type}` : ''} (${a.kind}, line ${a.line})`).join(', ') : 'none found'}`);
    const collab = (facts.extra.collaborators as string[] | undefined) ?? [];
    if (collab.length > 0) out.push(`- collaborators (classes of this repository it uses): ${collab.join(', ')}`);
    const cc = facts.extra.classComplexity as ClassComplexityFact | undefined;
    if (cc && cc.worst) out.push(`- method complexity: average ${cc.average}, max ${cc.max} (${cc.worst.name}, line ${cc.worst.line}), total ${cc.total} over ${cc.methods} methods`);
    const startedBy = (facts.extra.startedBy as { creator: string; file: string; line: number; by: string[] }[] | undefined) ?? [];
    if (startedBy.length > 0) out.push(`- started by entry points: ${startedBy.map((s) => `${s.creator} (${s.file}:${s.line}) creates it, run by ${s.by.join('; ')}`).join('; ')}`);
    if (cc?.nested && cc.nested.length > 0) out.push(`- functions nested in methods (complexity counted apart, as radon does): ${cc.nested.slice(0, 8).map((n) => `${n.name} (line ${n.line}) ${n.cyclomatic}`).join(', ')}`);
  }
  if (kind === 'file') {
    const imports = (facts.extra.imports as string[] | undefined) ?? [];
    const symbols = (facts.extra.symbols as { name: string; kind: string; line: number; async: boolean }[] | undefined) ?? [];
    out.push(`- lines: ${String(facts.extra.lines ?? '?')} (nloc ${String(facts.extra.nloc ?? '?')})`);
    out.push(`- imports (${imports.length}): ${imports.length > 0 ? [...new Set(imports)].join(', ') : 'none'}`);
    const exports = facts.extra.exports as string[] | undefined;
    if (exports) out.push(`- declared exports (${exports.length}): ${exports.join(', ') || 'none'}`);
    out.push(`- top-level symbols (${symbols.length}): ${symbols.length > 0 ? symbols.map((s) => `${s.kind} ${s.async ? 'async ' : ''}${s.name} (line ${s.line})`).join(', ') : 'none'}`);
    // a module page: what each file of the package is for and which files of it it builds on
    const pkgFiles = (facts.extra.packageFiles as PackageFileFact[] | undefined) ?? [];
    if (pkgFiles.length > 0) {
      out.push(`- package files (${pkgFiles.length}): ${pkgFiles.map((x) => `${x.path} (${x.lines} lines${x.main.length > 0 ? `; ${x.main.map((m) => `${m.kind} ${m.name}${m.doc ? ` "${oneLine(m.doc, 80)}"` : ''}`).join(', ')}` : ''}${x.uses.length > 0 ? `; imports ${x.uses.join(', ')}` : ''})`).join('; ')}`);
    }
  }
  if (kind === 'function' || facts.blocking.length > 0) {
    if (facts.blocking.length > 0) {
      const items = facts.blocking.map((b) => `${b.call} (${b.file ? `${b.file}:${b.line}` : `line ${b.line}`}, ${b.category}, ${b.kind}${b.chain.length > 1 ? ` via ${b.chain.join(' → ')}` : ''}; fix: ${b.recommendation})`);
      out.push(`- blocking calls reached: ${items.join('; ')}`);
    } else out.push(`- blocking calls reached: ${facts.extra.blockingAnalysed ? 'none found' : 'not analysed'}`);
  }
  if (kind === 'function' && facts.security && facts.security.length > 0) {
    out.push(`- security findings (${facts.security.length}): ${facts.security.map((f) => `line ${f.line} ${f.rule} ${f.title} (${f.severity}${f.lowRisk ? ', low risk here' : ''}): \`${f.code}\`; ${f.input ? `input: ${f.input}; ` : ''}fix: ${f.fix}`).join('; ')}`);
  }
  if (kind === 'function' && facts.performance && facts.performance.length > 0) {
    out.push(`- performance findings (${facts.performance.length}): ${facts.performance.map((f) => `line ${f.line} ${f.title}: \`${f.code}\`; fix: ${f.fix}`).join('; ')}`);
  }
  if (facts.complexity) {
    const c = facts.complexity;
    out.push(`- complexity: cyclomatic ${c.cyclomatic}, nloc ${c.nloc}, max nesting ${c.maxNesting}, parameters ${c.params}, tokens ${c.tokens}`);
  }
  if (kind === 'function') {
    const callers = facts.callers.slice(0, 10).map((c) => `${c.displayName} (${c.file}:${c.line}${c.inferred ? ', receiver matched by name' : ''})`);
    const more = facts.callers.length > 10 ? `, … and ${facts.callers.length - 10} more` : '';
    out.push(`- callers in this repository: ${callers.length > 0 ? callers.join(', ') + more : 'none found'}`);
  }
  const eps = (facts.extra.entryPoints as string[] | undefined) ?? [];
  if (eps.length > 0) out.push(`- entry point: run by ${eps.join('; ')}, once per process start`);
  if (kind === 'function' || kind === 'class') out.push(facts.docstring ? `- existing docstring:\n${docstringBlock(facts.docstring)}` : '- existing docstring: none');
  if (facts.recentCommits.length > 0) {
    out.push(`- recent commits touching ${String(facts.extra.file)}: ${facts.recentCommits.map((c) => `${c.hash.slice(0, 7)} ${c.date} "${oneLine(c.subject, 72)}" (${c.author})`).join('; ')}`);
  }
  if (facts.churn) {
    const age = typeof facts.extra.daysSinceChange === 'number' ? `, ${facts.extra.daysSinceChange} days ago` : '';
    out.push(`- churn: ${facts.churn.commits30d} commits in 30 days, ${facts.churn.commits90d} in 90 days, last modified ${facts.churn.lastModified ?? 'unknown'}${age}`);
  }
  return out.join('\n');
}
