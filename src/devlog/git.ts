/**
 * The DevLog git repository (SPEC section 11, git part), through `simple-git` (the real git
 * CLI): create it with its folders, write a page and commit it (never overwriting, never
 * leaving a half state), heal a stale `index.lock` (by its owner) and a detached HEAD, and push
 * without force (rebasing its own commits onto a remote that moved on), retrying transient
 * network errors and reporting rejections as such.
 */
import { link, mkdir, open, readdir, readFile, readlink, realpath, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import type { Settings } from '../config/schema.ts';
import { DEVLOG_FOLDERS, DOC_TYPE_INFO } from '../core/doctypes.ts';
import { crashPoint } from '../daemon/crash-point.ts';
import { parseIdentity } from './identity.ts';
import { withSuffix } from './paths.ts';
import { readRegularFile } from './safe-read.ts';

/** pino-compatible subset, so a pino logger can be passed as is. */
export interface DevLogLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

const silentLogger: DevLogLogger = { info: () => {}, warn: () => {} };

export interface DevLogRepoOptions {
  /** DevLog working tree (absolute or relative to the cwd). */
  repoPath: string;
  /** `devlog.remote`: a remote name of the repository, or a URL/path (managed as `origin`). */
  remote?: string;
  /** `devlog.branch`, default `main`. */
  branch?: string;
  authorName?: string;
  authorEmail?: string;
  /** A lock older than this is stale and removed (SPEC section 11: 60 s). */
  staleLockMs?: number;
  /** How long to wait for a fresh lock to go away before failing. */
  lockWaitMs?: number;
  lockPollMs?: number;
  /** Retries after the first push attempt on transient network errors (default 3). */
  pushRetries?: number;
  /** First retry delay; doubles each retry (default 2000 ms). */
  pushBackoffMs?: number;
  /** A push silent for this long is killed (default 120 s). */
  pushTimeoutMs?: number;
  logger?: DevLogLogger;
}

export type PushStatus = 'pushed' | 'skipped' | 'rejected' | 'failed';

export interface PushResult {
  /** `rejected`: the remote refused (hook, secret scanning, protection, lease); not retried.
   *  `failed`: unreachable or another error after the retries. `skipped`: no remote. */
  status: PushStatus;
  message: string;
  attempts: number;
  /** Local commits rebased onto the remote's new commits: old → new full hash. */
  rewritten?: Map<string, string>;
}

export interface EnsureResult {
  /** The repository was created by this call. */
  created: boolean;
  /** Folders or README added and committed by this call. */
  added: string[];
  /** Uncommitted CodeWorm pages (from an interrupted write) removed. */
  abandonedPages: string[];
  /** What was done about a detached HEAD, if one was found. */
  detached: DetachedRecovery | null;
  /** Why `devlog.remote` cannot be used (pushes will fail with this), or null. */
  remoteError: string | null;
}

export interface DetachedRecovery {
  /** `fast-forward`: the branch moved to the detached commit; `contained`: the branch already
   *  had it; `rescued`: the histories diverged, the detached commit kept on `rescueBranch`. */
  action: 'fast-forward' | 'contained' | 'rescued' | 'created';
  commit: string;
  rescueBranch?: string;
}

/** A git operation on the DevLog that failed; the message names the repository and the step. */
export class DevLogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DevLogError';
  }
}

/** Identity used when neither the settings nor git config name an author. */
export const DEFAULT_AUTHOR = { name: 'CodeWorm', email: 'codeworm@localhost' };

/**
 * Classify a failed push from git's stderr.
 * - `rejected`: the remote answered and refused: `[remote rejected]`, `pre-receive hook
 *   declined`, GitHub's `GH013` rule violations (secret scanning, push protection), protected
 *   branches, `non-fast-forward`, a `stale info` lease failure, `fetch first`.
 * - `transient`: the remote could not be reached or the connection broke (DNS, refused,
 *   timeout, hung up, HTTP 5xx, early EOF): worth retrying.
 * - `fatal`: anything else (authentication, a missing repository): not retried.
 */
