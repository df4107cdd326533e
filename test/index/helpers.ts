/** Shared helpers of the index tests: temp repositories built from a file map, git with a fixed identity. */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Create a temp directory holding `files` (repo-relative path → content). */
export async function makeTree(files: Record<string, string | Uint8Array>, prefix = 'cw-index-'): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), prefix));
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, content);
  }
  return root;
}

/** Run git in `cwd` with a fixed identity and, when given, fixed author and committer dates. */
export async function git(cwd: string, args: string[], date?: Date): Promise<string> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_AUTHOR_NAME: 'Ada',
    GIT_AUTHOR_EMAIL: 'ada@example.com',
    GIT_COMMITTER_NAME: 'Ada',
    GIT_COMMITTER_EMAIL: 'ada@example.com',
    GIT_CONFIG_NOSYSTEM: '1',
  };
  if (date) {
    env.GIT_AUTHOR_DATE = date.toISOString();
    env.GIT_COMMITTER_DATE = date.toISOString();
  }
  const { stdout } = await run('git', args, { cwd, env });
  return stdout;
}

/** Commit everything in `cwd` as `author` at `date`. */
export async function commitAll(cwd: string, message: string, date: Date, author = 'Ada'): Promise<void> {
  await git(cwd, ['add', '-A']);
  await git(cwd, ['-c', `user.name=${author}`, '-c', 'user.email=a@example.com', 'commit', '-q', '--author', `${author} <${author.toLowerCase()}@example.com>`, '-m', message], date);
}

export const DAY_MS = 86_400_000;

/** A Python function of `n` body lines with one `if` per line (cyclomatic n + 1). */
export function pyFunction(name: string, n: number, indent = ''): string {
  const body = Array.from({ length: n }, (_, i) => `${indent}    if x == ${i}:\n${indent}        return ${i}`).join('\n');
  return `${indent}def ${name}(x):\n${body}\n${indent}    return -1\n`;
}
