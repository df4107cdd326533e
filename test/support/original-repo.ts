/**
 * Test support: a clone of the original (Python) CodeWorm from the git bundle in
 * `test/fixtures/original-codeworm/` — real code with real history that nobody here wrote.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './cli.ts';

export const ORIGINAL_BUNDLE = path.join(REPO_ROOT, 'test/fixtures/original-codeworm/codeworm.bundle');

/** Clone the bundle into a fresh temp directory; returns the clone's path (branch `main`, head 20b526f). */
export async function cloneOriginal(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-original-'));
  execFileSync('git', ['clone', '-q', '-b', 'main', ORIGINAL_BUNDLE, path.join(dir, 'codeworm')], { stdio: 'ignore' });
  return path.join(dir, 'codeworm');
}
