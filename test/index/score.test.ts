import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  classCandidates,
  fileCandidates,
  functionCandidates,
  interestScore,
  patternBonus,
  PRIVATE_RANK_FACTOR,
} from '../../src/index/score.ts';
import type { CodeSymbol, FileChurn, FileRecord, RepoIndex } from '../../src/index/types.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T00:00:00Z');
const noChurn: FileChurn = { commits30d: 0, commits90d: 0, lastModified: null, authors: [] };

function sym(over: Partial<CodeSymbol> & { cc?: number; nloc?: number; nesting?: number; nparams?: number; lines?: number } = {}): CodeSymbol {
  const { cc = 3, nloc = 8, nesting = 1, nparams = 2, lines = 20, ...rest } = over;
  return {
    kind: 'function',
    name: 'work',
    className: null,
    displayName: rest.name ?? 'work',
    startLine: 10,
    endLine: 10 + lines - 1,
    params: [],
    decorators: [],
    isAsync: false,
    isGenerator: false,
    docstring: null,
    source: 'def work(a, b):\n    pass\n',
    metrics: { cyclomatic: cc, nloc, tokens: 40, params: nparams, maxNesting: nesting },
    calls: [],
    parent: null,
    ...rest,
  };
}

function file(p: string, symbols: CodeSymbol[], over: Partial<FileRecord> = {}): FileRecord {
  return { path: p, language: 'python', size: 1000, mtimeMs: 0, hash: 'h', lines: 100, nloc: 80, imports: [], symbols, hasSyntaxErrors: false, facts: {}, ...over };
}

function index(files: FileRecord[], churn: Record<string, FileChurn> = {}): RepoIndex {
  return { root: '/r', files, churn: new Map(Object.entries(churn)), commits: [], isGitRepo: true, skipped: {}, parsed: 0, durationMs: 0 };
}

test('the breakdown follows SPEC section 4: capped parts times their weights', () => {
  const { score, breakdown } = interestScore(sym({ cc: 3, nloc: 8, nesting: 1, nparams: 2 }), noChurn, NOW);
  assert.deepEqual(breakdown, { complexity: 5.25, length: 1.2, nesting: 3, parameters: 2.86, churn: 0, novelty: 0, pattern_bonus: 0 });
  assert.equal(score, 12.31);
});

test('each part saturates at its cap', () => {
  const churn: FileChurn = { commits30d: 9, commits90d: 9, lastModified: NOW, authors: [] };
  const { breakdown } = interestScore(sym({ cc: 40, nloc: 500, nesting: 9, nparams: 12 }), churn, NOW);
  assert.deepEqual(breakdown, { complexity: 35, length: 15, nesting: 15, parameters: 10, churn: 15, novelty: 10, pattern_bonus: 0 });
});

test('churn counts commits in 30 days, novelty falls linearly to 0 at 30 days', () => {
  const churn: FileChurn = { commits30d: 2, commits90d: 4, lastModified: NOW - 12 * DAY, authors: ['a'] };
  const { breakdown } = interestScore(sym(), churn, NOW);
  assert.equal(breakdown.churn, 6); // 2/5 * 100 * 0.15
  assert.equal(breakdown.novelty, 6); // (30-12)/30 * 100 * 0.10
  assert.equal(interestScore(sym(), { ...churn, lastModified: NOW - 45 * DAY }, NOW).breakdown.novelty, 0);
});

test('pattern bonuses: async, per decorator, property, class/staticmethod, abstract, dataclass, generator, context manager', () => {
  assert.equal(patternBonus(sym({ isAsync: true })), 5);
  assert.equal(patternBonus(sym({ decorators: ['property'] })), 5 + 3);
  assert.equal(patternBonus(sym({ decorators: ['staticmethod', 'app.get("/")'] })), 10 + 3);
  assert.equal(patternBonus(sym({ decorators: ['abc.abstractmethod'] })), 5 + 8);
  assert.equal(patternBonus(sym({ decorators: ['dataclass(frozen=True)'] })), 5 + 7);
  assert.equal(patternBonus(sym({ isGenerator: true })), 8);
  assert.equal(patternBonus(sym({ decorators: ['contextlib.contextmanager'], isGenerator: true })), 5 + 8 + 10);
  assert.equal(patternBonus(sym({ name: '__exit__', source: 'def __exit__(self, *a):\n    pass\n' })), 10);
});

test('the total is capped at 100', () => {
  const s = sym({ cc: 40, nloc: 500, nesting: 9, nparams: 12, isAsync: true, decorators: ['a', 'b', 'c', 'd', 'e'] }); // 75 + 5 + 25
  assert.equal(interestScore(s, noChurn, NOW).score, 100);
});

