/**
 * The state on PostgreSQL (issue 16, item 3) against a real private server: versioned
 * migrations, dedup by a unique constraint across concurrent writers, and `codeworm migrate`
 * from an original-schema SQLite database and from CodeWorm's own.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { runCli } from '../support/cli.ts';
import { skipWithoutPostgres, startPostgres, type PgServer } from '../support/postgres.ts';
import { ORIGINAL_DDL, openStateDb } from '../../src/state/db.ts';
import { SnippetStore } from '../../src/state/snippets.ts';
import { CycleStore } from '../../src/state/cycles.ts';
import { migratePg, PG_MIGRATIONS } from '../../src/state/pg.ts';

const skip = skipWithoutPostgres();
let server: PgServer | null = null;

before(async () => {
  if (!skip) server = await startPostgres();
});
after(async () => {
  await server?.stop();
});

async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

/** The original's database before doc types (no doc_type column), with one duplicate pair. */
async function originalDb(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-orig-'));
  const file = path.join(dir, 'codeworm.db');
  const db = new Database(file);
  db.exec(ORIGINAL_DDL.replace(",\n    doc_type TEXT NOT NULL DEFAULT 'function_doc'", ''));
  const ins = db.prepare(
    'INSERT INTO documented_snippets (id, source_repo, source_file, function_name, class_name, code_hash, documented_at, snippet_path, git_commit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  ins.run('a1', 'app', '/src/app/a.py', 'parse', null, 'h-parse', '2024-03-01T10:00:00.123456', 'snippets/python/2024-03-01_parse.md', 'abc1234');
  ins.run('a2', 'app', '/src/app/b.py', 'load', null, 'h-load', '2024-03-02 11:30:00', 'snippets/python/2024-03-02_load.md', 'def5678');
  // the same code documented twice (a race of two original processes): one page is kept
  ins.run('a3', 'app', '/src/app/b.py', 'load', null, 'h-load', '2024-03-05T09:00:00', 'snippets/python/2024-03-05_load.md', 'fed9876');
  db.close();
  return file;
}

test('migrations are numbered and applied once, also by two processes starting together', { skip }, async () => {
  const url = await server!.createDatabase();
  const [a, b] = await Promise.all([connect(url), connect(url)]);
  try {
    const applied = await Promise.all([migratePg(a), migratePg(b)]);
    assert.deepEqual([...applied[0], ...applied[1]].sort(), PG_MIGRATIONS.map((m) => m.version).sort());
    assert.deepEqual(await migratePg(a), [], 'nothing left to apply');
    const cols = await a.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'documented_snippets' ORDER BY ordinal_position",
    );
    assert.deepEqual(
      cols.rows.map((r) => r.column_name),
      ['id', 'source_repo', 'source_file', 'function_name', 'class_name', 'code_hash', 'documented_at', 'snippet_path', 'git_commit', 'doc_type'],
      "the original's columns, in its order",
    );
  } finally {
    await a.end();
    await b.end();
  }
});

test('dedup is a constraint: of writers inserting the same code and doc type at once, exactly one row lands', { skip }, async () => {
  const url = await server!.createDatabase();
  const setup = await connect(url);
  await migratePg(setup);
  const writers = await Promise.all([0, 1, 2, 3].map(() => connect(url)));
  try {
    const results = await Promise.allSettled(
      writers.map((w, i) =>
        w.query(
          `INSERT INTO documented_snippets (id, source_repo, source_file, function_name, code_hash, documented_at, snippet_path, doc_type)
           VALUES ($1, 'app', '/src/a.py', 'f', 'same-hash', '2026-01-01T00:00:00', $2, 'function_doc')`,
          [`w${i}`, `p${i}.md`],
        ),
      ),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as { code?: string }).code, '23505', 'unique_violation');
    // another doc type of the same code is another page; '' counts as function_doc, as in SQLite
    await setup.query(
      "INSERT INTO documented_snippets (id, source_repo, source_file, code_hash, documented_at, snippet_path, doc_type) VALUES ('x', 'app', '/src/a.py', 'same-hash', now(), 'x.md', 'til')",
    );
    await assert.rejects(
      setup.query(
        "INSERT INTO documented_snippets (id, source_repo, source_file, code_hash, documented_at, snippet_path, doc_type) VALUES ('y', 'app', '/src/a.py', 'same-hash', now(), 'y.md', '')",
      ),
      /uq_snippets_code_type/,
    );
  } finally {
    for (const w of writers) await w.end();
    await setup.end();
  }
});

