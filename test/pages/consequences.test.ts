/**
 * Pages about the original CodeWorm (test/fixtures/cw, MIT) that draw the consequence a reader
 * needs (issue 12, blind review): what an exception handler around a technique really does,
 * parameters a function never reads, thresholds a constant never reaches, a `break` that leaves
 * only the innermost loop, a flag an entry never sets. Each test reads a page of real code.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import type { RepoIndex } from '../../src/index/types.ts';
import type { DocType } from '../../src/config/schema.ts';
import type { FinderInput, Target } from '../../src/targets/types.ts';
import { cwFixture } from '../support/cw-repo.ts';
import { originalCodeworm, symbolPage } from './support.ts';

let root: string;
let index: RepoIndex;
let input: FinderInput;
before(async () => {
  ({ root, index, input } = await originalCodeworm());
});

async function page(docType: DocType, displayName: string, file: string): Promise<{ t: Target; body: string; ungrounded: string[]; contradictions: number }> {
  return symbolPage({ root, index, input }, docType, displayName, file);
}

/** The file line of the first line containing `needle` after the line containing `after` (if given). */
async function lineOf(file: string, needle: string, after?: string): Promise<number> {
  const lines = (await cwFixture(file)).split('\n');
  const from = after ? lines.findIndex((l) => l.includes(after)) : 0;
  const i = lines.findIndex((l, k) => k >= from && l.includes(needle));
  assert.ok(i >= 0, `no line ${needle}`);
  return i + 1;
}

test('TIL on suppress(ValueError) inside try/except Exception: other exceptions are caught by the enclosing clause, not propagated', async () => {
  const p = await page('til', 'InterestScorer.get_git_stats', 'codeworm/analysis/scoring.py');
  assert.match(p.body, /TIL: `suppress\(ValueError\)`/);
  assert.doesNotMatch(p.body, /propagates/);
  const exceptLine = await lineOf('scoring.py', 'except Exception:', 'def get_git_stats');
  assert.match(p.body, new RegExp(`Any other exception does not propagate here: it is caught by the enclosing \`except Exception:\` \\(line ${exceptLine}\\), which returns \`GitStats\\(\\)\`, so a caller never sees it\\.`));
  assert.deepEqual([p.ungrounded, p.contradictions], [[], 0]);
});

test('suppress outside any try: other exceptions propagate; inside a try naming other errors: those clauses are named', async () => {
  const { findTechnique } = await import('../../src/llm/providers/static-code.ts');
  const bare = findTechnique('async def stop():\n    task.cancel()\n    with contextlib.suppress(asyncio.CancelledError):\n        await task\n', 'stop', 10, 'high');
  assert.match(bare!.why, /Any other exception propagates to the caller\.$/);
  const named = findTechnique('def load(p):\n    try:\n        with suppress(KeyError):\n            x = d[p]\n    except OSError as e:\n        raise Broken(p) from e\n', 'load', 1, 'high');
  assert.match(named!.why, /Other exceptions reach the enclosing `except` clauses \(`OSError` at line 5\); any they do not name propagates to the caller\.$/);
});

test('flag never set: a check inside the body of a loop that never runs is not cited; the page says what runs instead', async () => {
  const p = await page('class_doc', 'CodeWormDaemon', 'codeworm/daemon.py');
  const g = /- \*\*flag never set\*\*[^\n]*/.exec(p.body)?.[0] ?? '';
  const loop = await lineOf('daemon.py', 'while self.running:', 'async def _wait_for_ollama');
  const ret = await lineOf('daemon.py', '        return False', 'async def _ensure_ollama_ready') ;
  const after = (await cwFixture('daemon.py')).split('\n').slice(loop, ret).findIndex((l) => l === '        return False') + loop + 1;
  assert.match(g, new RegExp(`\`while self\\.running:\` in \`_wait_for_ollama\` \\(line ${loop}\\) never runs its body: \`_wait_for_ollama\` goes straight to \`return False\` \\(line ${after}\\)`));
  // `if not self.running:` (inside that loop's body) is never reached through run_once
  assert.doesNotMatch(g, /if not self\.running/);
  assert.deepEqual([p.ungrounded, p.contradictions], [[], 0]);
});

