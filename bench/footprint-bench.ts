/**
 * Footprint benchmark (issue 14): peak resident memory of the daemon as a user runs it —
 * `codeworm run` in continuous mode with the static provider — over 1 and 5 repositories, each
 * a copy of this machine's Python standard library (~1,750 files, 30 MB). Prints, per setting,
 * VmHWM (peak RSS of the whole process, every thread, from /proc/<pid>/status) after the window,
 * the RSS at the end, and the cycles the daemon finished. Goals: ≤ 250 MB for one repository and
 * ≤ 500 MB for five over the first 60 s.
 *
 * The daemon runs from `dist/` (run `npm run build` first) with a private cache, data dir and
 * DevLog in a temp dir; the first seconds are a cold index.
 *
 * Run: node --import tsx bench/footprint-bench.ts [--seconds=60] [--repos=1,5] [PATH]
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const SECONDS = Number(arg('seconds') ?? 60);
const REPO_COUNTS = (arg('repos') ?? '1,5').split(',').map(Number);
const CLI = path.resolve(import.meta.dirname, '../dist/cli/main.js');
const source =
  process.argv.slice(2).find((a) => !a.startsWith('--')) ??
  execFileSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' }).trim();

/** `VmHWM` and `VmRSS` of a process in MB, or null once it is gone. */
async function memoryOf(pid: number): Promise<{ hwm: number; rss: number } | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { hwm: kb('VmHWM') / 1024, rss: kb('VmRSS') / 1024 };
  } catch {
    return null;
  }
}

async function measure(repoCount: number): Promise<{ hwm: number; rss: number; cycles: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-footprint-'));
  try {
    const repos: string[] = [];
    for (let i = 0; i < repoCount; i++) {
      const copy = path.join(dir, `repo${i}`);
      // hard links: five repositories of real files without five times the disk
      execFileSync('cp', ['-al', source, copy]);
      repos.push(copy);
    }
    await writeFile(
      path.join(dir, 'config.yaml'),
      `data_dir: ${dir}/data\ndevlog:\n  repo_path: ${dir}/devlog\n  author_name: Bench\n  author_email: bench@example.com\n` +
        `llm:\n  provider: static\nschedule:\n  mode: continuous\n  interval_seconds: 0\ndashboard:\n  enabled: false\n`,
    );
    await writeFile(path.join(dir, 'repos.yaml'), `repositories:\n${repos.map((r, i) => `  - name: r${i}\n    path: ${r}\n`).join('')}`);
    const child = spawn(process.execPath, [CLI, '--config', dir, 'run'], {
      env: { ...process.env, XDG_CACHE_HOME: path.join(dir, 'cache'), CODEWORM_LLM__PROVIDER: 'static' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    let last = { hwm: 0, rss: 0 };
    const end = Date.now() + SECONDS * 1000;
    while (Date.now() < end) {
      await new Promise((r) => setTimeout(r, 1000));
      const m = await memoryOf(child.pid!);
      if (!m) throw new Error(`the daemon exited early:\n${stderr}`);
      last = m;
    }
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    const dbFile = path.join(dir, 'data', 'codeworm.db');
    let cycles = 0;
    if (existsSync(dbFile)) {
      const db = new Database(dbFile, { readonly: true });
      cycles = (db.prepare("SELECT COUNT(*) AS n FROM cycles WHERE outcome IS NOT NULL").get() as { n: number }).n;
      db.close();
    }
    return { ...last, cycles };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
console.log(`footprint of codeworm run (continuous, static provider) over copies of ${source}, ${SECONDS} s each`);
for (const n of REPO_COUNTS) {
  const goal = n === 1 ? 250 : 500;
  const r = await measure(n);
  console.log(
    `${n} repositor${n === 1 ? 'y' : 'ies'}: peak RSS (VmHWM) ${r.hwm.toFixed(0)} MB (goal ≤ ${goal} MB, ratio ${(r.hwm / goal).toFixed(2)}), ` +
      `RSS at the end ${r.rss.toFixed(0)} MB, ${r.cycles} cycles finished`,
  );
}
