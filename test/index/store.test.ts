import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CACHE_FILE, CacheWriter, codeHashDirs, compactJson, expandJson, IndexStore, restat, type CacheRow, type ExtractedFile } from '../../src/index/store.ts';
import { LANGUAGES } from '../../src/languages/registry.ts';
import type { CodeSymbol, FileRecord } from '../../src/index/types.ts';

const TEXT = 'import os\n\nclass A:\n    def m(self):\n        return 1\n';

function sym(name: string, startLine: number, source: string): CodeSymbol {
  return {
    kind: 'function', name, className: null, displayName: name, startLine, endLine: startLine + 1, params: [], decorators: [],
    isAsync: false, isGenerator: false, docstring: null, source, metrics: { cyclomatic: 1, nloc: 2, tokens: 5, params: 1, maxNesting: 0 },
    calls: [], parent: null,
  };
}

const EXTRACTED: ExtractedFile = {
  lines: 5, nloc: 4, imports: [{ module: 'os', names: [], line: 1 }], hasSyntaxErrors: false, facts: { blocking: [] },
  symbols: [sym('A', 3, 'class A:\n    def m(self):\n        return 1'), sym('m', 4, 'def m(self):\n        return 1')],
};

const HASH = createHash('sha256').update(TEXT).digest('hex');

function row(p: string, over: Partial<CacheRow> = {}): CacheRow {
  const data = compactJson(EXTRACTED, TEXT);
  return { path: p, language: 'python', size: TEXT.length, mtimeMs: 1, hash: HASH, status: 'ok', json: data.json, facts: data.facts, ...over };
}

/** A repository root holding `names`, each with TEXT (the cache reads sources from the files). */
async function repoWith(...names: string[]): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'cw-cache-repo-'));
  for (const n of names) await writeFile(path.join(root, n), TEXT);
  return root;
}

test('the cache code hash covers every language folder and the fact collectors, so changing an extractor or a language collector invalidates cached records', () => {
  const dirs = codeHashDirs();
  for (const d of dirs) assert.ok(existsSync(d), `${d} exists`);
  const src = path.resolve(import.meta.dirname, '../../src');
  for (const l of LANGUAGES) assert.ok(dirs.includes(path.join(src, 'languages', l.id)), `languages/${l.id} is hashed`);
  for (const d of ['index', 'languages', 'analysis', 'analysis/blocking', 'analysis/security']) assert.ok(dirs.includes(path.join(src, d)), `${d} is hashed`);
});

test('symbol sources are stored as spans of the file text and restored exactly', () => {
  const data = compactJson(EXTRACTED, TEXT);
  assert.doesNotMatch(data.json, /return 1/);
  assert.deepEqual(expandJson(data, TEXT), EXTRACTED);
});

test('facts are stored apart and parsed only when read', () => {
  const data = compactJson(EXTRACTED, TEXT);
  const broken = expandJson({ ...data, facts: '{not json' }, TEXT);
  assert.equal(broken.symbols.length, 2);
  assert.throws(() => broken.facts, SyntaxError);
  assert.deepEqual(expandJson(data, TEXT).facts, { blocking: [] });
});

test('restat keeps lazy facts lazy and returns the same record when nothing changed', () => {
  const data = compactJson(EXTRACTED, TEXT);
  const rec = { path: 'a.py', language: 'python' as const, size: 1, mtimeMs: 1, hash: 'h' };
  const lazy = Object.assign(expandJson({ ...data, facts: '{not json' }, TEXT), rec) as FileRecord;
  assert.equal(restat(lazy, rec), lazy);
  const moved = restat(lazy, { ...rec, path: 'b.py' });
  assert.equal(moved.path, 'b.py');
  assert.equal(lazy.path, 'a.py');
  assert.throws(() => moved.facts, SyntaxError);
});

test('large facts are kept packed in memory and read back whole, every time', () => {
  // the blocking facts of a big file: thousands of calls (here ~60 KB of facts text)
  const calls = Array.from({ length: 800 }, (_, i) => ({ callee: `os.path.join`, line: i + 1, text: `os.path.join(base, "part-${i}")` }));
  const facts = { blocking: { functions: [{ name: 'build', calls }] }, structure: { exports: ['build'] }, security: [] };
  const data = compactJson({ ...EXTRACTED, facts }, TEXT);
  assert.ok(data.facts.length > 20_000);
  const oneShot = expandJson(data, TEXT);
  assert.equal(oneShot.facts, oneShot.facts, 'unpacked (one-shot commands): parsed once and kept');
  assert.deepEqual(oneShot.facts, facts);
  const rec = expandJson(data, TEXT, { packFacts: true });
  assert.deepEqual(rec.facts, facts, 'the first read has every analysis');
  const structure = rec.facts.structure;
  assert.equal(rec.facts.structure, structure, 'small facts are parsed once and kept');
  assert.deepEqual(rec.facts.blocking, facts.blocking, 'blocking facts unpack again on a later read');
  assert.deepEqual(rec.facts.blocking, facts.blocking);
  assert.deepEqual(Object.keys(rec.facts).sort(), ['blocking', 'security', 'structure']);
  rec.facts = { blocking: [] };
  assert.deepEqual(rec.facts, { blocking: [] }, 'an assigned value wins');
});

