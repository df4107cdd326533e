/**
 * The state database `data_dir/codeworm.db` (SPEC section 6). `documented_snippets` is created
 * exactly as the Python CodeWorm created it, so its databases open unchanged; everything else
 * comes through numbered migrations recorded in `schema_migrations`.
 */
import Database from 'better-sqlite3';
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

export type Db = Database.Database;

/** The original's DDL, verbatim in meaning: columns and indexes are never altered. */
export const ORIGINAL_DDL = `
CREATE TABLE IF NOT EXISTS documented_snippets (
    id TEXT PRIMARY KEY,
    source_repo TEXT NOT NULL,
    source_file TEXT NOT NULL,
    function_name TEXT,
    class_name TEXT,
    code_hash TEXT NOT NULL,
    documented_at TIMESTAMP NOT NULL,
    snippet_path TEXT NOT NULL,
    git_commit TEXT,
    doc_type TEXT NOT NULL DEFAULT 'function_doc'
);
CREATE INDEX IF NOT EXISTS idx_code_hash ON documented_snippets(code_hash);
CREATE INDEX IF NOT EXISTS idx_source ON documented_snippets(source_repo, source_file);
CREATE INDEX IF NOT EXISTS idx_function ON documented_snippets(source_file, function_name);
`;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Code run after `sql` in the same transaction, for a step SQL alone cannot express. */
  run?: (db: Db) => void;
}

/**
 * CodeWorm's own tables. Append only: a released migration is never edited.
 * Other modules add theirs to this list (keep versions increasing).
 */
export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'cycles_events_grounding',
    sql: `
CREATE TABLE IF NOT EXISTS cycles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    outcome TEXT,            -- success | failed | skipped | abandoned
    doc_type TEXT,
    source_repo TEXT,
    target TEXT,
    reason TEXT,
    snippet_id TEXT,
    duration_ms INTEGER
);
CREATE INDEX IF NOT EXISTS idx_cycles_started ON cycles(started_at);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts TEXT NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_events_ts ON events(ts);
CREATE TABLE IF NOT EXISTS grounding_results (
    snippet_id TEXT PRIMARY KEY,
    checked_at TEXT NOT NULL,
    ungrounded INTEGER NOT NULL,
    contradictions INTEGER NOT NULL,
    regenerated INTEGER NOT NULL DEFAULT 0,
    grounded INTEGER NOT NULL,
    details TEXT
);
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
    // databases of the original from before doc types lack `doc_type`: add it exactly as the
    // original's DDL declares it (existing columns untouched); such rows are function docs
    version: 2,
    name: 'original_doc_type_column',
    sql: '',
    run: (db) => {
      const cols = (db.prepare('PRAGMA table_info(documented_snippets)').all() as { name: string }[]).map((c) => c.name);
      if (!cols.includes('doc_type')) {
        db.exec(`ALTER TABLE documented_snippets ADD COLUMN doc_type TEXT NOT NULL DEFAULT 'function_doc'`);
      }
    },
  },
  {
    // dashboard: newest-first feeds (optionally filtered), the latest event of a type, grounding rate
    version: 4,
    name: 'dashboard_indexes',
    sql: `
CREATE INDEX IF NOT EXISTS idx_snippets_documented_at ON documented_snippets(documented_at);
CREATE INDEX IF NOT EXISTS idx_snippets_repo_at ON documented_snippets(source_repo, documented_at);
CREATE INDEX IF NOT EXISTS idx_snippets_type_at ON documented_snippets(doc_type, documented_at);
CREATE INDEX IF NOT EXISTS idx_events_type_id ON events(type, id);
CREATE INDEX IF NOT EXISTS idx_grounding_grounded ON grounding_results(grounded);
`,
  },
];

/** Apply pending migrations in one transaction each. Idempotent. */
export function migrate(db: Db, migrations: Migration[] = MIGRATIONS): void {
  db.exec(ORIGINAL_DDL);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
  );
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      m.run?.(db);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
    })();
  }
}

/** A state database emptied to zero bytes: the state was lost, not a new installation. */
export class EmptyDatabaseError extends Error {
  readonly exitCode = 1;
  constructor(readonly file: string) {
    super(
      `${file} is empty (0 bytes): the state database was truncated or lost, not created anew. ` +
        `Move it aside (mv ${file} ${file}.empty) and run \`codeworm state rebuild\` to recover the rows from the DevLog.`,
    );
    this.name = 'EmptyDatabaseError';
  }
}

/**
 * Refuse a zero-byte database file (issue 11: it was silently treated as new, so every page
 * would be documented again). A file another process has just created is 0 bytes for a moment:
 * look again shortly before deciding.
 * @throws EmptyDatabaseError
 */
function checkNotEmptied(file: string): void {
  for (let attempt = 0; ; attempt++) {
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      return; // no file: a new database
    }
    if (size > 0) return;
    if (attempt >= 10) throw new EmptyDatabaseError(file);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100); // 100 ms, at open only
  }
}

/**
 * Open (creating if needed) the state database at `dataDir/codeworm.db` in WAL mode and
 * bring it up to date. `readonly` opens without migrating (for a second process). A new data
 * directory is created 0700 and the database file is made 0600 before anything is written to
 * it (SQLite gives its -wal/-shm files the database's mode): it names source files and holds
 * events.
 * @throws better-sqlite3's SqliteError when the file is not a database or not writable;
 *   EmptyDatabaseError when the file exists with zero bytes.
 */
export function openStateDb(dataDir: string, opts: { readonly?: boolean } = {}): Db {
  if (!opts.readonly) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, 'codeworm.db');
  checkNotEmptied(file);
  const db = new Database(file, { readonly: opts.readonly ?? false });
  if (!opts.readonly) {
    for (const f of [file, `${file}-wal`, `${file}-shm`]) {
      try {
        chmodSync(f, 0o600);
      } catch {
        // not there yet: created later with the database file's mode
      }
    }
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    migrate(db);
  }
  db.pragma('busy_timeout = 5000');
  return db;
}
