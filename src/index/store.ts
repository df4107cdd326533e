/**
 * The incremental index cache: one SQLite file (better-sqlite3) holding, per repository root and
 * file path, the file's size, mtime and content hash and what extraction produced from it (or
 * why it was skipped). A re-run over unchanged files parses nothing. Rows written by another
 * extractor version or another set of fact collectors are ignored and replaced.
 *
 * Nothing secret at rest (issue 10): the file text is not stored. A symbol's source is a span of
 * the file (`span: [offset, length]`), filled from the file itself when the cache is loaded (a
 * file whose hash no longer matches is parsed again); docstrings, decorators, sources kept
 * inline and facts are stored redacted. The file is 0600 in a 0700 directory, and it has a size
 * cap: past it, the least recently indexed repositories are evicted. Parse workers write their
 * own rows (`CacheWriter`), so serialising and inserting never runs on the main event loop.
 */
import Database from 'better-sqlite3';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { chmodSync, closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import envPaths from 'env-paths';
import { VERSION } from '../core/version.ts';
import { FACT_COLLECTORS } from '../analysis/facts.ts';
import type { CodeSymbol, FileRecord, LanguageId, SkipReason } from './types.ts';
import { redactedJsonSync } from '../core/redact.ts';

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
  return `${EXTRACTOR_VERSION}|${VERSION}|${collectors}|${extractorCodeHash()}`;
}

let codeHash: string | null = null;

/**
 * The folders whose `.ts` / `.js` files make up `extractorCodeHash`: the index, the language
 * folders (`src/languages/` and each `<lang>/`, extractors and per-language collectors) and the
 * fact collectors (`src/analysis/`, `blocking/`, `security/`), as absolute paths.
 */
export function codeHashDirs(): string[] {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const languages = path.join(here, '..', 'languages');
  let languageDirs: string[] = [];
  try {
    languageDirs = readdirSync(languages, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => path.join(languages, d.name)).sort();
  } catch {
    // a layout without the folder: nothing of it to hash
  }
  return [here, languages, ...languageDirs, path.join(here, '..', 'analysis'), path.join(here, '..', 'analysis', 'blocking'), path.join(here, '..', 'analysis', 'security')];
}

/**
 * SHA-256 (first 16 hex digits) of the code that produces cached records: the language
 * folders (`src/languages/` and each `<lang>/`), extraction, metrics and the fact collectors (blocking, security, structure, performance), as installed. Any change to
 * them (an upgrade from git without a version bump, a local patch) invalidates the cache, so a
 * stale record can never reach the finders. Read once per process (about 30 small files).
 */
export function extractorCodeHash(): string {
  if (codeHash !== null) return codeHash;
  const dirs = codeHashDirs();
  const h = createHash('sha256');
  for (const dir of dirs) {
    let names: string[] = [];
    try {
      names = readdirSync(dir).filter((n) => /\.(ts|js)$/.test(n)).sort();
    } catch {
      continue; // a layout without this folder: nothing of it to hash
    }
    for (const n of names) h.update(n).update(readFileSync(path.join(dir, n)));
  }
  codeHash = h.digest('hex').slice(0, 16);
  return codeHash;
}

/** What the index knows about one file between runs. */
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
  /**
   * A cached extraction whose file is gone or changed (so no text to restore sources from): kept
   * so that a renamed or copied file with this content (`hash`) is not parsed again.
   */
  detached?: CompactExtraction & { language: LanguageId };
}

/** The per-file part of a FileRecord that extraction produces (path, language, stat and hash are columns). */
export type ExtractedFile = Pick<FileRecord, 'lines' | 'nloc' | 'imports' | 'symbols' | 'hasSyntaxErrors' | 'facts'>;

/**
 * Extraction output as stored (facts apart): a symbol has no `source` and `spans[i]` holds
 * [UTF-16 offset, length] of symbol i's source in the file text (null when kept inline).
 */
type CompactFile = Omit<ExtractedFile, 'facts' | 'symbols'> & { symbols: (Omit<CodeSymbol, 'source'> & { source?: string })[]; spans: ([number, number] | null)[] };

