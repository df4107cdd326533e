/**
 * `codeworm run` end to end as a real child process: the real cycle, a real git DevLog, a real
 * SQLite state, the static provider (or the loopback fake LLM).
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { startFakeLlm } from '../support/fake-llm.ts';
import { CLI_ARGS } from '../support/cli.ts';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const GIT_ENV = { GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com' };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await (cleanups.pop() as () => Promise<void>)();
});

const SOURCE = `import os


def parse_config(path, defaults=None, strict=False):
    """Read a key=value config file."""
    result = dict(defaults or {})
    with open(path) as fh:
        for line in fh:
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            if '=' not in line:
                if strict:
                    raise ValueError(line)
                continue
            key, value = line.split('=', 1)
            if key in result and strict:
                raise KeyError(key)
            result[key.strip()] = value.strip()
    return result


def merge(a, b, deep=True):
    out = dict(a)
    for k, v in b.items():
        if deep and isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = merge(out[k], v, deep)
        elif v is None:
            out.pop(k, None)
        elif isinstance(v, list) and isinstance(out.get(k), list):
            out[k] = out[k] + v
        else:
            out[k] = v
    for k in list(out):
        if k.startswith('_'):
            del out[k]
    return out


class Loader:
    def __init__(self, root):
        self.root = root
        self.cache = {}

    def load(self, name):
        if name in self.cache:
            return self.cache[name]
        path = os.path.join(self.root, name)
        if not os.path.exists(path):
            raise FileNotFoundError(path)
        data = parse_config(path)
        self.cache[name] = data
        return data

    def reload(self, name):
        self.cache.pop(name, None)
        return self.load(name)
`;

interface Setup {
  dir: string;
  cfg: string;
  devlog: string;
  dbFile: string;
  env: NodeJS.ProcessEnv;
}

async function setup(configExtra: string): Promise<Setup> {
  const dir = await mkdtemp(path.join(tmpdir(), 'codeworm-run-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const src = path.join(dir, 'src');
  await mkdir(src, { recursive: true });
  await writeFile(path.join(src, 'app.py'), SOURCE);
  const env = { ...process.env, ...GIT_ENV, XDG_CACHE_HOME: path.join(dir, 'cache') };
  await run('git', ['init', '-q', '-b', 'main'], { cwd: src, env });
  await run('git', ['add', '.'], { cwd: src, env });
  await run('git', ['commit', '-qm', 'init'], { cwd: src, env });
  const cfg = path.join(dir, 'cfg');
  await mkdir(cfg);
  await writeFile(
    path.join(cfg, 'config.yaml'),
    `data_dir: ${path.join(dir, 'data')}\ndevlog:\n  repo_path: ${path.join(dir, 'devlog')}\nschedule:\n  mode: continuous\n  interval_seconds: 0\nanalyzer:\n  min_lines: 5\n  min_complexity: 1\n${configExtra}`,
  );
  await writeFile(path.join(cfg, 'repos.yaml'), `repositories:\n  - name: demo\n    path: ${src}\n`);
  return { dir, cfg, devlog: path.join(dir, 'devlog'), dbFile: path.join(dir, 'data', 'codeworm.db'), env };
}

interface Running {
  proc: ChildProcess;
  stderr: () => string;
  waitFor(re: RegExp, count?: number, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

function start(s: Setup): Running {
  const proc = spawn(process.execPath, [...CLI_ARGS, '-c', s.cfg, 'run'], { cwd: ROOT, env: s.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  const waiters: { re: RegExp; count: number; resolve: () => void }[] = [];
  const check = (): void => {
    for (const w of [...waiters]) {
      const n = err.match(new RegExp(w.re.source, 'g'))?.length ?? 0;
      if (n >= w.count) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  proc.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
    check();
  });
  proc.stdout?.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  cleanups.push(async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    await exited;
  });
  return {
    proc,
    stderr: () => err,
    exited,
    waitFor: (re, count = 1, timeoutMs = 90_000) =>
      new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`timed out waiting for ${count}× ${re}; stderr: ${err.slice(-2000)}`)), timeoutMs);
        waiters.push({
          re,
          count,
          resolve: () => {
            clearTimeout(t);
            resolve();
          },
        });
        check();
      }),
  };
}

async function stopWithSigterm(r: Running): Promise<void> {
  const t0 = Date.now();
  r.proc.kill('SIGTERM');
  const { code, at } = await r.exited;
  assert.equal(code, 0, r.stderr().slice(-2000));
  assert.ok(at - t0 < 10_000, `exited ${at - t0} ms after SIGTERM`);
}

/** Pages in the DevLog, commits that added a page, state rows, and `git status`. */
async function inventory(s: Setup): Promise<{ pages: string[]; pageCommits: string[]; rows: { snippet_path: string; git_commit: string }[]; dirty: string }> {
  const opts = { cwd: s.devlog, env: s.env };
  const files = (await run('git', ['ls-files', '*.md'], opts)).stdout.split('\n').filter((f) => f && !/(^|\/)README\.md$/.test(f));
  const log = (await run('git', ['log', '--format=--%h', '--name-only', '--diff-filter=A'], opts)).stdout;
  const pageCommits: string[] = [];
  let current = '';
  for (const line of log.split('\n')) {
    if (line.startsWith('--')) current = line.slice(2);
    else if (line.endsWith('.md') && !/(^|\/)README\.md$/.test(line) && !pageCommits.includes(current)) pageCommits.push(current);
  }
  const db = new Database(s.dbFile, { readonly: true });
  const rows = db.prepare('SELECT snippet_path, git_commit FROM documented_snippets').all() as { snippet_path: string; git_commit: string }[];
  db.close();
  const dirty = (await run('git', ['status', '--porcelain'], opts)).stdout;
  return { pages: files, pageCommits, rows, dirty };
}

