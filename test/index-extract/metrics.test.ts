import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  buildProfile,
  buildProfileWithRegex,
  C_LEXER,
  cleandoc,
  countLines,
  PYTHON_LEXER,
  RUST_LEXER,
  type FileProfile,
  type Lexer,
} from '../../src/index/metrics.ts';
import { cwFixture } from '../support/cw-repo.ts';

const root = path.join(import.meta.dirname, '..', '..');

function assertSameProfile(fast: FileProfile, regex: FileProfile, what: string): void {
  assert.equal(fast.tokenCount, regex.tokenCount, `${what}: token count`);
  assert.deepEqual(fast.tokenStarts.subarray(0, fast.tokenCount), regex.tokenStarts.subarray(0, regex.tokenCount), `${what}: token starts`);
  assert.deepEqual(fast.codePrefix, regex.codePrefix, `${what}: code lines`);
  assert.equal(fast.lines, regex.lines, `${what}: lines`);
}

test('the hand-written scanners give the same profile as the lexer regexes on edge cases', () => {
  const cases: [string, Lexer][] = [
    ['x = """abc\ny = "q\\\n"\nrb\'x\' bar\'y\' f"""z"""  # c "not a string"', PYTHON_LEXER],
    ['"""', PYTHON_LEXER],
    ["'''a\n\nb''' + u'x' + Rb\"y\"", PYTHON_LEXER],
    ['é\u3000x $a 1.5e3_x /* open\n `tpl ${a}` "s\\"x" \'c\' //c\n/x/', C_LEXER],
    ['/* unterminated', C_LEXER],
    ['`unterminated\ntemplate', C_LEXER],
    ["fn f<'a>(x: &'a str) { let c = '\\''; let d = b'\\x7f'; r#\"a\"b\"#; br##\"x\"##; b\"y\\\"\" 'z' }", RUST_LEXER],
    ["'", RUST_LEXER],
    ['r#', RUST_LEXER],
    ["b'", RUST_LEXER],
    ['\\', C_LEXER],
    ['', PYTHON_LEXER],
  ];
  for (const [source, lexer] of cases) assertSameProfile(buildProfile(source, lexer), buildProfileWithRegex(source, lexer), JSON.stringify(source));
});

test('the hand-written scanners give the same profile as the lexer regexes on real TS and JS files', async () => {
  for (const [dir, lexer] of [
    [path.join(root, 'node_modules', 'openai', 'src', 'resources'), C_LEXER],
    [path.join(root, 'node_modules', 'eslint', 'lib', 'rules'), C_LEXER],
    [path.join(root, 'src', 'index'), C_LEXER],
  ] as const) {
    const files = (await readdir(dir)).filter((f) => /\.[jt]s$/.test(f)).sort().slice(0, 15);
    assert.ok(files.length > 0, dir);
    for (const f of files) {
      const source = await readFile(path.join(dir, f), 'utf8');
      assertSameProfile(buildProfile(source, lexer), buildProfileWithRegex(source, lexer), f);
    }
  }
});

test('the Python scanner matches its regex on the seed fixture', async () => {
  const source = await cwFixture('daemon.py');
  assertSameProfile(buildProfile(source, PYTHON_LEXER), buildProfileWithRegex(source, PYTHON_LEXER), 'daemon.py');
});

test('code lines skip blank and comment-only lines, and a multi-line string marks all its lines', () => {
  const p = buildProfile('/* a\n b */\nconst x = `1\n\n2`; // c\n\n// d\nf();\n', C_LEXER);
  assert.equal(p.lines, 8);
  // Lines 3-5 (the template literal, its blank line included) and 8.
  assert.equal(p.nloc, 4);
  assert.equal(p.tokenCount, 9);
});

test('countLines ignores a final newline and counts a last unterminated line', () => {
  assert.equal(countLines(''), 0);
  assert.equal(countLines('a'), 1);
  assert.equal(countLines('a\n'), 1);
  assert.equal(countLines('a\n\nb'), 3);
});

test('cleandoc strips the first line and the common indentation of the rest', () => {
  assert.equal(cleandoc('  Summary.\n\n      Body line.\n        Indented.\n    '), 'Summary.\n\nBody line.\n  Indented.');
});