/** Offset of each line start (0-based rows) in `text`. */
function lineOffsets(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Serialised extraction output: `json` (symbols, imports, figures) and `facts`, kept apart so facts load lazily. */
export interface CompactExtraction {
  json: string;
  facts: string;
}

/**
 * Serialise extraction output with each symbol's source replaced by its span in `text` (found
 * from the symbol's start line; a source not found verbatim is kept inline). Every string that
 * is stored is redacted (`redactedJson`): the cache holds no secret.
 */
export function compactJson(file: ExtractedFile, text: string): CompactExtraction {
  const starts = lineOffsets(text);
  const spans: CompactFile['spans'] = [];
  const symbols = file.symbols.map((s) => {
    // A symbol's source is whole lines startLine..endLine (extractFromTree's contract), so its
    // span follows from line offsets; only the two ends are compared, never a text search
    // (a minified line holding thousands of symbols made `indexOf` quadratic).
    const from = starts[s.startLine - 1];
    const next = starts[s.endLine];
    const to = next === undefined ? text.length : next - 1;
    const len = s.source.length;
    const fits =
      from !== undefined && len > 0 && to - from === len && text.startsWith(s.source.slice(0, 64), from) && text.endsWith(s.source.slice(-64), to);
    // Sources cut differently (older extractors, tests) are searched for, but only short ones.
    const at = fits ? from : from !== undefined && len > 0 && len <= 4096 ? text.indexOf(s.source, from) : -1;
    spans.push(at === -1 ? null : [at, len]);
    if (at === -1) return s;
    // no `source` key: `expandJson` adds it last, as a value or (packed) as an accessor, which
    // keeps the object in V8's fast mode (redefining an existing key would not)
    const { source: _cut, ...rest } = s;
    return rest;
  });
  const { facts, ...rest } = file;
  return { json: redactedJson({ ...rest, symbols, spans } satisfies CompactFile), facts: redactedJson(facts) };
}

/**
 * JSON of `value` with every string redacted (docstrings, decorators, call texts, a source kept
 * inline, facts: whatever quotes the file), string by string: in the serialised text a secret's
 * quotes and line breaks are escaped, which hides it from rules that need them (a PEM block, a
 * quoted assignment in a finding's code excerpt).
 */
function redactedJson(value: unknown): string {
  return redactedJsonSync(value);
}

/** How `expandJson` keeps what it expands. */
export interface ExpandOptions {
  /** Keep large facts deflated (see `lazyFacts`). */
  packFacts?: boolean;
  /**
   * Keep the file text deflated and cut each symbol's `source` from it on read (see
   * `PackedText`): the daemon's long-lived index, where the texts were a third of the heap.
   */
  packSources?: boolean;
  /**
   * Share repeated short strings (names, callees, parameters, decorators, import names) through
   * this table: JSON.parse makes a copy of each per occurrence, half a million small strings on
   * the Python standard library. The caller drops the table when its run ends.
   */
  intern?: Map<string, string>;
}

/** Strings longer than this are not interned (rarely repeated; the table would only hold them). */
const INTERN_MAX = 64;

/** Replace the short strings of an extraction's symbols and imports by their shared copies, in place. */
function internStrings(c: Pick<CompactFile, 'symbols' | 'imports'>, table: Map<string, string>): void {
  const one = (v: string): string => {
    if (v.length > INTERN_MAX) return v;
    const seen = table.get(v);
    if (seen !== undefined) return seen;
    table.set(v, v);
    return v;
  };
  const all = (a: string[] | undefined): void => {
    if (a) for (let i = 0; i < a.length; i++) a[i] = one(a[i]);
  };
  for (const s of c.symbols) {
    s.name = one(s.name);
    s.displayName = one(s.displayName);
    if (s.className !== null) s.className = one(s.className);
    if (s.parent !== null) s.parent = one(s.parent);
    all(s.params);
    all(s.decorators);
    all(s.bases);
    for (const call of s.calls ?? []) {
      call.callee = one(call.callee);
      call.name = one(call.name);
    }
  }
  for (const imp of c.imports ?? []) {
    imp.module = one(imp.module);
    for (const n of imp.names) {
      n.local = one(n.local);
      n.imported = one(n.imported);
    }
  }
}

/**
 * Inverse of `compactJson`: symbol sources become slices of `text` (sharing its memory), filled
 * in place rather than copied (loading a large cache is allocation-bound). `facts` is parsed on
 * first read: only the analyses that use facts pay for them. With `packSources` each symbol's
 * `source` is an accessor over the deflated text (same value, read on demand; assigning it
 * stores the new value).
 */
export function expandJson(data: CompactExtraction, text: string, opts: ExpandOptions = {}): ExtractedFile {
  const c = JSON.parse(data.json) as Partial<CompactFile> & Omit<ExtractedFile, 'facts'>; // sources are filled below
  const spans = c.spans ?? [];
  if (opts.intern) internStrings(c as CompactFile, opts.intern);
  const packed = opts.packSources && spans.some((x) => x !== null) ? new PackedText(text) : null;
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    if (!span) continue;
    const sym = c.symbols[i] as CodeSymbol;
    if (packed) {
      Object.defineProperty(sym, SPAN, { value: { text: packed, from: span[0], to: span[0] + span[1] } satisfies SourceSpan });
      Object.defineProperty(sym, 'source', SOURCE_ACCESSOR);
    } else sym.source = text.slice(span[0], span[0] + span[1]);
  }
  const out = { lines: c.lines, nloc: c.nloc, imports: c.imports, symbols: c.symbols, hasSyntaxErrors: c.hasSyntaxErrors } as ExtractedFile;
  const read = lazyFacts(data.facts, opts.packFacts ?? false);
  let assigned: Record<string, unknown> | undefined;
  Object.defineProperty(out, 'facts', {
    enumerable: true,
    configurable: true,
    get: () => assigned ?? read(),
    set: (v: Record<string, unknown>) => {
      assigned = v;
    },
  });
  return out;
}

