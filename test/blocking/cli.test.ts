import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CLI_ARGS } from '../support/cli.ts';

const run = promisify(execFile);
const PROJECT = path.resolve(import.meta.dirname, '../..');

/** Run the CLI from the project (so `tsx` resolves) with `cwd` as the config base. */
async function codeworm(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...CLI_ARGS, '--config', path.join(cwd, 'config'), ...args.map((a, i) => (i === 0 || a.startsWith('-') ? a : path.join(cwd, a)))], {
      cwd: PROJECT,
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('codeworm blocking (CLI, real indexer and parse workers)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cw-blocking-'));
    await mkdir(path.join(dir, 'repo', 'app'), { recursive: true });
    await writeFile(path.join(dir, 'repo', 'app', '__init__.py'), '');
    await writeFile(path.join(dir, 'repo', 'app', 'store.py'), 'def save(d):\n    with open("d.json", "w") as f:\n        f.write(d)\n');
    await writeFile(path.join(dir, 'repo', 'app', 'api.py'), 'import subprocess\nfrom .store import save\n\nasync def handle_save(d):\n    save(d)\n    subprocess.run(["sync"])\n');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('--json prints the report document only, with direct and indirect findings', async () => {
    const { code, stdout } = await codeworm(['blocking', 'repo', '--json', '--no-cache'], dir);
    assert.equal(code, 0);
    const doc = JSON.parse(stdout);
    assert.equal(doc.root, path.join(dir, 'repo'));
    assert.equal(doc.async_functions, 1);
    assert.deepEqual(
      doc.findings.map((f: { file: string; line: number; kind: string; chain: string[] }) => [f.file, f.line, f.kind, f.chain]),
      [
        ['app/api.py', 6, 'direct', ['handle_save']],
        ['app/store.py', 2, 'indirect', ['handle_save', 'save']],
      ],
    );
  });
  it('--markdown prints the report with excerpts read from the files', async () => {
    const { code, stdout } = await codeworm(['blocking', 'repo', '--markdown', '--no-cache'], dir);
    assert.equal(code, 0);
    assert.match(stdout, /^# repo Async\/Await Blocking Analysis/);
    assert.match(stdout, /```python\nwith open\("d\.json", "w"\) as f:\n {4}f\.write\(d\)\n```/);
  });
  it('a missing path exits 2 with a message naming it', async () => {
    const { code, stdout, stderr } = await codeworm(['blocking', 'no-such-dir', '--json', '--no-cache'], dir);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /no-such-dir: no such directory/);
  });
  it('--json with --markdown is a usage error', async () => {
    const { code, stderr } = await codeworm(['blocking', 'repo', '--json', '--markdown'], dir);
    assert.equal(code, 2);
    assert.match(stderr, /cannot be combined/);
  });
});
