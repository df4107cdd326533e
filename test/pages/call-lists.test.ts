/**
 * Derived purposes and steps name the calls that do the work and sum up the rest by kind, never
 * "and N more" (issue 12, the reviewer's list): real functions of the original CodeWorm
 * (test/fixtures/cw) with a dozen calls each.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { originalCodeworm, symbolPage, type Fixture } from './support.ts';
import { callList, derivedClassPurpose } from '../../src/llm/providers/static-purpose.ts';

let fx: Fixture;
before(async () => {
  fx = await originalCodeworm();
});

const section = (body: string, title: string) => new RegExp(`### ${title}\\n\\n([\\s\\S]*?)(?:\\n### |$)`).exec(body)?.[1] ?? '';

test('EvolutionTargetFinder.find: its purpose names the git calls and the objects it builds, and counts its string and collection operations', async () => {
  const p = await symbolPage(fx, 'function_doc', 'EvolutionTargetFinder.find', 'codeworm/analysis/targets.py');
  const purpose = /\*\*Purpose\*\*[^\n]*/.exec(p.body)![0];
  assert.match(purpose, /calls `Repo`, `git_repo\.iter_commits`, `parent\.diff`, `CodeSnippet`, `DocumentationTarget` and (\d+) string or collection operations;/);
  // the operations counted are the ones of the code: add, decode, count, append, lower, get
  const n = Number(/and (\d+) string or collection operations/.exec(purpose)![1]);
  assert.equal(n, ['seen_files.add', 'diff.diff.decode', 'diff_text.count', 'targets.append', '.lower', 'LANGUAGE_EXTENSIONS.get'].length);
  assert.doesNotMatch(p.body, /and \d+ more(?! lines? not shown)/);
  const analyze = await symbolPage(fx, 'function_doc', 'CodeAnalyzer.analyze_file', 'codeworm/analysis/analyzer.py');
  assert.match(section(analyze.body, 'How it works'), /For each `parsed_func in extractor\.extract_functions\(\)`: calls `self\._should_skip_function`, [^\n]*`CodeSnippet`, `AnalysisCandidate` and \d+ string or collection operations \(lines \d+–\d+\)/);
  assert.doesNotMatch(analyze.body, /and \d+ more(?! lines? not shown)/);
  for (const x of [p, analyze]) assert.deepEqual([x.ungrounded, x.contradictions], [[], 0], x.t.displayName);
});

test('callList: short lists are named whole; long ones keep the calls that work and count console prints and value operations', () => {
  assert.equal(callList(['a', 'b.c', 'x.append', 'print']), '`a`, `b.c`, `x.append` and `print`');
  assert.equal(callList(['load', 'print', 'print', 'console.log', 'rows.append', 'save']), '`load`, `save`, 1 string or collection operation and 3 console prints');
  // a class purpose counts what its page lists in full
  const attrs = Array.from({ length: 17 }, (_, i) => ({ name: `a${i}` }));
  assert.equal(derivedClassPurpose(attrs, [{ name: 'run' }], []), 'holds 17 attributes (listed under State); offers `run`.');
});
