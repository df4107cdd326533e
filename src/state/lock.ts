/**
 * One writer per DevLog and per state database, across processes and machines that share a file
 * system (issue 11). A lock is a directory created atomically by `proper-lockfile` (mkdir), kept
 * fresh by its heartbeat, holding `owner.json` (pid, host, since, command) so a waiting process
 * can say who holds it.
 *
 * Staleness: a holder on this host is alive or dead by its pid (and its process start time where
 * `/proc` tells it), never by the lock's age; a holder on another host, whose pid cannot be
 * checked, is stale only when its heartbeat has stopped for `staleMs`.
 */
import * as fs from 'node:fs';
import { mkdir, readFile, realpath, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';

/** Who holds a lock, as written in its `owner.json`. */
export interface LockOwner {
  pid: number;
  host: string;
  /** ISO-8601 UTC time the lock was taken. */
  since: string;
  /** What holds it: `run`, `run-once`, `state rebuild`, … */
  command: string;
  /** Start time of the process in clock ticks since boot (Linux `/proc/<pid>/stat` field 22), against pid reuse. */
  startTicks?: string | null;
  /** Random token: tells two holders with the same pid apart (a pid reused after a crash). */
  token: string;
}

/** A lock held by another live writer after the bounded wait; the message names the holder. */
export class LockBusyError extends Error {
  readonly exitCode = 1;
  constructor(
    readonly lockPath: string,
    readonly holder: LockOwner | null,
    readonly waitedMs: number,
    what: string,
  ) {
    super(
      `${what} is in use by another CodeWorm process: ${describeOwner(holder)}; waited ${Math.round(waitedMs / 1000)} s ` +
        `(lock ${lockPath}). Try again when it has finished, or stop that process.`,
    );
    this.name = 'LockBusyError';
  }
}

/** `pid 123 on host h (run-once) since 2026-…`, or what is known. */
export function describeOwner(o: LockOwner | null): string {
  if (!o) return 'holder unknown (the lock has no owner record yet)';
  return `pid ${o.pid} on host ${o.host} (${o.command}) since ${o.since}`;
}

export interface LockOptions {
  /** How long to wait for a live holder before giving up (ms, default 60 000). */
  waitMs?: number;
  /** Poll interval while waiting (ms, default 200). */
  pollMs?: number;
  /** A holder on another host whose heartbeat stopped this long ago is stale (ms, default 120 000). */
  staleMs?: number;
  /** Recorded in `owner.json`. */
  command?: string;
  /** Shown in the busy message ("DevLog /x"). */
  what?: string;
  /** Called when the lock was taken away or could not be refreshed; writing must stop. */
  onCompromised?: (err: Error) => void;
}

/** A held lock. `compromised` is set when it was lost (removed by someone, heartbeat failed). */
export class HeldLock {
  compromised: Error | null = null;
  private released = false;
  constructor(
    readonly lockPath: string,
    readonly owner: LockOwner,
    private readonly releaseFn: () => Promise<void>,
  ) {}

  /** Release the lock; idempotent, never throws (a lost lock has nothing to release). */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    if (this.compromised) return;
    await this.releaseFn().catch(() => undefined);
  }
}

const OWNER_FILE = 'owner.json';
const myHost = hostname();

/** Start time of a process (clock ticks since boot), or null where `/proc` does not say. */
function processStartTicks(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // field 2 (comm) may hold spaces and parentheses: count from the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null; // field 22 overall
  } catch {
    return null;
  }
}

/**
 * Whether the holder is alive: for this host by its pid (and start time), for another host
 * `null` (unknown).
 */
