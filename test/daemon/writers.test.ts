/**
 * One writer per DevLog, as real processes (issue 11): parallel `run-once` beside a `run` daemon
 * on one configuration, and kill -9 at every step boundary of a cycle, through `run-once` and
 * `run`. The static provider, a real git DevLog and a real SQLite state; the invariants are the
 * user's: pages = rows = page commits, no committed page ever modified, no target twice, a clean
 * tree, and a user's own file left alone.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, test } from 'node:test';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { CLI_ARGS, runCli, REPO_ROOT, type CliResult } from '../support/cli.ts';
import { CRASH_STEPS } from '../../src/daemon/crash-point.ts';
import { DOC_TYPE_INFO } from '../../src/core/doctypes.ts';

const run = promisify(execFile);
const GIT_ENV = { GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com' };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await (cleanups.pop() as () => Promise<void>)();
});

/** Many small functions and classes, so a few dozen cycles find distinct targets. */
function source(n: number): string {
  let out = 'import os\n\n';
  for (let i = 0; i < n; i++) {
    out += `
def step_${i}(items, limit=${i + 1}, strict=False):
    """Step ${i} of the pipeline."""
    out = []
    for item in items:
        if item is None:
            continue
        if strict and not isinstance(item, int):
            raise ValueError(item)
        if item > limit:
            out.append(limit)
        else:
            out.append(item + ${i})
    return out


class Stage${i}:
    def __init__(self, root):
        self.root = root
        self.seen = {}

    def run(self, name):
        if name in self.seen:
            return self.seen[name]
        path = os.path.join(self.root, name)
        if not os.path.exists(path):
            raise FileNotFoundError(path)
        self.seen[name] = step_${i}([len(path)])
        return self.seen[name]
`;
  }
  return out;
}

interface Setup {
  dir: string;
  cfg: string;
  devlog: string;
  dbFile: string;
  env: Record<string, string>;
  userFile: string;
}

async function setup(): Promise<Setup> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-writers-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const src = path.join(dir, 'src');
  await mkdir(path.join(src, 'pipeline'), { recursive: true });
  // Big enough that 12 run-once and a continuous daemon do not exhaust the targets: security, performance
  // and TIL pages need a finding or a technique, and no symbol gets more than 2 pages (issue 12).
  await writeFile(path.join(src, 'pipeline', 'steps.py'), source(24));
  await writeFile(path.join(src, 'pipeline', 'more.py'), source(12).replace(/step_/g, 'more_').replace(/Stage/g, 'More'));
  const env = { ...GIT_ENV, XDG_CACHE_HOME: path.join(dir, 'cache') };
  for (const args of [['init', '-q', '-b', 'main'], ['add', '.'], ['commit', '-qm', 'init']]) await run('git', args, { cwd: src, env: { ...process.env, ...env } });
  const cfg = path.join(dir, 'cfg');
  await mkdir(cfg);
  const devlog = path.join(dir, 'devlog');
  await writeFile(
    path.join(cfg, 'config.yaml'),
    `data_dir: ${path.join(dir, 'data')}\ndevlog:\n  repo_path: ${devlog}\nllm:\n  provider: static\nschedule:\n  mode: continuous\n  interval_seconds: 1\nanalyzer:\n  min_lines: 5\n  min_complexity: 1\n`,
  );
  await writeFile(path.join(cfg, 'repos.yaml'), `repositories:\n  - name: demo\n    path: ${src}\n`);
  // a user's own untracked note in a doc folder: never touched
  const userFile = path.join(devlog, 'snippets', 'python', 'my-notes.md');
  await mkdir(path.dirname(userFile), { recursive: true });
  await writeFile(userFile, '# my notes\n');
  return { dir, cfg, devlog, dbFile: path.join(dir, 'data', 'codeworm.db'), env, userFile };
}