test('large facts without blocking facts read back without a blocking key', () => {
  const facts = { structure: { exports: Array.from({ length: 600 }, (_, i) => `name_${i}`) } };
  const rec = expandJson(compactJson({ ...EXTRACTED, facts }, TEXT), TEXT, { packFacts: true });
  assert.deepEqual(rec.facts, facts);
  assert.deepEqual(rec.facts, facts);
  assert.equal('blocking' in rec.facts, false);
});

test('packed sources (the daemon) read back the same symbols, and copies, JSON and assignments see the source', () => {
  const plain = expandJson(compactJson(EXTRACTED, TEXT), TEXT);
  assert.deepEqual(plain.symbols, EXTRACTED.symbols);
  // more files than the inflated texts kept, read in turn: each is inflated again when needed
  const texts = Array.from({ length: 40 }, (_, i) => TEXT.replace('return 1', `return ${i}`));
  const files = texts.map((t) => {
    const ex = { ...EXTRACTED, symbols: [sym('A', 3, t.slice(t.indexOf('class'), -1)), sym('m', 4, t.slice(t.indexOf('def'), -1))] };
    return { ex, packed: expandJson(compactJson(ex, t), t, { packSources: true }) };
  });
  for (let round = 0; round < 2; round++) {
    for (const { ex, packed } of files) assert.deepEqual(packed.symbols, ex.symbols);
  }
  const m = files[7].packed.symbols[1];
  assert.equal(m.source, 'def m(self):\n        return 7');
  assert.equal({ ...m }.source, m.source, 'a spread copies the source');
  assert.equal((JSON.parse(JSON.stringify(m)) as CodeSymbol).source, m.source);
  assert.deepEqual(Object.keys(m).includes('source'), true);
  m.source = 'changed';
  assert.equal(m.source, 'changed', 'an assigned value wins');
  assert.equal(files[7].packed.symbols[0].source, 'class A:\n    def m(self):\n        return 7');
});

test('with an intern table, repeated names read back unchanged and are shared through the table', () => {
  const withCalls: ExtractedFile = {
    ...EXTRACTED,
    symbols: EXTRACTED.symbols.map((s) => ({ ...s, calls: [{ callee: 'os.path.join', name: 'join', line: s.startLine, awaited: false }] })),
  };
  const table = new Map<string, string>();
  const a = expandJson(compactJson(withCalls, TEXT), TEXT, { intern: table, packSources: true });
  const b = expandJson(compactJson(withCalls, TEXT), TEXT, { intern: table, packSources: true });
  assert.deepEqual(a.symbols, withCalls.symbols);
  assert.deepEqual(b.symbols, withCalls.symbols);
  assert.deepEqual(a.imports, withCalls.imports);
  for (const name of ['os.path.join', 'join', 'A', 'm', 'os']) assert.equal(table.get(name), name);
});

test('a source not found verbatim in the text is kept inline', () => {
  const odd = { ...EXTRACTED, symbols: [sym('x', 1, 'not in the text')] };
  assert.deepEqual(expandJson(compactJson(odd, TEXT), TEXT), odd);
});

test('rows written for a repository come back from a reopened cache file as file records', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-cache-'));
  const store = await IndexStore.open(dir);
  const repo = await repoWith('a.py');
  await store.putMany(repo, [row('a.py'), row('b.py', { status: 'binary', json: null, facts: null, hash: 'h2' })]);
  store.close();
  assert.ok(existsSync(path.join(dir, CACHE_FILE)));
  const again = await IndexStore.open(dir);
  const rows = await again.loadRepo(repo);
  again.close();
  assert.deepEqual(rows.get('a.py')?.record, { path: 'a.py', language: 'python', size: TEXT.length, mtimeMs: 1, hash: HASH, ...EXTRACTED });
  assert.equal(rows.get('b.py')?.status, 'binary');
  assert.equal(rows.get('b.py')?.record, null);
});

test('a worker-side CacheWriter writes rows the store reads', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-cache-'));
  const store = await IndexStore.open(dir);
  const repo = await repoWith('w.py');
  new CacheWriter().write({ file: store.file!, root: repo, key: store.key }, row('w.py'));
  assert.equal((await store.loadRepo(repo)).get('w.py')?.record?.symbols[1].source, 'def m(self):\n        return 1');
  store.close();
});

test('repositories are kept apart by root', async () => {
  const store = IndexStore.memory();
  const one = await repoWith('a.py');
  const two = await repoWith('a.py');
  await store.putMany(one, [row('a.py')]);
  assert.equal((await store.loadRepo(two)).size, 0);
  assert.equal((await store.loadRepo(one)).size, 1);
  store.close();
});

