/**
 * Runs `node --test` with its arguments under a private temporary directory (`TMPDIR`), and
 * removes that directory afterwards, so a run leaves nothing in the machine's /tmp even when a
 * test (or a child process it started, or a killed run's cleanup) leaves files behind.
 * Exits with the test run's exit code; prints how many leftover entries it removed, so a test
 * that forgets its own cleanup is visible.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = mkdtempSync(path.join(tmpdir(), 'cw-test-'));
// like /tmp itself: services the tests start as another user (PostgreSQL runs as postgres) make their directories here
chmodSync(root, 0o1777);
const child = spawn(process.execPath, ['--import', 'tsx', '--test', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, TMPDIR: root },
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => {
  let left = 0;
  try {
    left = readdirSync(root).length;
    rmSync(root, { recursive: true, force: true });
  } catch (err) {
    console.error(`could not remove the test run's temporary directory ${root}: ${err.message}`);
  }
  if (left > 0) console.log(`removed ${left} temporary entr${left === 1 ? 'y' : 'ies'} the tests left in ${root}`);
  process.exit(code ?? (signal ? 1 : 0));
});
