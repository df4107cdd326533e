import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { openStateDb, ORIGINAL_DDL } from '../../src/state/db.ts';
import { localIsoTimestamp, SnippetStore } from '../../src/state/snippets.ts';
import { sha256 } from '../../src/core/hash.ts';

const run = promisify(execFile);
const DAY = 86_400_000;

/**
 * A database written the way the Python original writes it: its DDL, uuid4 ids,
 * `datetime.now().isoformat()` timestamps, absolute paths, short commits.
 */
async function originalDb(rows: Record<string, unknown>[], ddl = ORIGINAL_DDL): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-orig-'));
  const script = `
import sqlite3, sys, json, uuid
db = sqlite3.connect(sys.argv[1])
db.executescript(sys.argv[2])
for r in json.loads(sys.argv[3]):
    cols = ['id'] + list(r.keys())
    db.execute('INSERT INTO documented_snippets (%s) VALUES (%s)' % (','.join(cols), ','.join('?' * len(cols))),
               [str(uuid.uuid4())] + list(r.values()))
db.commit()
`;
  await run('python3', ['-c', script, path.join(dir, 'codeworm.db'), ddl, JSON.stringify(rows)]);
  return dir;
}

const NOW = new Date(2026, 2, 10, 12, 0, 0);
const FILE = '/home/dev/src/codeworm/codeworm/daemon.py';

function row(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    source_repo: 'CodeWorm',
    source_file: FILE,
    function_name: '_async_run',
    class_name: 'CodeWormDaemon',
    code_hash: sha256('async def _async_run(self): ...'),
    documented_at: '2026-03-02T09:34:12.123456',
    snippet_path: 'snippets/python/2026-03-02_codewormdaemon-async-run.md',
    git_commit: '3b84f53',
    doc_type: 'function_doc',
    ...over,
  };
}

test('a database written by the original opens without altering its columns', async () => {
  const dir = await originalDb([row()]);
  const before = new Database(path.join(dir, 'codeworm.db'), { readonly: true });
  const colsBefore = before.prepare('PRAGMA table_info(documented_snippets)').all();
  before.close();
  const db = openStateDb(dir);
  new SnippetStore(db);
  assert.deepEqual(db.prepare('PRAGMA table_info(documented_snippets)').all(), colsBefore);
  assert.equal((db.prepare('SELECT COUNT(*) AS n FROM documented_snippets').get() as { n: number }).n, 1);
  db.close();
});

test('the same code with the same doc type from an original row is a duplicate forever', async () => {
  const db = openStateDb(await originalDb([row({ documented_at: '2020-01-01T00:00:00.000001' })]));
  const store = new SnippetStore(db);
  const v = store.checkDuplicate(
    { docType: 'function_doc', codeHash: sha256('async def _async_run(self): ...'), sourceFile: '/elsewhere/x.py', functionName: 'other' },
    90,
    NOW,
  );
  assert.deepEqual([v.duplicate, v.reason], [true, 'same_code']);
});

test('the same code with another doc type is not a duplicate', async () => {
  const db = openStateDb(await originalDb([row()]));
  const store = new SnippetStore(db);
  assert.equal(
    store.isDuplicate(
      { docType: 'security_review', codeHash: sha256('async def _async_run(self): ...'), sourceFile: FILE, functionName: '_async_run', className: 'CodeWormDaemon' },
      90,
      NOW,
    ),
    false,
  );
});

test('the same symbol with changed code is a duplicate inside the window and not after it', async () => {
  const db = openStateDb(await originalDb([row()]));
  const store = new SnippetStore(db);
  const key = { docType: 'function_doc' as const, codeHash: sha256('changed'), sourceFile: FILE, functionName: '_async_run', className: 'CodeWormDaemon' };
  const inside = store.checkDuplicate(key, 90, NOW);
  assert.deepEqual([inside.duplicate, inside.reason], [true, 'recent_symbol']);
  const documented = new Date(2026, 2, 2, 9, 34, 12, 123);
  assert.equal(store.isDuplicate(key, 90, documented.getTime() + 91 * DAY), false);
  assert.equal(store.isDuplicate(key, 90, documented.getTime() + 89 * DAY), true);
});

test('a space-separated timestamp (Python sqlite adapter) counts like an ISO one', async () => {
  const db = openStateDb(await originalDb([row({ documented_at: '2026-03-02 09:34:12.123456' })]));
  const store = new SnippetStore(db);
  const key = { docType: 'function_doc' as const, codeHash: sha256('changed'), sourceFile: FILE, functionName: '_async_run', className: 'CodeWormDaemon' };
  assert.equal(store.isDuplicate(key, 90, NOW), true);
});