export function classifyPushError(stderr: string): 'rejected' | 'transient' | 'fatal' {
  const s = stderr.toLowerCase();
  const rejected = [
    '[remote rejected]',
    '[rejected]',
    'hook declined',
    'gh013',
    'gh006',
    'protected branch',
    'push declined',
    'non-fast-forward',
    'stale info',
    'fetch first',
    'secret scanning',
    'push protection',
  ];
  if (rejected.some((k) => s.includes(k))) return 'rejected';
  const transient = [
    'could not resolve host',
    'could not resolve hostname',
    'connection refused',
    'connection timed out',
    'connection reset',
    'operation timed out',
    'timed out',
    'network is unreachable',
    'no route to host',
    'failed to connect',
    'the remote end hung up unexpectedly',
    'early eof',
    'rpc failed',
    'could not read from remote repository',
    'temporary failure',
    'unable to access',
    'ssl_error',
    'gnutls',
    'http 502',
    'http 503',
    'http 504',
    'error: 502',
    'error: 503',
    'broken pipe',
    'block timeout', // simple-git's timeout plugin: the push went silent
  ];
  if (transient.some((k) => s.includes(k))) return 'transient';
  return 'fatal';
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function errText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).trim();
}

const README = `# DevLog

Pages written by CodeWorm about source code: function and class docs, file and module
overviews, security, performance and async reviews, TIL notes, code evolution, design
patterns, weekly and monthly summaries.

Each folder holds one kind of page; file names are \`YYYY-MM-DD_<name>.md\`.
`;

/** The DevLog repository. Operations on one instance run one at a time. */
export class DevLogRepo {
  readonly root: string;
  readonly branch: string;
  private readonly opts: Required<Omit<DevLogRepoOptions, 'authorName' | 'authorEmail' | 'remote' | 'logger'>> & {
    remote: string;
    authorName?: string;
    authorEmail?: string;
  };
  private readonly log: DevLogLogger;
  private queue: Promise<unknown> = Promise.resolve();
  private gitDir: string | null = null;

  constructor(options: DevLogRepoOptions) {
    this.root = path.resolve(options.repoPath);
    this.branch = options.branch || 'main';
    this.log = options.logger ?? silentLogger;
    this.opts = {
      repoPath: this.root,
      remote: options.remote ?? '',
      branch: this.branch,
      authorName: options.authorName || undefined,
      authorEmail: options.authorEmail || undefined,
      staleLockMs: options.staleLockMs ?? 60_000,
      lockWaitMs: options.lockWaitMs ?? 15_000,
      lockPollMs: options.lockPollMs ?? 200,
      pushRetries: options.pushRetries ?? 3,
      pushBackoffMs: options.pushBackoffMs ?? 2_000,
      pushTimeoutMs: options.pushTimeoutMs ?? 120_000,
    };
  }

  /** Options from `settings.devlog` (repo_path, remote, branch, author_name, author_email). */
  static fromSettings(settings: Settings, extra: Partial<DevLogRepoOptions> = {}): DevLogRepo {
    const d = settings.devlog;
    return new DevLogRepo({
      repoPath: d.repo_path,
      remote: d.remote,
      branch: d.branch,
      authorName: d.author_name,
      authorEmail: d.author_email,
      ...extra,
    });
  }

  private git(config: string[] = [], timeoutMs?: number): SimpleGit {
    return simpleGit({
      baseDir: this.root,
      config,
      maxConcurrentProcesses: 1,
      ...(timeoutMs ? { timeout: { block: timeoutMs } } : {}),
    });
  }

  /** Run `fn` after every earlier operation of this instance has finished. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** True when `repoPath` exists and is the root of a git repository. */
  isRepository(): Promise<boolean> {
    return this.serial(() => this.isRepoRoot());
  }

  private async isRepoRoot(): Promise<boolean> {
    try {
      await stat(this.root);
    } catch {
      return false;
    }
    try {
      const top = (await this.git().raw(['rev-parse', '--show-toplevel'])).trim();
      return top !== '' && path.resolve(top) === (await realpath(this.root));
    } catch {
      return false;
    }
  }

  private async resolveGitDir(): Promise<string> {
    if (!this.gitDir) this.gitDir = (await this.git().raw(['rev-parse', '--absolute-git-dir'])).trim();
    return this.gitDir;
  }

