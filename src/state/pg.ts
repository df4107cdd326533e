/**
 * The state on PostgreSQL (issue 16, item 3): the same tables and columns as the SQLite state
 * (`documented_snippets` exactly as the original declares it), created by numbered migrations
 * recorded in `schema_migrations`, plus what SQLite's single writer made unnecessary: a unique
 * index that makes dedup hold across processes (the same code hash with the same doc type is
 * one row, SPEC section 4's "never again"), whatever two writers check before inserting.
 *
 * `copySqliteState` copies a SQLite state — CodeWorm's or the Python original's — into it.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import type pg from 'pg';
import { ORIGINAL_DDL } from './db.ts';

/** One PostgreSQL migration; append only (a released one is never edited). */
export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

/** The doc type a row counts as: NULL or '' (original rows) is `function_doc`, as in snippets.ts. */
const DOC_TYPE_EXPR = `COALESCE(NULLIF(doc_type, ''), 'function_doc')`;

export const PG_MIGRATIONS: PgMigration[] = [
  {
    version: 1,
    name: 'state_tables',
    // the original's table, as SQLite declares it (its DDL is never altered)
    sql: `${ORIGINAL_DDL}CREATE INDEX IF NOT EXISTS idx_snippets_documented_at ON documented_snippets(documented_at);
CREATE INDEX IF NOT EXISTS idx_snippets_repo_at ON documented_snippets(source_repo, documented_at);
CREATE INDEX IF NOT EXISTS idx_snippets_type_at ON documented_snippets(doc_type, documented_at);
CREATE TABLE IF NOT EXISTS cycles (
    id BIGSERIAL PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    outcome TEXT,
    doc_type TEXT,
    source_repo TEXT,
    target TEXT,
    reason TEXT,
    snippet_id TEXT,
    duration_ms INTEGER
);
CREATE INDEX IF NOT EXISTS idx_cycles_started ON cycles(started_at);
CREATE TABLE IF NOT EXISTS events (
    id BIGSERIAL PRIMARY KEY,
    ts TEXT NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_events_ts ON events(ts);
CREATE INDEX IF NOT EXISTS idx_events_type_id ON events(type, id);
CREATE TABLE IF NOT EXISTS grounding_results (
    snippet_id TEXT PRIMARY KEY,
    checked_at TEXT NOT NULL,
    ungrounded INTEGER NOT NULL,
    contradictions INTEGER NOT NULL,
    regenerated INTEGER NOT NULL DEFAULT 0,
    grounded INTEGER NOT NULL,
    details TEXT
);
CREATE INDEX IF NOT EXISTS idx_grounding_grounded ON grounding_results(grounded);
CREATE TABLE IF NOT EXISTS snippet_meta (
    snippet_id TEXT PRIMARY KEY,
    language TEXT,
    display_name TEXT,
    provider TEXT,
    model TEXT
);
`,
  },
  {
    version: 2,
    name: 'dedup_unique',
    sql: `CREATE UNIQUE INDEX IF NOT EXISTS uq_snippets_code_type ON documented_snippets (code_hash, (${DOC_TYPE_EXPR}));`,
  },
  {
    // Fleet mode (src/fleet): one row per page the fleet takes on, from enqueue to publish. The
    // unique (doc_type, code_hash) is the fleet-wide dedup: a second enqueue of the same page
    // inserts nothing, whichever coordinator tries.
    version: 3,
    name: 'fleet_tables',
    sql: `
CREATE TABLE IF NOT EXISTS fleet_targets (
    id BIGSERIAL PRIMARY KEY,
    doc_type TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    target_key TEXT NOT NULL,
    source_repo TEXT NOT NULL,
    display_name TEXT NOT NULL,
    selection JSONB NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'generating', 'generated', 'published', 'failed')),
    job_id TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    publish_attempts INTEGER NOT NULL DEFAULT 0,
    worker TEXT,
    host TEXT,
    result JSONB,
    error TEXT,
    enqueued_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at TIMESTAMPTZ,
    generated_at TIMESTAMPTZ,
    published_at TIMESTAMPTZ,
    snippet_id TEXT,
    snippet_path TEXT,
    git_commit TEXT,
    CONSTRAINT uq_fleet_targets_page UNIQUE (doc_type, code_hash)
);
CREATE INDEX IF NOT EXISTS idx_fleet_targets_status ON fleet_targets(status, generated_at, id);
CREATE TABLE IF NOT EXISTS fleet_workers (
    id TEXT PRIMARY KEY,
    hostname TEXT NOT NULL,
    pid INTEGER NOT NULL,
    llm TEXT NOT NULL,
    concurrency INTEGER NOT NULL,
    started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen TIMESTAMPTZ NOT NULL DEFAULT now(),
    stopped_at TIMESTAMPTZ,
    busy INTEGER NOT NULL DEFAULT 0,
    generated INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    host_down TEXT
);
`,
  },
];

