import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { computeChurn, lastCommitsForFile } from '../../src/index/churn.ts';
import type { RepoIndex } from '../../src/index/types.ts';
import { commitAll, DAY_MS, git, makeTree } from './helpers.ts';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const daysAgo = (d: number): Date => new Date(NOW - d * DAY_MS);

/** a.py: commits 100, 60, 20 and 2 days ago (Ada, Ada, Bob, Cy); sub/b.py: 60 days ago. */
async function historyRepo(): Promise<string> {
  const root = await makeTree({ 'a.py': 'v = 0\n' });
  await git(root, ['init', '-q']);
  await commitAll(root, 'start', daysAgo(100), 'Ada');
  await writeFile(path.join(root, 'a.py'), 'v = 1\n');
  await writeFile(path.join(root, 'sub b.py'), 'w = 1\n');
  await commitAll(root, 'second', daysAgo(60), 'Ada');
  await writeFile(path.join(root, 'a.py'), 'v = 2\n');
  await commitAll(root, 'third', daysAgo(20), 'Bob');
  await writeFile(path.join(root, 'a.py'), 'v = 3\n');
  await commitAll(root, 'fourth', daysAgo(2), 'Cy');
  return root;
}

test('churn counts commits per file in 30 and 90 days with last modification and authors', async () => {
  const root = await historyRepo();
  const res = await computeChurn(root, { now: NOW });
  assert.equal(res.isGitRepo, true);
  assert.deepEqual(res.churn.get('a.py'), {
    commits30d: 2,
    commits90d: 3,
    lastModified: daysAgo(2).getTime() - (daysAgo(2).getTime() % 1000),
    authors: ['Cy', 'Bob', 'Ada'],
  });
  assert.equal(res.churn.get('sub b.py')?.commits90d, 1);
  assert.equal(res.churn.get('sub b.py')?.commits30d, 0);
});

test('the commit list is newest first with hash, date, author, subject and files', async () => {
  const root = await historyRepo();
  const res = await computeChurn(root, { now: NOW });
  assert.deepEqual(res.commits.map((c) => c.subject), ['fourth', 'third', 'second', 'start']);
  assert.deepEqual(res.commits[2].files.sort(), ['a.py', 'sub b.py']);
  assert.match(res.commits[0].hash, /^[0-9a-f]{40}$/);
  assert.equal(res.commits[0].author, 'Cy');
});

test('commits older than the window still give a file its last modification but no counts', async () => {
  const root = await historyRepo();
  const res = await computeChurn(root, { now: NOW + 200 * DAY_MS, maxCommits: 10 });
  const a = res.churn.get('a.py');
  assert.equal(a?.commits90d, 0);
  assert.equal(a?.lastModified, Math.floor(daysAgo(2).getTime() / 1000) * 1000);
});

test('maxCommits caps the commit list', async () => {
  const root = await historyRepo();
  const res = await computeChurn(root, { now: NOW, maxCommits: 2 });
  assert.deepEqual(res.commits.map((c) => c.subject), ['fourth', 'third']);
  // Counts still cover the whole 90-day window.
  assert.equal(res.churn.get('a.py')?.commits90d, 3);
});

test('a subdirectory of a repository gets paths relative to itself and only its own files', async () => {
  const root = await makeTree({ 'pkg/m.py': '1\n', 'other.py': '1\n' });
  await git(root, ['init', '-q']);
  await commitAll(root, 'one', daysAgo(1));
  const res = await computeChurn(path.join(root, 'pkg'), { now: NOW });
  assert.deepEqual([...res.churn.keys()], ['m.py']);
});

test('a directory that is not a git repository has zero churn and isGitRepo false', async () => {
  const root = await makeTree({ 'a.py': '1\n' }, 'cw-nogit-');
  const res = await computeChurn(root, { now: NOW });
  assert.equal(res.isGitRepo, false);
  assert.equal(res.churn.size, 0);
  assert.deepEqual(res.commits, []);
});

test('a repository without commits is a git repository with zero churn', async () => {
  const root = await makeTree({ 'a.py': '1\n' });
  await git(root, ['init', '-q']);
  const res = await computeChurn(root, { now: NOW });
  assert.equal(res.isGitRepo, true);
  assert.equal(res.churn.size, 0);
  assert.equal(res.error, undefined);
});

test('lastCommitsForFile reads the newest n commits touching a file from the index', async () => {
  const root = await historyRepo();
  const res = await computeChurn(root, { now: NOW });
  const index = { commits: res.commits } as RepoIndex;
  assert.deepEqual(lastCommitsForFile(index, 'a.py', 2).map((c) => c.subject), ['fourth', 'third']);
  assert.deepEqual(lastCommitsForFile(index, 'sub b.py', 5).map((c) => c.subject), ['second']);
  assert.deepEqual(lastCommitsForFile(index, 'nope.py', 5), []);
});
