/**
 * Calls to nested functions resolve in their enclosing function's scope (issue 12, blind review:
 * the page of one of four nested `visit` functions listed the callers of all four), and class
 * complexity treats nested functions as radon does. Peers: Python's own `ast` (a scope walk in
 * test/fixtures/scope-oracle.py) on standard-library files, and `radon cc -j`.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { indexRepository } from '../../src/index/indexer.ts';
import type { CodeSymbol, FileRecord, RepoIndex } from '../../src/index/types.ts';
import { buildFacts, findCallers, type ClassComplexityFact } from '../../src/llm/facts.ts';
import { symbolTarget } from '../../src/targets/common.ts';
import type { FinderInput } from '../../src/targets/types.ts';
import { addReaderFacts } from '../../src/llm/reader-facts.ts';
import { callSiteFacts, type CallSiteFact } from '../../src/llm/doc-facts.ts';
import { renderStaticBody } from '../../src/llm/providers/static.ts';
import { commitAll, makeRepo } from '../support/git-repo.ts';
import { pythonStdlib } from '../support/real-repo.ts';
import { hasRadon } from '../../bench/cc-peers.ts';
import { requireUnderCi, skipWithout } from '../support/required-tool.ts';

const run = promisify(execFile);
const ORACLE = path.join(import.meta.dirname, '..', 'fixtures', 'scope-oracle.py');
/** Standard-library files with same-named nested functions in several functions or methods. */
const STDLIB = ['contextlib.py', 'pydoc.py', 'xml/etree/ElementPath.py', 'json/encoder.py', 'asyncio/windows_events.py'];

const FIXTURE = [
  'def visit(node):', // 1: module-level visit
  '    return node',
  '',
  'class Extractor:',
  '    def functions(self, root):', // 5
  '        def visit(node):', // 6: nested in functions
  '            for c in node:',
  '                visit(c)', // 8: recursion, not a caller
  '        return visit(root)', // 9: functions -> its own visit
  '',
  '    def classes(self, root):', // 11
  '        def visit(node):', // 12: nested in classes
  '            if node:',
  '                return 1',
  '            return 0',
  '        def walk(n):', // 16: nested sibling; its bare visit is classes.visit
  '            return visit(n)', // 17
  '        return visit(root) + walk(root)', // 18
  '',
  '    def plain(self, root):', // 20: no nested visit: the module-level one
  '        return visit(root)', // 21
  '',
  'def outer(x):', // 23
  '    def inner(y):', // 24
  '        def visit(z):', // 25: shadows the module-level visit for inner only
  '            return z',
  '        return visit(y)', // 27
  '    return visit(inner(x))', // 28: module-level visit; inner's visit is not visible here
  '',
].join('\n');

let fixture: RepoIndex;
let fixtureRoot: string;
let stdlibRoot: string;
let stdlib: RepoIndex;
before(async () => {
  fixtureRoot = await makeRepo({ 'pkg/extract.py': FIXTURE, 'pkg/other.py': 'from pkg.extract import visit\n\ndef use(n):\n    def visit(m):\n        return m\n    return visit(n)\n\ndef use2(n):\n    return visit(n)\n' });
  fixture = await indexRepository(fixtureRoot);
  stdlibRoot = await makeRepo({ 'README.md': 'standard-library files\n' });
  for (const f of STDLIB) await cp(path.join(pythonStdlib(), f), path.join(stdlibRoot, f));
  await commitAll(stdlibRoot, 'Import standard-library files');
  stdlib = await indexRepository(stdlibRoot);
});

function file(index: RepoIndex, p: string): FileRecord {
  const f = index.files.find((x) => x.path === p);
  assert.ok(f, p);
  return f;
}
const at = (f: FileRecord, line: number): CodeSymbol => {
  const s = f.symbols.find((x) => x.startLine === line && x.kind !== 'class');
  assert.ok(s, `${f.path}:${line}`);
  return s;
};
const callerLines = (index: RepoIndex, f: FileRecord, line: number) => findCallers(at(f, line), f.path, index).map((c) => `${c.file}:${c.line} ${c.displayName}`);

