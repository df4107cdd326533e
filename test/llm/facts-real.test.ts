import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { indexRepository } from '../../src/index/indexer.ts';
import type { CodeSymbol, RepoIndex } from '../../src/index/types.ts';
import type { FinderInput, Target } from '../../src/targets/types.ts';
import { FINDERS } from '../../src/targets/registry.ts';
import { fileTarget, symbolTarget } from '../../src/targets/common.ts';
import { buildFacts, renderFactsBlock, trimDecorator, type ClassComplexityFact, type ClassMethodFact } from '../../src/llm/facts.ts';
import type { AttributeFact } from '../../src/analysis/structure.ts';
import { makeRealRepo } from '../support/real-repo.ts';

let root: string;
let index: RepoIndex;
let input: FinderInput;
const NOW = Date.UTC(2026, 10, 30, 12);

/** What CPython itself says (the peer for names and signatures). */
function python(code: string): string {
  return execFileSync('python3', ['-c', code], { encoding: 'utf8' }).trim();
}

before(async () => {
  root = await makeRealRepo();
  // A small file of the shapes the standard library lacks: dataclass and pydantic-style fields, a click decorator.
  await writeFile(
    path.join(root, 'models.py'),
    [
      'from dataclasses import dataclass, field',
      'import click',
      '',
      '@dataclass',
      'class Job:',
      '    """A job.',
      '',
      '    Runs once.',
      '    """',
      '    name: str',
      '    retries: int = 3',
      '    tags: list = field(default_factory=list)',
      '    KIND = "job"',
      '',
      '    def __post_init__(self):',
      '        self.state = "new"',
      '',
      '@click.option("--repo", "-r", multiple=True, help="Repositories to document, as NAME=PATH; may be given several times to add more than one")',
      'def main(repo):',
      '    return repo',
      '',
    ].join('\n'),
  );
  index = await indexRepository(root);
  input = { repo: { name: 'real', path: root, weight: 5, enabled: true }, index, settings: undefined as never, now: NOW };
});

function symbol(file: string, display: string): CodeSymbol {
  const s = index.files.find((f) => f.path === file)?.symbols.find((x) => x.displayName === display);
  assert.ok(s, `${file}: ${display}`);
  return s;
}

function target(docType: Target['docType'], file: string, display: string): Target {
  return symbolTarget(docType, input, index.files.find((f) => f.path === file)!, symbol(file, display), 1);
}

test('module exported names honour __all__, the submodules an __init__ adds up, and TS export lists', () => {
  const modules = FINDERS.module_doc.find(input);
  const exported = (dir: string) => modules.find((t) => t.context.directory === dir)?.context.exported as string[];
  assert.deepEqual(exported('json'), JSON.parse(python('import json, json as j; print(__import__("json").dumps(sorted(j.__all__)))')));
  // asyncio/__init__.py: `__all__ = (base_events.__all__ + coroutines.__all__ + …)`; the finder lists at most 80.
  const asyncioAll: string[] = JSON.parse(python('import asyncio, json; print(json.dumps(sorted(asyncio.__all__)))'));
  const ours = exported('asyncio');
  assert.ok(ours.length > 0);
  for (const n of ours) assert.ok(asyncioAll.includes(n), `${n} is not in asyncio.__all__`);
  assert.ok(!ours.includes('BaseDefaultEventLoopPolicy') || asyncioAll.includes('BaseDefaultEventLoopPolicy'));
  const openai = exported('openai');
  for (const n of ['OpenAI', 'APIPromise', 'AzureOpenAI', 'toFile']) assert.ok(openai.includes(n), `openai exports ${n}`);
});

test('a file page counts its top-level symbols, not its methods, as Python ast does', () => {
  const t = fileTarget('file_doc', input, index.files.find((f) => f.path === 'asyncio/locks.py')!, { score: 1 });
  const facts = buildFacts(t, index, { now: NOW });
  const ours = (facts.extra.symbols as { name: string }[]).map((s) => s.name);
  const peer = JSON.parse(
    python(`import ast, json, asyncio.locks as m; t = ast.parse(open(m.__file__).read()); print(json.dumps([n.name for n in t.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]))`),
  );
  assert.deepEqual(ours, peer);
  assert.match(renderFactsBlock(facts), new RegExp(`top-level symbols \\(${peer.length}\\)`));
});