test('loading pages through more rows than one page holds', async () => {
  const store = IndexStore.memory();
  const names = Array.from({ length: 300 }, (_, i) => `f${String(i).padStart(4, '0')}.py`);
  const r = await repoWith(...names);
  await store.putMany(r, names.map((n) => row(n)));
  const rows = await store.loadRepo(r);
  assert.equal(rows.size, 300);
  assert.ok(rows.has('f0299.py'));
  store.close();
});

test('touch updates size and mtime; copy duplicates a row under a new path', async () => {
  const store = IndexStore.memory();
  const r = await repoWith('a.py', 'moved.py');
  await store.putMany(r, [row('a.py')]);
  store.touch(r, 'a.py', 99, 42);
  store.copy(r, 'a.py', 'moved.py', 99, 43);
  const rows = await store.loadRepo(r);
  assert.equal(rows.get('a.py')?.mtimeMs, 42);
  assert.equal(rows.get('moved.py')?.mtimeMs, 43);
  assert.equal(rows.get('moved.py')?.record?.path, 'moved.py');
  store.close();
});

test('retainOnly deletes the rows of files that are gone', async () => {
  const store = IndexStore.memory();
  const r = await repoWith('a.py', 'b.py', 'c.py');
  await store.putMany(r, [row('a.py'), row('b.py'), row('c.py')]);
  assert.equal(store.retainOnly(r, new Set(['b.py'])), 2);
  assert.deepEqual([...(await store.loadRepo(r)).keys()], ['b.py']);
  store.close();
});

test('rows written under another extractor version are not reused', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-cache-'));
  const store = await IndexStore.open(dir);
  const r = await repoWith('a.py');
  await store.putMany(r, [row('a.py')]);
  store.close();
  const db = new Database(path.join(dir, CACHE_FILE));
  db.prepare("UPDATE files SET cache_key = '0|0.0.0|'").run();
  db.close();
  const again = await IndexStore.open(dir);
  assert.equal((await again.loadRepo(r)).size, 0);
  again.close();
});

test('a file that is not a SQLite database is reported with its path', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-cache-'));
  await writeFile(path.join(dir, CACHE_FILE), 'not a database at all, just text '.repeat(20));
  await assert.rejects(IndexStore.open(dir), (e: Error) => e.message.includes(CACHE_FILE));
});

test('the cache holds no file text: docstrings are redacted, sources come from the file and a changed file is not restored', async () => {
  const secret = ['ghp_', 'R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3s00'].join('');
  const text = `def m(self):\n    """Uses token ${secret}."""\n    return 1\n`;
  const s = { ...sym('m', 1, text.trimEnd()), endLine: 3, docstring: `Uses token ${secret}.` };
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-cache-'));
  const store = await IndexStore.open(dir);
  const r = await mkdtemp(path.join(tmpdir(), 'cw-cache-repo-'));
  await writeFile(path.join(r, 'a.py'), text);
  const data = compactJson({ ...EXTRACTED, symbols: [s] }, text);
  const hash = createHash('sha256').update(text).digest('hex');
  await store.putMany(r, [{ ...row('a.py'), json: data.json, facts: data.facts, hash }]);
  store.close();
  const raw = (await import('node:fs')).readFileSync(path.join(dir, CACHE_FILE)).toString('latin1');
  assert.ok(!raw.includes(secret), 'no secret in the cache file');
  assert.ok(!raw.includes('return 1'), 'no source text in the cache file');
  const again = await IndexStore.open(dir);
  const rec = (await again.loadRepo(r)).get('a.py')?.record;
  assert.equal(rec?.symbols[0].source, text.trimEnd(), 'the source is read from the file');
  assert.match(rec?.symbols[0].docstring ?? '', /\[REDACTED:/);
  await writeFile(path.join(r, 'a.py'), text + '# changed\n');
  const changed = (await again.loadRepo(r)).get('a.py');
  assert.equal(changed?.record, null, 'a file whose hash changed is parsed again');
  assert.ok(changed?.detached, 'its extraction stays available to a file with the old content');
  again.close();
});

test('the cache directory is 0700 and the cache file 0600', async () => {
  const dir = path.join(await mkdtemp(path.join(tmpdir(), 'cw-cache-')), 'nested');
  await mkdir(dir, { mode: 0o755 });
  const store = await IndexStore.open(dir);
  store.close();
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(statSync(path.join(dir, CACHE_FILE)).mode & 0o777, 0o600);
});

test('past its size cap the cache evicts the least recently indexed repository, never the current one', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-cache-'));
  const store = await IndexStore.open(dir, { maxBytes: 256 * 1024 });
  const big = (n: number) => Array.from({ length: n }, (_, i) => row(`f${i}.py`, { facts: JSON.stringify({ pad: 'x'.repeat(2000 + i) }) }));
  const old = await repoWith();
  const recent = await repoWith();
  await store.loadRepo(old);
  await store.putMany(old, big(100));
  await new Promise((r) => setTimeout(r, 5));
  await store.loadRepo(recent);
  await store.putMany(recent, big(100));
  assert.deepEqual(store.enforceCap(recent), [old]);
  assert.deepEqual(store.enforceCap(recent), [], 'the current repository stays even when alone over the cap');
  store.close();
});