  /**
   * Create the repository, its folders (with `.gitkeep`) and a README when missing, on
   * `devlog.branch`; remove uncommitted CodeWorm pages left by an interrupted write; recover
   * a detached HEAD; make `origin` point at `devlog.remote` when that is a URL or path.
   * @throws DevLogError when git fails (the message says which step).
   */
  ensure(): Promise<EnsureResult> {
    return this.serial(async () => {
      const result: EnsureResult = { created: false, added: [], abandonedPages: [], detached: null, remoteError: null };
      await mkdir(this.root, { recursive: true });
      if (!(await this.isRepoRoot())) {
        await this.step('git init', () => this.git().raw(['init', '-q', `--initial-branch=${this.branch}`]));
        result.created = true;
      }
      this.gitDir = null;
      await this.clearIndexLock();
      await this.checkNoOperationInProgress();
      const headRef = (await this.git().raw(['symbolic-ref', '-q', 'HEAD'])).trim();
      const hasCommits = (await this.git().raw(['rev-parse', '--verify', '-q', 'HEAD'])).trim() !== '';
      if (!hasCommits && headRef !== `refs/heads/${this.branch}`) {
        await this.step('set the branch', () => this.git().raw(['symbolic-ref', 'HEAD', `refs/heads/${this.branch}`]));
      } else if (headRef === '') {
        result.detached = await this.recoverDetached();
      } else if (headRef !== `refs/heads/${this.branch}`) {
        await this.switchToBranch();
      }
      result.abandonedPages = await this.removeUncommittedPages();

      const added: string[] = [];
      const readme = path.join(this.root, 'README.md');
      if (!(await exists(readme))) {
        await writeFile(readme, README, 'utf8');
        added.push('README.md');
      }
      for (const folder of DEVLOG_FOLDERS) {
        const keep = path.join(this.root, folder, '.gitkeep');
        if (await exists(path.join(this.root, folder))) continue;
        await mkdir(path.dirname(keep), { recursive: true });
        await writeFile(keep, '', 'utf8');
        added.push(`${folder}/.gitkeep`);
      }
      if (added.length > 0) {
        await this.commitPaths(added, result.created ? 'Initialize DevLog' : 'Add DevLog folders');
        result.added = added;
      }
      try {
        await this.ensureRemote();
      } catch (err) {
        // a bad remote must not stop local work: pages are committed, push() reports it
        result.remoteError = errText(err);
        this.log.warn({ remote: this.opts.remote, error: result.remoteError }, 'devlog: remote not usable');
      }
      return result;
    });
  }

  /** Switch an attached HEAD on another branch to `devlog.branch` (created at HEAD if absent). */
  private async switchToBranch(): Promise<void> {
    const exists = (await this.git().raw(['rev-parse', '--verify', '-q', `refs/heads/${this.branch}`])).trim() !== '';
    const args = exists ? ['checkout', '-q', this.branch] : ['checkout', '-q', '-b', this.branch];
    await this.step(`switch to branch ${this.branch}`, () => this.git().raw(args));
    this.log.info({ branch: this.branch, created: !exists }, 'devlog: switched to the configured branch');
  }

  /**
   * Bring a detached HEAD back onto `devlog.branch` without losing a commit: fast-forward the
   * branch when it is an ancestor of HEAD, check it out when it already contains HEAD, and
   * otherwise keep HEAD on a `codeworm-rescue-<hash>` branch before checking the branch out.
   */
  private async recoverDetached(): Promise<DetachedRecovery> {
    const head = (await this.git().raw(['rev-parse', 'HEAD'])).trim();
    const short = head.slice(0, 7);
    const branchRef = `refs/heads/${this.branch}`;
    const branchTip = (await this.git().raw(['rev-parse', '--verify', '-q', branchRef])).trim();
    let recovery: DetachedRecovery;
    if (branchTip === '') {
      await this.step('recover detached HEAD', () => this.git().raw(['checkout', '-q', '-b', this.branch]));
      recovery = { action: 'created', commit: short };
    } else if (await this.isAncestor(branchTip, head)) {
      await this.step('recover detached HEAD', () => this.git().raw(['checkout', '-q', '-B', this.branch, head]));
      recovery = { action: 'fast-forward', commit: short };
    } else if (await this.isAncestor(head, branchTip)) {
      await this.step('recover detached HEAD', () => this.git().raw(['checkout', '-q', this.branch]));
      recovery = { action: 'contained', commit: short };
    } else {
      const rescueBranch = `codeworm-rescue-${short}`;
      await this.step('keep detached commits', () => this.git().raw(['branch', '-f', rescueBranch, head]));
      await this.step('recover detached HEAD', () => this.git().raw(['checkout', '-q', this.branch]));
      recovery = { action: 'rescued', commit: short, rescueBranch };
    }
    this.log.warn({ ...recovery, branch: this.branch }, 'devlog: detached HEAD recovered');
    return recovery;
  }

