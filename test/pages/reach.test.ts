/**
 * How code is reached (issue 12, reviewer on the analyzer.py and parser.py file pages): calls
 * through a receiver whose type the code does not declare (`self.analyzer` kept from
 * `analyzer: object` in the original CodeWorm's `FunctionPerspectiveFinder`) are found by the
 * receiver's name or a method name only one class defines, and marked; creation sites are all
 * listed, or counted and located when capped.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { findCallers } from '../../src/llm/facts.ts';
import { fileTarget } from '../../src/targets/common.ts';
import { cwFixture } from '../support/cw-repo.ts';
import { fixture, originalCodeworm, staticPage, symbolPage, type Fixture } from './support.ts';

let cw: Fixture;
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

before(async () => {
  cw = await originalCodeworm();
});

function callersOf(fx: Fixture, displayName: string) {
  const f = fx.index.files.find((x) => x.symbols.some((s) => s.displayName === displayName))!;
  return findCallers(f.symbols.find((s) => s.displayName === displayName)!, f.path, fx.index);
}

async function filePage(fx: Fixture, rel: string) {
  const f = fx.index.files.find((x) => x.path === rel)!;
  const t = fileTarget('file_doc', fx.input, f, { score: 10 });
  t.source = await readFile(path.join(fx.root, rel), 'utf8');
  return staticPage(fx, t);
}

test('find_candidates is reached through TargetRouter\'s untyped analyzer (targets.py), marked inferred, beside the typed callers', async () => {
  const targets = await cwFixture('targets.py');
  const cli = await cwFixture('cli.py');
  const got = callersOf(cw, 'CodeAnalyzer.find_candidates').map((c) => `${c.file}:${c.line}${c.inferred ? ' inferred' : ''}`);
  // `self.analyzer` is `analyzer: object` in FunctionPerspectiveFinder; `self.perspective_finder.analyzer` in TargetRouter
  assert.ok(got.includes(`codeworm/analysis/targets.py:${lineOf(targets, 'candidates = self.analyzer.find_candidates(')} inferred`), got.join('\n'));
  assert.ok(got.includes(`codeworm/analysis/targets.py:${lineOf(targets, 'candidates = self.perspective_finder.analyzer.find_candidates(')} inferred`), got.join('\n'));
  // a local built from the class is declared, not inferred
  assert.ok(got.includes(`codeworm/cli.py:${lineOf(cli, 'candidates = analyzer.find_candidates(')}`), got.join('\n'));
  assert.ok(got.some((g) => /^codeworm\/daemon\.py:\d+$/.test(g)), got.join('\n'));
});

test('a receiver the code types, imports or leaves open binds only by what the code shows', async () => {
  const fx = await fixture({
    'pkg/__init__.py': '',
    'pkg/proactor.py': [
      'class IocpProactor:', // 1
      '    def recv_into(self, conn, buf):', // 2
      '        return 0',
      '    def run(self):', // 4
      '        return 1',
      '',
      'class Loop:', // 7
      '    def run(self):', // 8
      '        return 2',
      '',
      'def make():', // 11
      '    return IocpProactor()',
      '',
    ].join('\n'),
    'pkg/use.py': [
      'import socket', // 1
      'from pkg.proactor import make',
      '',
      'def unannotated(sock, buf):', // 4
      '    return sock.recv_into(buf)', // 5: a bare parameter may be a library socket
      '',
      'def external():', // 7
      '    s = socket.socket()',
      '    return s.recv_into(bytearray(4))', // 9: built by a library
      '',
      'def from_repo(buf):', // 11
      '    p = make()',
      '    return p.recv_into(buf)', // 13: returned by the repository: the one definer
      '',
      'def common():', // 15
      '    p = make()',
      '    return p.run()', // 17: `run` is common and `p` names no class
      '',
      'def named():', // 19
      '    proactor = make()',
      '    return proactor.run()', // 21: the receiver names IocpProactor
      '',
      'def typed(proactor_like: "IocpProactor"):', // 23
      '    return proactor_like.recv_into(None)', // 24: declared by the annotation
      '',
    ].join('\n'),
  });
  const recv = callersOf(fx, 'IocpProactor.recv_into').map((c) => `${c.line}${c.inferred ? ' inferred' : ''}`);
  assert.deepEqual(recv, ['13 inferred', '24']);
  const run = callersOf(fx, 'IocpProactor.run').map((c) => `${c.line}${c.inferred ? ' inferred' : ''}`);
  assert.deepEqual(run, ['21 inferred']);
  assert.deepEqual(callersOf(fx, 'Loop.run'), []);
});

test('the analyzer.py file page names every caller of find_candidates, the TargetRouter path included, and says which are matched by name', async () => {
  const targets = await cwFixture('targets.py');
  const { body, ungrounded, contradictions } = await filePage(cw, 'codeworm/analysis/analyzer.py');
  const fit = /### Where it fits\n\n([\s\S]*?)\n### /.exec(body)?.[1] ?? '';
  const a = lineOf(targets, 'candidates = self.analyzer.find_candidates(');
  const b = lineOf(targets, 'candidates = self.perspective_finder.analyzer.find_candidates(');
  assert.match(fit, new RegExp(`\`find_candidates\` \\(4 call sites: \`FunctionPerspectiveFinder\\.find\` at \`codeworm/analysis/targets\\.py:${a}\`, \`TargetRouter\\.find_targets\` at \`codeworm/analysis/targets\\.py:${b}\`, \`analyze\` at \`codeworm/cli\\.py:\\d+\` and \`CodeWormDaemon\\._find_documentable_candidate\` at \`codeworm/daemon\\.py:\\d+\`\\)`), fit);
  assert.match(fit, new RegExp(`The calls at \`codeworm/analysis/targets\\.py:${a}\` and \`codeworm/analysis/targets\\.py:${b}\` go through a receiver whose type the code does not declare`), fit);
  assert.equal(contradictions, 0);
  assert.ok(ungrounded.length <= 1, ungrounded.join(', '));
});

test('the parser.py file page lists every place that creates CodeExtractor, the two finders of targets.py included', async () => {
  const targets = await cwFixture('targets.py');
  const { body } = await filePage(cw, 'codeworm/analysis/parser.py');
  const fit = /### Where it fits\n\n([\s\S]*?)\n### /.exec(body)?.[1] ?? '';
  const lines = [...targets.split('\n').entries()].filter(([, l]) => l.includes('extractor = CodeExtractor(source, scanned_file.language)')).map(([i]) => i + 1);
  assert.equal(lines.length, 2);
  assert.match(fit, new RegExp(`created at \`codeworm/analysis/analyzer\\.py:\\d+\` \\(\`extractor = CodeExtractor\\(source, scanned_file\\.language\\)\`\\), \`codeworm/analysis/parser\\.py:\\d+\` \\(\`return CodeExtractor\\(source, language\\)\`\\) and 2 more: \`FileTargetFinder\\.find\` at \`codeworm/analysis/targets\\.py:${lines[0]}\`, \`ClassTargetFinder\\.find\` at \`codeworm/analysis/targets\\.py:${lines[1]}\``), fit);
  // extractor.extract_functions() on a local built from the class, in both analyzer.py and targets.py
  assert.match(fit, new RegExp(`\`extract_functions\` \\(2 call sites: \`CodeAnalyzer\\.analyze_file\` at \`codeworm/analysis/analyzer\\.py:\\d+\` and \`FileTargetFinder\\.find\` at \`codeworm/analysis/targets\\.py:${lines[0] + 1}\`\\)`), fit);
});

test('a function page marks the callers matched by name', async () => {
  const { body } = await symbolPage(cw, 'function_doc', 'CodeAnalyzer.find_candidates');
  assert.match(body, /The calls at `codeworm\/analysis\/targets\.py:\d+`, `codeworm\/analysis\/targets\.py:\d+` are matched by the receiver's name or by the method name/);
});

test('a function assigned to an event-handler property is said to be called by the runtime for each event of the object built above it, not "not used"', async () => {
  const hook = await cwFixture('useWebSocket.ts.txt');
  const { body, ungrounded, contradictions } = await symbolPage(cw, 'function_doc', 'useWebSocket.ws.onmessage');
  const callers = /### Callers\n\n([^\n]*)\n/.exec(body)?.[1] ?? '';
  assert.equal(callers, `It is an event handler assigned to \`ws.onmessage\`: the runtime calls it for each message event of \`ws\` (the \`WebSocket\` created at \`dashboard/frontend/src/api/hooks/useWebSocket.ts:${lineOf(hook, 'const ws = new WebSocket(wsUrl)')}\`: \`const ws = new WebSocket(wsUrl)\`), not the repository's own code.`);
  assert.doesNotMatch(body, /or not used/);
  assert.equal(contradictions, 0);
  assert.ok(ungrounded.length <= 1, ungrounded.join(', '));
});
