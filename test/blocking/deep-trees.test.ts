/**
 * Issue 11: a syntax tree nested deeper than the collectors can walk (a generated file with
 * thousands of nested calls) used to overflow the stack and lose every blocking fact of the
 * file. Now the walk stops at `MAX_SYNTAX_DEPTH`, the facts say `partial` (why, where), the
 * log and the report name the file, and everything else of the file and the repository is kept.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { analyzeBlocking, collectBlockingFacts, renderBlockingMarkdown } from '../../src/analysis/blocking/index.ts';
import { MAX_SYNTAX_DEPTH } from '../../src/analysis/blocking/collect-common.ts';
import { indexRepository } from '../../src/index/indexer.ts';
import { parseSource } from '../../src/index/parser.ts';

const run = promisify(execFile);
const PROJECT = path.resolve(import.meta.dirname, '../..');
const MAIN = path.join(PROJECT, 'src/cli/main.ts');
const N = 12_000;

/** `f(f(…f(x)…))` nested `n` deep. */
const nested = (n: number, inner: string): string => `${'f('.repeat(n)}${inner}${')'.repeat(n)}`;

// Line 4 holds the deep expression; the blocking call that wraps it (outermost) must still be found.
const DEEP_TS = [
  "import fs from 'node:fs';",
  "export async function before(): Promise<void> { fs.readFileSync('a'); }",
  'function f(x: unknown): unknown { return x; }',
  `export async function deep(): Promise<void> { fs.readFileSync(String(${nested(N, "fs.statSync('inner')")})); }`,
  "export async function after(): Promise<void> { fs.writeFileSync('b', 'x'); }",
  '',
].join('\n');
const DEEP_PY = [
  'import time',
  'async def before():',
  '    time.sleep(1)',
  'async def deep():',
  `    time.sleep(${nested(N, 'time.sleep(3)')})`,
  'async def after():',
  '    time.sleep(2)',
  '',
].join('\n');
const OTHER_PY = 'import subprocess\n\nasync def handler():\n    subprocess.run(["sync"])\n';

describe('deep syntax trees (issue 11)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cw-deep-'));
    const repo = path.join(dir, 'repo');
    await mkdir(path.join(repo, 'src'), { recursive: true });
    await writeFile(path.join(repo, 'src', 'deep.ts'), DEEP_TS);
    await writeFile(path.join(repo, 'src', 'deep.py'), DEEP_PY);
    await writeFile(path.join(repo, 'src', 'other.py'), OTHER_PY);
    await run('git', ['init', '-q', repo]);
    await run('git', ['-C', repo, 'add', '.']);
    await run('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'deep']);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const [language, source, line] of [['typescript', DEEP_TS, 4], ['python', DEEP_PY, 5]] as const) {
    it(`${language}: the collector returns partial facts instead of throwing`, async () => {
      const tree = await parseSource(language, source);
      try {
        const facts = collectBlockingFacts(tree.rootNode, language)!;
        assert.ok(facts.partial, 'facts say partial');
        assert.match(facts.partial.reason, new RegExp(`deeper than ${MAX_SYNTAX_DEPTH} levels`));
        assert.equal(facts.partial.line, line);
        assert.ok(facts.partial.cut >= 1);
        assert.deepEqual(facts.functions.filter((f) => f.async).map((f) => f.name), ['before', 'deep', 'after']);
        // the outermost call of the deep line is kept; what lies below the cut is not
        const deep = facts.functions.find((f) => f.name === 'deep')!;
        assert.ok(deep.calls.some((c) => c.l === line && /readFileSync|time\.sleep/.test(c.c)));
        assert.ok(!deep.calls.some((c) => /statSync/.test(c.c) || (c.c === 'time.sleep' && c.l !== line)));
      } finally {
        tree.delete();
      }
    });
  }

  it('a shallow file is not partial', async () => {
    const tree = await parseSource('python', `def g():\n    return ${nested(100, '1')}\n`);
    try {
      assert.equal(collectBlockingFacts(tree.rootNode, 'python')!.partial, undefined);
    } finally {
      tree.delete();
    }
  });

  it('the indexer (parse workers) keeps the facts, logs which file was cut and why, and the report names it', async () => {
    const index = await indexRepository(path.join(dir, 'repo'), { churn: false });
    const warnings = (index.warnings ?? []).filter((w) => /partial/.test(w)).sort();
    assert.deepEqual(warnings, [
      `src/deep.py: fact collector blocking: partial: syntax nested deeper than ${MAX_SYNTAX_DEPTH} levels (from line 5)`,
      `src/deep.ts: fact collector blocking: partial: syntax nested deeper than ${MAX_SYNTAX_DEPTH} levels (from line 4)`,
    ]);
    const report = analyzeBlocking(index);
    assert.equal(report.filesWithoutFacts, 0);
    assert.deepEqual(report.partialFiles.map((p) => [p.file, p.line]).sort(), [['src/deep.py', 5], ['src/deep.ts', 4]]);
    const lines = report.findings.map((f) => `${f.file}:${f.line} ${f.call}`).sort();
    assert.deepEqual(lines, ['src/deep.py:3 time.sleep', 'src/deep.py:5 time.sleep', 'src/deep.py:7 time.sleep', 'src/deep.ts:2 fs.readFileSync', 'src/deep.ts:4 fs.readFileSync', 'src/deep.ts:5 fs.writeFileSync', 'src/other.py:4 subprocess.run']);
    const md = renderBlockingMarkdown(report, { repoName: 'repo', now: new Date(0), sourceOf: () => null });
    assert.match(md, /\*\*Analysed in part:\*\* `src\/deep\.ts` \(syntax nested deeper than \d+ levels; \d+ subtrees? left out, the first at line 4\)/);
  });

  it('codeworm blocking prints the findings and warns on stderr which file was analysed in part', async () => {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', MAIN, '--config', path.join(dir, 'config'), 'blocking', path.join(dir, 'repo'), '--no-cache'], {
      cwd: PROJECT,
      env: { ...process.env, NO_COLOR: '1' },
    });
    assert.match(stderr, /codeworm: warning: src\/deep\.ts: analysed in part: syntax nested deeper than \d+ levels; \d+ subtrees? left out, the first at line 4/);
    assert.match(stderr, /src\/deep\.py: analysed in part/);
    assert.match(stdout, /note: src\/deep\.ts analysed in part/);
    assert.match(stdout, /src\/deep\.ts:5 +fs\.writeFileSync/);
    assert.match(stdout, /src\/other\.py:4 +subprocess\.run/);
  });
});
