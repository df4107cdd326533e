import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../support/cli.ts';
import { makeSampleRepo } from '../support/sample-repo.ts';
import { startFakeLlm } from '../support/fake-llm.ts';
import { loadSettings } from '../../src/config/load.ts';
import { openStateDb } from '../../src/state/db.ts';
import { DashboardQueries } from '../../src/dashboard/queries.ts';

test('init writes a commented config that loads with the defaults, and the DevLog with its folders; a second init keeps both', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-init-'));
  const config = path.join(dir, 'config');
  const res = await runCli(['--config', config, 'init', '--devlog', path.join(dir, 'devlog')]);
  assert.equal(res.code, 0, res.stderr);
  const text = await readFile(path.join(config, 'config.yaml'), 'utf8');
  assert.match(text, /^# CodeWorm configuration/);
  assert.match(text, /min_commits_per_day: 12/);
  const settings = await loadSettings(config);
  assert.equal(settings.devlog.repo_path, path.join(dir, 'devlog'));
  assert.equal(settings.ollama.model, 'qwen2.5:7b');
  for (const folder of ['snippets/python', 'classes', 'reviews/async', 'analysis/weekly', '.git']) {
    assert.ok((await stat(path.join(dir, 'devlog', folder))).isDirectory(), folder);
  }
  await writeFile(path.join(config, 'repos.yaml'), 'repositories: []\n# mine\n');
  const again = await runCli(['--config', config, 'init', '--devlog', path.join(dir, 'devlog')]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /kept +.*repos\.yaml/);
  assert.match(await readFile(path.join(config, 'repos.yaml'), 'utf8'), /# mine/);
});

async function configFor(host: string, provider = 'ollama'): Promise<string> {
  const repo = await makeSampleRepo();
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-doctor-'));
  await writeFile(
    path.join(dir, 'config.yaml'),
    `data_dir: data\ndevlog:\n  repo_path: devlog\n  author_name: T\n  author_email: t@example.com\nllm:\n  provider: ${provider}\nollama:\n  host: ${host}\n`,
  );
  await writeFile(path.join(dir, 'repos.yaml'), `repositories:\n  - name: sample\n    path: ${repo}\n`);
  return dir;
}

test('doctor says OK for each check of a working setup and names the fix for what fails', async () => {
  const llm = await startFakeLlm();
  try {
    const dir = await configFor(llm.url);
    const ok = await runCli(['--config', dir, 'doctor']);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    for (const name of ['config', 'llm', 'model', 'devlog', 'git identity', 'remote', 'repositories']) assert.match(ok.stdout, new RegExp(`^OK +${name}`, 'm'));

    await llm.setMode('model_missing');
    const missing = await runCli(['--config', dir, 'doctor']);
    assert.equal(missing.code, 1);
    assert.match(missing.stdout, /^FAIL +(llm|model) .*ollama pull qwen2\.5:7b/m);

    await llm.setMode('down');
    const down = await runCli(['--config', dir, 'doctor', '--json']);
    assert.equal(down.code, 1);
    const doc = JSON.parse(down.stdout) as { ok: boolean; checks: { name: string; ok: boolean; detail: string }[] };
    assert.equal(doc.ok, false);
    const llmCheck = doc.checks.find((c) => c.name === 'llm')!;
    assert.equal(llmCheck.ok, false);
    assert.ok(llmCheck.detail.includes(llm.url), llmCheck.detail);
  } finally {
    await llm.close();
  }
});

test('doctor honours llm.provider set only through the environment', async () => {
  const dir = await configFor('http://127.0.0.1:9'); // config.yaml: ollama on a closed port
  const res = await runCli(['--config', dir, 'doctor'], { env: { CODEWORM_LLM__PROVIDER: 'static' } });
  assert.equal(res.code, 0, res.stdout + res.stderr);
  assert.match(res.stdout, /^OK +llm +static provider/m);
});

test('doctor reports a broken config as a failed check with the file and key', async () => {
  const dir = await configFor('localhost');
  await writeFile(path.join(dir, 'config.yaml'), 'ollama:\n  port: lots\n');
  const res = await runCli(['--config', dir, 'doctor']);
  assert.equal(res.code, 1);
  assert.match(res.stdout, /^FAIL +config .*config\.yaml.*ollama\.port/m);
});

test('doctor fails a corrupt or zero-byte state database and a DevLog mid-merge, and names lock holders', async () => {
  const dir = await configFor('localhost', 'static');
  const first = await runCli(['--config', dir, 'run-once', '-q']);
  assert.equal(first.code, 0, first.stderr);
  const healthy = await runCli(['--config', dir, 'doctor']);
  assert.equal(healthy.code, 0, healthy.stdout);
  assert.match(healthy.stdout, /^OK +database .*passes PRAGMA quick_check/m);
  assert.match(healthy.stdout, /^OK +devlog git .*no merge or rebase in progress/m);
  assert.match(healthy.stdout, /^OK +locks +no CodeWorm process is writing/m);

  // a writer holding the DevLog: doctor names it
  const { acquireLock, devlogLockPath } = await import('../../src/state/lock.ts');
  const held = await acquireLock(await devlogLockPath(path.join(dir, 'devlog')), { command: 'run-once' });
  const busy = await runCli(['--config', dir, 'doctor']);
  await held.release();
  assert.match(busy.stdout, new RegExp(`^OK +locks +DevLog writer lock held by pid ${process.pid} on host .* \\(run-once\\) since `, 'm'));

  // mid-merge: every cycle would fail
  const devlog = path.join(dir, 'devlog');
  const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: devlog, encoding: 'utf8' });
  await writeFile(path.join(devlog, '.git', 'MERGE_HEAD'), head);
  const merging = await runCli(['--config', dir, 'doctor']);
  assert.equal(merging.code, 1);
  assert.match(merging.stdout, /^FAIL +devlog git .*middle of a merge.*merge --abort/m);
  await rm(path.join(devlog, '.git', 'MERGE_HEAD'));

  // damaged pages inside the database file
  const dbFile = path.join(dir, 'data', 'codeworm.db');
  const bytes = await readFile(dbFile);
  for (let i = 4096; i < bytes.length; i++) bytes[i] = (i * 7) & 0xff;
  await writeFile(dbFile, bytes);
  const corrupt = await runCli(['--config', dir, 'doctor']);
  assert.equal(corrupt.code, 1);
  assert.match(corrupt.stdout, /^FAIL +database .*(damaged|cannot be read as a database).*state rebuild/m);

  // zero bytes: lost, not new
  await writeFile(dbFile, '');
  await rm(`${dbFile}-wal`, { force: true });
  await rm(`${dbFile}-shm`, { force: true });
  const empty = await runCli(['--config', dir, 'doctor']);
  assert.equal(empty.code, 1);
  assert.match(empty.stdout, /^FAIL +database .*empty \(0 bytes\)/m);
  const refused = await runCli(['--config', dir, 'run-once', '-q']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /codeworm\.db is empty \(0 bytes\): the state database was truncated or lost.*state rebuild/);
});

