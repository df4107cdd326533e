import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rename, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CodeIndex, indexRepository, RepoPathError } from '../../src/index/indexer.ts';
import { ParsePool } from '../../src/index/pool.ts';
import { IndexStore } from '../../src/index/store.ts';
import { commitAll, git, makeTree, pyFunction } from './helpers.ts';

// One pool for the file: starting workers and loading grammars is most of a small run's time.
const pool = new ParsePool({ size: 2 });
after(() => pool.close());

const SAMPLE = {
  'app/service.py': `import os\n\nclass Service:\n    """Does work."""\n\n${pyFunction('handle', 8, '    ').replace('(x)', '(self, x)')}`,
  'app/util.py': pyFunction('helper', 3),
  'README.md': '# not code\n',
};

test('a repository is indexed into file records with symbols, metrics, imports and hashes', async () => {
  const root = await makeTree(SAMPLE);
  const index = await indexRepository(root, { pool });
  assert.equal(index.root, root);
  assert.deepEqual(index.files.map((f) => f.path), ['app/service.py', 'app/util.py']);
  const service = index.files[0];
  assert.deepEqual(service.symbols.map((s) => s.displayName), ['Service', 'Service.handle']);
  assert.equal(service.symbols[1].metrics.cyclomatic, 9);
  assert.equal(service.imports[0].module, 'os');
  assert.match(service.hash, /^[0-9a-f]{64}$/);
  assert.equal(index.parsed, 2);
  assert.equal(index.isGitRepo, false);
});

test('a binary file and a file of invalid UTF-8 are skipped and counted', async () => {
  const root = await makeTree({ 'ok.py': 'x = 1\n', 'blob.py': Buffer.from([0x78, 0x00, 0x01, 0x02]), 'latin.py': Buffer.from('s = "caf\xe9"\n', 'latin1') });
  const index = await indexRepository(root, { pool });
  assert.deepEqual(index.files.map((f) => f.path), ['ok.py']);
  assert.equal(index.skipped.binary, 1);
  assert.equal(index.skipped.invalid_utf8, 1);
});

test('a 5 MB file is skipped as too_large without being read', async () => {
  const root = await makeTree({ 'huge.py': 'x = 1\n'.repeat(5 * 1024 * 1024 / 6), 'ok.py': 'y = 2\n' });
  const index = await indexRepository(root, { pool });
  assert.deepEqual(index.files.map((f) => f.path), ['ok.py']);
  assert.equal(index.skipped.too_large, 1);
});

test('a file with syntax errors still yields the symbols tree-sitter recovers', async () => {
  const root = await makeTree({ 'broken.py': `${pyFunction('good', 2)}\ndef bad(:\n    return )\n\n${pyFunction('after', 2)}` });
  const index = await indexRepository(root, { pool });
  const f = index.files[0];
  assert.equal(f.hasSyntaxErrors, true);
  const names = f.symbols.map((s) => s.name);
  assert.ok(names.includes('good') && names.includes('after'), `recovered: ${names.join(', ')}`);
  assert.equal(index.skipped.parse_failed, undefined);
});

test('a file that cannot be read is skipped and counted as unreadable', { skip: process.getuid?.() === 0 ? 'running as root: chmod 000 does not stop root from reading (the scanner tests cover dangling links and FIFOs)' : false }, async () => {
  const root = await makeTree({ 'ok.py': 'x = 1\n', 'locked.py': 'y = 2\n' });
  await chmod(path.join(root, 'locked.py'), 0o000);
  const index = await indexRepository(root, { pool });
  assert.deepEqual(index.files.map((f) => f.path), ['ok.py']);
  assert.equal(index.skipped.unreadable, 1);
  assert.match(index.warnings?.join('\n') ?? '', /locked\.py: unreadable \(EACCES\)/);
});

test('a parse failure is counted as parse_failed with a warning, not fatal', async () => {
  const root = await makeTree({ 'ok.py': 'x = 1\n', 'bad.py': 'y = 2\n' });
  const broken = new ParsePool({ size: 1, workerUrl: new URL('./fixtures/crash-worker.ts', import.meta.url) });
  try {
    await writeFile(path.join(root, 'bad.py'), 'THROW');
    const index = await indexRepository(root, { pool: broken });
    assert.equal(index.skipped.parse_failed, 1);
    assert.deepEqual(index.files.map((f) => f.path), ['ok.py']);
    assert.match(index.warnings?.join('\n') ?? '', /parse failed: bad\.py: boom/);
  } finally {
    await broken.close();
  }
});

test('a warm run over unchanged files parses nothing and returns the same records', async () => {
  const root = await makeTree(SAMPLE);
  const store = IndexStore.memory();
  const cold = await indexRepository(root, { store, pool });
  const warm = await indexRepository(root, { store, pool });
  store.close();
  assert.equal(cold.parsed, 2);
  assert.equal(warm.parsed, 0);
  assert.deepEqual(warm.files, cold.files);
});

test('a changed file is re-parsed and only that file', async () => {
  const root = await makeTree(SAMPLE);
  const store = IndexStore.memory();
  await indexRepository(root, { store, pool });
  await writeFile(path.join(root, 'app/util.py'), `${pyFunction('helper', 3)}\n${pyFunction('added', 2)}`);
  const again = await indexRepository(root, { store, pool });
  store.close();
  assert.equal(again.parsed, 1);
  assert.deepEqual(again.files[1].symbols.map((s) => s.name), ['helper', 'added']);
});