/**
 * `text` deflated (level 1: fast, about 4x smaller for code and facts), in a buffer of its own
 * size: zlib's result is a view of a 16 KB chunk, which would keep the whole chunk alive (28 MB
 * for the small files of the Python standard library).
 */
function deflated(text: string): Buffer {
  return Buffer.from(deflateRawSync(text, { level: 1 }));
}

/** How many inflated file texts `PackedText` keeps: readers walk symbols file by file. */
const RECENT_TEXTS = 16;
/** The texts inflated last, least recent first. */
const recentTexts = new Map<PackedText, string>();

/**
 * A file text kept deflated (about 4x smaller for source code); `text()` inflates it, and the
 * last `RECENT_TEXTS` texts read stay inflated, so a pass over every symbol of a file inflates
 * it once.
 */
class PackedText {
  private readonly packed: Buffer;

  constructor(text: string) {
    this.packed = deflated(text);
  }

  text(): string {
    let t = recentTexts.get(this);
    if (t !== undefined) {
      recentTexts.delete(this);
    } else {
      t = inflateRawSync(this.packed).toString('utf8');
      if (recentTexts.size >= RECENT_TEXTS) recentTexts.delete(recentTexts.keys().next().value!);
    }
    recentTexts.set(this, t);
    return t;
  }
}

/** Where a packed symbol's source lies: UTF-16 offsets `[from, to)` of its file's text. */
interface SourceSpan {
  text: PackedText;
  from: number;
  to: number;
}

/**
 * `s` as a string of its own. V8 makes a slice of 13 or more characters a view that keeps the
 * whole parent alive: a target list holding 1,900 function sources kept an inflated copy of
 * each function's file (a 528 KB test file once per method), 180 MB of a 270 MB heap. Slicing
 * a concatenation flattens it into a new string first, so the result holds only its own text.
 */
function ownCopy(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/** The hidden key of a packed symbol's span (not enumerable: spreads and JSON skip it). */
const SPAN = Symbol('sourceSpan');

/**
 * The `source` accessor of packed symbols: one pair of functions for every symbol (a closure
 * each would cost more than the text saved); assigning replaces it with a plain value.
 */
const SOURCE_ACCESSOR: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: { [SPAN]: SourceSpan }): string {
    const span = this[SPAN];
    return ownCopy(span.text.text().slice(span.from, span.to));
  },
  set(this: object, value: string): void {
    Object.defineProperty(this, 'source', { value, writable: true, enumerable: true, configurable: true });
  },
};

/** Facts texts from this many UTF-16 units up are kept deflated in memory. */
const PACK_FACTS_AT = 2048;

