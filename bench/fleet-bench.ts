/**
 * Throughput of fleet mode (issue 16: "60 pages in at most 25 s with three hosts; one host: at
 * least 60 s") with a private PostgreSQL server, one `run --role coordinator` and 1, 2, 3
 * `worker --llm URL` processes, each on its own Ollama-protocol fake server that takes DELAY_MS
 * per generation request (a page is two requests: body and commit message; 500 ms is 1 s of
 * LLM time per page). The repository is synthetic: PAGES small Python functions.
 *
 * Prints, per host count: the coordinator's wall time (start to exit: indexing included) and the
 * fleet time from the first enqueue to the last publish (from PostgreSQL's timestamps), pages
 * per minute, and the speed-up over one host. Build first (`npm run build`) so the processes
 * start from dist/.
 * Run: node --import tsx bench/fleet-bench.ts [PAGES=60] [DELAY_MS=500] [MAX_HOSTS=3] [MIN_HOSTS=1]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { CLI_ARGS, REPO_ROOT } from '../test/support/cli.ts';
import { makeRepo } from '../test/support/git-repo.ts';
import { startFakeLlm } from '../test/support/fake-llm.ts';
import { startPostgres } from '../test/support/postgres.ts';

const pages = Number(process.argv[2] ?? 60);
const delayMs = Number(process.argv[3] ?? 500);
const maxHosts = Number(process.argv[4] ?? 3);
const minHosts = Number(process.argv[5] ?? 1);

const files: Record<string, string> = {};
for (let i = 0; i < pages; i++) {
  const f = `pkg/mod${Math.floor(i / 10)}.py`;
  files[f] =
    (files[f] ?? '') +
    `def compute_${i}(items, limit, scale):\n    total = 0\n    for x in items:\n        if x is None:\n            continue\n        if x > limit:\n            for k in range(scale):\n                if k % 2:\n                    total += x * ${i + 1}\n                else:\n                    total -= k\n        elif x < 0:\n            total -= 1\n        else:\n            total += scale\n    return total\n\n\n`;
}

const server = await startPostgres();
if (!server) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
const repo = await makeRepo(files);
const hosts = await Promise.all(Array.from({ length: maxHosts }, () => startFakeLlm({ mode: 'slow', modeOptions: { delayMs } })));
const cache = await mkdtemp(path.join(tmpdir(), 'cw-fleet-bench-cache-'));
const children = new Set<ChildProcess>();

function start(dir: string, args: string[]): { child: ChildProcess; exited: Promise<number | null>; out: () => string } {
  const child = spawn(process.execPath, [...CLI_ARGS, '--config', dir, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: cache },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => (children.delete(child), resolve(code))));
  return { child, exited, out: () => out };
}

async function one<T>(url: string, sql: string): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows[0] as T;
  } finally {
    await c.end();
  }
}

const results: { hosts: number; wall: number; fleet: number; published: number }[] = [];
try {
  for (let n = minHosts; n <= maxHosts; n++) {
    const dir = await mkdtemp(path.join(tmpdir(), 'cw-fleet-bench-'));
    const url = await server.createDatabase();
    await writeFile(
      path.join(dir, 'config.yaml'),
      `data_dir: ${dir}/data\ndevlog:\n  repo_path: ${dir}/devlog\n  author_name: Bench\n  author_email: bench@example.com\nanalyzer:\n  min_complexity: 1\n  min_lines: 1\nstorage:\n  url: ${url}\nfleet:\n  poll_seconds: 0.5\n  queue_ahead: ${4 * n}\n`,
    );
    await writeFile(path.join(dir, 'repos.yaml'), `repositories:\n  - name: bench\n    path: ${repo}\n`);
    const workers = hosts.slice(0, n).map((h) => start(dir, ['worker', '--llm', h.url]));
    // workers are up when their heartbeat rows are there (their start-up is not measured)
    for (let t = 0; ; t++) {
      const up = await one<{ n: string }>(url, 'SELECT count(*) AS n FROM fleet_workers').catch(() => ({ n: '0' }));
      if (Number(up.n) >= n) break;
      if (t > 600) throw new Error(`workers did not start:\n${workers.map((w) => w.out()).join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const t0 = Date.now();
    const coord = start(dir, ['run', '--role', 'coordinator', '--type', 'function_doc', '--until-done']);
    const code = await coord.exited;
    const wall = (Date.now() - t0) / 1000;
    if (code !== 0) throw new Error(`coordinator exited ${code}:\n${coord.out()}`);
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    const r = await one<{ published: string; seconds: number }>(
      url,
      "SELECT count(*) FILTER (WHERE status = 'published') AS published, EXTRACT(EPOCH FROM max(published_at) - min(enqueued_at))::float AS seconds FROM fleet_targets",
    );
    results.push({ hosts: n, wall, fleet: r.seconds, published: Number(r.published) });
    console.log(
      `${n} host(s): ${r.published} pages; coordinator ${wall.toFixed(1)} s (start to exit), first enqueue to last publish ${r.seconds.toFixed(1)} s (${((Number(r.published) * 60) / r.seconds).toFixed(1)} per minute); ${coord.out().match(/selecting [\d.]+ s, publishing [\d.]+ s/)?.[0] ?? ''}`,
    );
  }
} finally {
  for (const c of children) c.kill('SIGKILL');
  await Promise.all(hosts.map((h) => h.close()));
  await server.stop();
}
const base = results[0];
for (const r of results.slice(1)) console.log(`speed-up ${r.hosts} hosts / 1 host: ${(base.fleet / r.fleet).toFixed(2)}× (first enqueue to last publish)`);
