/**
 * Git churn of a repository from ONE streamed `git log` pass: per-file commit counts in the last
 * 30 and 90 days, last modification and authors, plus the recent commit list. The original asked
 * git once per function (`iter_commits(paths=…)`); this reads the history once per repository.
 */
import { spawn } from 'node:child_process';
import type { CommitInfo, FileChurn, RepoIndex } from './types.ts';

const DAY_MS = 86_400_000;

export interface ChurnOptions {
  /** ms since epoch; injectable for tests. */
  now?: number;
  /** Commits kept in `commits` (newest first) even when older than the window. Default 200. */
  maxCommits?: number;
  /** Days of history counted into per-file churn. Default 90. */
  windowDays?: number;
  signal?: AbortSignal;
}

export interface ChurnResult {
  isGitRepo: boolean;
  /** Keyed by path relative to the scanned root (POSIX). */
  churn: Map<string, FileChurn>;
  /** Newest first: every commit of the window or the last `maxCommits`, whichever is more, capped at `maxCommits`. */
  commits: CommitInfo[];
  /** Why git could not be read (git missing, corrupt repository), when it is not simply "not a repository". */
  error?: string;
}

/** A zero-churn entry: what a file outside git history (or outside any repository) gets. */
export function emptyChurn(): FileChurn {
  return { commits30d: 0, commits90d: 0, lastModified: null, authors: [] };
}

interface RawCommit {
  hash: string;
  date: number;
  author: string;
  authorEmail: string;
  merge: boolean;
  subject: string;
  files: string[];
}

// Record separator before each commit, unit separator between header fields; -z ends the
// header and each file name with NUL, so any file name survives. %aN/%aE honour .mailmap;
// %P (parent hashes) tells a merge commit, which lists no files of its own.
const FORMAT = '--format=%x1e%H%x1f%ct%x1f%aN%x1f%aE%x1f%P%x1f%s';

function parseRecord(rec: string): RawCommit | null {
  const headerEnd = rec.indexOf('\0');
  const header = headerEnd === -1 ? rec : rec.slice(0, headerEnd);
  const [hash, ct, author, authorEmail, parents, ...subject] = header.split('\x1f');
  if (!hash || !ct) return null;
  const files =
    headerEnd === -1
      ? []
      : rec
          .slice(headerEnd + 1)
          .replace(/^\n/, '')
          .split('\0')
          .filter((f) => f.length > 0);
  return { hash, date: Number(ct) * 1000, author: author ?? '', authorEmail: authorEmail ?? '', merge: (parents ?? '').trim().split(/\s+/).length > 1, subject: subject.join('\x1f'), files };
}

/**
 * Read churn for the directory `root` (a repository or a folder inside one; paths come back
 * relative to `root` thanks to `--relative`). Streams `git log --name-only` newest first and
 * stops once both the window and `maxCommits` are covered. Dates are committer dates, which is
 * what `git log` orders by and what the original used (`committed_date`).
 *
 * Not a git repository, or git not installed: `isGitRepo: false` and zero churn. Never throws
 * for git problems (they come back in `error`); rejects only with the abort reason.
 */
export async function computeChurn(root: string, opts: ChurnOptions = {}): Promise<ChurnResult> {
  const now = opts.now ?? Date.now();
  const maxCommits = opts.maxCommits ?? 200;
  const windowStart = now - (opts.windowDays ?? 90) * DAY_MS;
  const start30 = now - 30 * DAY_MS;
  const churn = new Map<string, FileChurn>();
  const commits: CommitInfo[] = [];
  let seen = 0;
  let done = false;

  const take = (c: RawCommit): void => {
    seen++;
    if (seen <= maxCommits) commits.push({ ...c });
    if (c.date >= windowStart) {
      for (const f of c.files) {
        let e = churn.get(f);
        if (!e) {
          e = emptyChurn();
          churn.set(f, e);
        }
        e.commits90d++;
        if (c.date >= start30) e.commits30d++;
        if (e.lastModified === null || c.date > e.lastModified) e.lastModified = c.date;
        if (c.author && !e.authors.includes(c.author)) e.authors.push(c.author);
      }
    } else {
      // Older than the window: the file's last modification is still worth knowing.
      for (const f of c.files) {
        const e = churn.get(f);
        if (e) continue;
        churn.set(f, { ...emptyChurn(), lastModified: c.date, authors: c.author ? [c.author] : [] });
      }
    }
    if (seen >= maxCommits && c.date < windowStart) done = true;
  };

  opts.signal?.throwIfAborted();
  return new Promise<ChurnResult>((resolve, reject) => {
    const child = spawn('git', ['-c', 'core.quotepath=off', 'log', '--relative', '--name-only', '-z', FORMAT, '--', '.'], {
      cwd: root,
      env: { ...process.env, LC_ALL: 'C', GIT_OPTIONAL_LOCKS: '0', GIT_PAGER: 'cat' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buf = '';
    let stderr = '';
    let settled = false;
    const onAbort = (): void => {
      child.kill();
      finish(() => reject(opts.signal?.reason ?? new Error('aborted')));
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const drain = (final: boolean): void => {
      let start = buf.indexOf('\x1e');
      while (start !== -1 && !done) {
        const next = buf.indexOf('\x1e', start + 1);
        if (next === -1 && !final) break;
        const rec = buf.slice(start + 1, next === -1 ? undefined : next);
        const c = parseRecord(rec);
        if (c) take(c);
        buf = next === -1 ? '' : buf.slice(next);
        start = next === -1 ? -1 : 0;
      }
      if (done) {
        buf = '';
        child.stdout.destroy();
        child.kill();
        finish(() => resolve({ isGitRepo: true, churn, commits }));
      }
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (done) return;
      buf += chunk;
      drain(false);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 4000) stderr += chunk;
    });
    child.on('error', (err) => {
      finish(() => resolve({ isGitRepo: false, churn: new Map(), commits: [], error: `git: ${err.message}` }));
    });
    child.on('close', (code) => {
      if (settled) return;
      if (code === 0) {
        drain(true);
        finish(() => resolve({ isGitRepo: true, churn, commits }));
        return;
      }
      if (/not a git repository/i.test(stderr)) {
        finish(() => resolve({ isGitRepo: false, churn: new Map(), commits: [] }));
      } else if (/does not have any commits|bad default revision/i.test(stderr)) {
        finish(() => resolve({ isGitRepo: true, churn: new Map(), commits: [] }));
      } else {
        const msg = stderr.trim().split('\n')[0] || `exit code ${code}`;
        finish(() => resolve({ isGitRepo: false, churn: new Map(), commits: [], error: `git log: ${msg}` }));
      }
    });
  });
}

/**
 * The last `n` commits touching `relPath`, newest first, read from `index.commits` (no git call;
 * only commits in the index's recent list are seen, by default the last 200).
 */
export function lastCommitsForFile(index: RepoIndex, relPath: string, n: number): CommitInfo[] {
  const out: CommitInfo[] = [];
  for (const c of index.commits) {
    if (out.length >= n) break;
    if (c.files.includes(relPath)) out.push(c);
  }
  return out;
}

/** Churn of one file, zero when git never saw it. */
export function churnFor(index: Pick<RepoIndex, 'churn'>, relPath: string): FileChurn {
  return index.churn.get(relPath) ?? emptyChurn();
}
