/**
 * Test support: a git repository of real code nobody here wrote — Python's `asyncio` and
 * `json` packages from this machine's standard library and the TypeScript sources of the
 * `openai` client from node_modules — committed in several steps on different days (the last
 * adds `JSONDecoder` to `json/decoder.py`, a change with a commit body), so churn, history and
 * code evolution have something real to read.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { commitAll, git } from './git-repo.ts';
import { REPO_ROOT } from './cli.ts';

export function pythonStdlib(): string {
  return execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' }).trim();
}

/** Build the repository; returns its path. */
export async function makeRealRepo(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-real-'));
  await git(dir, ['init', '-q', '-b', 'main']);
  const stdlib = pythonStdlib();
  const day = 86_400_000;
  const copyPy = async (pkg: string, filter: (n: string) => boolean) => {
    for (const n of (await readdir(path.join(stdlib, pkg))).filter((x) => x.endsWith('.py') && filter(x))) {
      await cp(path.join(stdlib, pkg, n), path.join(dir, pkg, n));
    }
  };
  await copyPy('json', () => true);
  // json/decoder.py first without its JSONDecoder class, which a later commit adds: a real
  // change (not a file's creation) for code evolution.
  const decoder = await readFile(path.join(stdlib, 'json/decoder.py'), 'utf8');
  const cut = decoder.indexOf('\nclass JSONDecoder');
  await writeFile(path.join(dir, 'json/decoder.py'), decoder.slice(0, cut + 1));
  await commitAll(dir, 'Import the json package', new Date(Date.now() - 40 * day));
  await copyPy('asyncio', (n) => n < 'q');
  await commitAll(dir, 'Import asyncio, first half', new Date(Date.now() - 12 * day));
  await copyPy('asyncio', (n) => n >= 'q');
  await cp(path.join(REPO_ROOT, 'node_modules/openai/src/core'), path.join(dir, 'openai/core'), { recursive: true });
  await cp(path.join(REPO_ROOT, 'node_modules/openai/src/index.ts'), path.join(dir, 'openai/index.ts'));
  await cp(path.join(REPO_ROOT, 'node_modules/openai/src/client.ts'), path.join(dir, 'openai/client.ts'));
  await commitAll(dir, 'Import the rest of asyncio and the openai client', new Date(Date.now() - 3 * day));
  await writeFile(path.join(dir, 'json/decoder.py'), decoder);
  await commitAll(dir, 'Add JSONDecoder\n\nThe decoder wraps the scanner and rejects extra data after the document.', new Date(Date.now() - 2 * day));
  return dir;
}
