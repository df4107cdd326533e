/**
 * Repository scanner: which files of a repository the index reads. Honours `.gitignore` at every
 * level, the analyzer's `include_patterns` / `exclude_patterns`, skips dot-directories,
 * dependency and build folders, oversized and empty files, and never follows a symlink out of the
 * repository. Content checks (binary, invalid UTF-8) need the bytes, so they live in
 * `inspectContent`, which the indexer calls when it reads a file anyway.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { LanguageId, SkipReason } from './types.ts';

/**
 * Directory names never descended into, at any depth: dependencies, build output, caches.
 * Virtual environments are recognised by their `pyvenv.cfg` instead of by name, so a package
 * called `venv` (the standard library has one) is still indexed.
 */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set([
  'node_modules',
  'bower_components',
  'jspm_packages',
  'dist',
  'build',
  'out',
  'target',
  '__pycache__',
  '__pypackages__',
  'site-packages',
  'vendor',
  'coverage',
]);

/** Bytes inspected for a NUL when deciding that a file is binary (git uses the same 8000-ish window). */
export const BINARY_SNIFF_BYTES = 8192;

export interface ScanOptions {
  /** Language of a repo-relative POSIX path, or null when unsupported (those files are ignored, not counted). */
  languageFor: (relPath: string) => LanguageId | null;
  /** gitignore-style globs; when non-empty a file must match one of them. */
  include?: string[];
  /** gitignore-style globs of files and directories to leave out. */
  exclude?: string[];
  /** Files larger than this many bytes are skipped as `too_large` (default 1 MiB). */
  maxFileBytes?: number;
  signal?: AbortSignal;
}

/** A file the index should read. */
export interface ScannedFile {
  /** Repo-relative POSIX path. */
  path: string;
  absPath: string;
  language: LanguageId;
  /** Bytes. */
  size: number;
  mtimeMs: number;
}

export interface ScanResult {
  /** Absolute repository root as given (resolved, symlinks kept). */
  root: string;
  /** Sorted by path. */
  files: ScannedFile[];
  skipped: Partial<Record<SkipReason, number>>;
}

/** The repository root is missing or is not a directory. The CLI maps this to exit code 2. */
export class RepoPathError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'RepoPathError';
  }
}

interface IgnoreLevel {
  /** Repo-relative directory of the `.gitignore` ('' at the root). */
  base: string;
  ig: Ignore;
}

interface DirJob {
  rel: string;
  abs: string;
  real: string;
  levels: IgnoreLevel[];
  viaLink: boolean;
  /** Reached through a directory symlink and not yet claimed in `visitedDirs`. */
  pending?: boolean;
}

interface Found extends ScannedFile {
  real: string;
  viaLink: boolean;
}

function count(skipped: Partial<Record<SkipReason, number>>, reason: SkipReason): void {
  skipped[reason] = (skipped[reason] ?? 0) + 1;
}

function isInside(rootReal: string, real: string): boolean {
  return real === rootReal || real.startsWith(rootReal.endsWith(path.sep) ? rootReal : rootReal + path.sep);
}

/**
 * gitignore's verdict on a path: deeper files win, and within a file the last matching rule
 * wins; a negation only re-includes what a shallower level excluded. `unignored` means a
 * `!pattern` rule decided it (the user re-included it on purpose), `null` that no rule matched.
 */
function gitVerdict(rel: string, isDir: boolean, levels: IgnoreLevel[]): 'ignored' | 'unignored' | null {
  let verdict: 'ignored' | 'unignored' | null = null;
  for (const level of levels) {
    const sub = level.base ? rel.slice(level.base.length + 1) : rel;
    if (!sub) continue;
    const t = level.ig.test(isDir ? `${sub}/` : sub);
    if (t.ignored) verdict = 'ignored';
    else if (t.unignored) verdict = 'unignored';
  }
  return verdict;
}

function gitIgnored(rel: string, isDir: boolean, levels: IgnoreLevel[]): boolean {
  return gitVerdict(rel, isDir, levels) === 'ignored';
}

/**
 * A dependency or build folder name (`SKIPPED_DIRS`) is skipped unless a `.gitignore` rule
 * re-includes that folder by negation (`!packages/node_modules/`): then it is the
 * repository's own source, as git itself sees it.
 */
