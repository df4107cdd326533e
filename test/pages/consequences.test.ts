/**
 * Pages about the original CodeWorm (test/fixtures/cw, MIT) that draw the consequence a reader
 * needs (issue 12, blind review): what an exception handler around a technique really does,
 * parameters a function never reads, thresholds a constant never reaches, a `break` that leaves
 * only the innermost loop, a flag an entry never sets. Each test reads a page of real code.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import type { RepoIndex } from '../../src/index/types.ts';
import { indexRepository } from '../../src/index/indexer.ts';
import type { DocType } from '../../src/config/schema.ts';
import type { FinderInput, Target } from '../../src/targets/types.ts';
import { cloneCw, cwFixture } from '../support/cw-repo.ts';
import { symbolPage } from './support.ts';

let root: string;
let index: RepoIndex;
let input: FinderInput;
before(async () => {
  root = await cloneCw();
  index = await indexRepository(root);
  input = { repo: { name: 'codeworm', path: root, weight: 5, enabled: true }, index, settings: undefined as never, now: Date.UTC(2026, 10, 30) };
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
