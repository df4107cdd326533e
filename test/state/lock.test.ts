import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, utimes, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { acquireLock, inspectLock, LockBusyError, WriterLock } from '../../src/state/lock.ts';
import { REPO_ROOT } from '../support/cli.ts';

async function lockPath(): Promise<string> {
  return path.join(await mkdtemp(path.join(tmpdir(), 'cw-lock-')), 'x.lock');
}

/** A lock directory as another holder left it (owner record, mtime `ageMs` ago). */
async function fakeHolder(p: string, owner: Record<string, unknown>, ageMs = 0): Promise<void> {
  await mkdir(p);
  await writeFile(path.join(p, 'owner.json'), JSON.stringify({ since: '2026-01-01T00:00:00.000Z', command: 'run', token: 'abc', ...owner }));
  const t = new Date(Date.now() - ageMs);
  await utimes(p, t, t);
}

test('a held lock makes the next writer wait the bounded time, then fail naming pid, host and since', async () => {
  const p = await lockPath();
  const held = await acquireLock(p, { command: 'run-once' });
  const started = Date.now();
  await assert.rejects(acquireLock(p, { waitMs: 400, pollMs: 50, what: 'the DevLog /d' }), (err: Error) => {
    assert.ok(err instanceof LockBusyError);
    assert.match(err.message, new RegExp(`^the DevLog /d is in use by another CodeWorm process: pid ${process.pid} on host ${hostname()} \\(run-once\\) since ${held.owner.since}`));
    return true;
  });
  assert.ok(Date.now() - started >= 400);
  await held.release();
  const again = await acquireLock(p, { waitMs: 0 });
  await again.release();
  assert.equal(existsSync(p), false);
});

test('the lock of a process killed with SIGKILL is taken at once, by its dead pid, not after an age', async () => {
  const p = await lockPath();
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', `import('./src/state/lock.ts').then(async (m) => { await m.acquireLock(${JSON.stringify(p)}, { command: 'victim' }); console.log('held'); setInterval(() => {}, 1000); })`], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('held') && resolve()));
  assert.equal((await inspectLock(p)).state, 'held');
  child.kill('SIGKILL');
  await new Promise((r) => child.on('exit', r));
  assert.equal((await inspectLock(p)).state, 'stale');
  const started = Date.now();
  const mine = await acquireLock(p, { waitMs: 5_000, staleMs: 600_000 });
  assert.ok(Date.now() - started < 2_000, 'not waiting for the lock to age');
  assert.equal(mine.owner.pid, process.pid);
  await mine.release();
});

test('a live pid whose start time differs (a pid reused after a crash) is a dead holder', async () => {
  const p = await lockPath();
  await fakeHolder(p, { pid: process.pid === 1 ? 2 : 1, host: hostname(), startTicks: 'not-its-start-time' });
  const mine = await acquireLock(p, { waitMs: 2_000 });
  await mine.release();
});

test('a holder on another host is waited for while its heartbeat is fresh, taken when it stopped', async () => {
  const p = await lockPath();
  await fakeHolder(p, { pid: 4242, host: 'elsewhere.example' });
  await assert.rejects(acquireLock(p, { waitMs: 300, pollMs: 50, staleMs: 60_000 }), /pid 4242 on host elsewhere\.example \(run\)/);
  const t = new Date(Date.now() - 120_000);
  await utimes(p, t, t);
  const mine = await acquireLock(p, { waitMs: 1_000, staleMs: 60_000 });
  assert.equal(mine.owner.host, hostname());
  await mine.release();
});

test('WriterLock takes the state lock and the DevLog lock, and holds neither when the second is busy', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'cw-writer-'));
  const where = { devlogPath: path.join(root, 'devlog'), dataDir: path.join(root, 'data') };
  const first = await WriterLock.acquire(where, { command: 'run' });
  await assert.rejects(WriterLock.acquire(where, { waitMs: 200, pollMs: 50 }), /state database .* is in use .*\(run\)/);
  await first.release();
  // only the DevLog is held (another config sharing the DevLog): the state lock is given back
  const devlogOnly = await acquireLock(path.join(root, '.devlog.codeworm-lock'), { command: 'other config' });
  await assert.rejects(WriterLock.acquire(where, { waitMs: 200, pollMs: 50 }), /DevLog .* \(other config\)/);
  assert.equal((await inspectLock(path.join(root, 'data', 'codeworm.db.lock'))).state, 'free');
  await devlogOnly.release();
});