function skippedByName(name: string, rel: string, levels: IgnoreLevel[]): boolean {
  return SKIPPED_DIRS.has(name) && gitVerdict(rel, true, levels) !== 'unignored';
}

async function readGitignore(abs: string): Promise<Ignore | null> {
  try {
    const text = await readFile(path.join(abs, '.gitignore'), 'utf8');
    return ignore().add(text);
  } catch {
    // No .gitignore here (the common case) or an unreadable one: no rules at this level.
    return null;
  }
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason ?? new Error('aborted');
}

/**
 * Check that `root` exists and is a directory.
 * @returns the resolved absolute path
 * @throws RepoPathError when it does not exist or is not a directory
 */
export async function checkRepoRoot(root: string): Promise<string> {
  const abs = path.resolve(root);
  let st: Stats;
  try {
    st = await stat(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new RepoPathError(`${root}: no such directory`);
    throw new RepoPathError(`${root}: cannot be read (${(err as Error).message})`);
  }
  if (!st.isDirectory()) throw new RepoPathError(`${root}: not a directory`);
  return abs;
}

/**
 * Walk a repository and list the source files the index should read, with size and mtime.
 * Directory reads run asynchronously; symlinks are followed only inside the root (realpath
 * check), each real directory is visited once (so symlink loops end), and a file reachable
 * through several links is listed once, preferably under its link-free path.
 *
 * Skips counted in `skipped`: `too_large`, `empty`, `unreadable` (unreadable directories,
 * dangling links, FIFOs and other non-regular files), `symlink_outside`. Ignored and
 * unsupported files are not counted.
 * @throws RepoPathError when `root` is missing or not a directory; the abort reason when `signal` aborts
 */
export async function scanRepository(root: string, opts: ScanOptions): Promise<ScanResult> {
  const absRoot = await checkRepoRoot(root);
  const rootReal = await realpath(absRoot);
  const maxBytes = opts.maxFileBytes ?? 1024 * 1024;
  const include = opts.include?.length ? ignore().add(opts.include) : null;
  const exclude = opts.exclude?.length ? ignore().add(opts.exclude) : null;
  const skipped: Partial<Record<SkipReason, number>> = {};
  const found: Found[] = [];
  const visitedDirs = new Set<string>([rootReal]);

  // Link-free directories first, linked ones after: a file reachable both ways keeps its real path.
  const queue: DirJob[] = [{ rel: '', abs: absRoot, real: rootReal, levels: [], viaLink: false }];
  const linkedQueue: DirJob[] = [];

  const visitFile = async (rel: string, abs: string, real: string, viaLink: boolean, st: Stats | null): Promise<void> => {
    const language = opts.languageFor(rel);
    if (!language) return;
    if (include && !include.ignores(rel)) return;
    if (exclude?.ignores(rel)) return;
    let s = st;
    if (!s) {
      try {
        s = await stat(abs);
      } catch {
        count(skipped, 'unreadable');
        return;
      }
    }
    if (!s.isFile()) {
      count(skipped, 'unreadable');
      return;
    }
    if (s.size === 0) return count(skipped, 'empty');
    if (s.size > maxBytes) return count(skipped, 'too_large');
    found.push({ path: rel, absPath: abs, language, size: s.size, mtimeMs: s.mtimeMs, real, viaLink });
  };

  const visitDir = async (job: DirJob): Promise<void> => {
    let entries;
    try {
      entries = await readdir(job.abs, { withFileTypes: true });
    } catch {
      count(skipped, 'unreadable');
      return;
    }
    // A Python virtual environment (any name): third-party code, not the repository's.
    if (job.rel && entries.some((e) => e.name === 'pyvenv.cfg')) return;
    let levels = job.levels;
    if (entries.some((e) => e.name === '.gitignore' && !e.isDirectory())) {
      const ig = await readGitignore(job.abs);
      if (ig) levels = [...levels, { base: job.rel, ig }];
    }
    const tasks: Promise<void>[] = [];
    for (const entry of entries) {
      const name = entry.name;
      const rel = job.rel ? `${job.rel}/${name}` : name;
      const abs = path.join(job.abs, name);
      if (entry.isDirectory()) {
        if (name.startsWith('.') || skippedByName(name, rel, levels)) continue;
        if (gitIgnored(rel, true, levels) || exclude?.ignores(`${rel}/`)) continue;
        const real = path.join(job.real, name);
        if (visitedDirs.has(real)) continue;
        visitedDirs.add(real);
        queue.push({ rel, abs, real, levels, viaLink: job.viaLink });
      } else if (entry.isFile()) {
        if (gitIgnored(rel, false, levels)) continue;
        tasks.push(visitFile(rel, abs, path.join(job.real, name), job.viaLink, null));
      } else if (entry.isSymbolicLink()) {
        tasks.push(visitLink(job, levels, name, rel, abs));
      } else if (opts.languageFor(rel) && !gitIgnored(rel, false, levels)) {
        // FIFO, socket or device with a source extension: reading it could block forever.
        count(skipped, 'unreadable');
      }
    }
    await Promise.all(tasks);
  };

  const visitLink = async (job: DirJob, levels: IgnoreLevel[], name: string, rel: string, abs: string): Promise<void> => {
    let real: string;
    let st: Stats;
    try {
      real = await realpath(abs);
      st = await stat(real);
    } catch {
      // Dangling link or a loop the OS refuses to resolve (ELOOP).
      if (opts.languageFor(rel) && !gitIgnored(rel, false, levels)) count(skipped, 'unreadable');
      return;
    }
    if (st.isDirectory()) {
      if (name.startsWith('.') || skippedByName(name, rel, levels)) return;
      if (gitIgnored(rel, true, levels) || exclude?.ignores(`${rel}/`)) return;
      if (!isInside(rootReal, real)) return count(skipped, 'symlink_outside');
      if (visitedDirs.has(real)) return;
      linkedQueue.push({ rel, abs, real, levels, viaLink: true, pending: true });
      return;
    }
    if (!opts.languageFor(rel) || gitIgnored(rel, false, levels)) return;
    if (!isInside(rootReal, real)) return count(skipped, 'symlink_outside');
    await visitFile(rel, abs, real, true, st);
  };

  while (queue.length > 0 || linkedQueue.length > 0) {
    throwIfAborted(opts.signal);
    const job = queue.length > 0 ? queue.shift()! : linkedQueue.shift()!;
    if (job.pending) {
      // A linked directory is claimed when its turn comes: its real path may have been walked meanwhile.
      if (visitedDirs.has(job.real)) continue;
      visitedDirs.add(job.real);
    }
    await visitDir(job);
  }

  // One entry per real file: prefer the link-free path, then the shortest, then alphabetical.
  const byReal = new Map<string, Found>();
  for (const f of found) {
    const prev = byReal.get(f.real);
    if (!prev || better(f, prev)) byReal.set(f.real, f);
  }
  const files: ScannedFile[] = [...byReal.values()]
    .map(({ real: _real, viaLink: _viaLink, ...rest }) => rest)
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { root: absRoot, files, skipped };
}

function better(a: Found, b: Found): boolean {
  if (a.viaLink !== b.viaLink) return !a.viaLink;
  if (a.path.length !== b.path.length) return a.path.length < b.path.length;
  return a.path < b.path;
}

/** Verdict on a file's bytes: `null` when it is UTF-8 text the parser can read. */
export type ContentVerdict = 'binary' | 'empty' | 'invalid_utf8' | null;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decide whether file content is indexable: `binary` when a NUL byte appears in the first
 * `BINARY_SNIFF_BYTES` (git's heuristic), `invalid_utf8` when it does not decode as UTF-8.
 * @returns the decoded text (BOM removed) or the skip reason
 */
export function inspectContent(buf: Uint8Array): { text: string } | { skip: Exclude<ContentVerdict, null> } {
  if (buf.length === 0) return { skip: 'empty' };
  const sniff = buf.subarray(0, BINARY_SNIFF_BYTES);
  if (sniff.includes(0)) return { skip: 'binary' };
  try {
    // TextDecoder drops a leading BOM by default (ignoreBOM: false).
    return { text: utf8.decode(buf) };
  } catch {
    return { skip: 'invalid_utf8' };
  }
}