test('run in continuous mode documents back to back; SIGTERM exits 0 with pages = commits = rows and a clean DevLog', async () => {
  const s = await setup('llm:\n  provider: static\n');
  const r = start(s);
  await r.waitFor(/"msg":"cycle success/, 3);
  await stopWithSigterm(r);
  const inv = await inventory(s);
  assert.ok(inv.pages.length >= 3, `${inv.pages.length} pages`);
  assert.equal(inv.pageCommits.length, inv.pages.length);
  assert.equal(inv.rows.length, inv.pages.length);
  assert.deepEqual(inv.rows.map((x) => x.git_commit).sort(), [...inv.pageCommits].sort());
  assert.equal(inv.dirty, '');
  // back to back: the cycles table has no gap between one cycle's end and the next start beyond a second
  const db = new Database(s.dbFile, { readonly: true });
  const cycles = db.prepare(`SELECT started_at, finished_at FROM cycles WHERE outcome = 'success' ORDER BY id`).all() as { started_at: string; finished_at: string }[];
  // coverage is published for a dashboard running on its own, whether or not the daemon serves one
  const coverage = db.prepare(`SELECT data FROM events WHERE type = 'stats' AND data LIKE '%"coverage"%' ORDER BY id DESC LIMIT 1`).pluck().get() as string | undefined;
  db.close();
  assert.ok(coverage, 'a stats event with coverage');
  const [cov] = (JSON.parse(coverage) as { coverage: { repo: string; candidates: number; documented: number }[] }).coverage;
  assert.ok(cov.candidates >= 1 && cov.documented <= cov.candidates, JSON.stringify(cov));
  for (let i = 1; i < cycles.length; i++) {
    const gap = Date.parse(cycles[i].started_at) - Date.parse(cycles[i - 1].finished_at);
    assert.ok(gap < 1000, `cycle ${i} started ${gap} ms after the previous one ended`);
  }
});

test('kill -9 and a restart: the state is reconciled from the DevLog', async () => {
  const s = await setup('llm:\n  provider: static\n');
  const first = start(s);
  await first.waitFor(/"msg":"cycle success/, 2);
  first.proc.kill('SIGKILL');
  await first.exited;
  // a crash between commit and row leaves a committed page without its row: make one
  const db = new Database(s.dbFile);
  const lost = db.prepare('SELECT id, snippet_path FROM documented_snippets LIMIT 1').get() as { id: string; snippet_path: string };
  db.prepare('DELETE FROM documented_snippets WHERE id = ?').run(lost.id);
  db.close();

  const second = start(s);
  await second.waitFor(/"msg":"state reconciled from the DevLog"/);
  assert.match(second.stderr(), /"added":[1-9]/);
  await second.waitFor(/"msg":"cycle success/, 1);
  await stopWithSigterm(second);
  const inv = await inventory(s);
  assert.ok(inv.rows.some((x) => x.snippet_path.endsWith(lost.snippet_path) || lost.snippet_path.endsWith(x.snippet_path)));
  assert.equal(inv.rows.length, inv.pages.length);
  assert.equal(inv.pageCommits.length, inv.pages.length);
  assert.equal(inv.dirty, '');
});

test('started with the LLM down it waits without burning CPU, then documents by itself once the LLM is up', async () => {
  const llm = await startFakeLlm({ mode: 'down' });
  cleanups.push(() => llm.close());
  const s = await setup(`llm:\n  provider: ollama\nollama:\n  host: ${llm.url}\n  model: qwen2.5:7b\n`);
  const r = start(s);
  await r.waitFor(/"msg":"LLM not available at/);
  const cpuBefore = await cpuSeconds(r.proc.pid as number);
  await new Promise((res) => setTimeout(res, 4000));
  const cpuDuring = (await cpuSeconds(r.proc.pid as number)) - cpuBefore;
  assert.ok(cpuDuring < 0.5, `${cpuDuring.toFixed(2)} s of CPU in 4 s of waiting`);
  assert.doesNotMatch(r.stderr(), /cycle success/);
  assert.match(r.stderr(), /attempt 1, next try in 10 s at \d{4}-/);
  await llm.setMode('ok');
  await r.waitFor(/"msg":"cycle success/, 1, 60_000);
  await stopWithSigterm(r);
  const inv = await inventory(s);
  assert.equal(inv.rows.length, inv.pages.length);
  assert.ok(inv.pages.length >= 1);
});

/** User + system CPU time of a process, from /proc (Linux). */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[11], [12] are utime, stime (the 14th and 15th of the full line), in clock ticks
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