test('a call to a nested function resolves to the definition in the caller\'s enclosing function, never a sibling method\'s', () => {
  const f = file(fixture, 'pkg/extract.py');
  assert.deepEqual(callerLines(fixture, f, 6), ['pkg/extract.py:9 Extractor.functions']);
  assert.deepEqual(callerLines(fixture, f, 12), ['pkg/extract.py:18 Extractor.classes', 'pkg/extract.py:17 Extractor.classes.walk']);
  assert.deepEqual(callerLines(fixture, f, 25), ['pkg/extract.py:27 outer.inner']);
});

test('a module-level function is not called by code whose enclosing function defines its own function of that name', () => {
  const f = file(fixture, 'pkg/extract.py');
  // plain (21), outer (28) and the importing module's use2 (9) call it; functions, classes, inner and use do not
  assert.deepEqual(callerLines(fixture, f, 1).sort(), ['pkg/extract.py:21 Extractor.plain', 'pkg/extract.py:28 outer', 'pkg/other.py:9 use2']);
});

test('on standard-library files, callers of every nested function match a scope walk over Python\'s own ast', async () => {
  let compared = 0;
  let withCallers = 0;
  for (const rel of STDLIB) {
    const expected = JSON.parse(execFileSync('python3', [ORACLE, path.join(stdlibRoot, rel)], { encoding: 'utf8' })) as Record<string, number[]>;
    const f = file(stdlib, rel);
    for (const [line, calls] of Object.entries(expected)) {
      const sym = f.symbols.find((s) => s.startLine === Number(line) && s.kind !== 'class');
      assert.ok(sym, `${rel}:${line} is indexed`);
      assert.ok(sym.parent !== null, `${rel}:${line} ${sym.displayName} is nested`);
      const ours = [...new Set(findCallers(sym, rel, stdlib).map((c) => c.line))].sort((a, b) => a - b);
      assert.deepEqual(ours, calls, `${rel}:${line} ${sym.displayName}`);
      compared++;
      if (calls.length > 0) withCallers++;
    }
  }
  assert.ok(compared >= 60 && withCallers >= 8, `${compared} nested functions, ${withCallers} with callers`);
  // the shapes the review found: same-named closures in two methods (contextlib) and in two classes' same-named methods (pydoc)
  const ctx = file(stdlib, 'contextlib.py').symbols.filter((s) => s.name === '_fix_exception_context');
  assert.equal(ctx.length, 2);
  const [a, b] = ctx.map((s) => findCallers(s, 'contextlib.py', stdlib));
  assert.equal(a.length, 1);
  assert.equal(b.length, 1);
  assert.notEqual(a[0].displayName, b[0].displayName);
  assert.ok(a[0].displayName.endsWith('__exit__') && b[0].displayName.endsWith('__aexit__'), `${a[0].displayName} / ${b[0].displayName}`);
});

