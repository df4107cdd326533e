import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempConfig, type TempConfig } from './helpers.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHILD = path.join(HERE, 'fixtures', 'child-daemon.ts');
const ROOT = path.resolve(HERE, '..', '..');

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await (cleanups.pop() as () => Promise<void>)();
});

interface Child {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves when `re` matches stdout+stderr text that arrived after the call. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; at: number }>;
}

function startChild(c: TempConfig, mode: 'honour' | 'ignore'): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, c.dir, mode], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let all = ''; // both streams in arrival order
  const waiters: { re: RegExp; from: number; resolve: () => void }[] = [];
  const check = (): void => {
    for (const w of [...waiters]) {
      if (w.re.test(all.slice(w.from))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  proc.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    all += d.toString();
    check();
  });
  proc.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
    all += d.toString();
    check();
  });
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => proc.on('exit', (code) => resolve({ code, at: Date.now() })));
  cleanups.push(async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    await exited;
  });
  return {
    proc,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor: (re, timeoutMs = 20_000) =>
      new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`timed out waiting for ${re}; stdout: ${out.slice(-500)} stderr: ${err.slice(-1500)}`)), timeoutMs);
        waiters.push({
          re,
          from: all.length,
          resolve: () => {
            clearTimeout(t);
            resolve();
          },
        });
        check();
      }),
  };
}

async function config(repos: string[]): Promise<TempConfig> {
  const c = await tempConfig('schedule:\n  mode: continuous\n', repos);
  cleanups.push(c.cleanup);
  return c;
}

test('SIGHUP reloads repos.yaml without a restart; a broken file keeps the old configuration', async () => {
  const c = await config(['alpha']);
  const child = startChild(c, 'honour');
  await child.waitFor(/CYCLE alpha\n/);
  await c.writeRepos(['alpha', 'beta']);
  child.proc.kill('SIGHUP');
  await child.waitFor(/CYCLE alpha,beta\n/);
  await c.writeRaw('repos.yaml', 'repositories: [ {name: broken\n');
  const failed = child.waitFor(/configuration reload failed, keeping the previous configuration/);
  child.proc.kill('SIGHUP');
  await failed;
  await child.waitFor(/CYCLE alpha,beta\n/);
  assert.ok(child.proc.exitCode === null, 'the daemon kept running');
  const t0 = Date.now();
  child.proc.kill('SIGTERM');
  const { code, at } = await child.exited;
  assert.equal(code, 0);
  assert.ok(at - t0 < 10_000, `exited ${at - t0} ms after SIGTERM`);
});

test('SIGTERM in the middle of a generation aborts it and exits 0 at once', async () => {
  const c = await config(['alpha']);
  const child = startChild(c, 'honour');
  await child.waitFor(/CYCLE alpha\n/);
  const t0 = Date.now();
  child.proc.kill('SIGTERM');
  const { code, at } = await child.exited;
  assert.equal(code, 0);
  assert.ok(at - t0 < 3000, `exited ${at - t0} ms after SIGTERM`);
  const last = c.db.prepare('SELECT outcome FROM cycles ORDER BY id DESC LIMIT 1').get() as { outcome: string };
  assert.equal(last.outcome, 'abandoned');
});

test('SIGTERM while a generation hangs and ignores its abort signal still exits 0 within 10 s', async () => {
  const c = await config(['alpha']);
  const child = startChild(c, 'ignore');
  await child.waitFor(/CYCLE alpha\n/);
  const t0 = Date.now();
  child.proc.kill('SIGTERM');
  const { code, at } = await child.exited;
  assert.equal(code, 0);
  assert.ok(at - t0 < 10_000, `exited ${at - t0} ms after SIGTERM`);
  assert.match(child.stderr(), /did not stop within 5 s/);
});