/**
 * The reader of a file's facts. Facts are parsed once and kept, unless `pack` (the daemon's
 * long-lived index; a one-shot command reads them once and exits, so packing only costs it time). Large ones (the blocking
 * facts of a big file: on the Python standard library 33 of 35 MB of facts text, about 60 MB as a
 * JS string and another ~70 MB once parsed) are kept deflated (about 6x smaller): the other
 * analyses' facts are parsed once and kept, `blocking` is parsed again on each read. It is read
 * once per index snapshot by the blocking pass (`targets/blocking-cache.ts`), which keeps what it needs.
 */
function lazyFacts(json: string, pack: boolean): () => Record<string, unknown> {
  if (!pack || json.length < PACK_FACTS_AT) {
    let parsed: Record<string, unknown> | undefined;
    return () => (parsed ??= JSON.parse(json) as Record<string, unknown>);
  }
  const packed = deflated(json);
  return packedFacts(packed);
}

/** The reader of deflated facts (a function apart, so no closure holds the JSON text). */
function packedFacts(packed: Buffer): () => Record<string, unknown> {
  const unpack = (): Record<string, unknown> => JSON.parse(inflateRawSync(packed).toString('utf8')) as Record<string, unknown>;
  let rest: Record<string, unknown> | undefined;
  let hasBlocking = false;
  return () => {
    if (rest === undefined) {
      const all = unpack();
      const { blocking, ...others } = all;
      rest = others;
      hasBlocking = blocking !== undefined;
      return all;
    }
    // a fresh object per read: the blocking facts stay packed until someone reads them
    if (hasBlocking) return Object.defineProperty({ ...rest }, 'blocking', { enumerable: true, get: () => unpack().blocking });
    return rest;
  };
}

/**
 * A record with a new path, stat and hash that keeps lazy properties lazy (a spread would
 * evaluate them). Returns `record` itself when nothing changed.
 */
export function restat(record: FileRecord, next: Pick<FileRecord, 'path' | 'language' | 'size' | 'mtimeMs' | 'hash'>): FileRecord {
  if (record.path === next.path && record.size === next.size && record.mtimeMs === next.mtimeMs && record.hash === next.hash && record.language === next.language) {
    return record;
  }
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(record)) as FileRecord;
  return Object.assign(copy, next);
}

/** One row to write. `json` and `facts` are `compactJson` output (null for skips). */
export interface CacheRow {
  path: string;
  language: LanguageId | null;
  size: number;
  mtimeMs: number;
  hash: string;
  status: 'ok' | SkipReason;
  json: string | null;
  facts: string | null;
}

