import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CACHE_FILE, IndexStore, type CachedFile } from '../../src/index/store.ts';
import type { FileRecord } from '../../src/index/types.ts';

function cached(p: string, over: Partial<CachedFile> = {}): CachedFile {
  const record: FileRecord = { path: p, language: 'python', size: 10, mtimeMs: 1, hash: 'abc', lines: 1, nloc: 1, imports: [], symbols: [], hasSyntaxErrors: false, facts: { blocking: [] } };
  return { path: p, size: 10, mtimeMs: 1, hash: 'abc', status: 'ok', record, ...over };
}

test('rows written for a repository come back from a reopened cache file', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-cache-'));
  const store = await IndexStore.open(dir);
  await store.putMany('/repo', [cached('a.py'), cached('b.bin', { status: 'binary', record: null, hash: 'h2' })]);
  store.close();
  assert.ok(existsSync(path.join(dir, CACHE_FILE)));
  const again = await IndexStore.open(dir);
  const rows = await again.loadRepo('/repo');
  again.close();
  assert.deepEqual(rows.get('a.py'), cached('a.py'));
  assert.equal(rows.get('b.bin')?.status, 'binary');
  assert.equal(rows.get('b.bin')?.record, null);
});

test('repositories are kept apart by root', async () => {
  const store = IndexStore.memory();
  await store.putMany('/one', [cached('a.py')]);
  assert.equal((await store.loadRepo('/two')).size, 0);
  store.close();
});

test('loading pages through more rows than one page holds', async () => {
  const store = IndexStore.memory();
  const many = Array.from({ length: 600 }, (_, i) => cached(`f${String(i).padStart(4, '0')}.py`));
  await store.putMany('/r', many);
  const rows = await store.loadRepo('/r');
  assert.equal(rows.size, 600);
  assert.ok(rows.has('f0599.py'));
  store.close();
});

test('retainOnly deletes the rows of files that are gone', async () => {
  const store = IndexStore.memory();
  await store.putMany('/r', [cached('a.py'), cached('b.py'), cached('c.py')]);
  assert.equal(store.retainOnly('/r', new Set(['b.py'])), 2);
  assert.deepEqual([...(await store.loadRepo('/r')).keys()], ['b.py']);
  store.close();
});

test('rows written under another extractor version are not reused', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-cache-'));
  const store = await IndexStore.open(dir);
  await store.putMany('/r', [cached('a.py')]);
  store.close();
  const db = new Database(path.join(dir, CACHE_FILE));
  db.prepare("UPDATE files SET cache_key = '0|0.0.0|'").run();
  db.close();
  const again = await IndexStore.open(dir);
  assert.equal((await again.loadRepo('/r')).size, 0);
  again.close();
});

test('a file that is not a SQLite database is reported with its path', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-cache-'));
  const { writeFile } = await import('node:fs/promises');
  await writeFile(path.join(dir, CACHE_FILE), 'not a database at all, just text '.repeat(20));
  await assert.rejects(IndexStore.open(dir), (e: Error) => e.message.includes(CACHE_FILE));
});