/**
 * Apply pending migrations, each in its own transaction; concurrent callers serialise on an
 * advisory lock, so two processes starting together do not both apply one. Idempotent.
 * @throws pg's DatabaseError (with PostgreSQL's message) when a migration fails
 */
export async function migratePg(client: pg.ClientBase, migrations: PgMigration[] = PG_MIGRATIONS): Promise<number[]> {
  const applied: number[] = [];
  await client.query('SELECT pg_advisory_lock(hashtext($1))', ['codeworm_schema']);
  try {
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, new Date().toISOString()]);
        await client.query('COMMIT');
        applied.push(m.version);
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', ['codeworm_schema']);
  }
  return applied;
}

export interface CopyReport {
  /** Rows copied per table. */
  copied: Record<string, number>;
  /** `documented_snippets` rows not copied because an equal page is there (same code hash and doc type, or same id). */
  duplicates: number;
  /** Tables of CodeWorm the SQLite file did not have (an original's database has only `documented_snippets`). */
  missingTables: string[];
}

const SNIPPET_COLUMNS = ['id', 'source_repo', 'source_file', 'function_name', 'class_name', 'code_hash', 'documented_at', 'snippet_path', 'git_commit', 'doc_type'];
const OTHER_TABLES: Record<string, string[]> = {
  snippet_meta: ['snippet_id', 'language', 'display_name', 'provider', 'model'],
  grounding_results: ['snippet_id', 'checked_at', 'ungrounded', 'contradictions', 'regenerated', 'grounded', 'details'],
  cycles: ['id', 'started_at', 'finished_at', 'outcome', 'doc_type', 'source_repo', 'target', 'reason', 'snippet_id', 'duration_ms'],
  events: ['id', 'ts', 'type', 'data'],
};

/**
 * Copy a SQLite state file into PostgreSQL (migrated first), in one transaction: all or nothing.
 * `documented_snippets` rows go oldest first and keep their ids; a row whose code hash and doc
 * type (or id) are already there is counted as a duplicate and left out, so dedup holds and a
 * second copy adds nothing. Original databases (no `doc_type` column, no CodeWorm tables) are
 * read as they are: a missing `doc_type` is `function_doc`. Other tables keep their ids; the
 * sequences continue after them.
 * @throws Error naming the file when it is missing or not a SQLite database; pg's errors otherwise
 */
export async function copySqliteState(sqliteFile: string, client: pg.ClientBase): Promise<CopyReport> {
  if (!existsSync(sqliteFile)) throw new Error(`${sqliteFile}: no such SQLite state file`);
  let src: Database.Database;
  try {
    src = new Database(sqliteFile, { readonly: true, fileMustExist: true });
    src.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (err) {
    throw new Error(`${sqliteFile}: not a SQLite database (${(err as Error).message})`);
  }
  try {
    const tables = new Set((src.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
    if (!tables.has('documented_snippets')) throw new Error(`${sqliteFile}: no documented_snippets table; not a CodeWorm state`);
    await migratePg(client);
    const report: CopyReport = { copied: {}, duplicates: 0, missingTables: Object.keys(OTHER_TABLES).filter((t) => !tables.has(t)) };
    const cols = new Set((src.prepare('PRAGMA table_info(documented_snippets)').all() as { name: string }[]).map((c) => c.name));
    const select = SNIPPET_COLUMNS.map((c) => (cols.has(c) ? c : c === 'doc_type' ? `'function_doc' AS doc_type` : `NULL AS ${c}`)).join(', ');
    await client.query('BEGIN');
    try {
      let copied = 0;
      for (const row of src.prepare(`SELECT ${select} FROM documented_snippets ORDER BY documented_at, id`).iterate() as Iterable<Record<string, unknown>>) {
        const values = SNIPPET_COLUMNS.map((c) => (c === 'doc_type' ? (row.doc_type as string | null) || 'function_doc' : row[c]));
        const res = await client.query(
          `INSERT INTO documented_snippets (${SNIPPET_COLUMNS.join(', ')}) VALUES (${SNIPPET_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT DO NOTHING`,
          values,
        );
        if (res.rowCount) copied++;
        else report.duplicates++;
      }
      report.copied.documented_snippets = copied;
      for (const [table, columns] of Object.entries(OTHER_TABLES)) {
        if (!tables.has(table)) continue;
        let n = 0;
        for (const row of src.prepare(`SELECT ${columns.join(', ')} FROM ${table}`).iterate() as Iterable<Record<string, unknown>>) {
          const res = await client.query(
            `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT DO NOTHING`,
            columns.map((c) => row[c]),
          );
          n += res.rowCount ?? 0;
        }
        report.copied[table] = n;
        if (columns[0] === 'id') await client.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT COALESCE(max(id), 0) + 1 FROM ${table}), false)`);
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    }
    return report;
  } finally {
    src.close();
  }
}

/** `postgres://user:secret@host/db` without its password, for messages. */
export function safePgUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}