const gotchas = (body: string) => /### Gotchas\n\n([\s\S]*?)(?:\n### |$)/.exec(body)?.[1] ?? '';

test('parameters never read: get_git_stats ignores the line range analyze_file passes (both pages say so, with file:line)', async () => {
  const callLine = await lineOf('analyzer.py', 'git_stats = self.scorer.get_git_stats(');
  const defLine = await lineOf('scoring.py', 'def get_git_stats(');
  const own = await page('function_doc', 'InterestScorer.get_git_stats', 'codeworm/analysis/scoring.py');
  assert.match(gotchas(own.body), new RegExp(`\\*\\*unused parameter\\*\\* at line ${defLine + 3}[^\\n]*never reads \`_start_line\` and \`_end_line\`[^\\n]*the values passed at \`codeworm/analysis/analyzer\\.py:${callLine}\` change nothing`));
  const caller = await page('function_doc', 'CodeAnalyzer.analyze_file', 'codeworm/analysis/analyzer.py');
  assert.match(gotchas(caller.body), new RegExp(`\\*\\*argument ignored\\*\\* at line ${callLine}[^\\n]*passes values for \`_start_line\` and \`_end_line\`, which \`InterestScorer\\.get_git_stats\` \\(\`codeworm/analysis/scoring\\.py:${defLine}\`\\) never reads`));
  for (const p of [own, caller]) assert.deepEqual([p.ungrounded, p.contradictions], [[], 0], p.t.displayName);
});

test('a literal below the threshold it is compared with: total = 20 never passes score >= 25 (a candidate without metrics is never worth documenting)', async () => {
  const lit = await lineOf('analyzer.py', 'total = 20,');
  const cmp = await lineOf('analyzer.py', 'return self.score >= 25');
  const p = await page('function_doc', 'CodeAnalyzer.analyze_file', 'codeworm/analysis/analyzer.py');
  assert.match(gotchas(p.body), new RegExp(`\\*\\*threshold never met\\*\\* at line ${lit}[^\\n]*\`total = 20\` here never passes \`self\\.score >= 25\` \\(line ${cmp}, in \`is_worth_documenting\`, where \`score\` returns \`self\\.interest_score\\.total\`\\): 20 is below 25`));
  const { literalsBelowThreshold } = await import('../../src/analysis/dead-logic.ts');
  // a counter that starts at 0 and a default in a signature are not literals that stay
  assert.deepEqual(literalsBelowThreshold('def f(limit = 10):\n    tries = 0\n    while True:\n        tries += 1\n        if tries >= 3 or limit > 50:\n            return\n'), []);
});

test('break: a cap inside nested loops leaves only the innermost loop; a search loop keeps the first match', async () => {
  const cap = await lineOf('analyzer.py', 'if len(candidates) >= limit * 3:');
  const find = await page('function_doc', 'CodeAnalyzer.find_candidates', 'codeworm/analysis/analyzer.py');
  assert.match(gotchas(find.body), new RegExp(`\\*\\*break leaves one loop\\*\\* at line ${cap + 1}[^\\n]*leaves only \`for candidate in self\\.analyze_file\\(scanned_file\\):\` \\(line ${cap - 4}\\); the outer loops \`for scanned_file in [^\\n]*\` \\(line ${cap - 6}\\) and \`for repo_config in repos_to_scan:\` \\(line ${cap - 7}\\) go on`));
  const search = await lineOf('analyzer.py', 'if name.endswith(f".{parsed_func.name}"):');
  const file = await page('function_doc', 'CodeAnalyzer.analyze_file', 'codeworm/analysis/analyzer.py');
  assert.match(gotchas(file.body), new RegExp(`\\*\\*first match wins\\*\\* at line ${search + 2}[^\\n]*stops at the first item where \`name\\.endswith\\(f"\\.\\{parsed_func\\.name\\}"\\)\` \\(line ${search}\\) and keeps \`complexity = metrics\``));
  assert.deepEqual([find.ungrounded, find.contradictions], [[], 0]);
});

