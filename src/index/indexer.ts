/**
 * The code index of a repository: scan → (cache hit | read → parse on workers) → churn, giving a
 * `RepoIndex`. `indexRepository` is the one-shot form (`codeworm analyze`); `CodeIndex` is the
 * warm form the daemon keeps, which re-stats files and re-parses only what changed.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import type { AnalyzerSchema } from '../config/schema.ts';
import { computeChurn, type ChurnResult } from './churn.ts';
import { languageForPath, type FileExtraction } from './extract.ts';
import { ParsePool } from './pool.ts';
import { inspectContent, scanRepository, type ScannedFile } from './scan.ts';
import { expandJson, IndexStore, restat, type CacheRow, type CachedFile, type ExpandOptions } from './store.ts';
import type { FileRecord, LanguageId, RepoIndex, SkipReason } from './types.ts';
import { readEntryPoints } from '../analysis/entry-points.ts';

export { RepoPathError } from './scan.ts';

type AnalyzerSettings = z.infer<typeof AnalyzerSchema>;

export interface IndexOptions {
  /** Include/exclude globs and the size limit (`settings.analyzer`); defaults when absent. */
  /** `include_patterns` is not applied here: it narrows targets (see `scope.ts`), not the index. */
  analyzer?: Partial<Pick<AnalyzerSettings, 'include_patterns' | 'exclude_patterns' | 'max_file_bytes' | 'parse_workers'>>;
  /** The SQLite cache; null or absent = no cache (everything is parsed). */
  store?: IndexStore | null;
  /** A pool to parse on; when absent one is started for this call and closed after it. */
  pool?: ParsePool;
  /** Called after each file is resolved (from cache, parsed or skipped): (done, total). */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** ms since epoch for the churn windows; default now. */
  now?: number;
  /** Read git churn (default true). */
  churn?: boolean;
}

/** Internal: what a warm index passes between runs instead of loading the SQLite cache. */
interface RunState {
  previous?: Map<string, CachedFile>;
  churn?: ChurnResult;
  /** Keep large facts and file texts deflated in memory (the daemon's long-lived index; see `expandJson`). */
  packFacts?: boolean;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new Error('indexing aborted');
}

function sha256(buf: Uint8Array): string {
  return createHash('sha256').update(buf).digest('hex');
}

/**
 * A cached record under the current path and stat (it may come from a renamed copy). A detached
 * record (its file gone, see `CachedFile.detached`) gets its sources from `text`, the content of
 * the file that has its hash.
 */
function reuse(c: CachedFile, f: ScannedFile, hash = c.hash, text?: string, expandOpts: ExpandOptions = {}): CachedFile {
  const stat = { path: f.path, language: f.language, size: f.size, mtimeMs: f.mtimeMs, hash };
  let record = c.record ? restat(c.record, stat) : null;
  if (!record && c.detached && text !== undefined) record = Object.assign(expandJson(c.detached, text, expandOpts), stat) as FileRecord;
  return { path: f.path, size: f.size, mtimeMs: f.mtimeMs, hash, status: c.status, record };
}

