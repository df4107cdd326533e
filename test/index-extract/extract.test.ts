import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractFromTree, extractSource, languageForPath } from '../../src/index/extract.ts';
import { parseSource } from '../../src/index/parser.ts';
import { LANGUAGES, languageById } from '../../src/languages/registry.ts';

test('languageForPath maps extensions case-insensitively and skips declaration files', () => {
  assert.equal(languageForPath('a/b.py'), 'python');
  assert.equal(languageForPath('x.TS'), 'typescript');
  assert.equal(languageForPath('x.mts'), 'typescript');
  assert.equal(languageForPath('x.tsx'), 'tsx');
  for (const ext of ['js', 'jsx', 'mjs', 'cjs']) assert.equal(languageForPath(`src/a.${ext}`), 'javascript');
  assert.equal(languageForPath('main.go'), 'go');
  assert.equal(languageForPath('lib.rs'), 'rust');
  assert.equal(languageForPath('types.d.ts'), null);
  assert.equal(languageForPath('README.md'), null);
  assert.equal(languageForPath('.py'), null);
  assert.equal(languageForPath('Makefile'), null);
});

test('every language id has one registered module', () => {
  for (const id of ['python', 'typescript', 'tsx', 'javascript', 'go', 'rust'] as const) assert.equal(languageById(id)?.id, id);
  assert.equal(new Set(LANGUAGES.map((m) => m.id)).size, LANGUAGES.length);
});

test('the parser is reused across calls and trees are independent', async () => {
  const a = await parseSource('python', 'def a():\n    pass\n');
  const b = await parseSource('python', 'def b():\n    pass\n');
  assert.equal(extractFromTree(a, 'python', 'def a():\n    pass\n').symbols[0].name, 'a');
  assert.equal(extractFromTree(b, 'python', 'def b():\n    pass\n').symbols[0].name, 'b');
  a.delete();
  b.delete();
});

test('an empty file has no lines, no symbols and no errors', async () => {
  for (const m of LANGUAGES) {
    const r = await extractSource(m.id, '');
    assert.deepEqual([r.lines, r.nloc, r.symbols.length, r.hasSyntaxErrors], [0, 0, 0, false], m.id);
  }
});

test('CRLF sources keep exact line numbers and drop the line terminator from symbol source', async () => {
  const r = await extractSource('python', 'import os\r\n\r\ndef f(x):\r\n    return x\r\n');
  const f = r.symbols[0];
  assert.deepEqual([f.startLine, f.endLine], [3, 4]);
  assert.equal(f.source, 'def f(x):\r\n    return x');
  assert.equal(r.lines, 4);
  assert.equal(r.nloc, 3);
});

test('non-ASCII identifiers and strings keep offsets right', async () => {
  const src = 'é = "ü🙂"\n\ndef größe(ä):\n    return "🙂" + ä\n';
  const f = (await extractSource('python', src)).symbols[0];
  assert.equal(f.name, 'größe');
  assert.equal(f.source, 'def größe(ä):\n    return "🙂" + ä');
});

test('symbols come in source order with a class before its members', async () => {
  const r = await extractSource('typescript', 'class A {\n  m() {}\n}\nfunction g() { function h() {} }\n');
  assert.deepEqual(r.symbols.map((s) => s.displayName), ['A', 'A.m', 'g', 'g.h']);
});

test('a byte-order mark is neither a token nor a syntax error', async () => {
  const r = await extractSource('python', '\uFEFFdef f(x):\n    return x\n');
  assert.equal(r.hasSyntaxErrors, false);
  assert.deepEqual([r.symbols[0].startLine, r.symbols[0].metrics.tokens], [1, 8]);
});
