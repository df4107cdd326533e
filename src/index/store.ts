/**
 * The incremental index cache: one SQLite file (better-sqlite3) holding, per repository root and
 * file path, the file's size, mtime and content hash and what extraction produced from it (or
 * why it was skipped). A re-run over unchanged files parses nothing. Rows written by another
 * extractor version or another set of fact collectors are ignored and replaced.
 */
import Database from 'better-sqlite3';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import envPaths from 'env-paths';
import { VERSION } from '../core/version.ts';
import { FACT_COLLECTORS } from '../analysis/facts.ts';
import type { FileRecord, SkipReason } from './types.ts';

/**
 * Bump when extraction output changes shape or meaning (symbols, metrics, imports): cached rows
 * of another version are re-parsed. The package version and the registered fact collectors are
 * part of the cache key too (see `cacheKey`).
 */
export const EXTRACTOR_VERSION = 1;

/** Cache file name inside the cache directory. */
export const CACHE_FILE = 'index-cache.db';

/** Default cache directory: the user's cache dir from env-paths (`~/.cache/codeworm-nodejs` on Linux). */
export function defaultCacheDir(): string {
  return envPaths('codeworm').cache;
}

/**
 * The key rows must match to be reused: extractor version, package version and the names of the
 * fact collectors registered now (a newly registered collector must see every file).
 */
export function cacheKey(): string {
  const collectors = FACT_COLLECTORS.map((c) => c.name).sort().join(',');
  return `${EXTRACTOR_VERSION}|${VERSION}|${collectors}`;
}

/** What the cache knows about one file. */
export interface CachedFile {
  /** Repo-relative POSIX path. */
  path: string;
  size: number;
  mtimeMs: number;
  /** SHA-256 hex of the content, or '' when the file was skipped before hashing. */
  hash: string;
  /** `ok` with a record, or the reason the file was skipped (binary, invalid_utf8, parse_failed). */
  status: 'ok' | SkipReason;
  record: FileRecord | null;
}

interface Row {
  path: string;
  size: number;
  mtime_ms: number;
  hash: string;
  status: string;
  record: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    repo_root TEXT NOT NULL,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ms REAL NOT NULL,
    hash TEXT NOT NULL,
    status TEXT NOT NULL,
    record TEXT,
    cache_key TEXT NOT NULL,
    PRIMARY KEY (repo_root, path)
) WITHOUT ROWID;
`;
/** Version of the table layout above; another layout is dropped and rebuilt (it is only a cache). */
const SCHEMA_VERSION = '1';
/** Rows per read page / write transaction. */
const PAGE = 250;

function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * SQLite-backed file cache. Synchronous better-sqlite3 calls are short (one indexed lookup, or
 * one transaction per batch) so they do not hold the event loop for long.
 */
export class IndexStore {
  private readonly db: Database.Database;
  private readonly key: string;
  private readonly selectPage: Database.Statement;
  private readonly upsert: Database.Statement;
  private readonly deleteOne: Database.Statement;
  private readonly selectPaths: Database.Statement;

  private constructor(db: Database.Database) {
    this.db = db;
    this.key = cacheKey();
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    const version = this.readSchemaVersion();
    if (version !== SCHEMA_VERSION) {
      db.exec('DROP TABLE IF EXISTS files; DROP TABLE IF EXISTS meta;');
      db.exec(SCHEMA);
      db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('schema_version', SCHEMA_VERSION);
    }
    this.selectPage = db.prepare(
      'SELECT path, size, mtime_ms, hash, status, record FROM files WHERE repo_root = ? AND cache_key = ? AND path > ? ORDER BY path LIMIT ?',
    );
    this.upsert = db.prepare(
      `INSERT INTO files (repo_root, path, size, mtime_ms, hash, status, record, cache_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (repo_root, path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, hash = excluded.hash,
         status = excluded.status, record = excluded.record, cache_key = excluded.cache_key`,
    );
    this.deleteOne = db.prepare('DELETE FROM files WHERE repo_root = ? AND path = ?');
    this.selectPaths = db.prepare('SELECT path FROM files WHERE repo_root = ?');
  }

  private readSchemaVersion(): string | null {
    try {
      const row = this.db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
      return row?.value ?? null;
    } catch {
      // No meta table: a new or foreign file.
      return null;
    }
  }

  /**
   * Open (creating) the cache in `dir` (`index-cache.db`).
   * @throws Error naming the file when it cannot be created or is not a SQLite database
   */
  static async open(dir: string): Promise<IndexStore> {
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, CACHE_FILE);
    try {
      return new IndexStore(new Database(file));
    } catch (err) {
      throw new Error(`index cache ${file}: ${(err as Error).message}`);
    }
  }

  /** An in-memory cache (lives as long as the process; for `CodeIndex` without a cache dir, and tests). */
  static memory(): IndexStore {
    return new IndexStore(new Database(':memory:'));
  }

  /**
   * Every reusable cached file of a repository root (absolute path), keyed by repo-relative path.
   * Read in pages of `PAGE` rows with a macrotask yield between pages, so a large cache does not
   * hold the event loop while its JSON is parsed.
   */
  async loadRepo(root: string): Promise<Map<string, CachedFile>> {
    const out = new Map<string, CachedFile>();
    let after = '';
    for (;;) {
      const rows = this.selectPage.all(root, this.key, after, PAGE) as Row[];
      for (const r of rows) {
        out.set(r.path, {
          path: r.path,
          size: r.size,
          mtimeMs: r.mtime_ms,
          hash: r.hash,
          status: r.status as CachedFile['status'],
          record: r.record ? (JSON.parse(r.record) as FileRecord) : null,
        });
      }
      if (rows.length < PAGE) return out;
      after = rows[rows.length - 1].path;
      await yieldToLoop();
    }
  }

  /** Insert or replace rows, one transaction per page with a yield between pages. */
  async putMany(root: string, files: CachedFile[]): Promise<void> {
    const write = this.db.transaction((rows: CachedFile[]) => {
      for (const f of rows) {
        this.upsert.run(root, f.path, f.size, f.mtimeMs, f.hash, f.status, f.record ? JSON.stringify(f.record) : null, this.key);
      }
    });
    for (let i = 0; i < files.length; i += PAGE) {
      write(files.slice(i, i + PAGE));
      if (i + PAGE < files.length) await yieldToLoop();
    }
  }

  /** Delete the rows of a repository whose path is not in `keep` (files gone since the last run). */
  retainOnly(root: string, keep: ReadonlySet<string>): number {
    const stale = (this.selectPaths.all(root) as { path: string }[]).map((r) => r.path).filter((p) => !keep.has(p));
    if (stale.length === 0) return 0;
    this.db.transaction((ps: string[]) => {
      for (const p of ps) this.deleteOne.run(root, p);
    })(stale);
    return stale.length;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