test('rows with a NULL doc type count as function_doc', async () => {
  const ddl = ORIGINAL_DDL.replace("doc_type TEXT NOT NULL DEFAULT 'function_doc'", 'doc_type TEXT');
  const db = openStateDb(await originalDb([row({ doc_type: null })], ddl));
  const store = new SnippetStore(db);
  const key = { codeHash: sha256('async def _async_run(self): ...'), sourceFile: FILE, functionName: '_async_run', className: 'CodeWormDaemon' };
  assert.equal(store.isDuplicate({ ...key, docType: 'function_doc' }, 90, NOW), true);
  assert.equal(store.isDuplicate({ ...key, docType: 'til' }, 90, NOW), false);
});

test('a database from before doc types gets the column and its rows count as function_doc', async () => {
  const ddl = ORIGINAL_DDL.replace(",\n    doc_type TEXT NOT NULL DEFAULT 'function_doc'", '');
  const { doc_type: _unused, ...old } = row();
  const db = openStateDb(await originalDb([old], ddl));
  const store = new SnippetStore(db);
  assert.equal(
    store.isDuplicate({ docType: 'function_doc', codeHash: old.code_hash as string, sourceFile: FILE, functionName: 'x' }, 90, NOW),
    true,
  );
  assert.equal(store.stats(NOW).byDocType.function_doc, 1);
});

test('record writes a uuid4, local ISO time without zone, the absolute source path and the short commit', async () => {
  const db = openStateDb(await mkdtemp(path.join(tmpdir(), 'cw-state-')));
  const store = new SnippetStore(db);
  const at = new Date(2026, 2, 2, 9, 34, 12, 123);
  const stored = store.record({
    sourceRepo: 'demo',
    sourceFile: 'relative/file.py',
    functionName: 'f',
    codeHash: sha256('x'),
    snippetPath: 'snippets/python/2026-03-02_f.md',
    gitCommit: 'abc1234',
    docType: 'til',
    documentedAt: at,
  });
  assert.match(stored.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(stored.documented_at, '2026-03-02T09:34:12.123000');
  assert.equal(stored.source_file, path.resolve('relative/file.py'));
  const back = db.prepare('SELECT * FROM documented_snippets WHERE id = ?').get(stored.id);
  assert.deepEqual(back, stored);
});

test('a timestamp on a whole second has no fraction, as Python writes it', () => {
  assert.equal(localIsoTimestamp(new Date(2026, 0, 2, 3, 4, 5, 0)), '2026-01-02T03:04:05');
});

test('stats count today, 7 and 30 days, by repository and by doc type', async () => {
  const db = openStateDb(await mkdtemp(path.join(tmpdir(), 'cw-state-')));
  const store = new SnippetStore(db);
  const add = (repo: string, docType: 'til' | 'function_doc', ago: number) =>
    store.record({ sourceRepo: repo, sourceFile: `/r/${repo}.py`, codeHash: sha256(`${repo}${ago}${docType}`), snippetPath: `p${ago}${repo}`, docType, documentedAt: new Date(NOW.getTime() - ago) });
  add('a', 'til', 60_000); // today
  add('a', 'function_doc', 3 * DAY);
  add('b', 'function_doc', 20 * DAY);
  add('b', 'function_doc', 40 * DAY);
  const s = store.stats(NOW);
  assert.deepEqual(s, { total: 4, today: 1, last7Days: 2, last30Days: 3, byRepo: { a: 2, b: 2 }, byDocType: { function_doc: 3, til: 1 } });
});

test('documentedInPeriod groups the rows of the period by doc type and repository', async () => {
  const db = openStateDb(await originalDb([
    row({ documented_at: '2026-03-02T09:34:12.123456' }),
    row({ documented_at: '2026-03-03T10:00:00', function_name: 'run', code_hash: sha256('run') }),
    row({ documented_at: '2026-03-04T10:00:00', doc_type: 'til', code_hash: sha256('til') }),
    row({ documented_at: '2026-02-01T10:00:00', code_hash: sha256('old') }),
  ]));
  const store = new SnippetStore(db);
  const groups = store.documentedInPeriod(new Date(2026, 2, 1).getTime(), new Date(2026, 2, 8).getTime());
  assert.deepEqual(
    groups.map((g) => [g.docType, g.sourceRepo, g.count, g.rows.map((r) => r.function_name)]),
    [
      ['function_doc', 'CodeWorm', 2, ['_async_run', 'run']],
      ['til', 'CodeWorm', 1, ['_async_run']],
    ],
  );
});

test('dailyCounts gives one entry per local day with zeros for empty days', async () => {
  const db = openStateDb(await mkdtemp(path.join(tmpdir(), 'cw-state-')));
  const store = new SnippetStore(db);
  for (const [i, ago] of [0, 0, 2].entries()) {
    store.record({ sourceRepo: 'r', sourceFile: '/r/x.py', codeHash: sha256(String(i)), snippetPath: `p${i}`, docType: 'til', documentedAt: new Date(NOW.getTime() - ago * DAY) });
  }
  assert.deepEqual(store.dailyCounts(3, NOW), [
    { date: '2026-03-08', count: 1 },
    { date: '2026-03-09', count: 0 },
    { date: '2026-03-10', count: 2 },
  ]);
});
