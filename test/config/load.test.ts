import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadSettings } from '../../src/config/load.ts';

async function configDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-config-'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

test('an empty config directory yields the original defaults', async () => {
  const s = await loadSettings(await configDir({}));
  assert.equal(s.ollama.model, 'qwen2.5:7b');
  assert.equal(s.ollama.port, 11434);
  assert.equal(s.schedule.min_commits_per_day, 12);
  assert.equal(s.schedule.timezone, 'America/Los_Angeles');
  assert.equal(s.analyzer.min_lines, 15);
  assert.equal(s.documentation.redocument_after_days, 90);
  assert.equal(s.dashboard.port, 8420);
  assert.equal(s.typeWeights.function_doc, 35);
  assert.equal(s.typeWeights.async_analysis, 2);
});

test('CODEWORM_ env overrides nest with __ and keep YAML types', async () => {
  const dir = await configDir({ 'config.yaml': 'ollama:\n  model: llama3\n' });
  const s = await loadSettings(dir, {
    env: { CODEWORM_OLLAMA__MODEL: 'qwen2.5:14b', CODEWORM_OLLAMA__PORT: '11500', CODEWORM_DEBUG: 'true' },
  });
  assert.equal(s.ollama.model, 'qwen2.5:14b');
  assert.equal(s.ollama.port, 11500);
  assert.equal(s.debug, true);
});

test('paths expand ~ and $VARS and resolve against the config directory', async () => {
  const repo = await mkdtemp(path.join(tmpdir(), 'cw-repo-'));
  const dir = await configDir({
    'config.yaml': 'data_dir: $CW_DATA/state\ndevlog:\n  repo_path: ~/devlog\n',
    'repos.yaml': `repositories:\n  - name: r\n    path: \${CW_REPO}\n`,
  });
  const s = await loadSettings(dir, { env: { CW_DATA: '/srv/cw', CW_REPO: repo, HOME: process.env.HOME } });
  assert.equal(s.data_dir, '/srv/cw/state');
  assert.ok(!s.devlog.repo_path.includes('~'));
  assert.equal(s.repositories[0].path, repo);
});

async function expectConfigError(files: Record<string, string>, ...fragments: string[]): Promise<void> {
  const dir = await configDir(files);
  await assert.rejects(loadSettings(dir), (err: unknown) => {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    for (const f of fragments) assert.match(err.message, new RegExp(f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    return true;
  });
}

test('a wrong type names the file, the key, the expectation and the value found', async () => {
  await expectConfigError({ 'config.yaml': 'ollama:\n  port: "eleven"\n' }, 'config.yaml', 'ollama.port', 'number', 'eleven');
});

test('an unknown doc type in type_weights is refused by name', async () => {
  await expectConfigError(
    { 'config.yaml': 'documentation:\n  type_weights:\n    poetry: 3\n' },
    'config.yaml',
    'documentation.type_weights.poetry',
    'unknown doc type',
  );
});

test('analyzer.parse_workers is optional and refused outside 1-16', async () => {
  const s = await loadSettings(await configDir({ 'config.yaml': 'analyzer:\n  parse_workers: 2\n' }), { env: {} });
  assert.equal(s.analyzer.parse_workers, 2);
  assert.equal((await loadSettings(await configDir({}), { env: {} })).analyzer.parse_workers, undefined);
  await expectConfigError({ 'config.yaml': 'analyzer:\n  parse_workers: 0\n' }, 'config.yaml', 'analyzer.parse_workers');
});

test('a repository weight outside 1-10 is refused', async () => {
  const repo = await mkdtemp(path.join(tmpdir(), 'cw-repo-'));
  await expectConfigError(
    { 'repos.yaml': `repositories:\n  - name: r\n    path: ${repo}\n    weight: 11\n` },
    'repos.yaml',
    'repositories.0.weight',
    '11',
  );
});

test('a missing repository path is refused with the path', async () => {
  await expectConfigError(
    { 'repos.yaml': 'repositories:\n  - name: gone\n    path: /nonexistent/cw-nowhere\n' },
    'repos.yaml',
    'repositories.0.path',
    '/nonexistent/cw-nowhere',
  );
});

test('broken YAML is reported with its line', async () => {
  await expectConfigError({ 'config.yaml': 'ollama:\n  model: [unclosed\n' }, 'config.yaml', 'line');
});

test('a disabled repository with a missing path is accepted', async () => {
  const dir = await configDir({ 'repos.yaml': 'repositories:\n  - name: off\n    path: /nonexistent/x\n    enabled: false\n' });
  await mkdir(dir, { recursive: true });
  const s = await loadSettings(dir);
  assert.equal(s.repositories[0].enabled, false);
});

test('the file system root, system directories and kernel pseudo-file systems are refused as data_dir, DevLog or repository', async () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ 'config.yaml': 'data_dir: /proc/nope\n' }, /config\.yaml: key "data_dir": \/proc\/nope is inside \/proc, a kernel pseudo-file system/],
    [{ 'config.yaml': 'data_dir: /\n' }, /key "data_dir": \/ is the file system root/],
    [{ 'config.yaml': 'devlog:\n  repo_path: /etc\n' }, /key "devlog\.repo_path": \/etc is a system directory/],
    [{ 'repos.yaml': 'repositories:\n  - name: everything\n    path: "/"\n' }, /repos\.yaml: key "repositories\.0\.path": \/ is the file system root, not a source repository \(repository "everything"\)/],
    [{ 'repos.yaml': 'repositories:\n  - name: sys\n    path: /usr\n' }, /\/usr is a system directory/],
  ];
  for (const [files, message] of cases) {
    await assert.rejects(loadSettings(await configDir(files), { env: {} }), (err: Error) => err instanceof ConfigError && message.test(err.message));
  }
  // a disabled entry is not crawled: accepted
  const s = await loadSettings(await configDir({ 'repos.yaml': 'repositories:\n  - name: off\n    path: /\n    enabled: false\n' }), { env: {} });
  assert.equal(s.repositories[0].enabled, false);
});

test('run-once --repo and --devlog refuse the file system root and system directories too', async () => {
  const { applyOverrides } = await import('../../src/cli/run-once.ts');
  const s = await loadSettings(await configDir({}), { env: {} });
  await assert.rejects(applyOverrides(s, { repo: ['all=/'] }), /--repo all=\/: \/ is the file system root, not a source repository/);
  await assert.rejects(applyOverrides(s, { devlog: '/usr' }), /--devlog \/usr: \/usr is a system directory/);
});
