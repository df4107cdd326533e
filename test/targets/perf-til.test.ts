import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseSource } from '../../src/index/parser.ts';
import type { LanguageId, RepoIndex } from '../../src/index/types.ts';
import { indexRepository } from '../../src/index/indexer.ts';
import { collectPerformance } from '../../src/analysis/performance.ts';
import { languageById } from '../../src/languages/registry.ts';
import { FINDERS } from '../../src/targets/registry.ts';
import type { FinderInput } from '../../src/targets/types.ts';
import { makeRealRepo, pythonStdlib } from '../support/real-repo.ts';
import { makeTree } from '../index/helpers.ts';

async function hits(language: LanguageId, source: string): Promise<string[]> {
  const tree = await parseSource(language, source);
  try {
    return (collectPerformance(tree.rootNode, languageById(language)!)?.f ?? []).map((h) => `${h.l}:${h.r}`);
  } finally {
    tree.delete();
  }
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

let index: RepoIndex;
let input: FinderInput;
before(async () => {
  index = await indexRepository(await makeRealRepo());
  input = { repo: { name: 'real', path: index.root, weight: 5, enabled: true }, index, settings: undefined as never, now: Date.UTC(2026, 10, 30) };
});

test('performance rules on the standard library: string building and awaits over independent items', async () => {
  const stdlib = pythonStdlib();
  const qp = await readFile(path.join(stdlib, 'email/quoprimime.py'), 'utf8');
  const found = await hits('python', qp);
  for (const needle of ['decoded += eol', 'decoded += c', 'decoded += unquote(line[i:i+3])']) assert.ok(found.includes(`${lineOf(qp, needle)}:perf-string-concat`), needle);
  // create_connection tries one address after the other and `break`s at the first socket that
  // connects: sequential by design (happy eyeballs is the concurrent variant), no finding.
  const be = await readFile(path.join(stdlib, 'asyncio/base_events.py'), 'utf8');
  assert.ok(!(await hits('python', be)).includes(`${lineOf(be, 'sock = await self._connect_sock(')}:perf-await-in-loop`));
});

test('performance rules: N+1 queries, nested loops over the same list, list membership and regex compilation in loops; nothing outside loops', async () => {
  const py = [
    'import re, asyncio',
    'async def sync_all(cur, ids, names, client):',
    '    allowed = []',
    '    for i in ids:',
    '        cur.execute("SELECT * FROM t WHERE id = ?", (i,))',
    '        if i in [1, 2, 3]:',
    '            pass',
    '        if i in allowed:',
    '            pass',
    '        pat = re.compile(r"x+")',
    '        for j in ids:',
    '            pass',
    '        await client.fetch(i)',
    '    await asyncio.gather(*[client.fetch(i) for i in ids])',
    '    cur.execute("SELECT 1")',
    '    async for row in client.stream():',
    '        await client.save(row)',
  ].join('\n');
  assert.deepEqual(await hits('python', py), ['5:perf-query-in-loop', '6:perf-in-list', '8:perf-in-list', '10:perf-regex-in-loop', '11:perf-nested-loop', '13:perf-await-in-loop']);
  const ts = [
    'export async function load(ids: string[], db: Db) {',
    "  let out = '';",
    '  for (const id of ids) {',
    '    const row = await db.query(`SELECT * FROM t WHERE id = $1`, [id]);',
    "    out += 'x';",
    "    const re = new RegExp('a+');",
    '  }',
    '  await Promise.all(ids.map((id) => db.query("x", [id])));',
    '  return out;',
    '}',
  ].join('\n');
  assert.deepEqual(await hits('typescript', ts), ['4:perf-await-in-loop', '4:perf-query-in-loop', '5:perf-string-concat', '6:perf-regex-in-loop']);
});

test('performance_analysis targets carry findings with lines inside the function; no finding, no target', () => {
  const targets = FINDERS.performance_analysis.find(input);
  assert.ok(targets.length > 0);
  for (const t of targets) {
    const findings = t.context.performanceFindings as { line: number; rule: string; why: string; fix: string }[];
    assert.ok(findings.length > 0, t.displayName);
    for (const f of findings) {
      assert.ok(f.line >= t.startLine && f.line <= t.endLine, `${t.displayName}: ${f.line}`);
      assert.ok(f.why.length > 0 && f.fix.length > 0);
    }
  }
  assert.ok(targets.some((t) => (t.context.performanceFindings as { rule: string }[]).some((f) => f.rule === 'perf-await-in-loop')), 'asyncio awaits connection attempts one by one');
});

test('til picks a technique worth learning: a decorator with arguments, a context manager, an async generator', async () => {
  const root = await makeTree({
    'lib.py': [
      'import contextlib, functools',
      '',
      'def retry(times):',
      '    def decorator(fn):',
      '        @functools.wraps(fn)',
      '        def wrapper(*a, **kw):',
      '            for _ in range(times):',
      '                try:',
      '                    return fn(*a, **kw)',
      '                except OSError:',
      '                    pass',
      '        return wrapper',
      '    return decorator',
      '',
      '@contextlib.contextmanager',
      'def opened(path):',
      '    f = open(path)',
      '    try:',
      '        yield f',
      '    finally:',
      '        f.close()',
      '',
      'async def ticks(n):',
      '    for i in range(n):',
      '        yield i',
      '',
      'def plain(x):',
      '    return x + 1',
      '',
    ].join('\n'),
  });
  const small = await indexRepository(root);
  const targets = FINDERS.til.find({ ...input, index: small, repo: { ...input.repo, path: root } });
  const byName = new Map(targets.map((t) => [t.displayName, (t.context.technique as { name: string; lines: number[] }).name]));
  assert.equal(byName.get('retry'), 'decorator with arguments');
  assert.equal(byName.get('opened'), 'context manager from a generator');
  assert.equal(byName.get('ticks'), 'async generator');
  assert.ok(!byName.has('plain') && !byName.has('retry.decorator'), [...byName.keys()].join(', '));
  assert.equal(targets[0].displayName, 'retry');
  // On real code (asyncio, json, openai): every TIL target names a technique and its lines.
  for (const t of FINDERS.til.find(input)) {
    const tech = t.context.technique as { name: string; lines: number[] };
    assert.ok(tech.name.length > 0 && tech.lines.every((l) => l >= t.startLine && l <= t.endLine), `${t.displayName}: ${JSON.stringify(tech)}`);
  }
});

test('til: a standard-library call counts only when the imports bind it to that module', async () => {
  const root = await makeTree({
    // functions of five lines and more: a shorter one is too small for a TIL on a call
    'sched.py': [
      'import heapq',
      'import collections as c',
      'from heapq import merge as m',
      '',
      'def top(items):',
      '    if not items:',
      '        return []',
      '    ranked = heapq.nlargest(3, items)',
      '    return ranked',
      '',
      'def tally(words):',
      '    if not words:',
      '        return {}',
      '    counts = c.Counter(words)',
      '    return counts',
      '',
      'def joined(a, b):',
      '    if not a:',
      '        return list(b)',
      '    both = m(a, b)',
      '    return list(both)',
      '',
    ].join('\n'),
    'own.py': ['def merge(a, b):', '    return a + b', '', 'def use(a, b):', '    if not a:', '        return b', '    both = merge(a, b)', '    return both', ''].join('\n'),
    'agg.js': ['class Agg {', '  mergeTrace (x) {', '    if (!x) return null', '    const out = merge(x)', '    this.last = out', '    return out', '  }', '  all (ps) {', '    if (!ps) return []', '    const out = Promise.all(ps)', '    this.last = out', '    return out', '  }', '}', 'module.exports = Agg', ''].join('\n'),
  });
  const small = await indexRepository(root);
  const targets = FINDERS.til.find({ ...input, index: small, repo: { ...input.repo, path: root } });
  const byName = new Map(targets.map((t) => [t.displayName, (t.context.technique as { name: string }).name]));
  assert.equal(byName.get('top'), 'heapq');
  assert.equal(byName.get('tally'), 'collections');
  assert.equal(byName.get('joined'), 'heapq');
  assert.equal(byName.get('Agg.all'), 'Promise combinators');
  // a `merge` of the file's own, and a JavaScript `merge`, are not heapq.merge
  assert.ok(!byName.has('use') && !byName.has('Agg.mergeTrace'), [...byName.entries()].join(' | '));
});

test('til: a function of a few lines that only calls a library is no TIL target; one whose shape is the technique still is', async () => {
  const root = await makeTree({
    // ConnectionManager.__init__ of the original's dashboard/backend/ws.py (MIT): 3 lines, one deque(maxlen=…)
    'ws.py': [
      'from collections import deque',
      'from typing import Any',
      '',
      'LOG_BUFFER_SIZE = 200',
      '',
      'class ConnectionManager:',
      '    def __init__(self) -> None:',
      '        self.active: list = []',
      '        self.log_buffer: deque[dict[str, Any]] = deque(maxlen = LOG_BUFFER_SIZE)',
      '',
      'def recent(lines, n):',
      '    buf = deque(maxlen = n)',
      '    for line in lines:',
      '        if line.strip():',
      '            buf.append(line)',
      '    return list(buf)',
      '',
      'async def ticks(n):',
      '    for i in range(n):',
      '        yield i',
      '',
    ].join('\n'),
  });
  const targets = FINDERS.til.find({ ...input, index: await indexRepository(root), repo: { ...input.repo, path: root } });
  const names = targets.map((t) => t.displayName);
  assert.ok(!names.includes('ConnectionManager.__init__'), names.join(', '));
  assert.ok(names.includes('recent') && names.includes('ticks'), names.join(', '));
});
