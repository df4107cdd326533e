/**
 * Fleet mode (issue 16, item 4) with a real PostgreSQL server (test/support/postgres.ts), three
 * Ollama-protocol fake servers taking 1 s per page (two requests of 500 ms: body and commit
 * message), and the real CLI: one `run --role coordinator` and three `worker --llm URL`
 * processes. Short visibility timeouts (fleet.visibility_timeout_seconds) keep it quick.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { CLI_ARGS, REPO_ROOT } from '../support/cli.ts';
import { makeRepo } from '../support/git-repo.ts';
import { startFakeLlm, type FakeLlm } from '../support/fake-llm.ts';
import { skipWithoutPostgres, startPostgres, type PgServer } from '../support/postgres.ts';
import { loadSettings } from '../../src/config/load.ts';
import { startDashboard } from '../../src/dashboard/server.ts';

/** `/api/fleet` of a dashboard started on the configuration in `dir`, and whether its page has the fleet card. */
async function dashboardFleet(dir: string): Promise<{ api: Record<string, unknown>; card: boolean }> {
  const dash = await startDashboard({ settings: await loadSettings(dir), port: 0, thread: false });
  try {
    const api = (await (await fetch(new URL('/api/fleet', dash.url))).json()) as Record<string, unknown>;
    const page = await (await fetch(dash.url)).text();
    return { api, card: /id="fleet-card"/.test(page) };
  } finally {
    await dash.close();
  }
}

const skip = skipWithoutPostgres();
const CACHE_HOME = mkdtempSync(path.join(tmpdir(), 'cw-fleet-cache-'));
let server: PgServer | null = null;
let hosts: FakeLlm[] = [];
const children = new Set<ChildProcess>();

/** `n` functions of cyclomatic complexity 5, ten per file: `n` function_doc targets. */
function functions(n: number, tag: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    const f = `pkg/mod${Math.floor(i / 10)}.py`;
    files[f] =
      (files[f] ?? '') +
      `def ${tag}_${i}(items, limit):\n    total = 0\n    for x in items:\n        if x is None:\n            continue\n        if x > limit:\n            total += x * ${i + 1}\n        elif x < 0:\n            total -= 1\n        else:\n            total += ${i + 2}\n    return total\n\n\n`;
  }
  return files;
}

before(async () => {
  if (skip) return;
  server = await startPostgres();
  hosts = await Promise.all([0, 1, 2].map(() => startFakeLlm({ mode: 'slow', modeOptions: { delayMs: 500 } })));
});
after(async () => {
  for (const c of children) c.kill('SIGKILL');
  await Promise.all(hosts.map((h) => h.close()));
  await server?.stop();
});

interface Fleet {
  dir: string;
  devlog: string;
  data: string;
  url: string;
}

async function fleet(n: number, tag: string): Promise<Fleet> {
  const repo = await makeRepo(functions(n, tag));
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-fleet-'));
  const url = await server!.createDatabase();
  const devlog = path.join(dir, 'devlog');
  const data = path.join(dir, 'data');
  await writeFile(
    path.join(dir, 'config.yaml'),
    [
      `data_dir: ${data}`,
      'devlog:',
      `  repo_path: ${devlog}`,
      '  author_name: CodeWorm Test',
      '  author_email: cw@example.com',
      'ollama:',
      '  timeout_seconds: 10',
      'analyzer:',
      '  min_complexity: 1',
      '  min_lines: 1',
      'storage:',
      `  url: ${url}`,
      'fleet:',
      '  visibility_timeout_seconds: 6',
      '  maintenance_interval_seconds: 1',
      '  retry_delay_seconds: 0',
      '  poll_seconds: 0.5',
      '  queue_ahead: 6',
      '',
    ].join('\n'),
  );
  await writeFile(path.join(dir, 'repos.yaml'), `repositories:\n  - name: ${tag}\n    path: ${repo}\n`);
  return { dir, devlog, data, url };
}

interface Proc {
  child: ChildProcess;
  /** stdout and stderr together, as they came. */
  out: () => string;
  stdout: () => string;
  exited: Promise<number | null>;
}