test('a multi-line signature reads as CPython prints it, and a class shows average, max and total complexity with its worst method', () => {
  const fn = buildFacts(target('function_doc', 'asyncio/base_events.py', 'BaseEventLoop.create_connection'), index, { now: NOW });
  assert.equal(fn.signature, `async def create_connection${python('import asyncio, inspect; print(inspect.signature(asyncio.BaseEventLoop.create_connection))')}`);
  const cls = buildFacts(target('class_doc', 'asyncio/base_events.py', 'BaseEventLoop'), index, { now: NOW });
  const methods = cls.extra.methods as ClassMethodFact[];
  const cc = cls.extra.classComplexity as ClassComplexityFact;
  assert.equal(cc.methods, methods.length);
  assert.equal(cc.total, methods.reduce((n, m) => n + m.cyclomatic, 0));
  assert.equal(cc.max, Math.max(...methods.map((m) => m.cyclomatic)));
  assert.equal(cc.worst?.cyclomatic, cc.max);
  assert.ok(cc.max > 10, 'the worst method of BaseEventLoop is far above the radon class figure');
  const create = methods.find((m) => m.name === 'create_connection')!;
  assert.doesNotMatch(create.signature, /\( |, \)/);
  assert.match(renderFactsBlock(cls), new RegExp(`method complexity: average [\\d.]+, max ${cc.max} \\(${cc.worst!.name}, line \\d+\\), total ${cc.total}`));
});

test('class attributes: self assignments in any method, class variables, dataclass fields and TS properties', () => {
  const event = buildFacts(target('class_doc', 'asyncio/locks.py', 'Event'), index, { now: NOW });
  const names = (event.extra.attributes as AttributeFact[]).filter((a) => a.kind === 'instance').map((a) => a.name).sort();
  assert.deepEqual(names, JSON.parse(python('import asyncio, json; print(json.dumps(sorted(vars(asyncio.Event()))))')));
  const job = buildFacts(target('class_doc', 'models.py', 'Job'), index, { now: NOW });
  assert.deepEqual(
    (job.extra.attributes as AttributeFact[]).map((a) => `${a.name}:${a.kind}:${a.type ?? ''}`),
    ['name:field:str', 'retries:field:int', 'tags:field:list', 'KIND:class:', 'state:instance:'],
  );
  // a value that constructs a class of the repository gives the attribute its type; others stay unknown
  const barrier = buildFacts(target('class_doc', 'asyncio/locks.py', 'Barrier'), index, { now: NOW });
  const types = new Map((barrier.extra.attributes as AttributeFact[]).map((a) => [a.name, a.type]));
  assert.equal(types.get('_cond'), 'Condition');
  assert.equal(types.get('_state'), null);
  const client = buildFacts(target('class_doc', 'openai/client.ts', 'OpenAI'), index, { now: NOW });
  const props = (client.extra.attributes as AttributeFact[]).map((a) => a.name);
  for (const p of ['apiKey', 'baseURL', 'maxRetries', 'timeout']) assert.ok(props.includes(p), `OpenAI.${p}`);
  assert.match(renderFactsBlock(client), /- attributes \(\d+\): apiKey: string \| null \(field, line 379\)/);
});

test('docstrings keep their line breaks in the facts block; decorators are trimmed to name and short arguments', () => {
  const dumps = buildFacts(target('function_doc', 'json/__init__.py', 'dumps'), index, { now: NOW });
  const block = renderFactsBlock(dumps);
  const quoted = block.split('\n').filter((l) => l.startsWith('  > '));
  assert.ok(quoted.length >= 10, block);
  assert.equal(quoted[0], `  > ${dumps.docstring!.split('\n')[0]}`);
  const main = buildFacts(target('function_doc', 'models.py', 'main'), index, { now: NOW });
  assert.deepEqual(main.extra.decorators, ['click.option("--repo", "-r", …)']);
  assert.equal(trimDecorator('app.get("/items/{id}")'), 'app.get("/items/{id}")');
  assert.equal(trimDecorator('property'), 'property');
});

test('a performance target keeps the blocking calls of its own callbacks that the finder picked it for', async () => {
  const { makeTree } = await import('../index/helpers.ts');
  const { renderStaticBody } = await import('../../src/llm/providers/static.ts');
  const root = await makeTree({
    'tar.js': [
      "const fs = require('fs')",
      "const { spawn } = require('child_process')",
      'function getModuleName (file, cb) {',
      "  const child = spawn('tar', ['-xf', file])",
      "  child.on('close', () => {",
      "    const pkg = JSON.parse(fs.readFileSync(file + '/package.json'))",
      '    cb(null, pkg.name)',
      '  })',
      '}',
      'module.exports = { getModuleName }',
      '',
    ].join('\n'),
  });
  const small = await indexRepository(root);
  const input: FinderInput = { repo: { name: 'm', path: root, weight: 5, enabled: true }, index: small, settings: undefined as never, now: Date.UTC(2026, 10, 30) };
  const target = FINDERS.performance_analysis.find(input).find((t) => t.displayName === 'getModuleName');
  assert.ok(target, 'the callback\'s readFileSync makes getModuleName a performance target');
  const facts = buildFacts(target, small, { now: input.now });
  assert.ok(facts.performance?.some((f) => f.line === 6 && f.code === 'fs.readFileSync'), JSON.stringify(facts.performance));
  const body = renderStaticBody('performance_analysis', target, facts);
  assert.doesNotMatch(body, /found no costly pattern/);
  assert.match(body, /at line 6: `fs\.readFileSync`/);
});