  private async isAncestor(a: string, b: string): Promise<boolean> {
    // merge-base --is-ancestor answers by exit code only; compare merge-base output instead
    const base = (await this.git().raw(['merge-base', a, b]).catch(() => '')).trim();
    return base === (await this.git().raw(['rev-parse', a])).trim();
  }

  /**
   * Deal with a git `index.lock`: it belongs to a live git process working in this repository
   * (found in `/proc` by its working directory), which is waited for up to `lockWaitMs`, or to
   * none, which means a git process died holding it: removed at once, whatever its age. Where
   * `/proc` cannot tell, a lock older than `staleLockMs` is taken for stale.
   * @returns true when a stale lock was removed.
   * @throws DevLogError when a live git process still holds it after the wait.
   */
  private async clearIndexLock(): Promise<boolean> {
    const lock = path.join(await this.resolveGitDir(), 'index.lock');
    const started = Date.now();
    for (;;) {
      let mtimeMs: number;
      try {
        mtimeMs = (await stat(lock)).mtimeMs;
      } catch {
        return false;
      }
      const age = Date.now() - mtimeMs;
      const owner = await gitProcessIn(this.root);
      if (owner === null || (owner === undefined && age > this.opts.staleLockMs)) {
        await unlink(lock).catch(() => undefined); // another process may have removed it meanwhile
        this.log.warn({ lock, ageSeconds: Math.round(age / 1000) }, 'devlog: removed a stale git index.lock (no git process holds it)');
        return true;
      }
      if (Date.now() - started >= this.opts.lockWaitMs) {
        const who = owner ? `git process pid ${owner}` : `another git process (age ${Math.round(age / 1000)} s, stale after ${Math.round(this.opts.staleLockMs / 1000)} s)`;
        throw new DevLogError(`${lock} is held by ${who}; try again later`);
      }
      await sleep(this.opts.lockPollMs);
    }
  }

  /** Author and committer: settings, else git config, else DEFAULT_AUTHOR. */
  async identity(): Promise<{ name: string; email: string }> {
    const fromConfig = async (key: string) => (await this.git().raw(['config', '--get', key]).catch(() => '')).trim();
    const name = this.opts.authorName || (await fromConfig('user.name')) || DEFAULT_AUTHOR.name;
    const email = this.opts.authorEmail || (await fromConfig('user.email')) || DEFAULT_AUTHOR.email;
    return { name, email };
  }