function start(f: Fleet, args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, [...CLI_ARGS, '--config', f.dir, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: CACHE_HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  let stdout = '';
  child.stdout!.on('data', (c: Buffer) => ((out += c.toString()), (stdout += c.toString())));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  return { child, out: () => out, stdout: () => stdout, exited };
}

const coordinator = (f: Fleet, env: Record<string, string> = {}) => start(f, ['run', '--role', 'coordinator', '--type', 'function_doc', '--until-done'], env);
const worker = (f: Fleet, h: FakeLlm) => start(f, ['worker', '--llm', h.url]);

async function within<T>(p: Promise<T>, ms: number, what: string, log: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms\n${log()}`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

async function waitFor(cond: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond().catch(() => false))) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql, values)).rows;
  } finally {
    await c.end();
  }
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

const git = (devlog: string, args: string[]): string => execFileSync('git', args, { cwd: devlog, encoding: 'utf8' }).trim();

/** Everything a finished fleet run must show: n pages, n commits, n rows (SQLite and PostgreSQL), no duplicate, clean tree. */
async function assertExactlyOnce(f: Fleet, n: number): Promise<void> {
  const written = await pages(f.devlog);
  assert.equal(written.length, n, `${n} pages in the DevLog`);
  const log = git(f.devlog, ['log', '--format=%h %s']).split('\n');
  assert.equal(log.length, n + 1, `${n} page commits after the DevLog initialisation`);
  assert.equal(git(f.devlog, ['status', '--porcelain']), '', 'clean DevLog tree');
  const db = new Database(path.join(f.data, 'codeworm.db'), { readonly: true });
  try {
    const rows = db.prepare('SELECT snippet_path, source_file, function_name, code_hash, git_commit FROM documented_snippets').all() as {
      snippet_path: string;
      function_name: string;
      code_hash: string;
      git_commit: string;
    }[];
    assert.equal(rows.length, n, `${n} rows in the coordinator's state`);
    assert.deepEqual(rows.map((r) => r.snippet_path).sort(), written);
    assert.equal(new Set(rows.map((r) => r.function_name)).size, n, 'no function documented twice');
    assert.equal(new Set(rows.map((r) => r.git_commit)).size, n, 'one commit per page');
  } finally {
    db.close();
  }
  const pgRows = await query<{ n: string; d: string }>(f.url, 'SELECT count(*) AS n, count(DISTINCT function_name) AS d FROM documented_snippets');
  assert.equal(Number(pgRows[0].n), n, `${n} rows in PostgreSQL`);
  assert.equal(Number(pgRows[0].d), n);
  const states = await query<{ status: string; n: string }>(f.url, 'SELECT status, count(*) AS n FROM fleet_targets GROUP BY status');
  assert.deepEqual(
    states.map((s) => [s.status, Number(s.n)]),
    [['published', n]],
    'every fleet row published',
  );
}

test('one coordinator and three workers document 60 targets: 60 pages, 60 commits, 60 rows, no duplicate', { skip, timeout: 240_000 }, async () => {
  const f = await fleet(60, 'calc');
  hosts.forEach((h) => h.clearRequests());
  const workers = hosts.map((h) => worker(f, h));
  const coord = coordinator(f);
  const all = () => [coord, ...workers].map((p) => p.out()).join('\n---\n');
  const code = await within(coord.exited, 200_000, 'coordinator', all);
  assert.equal(code, 0, all());
  assert.match(coord.out(), /coordinator: 60 enqueued, 60 published, 0 failed/);
  for (const w of workers) w.child.kill('SIGTERM');
  const codes = await within(Promise.all(workers.map((w) => w.exited)), 30_000, 'workers stopping', all);
  assert.deepEqual(codes, [0, 0, 0], all());
  await assertExactlyOnce(f, 60);
  // all three hosts generated, and the rows say which worker host did each page
  const byHost = await query<{ host: string; n: string }>(f.url, 'SELECT host, count(*) AS n FROM fleet_targets GROUP BY host');
  assert.deepEqual(byHost.map((r) => r.host).sort(), hosts.map((h) => h.url).sort());
  for (const h of hosts) assert.ok(h.generateRequests().length >= 2, `${h.url} generated`);
  // stats shows the fleet: queue, workers and their hosts, throughput, failures
  const stats = start(f, ['stats', '--json']);
  assert.equal(await stats.exited, 0, stats.out());
  const doc = JSON.parse(stats.stdout()) as { fleet: { targets: Record<string, number>; workers: { llm: string; generated: number }[]; failed: number } };
  assert.equal(doc.fleet.targets.published, 60);
  assert.equal(doc.fleet.failed, 0);
  assert.deepEqual(doc.fleet.workers.map((w) => w.llm).sort(), hosts.map((h) => h.url).sort());
  assert.equal(
    doc.fleet.workers.reduce((k, w) => k + w.generated, 0),
    60,
  );
  // doctor checks the PostgreSQL of storage.url
  const doctor = start(f, ['doctor', '--json']);
  await doctor.exited;
  const checks = (JSON.parse(doctor.stdout()) as { checks: { name: string; ok: boolean; detail: string }[] }).checks;
  const pgCheck = checks.find((c) => c.name === 'postgres');
  assert.equal(pgCheck?.ok, true, JSON.stringify(checks));
  assert.match(pgCheck!.detail, /reachable \(PostgreSQL [\d.]+.*\); 3 of 3 migrations applied$/);
  // and so does the dashboard
  const dash = await dashboardFleet(f.dir);
  assert.equal(dash.card, true);
  const api = dash.api as { enabled: boolean; targets: { published: number }; workers: { llm: string; alive: boolean }[] };
  assert.equal(api.enabled, true);
  assert.equal(api.targets.published, 60);
  assert.deepEqual(api.workers.map((w) => w.llm).sort(), hosts.map((h) => h.url).sort());
  assert.ok(api.workers.every((w) => !w.alive), 'stopped workers are not shown alive');
});

