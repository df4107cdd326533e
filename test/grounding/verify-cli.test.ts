import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURES } from './helpers.ts';
import { CLI_ARGS } from '../support/cli.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function verify(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI_ARGS, 'verify', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('verify --json on seed 000 reports _wait_for_ollama and _init_llm as awaited, exit 1', async () => {
  const r = await verify([path.join(FIXTURES, 'seed_000.md'), '--json']);
  assert.equal(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout) as { ungrounded: unknown[]; contradictions: { identifier: string; claim: string; fact: string }[] };
  assert.deepEqual(Object.keys(out), ['ungrounded', 'contradictions']);
  assert.deepEqual(
    out.contradictions.map((c) => [c.identifier, c.fact]),
    [
      ['_wait_for_ollama', 'awaited at line 306'],
      ['_init_llm', 'awaited at line 310'],
    ],
  );
  assert.match(out.contradictions[0].claim, /are blocking calls within an async function/);
  assert.deepEqual(out.ungrounded, []);
});

test('verify on a truthful page prints a clean report and exits 0', async () => {
  const r = await verify([path.join(FIXTURES, 'profile_true.md')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /clean/);
});

test('verify --repo reads lines a-b of the repository file instead of the Source Code block', async () => {
  const repo = await mkdtemp(path.join(tmpdir(), 'cw-verify-'));
  const page = await readFile(path.join(FIXTURES, 'inventory_false.md'), 'utf8');
  const block = page.split('```python\n')[1].split('\n```')[0];
  await mkdir(path.join(repo, 'inventory'));
  const filler = Array.from({ length: 39 }, (_, i) => `# line ${i + 1}`).join('\n');
  // In the repository, fetch_stock is no longer awaited: the page's claim about it becomes true.
  await writeFile(path.join(repo, 'inventory/sync.py'), `${filler}\n${block.replace('await fetch_stock', 'fetch_stock')}\n`);
  const fromPage = JSON.parse((await verify([path.join(FIXTURES, 'inventory_false.md'), '--json'])).stdout) as { contradictions: { identifier: string }[] };
  const fromRepo = await verify([path.join(FIXTURES, 'inventory_false.md'), '--repo', repo, '--json']);
  assert.equal(fromRepo.code, 1, fromRepo.stderr);
  const ids = (JSON.parse(fromRepo.stdout) as { contradictions: { identifier: string }[] }).contradictions.map((c) => c.identifier);
  assert.ok(fromPage.contradictions.some((c) => c.identifier === 'fetch_stock'));
  assert.ok(!ids.includes('fetch_stock'));
  assert.ok(ids.includes('session.commit'));
  // NAME=PATH as run-once takes it: the same check; a name that is not the page's repository is bad input
  const named = await verify([path.join(FIXTURES, 'inventory_false.md'), '--repo', `shopfloor=${repo}`, '--json']);
  assert.equal(named.code, 1, named.stderr);
  assert.deepEqual((JSON.parse(named.stdout) as { contradictions: { identifier: string }[] }).contradictions.map((c) => c.identifier), ids);
  const other = await verify([path.join(FIXTURES, 'inventory_false.md'), '--repo', `codeworm=${repo}`]);
  assert.equal(other.code, 2);
  assert.match(other.stderr, /the page is about repository "shopfloor", not "codeworm"/);
});

test('verify exits 2 with a message for a missing file, a non-page and a page file outside --repo', async () => {
  const missing = await verify(['/nonexistent/page.md', '--json']);
  assert.equal(missing.code, 2);
  assert.equal(missing.stdout, '');
  assert.match(missing.stderr, /cannot read page .*no such file/);
  const notPage = await verify([path.join(ROOT, 'package.json')]);
  assert.equal(notPage.code, 2);
  assert.match(notPage.stderr, /not a CodeWorm page/);
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-verify-'));
  const escaping = path.join(dir, 'page.md');
  await writeFile(escaping, (await readFile(path.join(FIXTURES, 'config_true.md'), 'utf8')).replace('**File:** shopfloor/config.py', '**File:** ../../etc/passwd'));
  const outside = await verify([escaping, '--repo', dir]);
  assert.equal(outside.code, 2);
  assert.match(outside.stderr, /outside the repository/);
});