test('function candidates skip boilerplate names, out-of-range sizes, low complexity and low scores', () => {
  const big = { cc: 12, nloc: 60, nesting: 3, nparams: 4 };
  const f = file('m.py', [
    sym({ name: 'keep', ...big }),
    sym({ name: '__init__', ...big }),
    sym({ name: 'main', ...big }),
    sym({ name: 'setUp', ...big }),
    sym({ name: 'tiny', ...big, lines: 12 }),
    sym({ name: 'huge', ...big, lines: 400 }),
    sym({ name: 'simple', ...big, cc: 2 }),
    sym({ name: 'dull', cc: 3, nloc: 10, nesting: 0, nparams: 0 }),
    sym({ name: 'Klass', kind: 'class', ...big }),
  ]);
  const got = functionCandidates(index([f]), { min_lines: 15, max_lines: 150, min_complexity: 3 }, NOW);
  assert.deepEqual(got.map((c) => c.symbol.name), ['keep']);
  assert.equal(got[0].score, got[0].rank);
});

test('private names rank lower by PRIVATE_RANK_FACTOR but keep their score', () => {
  const f = file('m.py', [sym({ name: '_hidden', cc: 20, nloc: 100 }), sym({ name: 'public', cc: 10, nloc: 50 }), sym({ name: '__call__', cc: 20, nloc: 100 })]);
  const got = functionCandidates(index([f]), { min_lines: 15, max_lines: 150, min_complexity: 3 }, NOW);
  assert.deepEqual(got.map((c) => c.symbol.name), ['__call__', 'public', '_hidden']);
  const hidden = got[2];
  assert.equal(hidden.rank, hidden.score * PRIVATE_RANK_FACTOR);
});

test('file churn raises a candidate above an equal one in an untouched file', () => {
  const a = file('a.py', [sym({ name: 'a', cc: 8, nloc: 40 })]);
  const b = file('b.py', [sym({ name: 'b', cc: 8, nloc: 40 })]);
  const got = functionCandidates(index([a, b], { 'b.py': { commits30d: 3, commits90d: 3, lastModified: NOW, authors: [] } }), { min_lines: 15, max_lines: 150, min_complexity: 3 }, NOW);
  assert.deepEqual(got.map((c) => c.symbol.name), ['b', 'a']);
});

test('classes of 15+ lines rank by methods, size, docstring and decorators', () => {
  const cls = (name: string, lines: number, extra: Partial<CodeSymbol> = {}): CodeSymbol => sym({ name, kind: 'class', lines, ...extra });
  const f = file('c.py', [
    cls('Small', 10),
    cls('Plain', 50, { methodCount: 2 }),
    cls('Rich', 100, { methodCount: 6, docstring: 'doc', decorators: ['dataclass'] }),
  ]);
  const got = classCandidates(index([f]));
  assert.deepEqual(got.map((c) => c.symbol.name), ['Rich', 'Plain']);
  assert.equal(got[0].score, 35 + 25 + 10 + 5 + 15);
  assert.equal(got[1].score, Math.round(((2 / 6) * 35 + 0.5 * 25 + 15) * 100) / 100);
});

test('files of 20+ lines rank by lines, functions, size and imports', () => {
  const imports = Array.from({ length: 10 }, (_, i) => ({ module: `m${i}`, names: [], line: i + 1 }));
  const full = file('full.py', Array.from({ length: 8 }, (_, i) => sym({ name: `f${i}` })), { lines: 200, size: 5000, imports });
  const short = file('short.py', [], { lines: 19 });
  const thin = file('thin.py', [], { lines: 30, size: 300 });
  const got = fileCandidates(index([short, thin, full]));
  assert.deepEqual(got.map((c) => c.file.path), ['full.py']);
  assert.equal(got[0].score, 100);
});

test('a copy under examples/ (or docs, vendor, benchmarks) ranks after the product code it copies', () => {
  const imports = Array.from({ length: 10 }, (_, i) => ({ module: `m${i}`, names: [], line: i + 1 }));
  const fns = (n: number) => Array.from({ length: n }, (_, i) => sym({ name: `f${i}`, cc: 8, nloc: 40, lines: 40 }));
  const example = file('examples/auto/API.js', fns(8), { lines: 1600, size: 60000, imports });
  const lib = file('lib/API.js', fns(6), { lines: 150, size: 4000, imports: imports.slice(0, 6) });
  const files = fileCandidates(index([example, lib]));
  assert.deepEqual(files.map((c) => c.file.path), ['lib/API.js', 'examples/auto/API.js']);
  assert.equal(files[1].score, 100, 'the score itself is unchanged');
  const fn = functionCandidates(index([file('vendor/x.py', [sym({ name: 'parse', cc: 12, nloc: 60, lines: 60 })]), file('app/x.py', [sym({ name: 'parse', cc: 9, nloc: 40, lines: 40 })])]), { min_lines: 15, max_lines: 150, min_complexity: 3 }, NOW);
  assert.deepEqual(fn.map((c) => c.file.path), ['app/x.py', 'vendor/x.py']);
});