async function runIndex(root: string, opts: IndexOptions, state: RunState): Promise<{ index: RepoIndex; files: Map<string, CachedFile>; churn: ChurnResult }> {
  const started = performance.now();
  const signal = opts.signal;
  signal?.throwIfAborted();
  const analyzer = opts.analyzer ?? {};
  const maxBytes = analyzer.max_file_bytes ?? 1024 * 1024;
  const scan = await scanRepository(root, {
    languageFor: languageForPath,
    exclude: analyzer.exclude_patterns,
    maxFileBytes: maxBytes,
    signal,
  });
  const absRoot = scan.root;
  const churnPromise: Promise<ChurnResult> =
    state.churn !== undefined
      ? Promise.resolve(state.churn)
      : opts.churn === false
        ? Promise.resolve({ isGitRepo: false, churn: new Map(), commits: [] })
        : computeChurn(absRoot, { now: opts.now, signal });
  // Keep a rejection from surfacing as unhandled while the files are being read.
  churnPromise.catch(() => undefined);

  const packFacts = state.packFacts ?? false;
  // the daemon's long-lived index: facts and texts deflated, repeated names shared (this run's table)
  const expandOpts: ExpandOptions = packFacts ? { packFacts, packSources: true, intern: new Map() } : {};
  const previous = state.previous ?? (opts.store ? await opts.store.loadRepo(absRoot, expandOpts) : new Map<string, CachedFile>());
  const byHash = new Map<string, CachedFile>();
  for (const c of previous.values()) if (c.hash && c.status === 'ok') byHash.set(c.hash, c);

  const skipped: Partial<Record<SkipReason, number>> = { ...scan.skipped };
  const warnings: string[] = [];
  const result = new Map<string, CachedFile>();
  // Rows the main thread writes: skips always; parsed files only for an in-memory store
  // (a file-backed store gets them from the workers).
  const rows: CacheRow[] = [];
  const store = opts.store ?? null;
  const total = scan.files.length;
  let done = 0;
  let parsed = 0;
  const settle = (c: CachedFile): void => {
    result.set(c.path, c);
    done++;
    opts.onProgress?.(done, total);
  };
  const skipRow = (f: ScannedFile, hash: string, status: SkipReason): void => {
    settle({ path: f.path, size: f.size, mtimeMs: f.mtimeMs, hash, status, record: null });
    rows.push({ path: f.path, language: f.language, size: f.size, mtimeMs: f.mtimeMs, hash, status, json: null, facts: null });
  };

  const ownPool = opts.pool ? null : new ParsePool({ size: analyzer.parse_workers });
  const pool = opts.pool ?? ownPool!;
  const toRead: ScannedFile[] = [];
  for (const f of scan.files) {
    const c = previous.get(f.path);
    if (c && c.size === f.size && c.mtimeMs === f.mtimeMs && !c.detached) settle(reuse(c, f));
    else toRead.push(f);
  }

  const readOne = async (scanned: ScannedFile): Promise<void> => {
    let buf: Buffer;
    try {
      buf = await readFile(scanned.absPath);
    } catch (err) {
      skipped.unreadable = (skipped.unreadable ?? 0) + 1;
      warnings.push(`${scanned.path}: unreadable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      done++;
      opts.onProgress?.(done, total);
      return;
    }
    const f: ScannedFile = { ...scanned, size: buf.length };
    if (buf.length > maxBytes) {
      // Grew between the scan and the read.
      skipped.too_large = (skipped.too_large ?? 0) + 1;
      done++;
      opts.onProgress?.(done, total);
      return;
    }
    const hash = sha256(buf);
    const cached = previous.get(f.path);
    if (cached && cached.hash === hash) {
      // Touched, not changed.
      store?.touch(absRoot, f.path, f.size, f.mtimeMs);
      return settle(reuse(cached, f, hash, cached.detached ? buf.toString('utf8') : undefined, expandOpts));
    }
    const twin = byHash.get(hash);
    if (twin) {
      // Renamed or copied: same content, same extraction.
      store?.copy(absRoot, twin.path, f.path, f.size, f.mtimeMs);
      return settle(reuse(twin, f, hash, twin.detached ? buf.toString('utf8') : undefined, expandOpts));
    }
    const verdict = inspectContent(buf);
    // Remembered (and counted below) so a warm run does not read the file again.
    if ('skip' in verdict) return skipRow(f, hash, verdict.skip);
    const text = verdict.text;
    const cache = store?.file ? { file: store.file, root: absRoot, key: store.key, size: f.size, mtimeMs: f.mtimeMs, hash } : undefined;
    const res = await pool.parse({ path: f.path, language: f.language, source: text, cache });
    if (signal?.aborted) return;
    parsed++;
    if (!res.ok) {
      warnings.push(`parse failed: ${res.error}`);
      return skipRow(f, hash, 'parse_failed');
    }
    for (const e of res.factErrors) warnings.push(`${f.path}: fact collector ${e}`);
    for (const e of res.factPartial ?? []) warnings.push(`${f.path}: fact collector ${e}`);
    if (res.cacheError) warnings.push(res.cacheError);
    const record = Object.assign(expandJson(res.data, text, expandOpts), { path: f.path, language: f.language, size: f.size, mtimeMs: f.mtimeMs, hash }) as FileRecord;
    if (store && !cache) {
      rows.push({ path: f.path, language: f.language, size: f.size, mtimeMs: f.mtimeMs, hash, status: 'ok', json: res.data.json, facts: res.data.facts });
    }
    settle({ path: f.path, size: f.size, mtimeMs: f.mtimeMs, hash, status: 'ok', record });
  };

  try {
    // Bounded lanes: enough reads in flight to keep every worker busy, without holding every source in memory.
    const lanes = Math.max(8, pool.size * 4);
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < toRead.length) {
        if (signal?.aborted) return;
        await readOne(toRead[next++]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(lanes, toRead.length) }, lane));
    if (signal?.aborted) throw abortReason(signal);
    if (pool.broken) throw pool.broken;
  } finally {
    if (ownPool) await ownPool.close();
  }

  // Content skips are counted from the results, cached or not, so a warm run reports what a cold one did.
  for (const c of result.values()) {
    if (c.status !== 'ok') skipped[c.status] = (skipped[c.status] ?? 0) + 1;
  }

  const churn = await churnPromise;
  if (churn.error) warnings.push(churn.error);
  if (store) {
    await store.putMany(absRoot, rows);
    store.retainOnly(absRoot, new Set(result.keys()));
    for (const gone of store.enforceCap(absRoot)) warnings.push(`index cache over its size cap: evicted ${gone}`);
  }

  const files = [...result.values()]
    .filter((c): c is CachedFile & { record: FileRecord } => c.status === 'ok' && c.record !== null)
    .map((c) => c.record)
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const index: RepoIndex = {
    root: absRoot,
    files,
    churn: churn.churn,
    commits: churn.commits,
    isGitRepo: churn.isGitRepo,
    skipped,
    parsed,
    durationMs: Math.round(performance.now() - started),
    warnings,
    // packaging and service files are read each run: they are small and not in the file cache
    entryPoints: await readEntryPoints(absRoot, files, churn.isGitRepo),
  };
  return { index, files: result, churn };
}

/**
 * Index one repository: scan, reuse cached files whose size and mtime (or content hash) are
 * unchanged, parse the rest on worker threads, read churn with one `git log` pass.
 * @param root repository directory (absolute or relative to the cwd)
 * @returns the index; `parsed` is 0 when every file came from the cache
 * @throws RepoPathError (exitCode 2) when `root` is missing or not a directory; the abort reason
 *   when `opts.signal` aborts; an Error when parse workers cannot start at all
 */
export async function indexRepository(root: string, opts: IndexOptions = {}): Promise<RepoIndex> {
  return (await runIndex(root, opts, {})).index;
}

export interface CodeIndexOptions {
  /** The SQLite cache used on first sight of a repository and written after each run; null = memory only. */
  store?: IndexStore | null;
  /** Parse worker count (default min(cores, 4)). */
  poolSize?: number;
  /** Replace a parse worker that grew past this many MB (see `PoolOptions.recycleAboveMb`); default never. */
  recycleAboveMb?: number;
  /** Cap of each parse worker's V8 young generation in MB (see `PoolOptions.youngGenerationMb`); default V8's. */
  youngGenerationMb?: number;
  /** Churn is re-read after this many ms, or sooner when files changed. Default 5 minutes. */
  churnTtlMs?: number;
}

interface WarmRepo {
  files: Map<string, CachedFile>;
  churn: ChurnResult;
  churnAt: number;
}

/**
 * A warm code index shared across documentation cycles. `get(root)` re-stats the repository and
 * re-parses only new or changed files; churn is re-read when files changed or after
 * `churnTtlMs`. Calls for the same root are serialised. One worker pool serves every call.
 */
export class CodeIndex {
  private readonly store: IndexStore | null;
  private readonly pool: ParsePool;
  private readonly churnTtlMs: number;
  private readonly repos = new Map<string, WarmRepo>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private closed = false;

  constructor(opts: CodeIndexOptions = {}) {
    this.store = opts.store ?? null;
    // Lower-priority parse threads: the daemon's dashboard shares this process.
    this.pool = new ParsePool({ size: opts.poolSize, nice: 10, recycleAboveMb: opts.recycleAboveMb ?? 0, youngGenerationMb: opts.youngGenerationMb ?? 0 });
    this.churnTtlMs = opts.churnTtlMs ?? 5 * 60_000;
  }

  /**
   * The up-to-date index of `root`.
   * @throws RepoPathError when `root` is missing or not a directory; the abort reason on abort
   */
  async get(root: string, opts: Omit<IndexOptions, 'store' | 'pool'> = {}): Promise<RepoIndex> {
    if (this.closed) throw new Error('CodeIndex is closed');
    const key = path.resolve(root);
    const prev = this.locks.get(key) ?? Promise.resolve();
    const run = prev.catch(() => undefined).then(() => this.refresh(key, opts));
    this.locks.set(key, run);
    try {
      return await run;
    } finally {
      if (this.locks.get(key) === run) this.locks.delete(key);
    }
  }

  private async refresh(root: string, opts: Omit<IndexOptions, 'store' | 'pool'>): Promise<RepoIndex> {
    const warm = this.repos.get(root);
    const now = opts.now ?? Date.now();
    const fresh = warm && now - warm.churnAt < this.churnTtlMs ? warm.churn : undefined;
    let out: Awaited<ReturnType<typeof runIndex>>;
    try {
      out = await runIndex(root, { ...opts, store: this.store, pool: this.pool }, { previous: warm?.files, churn: fresh, packFacts: true });
    } finally {
      // the cycle that follows parses nothing: its workers' memory is better returned now
      // (a worker still parsing another repository's file is left alone)
      this.pool.stopIdle();
    }
    let { churn } = out;
    if (fresh && out.index.parsed > 0 && opts.churn !== false) {
      // Files changed (a pull, a commit): history probably did too.
      churn = await computeChurn(out.index.root, { now, signal: opts.signal });
      Object.assign(out.index, { churn: churn.churn, commits: churn.commits, isGitRepo: churn.isGitRepo });
    }
    this.repos.set(root, { files: out.files, churn, churnAt: fresh ? warm!.churnAt : now });
    return out.index;
  }

  /**
   * Symbols, imports and figures of `source` parsed as `language` (as `extractSource` gives them),
   * on this index's parse threads: the tree-sitter runtime's memory grows to fit the largest tree
   * it parsed and never shrinks, and checking a large class's page left a 33 MB runtime in the
   * daemon's main thread (issue 14); a parse thread is replaced when it grows.
   * @throws Error naming the language when the source cannot be parsed; when the index is closed
   */
  async extract(language: LanguageId, source: string): Promise<FileExtraction> {
    const res = await this.pool.parse({ path: `(${language} source)`, language, source, extractOnly: true });
    if (!res.ok) throw new Error(res.error);
    return JSON.parse(res.data.json) as FileExtraction;
  }

  /** Parse worker threads alive now (0 between index runs: they stop when a run ends). */
  get parseWorkers(): number {
    return this.pool.running;
  }

  /** Stop the workers and close the cache. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.close();
    this.store?.close();
  }
}
