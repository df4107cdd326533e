import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTree, pyFunction } from './helpers.ts';
import { CLI_ARGS } from '../support/cli.ts';

const PROJECT = fileURLToPath(new URL('../../', import.meta.url));

/** Run the CLI from the project (so `--import tsx` resolves) with an empty config directory. */
function cli(args: string[], configDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...CLI_ARGS, '--config', configDir, ...args], { cwd: PROJECT, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const REPO = {
  'svc/engine.py': `class Engine:\n${pyFunction('run', 12, '    ').replace('(x)', '(self, x)')}\n${pyFunction('_tune', 12, '    ').replace('(x)', '(self, x)')}`,
  'svc/small.py': pyFunction('tiny', 1),
  'svc/blob.py': Buffer.from([0x00, 0x01, 0x02]),
};

test('analyze --json prints exactly one JSON document with ranked symbols and their breakdown', async () => {
  const root = await makeTree(REPO);
  const cache = await mkdtemp(path.join(tmpdir(), 'cw-cli-cache-'));
  const { code, stdout } = await cli(['analyze', root, '--json', '--cache-dir', cache], cache);
  assert.equal(code, 0);
  const doc = JSON.parse(stdout);
  assert.equal(doc.root, root);
  assert.equal(doc.files, 2);
  assert.equal(doc.skipped.binary, 1);
  assert.equal(doc.skipped.too_large, 0);
  assert.equal(typeof doc.duration_ms, 'number');
  assert.deepEqual(doc.symbols.map((s: { display_name: string }) => s.display_name), ['Engine.run', 'Engine._tune']);
  const run = doc.symbols[0];
  assert.equal(run.kind, 'method');
  assert.equal(run.class_name, 'Engine');
  assert.equal(run.file, 'svc/engine.py');
  assert.equal(run.language, 'python');
  assert.equal(run.cyclomatic, 13);
  assert.deepEqual(Object.keys(run.score_breakdown), ['complexity', 'length', 'nesting', 'parameters', 'churn', 'novelty', 'pattern_bonus']);
  assert.equal(run.score_breakdown.complexity, 22.75);
});

test('analyze --all lists every symbol; the table run shows the summary with skip reasons', async () => {
  const root = await makeTree(REPO);
  const config = await mkdtemp(path.join(tmpdir(), 'cw-cli-config-'));
  const all = await cli(['analyze', root, '--all', '--json', '--no-cache'], config);
  assert.deepEqual(JSON.parse(all.stdout).symbols.map((s: { name: string }) => s.name), ['Engine', 'run', '_tune', 'tiny']);
  const table = await cli(['analyze', root, '--no-cache', '--limit', '1'], config);
  assert.equal(table.code, 0);
  assert.match(table.stdout, /Engine\.run\s+svc\/engine\.py\s+2-/);
  assert.doesNotMatch(table.stdout, /Engine\._tune/);
  assert.match(table.stdout, /skipped:\s+binary 1/);
  assert.match(table.stdout, /files:\s+2 indexed/);
});

test('analyze of a missing path exits 2 with a one-line message and no stack trace', async () => {
  const root = await makeTree({});
  const { code, stdout, stderr } = await cli(['analyze', path.join(root, 'nope'), '--no-cache'], root);
  assert.equal(code, 2);
  assert.equal(stdout, '');
  assert.match(stderr, /^codeworm: error: .*nope: no such directory\n$/);
});
