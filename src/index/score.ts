/**
 * Ranking of documentation units over a `RepoIndex`: the interest score of functions (SPEC
 * section 4, the original's `InterestScorer`), and the rankers for classes and files that the
 * class_doc / file_doc finders use. Pure: data in, data out; `now` is passed in.
 */
import type { AnalyzerSchema } from '../config/schema.ts';
import type { z } from 'zod';
import type { CodeSymbol, FileChurn, FileRecord, RepoIndex, ScoreBreakdown } from './types.ts';
import { emptyChurn } from './churn.ts';

type AnalyzerSettings = z.infer<typeof AnalyzerSchema>;

const DAY_MS = 86_400_000;

/** Weights of the interest score's parts (sum 1.0) and their caps, from SPEC section 4. */
export const SCORE_WEIGHTS = {
  complexity: { cap: 20, weight: 0.35 },
  length: { cap: 100, weight: 0.15 },
  nesting: { cap: 5, weight: 0.15 },
  parameters: { cap: 7, weight: 0.1 },
  churn: { cap: 5, weight: 0.15 },
} as const;
/** Novelty falls linearly from 100 (modified now) to 0 at this many days; weight 0.10. */
export const NOVELTY_DAYS = 30;
export const NOVELTY_WEIGHT = 0.1;

/** Pattern bonuses in points, from SPEC section 4 (the original's PATTERN_BONUSES). */
export const PATTERN_BONUSES = {
  async: 5,
  decorator: 5,
  property: 3,
  classOrStaticMethod: 3,
  abstract: 8,
  dataclass: 7,
  generator: 8,
  contextManager: 10,
} as const;

/** Function candidates below this score or this many lines are dropped (SPEC section 4). */
export const MIN_CANDIDATE_SCORE = 25;
export const MIN_CANDIDATE_LINES = 10;
/** Names never offered as function candidates (SPEC section 4). */
export const SKIPPED_FUNCTION_NAMES: ReadonlySet<string> = new Set(['__init__', '__str__', '__repr__', 'main', 'setUp', 'tearDown']);
/**
 * Private names (`_x`, not dunder) are ranked by score × this factor. The original kept a private
 * function with probability 0.3; using 0.3 as a deterministic rank factor keeps the same
 * expected preference without randomness. The reported score is not scaled.
 */
export const PRIVATE_RANK_FACTOR = 0.3;