export function ownerAlive(o: LockOwner): boolean | null {
  if (o.host !== myHost) return null;
  if (o.pid === process.pid) return true;
  try {
    process.kill(o.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  if (o.startTicks) {
    const now = processStartTicks(o.pid);
    if (now !== null && now !== o.startTicks) return false; // the pid was reused
  }
  return true;
}

/** The owner record of a lock directory, or null (no lock, or not written / unreadable). */
export async function readOwner(lockPath: string): Promise<LockOwner | null> {
  try {
    const o = JSON.parse(await readFile(path.join(lockPath, OWNER_FILE), 'utf8')) as LockOwner;
    return typeof o.pid === 'number' && typeof o.host === 'string' ? o : null;
  } catch {
    return null;
  }
}

/**
 * A file-system adapter for proper-lockfile: the lock directory appears atomically *with* its
 * owner record (built in a temporary directory, then renamed into place), so the record never
 * changes the directory's mtime after the heartbeat started, and removal is recursive.
 */
function ownerFs(owner: LockOwner): typeof fs {
  const adapter = Object.create(fs) as typeof fs & Record<string, unknown>;
  adapter.mkdir = ((target: string, cb: (err: NodeJS.ErrnoException | null) => void) => {
    const tmp = `${target}.tmp-${process.pid}-${owner.token}`;
    const fail = (err: NodeJS.ErrnoException) => fs.rm(tmp, { recursive: true, force: true }, () => cb(err));
    fs.mkdir(tmp, (err) => {
      if (err) return cb(err);
      fs.writeFile(path.join(tmp, OWNER_FILE), JSON.stringify(owner), (werr) => {
        if (werr) return fail(werr);
        fs.rename(tmp, target, (rerr) => {
          if (!rerr) return cb(null);
          // a non-empty lock directory already there: held
          if (rerr.code === 'ENOTEMPTY' || rerr.code === 'EEXIST' || rerr.code === 'EISDIR') {
            return fail(Object.assign(new Error(`${target} exists`), { code: 'EEXIST' }));
          }
          fail(rerr);
        });
      });
    });
  }) as never;
  adapter.rmdir = ((target: string, cb: (err: NodeJS.ErrnoException | null) => void) => fs.rm(target, { recursive: true, force: true }, cb)) as never;
  adapter.rmdirSync = ((target: string) => fs.rmSync(target, { recursive: true, force: true })) as never;
  return adapter;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Take the lock directory `lockPath` (its parent is created), waiting up to `waitMs` for a live
 * holder. A dead holder on this host is removed at once.
 * @throws LockBusyError when still held after the wait; the fs error when the lock cannot be
 *   created at all (permissions, disk full).
 */
export async function acquireLock(lockPath: string, opts: LockOptions = {}): Promise<HeldLock> {
  const waitMs = opts.waitMs ?? 60_000;
  const pollMs = opts.pollMs ?? 200;
  const staleMs = Math.max(opts.staleMs ?? 120_000, 4000);
  await mkdir(path.dirname(lockPath), { recursive: true });
  const started = Date.now();
  for (;;) {
    const owner: LockOwner = {
      pid: process.pid,
      host: myHost,
      since: new Date().toISOString(),
      command: opts.command ?? 'codeworm',
      startTicks: processStartTicks(process.pid),
      token: Math.random().toString(36).slice(2, 12),
    };
    let held: HeldLock | null = null;
    try {
      const release = await lockfile.lock(lockPath, {
        lockfilePath: lockPath,
        realpath: false,
        stale: staleMs,
        update: Math.min(10_000, staleMs / 4),
        retries: 0,
        fs: ownerFs(owner),
        onCompromised: (err) => {
          if (held) held.compromised = err;
          opts.onCompromised?.(err);
        },
      });
      held = new HeldLock(lockPath, owner, release);
      return held;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
    }
    const holder = await readOwner(lockPath);
    if (holder && ownerAlive(holder) === false && (await breakStale(lockPath, holder))) continue;
    if (Date.now() - started >= waitMs) {
      throw new LockBusyError(lockPath, holder, Date.now() - started, opts.what ?? lockPath);
    }
    await sleep(pollMs);
  }
}

/**
 * Remove the lock of a dead holder: renamed aside first, so of two processes breaking it at
 * once only one succeeds, and a lock taken meanwhile by a live process is put back.
 * @returns true when the lock is gone.
 */
async function breakStale(lockPath: string, dead: LockOwner): Promise<boolean> {
  const tomb = `${lockPath}.stale-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  try {
    await rename(lockPath, tomb);
  } catch {
    return true; // gone already (another process broke it): try to take it
  }
  const moved = await readOwner(tomb);
  if (moved && moved.token !== dead.token) {
    // a live holder took it between our read and the rename: give it back
    await rename(tomb, lockPath).catch(() => undefined);
    return false;
  }
  await rm(tomb, { recursive: true, force: true });
  return true;
}

/** Where the DevLog's writer lock lives: beside the DevLog, `.<name>.codeworm-lock` (exists before `git init`). */
export async function devlogLockPath(devlogPath: string): Promise<string> {
  const abs = path.resolve(devlogPath);
  await mkdir(abs, { recursive: true });
  const real = await realpath(abs);
  return path.join(path.dirname(real), `.${path.basename(real)}.codeworm-lock`);
}

/** The `run` daemon's lock for a DevLog (held for the daemon's life): `.<name>.codeworm-daemon` beside it. */
export async function daemonLockPath(devlogPath: string): Promise<string> {
  return (await devlogLockPath(devlogPath)).replace(/\.codeworm-lock$/, '.codeworm-daemon');
}

/** Where the state database's writer lock lives: `data_dir/codeworm.db.lock`. */
export async function stateLockPath(dataDir: string): Promise<string> {
  const abs = path.resolve(dataDir);
  await mkdir(abs, { recursive: true });
  return path.join(await realpath(abs), 'codeworm.db.lock');
}

/** The locks of one writer: the state database's, then the DevLog's (always in this order). */
export class WriterLock {
  private constructor(private readonly locks: HeldLock[]) {}

  /** Set when either lock was lost: stop before writing anything. */
  get compromised(): Error | null {
    return this.locks.find((l) => l.compromised)?.compromised ?? null;
  }

  /**
   * Take the state database's and the DevLog's lock, waiting up to `waitMs` in all.
   * @throws LockBusyError naming the holder; nothing stays held.
   */
  static async acquire(where: { devlogPath: string; dataDir: string }, opts: LockOptions = {}): Promise<WriterLock> {
    const started = Date.now();
    const waitMs = opts.waitMs ?? 60_000;
    const state = await acquireLock(await stateLockPath(where.dataDir), { ...opts, what: `the state database in ${path.resolve(where.dataDir)}` });
    try {
      const devlog = await acquireLock(await devlogLockPath(where.devlogPath), {
        ...opts,
        waitMs: Math.max(0, waitMs - (Date.now() - started)),
        what: `the DevLog ${path.resolve(where.devlogPath)}`,
      });
      return new WriterLock([state, devlog]);
    } catch (err) {
      await state.release();
      throw err;
    }
  }

  /** Release both (DevLog first); never throws. */
  async release(): Promise<void> {
    for (const l of [...this.locks].reverse()) await l.release();
  }
}

/** Lock state for `doctor`: free, held by a live process, or left by a dead one. */
export async function inspectLock(lockPath: string): Promise<{ state: 'free' | 'held' | 'stale' | 'unknown'; owner: LockOwner | null }> {
  if (!fs.existsSync(lockPath)) return { state: 'free', owner: null };
  const owner = await readOwner(lockPath);
  if (!owner) return { state: 'unknown', owner: null };
  const alive = ownerAlive(owner);
  return { state: alive === false ? 'stale' : alive ? 'held' : 'unknown', owner };
}
