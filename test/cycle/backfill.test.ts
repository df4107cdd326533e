/**
 * `codeworm backfill` over several LLM hosts (issue 16, item 2): three Ollama-protocol fake
 * servers, the real CLI, a real SQLite state and a real DevLog repository.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { runCli } from '../support/cli.ts';
import { makeSampleRepo } from '../support/sample-repo.ts';
import { startFakeLlm, type FakeLlm } from '../support/fake-llm.ts';

const DELAY_MS = 500;
let repo: string;
let hosts: FakeLlm[];

before(async () => {
  repo = await makeSampleRepo();
  hosts = await Promise.all([0, 1, 2].map(() => startFakeLlm({ mode: 'slow', modeOptions: { delayMs: DELAY_MS } })));
});
after(async () => {
  await Promise.all(hosts.map((h) => h.close()));
});

async function configDir(): Promise<{ dir: string; devlog: string; data: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-backfill-'));
  const devlog = path.join(dir, 'devlog');
  const data = path.join(dir, 'data');
  const list = hosts.map((h) => `    - { url: "${h.url}", concurrency: 1 }\n`).join('');
  await writeFile(
    path.join(dir, 'config.yaml'),
    `data_dir: ${data}\ndevlog:\n  repo_path: ${devlog}\n  author_name: CodeWorm Test\n  author_email: cw@example.com\nollama:\n  timeout_seconds: 5\nllm:\n  hosts:\n${list}`,
  );
  await writeFile(path.join(dir, 'repos.yaml'), `repositories:\n  - name: sample\n    path: ${repo}\n    weight: 5\n`);
  return { dir, devlog, data };
}

async function pages(devlog: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith('.md') && e.name !== 'README.md') out.push(path.relative(devlog, p));
    }
  };
  if (existsSync(devlog)) await walk(devlog);
  return out.sort();
}

function rows(data: string): { snippet_path: string; doc_type: string; source_file: string; function_name: string | null; class_name: string | null; git_commit: string }[] {
  const db = new Database(path.join(data, 'codeworm.db'), { readonly: true });
  try {
    return db.prepare('SELECT snippet_path, doc_type, source_file, function_name, class_name, git_commit FROM documented_snippets').all() as never;
  } finally {
    db.close();
  }
}

const git = (devlog: string, args: string[]): string => execFileSync('git', args, { cwd: devlog, encoding: 'utf8' }).trim();

test('backfill over three hosts: pages generated in parallel on all of them, each published once with its own commit and row', async () => {
  const { dir, devlog, data } = await configDir();
  hosts.forEach((h) => h.clearRequests());
  const res = await runCli(['--config', dir, 'backfill', '--count', '6'], { timeoutMs: 120_000 });
  assert.equal(res.code, 0, res.stderr + res.stdout);
  assert.match(res.stdout, /backfill: 6 page\(s\) in [\d.]+ s .* on 3 host\(s\); 0 failed/);

  const written = await pages(devlog);
  assert.equal(written.length, 6);
  const r = rows(data);
  assert.equal(r.length, 6);
  assert.deepEqual(r.map((x) => x.snippet_path).sort(), written);
  const keys = new Set(r.map((x) => JSON.stringify([x.doc_type, x.source_file, x.function_name, x.class_name])));
  assert.equal(keys.size, 6, 'no target documented twice');
  const log = git(devlog, ['log', '--format=%h']).split('\n');
  assert.equal(log.length, 7, 'six page commits after the DevLog initialisation');
  assert.deepEqual(new Set(r.map((x) => x.git_commit)), new Set(log.slice(0, 6)));
  assert.equal(git(devlog, ['status', '--porcelain']), '', 'clean DevLog tree');

  // every host generated, and generations on different hosts overlapped in time
  const perHost = hosts.map((h) => h.generateRequests().map((q) => q.at));
  for (const [i, ats] of perHost.entries()) assert.ok(ats.length > 0, `host ${i} generated nothing`);
  const all = perHost.flatMap((ats, i) => ats.map((at) => ({ at, i })));
  // each answer is held DELAY_MS: requests to two hosts arriving closer than that were in flight together
  const overlapping = all.some((a) => all.some((b) => b.i !== a.i && Math.abs(b.at - a.at) < DELAY_MS));
  assert.ok(overlapping, 'two hosts were generating at the same time');
  // each page is a cycle, as with run-once (stats and the dashboard count them)
  const db = new Database(path.join(data, 'codeworm.db'), { readonly: true });
  try {
    assert.equal((db.prepare("SELECT count(*) AS n FROM cycles WHERE outcome = 'success'").get() as { n: number }).n, 6);
  } finally {
    db.close();
  }
});

test('a host that fails its health check is left out and probed; the others write every page', async () => {
  const { dir, devlog, data } = await configDir();
  hosts.forEach((h) => h.clearRequests());
  await hosts[2].setMode('down');
  try {
    const res = await runCli(['--config', dir, 'backfill', '--count', '3', '--type', 'function_doc'], { timeoutMs: 120_000 });
    assert.equal(res.code, 0, res.stderr + res.stdout);
    assert.match(res.stderr, new RegExp(`LLM host ${hosts[2].url.replace(/[.:/]/g, '\\$&')} out: `));
    assert.match(res.stdout, new RegExp(`${hosts[2].url.replace(/[.:/]/g, '\\$&')}: 0 generated, 0 failed \\(out: `));
    assert.equal((await pages(devlog)).length, 3);
    assert.equal(rows(data).length, 3);
    assert.equal(hosts[0].generateRequests().length + hosts[1].generateRequests().length > 0, true);
  } finally {
    await hosts[2].setMode('slow', { delayMs: DELAY_MS });
  }
});

test('backfill refuses a bad --count and fails clearly when no host answers', async () => {
  const { dir } = await configDir();
  const bad = await runCli(['--config', dir, 'backfill', '--count', 'many']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--count many: expected a whole number/);
  await Promise.all(hosts.map((h) => h.setMode('down')));
  try {
    const res = await runCli(['--config', dir, 'backfill', '--count', '2']);
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /no LLM host is available: /);
    for (const h of hosts) assert.ok(res.stderr.includes(h.url), `names ${h.url}`);
  } finally {
    await Promise.all(hosts.map((h) => h.setMode('slow', { delayMs: DELAY_MS })));
  }
});

test('doctor checks every host of llm.hosts and names the one that does not answer', async () => {
  const { dir } = await configDir();
  await hosts[1].setMode('down');
  try {
    const res = await runCli(['--config', dir, 'doctor', '--json']);
    const { checks } = JSON.parse(res.stdout) as { checks: { name: string; ok: boolean; detail: string }[] };
    const byName = new Map(checks.map((c) => [c.name, c]));
    assert.equal(byName.get(`llm host ${hosts[0].url}`)?.ok, true);
    assert.match(byName.get(`llm host ${hosts[0].url}`)!.detail, /qwen2\.5:7b on ollama, concurrency 1/);
    assert.equal(byName.get(`llm host ${hosts[1].url}`)?.ok, false);
    assert.ok(byName.get(`llm host ${hosts[1].url}`)!.detail.includes(hosts[1].url), 'the detail names the URL');
    assert.notEqual(res.code, 0, 'a failing check fails doctor');
  } finally {
    await hosts[1].setMode('slow', { delayMs: DELAY_MS });
  }
});
