/**
 * code_evolution pages on a real change (the original CodeWorm's dashboard/backend, ca3ce30 →
 * 1c8540d, MIT; test/fixtures/cw): a widened exception list is said as what it adds, the functions
 * "changed inside" are the ones whose lines change (not a hunk header's context), functions only
 * re-formatted are told apart, and a commit that only re-formats a file gets no page.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { indexRepository } from '../../src/index/indexer.ts';
import { fileDiff, markReformats, recentFileChanges } from '../../src/index/history.ts';
import { finder, isMeaningfulChange } from '../../src/targets/finders/code-evolution.ts';
import { reformatOnly } from '../../src/llm/providers/static-diff.ts';
import type { Target } from '../../src/targets/types.ts';
import { commitAll, git, writeFiles } from '../support/git-repo.ts';
import { cwFixture } from '../support/cw-repo.ts';
import { staticPage, type Fixture } from './support.ts';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const NOW = Date.UTC(2026, 2, 1);

async function dashboardRepo(): Promise<Fixture> {
  const root = await mkdtemp(path.join(tmpdir(), 'cw-evo-'));
  await git(root, ['init', '-q', '-b', 'main']);
  await writeFiles(root, { 'dashboard/backend/ws.py': await cwFixture('ws.v1.py'), 'dashboard/backend/api.py': await cwFixture('api.v1.py') });
  await commitAll(root, 'v1.0.2: add doc type system, Docker infrastructure, and web dashboard', new Date(Date.UTC(2026, 1, 18, 12)));
  await writeFiles(root, { 'dashboard/backend/ws.py': await cwFixture('ws.py'), 'dashboard/backend/api.py': await cwFixture('dashboard_api.py') });
  await commitAll(root, 'feat: add telegram notification on failures and dead man switch', new Date(Date.UTC(2026, 1, 28, 16)));
  const index = await indexRepository(root, { now: NOW });
  return { root, index, input: { repo: { name: 'codeworm', path: root, weight: 5, enabled: true }, index, settings: undefined as never, now: NOW } };
}

/** The evolution target of `file` as the cycle prepares it (the diff as its source). */
async function evolutionTarget(fx: Fixture, file: string, opts: { markReformats: boolean }): Promise<Target | undefined> {
  const changes = await recentFileChanges(fx.root, 20);
  if (opts.markReformats) await markReformats(fx.root, changes, isMeaningfulChange, reformatOnly);
  const t = finder.find({ ...fx.input, recentChanges: changes }).find((x) => x.relPath === file);
  if (!t) return undefined;
  const change = t.context.change as { commit: string };
  return { ...t, source: await fileDiff(fx.root, change.commit, file), language: 'diff' as Target['language'] };
}

test('a commit that only re-formats a file gets no evolution page; a change in behaviour of the same commit does', async () => {
  const fx = await dashboardRepo();
  // api.py's only change after its creation is a formatter run (spaces around `=`, re-wrapped calls)
  assert.ok(await evolutionTarget(fx, 'dashboard/backend/api.py', { markReformats: false }), 'unmarked, the numstat alone makes it a candidate');
  assert.equal(await evolutionTarget(fx, 'dashboard/backend/api.py', { markReformats: true }), undefined);
  assert.ok(await evolutionTarget(fx, 'dashboard/backend/ws.py', { markReformats: true }));
});

test('a widened except list is said as what it adds; formatting-only functions are told apart from changed ones', async () => {
  const fx = await dashboardRepo();
  const t = await evolutionTarget(fx, 'dashboard/backend/ws.py', { markReformats: true });
  assert.ok(t);
  const { body, contradictions, ungrounded } = await staticPage(fx, t);
  // `except WebSocketDisconnect:` → `except (WebSocketDisconnect, RuntimeError):` (ws.py:124)
  assert.match(body, /now also catches `RuntimeError` \(line 124\), beside `WebSocketDisconnect` as before/);
  assert.doesNotMatch(body, /no longer catches `WebSocketDisconnect`/);
  assert.match(body, /- Changed inside: `websocket_endpoint`\n/);
  // `decode_responses=True` → `decode_responses = True`: no change in behaviour
  assert.match(body, /- Formatting or comments only \(no change in behaviour\): [^\n]*`start_redis_subscriber`/);
  assert.equal(contradictions, 0);
  assert.deepEqual(ungrounded, []);
});

test('"changed inside" names the function whose lines change, not the one a hunk header shows as context', async () => {
  const fx = await dashboardRepo();
  const t = await evolutionTarget(fx, 'dashboard/backend/api.py', { markReformats: false });
  assert.ok(t);
  assert.match(t.source, /@@ [^\n]*@@ def _has_column/, 'the diff has a hunk whose header names _has_column');
  const { body } = await staticPage(fx, t);
  assert.doesNotMatch(body, /`_has_column`/);
  assert.match(body, /Formatting or comments only \(no change in behaviour\): [^\n]*`get_stats`/);
});