export interface InterestScore {
  /** 0–100, rounded to 2 decimals. */
  score: number;
  /** Weighted parts (points, 2 decimals) whose sum, capped at 100, is `score`. */
  breakdown: ScoreBreakdown;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
const part = (value: number, cap: number, weight: number): number => (Math.min(Math.max(value, 0), cap) / cap) * 100 * weight;

/** Whether a symbol's source names `__enter__` or `__exit__`, per symbol object. */
const enterExit = new WeakMap<CodeSymbol, boolean>();

/**
 * Whether `sym.source` contains `__enter__` or `__exit__`, computed once per symbol object: the
 * daemon's index keeps sources deflated, and every cycle scores every function (coverage, the
 * function and TIL finders), which inflated each file's text again each time.
 */
function mentionsEnterExit(sym: CodeSymbol): boolean {
  let found = enterExit.get(sym);
  if (found === undefined) {
    const source = sym.source;
    found = source.includes('__enter__') || source.includes('__exit__');
    enterExit.set(sym, found);
  }
  return found;
}

/**
 * Pattern bonus of a symbol in points (SPEC section 4): async +5, each decorator +5, and on the
 * lower-cased decorator text (substring tests, as the original did) `property` +3,
 * `classmethod`/`staticmethod` +3, `abstractmethod` +8, `dataclass` +7; a generator +8 (from the
 * syntax tree, where the original searched the text for "yield"); a context manager +10
 * (`__enter__`/`__exit__` in the source as in the original, or a `contextmanager` decorator).
 */
export function patternBonus(sym: CodeSymbol): number {
  let bonus = 0;
  if (sym.isAsync) bonus += PATTERN_BONUSES.async;
  bonus += sym.decorators.length * PATTERN_BONUSES.decorator;
  const deco = sym.decorators.join(' ').toLowerCase();
  if (deco.includes('property')) bonus += PATTERN_BONUSES.property;
  if (deco.includes('classmethod') || deco.includes('staticmethod')) bonus += PATTERN_BONUSES.classOrStaticMethod;
  if (deco.includes('abstractmethod')) bonus += PATTERN_BONUSES.abstract;
  if (deco.includes('dataclass')) bonus += PATTERN_BONUSES.dataclass;
  if (sym.isGenerator) bonus += PATTERN_BONUSES.generator;
  if (deco.includes('contextmanager') || mentionsEnterExit(sym)) {
    bonus += PATTERN_BONUSES.contextManager;
  }
  return bonus;
}

/**
 * Interest score of a function or method (SPEC section 4): complexity (cap 20, ×0.35), nloc
 * (cap 100, ×0.15), max nesting (cap 5, ×0.15), parameters (cap 7, ×0.10), commits touching the
 * file in 30 days (cap 5, ×0.15), novelty (100 when the file was modified at `now`, linearly 0 at
 * 30 days, ×0.10; 0 without git history), plus `patternBonus`; total capped at 100.
 * @param now ms since epoch
 */
export function interestScore(sym: CodeSymbol, churn: FileChurn, now: number): InterestScore {
  const m = sym.metrics;
  const W = SCORE_WEIGHTS;
  let novelty = 0;
  if (churn.lastModified !== null) {
    const days = Math.max(0, (now - churn.lastModified) / DAY_MS);
    novelty = Math.max(0, (NOVELTY_DAYS - days) / NOVELTY_DAYS) * 100 * NOVELTY_WEIGHT;
  }
  const raw = {
    complexity: part(m.cyclomatic, W.complexity.cap, W.complexity.weight),
    length: part(m.nloc, W.length.cap, W.length.weight),
    nesting: part(m.maxNesting, W.nesting.cap, W.nesting.weight),
    parameters: part(m.params, W.parameters.cap, W.parameters.weight),
    churn: part(churn.commits30d, W.churn.cap, W.churn.weight),
    novelty,
    pattern_bonus: patternBonus(sym),
  };
  const total = Object.values(raw).reduce((a, b) => a + b, 0);
  const breakdown: ScoreBreakdown = {
    complexity: round2(raw.complexity),
    length: round2(raw.length),
    nesting: round2(raw.nesting),
    parameters: round2(raw.parameters),
    churn: round2(raw.churn),
    novelty: round2(raw.novelty),
    pattern_bonus: round2(raw.pattern_bonus),
  };
  return { score: round2(Math.min(total, 100)), breakdown };
}

/** Private by Python/JS convention: a leading underscore (`_x`, name-mangled `__x`), but not a dunder `__x__`. */
export function isPrivateName(name: string): boolean {
  return name.startsWith('_') && !(name.length > 4 && name.startsWith('__') && name.endsWith('__'));
}

export interface FunctionCandidate {
  symbol: CodeSymbol;
  file: FileRecord;
  score: number;
  breakdown: ScoreBreakdown;
  /** Sort key: `score`, × PRIVATE_RANK_FACTOR for private names. */
  rank: number;
}

/** Lines a symbol spans, inclusive. */
export function symbolLines(sym: Pick<CodeSymbol, 'startLine' | 'endLine'>): number {
  return sym.endLine - sym.startLine + 1;
}

/**
 * Code beside the product rather than in it: examples, samples, demos, documentation snippets,
 * benchmarks, vendored copies (pm2's `examples/sourcemap-auto-resolve/API.js` is a copy of
 * `lib/API.js`). A page about it teaches a new team member little, so it ranks lower.
 */
export const PERIPHERAL_PATH = /(^|\/)(examples?|samples?|demos?|docs?|benchmarks?|vendor|third[_-]party)\//i;
/** Rank factor of a candidate on a `PERIPHERAL_PATH`. */
export const PERIPHERAL_RANK_FACTOR = 0.5;

/**
 * Function candidates of a repository, best first (SPEC section 4, function_doc and the
 * function-unit types): functions and methods of `analyzer.min_lines..max_lines` lines with
 * cyclomatic ≥ `analyzer.min_complexity`, not named `__init__ __str__ __repr__ main setUp
 * tearDown`, scored by `interestScore`, dropped under score 25 or 10 lines, ranked by score with
 * private names × `PRIVATE_RANK_FACTOR` and peripheral paths (examples, docs, vendored code)
 * × `PERIPHERAL_RANK_FACTOR`. Ties keep file then line order.
 * @param now ms since epoch (novelty)
 */
export function functionCandidates(index: RepoIndex, analyzer: Pick<AnalyzerSettings, 'min_lines' | 'max_lines' | 'min_complexity'>, now: number): FunctionCandidate[] {
  const out: FunctionCandidate[] = [];
  for (const file of index.files) {
    const churn = index.churn.get(file.path) ?? emptyChurn();
    for (const sym of file.symbols) {
      if (sym.kind === 'class') continue;
      if (SKIPPED_FUNCTION_NAMES.has(sym.name)) continue;
      const lines = symbolLines(sym);
      if (lines < analyzer.min_lines || lines > analyzer.max_lines || lines < MIN_CANDIDATE_LINES) continue;
      if (sym.metrics.cyclomatic < analyzer.min_complexity) continue;
      const { score, breakdown } = interestScore(sym, churn, now);
      if (score < MIN_CANDIDATE_SCORE) continue;
      const rank = (isPrivateName(sym.name) ? score * PRIVATE_RANK_FACTOR : score) * (PERIPHERAL_PATH.test(file.path) ? PERIPHERAL_RANK_FACTOR : 1);
      out.push({ symbol: sym, file, score, breakdown, rank });
    }
  }
  return stableSortDesc(out, (c) => c.rank);
}

export interface ClassCandidate {
  symbol: CodeSymbol;
  file: FileRecord;
  /** 0–100. */
  score: number;
  methodCount: number;
}

/** Classes shorter than this are not class_doc targets (SPEC section 4). */
export const MIN_CLASS_LINES = 15;

/**
 * Class candidates, best first (class_doc): classes of ≥ 15 lines in every language, scored as
 * the original's ClassTargetFinder: min(methods/6, 1)·35 + min(lines/100, 1)·25 + 10 with a
 * docstring + min(decorators·5, 15) + 15, capped at 100. Method count is `methodCount` when the
 * extractor set it, else the methods of the same file whose className is the class name.
 * Order: score plus the class's centrality (`classCentrality`, ≤ 15 points), ×
 * `PERIPHERAL_RANK_FACTOR` on a `PERIPHERAL_PATH`; `score` itself stays the original's figure.
 */
export function classCandidates(index: RepoIndex): ClassCandidate[] {
  const out: (ClassCandidate & { rank: number })[] = [];
  const central = classCentrality(index);
  for (const file of index.files) {
    for (const sym of file.symbols) {
      if (sym.kind !== 'class') continue;
      const lines = symbolLines(sym);
      if (lines < MIN_CLASS_LINES) continue;
      const methodCount = sym.methodCount ?? file.symbols.filter((s) => s.kind === 'method' && s.className === sym.name).length;
      const score =
        Math.min(methodCount / 6, 1) * 35 +
        Math.min(lines / 100, 1) * 25 +
        (sym.docstring ? 10 : 0) +
        Math.min(sym.decorators.length * 5, 15) +
        15;
      const capped = round2(Math.min(score, 100));
      out.push({ symbol: sym, file, score: capped, methodCount, rank: (capped + (central.get(`${file.path}\0${sym.startLine}`) ?? 0)) * (PERIPHERAL_PATH.test(file.path) ? PERIPHERAL_RANK_FACTOR : 1) });
    }
  }
  return stableSortDesc(out, (c) => c.rank).map(({ rank: _rank, ...c }) => c);
}

/** Most points centrality adds to a class's rank (the score itself stays the original's formula). */
export const MAX_CENTRALITY = 15;

/**
 * How central each class is to its repository, 0..`MAX_CENTRALITY` points keyed by
 * `path\0startLine`: its size beside the largest class (uncapped lines, 5 points), its fan-in
 * (other files naming it in an import or a call, beside the most-named class, 5 points), and 5
 * points when an entry point (`index.entryPoints`: a console script, a `__main__` block, a
 * service unit) creates it. The original's class score caps size at 100 lines and 6 methods,
 * so a 667-line daemon class tied with every 100-line helper and lost on file order; this
 * breaks such ties toward the class a reader needs first. One pass over imports and calls.
 */
export function classCentrality(index: RepoIndex): Map<string, number> {
  const classes: { key: string; name: string; path: string; lines: number }[] = [];
  for (const f of index.files) for (const s of f.symbols) if (s.kind === 'class' && symbolLines(s) >= MIN_CLASS_LINES) classes.push({ key: `${f.path}\0${s.startLine}`, name: s.name, path: f.path, lines: symbolLines(s) });
  const out = new Map<string, number>();
  if (classes.length === 0) return out;
  const names = new Set(classes.map((c) => c.name));
  const namingFiles = new Map<string, Set<string>>();
  for (const f of index.files) {
    const here = new Set<string>();
    for (const i of f.imports) for (const n of i.names) if (names.has(n.imported)) here.add(n.imported);
    for (const s of f.symbols) for (const c of s.calls) if (names.has(c.name)) here.add(c.name);
    for (const n of here) {
      const set = namingFiles.get(n) ?? new Set<string>();
      set.add(f.path);
      namingFiles.set(n, set);
    }
  }
  const fanIn = (c: { name: string; path: string }) => [...(namingFiles.get(c.name) ?? [])].filter((p) => p !== c.path).length;
  const maxLines = Math.max(...classes.map((c) => c.lines));
  const maxFan = Math.max(1, ...classes.map(fanIn));
  // classes an entry-point function constructs directly (`daemon = CodeWormDaemon(settings)` in `main`)
  const started = new Set<string>();
  for (const e of index.entryPoints ?? []) {
    if (!e.file || !e.func) continue;
    const fn = index.files.find((f) => f.path === e.file)?.symbols.find((s) => s.kind !== 'class' && s.parent === null && (s.displayName === e.func || s.name === e.func));
    for (const c of fn?.calls ?? []) if (names.has(c.name)) started.add(c.name);
  }
  for (const c of classes) out.set(c.key, round2((5 * c.lines) / maxLines + (5 * fanIn(c)) / maxFan + (started.has(c.name) ? 5 : 0)));
  return out;
}

export interface FileCandidate {
  file: FileRecord;
  /** 0–100. */
  score: number;
  functionCount: number;
}

/** Files shorter than this are not file_doc targets (SPEC section 4). */
export const MIN_FILE_LINES = 20;
/** File candidates under this score are dropped (the original's threshold). */
export const MIN_FILE_SCORE = 20;

/**
 * File candidates, best first (file_doc): files of ≥ 20 lines, scored as the original's
 * FileTargetFinder: min(lines/200, 1)·30 + min(functions/8, 1)·30 + min(bytes/5000, 1)·20 +
 * min(imports/10, 1)·20; under 20 dropped. Files on a `PERIPHERAL_PATH` rank after the rest
 * (their score × 0.5 orders them; the score shown is unchanged).
 */
export function fileCandidates(index: RepoIndex): FileCandidate[] {
  const out: FileCandidate[] = [];
  for (const file of index.files) {
    if (file.lines < MIN_FILE_LINES) continue;
    const functionCount = file.symbols.filter((s) => s.kind !== 'class').length;
    const score =
      Math.min(file.lines / 200, 1) * 30 +
      Math.min(functionCount / 8, 1) * 30 +
      Math.min(file.size / 5000, 1) * 20 +
      Math.min(file.imports.length / 10, 1) * 20;
    if (score < MIN_FILE_SCORE) continue;
    out.push({ file, score: round2(Math.min(score, 100)), functionCount });
  }
  return stableSortDesc(out, (c) => c.score * (PERIPHERAL_PATH.test(c.file.path) ? PERIPHERAL_RANK_FACTOR : 1));
}

function stableSortDesc<T>(items: T[], key: (t: T) => number): T[] {
  return items
    .map((item, i) => ({ item, i, k: key(item) }))
    .sort((a, b) => b.k - a.k || a.i - b.i)
    .map((x) => x.item);
}
