import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { inspectContent, RepoPathError, scanRepository } from '../../src/index/scan.ts';
import type { LanguageId } from '../../src/index/types.ts';
import { makeTree } from './helpers.ts';

const languageFor = (p: string): LanguageId | null => (p.endsWith('.py') ? 'python' : p.endsWith('.ts') ? 'typescript' : null);
const paths = async (root: string, opts: Partial<Parameters<typeof scanRepository>[1]> = {}): Promise<string[]> =>
  (await scanRepository(root, { languageFor, ...opts })).files.map((f) => f.path);

test('files of supported languages are listed with repo-relative POSIX paths, sizes and mtimes', async () => {
  const root = await makeTree({ 'a.py': 'x = 1\n', 'pkg/b.py': 'y = 2\n', 'README.md': '# hi\n' });
  const res = await scanRepository(root, { languageFor });
  assert.deepEqual(res.files.map((f) => f.path), ['a.py', 'pkg/b.py']);
  assert.equal(res.files[1].size, 6);
  assert.equal(res.files[1].language, 'python');
  assert.ok(res.files[1].mtimeMs > 0);
});

test('.gitignore rules apply at every level, relative to their own directory', async () => {
  const root = await makeTree({
    '.gitignore': 'gen/\n*.tmp.py\n',
    'keep.py': '1\n',
    'x.tmp.py': '1\n',
    'gen/out.py': '1\n',
    'sub/.gitignore': 'local.py\n/anchored.py\n!keep.tmp.py\n',
    'sub/local.py': '1\n',
    'sub/anchored.py': '1\n',
    'sub/keep.tmp.py': '1\n',
    'sub/deeper/anchored.py': '1\n',
    'other/local.py': '1\n',
  });
  assert.deepEqual(await paths(root), ['keep.py', 'other/local.py', 'sub/deeper/anchored.py', 'sub/keep.tmp.py']);
});

test('include and exclude patterns are gitignore-style globs', async () => {
  const root = await makeTree({ 'src/a.py': '1\n', 'src/a_test.py': '1\n', 'tests/t.py': '1\n', 'tools/x.ts': '1\n' });
  assert.deepEqual(await paths(root, { include: ['src/', '*.ts'] }), ['src/a.py', 'src/a_test.py', 'tools/x.ts']);
  assert.deepEqual(await paths(root, { exclude: ['tests/', '*_test.py'] }), ['src/a.py', 'tools/x.ts']);
});

test('dot-directories, node_modules, build outputs and virtual environments are skipped', async () => {
  const root = await makeTree({
    '.hidden/a.py': '1\n',
    'node_modules/m/index.ts': '1\n',
    'dist/x.ts': '1\n',
    'build/y.py': '1\n',
    'pkg/__pycache__/z.py': '1\n',
    'env/pyvenv.cfg': 'home = /usr\n',
    'env/lib/site.py': '1\n',
    'venv/__init__.py': '1\n',
    '.eslintrc.ts': '1\n',
    'ok.py': '1\n',
  });
  // `venv/` without pyvenv.cfg is a package (the standard library has one); dot-files are kept.
  assert.deepEqual(await paths(root), ['.eslintrc.ts', 'ok.py', 'venv/__init__.py']);
});

test('a dependency-named folder that .gitignore re-includes by negation is indexed (a monorepo package)', async () => {
  const root = await makeTree({
    '.gitignore': 'node_modules/\n!packages/node_modules/\n',
    'packages/node_modules/app/server.ts': 'export const x = 1;\n',
    'node_modules/dep/index.ts': 'export const y = 2;\n',
    'other/node_modules/dep/index.ts': 'export const z = 3;\n',
    'src/main.ts': 'export const m = 0;\n',
  });
  assert.deepEqual(await paths(root), ['packages/node_modules/app/server.ts', 'src/main.ts']);
});

test('a file over max_file_bytes is skipped as too_large and an empty file as empty', async () => {
  const root = await makeTree({ 'big.py': 'x = 1\n'.repeat(900_000), 'empty.py': '', 'ok.py': 'x = 1\n' });
  const res = await scanRepository(root, { languageFor, maxFileBytes: 1024 * 1024 });
  assert.deepEqual(res.files.map((f) => f.path), ['ok.py']);
  assert.deepEqual(res.skipped, { too_large: 1, empty: 1 });
});