test('a worker killed with SIGKILL in the middle of a job: another worker does it, still exactly one page', { skip, timeout: 180_000 }, async () => {
  const f = await fleet(8, 'kill');
  hosts.forEach((h) => h.clearRequests());
  await hosts[0].setMode('slow', { delayMs: 3000 }); // the victim's host: its job is in flight for a while
  try {
    const victim = worker(f, hosts[0]);
    const coord = coordinator(f);
    const others: Proc[] = [];
    const all = () => [coord, victim, ...others].map((p) => p.out()).join('\n---\n');
    await waitFor(async () => hosts[0].generateRequests().length > 0, 60_000, 'the victim took a job');
    const taken = await query<{ id: string; display_name: string }>(f.url, "SELECT id, display_name FROM fleet_targets WHERE status = 'generating' AND host = $1", [hosts[0].url]);
    assert.equal(taken.length, 1, 'the victim is generating one page');
    victim.child.kill('SIGKILL');
    await victim.exited;
    others.push(worker(f, hosts[1]), worker(f, hosts[2]));
    const code = await within(coord.exited, 150_000, 'coordinator', all);
    assert.equal(code, 0, all());
    for (const w of others) w.child.kill('SIGTERM');
    await Promise.all(others.map((w) => w.exited));
    await assertExactlyOnce(f, 8);
    const [row] = await query<{ host: string; attempts: number; status: string }>(f.url, 'SELECT host, attempts, status FROM fleet_targets WHERE id = $1', [taken[0].id]);
    assert.equal(row.status, 'published');
    assert.notEqual(row.host, hosts[0].url, 'another worker generated the dead worker\'s page');
    assert.ok(row.attempts >= 2, 'taken again after the visibility timeout');
  } finally {
    await hosts[0].setMode('slow', { delayMs: 500 });
  }
});

test('the coordinator killed with SIGKILL (once between a commit and its row) and restarted, and PostgreSQL restarted under the fleet: no page lost or doubled', { skip, timeout: 240_000 }, async () => {
  const f = await fleet(24, 'crash');
  const workers = hosts.map((h) => worker(f, h));
  const published = async () => Number((await query<{ n: string }>(f.url, "SELECT count(*) AS n FROM fleet_targets WHERE status = 'published'"))[0].n);
  // the worst moment: the fifth page is committed to the DevLog, its row is not recorded anywhere
  let coord = coordinator(f, { CW_TEST_CRASH_AT: 'committed:5' });
  const procs = () => [coord, ...workers];
  const all = () => procs().map((p) => p.out()).join('\n---\n');
  const crashed = await within(coord.exited, 120_000, 'coordinator crash', all);
  assert.equal(crashed, null, 'killed by SIGKILL');
  assert.equal(await published(), 4);
  assert.equal((await pages(f.devlog)).length, 5, 'the fifth page was committed before the crash');
  coord = coordinator(f);
  await waitFor(async () => (await published()) >= 8, 120_000, 'eight pages published');
  // then killed from outside, between pages or in the middle of one
  coord.child.kill('SIGKILL');
  await coord.exited;
  const before = coord.out();
  coord = coordinator(f);
  await waitFor(async () => (await published()) >= 14, 120_000, 'fourteen pages published');
  await server!.restart();
  const code = await within(coord.exited, 180_000, 'restarted coordinator', () => `${before}\n===\n${all()}`);
  assert.equal(code, 0, all());
  for (const w of workers) w.child.kill('SIGTERM');
  const codes = await within(Promise.all(workers.map((w) => w.exited)), 30_000, 'workers stopping', all);
  assert.deepEqual(codes, [0, 0, 0], 'the workers lived through the PostgreSQL restart');
  assert.match(before, /recovered/, 'the committed page of the crash was recognised, not written again');
  await assertExactlyOnce(f, 24);
});

test('fleet commands refuse to start without storage.url, naming it', { skip, timeout: 60_000 }, async () => {
  const f = await fleet(1, 'nourl');
  await writeFile(path.join(f.dir, 'config.yaml'), `data_dir: ${f.data}\ndevlog:\n  repo_path: ${f.devlog}\n`);
  for (const args of [['worker'], ['run', '--role', 'coordinator']]) {
    const p = start(f, args);
    assert.equal(await p.exited, 2, p.out());
    assert.match(p.out(), /needs PostgreSQL: set storage\.url: postgres:\/\//);
  }
  // single-machine mode: the dashboard has no fleet to show
  assert.deepEqual((await dashboardFleet(f.dir)).api, { enabled: false });
});