test('codeworm migrate copies an original-schema SQLite database, keeping its dedup; a second run adds nothing', { skip }, async () => {
  const url = await server!.createDatabase();
  const file = await originalDb();
  const res = await runCli(['migrate', '--from', file, '--to', url]);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /documented_snippets 2\b/);
  assert.match(res.stdout, /left out 1 page row/);
  assert.match(res.stdout, /not in the SQLite file .*: snippet_meta, grounding_results, cycles, events/);
  const c = await connect(url);
  try {
    const rows = (await c.query("SELECT id, doc_type, code_hash, to_char(documented_at, 'YYYY-MM-DD HH24:MI:SS.US') AS at FROM documented_snippets ORDER BY id")).rows;
    assert.deepEqual(rows, [
      { id: 'a1', doc_type: 'function_doc', code_hash: 'h-parse', at: '2024-03-01 10:00:00.123456' },
      { id: 'a2', doc_type: 'function_doc', code_hash: 'h-load', at: '2024-03-02 11:30:00.000000' },
    ], 'the earlier of the duplicate pair is kept, times as written');
    const again = await runCli(['migrate', '--from', file, '--to', url, '--json']);
    assert.equal(again.code, 0, again.stderr);
    const report = JSON.parse(again.stdout) as { copied: Record<string, number>; duplicates: number };
    assert.equal(report.copied.documented_snippets, 0);
    assert.equal(report.duplicates, 3);
    assert.equal((await c.query('SELECT count(*)::int AS n FROM documented_snippets')).rows[0].n, 2);
  } finally {
    await c.end();
  }
});

test("codeworm migrate copies CodeWorm's own tables; sequences continue after the copied ids", { skip }, async () => {
  const url = await server!.createDatabase();
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-state-'));
  const db = openStateDb(dir);
  const store = new SnippetStore(db);
  const { id } = store.record({
    sourceRepo: 'app',
    sourceFile: '/src/app/c.ts',
    functionName: 'run',
    className: null,
    codeHash: 'h-run',
    snippetPath: 'snippets/typescript/2026-01-02_run.md',
    gitCommit: '1234567',
    docType: 'function_doc',
    documentedAt: new Date(2026, 0, 2, 8, 0, 0),
  });
  db.prepare('INSERT INTO snippet_meta (snippet_id, language, display_name, provider, model) VALUES (?, ?, ?, ?, ?)').run(id, 'typescript', 'run', 'ollama', 'qwen2.5:7b');
  const cycles = new CycleStore(db);
  cycles.finish(cycles.start(new Date(2026, 0, 2, 8, 0, 0)), { outcome: 'success', docType: 'function_doc', repo: 'app', target: 'run', snippetId: id }, new Date(2026, 0, 2, 8, 0, 5), 5000);
  db.close();
  const res = await runCli(['migrate', '--from', path.join(dir, 'codeworm.db'), '--to', url, '--json']);
  assert.equal(res.code, 0, res.stderr);
  const report = JSON.parse(res.stdout) as { copied: Record<string, number>; missingTables: string[] };
  assert.deepEqual(report.copied, { documented_snippets: 1, snippet_meta: 1, grounding_results: 0, cycles: 1, events: 0 });
  assert.deepEqual(report.missingTables, []);
  const c = await connect(url);
  try {
    assert.equal((await c.query('SELECT model FROM snippet_meta WHERE snippet_id = $1', [id])).rows[0].model, 'qwen2.5:7b');
    const next = await c.query("INSERT INTO cycles (started_at) VALUES ('2026-01-03T00:00:00Z') RETURNING id");
    assert.equal(Number(next.rows[0].id), 2, 'a new cycle gets the id after the copied one');
  } finally {
    await c.end();
  }
});

test('codeworm migrate names what is wrong: not a postgres URL, a missing file, an unreachable server', { skip }, async () => {
  const bad = await runCli(['migrate', '--from', '/nonexistent.db', '--to', 'mysql://x']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /expected a postgres:\/\/ URL/);
  const url = await server!.createDatabase();
  const missing = await runCli(['migrate', '--from', '/nonexistent/codeworm.db', '--to', url]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /\/nonexistent\/codeworm\.db: no such SQLite state file/);
  const down = await runCli(['migrate', '--from', '/nonexistent.db', '--to', 'postgres://u:hunter2secret@127.0.0.1:1/db']);
  assert.notEqual(down.code, 0);
  assert.match(down.stderr, /cannot connect to postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/db/);
  assert.doesNotMatch(down.stderr, /hunter2secret/, 'the password is not printed');
});