interface Row {
  path: string;
  language: string | null;
  size: number;
  mtime_ms: number;
  hash: string;
  status: string;
  record: string | null;
  facts: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    repo_root TEXT NOT NULL,
    path TEXT NOT NULL,
    language TEXT,
    size INTEGER NOT NULL,
    mtime_ms REAL NOT NULL,
    hash TEXT NOT NULL,
    status TEXT NOT NULL,
    record TEXT,
    facts TEXT,
    cache_key TEXT NOT NULL,
    PRIMARY KEY (repo_root, path)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS repos (repo_root TEXT PRIMARY KEY, used_at REAL NOT NULL);
`;
/** Version of the table layout above; another layout is dropped and rebuilt (it is only a cache). */
const SCHEMA_VERSION = '4';
/** Rows per read page / write transaction: small, so one page never holds the event loop long. */
const PAGE = 64;

const UPSERT = `INSERT INTO files (repo_root, path, language, size, mtime_ms, hash, status, record, facts, cache_key)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (repo_root, path) DO UPDATE SET language = excluded.language, size = excluded.size, mtime_ms = excluded.mtime_ms,
    hash = excluded.hash, status = excluded.status, record = excluded.record, facts = excluded.facts, cache_key = excluded.cache_key`;

/** Default size cap of the cache file (`analyzer.cache_max_mb`). */
export const DEFAULT_CACHE_MAX_BYTES = 256 * 1024 * 1024;

/**
 * Create `file` (and the SQLite side files it may have) readable by the owner only. SQLite gives
 * its -wal and -shm files the database file's mode, so a 0600 database keeps them 0600 too.
 */
function ownerOnly(file: string): void {
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      chmodSync(f, 0o600);
    } catch {
      // a side file that does not exist yet is created with the database file's mode
    }
  }
}

function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function openDb(file: string): Database.Database {
  ownerOnly(file);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 10000');
  return db;
}

/**
 * SQLite-backed file cache. Synchronous better-sqlite3 calls are kept short (indexed lookups,
 * small transactions with yields between them) so they do not hold the event loop for long.
 */
export class IndexStore {
  /** Path of the SQLite file, or null for an in-memory cache (which workers cannot write). */
  readonly file: string | null;
  /** The cache key rows are written and read with. */
  readonly key: string;
  private readonly db: Database.Database;
  private readonly selectPage: Database.Statement;
  private readonly upsert: Database.Statement;
  private readonly touchOne: Database.Statement;
  private readonly copyOne: Database.Statement;
  private readonly deleteOne: Database.Statement;
  private readonly selectPaths: Database.Statement;

  /** Size cap of the cache file in bytes. */
  readonly maxBytes: number;

  private constructor(db: Database.Database, file: string | null, maxBytes = DEFAULT_CACHE_MAX_BYTES) {
    this.db = db;
    this.file = file;
    this.maxBytes = maxBytes;
    this.key = cacheKey();
    const version = this.readSchemaVersion();
    if (version !== SCHEMA_VERSION) {
      db.exec('DROP TABLE IF EXISTS files; DROP TABLE IF EXISTS meta; DROP TABLE IF EXISTS repos;');
      // an older layout held file text: reclaim its pages, and let evictions free space from now on
      db.pragma('auto_vacuum = INCREMENTAL');
      db.exec('VACUUM');
      db.exec(SCHEMA);
      db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('schema_version', SCHEMA_VERSION);
    }
    this.selectPage = db.prepare(
      `SELECT path, language, size, mtime_ms, hash, status, record, facts FROM files
       WHERE repo_root = ? AND cache_key = ? AND path > ? ORDER BY path LIMIT ?`,
    );
    this.upsert = db.prepare(UPSERT);
    this.touchOne = db.prepare('UPDATE files SET size = ?, mtime_ms = ? WHERE repo_root = ? AND path = ?');
    this.copyOne = db.prepare(
      `INSERT OR REPLACE INTO files (repo_root, path, language, size, mtime_ms, hash, status, record, facts, cache_key)
       SELECT repo_root, ?, language, ?, ?, hash, status, record, facts, cache_key FROM files WHERE repo_root = ? AND path = ?`,
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
  static async open(dir: string, opts: { maxBytes?: number } = {}): Promise<IndexStore> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // the cache directory is ours: owner only, also when an older version created it 0755
    await chmod(dir, 0o700).catch(() => undefined);
    const file = path.join(dir, CACHE_FILE);
    try {
      return new IndexStore(openDb(file), file, opts.maxBytes);
    } catch (err) {
      throw new Error(`index cache ${file}: ${(err as Error).message}`);
    }
  }

  /** An in-memory cache (lives as long as the process; the main thread writes all its rows). */
  static memory(): IndexStore {
    return new IndexStore(new Database(':memory:'), null);
  }

  /**
   * Every reusable cached file of a repository root (absolute path), keyed by repo-relative path,
   * with symbol sources restored from the stored text. Read in small pages with a macrotask
   * yield between pages, so a large cache does not hold the event loop while it is parsed.
   */
  async loadRepo(root: string, opts: ExpandOptions = {}): Promise<Map<string, CachedFile>> {
    const out = new Map<string, CachedFile>();
    this.db.prepare('INSERT OR REPLACE INTO repos (repo_root, used_at) VALUES (?, ?)').run(root, Date.now());
    let after = '';
    for (;;) {
      const rows = this.selectPage.all(root, this.key, after, PAGE) as Row[];
      // symbol sources come from the files themselves (the cache holds no text)
      const texts = await Promise.all(rows.map((r) => (r.status === 'ok' && r.record !== null ? readIfUnchanged(path.join(root, r.path), r.hash) : null)));
      rows.forEach((r, i) => {
        const base = { path: r.path, size: r.size, mtimeMs: r.mtime_ms, hash: r.hash };
        const text = texts[i];
        if (r.status === 'ok' && text === null) {
          // changed or gone since: parsed again, unless another file has this content
          if (r.record !== null && r.language) {
            out.set(r.path, { ...base, status: 'ok', record: null, detached: { json: r.record, facts: r.facts ?? '{}', language: r.language as LanguageId } });
          }
          return;
        }
        let record: FileRecord | null = null;
        if (r.status === 'ok' && r.record !== null && text !== null && r.language) {
          const ex = expandJson({ json: r.record, facts: r.facts ?? '{}' }, text, opts);
          record = Object.assign(ex, { ...base, language: r.language as LanguageId }) as FileRecord;
        }
        out.set(r.path, { ...base, status: record || r.status !== 'ok' ? (r.status as CachedFile['status']) : 'parse_failed', record });
      });
      if (rows.length < PAGE) return out;
      after = rows[rows.length - 1].path;
      await yieldToLoop();
    }
  }

  /** Insert or replace rows, one small transaction per page with a yield between pages. */
  async putMany(root: string, rows: CacheRow[]): Promise<void> {
    const write = this.db.transaction((page: CacheRow[]) => {
      for (const r of page) this.upsert.run(root, r.path, r.language, r.size, r.mtimeMs, r.hash, r.status, r.json, r.facts, this.key);
    });
    for (let i = 0; i < rows.length; i += PAGE) {
      write(rows.slice(i, i + PAGE));
      if (i + PAGE < rows.length) await yieldToLoop();
    }
  }

  /** Record a new size and mtime for a file whose content hash did not change. */
  touch(root: string, relPath: string, size: number, mtimeMs: number): void {
    this.touchOne.run(size, mtimeMs, root, relPath);
  }

  /** Copy the row of `from` to `to` (a renamed or copied file with the same content). */
  copy(root: string, from: string, to: string, size: number, mtimeMs: number): void {
    this.copyOne.run(to, size, mtimeMs, root, from);
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

  /**
   * Keep the cache file under `maxBytes`: while it is larger, the rows of the least recently
   * indexed repository other than `keepRoot` are deleted and their pages returned to the file
   * system. `keepRoot` (the repository being indexed) is never evicted.
   * @returns the repository roots evicted, oldest first
   */
  enforceCap(keepRoot: string): string[] {
    const evicted: string[] = [];
    const size = (): number => {
      const page = this.db.pragma('page_size', { simple: true }) as number;
      const count = this.db.pragma('page_count', { simple: true }) as number;
      const free = this.db.pragma('freelist_count', { simple: true }) as number;
      return (count - free) * page;
    };
    while (size() > this.maxBytes) {
      const rows = this.db.prepare('SELECT DISTINCT repo_root FROM files').all() as { repo_root: string }[];
      const used = new Map((this.db.prepare('SELECT repo_root, used_at FROM repos').all() as { repo_root: string; used_at: number }[]).map((r) => [r.repo_root, r.used_at]));
      const victim = rows
        .map((r) => r.repo_root)
        .filter((r) => r !== keepRoot)
        .sort((a, b) => (used.get(a) ?? 0) - (used.get(b) ?? 0))[0];
      if (victim === undefined) break;
      this.db.transaction(() => {
        this.db.prepare('DELETE FROM files WHERE repo_root = ?').run(victim);
        this.db.prepare('DELETE FROM repos WHERE repo_root = ?').run(victim);
      })();
      evicted.push(victim);
    }
    if (evicted.length) this.db.pragma('incremental_vacuum');
    return evicted;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** The file's text when its SHA-256 is still `hash`, else null (changed, gone or unreadable). */
async function readIfUnchanged(file: string, hash: string): Promise<string | null> {
  try {
    const buf = await readFile(file);
    return createHash('sha256').update(buf).digest('hex') === hash ? buf.toString('utf8') : null;
  } catch {
    return null;
  }
}

/** Where a parse worker writes the row of the file it parsed. */
export interface CacheTarget {
  /** SQLite file (`IndexStore.file`). */
  file: string;
  root: string;
  key: string;
}

/**
 * The writer a parse worker uses: one connection per cache file, one upsert per parsed file, so
 * the main thread never serialises or inserts parse results.
 */
export class CacheWriter {
  private readonly conns = new Map<string, Database.Statement>();

  /** @throws better-sqlite3 errors (the worker reports them as a cache warning, the parse still counts) */
  write(target: CacheTarget, row: CacheRow): void {
    let stmt = this.conns.get(target.file);
    if (!stmt) {
      stmt = openDb(target.file).prepare(UPSERT);
      this.conns.set(target.file, stmt);
    }
    stmt.run(target.root, row.path, row.language, row.size, row.mtimeMs, row.hash, row.status, row.json, row.facts, target.key);
  }
}
