/**
 * Test support: run the real `codeworm` CLI as a child process — compiled from `dist/` when the
 * build is at least as new as every source file (`npm test` builds first), else the sources
 * through tsx. The compiled CLI starts with about a third of the CPU, which matters in the tests
 * that start dozens of processes on a 2-core machine.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(REPO_ROOT, 'src/cli/main.ts');
const DIST_CLI = path.join(REPO_ROOT, 'dist/cli/main.js');

/** Newest modification time (ms) of any file under `dir`. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) newest = Math.max(newest, statSync(path.join(e.parentPath ?? e.path, e.name)).mtimeMs);
  }
  return newest;
}

function distIsFresh(): boolean {
  try {
    return statSync(DIST_CLI).mtimeMs >= newestMtime(path.join(REPO_ROOT, 'src'));
  } catch {
    return false;
  }
}

/**
 * Node arguments that start the CLI (append the CLI's own arguments): `[dist/cli/main.js]` when
 * the build is fresh, `['--import', 'tsx', src/cli/main.ts]` otherwise. Run with the repository
 * root as cwd or use these absolute paths.
 */
export const CLI_ARGS: readonly string[] = distIsFresh() ? [DIST_CLI] : ['--import', 'tsx', CLI];

/** One index cache per test process, never the user's (`XDG_CACHE_HOME` drives env-paths). */
const CACHE_HOME = mkdtempSync(path.join(tmpdir(), 'cw-cache-'));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time in ms. */
  ms: number;
}

/** Run `codeworm ...args`; resolves when it exits (killed after `timeoutMs`). */
export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI_ARGS, ...args], {
      cwd: opts.cwd ?? REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: CACHE_HOME, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}
