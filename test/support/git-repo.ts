/**
 * Test support: a real git repository in a temp dir, with commits at chosen dates and an
 * identity that does not depend on the machine's git config.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.com',
  GIT_COMMITTER_NAME: 'Test Author',
  GIT_COMMITTER_EMAIL: 'author@example.com',
};

/** Run git in `cwd` with the test identity; returns stdout. */
export async function git(cwd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run('git', args, { cwd, env: { ...process.env, ...GIT_ENV, ...env } });
  return stdout;
}

/** Create a repository holding `files` (path → content), committed once (at `date` if given). */
export async function makeRepo(files: Record<string, string>, opts: { date?: Date; message?: string } = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-src-'));
  await git(dir, ['init', '-q', '-b', 'main']);
  await writeFiles(dir, files);
  await commitAll(dir, opts.message ?? 'initial commit', opts.date);
  return dir;
}

export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
}

export async function commitAll(dir: string, message: string, date?: Date): Promise<void> {
  const when: Record<string, string> = date ? { GIT_AUTHOR_DATE: date.toISOString(), GIT_COMMITTER_DATE: date.toISOString() } : {};
  await git(dir, ['add', '-A']);
  await git(dir, ['commit', '-q', '--allow-empty', '-m', message], when);
}