test('a nested function\'s page lists only its own callers, and names it found only inside its enclosing function', async () => {
  const input: FinderInput = { repo: { name: 'std', path: stdlibRoot, weight: 5, enabled: true }, index: stdlib, settings: undefined as never, now: Date.UTC(2026, 10, 30) };
  const pydoc = file(stdlib, 'pydoc.py');
  const spills = pydoc.symbols.filter((s) => s.name === 'spill');
  assert.equal(spills.length, 2);
  for (const sym of spills) {
    const t = symbolTarget('function_doc', input, pydoc, sym, 10);
    const facts = buildFacts(t, stdlib, { now: input.now });
    const sites = callSiteFacts(t, facts, stdlib);
    facts.extra.callSites = sites.callers;
    facts.extra.testSites = sites.tests;
    const parent = pydoc.symbols.find((s) => s.displayName === sym.parent)!;
    assert.ok(sites.callers.length >= 3, `${sym.displayName}: ${sites.callers.length} callers`);
    for (const c of sites.callers) assert.ok(c.line > parent.startLine && c.line <= parent.endLine, `${sym.displayName} caller at ${c.line} is outside ${parent.displayName}`);
    const body = renderStaticBody(t.docType, t, facts);
    const other = spills.find((s) => s !== sym)!;
    const otherParent = pydoc.symbols.find((s) => s.displayName === other.parent)!;
    for (const m of body.matchAll(/pydoc\.py:(\d+)/g)) assert.ok(!(Number(m[1]) > otherParent.startLine && Number(m[1]) <= otherParent.endLine), `${sym.displayName}'s page names line ${m[1]} of ${otherParent.displayName}`);
  }
  // passed as a callback (no direct call): the places that name it stay inside its method
  const win = file(stdlib, 'asyncio/windows_events.py');
  const recvs = win.symbols.filter((s) => s.name === 'finish_recv');
  assert.ok(recvs.length >= 3);
  for (const sym of recvs) {
    const t = symbolTarget('function_doc', input, win, sym, 10);
    const facts = buildFacts(t, stdlib, { now: input.now });
    facts.extra.callSites = [];
    facts.extra.testSites = [];
    await addReaderFacts(t, facts, stdlibRoot, stdlib);
    const refs = (facts.extra.references ?? []) as CallSiteFact[];
    const parent = win.symbols.find((s) => s.displayName === sym.parent)!;
    assert.ok(refs.length >= 1, `${sym.displayName} is named in ${parent.displayName}`);
    for (const r of refs) assert.ok(r.file === 'asyncio/windows_events.py' && r.line > parent.startLine && r.line <= parent.endLine, `${sym.displayName}: reference ${r.file}:${r.line} outside ${parent.displayName}`);
  }
});

test('class complexity counts nested functions apart, as radon cc does, and the page names them', async (t) => {
  const present = await hasRadon();
  requireUnderCi('radon', present, 'apt-get install radon');
  if (!present) return t.skip(skipWithout('radon', present, 'apt-get install radon') || undefined);
  const { stdout } = await run('radon', ['cc', '-j', path.join(stdlibRoot, 'pydoc.py')], { maxBuffer: 1 << 28 });
  type R = { type: string; name: string; lineno: number; complexity: number; methods?: R[]; closures?: R[] };
  const blocks = Object.values(JSON.parse(stdout) as Record<string, R[]>)[0];
  const html = blocks.find((b) => b.type === 'class' && b.name === 'HTMLDoc')!;
  const input: FinderInput = { repo: { name: 'std', path: stdlibRoot, weight: 5, enabled: true }, index: stdlib, settings: undefined as never, now: Date.UTC(2026, 10, 30) };
  const pydoc = file(stdlib, 'pydoc.py');
  const cls = pydoc.symbols.find((s) => s.kind === 'class' && s.name === 'HTMLDoc')!;
  const target = symbolTarget('class_doc', input, pydoc, cls, 10);
  const facts = buildFacts(target, stdlib, { now: input.now });
  const cc = facts.extra.classComplexity as ClassComplexityFact;
  const radonMethods = html.methods!;
  assert.equal(cc.methods, radonMethods.length);
  assert.equal(cc.total, radonMethods.reduce((n, m) => n + m.complexity, 0), 'method figures exclude their closures, as radon');
  const docclass = radonMethods.find((m) => m.name === 'docclass')!;
  const closures = (docclass.closures ?? []).map((c) => `docclass.${c.name} ${c.lineno} ${c.complexity}`).sort();
  assert.ok(closures.length >= 3);
  const ours = (cc.nested ?? []).filter((n) => n.name.startsWith('docclass.')).map((n) => `${n.name} ${n.line} ${n.cyclomatic}`).sort();
  assert.deepEqual(ours, closures);
  const body = renderStaticBody(target.docType, target, facts);
  assert.match(body, /Functions nested in the methods are counted apart, as radon counts them/);
  assert.match(body, /`docclass\.spill` \(line \d+, \d+\)/);
});
