/**
 * Small real samples of the agreement with the standard tools (the full comparison is
 * `bench/cc-agreement.ts`): radon cc on Python standard-library files, ESLint's `complexity`
 * rule on TypeScript and JavaScript sources shipped in node_modules.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { requireUnderCi, skipWithout } from '../support/required-tool.ts';
import { compare, compareEslint, eslintBlocks, hasRadon, ourSymbols, radonBlocks } from '../../bench/cc-peers.ts';

const run = promisify(execFile);
const nodeModules = path.join(import.meta.dirname, '..', '..', 'node_modules');

/** Every `step`-th file (sorted) under `dir` accepted by `accept`, at most `count`. */
async function sample(dir: string, accept: (p: string) => boolean, count: number, step: number): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  const files = entries.map((e) => path.join(dir, e)).filter(accept).sort();
  return files.filter((_, i) => i % step === 0).slice(0, count);
}

async function stdlibDir(): Promise<string | null> {
  try {
    const { stdout } = await run('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"]);
    return stdout.trim();
  } catch {
    return null;
  }
}

test('radon cc agrees on at least 98% of the functions of 15 standard-library files', async (t) => {
  const stdlib = await stdlibDir();
  const present = Boolean(stdlib) && (await hasRadon());
  requireUnderCi('radon (with python3)', present, 'apt-get install radon');
  if (!stdlib || !present) {
    t.skip(skipWithout('radon (with python3)', present, 'apt-get install radon') || undefined);
    return;
  }
  const files = (await readdir(stdlib)).filter((f) => f.endsWith('.py')).sort().filter((_, i) => i % 10 === 0).slice(0, 15).map((f) => path.join(stdlib, f));
  assert.equal(files.length, 15);
  const { blocks, failed } = await radonBlocks(files);
  const a = compare(blocks, await ourSymbols(files.filter((f) => !failed.includes(f))));
  assert.ok(a.compared >= 100, `only ${a.compared} functions compared`);
  assert.ok(a.agreed / a.compared >= 0.98, `agreement ${a.agreed}/${a.compared}: ${JSON.stringify(a.disagreements.slice(0, 3).map((d) => [d.block, d.ours]))}`);
  assert.ok(a.missing.length / a.peerTotal <= 0.02, `missing ${a.missing.length} of ${a.peerTotal}`);
});

test('ESLint complexity agrees on at least 98% of the functions of 10 TypeScript files and we find 90% of its named ones', async () => {
  const files = await sample(path.join(nodeModules, 'openai', 'src'), (p) => p.endsWith('.ts') && !p.endsWith('.d.ts'), 10, 9);
  assert.equal(files.length, 10);
  const a = compareEslint(await eslintBlocks(files), await ourSymbols(files));
  assert.ok(a.compared >= 20, `only ${a.compared} functions compared`);
  assert.ok(a.agreed / a.compared >= 0.98, `agreement ${a.agreed}/${a.compared}: ${JSON.stringify(a.disagreements.slice(0, 3).map((d) => [d.file, d.symbol.displayName, d.eslint, d.ours]))}`);
  assert.ok(a.namedFound / a.named >= 0.9, `named ${a.namedFound}/${a.named}`);
});

test('ESLint complexity agrees on at least 98% of the functions of 10 JavaScript files', async () => {
  const files = await sample(path.join(nodeModules, 'eslint', 'lib', 'rules'), (p) => p.endsWith('.js'), 10, 25);
  assert.equal(files.length, 10);
  const a = compareEslint(await eslintBlocks(files), await ourSymbols(files));
  assert.ok(a.compared >= 20, `only ${a.compared} functions compared`);
  assert.ok(a.agreed / a.compared >= 0.98, `agreement ${a.agreed}/${a.compared}`);
  assert.ok(a.namedFound / a.named >= 0.9, `named ${a.namedFound}/${a.named}`);
});