  private async commitPaths(relPaths: string[], message: string): Promise<string> {
    const who = await this.identity();
    const git = this.git([`user.name=${who.name}`, `user.email=${who.email}`]);
    await this.step('git add', () => git.raw(['add', '--', ...relPaths]));
    // `commit -- paths` commits only these paths, whatever else a user may have staged;
    // --author so a GIT_AUTHOR_* variable in the daemon's environment does not win over config
    const out = await this.step('git commit', () => git.raw(['commit', `--author=${who.name} <${who.email}>`, '-m', message, '--', ...relPaths]));
    // the summary line `[main 1a2b3c4] subject` names the commit (one process less per page)
    const commit = /^\[[^\]\n]*? ([0-9a-f]{7,40})\]/m.exec(out)?.[1] ?? (await this.git().raw(['rev-parse', '--short', 'HEAD'])).trim();
    if (commit === '') throw new DevLogError(`git commit in ${this.root} produced no commit`);
    return commit;
  }

  /**
   * Write a page with exclusive create (a taken name gets `-2`, `-3`, …), add and commit it.
   * The page appears whole (written to a temporary file in the git directory, then hard-linked
   * into place, which fails rather than overwrite) and its name is journalled first, so a crash
   * at any moment leaves nothing that `ensure()` does not recognise as ours and remove.
   * On failure the written file is removed and unstaged, so no half state remains.
   * @param relPath path inside the DevLog, POSIX separators.
   * @param companions files rewritten in the same commit (the README index), given the path
   *   the page was actually written to; restored from HEAD when the commit fails.
   * @returns the short hash of the new commit and the path actually written.
   * @throws DevLogError (git failed, lock held) or the fs error of the write.
   */
  writeAndCommit(
    relPath: string,
    content: string,
    message: string,
    companions?: (written: string) => { relPath: string; content: string }[],
  ): Promise<{ commit: string; relPath: string }> {
    return this.serial(async () => {
      if (path.isAbsolute(relPath) || relPath.split(/[\\/]/).includes('..')) {
        throw new DevLogError(`page path "${relPath}" must be relative to the DevLog and stay inside it`);
      }
      await this.clearIndexLock();
      await this.ensureAttached();
      await this.checkNoOperationInProgress();
      const written = await this.writePageAtomic(relPath, content);
      crashPoint('page-written');
      const extra = companions ? companions(written).filter((e) => !path.isAbsolute(e.relPath) && !e.relPath.split(/[\\/]/).includes('..')) : [];
      try {
        // companions (the README index) replace their file whole: written aside in the git directory, then renamed
        for (const e of extra) {
          const tmp = path.join(await this.resolveGitDir(), `codeworm-companion-${process.pid}.tmp`);
          await writeFile(tmp, e.content, 'utf8');
          await rename(tmp, path.join(this.root, e.relPath));
        }
        const commit = await this.commitPaths([written, ...extra.map((e) => e.relPath)], message);
        await this.clearJournal();
        return { commit, relPath: written };
      } catch (err) {
        for (const e of extra) {
          await this.git()
            .raw(['checkout', '-q', 'HEAD', '--', e.relPath])
            .catch((x: unknown) => this.log.warn({ path: e.relPath, error: errText(x) }, 'devlog: could not restore a companion file'));
        }
        await this.rollbackPage(written);
        this.log.warn({ path: written, error: errText(err) }, 'devlog: commit failed, page removed');
        throw err;
      }
    });
  }

  /** Undo a page whose commit failed: off the disk, then out of the index (restored from HEAD). */
  private async rollbackPage(rel: string): Promise<void> {
    // the file goes first: on a full disk its space is what lets git write the index again
    await rm(path.join(this.root, rel), { force: true });
    // `reset` rewrites the index entry from HEAD (the page is not there: entry dropped); unlike
    // `rm --cached` it also clears an entry left half-staged by a commit that died of a full disk
    await this.git()
      .raw(['reset', '-q', '--', rel])
      .catch(() => this.git().raw(['rm', '-q', '--cached', '--ignore-unmatch', '--', rel]))
      .catch((e: unknown) => this.log.warn({ path: rel, error: errText(e) }, 'devlog: could not unstage a failed page (the next cycle retries)'));
    const staged = (await this.git().raw(['diff', '--cached', '--name-only', '--', rel]).catch(() => rel)).trim();
    if (staged === '') await this.clearJournal(); // else the next ensure() finishes the rollback
  }

  private async journalPath(): Promise<string> {
    return path.join(await this.resolveGitDir(), 'codeworm-pending');
  }

  private async clearJournal(): Promise<void> {
    await rm(await this.journalPath(), { force: true });
  }

  /**
   * Create `relPath` (or `-2`, `-3`, …) holding `content`, never overwriting: the content goes to
   * a temporary file first, then `link()` puts it in place whole. Where hard links are not
   * supported, an exclusive-create write is used. The chosen name is journalled before it exists.
   */
  private async writePageAtomic(relPath: string, content: string): Promise<string> {
    const gitDir = await this.resolveGitDir();
    const journal = await this.journalPath();
    await mkdir(path.join(this.root, path.dirname(relPath)), { recursive: true });
    const tmp = path.join(gitDir, `codeworm-page-${process.pid}.tmp`);
    const h = await open(tmp, 'w');
    try {
      await h.writeFile(content, 'utf8');
      await h.sync();
    } catch (err) {
      await h.close();
      await rm(tmp, { force: true });
      throw err;
    }
    await h.close();
    try {
      for (let n = 1; n <= 1000; n++) {
        const candidate = withSuffix(relPath, n);
        const abs = path.join(this.root, candidate);
        await writeFile(journal, `${candidate}\n`, 'utf8');
        try {
          await link(tmp, abs);
          return candidate;
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'EEXIST') continue;
          if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw err;
          // no hard links here: exclusive create and write (a partial page is still journalled)
          let fh;
          try {
            fh = await open(abs, 'wx');
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
            throw e;
          }
          try {
            await fh.writeFile(content, 'utf8');
            await fh.sync();
          } catch (e) {
            await fh.close();
            await rm(abs, { force: true });
            throw e;
          }
          await fh.close();
          return candidate;
        }
      }
      throw new DevLogError(`${relPath}: 1000 pages of this name already exist in ${this.root}`);
    } catch (err) {
      await rm(journal, { force: true });
      throw err;
    } finally {
      await rm(tmp, { force: true });
    }
  }

  /**
   * A merge, rebase, cherry-pick or revert left in progress (by a user or a crash) blocks every
   * commit: report it before any work is done.
   * @throws DevLogError naming the operation and how to finish it.
   */
  private async checkNoOperationInProgress(): Promise<void> {
    const op = await this.operationInProgress();
    if (op) {
      throw new DevLogError(
        `the DevLog ${this.root} is in the middle of a ${op} (git wedged); finish or abort it: git -C ${this.root} ${op === 'rebase' ? 'rebase' : op} --abort`,
      );
    }
  }

  /**
   * The git index.lock, for `doctor`: absent, held by a live git process (its pid), or stale
   * (no git process works in the repository; the next write removes it).
   */
  async indexLockState(): Promise<{ state: 'absent' | 'held' | 'stale' | 'unknown'; pid?: number }> {
    const lock = path.join(await this.resolveGitDir(), 'index.lock');
    if (!(await exists(lock))) return { state: 'absent' };
    const owner = await gitProcessIn(this.root);
    if (owner === undefined) return { state: 'unknown' };
    return owner === null ? { state: 'stale' } : { state: 'held', pid: owner };
  }

  /** `merge` | `rebase` | `cherry-pick` | `revert` when one is in progress, else null. */
  async operationInProgress(): Promise<string | null> {
    const gitDir = await this.resolveGitDir();
    const marks: [string, string][] = [
      ['MERGE_HEAD', 'merge'],
      ['rebase-merge', 'rebase'],
      ['rebase-apply', 'rebase'],
      ['CHERRY_PICK_HEAD', 'cherry-pick'],
      ['REVERT_HEAD', 'revert'],
    ];
    for (const [file, op] of marks) if (await exists(path.join(gitDir, file))) return op;
    return null;
  }

  private async ensureAttached(): Promise<void> {
    // HEAD naming a branch is attached: read without a git process (one per page)
    const head = await readFile(path.join(await this.resolveGitDir(), 'HEAD'), 'utf8').catch(() => '');
    if (head.startsWith('ref: refs/heads/')) return;
    const headRef = (await this.git().raw(['symbolic-ref', '-q', 'HEAD'])).trim();
    if (headRef === '') await this.recoverDetached();
  }

  /** Make `origin` point at `devlog.remote` when it is a URL or path rather than a remote name. */
  private async ensureRemote(): Promise<string | null> {
    const remote = this.opts.remote.trim();
    if (remote === '') return null;
    const names = (await this.git().raw(['remote'])).split('\n').map((s) => s.trim()).filter(Boolean);
    if (names.includes(remote)) return remote;
    if (!/[/:\\]/.test(remote)) {
      // a bare word is a remote name, not a URL: adding it as a URL would only fail later
      throw new DevLogError(`devlog.remote "${remote}" is not a remote of ${this.root}; set it to a URL or path, or run: git -C ${this.root} remote add ${remote} <url>`);
    }
    if (names.includes('origin')) {
      const url = (await this.git().raw(['remote', 'get-url', 'origin']).catch(() => '')).trim();
      if (url !== remote) await this.step('set the remote URL', () => this.git().raw(['remote', 'set-url', 'origin', remote]));
    } else {
      await this.step('add the remote', () => this.git().raw(['remote', 'add', 'origin', remote]));
    }
    return 'origin';
  }

  /**
   * Push `devlog.branch` to `devlog.remote` without force, so work another machine pushed is
   * never replaced. When the remote has moved on (rejected as non-fast-forward), fetch it and
   * rebase the DevLog's own unpushed commits onto it (pages have distinct names, so they do not
   * conflict), then push again; a real conflict is aborted, reported as `rejected` and left to
   * the user. Transient network errors are retried `pushRetries` times with doubling delays.
   * Never throws.
   */
  push(): Promise<PushResult> {
    return this.serial(async () => {
      if (this.opts.remote.trim() === '') return { status: 'skipped', message: 'no devlog.remote configured', attempts: 0 };
      let remoteName: string | null;
      try {
        await this.clearIndexLock();
        await this.ensureAttached();
        remoteName = await this.ensureRemote();
      } catch (err) {
        return { status: 'failed', message: errText(err), attempts: 0 };
      }
      const refspec = `refs/heads/${this.branch}:refs/heads/${this.branch}`;
      const maxAttempts = 1 + Math.max(0, this.opts.pushRetries);
      const rewritten = new Map<string, string>();
      let last = '';
      let rebases = 0;
      for (let attempt = 1; attempt <= maxAttempts + rebases; attempt++) {
        try {
          await this.git([], this.opts.pushTimeoutMs).raw(['push', remoteName!, refspec]);
          if (attempt > 1) this.log.info({ attempt }, 'devlog: push succeeded after retrying');
          const note = rebases ? ` after rebasing onto the remote's new commits` : '';
          return { status: 'pushed', message: `pushed ${this.branch} to ${this.opts.remote}${note}`, attempts: attempt, rewritten };
        } catch (err) {
          last = errText(err);
          const kind = classifyPushError(last);
          if (kind === 'rejected' && isBehind(last) && rebases < 3) {
            // the remote has commits we do not: put ours on top of them, then push again
            const rebased = await this.rebaseOntoRemote(remoteName!);
            if (rebased.ok) {
              for (const [a, b] of rebased.rewritten) rewritten.set(a, b);
              rebases++;
              continue;
            }
            this.log.warn({ remote: this.opts.remote, error: rebased.message }, 'devlog: remote diverged and cannot be rebased onto; left for the user');
            return { status: 'rejected', message: rebased.message, attempts: attempt, rewritten };
          }
          if (kind === 'rejected') {
            this.log.warn({ remote: this.opts.remote, error: last }, 'devlog: push rejected by the remote');
            return { status: 'rejected', message: last, attempts: attempt, rewritten };
          }
          if (kind === 'fatal') return { status: 'failed', message: last, attempts: attempt, rewritten };
          if (attempt < maxAttempts + rebases) {
            const delay = this.opts.pushBackoffMs * 2 ** (attempt - rebases - 1);
            this.log.warn({ attempt, delayMs: delay, error: last }, 'devlog: push failed, retrying');
            await sleep(delay);
          }
        }
      }
      return { status: 'failed', message: last, attempts: maxAttempts + rebases, rewritten };
    });
  }

  /**
   * Fetch the remote branch and rebase the local commits it lacks onto it. A conflict (someone
   * changed the same page) aborts the rebase: the branch is as before and nothing is forced.
   * @returns the old → new full hashes of the rebased commits.
   */
  private async rebaseOntoRemote(remoteName: string): Promise<{ ok: true; rewritten: Map<string, string> } | { ok: false; message: string }> {
    const tracking = `refs/remotes/${remoteName}/${this.branch}`;
    try {
      await this.git([], this.opts.pushTimeoutMs).raw(['fetch', '-q', remoteName, `+refs/heads/${this.branch}:${tracking}`]);
    } catch (err) {
      return { ok: false, message: `push rejected and fetching ${this.opts.remote} failed: ${errText(err)}` };
    }
    const ours = (await this.git().raw(['rev-list', '--reverse', `${tracking}..HEAD`])).split('\n').filter(Boolean);
    if (ours.length === 0) return { ok: true, rewritten: new Map() };
    const who = await this.identity();
    try {
      await this.git([`user.name=${who.name}`, `user.email=${who.email}`]).raw(['rebase', '-q', '--no-autostash', tracking]);
    } catch (err) {
      await this.git().raw(['rebase', '--abort']).catch(() => undefined);
      return {
        ok: false,
        message:
          `the DevLog's local commits conflict with commits on ${this.opts.remote} (${errText(err).split('\n')[0]}); ` +
          `nothing was pushed or forced: resolve with git -C ${this.root} pull --rebase, then push`,
      };
    }
    const after = (await this.git().raw(['rev-list', '--reverse', `${tracking}..HEAD`])).split('\n').filter(Boolean);
    const rewritten = new Map<string, string>();
    if (after.length === ours.length) ours.forEach((old, i) => rewritten.set(old, after[i]));
    this.log.info({ commits: ours.length, remote: this.opts.remote }, 'devlog: rebased local pages onto the remote\'s new commits');
    return { ok: true, rewritten };
  }

  /** True when `git status --porcelain` reports nothing. */
  isClean(): Promise<boolean> {
    return this.serial(async () => (await this.git().raw(['status', '--porcelain'])).trim() === '');
  }

  /** Short hash of HEAD, or null before the first commit. */
  headCommit(): Promise<string | null> {
    return this.serial(async () => {
      const h = (await this.git().raw(['rev-parse', '--verify', '-q', '--short', 'HEAD'])).trim();
      return h === '' ? null : h;
    });
  }

  /** Relative paths (POSIX) of the tracked `.md` pages in the doc-type folders, sorted. */
  listPages(): Promise<string[]> {
    return this.serial(async () => {
      const out = await this.git().raw(['ls-files', '-z', '--', ...docFolderPathspecs()]);
      return out
        .split('\0')
        .filter((p) => p.endsWith('.md'))
        .sort();
    });
  }

  /**
   * The last commit that touched each page, in one `git log` walk (not one call per page).
   * @returns map from relative path to short hash and commit time (ms since epoch).
   */
  lastCommits(): Promise<Map<string, { commit: string; timeMs: number }>> {
    return this.serial(async () => {
      const out = await this.git().raw(['log', '--no-renames', '--name-only', '-z', '--format=%x01%h %ct', '--', ...docFolderPathspecs()]);
      const map = new Map<string, { commit: string; timeMs: number }>();
      let current: { commit: string; timeMs: number } | null = null;
      for (const token of out.split(/\0|\n/)) {
        const t = token.trim();
        if (t === '') continue;
        if (t.startsWith('\x01')) {
          const [commit, ct] = t.slice(1).split(' ');
          current = { commit, timeMs: Number(ct) * 1000 };
        } else if (current && !map.has(t)) {
          map.set(t, current);
        }
      }
      return map;
    });
  }

  /**
   * Leftovers of a write interrupted before its commit: the page named in the journal (whatever
   * it holds: it may be empty or cut short) and untracked or staged-new `.md` files carrying a
   * valid CodeWorm identity. Every other file is a user's and left alone.
   */
  private async removeUncommittedPages(): Promise<string[]> {
    const status = await this.git().raw(['status', '--porcelain', '-z', '--untracked-files=all', '--', ...docFolderPathspecs()]);
    const journal = await this.journalPath();
    const journalled = (await readFile(journal, 'utf8').catch(() => '')).trim();
    const removed: string[] = [];
    for (const entry of status.split('\0')) {
      const code = entry.slice(0, 2);
      const rel = entry.slice(3);
      // untracked, or added to the index and never committed (`A `, `AM`, `AD`)
      if (!rel.endsWith('.md') || (code !== '??' && code[0] !== 'A')) continue;
      const abs = path.join(this.root, rel);
      if (rel !== journalled) {
        const text = await readRegularFile(abs, 1024 * 1024).catch(() => '');
        if (!parseIdentity(text)) continue;
      }
      if (code[0] === 'A') await this.git().raw(['reset', '-q', '--', rel]);
      await rm(abs, { force: true });
      removed.push(rel);
    }
    await rm(journal, { force: true });
    const gitDir = await this.resolveGitDir();
    for (const name of await readdir(gitDir)) {
      if (/^codeworm-page-\d+\.tmp$/.test(name)) await rm(path.join(gitDir, name), { force: true });
    }
    if (removed.length) this.log.warn({ pages: removed }, 'devlog: removed pages left uncommitted by an interrupted cycle');
    return removed;
  }

  private async step<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw new DevLogError(`${what} in ${this.root} failed: ${errText(err)}`);
    }
  }
}

/** A rejection that means the remote branch has commits the local one lacks. */
function isBehind(stderr: string): boolean {
  const s = stderr.toLowerCase();
  return s.includes('fetch first') || s.includes('non-fast-forward') || s.includes('stale info') || s.includes('[rejected]');
}

/**
 * A live git process whose working directory is inside `root` (the holder of its index.lock):
 * its pid, `null` when there is none, `undefined` when `/proc` cannot tell (not Linux).
 */
async function gitProcessIn(root: string): Promise<number | null | undefined> {
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((p) => /^\d+$/.test(p));
  } catch {
    return undefined;
  }
  const real = await realpath(root).catch(() => root);
  for (const pid of pids) {
    const comm = (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim();
    if (!comm.startsWith('git')) continue;
    const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => '');
    if (cwd === real || cwd.startsWith(real + path.sep)) return Number(pid);
  }
  return null;
}

/** Top-level folders holding pages (`snippets`, `classes`, `reviews`, …). */
function docFolderPathspecs(): string[] {
  const tops = new Set(Object.values(DOC_TYPE_INFO).map((i) => i.folder.split('/')[0]));
  return [...tops].sort();
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}
