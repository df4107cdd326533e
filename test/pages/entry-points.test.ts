/**
 * Entry points (issue 12, blind review: "Used by" and "How often" did not know how the code is
 * started) and central classes in class_doc's ranking (the 667-line daemon class was never
 * picked in 24 cycles). A fixture repository declares every kind of entry point the packaging
 * tools and systemd read; each test is what a reader of a page relies on.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readEntryPoints } from '../../src/analysis/entry-points.ts';
import { indexRepository } from '../../src/index/indexer.ts';
import { classCandidates } from '../../src/index/score.ts';
import type { RepoIndex } from '../../src/index/types.ts';
import { buildFacts, renderFactsBlock } from '../../src/llm/facts.ts';
import { callSiteFacts, creationSites } from '../../src/llm/doc-facts.ts';
import { addReaderFacts } from '../../src/llm/reader-facts.ts';
import { frequency, renderStaticBody } from '../../src/llm/providers/static.ts';
import { fileTarget, symbolTarget } from '../../src/targets/common.ts';
import type { FinderInput, Target } from '../../src/targets/types.ts';
import { makeRepo } from '../support/git-repo.ts';

/** A class of `lines` lines with `methods` methods and a docstring: the original's score is 85 for any ≥ 100 lines and ≥ 6 methods. */
function bigClass(name: string, methods: number, lines: number): string {
  const out = [`class ${name}:`, `    """${name} does its work."""`];
  for (let i = 0; i < methods; i++) out.push(`    def m${i}(self, x):`, `        return x + ${i}`);
  while (out.length < lines) out.push(`    K${out.length} = ${out.length}`);
  return out.join('\n') + '\n';
}

const CLI = [
  'import sys',
  'import click',
  'from tool.server import Server',
  '',
  '@click.group()',
  'def cli():',
  '    pass',
  '',
  '@cli.command()',
  'def serve():',
  '    server = Server()',
  '    server.m0(1)',
  '',
  'def helper():',
  '    return 1',
  '',
  'def main():',
  '    cli()',
  '    return helper()',
  '',
  'if __name__ == "__main__":',
  '    sys.exit(main())',
  '',
].join('\n');

let root: string;
let index: RepoIndex;
let input: FinderInput;
before(async () => {
  root = await makeRepo({
    'pyproject.toml': '[project]\nname = "tool"\n\n[project.scripts]\ntool = "tool.cli:main"\n\n[tool.poetry.scripts]\ntool-admin = { reference = "tool.admin:run", type = "console" }\n',
    'setup.cfg': '[metadata]\nname = tool\n\n[options.entry_points]\nconsole_scripts =\n    tool-legacy = tool.legacy:entry\n',
    'setup.py': 'from setuptools import setup\nsetup(name="tool", entry_points={"console_scripts": ["tool-old = tool.legacy:old_entry"]})\n',
    'systemd/tool.service': '[Service]\nExecStart=-/opt/tool/.venv/bin/tool serve --port 80\n',
    'package.json': JSON.stringify({ name: '@acme/tooljs', bin: 'dist/cli.js', scripts: { start: 'node dist/cli.js', build: 'tsc -p .' } }),
    'src/cli.ts': 'export function run(): number {\n  return 1;\n}\n',
    'tool/__init__.py': '',
    'tool/__main__.py': 'from .cli import main\n\nmain()\n',
    'tool/cli.py': CLI,
    'tool/admin.py': 'def run():\n    return 0\n',
    'tool/legacy.py': 'def entry():\n    return scan()\n\ndef old_entry():\n    return 1\n\ndef unused():\n    return 2\n\ndef legacy_scan():\n    """Legacy scanner, kept for the old CLI."""\n    return 3\n\ndef scan():\n    return legacy_scan()\n\ndef outer():\n    def on_message(m):\n        return m\n    return 0\n',
    'tool/a_helpers.py': bigClass('Helper', 6, 120),
    'tool/server.py': bigClass('Server', 6, 120),
    'examples/demo.py': bigClass('Demo', 6, 200),
  });
  index = await indexRepository(root);
  input = { repo: { name: 'tool', path: root, weight: 5, enabled: true }, index, settings: undefined as never, now: Date.UTC(2026, 10, 30) };
});

const row = (e: { kind: string; command: string; file: string | null; func: string | null }) => `${e.kind} ${e.command} -> ${e.file ?? '-'}:${e.func ?? '-'}`;

test('entry points come from pyproject, setup.cfg, setup.py, __main__ blocks and modules, systemd units and package.json', () => {
  const rows = (index.entryPoints ?? []).map(row).sort();
  assert.deepEqual(rows, [
    'main-block python tool/cli.py -> tool/cli.py:main',
    'main-module python -m tool -> tool/cli.py:main',
    'npm-bin tooljs -> src/cli.ts:-',
    'npm-script npm start -> src/cli.ts:-',
    'script tool -> tool/cli.py:main',
    'script tool serve -> tool/cli.py:serve',
    'script tool-admin -> tool/admin.py:run',
    'script tool-legacy -> tool/legacy.py:entry',
    'script tool-old -> tool/legacy.py:old_entry',
    'service tool serve -> tool/cli.py:main',
    'service tool serve -> tool/cli.py:serve',
  ]);
  const tool = index.entryPoints!.find((e) => e.command === 'tool')!;
  assert.equal(tool.declaredIn, 'pyproject.toml [project.scripts]');
});

