/**
 * `npx codeworm dashboard` runs CodeWorm as npm's child, and npm does not pass a SIGTERM on:
 * killing the wrapper must still stop CodeWorm (only when npm started it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, REPO_ROOT } from '../support/cli.ts';

/** Whether `pid` runs: it exists and is not a zombie waiting for a parent that reaps it. */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/PID/stat: "pid (comm) S …"; the state follows the last ')'
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc here: kill(pid, 0) is all there is
  }
};

async function until(ok: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (ok()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return ok();
}

/**
 * Start `codeworm dashboard` under a stand-in for npm: a process that spawns it, prints its pid
 * and forwards no signal. Returns the wrapper and CodeWorm's pid once it serves.
 */
async function underWrapper(env: Record<string, string>): Promise<{ wrapper: ReturnType<typeof spawn>; pid: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-npx-'));
  await writeFile(path.join(dir, 'config.yaml'), `data_dir: ${dir}/data\ndevlog:\n  repo_path: ${dir}/devlog\n`);
  await writeFile(path.join(dir, 'repos.yaml'), 'repositories: []\n');
  const script = `
    const { spawn } = require('node:child_process');
    const child = spawn(process.execPath, ['--import', 'tsx', ${JSON.stringify(CLI)}, '--config', ${JSON.stringify(dir)}, 'dashboard', '--port', '0'],
      { cwd: ${JSON.stringify(REPO_ROOT)}, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (d) => { if (String(d).includes('serving')) console.log(child.pid); });
    setInterval(() => {}, 1000);`;
  const wrapper = spawn(process.execPath, ['-e', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const pid = await new Promise<number>((resolve, reject) => {
    wrapper.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
    wrapper.once('exit', () => reject(new Error('the wrapper exited before the dashboard served')));
  });
  return { wrapper, pid };
}

test('started by npm, the dashboard stops when the npm process is killed', async () => {
  const { wrapper, pid } = await underWrapper({ npm_command: 'exec' });
  wrapper.kill('SIGKILL');
  assert.equal(await until(() => !alive(pid), 20_000), true, `codeworm (pid ${pid}) still runs after its npm wrapper died`);
});

test('started by anything else, the dashboard keeps running when its parent goes (nohup-style)', async () => {
  const env: Record<string, string> = { npm_command: '' };
  const { wrapper, pid } = await underWrapper(env);
  try {
    wrapper.kill('SIGKILL');
    assert.equal(await until(() => !alive(pid), 3000), false, 'it stopped without being asked');
  } finally {
    process.kill(pid, 'SIGTERM');
    await until(() => !alive(pid), 10_000);
  }
});