test('a touched file with the same content is reused by its hash; a renamed file too', async () => {
  const root = await makeTree(SAMPLE);
  const store = IndexStore.memory();
  await indexRepository(root, { store, pool });
  const later = new Date(Date.now() + 60_000);
  await utimes(path.join(root, 'app/service.py'), later, later);
  await rename(path.join(root, 'app/util.py'), path.join(root, 'app/helpers.py'));
  const again = await indexRepository(root, { store, pool });
  store.close();
  assert.equal(again.parsed, 0);
  assert.deepEqual(again.files.map((f) => f.path), ['app/helpers.py', 'app/service.py']);
  assert.equal(again.files[0].symbols[0].name, 'helper');
});

test('skips found on a cold run are reported again on a warm run', async () => {
  const root = await makeTree({ 'ok.py': 'x = 1\n', 'blob.py': Buffer.from([0x00, 0x01]) });
  const store = IndexStore.memory();
  await indexRepository(root, { store, pool });
  const warm = await indexRepository(root, { store, pool });
  store.close();
  assert.equal(warm.skipped.binary, 1);
  assert.equal(warm.parsed, 0);
});

test('progress reports every file once, ending at the total', async () => {
  const root = await makeTree({ 'a.py': '1\n', 'b.py': '2\n', 'c.py': '3\n' });
  const seen: [number, number][] = [];
  await indexRepository(root, { pool, onProgress: (d, t) => seen.push([d, t]) });
  assert.deepEqual(seen.map(([d]) => d), [1, 2, 3]);
  assert.ok(seen.every(([, t]) => t === 3));
});

test('churn comes with the index of a git repository', async () => {
  const root = await makeTree(SAMPLE);
  await git(root, ['init', '-q']);
  await commitAll(root, 'add service', new Date(Date.now() - 3 * 86_400_000));
  const index = await indexRepository(root, { pool });
  assert.equal(index.isGitRepo, true);
  assert.equal(index.churn.get('app/service.py')?.commits30d, 1);
  assert.equal(index.commits[0].subject, 'add service');
});

test('a missing path rejects with RepoPathError (exit code 2)', async () => {
  const root = await makeTree({});
  await assert.rejects(indexRepository(path.join(root, 'missing')), (e: unknown) => e instanceof RepoPathError && e.exitCode === 2);
});

test('an aborted signal stops indexing with its reason', async () => {
  const root = await makeTree(SAMPLE);
  const reason = new Error('shutting down');
  await assert.rejects(indexRepository(root, { signal: AbortSignal.abort(reason) }), (e) => e === reason);
});

test('CodeIndex keeps a repository warm: a second get parses only changed files', async () => {
  const root = await makeTree(SAMPLE);
  const code = new CodeIndex();
  try {
    const first = await code.get(root);
    assert.equal(code.parseWorkers, 0, 'the parse workers stop when the run ends');
    const second = await code.get(root);
    await writeFile(path.join(root, 'app/new.py'), pyFunction('fresh', 2));
    const third = await code.get(root);
    assert.equal(first.parsed, 2);
    assert.equal(second.parsed, 0);
    assert.equal(third.parsed, 1);
    assert.equal(third.files.length, 3);
    assert.equal(code.parseWorkers, 0);
  } finally {
    await code.close();
  }
});

test('without a pool, indexing starts its own and closes it', async () => {
  const root = await makeTree({ 'a.py': 'x = 1\n' });
  const index = await indexRepository(root);
  assert.equal(index.parsed, 1);
});

test('a shared pool is left open for the caller', async () => {
  const root = await makeTree({ 'a.py': 'x = 1\n' });
  await indexRepository(root, { pool });
  const res = await pool.parse({ path: 'b.py', language: 'python', source: 'y = 2\n' });
  assert.equal(res.ok, true);
});

test('a warm run from the cache file reads sources from the files and parses only a changed one', async () => {
  const root = await makeTree(SAMPLE);
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-cache-file-'));
  let store = await IndexStore.open(dir);
  const cold = await indexRepository(root, { store, pool });
  store.close();
  await writeFile(path.join(root, 'app/util.py'), (await readFile(path.join(root, 'app/util.py'), 'utf8')) + '\n# changed\n');
  store = await IndexStore.open(dir);
  const warm = await indexRepository(root, { store, pool });
  store.close();
  assert.equal(warm.parsed, 1);
  const service = (idx: typeof cold) => idx.files.find((f) => f.path === 'app/service.py')!.symbols.map((s) => s.source);
  assert.deepEqual(service(warm), service(cold));
});

test('CodeIndex.extract parses on its parse threads and gives what extractSource gives on this thread', async () => {
  const { extractSource } = await import('../../src/index/extract.ts');
  const source = `import asyncio\n\nclass Loop:\n    async def run(self, delay):\n        await asyncio.sleep(delay)\n        return self.step(delay)\n\n    def step(self, n):\n        return [i for i in range(n) if i % 2]\n`;
  const code = new CodeIndex();
  try {
    const off = await code.extract('python', source);
    assert.deepEqual(off, JSON.parse(JSON.stringify(await extractSource('python', source))));
    assert.deepEqual(off.symbols.map((s) => [s.displayName, s.isAsync]), [['Loop', false], ['Loop.run', true], ['Loop.step', false]]);
    assert.ok(off.symbols[1].calls.some((c) => c.callee === 'asyncio.sleep' && c.awaited));
    await assert.rejects(code.extract('nosuchlang' as never, source), /nosuchlang/);
  } finally {
    await code.close();
  }
});