test('a malformed declaration file declares nothing and does not stop the others', async () => {
  const bad = await makeRepo({ 'pyproject.toml': '[project.scripts\ntool = ', 'package.json': '{ "bin": ', 'systemd/x.service': 'ExecStart=/usr/bin/true\n', 'a.py': 'def main():\n    pass\n\nif __name__ == "__main__":\n    main()\n' });
  const idx = await indexRepository(bad);
  assert.deepEqual((idx.entryPoints ?? []).map(row), ['main-block python a.py -> a.py:main']);
  assert.deepEqual(await readEntryPoints(bad, [], false), []);
});

function target(docType: Target['docType'], file: string, display: string): Target {
  const f = index.files.find((x) => x.path === file)!;
  const s = f.symbols.find((x) => x.displayName === display)!;
  return symbolTarget(docType, input, f, s, 10);
}

/** The facts as the cycle builds them: call sites, creators, reader facts from git. */
async function facts(t: Target) {
  const f = buildFacts(t, index, { now: input.now, blocking: [] });
  if (t.functionName) {
    const s = callSiteFacts(t, f, index);
    f.extra.callSites = s.callers;
    f.extra.testSites = s.tests;
  }
  if (t.symbol?.kind === 'class') f.extra.creators = creationSites(t, index);
  await addReaderFacts(t, f, root, index);
  return f;
}

test('a function that is an entry point says which command runs it, and runs once per process start', async () => {
  const t = target('function_doc', 'tool/cli.py', 'main');
  const f = await facts(t);
  const body = renderStaticBody('function_doc', t, f);
  assert.match(body, /It is an entry point: run by the `tool` command \(pyproject\.toml \[project\.scripts\]\)/);
  assert.match(body, /the `tool serve` command \(systemd\/tool\.service ExecStart=\)/);
  assert.match(frequency(t, f, t.startLine + 1).text, /^runs once per process start \(run by the `tool` command/);
  assert.match(renderFactsBlock(f), /- entry point: run by the `tool` command \(pyproject\.toml \[project\.scripts\]\)/);
  // the click subcommand the unit runs
  const serve = target('function_doc', 'tool/cli.py', 'serve');
  assert.match(renderStaticBody('function_doc', serve, await facts(serve)), /run by the `tool serve` command \(pyproject\.toml \[project\.scripts\], `@cli\.command\(\)`, systemd\/tool\.service ExecStart=\)/);
});

test('a function only entry points call runs once per process start; one nothing reaches is called unreached, a legacy one still called is a gotcha', async () => {
  const t = target('function_doc', 'tool/cli.py', 'helper');
  const f = await facts(t);
  assert.match(frequency(t, f, t.startLine + 1).text, /^runs once per process start \(called only from `main`, run by /);
  const helperPage = renderStaticBody('function_doc', t, f);
  assert.doesNotMatch(helperPage, /It is an entry point|unreached|legacy/);
  const unused = target('function_doc', 'tool/legacy.py', 'unused');
  const uf = await facts(unused);
  assert.deepEqual(uf.extra.entryPoints, []);
  const unusedPage = renderStaticBody('function_doc', unused, uf);
  assert.doesNotMatch(unusedPage, /It is an entry point|process start/);
  assert.match(unusedPage, /- \*\*unreached\*\* at line 7: nothing in the repository calls or names `unused` and no entry point/);
  const legacy = target('function_doc', 'tool/legacy.py', 'legacy_scan');
  const legacyPage = renderStaticBody('function_doc', legacy, await facts(legacy));
  assert.match(legacyPage, /- \*\*legacy path still in use\*\* at line 10: its docstring calls it legacy \(`Legacy scanner, kept for the old CLI\.`\), yet `scan` \(tool\/legacy\.py:15\) calls it/);
  assert.doesNotMatch(legacyPage, /unreached/);
  // a nested function belongs to its enclosing function (a callback a runtime calls): never unreached
  const nested = target('function_doc', 'tool/legacy.py', 'outer.on_message');
  assert.doesNotMatch(renderStaticBody('function_doc', nested, await facts(nested)), /unreached/);
  // an entry point is never unreached, though nothing in the repository calls it
  const entry = target('function_doc', 'tool/legacy.py', 'old_entry');
  assert.doesNotMatch(renderStaticBody('function_doc', entry, await facts(entry)), /unreached/);
});

test('a class created by an entry point names it, and ranks first among classes of the same score', async () => {
  const ranked = classCandidates(index);
  const helper = ranked.find((c) => c.symbol.name === 'Helper')!;
  const server = ranked.find((c) => c.symbol.name === 'Server')!;
  assert.equal(helper.score, server.score, 'the original\'s score ties them');
  assert.equal(ranked[0].symbol.name, 'Server', 'created by an entry point and named by another file: ranked first');
  // the largest class, but an example: after the project's own (PERIPHERAL_PATH)
  assert.deepEqual(ranked.map((c) => c.symbol.name), ['Server', 'Helper', 'Demo']);
  const t = target('class_doc', 'tool/server.py', 'Server');
  const body = renderStaticBody('class_doc', t, await facts(t));
  assert.match(body, /### Started by\n\n- `serve` \(tool\/cli\.py:11\) creates it; `serve` is run by the `tool serve` command \(pyproject\.toml \[project\.scripts\], `@cli\.command\(\)`, systemd\/tool\.service ExecStart=\)\./);
  const h = target('class_doc', 'tool/a_helpers.py', 'Helper');
  assert.doesNotMatch(renderStaticBody('class_doc', h, await facts(h)), /Started by/);
});

test('a file page says how the file is started', () => {
  const f = index.files.find((x) => x.path === 'tool/cli.py')!;
  const t = fileTarget('file_doc', input, f, { score: 10 });
  const fx = buildFacts(t, index, { now: input.now });
  assert.match(renderStaticBody('file_doc', t, fx), /### Started by\n\n- the `tool` command \(pyproject\.toml \[project\.scripts\]\)/);
});