test('stats counts what run-once documented, by repository and doc type', async () => {
  const dir = await configFor('localhost', 'static');
  const empty = await runCli(['--config', dir, 'stats', '--json']);
  assert.equal(empty.code, 0, empty.stderr);
  const none = JSON.parse(empty.stdout) as { total_documented: number; cycles: { total: number; success_rate: number | null } };
  assert.equal(none.total_documented, 0);
  assert.deepEqual([none.cycles.total, none.cycles.success_rate], [0, null]);
  assert.match((await runCli(['--config', dir, 'stats'])).stdout, /success rate n\/a/);
  for (const type of ['function_doc', 'class_doc']) {
    const r = await runCli(['--config', dir, 'run-once', '--type', type, '-q']);
    assert.equal(r.code, 0, r.stderr);
  }
  const res = await runCli(['--config', dir, 'stats', '--json']);
  const s = JSON.parse(res.stdout) as { total_documented: number; today: number; last_7_days: number; by_repo: Record<string, number>; by_doc_type: Record<string, number>; grounding_rate: number | null };
  assert.equal(s.total_documented, 2);
  assert.equal(s.today, 2);
  assert.equal(s.last_7_days, 2);
  assert.deepEqual(s.by_repo, { sample: 2 });
  assert.deepEqual(s.by_doc_type, { function_doc: 1, class_doc: 1 });
  assert.ok(s.grounding_rate !== null, 'pages are grounding-checked');
  // each run-once is a cycle (state/metrics.ts): two successful cycles, not "0.0%"
  const cycles = (s as unknown as { cycles: { total: number; successful: number; success_rate: number } }).cycles;
  assert.deepEqual([cycles.total, cycles.successful, cycles.success_rate], [2, 2, 100]);
  const text = await runCli(['--config', dir, 'stats']);
  assert.match(text.stdout, /Documented: 2 total, 2 today/);
  assert.match(text.stdout, /Cycles: 2 \(2 ok, 0 failed, 0 skipped\), success rate 100\.0%/);
  // the dashboard reads the same numbers from the same database
  const db = openStateDb((await loadSettings(dir)).data_dir);
  try {
    const api = await new DashboardQueries(db).stats();
    assert.deepEqual([api.cycles.total, api.cycles.success, api.success_rate, api.grounding_rate, api.last_7_days], [2, 2, 100, s.grounding_rate, 2]);
  } finally {
    db.close();
  }
});