function runOnce(s: Setup, extraEnv: Record<string, string> = {}): Promise<CliResult> {
  return runCli(['-c', s.cfg, 'run-once', '-q', '--lock-wait', '120'], { env: { ...s.env, ...extraEnv }, timeoutMs: 180_000 });
}

interface Daemon {
  proc: ChildProcess;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startDaemon(s: Setup, extraEnv: Record<string, string> = {}): Daemon {
  const proc = spawn(process.execPath, [...CLI_ARGS, '-c', s.cfg, 'run', '--lock-wait', '120'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...s.env, ...extraEnv },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  cleanups.push(async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    await exited;
  });
  return { proc, stderr: () => err, exited };
}

async function waitFor(what: () => boolean, timeoutMs: number, why: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!what()) {
    if (Date.now() > until) throw new Error(`timed out: ${why()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The invariants a user relies on, checked on the DevLog and the state database. */
async function assertConsistent(s: Setup): Promise<{ pages: number }> {
  const git = async (...args: string[]) => (await run('git', args, { cwd: s.devlog })).stdout;
  const tops = [...new Set(Object.values(DOC_TYPE_INFO).map((i) => i.folder.split('/')[0]))];
  const pages = (await git('ls-files', '--', ...tops))
    .split('\n')
    .filter((f) => f.endsWith('.md'));
  const added = (await git('log', '--format=', '--name-only', '--diff-filter=A', '--', ...tops)).split('\n').filter((f) => f.endsWith('.md'));
  const modified = (await git('log', '--format=%h %s', '--name-only', '--diff-filter=MD', '--', ...tops)).trim();
  const db = new Database(s.dbFile, { readonly: true });
  const rows = db.prepare('SELECT snippet_path, git_commit, doc_type, source_file, function_name, class_name FROM documented_snippets').all() as {
    snippet_path: string;
    git_commit: string;
    doc_type: string;
    source_file: string;
    function_name: string | null;
    class_name: string | null;
  }[];
  db.close();
  const status = await git('status', '--porcelain', '--untracked-files=all');
  assert.equal(modified, '', 'no committed page was ever modified or deleted');
  assert.equal(new Set(added).size, added.length, 'each page added by exactly one commit');
  assert.deepEqual([...added].sort(), [...pages].sort(), 'pages = page commits');
  assert.deepEqual(rows.map((r) => r.snippet_path).sort(), [...pages].sort(), 'pages = rows, one row per page');
  const targets = rows.map((r) => `${r.doc_type}|${r.source_file}|${r.function_name}|${r.class_name}`);
  assert.equal(new Set(targets).size, targets.length, `no target documented twice: ${targets.filter((t, i) => targets.indexOf(t) !== i).join(', ')}`);
  for (const r of rows) assert.ok((await git('cat-file', '-t', r.git_commit)).trim() === 'commit', `row commit ${r.git_commit} exists`);
  assert.equal(status, '?? snippets/python/my-notes.md\n', 'a clean tree apart from the user\'s own note');
  assert.equal(await readFile(s.userFile, 'utf8'), '# my notes\n');
  assert.equal(existsSync(path.join(path.dirname(s.devlog), '.devlog.codeworm-lock')), false, 'no writer lock left behind');
  return { pages: pages.length };
}

test('4 rounds of 3 parallel run-once beside a run daemon: one writer at a time, nothing duplicated or modified', async () => {
  const s = await setup();
  const daemon = startDaemon(s);
  await waitFor(() => /cycle success/.test(daemon.stderr()), 120_000, () => daemon.stderr().slice(-2000));
  const outcomes: string[] = [];
  for (let round = 0; round < 4; round++) {
    const results = await Promise.all([runOnce(s), runOnce(s), runOnce(s)]);
    for (const r of results) {
      assert.equal(r.code, 0, `run-once failed: ${r.stderr}`);
      outcomes.push(/^documented:/m.test(r.stdout) ? 'documented' : /^skipped:/m.test(r.stdout) ? 'skipped' : r.stdout);
    }
  }
  daemon.proc.kill('SIGTERM');
  assert.equal((await daemon.exited).code, 0, daemon.stderr().slice(-2000));
  assert.doesNotMatch(daemon.stderr(), /git_wedged|DevLog git repository wedged/, 'no false wedge alert');
  const { pages } = await assertConsistent(s);
  assert.ok(outcomes.filter((o) => o === 'documented').length >= 6, `run-once outcomes: ${outcomes.join(', ')}`);
  assert.ok(pages >= 8, `${pages} pages`);
});

test('a second writer waits the bounded time, then exits naming the holder (pid, host, since)', async () => {
  const s = await setup();
  // a live process of this host holds the DevLog's writer lock: this test process
  const { acquireLock, devlogLockPath } = await import('../../src/state/lock.ts');
  const held = await acquireLock(await devlogLockPath(s.devlog), { command: 'test holder' });
  try {
    const res = await runCli(['-c', s.cfg, 'run-once', '--lock-wait', '1'], { env: s.env });
    assert.equal(res.code, 1);
    assert.match(res.stderr, new RegExp(`in use by another CodeWorm process: pid ${process.pid} on host ${hostname()} \\(test holder\\) since \\d{4}-\\d\\d-\\d\\dT`));
    assert.match(res.stderr, /waited 1 s/);
  } finally {
    await held.release();
  }
  // a second daemon on the same DevLog leaves the same way
  const first = startDaemon(s);
  await waitFor(() => /daemon starting/.test(first.stderr()), 60_000, () => first.stderr());
  const second = await runCli(['-c', s.cfg, 'run', '--lock-wait', '1'], { env: s.env });
  assert.equal(second.code, 1);
  assert.match(second.stderr, new RegExp(`\\(daemon\\) is in use by another CodeWorm process: pid ${first.proc.pid} on host ${hostname()} \\(run\\)`));
  first.proc.kill('SIGTERM');
  assert.equal((await first.exited).code, 0);
});

test('kill -9 at every step boundary of a cycle, through run-once and run, ends with pages = rows = commits and no duplicate', async () => {
  const s = await setup();
  const trials: string[] = [];
  // run-once: each step twice, two processes at a time (they also race for the lock)
  for (let i = 0; i < CRASH_STEPS.length; i += 2) {
    const steps = [CRASH_STEPS[i], CRASH_STEPS[i + 1] ?? CRASH_STEPS[0]];
    for (let rep = 0; rep < 2; rep++) {
      const results = await Promise.all(steps.map((step) => runOnce(s, { CW_TEST_CRASH_AT: step })));
      results.forEach((r, k) => trials.push(`run-once@${steps[k]}:${r.signal ?? r.code}`));
    }
  }
  // run: killed at its first or second cycle's step, each step twice; two daemons at a time
  // (the second waits for the first's daemon lock, which its death leaves stale)
  const daemonTrial = async (spec: string): Promise<string> => {
    const d = startDaemon(s, { CW_TEST_CRASH_AT: spec });
    const { signal } = await Promise.race([d.exited, new Promise<{ signal: string }>((resolve) => setTimeout(() => resolve({ signal: 'timeout' }), 150_000))]);
    if (signal === 'timeout') {
      d.proc.kill('SIGKILL');
      await d.exited;
    }
    return `run@${spec}:${signal}`;
  };
  for (const step of CRASH_STEPS) trials.push(...(await Promise.all([daemonTrial(`${step}:1`), daemonTrial(`${step}:2`)])));
  const killed = trials.filter((t) => t.endsWith('SIGKILL'));
  assert.ok(killed.length >= 30, `${killed.length} of ${trials.length} trials were killed: ${trials.join(' ')}`);
  // the next writer heals what the crashes left: stale locks, uncommitted pages, missing rows
  const last = await runOnce(s);
  assert.equal(last.code, 0, last.stderr);
  await assertConsistent(s);
});