test('a repository without any test file: function pages leave out "No test calls X" (it would be on every page)', async () => {
  const p = await page('function_doc', 'CodeAnalyzer.find_candidates', 'codeworm/analysis/analyzer.py');
  assert.doesNotMatch(p.body, /### Tests|No test in the repository/);
  // a repository with tests still says which function none of them calls
  const { fixture, staticPage } = await import('./support.ts');
  const fx = await fixture({ 'app.py': 'def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n', 'tests/test_app.py': 'from app import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n' });
  const { targetFor } = await import('./support.ts');
  const sub = await staticPage(fx, await targetFor(fx, 'function_doc', 'sub'));
  assert.match(sub.body, /No test in the repository calls `sub`/);
});

test('the class page follows an instance handed to another class: CodeAnalyzer is used in targets.py through TargetRouter and FunctionPerspectiveFinder', async () => {
  const p = await page('class_doc', 'CodeAnalyzer', 'codeworm/analysis/analyzer.py');
  const targets = await cwFixture('targets.py');
  const at = (needle: string) => targets.split('\n').findIndex((l) => l.includes(needle)) + 1;
  const router = await lineOf('daemon.py', 'self.target_router = TargetRouter(');
  assert.match(p.body, /It is handed on, and used there too:/);
  assert.match(p.body, new RegExp(`- \`FunctionPerspectiveFinder\` gets it at \`codeworm/analysis/targets\\.py:${at('self.perspective_finder = FunctionPerspectiveFinder(analyzer)')}\`[^\\n]* reads it as \`self\\.analyzer\` at \`codeworm/analysis/targets\\.py:${at('candidates = self.analyzer.find_candidates(')}\``));
  assert.match(p.body, new RegExp(`- \`TargetRouter\` gets it at \`codeworm/daemon\\.py:${router}\`[^\\n]* reads it as \`self\\.perspective_finder\\.analyzer\` at \`codeworm/analysis/targets\\.py:${at('candidates = self.perspective_finder.analyzer.find_candidates(')}\``));
  assert.deepEqual([p.ungrounded, p.contradictions], [[], 0]);
});

test('a check polled at an interval: the dead man\'s switch acts up to 300 s late, 2700 to 3000 s after the last success, and any 45-minute stretch sets it off', async () => {
  const p = await page('function_doc', 'CodeWormDaemon._dead_mans_switch', 'codeworm/daemon.py');
  const check = await lineOf('daemon.py', 'if age > alert_threshold and not alerted:');
  const sleep = await lineOf('daemon.py', 'await asyncio.sleep(check_interval)', 'if age > alert_threshold');
  assert.match(gotchas(p.body), new RegExp(`\\*\\*polling delay\\*\\* at line ${check}[^\\n]*\`age > alert_threshold\` is checked once every \`check_interval\` \\(300 s\\) \\(\`await asyncio\\.sleep\\(check_interval\\)\`, line ${sleep}\\), so it acts up to 300 s after \`age\` passes \`alert_threshold\` \\(2700 s\\): 2700 to 3000 s after[^\\n]*any stretch longer than 2700 s \\(45 min\\)`));
  assert.deepEqual([p.ungrounded, p.contradictions], [[], 0]);
  const { pollingDelay } = await import('../../src/analysis/dead-logic.ts');
  // a loop without a fixed sleep, or a threshold that is not a constant, says nothing
  assert.deepEqual(pollingDelay('def f(self, limit):\n    while self.running:\n        if self.age > limit:\n            alert()\n        time.sleep(self.interval)\n', 1), []);
});

test('a legacy run-once path says what it bypasses: _document_candidate never emits events or sends alerts, unlike _document_target', async () => {
  const p = await page('function_doc', 'CodeWormDaemon.run_once', 'codeworm/daemon.py');
  const target = await lineOf('daemon.py', 'async def _document_target(');
  assert.match(gotchas(p.body), new RegExp(`\\*\\*legacy call\\*\\*[^\\n]*unlike \`_document_target\` \\(line ${target}\\), \`_document_candidate\` never calls \`self\\._emit_event\`, \`self\\.notifier\\.send_alert\` or \`self\\.notifier\\.send_error\`, so what those do never happens on this path`));
  assert.deepEqual([p.ungrounded, p.contradictions], [[], 0]);
});

test('no "and 1 more": a list one item over its limit shows that item', async () => {
  const cls = await page('class_doc', 'CodeWormDaemon', 'codeworm/daemon.py');
  assert.match(gotchas(cls.body), /\*\*shared state without a lock\*\*[^\n]*`_wait_for_ollama` \(lines \d+, \d+\), `_document_target` \(lines \d+, \d+\)\. /);
  const fn = await page('function_doc', 'CodeAnalyzer.analyze_file', 'codeworm/analysis/analyzer.py');
  for (const p of [cls, fn]) {
    assert.doesNotMatch(p.body, /and 1 more(?! line)/, p.t.displayName);
    assert.deepEqual([p.ungrounded, p.contradictions], [[], 0], p.t.displayName);
  }
});

test('callers through a local built from the class (state = StateManager(…); state.get_stats()) are listed, as cli.py calls the original daemon', async () => {
  const { fixture, staticPage, targetFor } = await import('./support.ts');
  const fx = await fixture({
    'pkg/__init__.py': '',
    'pkg/state.py': 'class StateManager:\n    def __init__(self, path):\n        self.path = path\n\n    def get_stats(self):\n        return {"path": self.path}\n',
    'pkg/cli.py': 'from pkg.state import StateManager\n\n\ndef stats(path):\n    state = StateManager(path)\n    data = state.get_stats()\n    return data\n\n\ndef other(thing):\n    return thing.get_stats()\n',
  });
  const p = await staticPage(fx, await targetFor(fx, 'function_doc', 'StateManager.get_stats'));
  assert.match(p.body, /### Callers\n\n- `stats` at `pkg\/cli\.py:6`: `data = state\.get_stats\(\)`/);
  // a receiver of unknown type is not claimed as a caller
  assert.doesNotMatch(/### Callers\n\n([^#]*)/.exec(p.body)?.[1] ?? '', /`other`/);
  assert.deepEqual([p.ungrounded, p.contradictions], [[], 0]);
});

test('break: no "leaves one loop" gotcha when each outer loop tests the same condition and breaks too (targets.py)', async () => {
  const { breakEffects } = await import('../../src/analysis/dead-logic.ts');
  const targets = await cwFixture('targets.py');
  const start = targets.split('\n').findIndex((l) => l.includes('class ClassTargetFinder')) + 1;
  const find = targets.split('\n').findIndex((l, i) => i >= start && l.includes('def find(')) + 1;
  const source = targets.split('\n').slice(find - 1).join('\n');
  // `if len(targets) >= limit * 2: break` inside the class loop and again in the file loop
  assert.deepEqual(breakEffects(source, find).filter((g) => g.kind === 'break leaves one loop'), []);
  // the outer loop that does not re-check is still named; the one that does is not
  const partial = ['def f(repos, limit):', '    out = []', '    for r in repos:', '        for f in r.files:', '            for x in f.items:', '                out.append(x)', '                if len(out) >= limit:', '                    break', '            if len(out) >= limit:', '                break', '    return out', ''].join('\n');
  const [g] = breakEffects(partial, 1);
  assert.equal(g?.kind, 'break leaves one loop');
  assert.match(g.note, /the outer loop `for r in repos:` \(line 3\) goes on/);
  assert.doesNotMatch(g.note, /for f in r\.files/);
});