test('a symlink loop ends the walk without error', async () => {
  const root = await makeTree({ 'a/x.py': '1\n' });
  await symlink('..', path.join(root, 'a', 'up'));
  await symlink('loop2', path.join(root, 'loop1'));
  await symlink('loop1', path.join(root, 'loop2.py'));
  const res = await scanRepository(root, { languageFor });
  assert.deepEqual(res.files.map((f) => f.path), ['a/x.py']);
  // The self-referencing link named like a source file cannot be resolved: counted, not fatal.
  assert.equal(res.skipped.unreadable, 1);
});

test('a symlink pointing outside the repository is not followed and is counted', async () => {
  const outside = await makeTree({ 'secret.py': '1\n', 'lib/mod.py': '1\n' });
  const root = await makeTree({ 'in.py': '1\n' });
  await symlink(path.join(outside, 'secret.py'), path.join(root, 'secret.py'));
  await symlink(path.join(outside, 'lib'), path.join(root, 'lib'));
  const res = await scanRepository(root, { languageFor });
  assert.deepEqual(res.files.map((f) => f.path), ['in.py']);
  assert.equal(res.skipped.symlink_outside, 2);
});

test('a symlink inside the repository is followed and its file listed once under the real path', async () => {
  const root = await makeTree({ 'real/a.py': '1\n' });
  await symlink('real', path.join(root, 'alias'));
  await symlink('real/a.py', path.join(root, 'b.py'));
  assert.deepEqual(await paths(root), ['real/a.py']);
});

test('a dangling symlink and a FIFO with a source extension are counted as unreadable', async () => {
  const root = await makeTree({ 'ok.py': '1\n' });
  await symlink('missing.py', path.join(root, 'dangling.py'));
  execFileSync('mkfifo', [path.join(root, 'pipe.py')]);
  const res = await scanRepository(root, { languageFor });
  assert.deepEqual(res.files.map((f) => f.path), ['ok.py']);
  assert.equal(res.skipped.unreadable, 2);
});

test('an unreadable directory is counted, not fatal', { skip: process.getuid?.() === 0 ? 'running as root: chmod 000 does not stop root from reading' : false }, async () => {
  const root = await makeTree({ 'ok.py': '1\n', 'locked/a.py': '1\n' });
  await chmod(path.join(root, 'locked'), 0o000);
  try {
    const res = await scanRepository(root, { languageFor });
    assert.deepEqual(res.files.map((f) => f.path), ['ok.py']);
    assert.equal(res.skipped.unreadable, 1);
  } finally {
    await chmod(path.join(root, 'locked'), 0o755);
  }
});

test('a missing path or a file instead of a directory is a RepoPathError with exit code 2', async () => {
  const root = await makeTree({ 'f.py': '1\n' });
  await assert.rejects(scanRepository(path.join(root, 'nope'), { languageFor }), (e: unknown) => e instanceof RepoPathError && e.exitCode === 2 && /no such directory/.test(e.message));
  await assert.rejects(scanRepository(path.join(root, 'f.py'), { languageFor }), (e: unknown) => e instanceof RepoPathError && /not a directory/.test(e.message));
});

test('an aborted signal stops the scan with its reason', async () => {
  const root = await makeTree({ 'a.py': '1\n' });
  await mkdir(path.join(root, 'd'));
  await writeFile(path.join(root, 'd', 'b.py'), '1\n');
  const reason = new Error('stop');
  await assert.rejects(scanRepository(root, { languageFor, signal: AbortSignal.abort(reason) }), (e) => e === reason);
});

test('content with a NUL byte in the first 8 KiB is binary', () => {
  assert.deepEqual(inspectContent(Buffer.from('abc\0def')), { skip: 'binary' });
  const late = Buffer.concat([Buffer.from('a'.repeat(9000)), Buffer.from([0])]);
  assert.ok('text' in inspectContent(late));
});

test('content that is not valid UTF-8 is invalid_utf8; a BOM is dropped', () => {
  assert.deepEqual(inspectContent(Buffer.from([0x78, 0x20, 0xff, 0xfe, 0x0a])), { skip: 'invalid_utf8' });
  assert.deepEqual(inspectContent(Buffer.from('\uFEFFx = "é"\n', 'utf8')), { text: 'x = "é"\n' });
});
