import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { indexRepository } from '../../src/index/indexer.ts';
import { loadSettings } from '../../src/config/load.ts';
import type { Settings } from '../../src/config/schema.ts';
import type { RepoIndex } from '../../src/index/types.ts';
import type { FinderInput } from '../../src/targets/types.ts';
import { FINDERS } from '../../src/targets/registry.ts';
import { recentFileChanges } from '../../src/index/history.ts';
import { patternIndicators } from '../../src/targets/finders/pattern-analysis.ts';
import { isoWeek, periodBounds, summaryData } from '../../src/targets/finders/summary.ts';
import { makeSampleRepo } from '../support/sample-repo.ts';
import { makeRealRepo, pythonStdlib } from '../support/real-repo.ts';
import { commitAll, git, makeRepo, writeFiles } from '../support/git-repo.ts';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

let root: string;
let index: RepoIndex;
let settings: Settings;
let input: FinderInput;

before(async () => {
  root = await makeSampleRepo();
  index = await indexRepository(root);
  settings = await loadSettings(await mkdtemp(path.join(tmpdir(), 'cw-cfg-')));
  const repo = { name: 'sample', path: root, weight: 5, enabled: true };
  input = { repo, index, settings, now: Date.now(), recentChanges: await recentFileChanges(root, 20) };
});

test('function_doc ranks branching functions and skips dunder methods', () => {
  const targets = FINDERS.function_doc.find(input);
  const names = targets.map((t) => t.displayName);
  assert.ok(names.includes('filter_items'), `got ${names.join(', ')}`);
  assert.ok(!names.some((n) => n.endsWith('__init__')));
  for (const t of targets) {
    assert.equal(t.docType, 'function_doc');
    assert.ok(t.endLine - t.startLine + 1 >= settings.analyzer.min_lines);
    assert.match(t.codeHash, /^[0-9a-f]{64}$/);
    assert.equal(t.absPath, path.join(root, t.relPath));
  }
});

test('security_review: no sink, no review (the sample repository binds its SQL parameters)', () => {
  assert.deepEqual(FINDERS.security_review.find(input), []);
});

test('security_review on real code: every target has a sink in its own lines, the most severe first, tests last', async () => {
  const realRoot = await makeRealRepo();
  const realIndex = await indexRepository(realRoot);
  const real: FinderInput = { ...input, repo: { name: 'real', path: realRoot, weight: 5, enabled: true }, index: realIndex };
  const targets = FINDERS.security_review.find(real);
  assert.ok(targets.length >= 3, `targets: ${targets.map((t) => t.displayName).join(', ')}`);
  for (const t of targets) {
    const findings = t.context.securityFindings as { line: number; severity: string; rule: string }[];
    assert.ok(findings.length > 0, `${t.displayName} has no finding`);
    for (const f of findings) assert.ok(f.line >= t.startLine && f.line <= t.endLine, `${t.displayName}: line ${f.line} outside ${t.startLine}-${t.endLine}`);
  }
  // asyncio's subprocess transport starts its process with shell=True when asked (bandit B602).
  const shell = targets.find((t) => (t.context.securityFindings as { rule: string }[]).some((f) => f.rule === 'B602'));
  assert.ok(shell, 'a shell=True subprocess call is a target');
  const sev = (t: (typeof targets)[0]) => Math.max(...(t.context.securityFindings as { severity: string }[]).map((f) => ({ high: 3, medium: 2, low: 1 })[f.severity as 'high'] ?? 0));
  assert.ok(sev(targets[0]) >= sev(targets[targets.length - 1]));
});

test('class_doc finds classes of at least 15 lines with their method count', () => {
  const targets = FINDERS.class_doc.find(input);
  const store = targets.find((t) => t.displayName === 'Store');
  assert.ok(store, `classes: ${targets.map((t) => t.displayName).join(', ')}`);
  assert.equal(store.className, 'Store');
  assert.equal(store.functionName, null);
  assert.ok((store.context.methodCount as number) >= 4);
});

test('file_doc uses the file content hash and leaves reading to the cycle', () => {
  const targets = FINDERS.file_doc.find(input);
  const store = targets.find((t) => t.relPath === 'app/store.py');
  assert.ok(store);
  assert.equal(store.codeHash, index.files.find((f) => f.path === 'app/store.py')!.hash);
  assert.equal(store.displayName, 'store');
});

test('module_doc finds the Python package by its __init__.py with its exported names', () => {
  const targets = FINDERS.module_doc.find(input);
  const app = targets.find((t) => t.displayName === 'app');
  assert.ok(app, `modules: ${targets.map((t) => t.displayName).join(', ')}`);
  assert.equal(app.relPath, 'app/__init__.py');
  assert.ok((app.context.exported as string[]).includes('Store'));
  assert.ok((app.context.fileCount as number) >= 4);
});

test('pattern_analysis needs two indicators: the repository store and the observer qualify', () => {
  const store = patternIndicators(index.files.find((f) => f.path === 'app/store.py')!);
  assert.ok(store.some((p) => p.pattern === 'repository'), JSON.stringify(store));
  const events = patternIndicators(index.files.find((f) => f.path === 'app/events.py')!);
  assert.ok(events.some((p) => p.pattern === 'observer'), JSON.stringify(events));
  const filters = patternIndicators(index.files.find((f) => f.path === 'app/filters.py')!);
  assert.deepEqual(filters, []);
  const targets = FINDERS.pattern_analysis.find(input);
  assert.ok(targets.some((t) => t.context.pattern === 'observer' && t.relPath === 'app/events.py'));
});

test('pattern_analysis participants are the members that matched an indicator, not every symbol of the file', async () => {
  const observer = patternIndicators(index.files.find((f) => f.path === 'app/events.py')!).find((p) => p.pattern === 'observer')!;
  const by = new Map(observer.participants.map((p) => [p.name, p.indicators]));
  assert.ok(by.get('EventBus.subscribe')?.some((l) => l.startsWith('subscription methods')));
  assert.ok(by.get('EventBus.emit')?.some((l) => l.startsWith('notification methods')));
  assert.ok(by.get('EventBus.unsubscribe')?.some((l) => l.startsWith('unsubscription')));
  // On real code: participants are a strict subset of the file's symbols, each with its reason.
  const realIndex = await indexRepository(await makeRealRepo());
  let narrower = 0;
  for (const file of realIndex.files) {
    for (const p of patternIndicators(file)) {
      for (const x of p.participants) {
        assert.ok(x.indicators.length > 0);
        assert.ok(file.symbols.some((s) => s.displayName === x.name && s.startLine === x.line));
      }
      if (p.participants.length < file.symbols.length) narrower++;
    }
  }
  assert.ok(narrower > 0, 'some pattern on real code names fewer participants than the file has symbols');
});

test('code_evolution never offers a file creation', () => {
  // Both commits of the sample repository create their files.
  assert.deepEqual(FINDERS.code_evolution.find(input), []);
});

test('code_evolution picks the most recent meaningful change of a real file, with its commit body', async () => {
  const stdlib = pythonStdlib();
  const real = (await readFile(path.join(stdlib, 'json/decoder.py'), 'utf8')).split('\n');
  const cut = real.findIndex((l) => l.startsWith('class JSONDecoder'));
  const dir = await makeRepo({ 'json/decoder.py': real.slice(0, cut).join('\n') }, { date: new Date(Date.UTC(2026, 10, 1)), message: 'Import the scanner helpers' });
  await writeFiles(dir, { 'json/decoder.py': real.join('\n') });
  await commitAll(dir, 'Add JSONDecoder\n\nThe decoder class wraps the scanner and checks for extra data after the document.', new Date(Date.UTC(2026, 10, 10)));
  await writeFiles(dir, { 'json/decoder.py': `${real.join('\n')}\n# trailing note\n` });
  await commitAll(dir, 'Note', new Date(Date.UTC(2026, 10, 20)));
  const realIndex = await indexRepository(dir);
  const evo: FinderInput = { ...input, index: realIndex, now: Date.UTC(2026, 10, 30), recentChanges: await recentFileChanges(dir, 20) };
  const [t, ...rest] = FINDERS.code_evolution.find(evo);
  assert.equal(rest.length, 0, 'one target per file');
  const change = t.context.change as { subject: string; body: string; isNew: boolean; added: number };
  assert.equal(change.subject, 'Add JSONDecoder');
  assert.match(change.body, /checks for extra data after the document/);
  assert.equal(change.isNew, false);
  assert.equal(change.added, real.length - cut);
});

test('summaries cover the period once, from the history and the commit activity', () => {
  const history = { documentedInPeriod: () => [{ docType: 'function_doc', repo: 'sample', count: 4 }] };
  const [weekly] = FINDERS.weekly_summary.find({ ...input, history, allInputs: [{ ...input, history }] });
  assert.ok(weekly);
  assert.equal(weekly.displayName, `Weekly Summary ${isoWeek(input.now)}`);
  const summary = weekly.context.summary as { totalDocumented: number; activity: { commits: number }[] };
  assert.equal(summary.totalDocumented, 4);
  const { from } = periodBounds('week', input.now);
  assert.equal(summary.activity[0].commits, index.commits.filter((c) => c.date >= from && c.date <= input.now).length);
  const [again] = FINDERS.weekly_summary.find({ ...input, history, allInputs: [{ ...input, history }] });
  assert.equal(again.codeHash, weekly.codeHash, 'same period, same dedup key');
});

test('a summary with nothing documented and no commits offers nothing', () => {
  const empty = { ...input, index: { ...index, commits: [] }, history: { documentedInPeriod: () => [] } };
  assert.deepEqual(FINDERS.monthly_summary.find({ ...empty, allInputs: [empty] }), []);
});

test('a month is its calendar month and a week its ISO week, whatever the clock says inside them', () => {
  const day = 86_400_000;
  const now = Date.UTC(2026, 10, 30, 18); // Monday 2026-11-30
  const commits = [Date.UTC(2026, 9, 31, 12), Date.UTC(2026, 10, 1, 0, 30), Date.UTC(2026, 10, 29, 23), Date.UTC(2026, 10, 30, 9)].map((date, i) => ({ hash: `h${i}`, date, author: 'A', subject: 's', files: ['a.py'] }));
  const inp = { ...input, now, index: { ...index, commits } };
  const month = summaryData('month', [inp], now);
  assert.deepEqual([month.from, month.to], ['2026-11-01', '2026-11-30']);
  assert.equal(month.activity[0].commits, 3, 'October 31 is not in November');
  const week = summaryData('week', [inp], now);
  assert.deepEqual([week.from, week.to], ['2026-11-30', '2026-12-06']);
  assert.equal(week.activity[0].commits, 1, 'Sunday belongs to the week before');
  assert.equal(periodBounds('week', now - day).id, '2026-W48');
  const [monthly] = FINDERS.monthly_summary.find({ ...inp, allInputs: [inp] });
  assert.equal(monthly.displayName, 'Monthly Summary 2026-11');
  assert.match(monthly.source, /Period: 2026-11-01 to 2026-11-30 \(in progress: so far, through 2026-11-30\)/);
});

test('a summary of a month still in progress says so far, with the last day it covers; an ended month does not', async () => {
  const { renderStaticBody } = await import('../../src/llm/providers/static.ts');
  const commits = [Date.UTC(2026, 10, 20, 12), Date.UTC(2026, 11, 1, 1)].map((date, i) => ({ hash: `h${i}`, date, author: 'A', subject: 's', files: ['a.py'] }));
  const history = { documentedInPeriod: () => [{ docType: 'function_doc', repo: 'sample', count: 25 }] };
  // the clock is injected: 2026-12-01 02:21 UTC, the first day of December
  const now = Date.UTC(2026, 11, 1, 2, 21);
  const inp = { ...input, now, history, index: { ...index, commits } };
  const data = summaryData('month', [inp], now);
  assert.deepEqual([data.id, data.from, data.to, data.soFar], ['2026-12', '2026-12-01', '2026-12-31', '2026-12-01']);
  const [monthly] = FINDERS.monthly_summary.find({ ...inp, allInputs: [inp] });
  const body = renderStaticBody('monthly_summary', monthly, { extra: {} } as never);
  assert.match(body, /The month 2026-12 had not ended when this page was written: so far \(month to date, 2026-12-01 to 2026-12-01\) the DevLog gained 25 pages\./);
  assert.doesNotMatch(body, /to 2026-12-31 the DevLog gained/);
  assert.match(monthly.source, /Period: 2026-12-01 to 2026-12-31 \(in progress: so far, through 2026-12-01\)/);
  // the same month summarised after it ended: no "so far"
  const ended = summaryData('month', [inp], Date.UTC(2026, 11, 31, 23, 59, 59, 999));
  assert.equal(ended.soFar, undefined);
  const endedBody = renderStaticBody('monthly_summary', { ...monthly, context: { summary: ended } }, { extra: {} } as never);
  assert.doesNotMatch(endedBody, /so far/);
  assert.match(endedBody, /From 2026-12-01 to 2026-12-31 the DevLog gained 25 pages\./);
});

test('module_doc exported names follow Go capitalisation and Rust pub', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'cw-vis-'));
  const { writeFile: write, mkdir } = await import('node:fs/promises');
  await mkdir(path.join(root, 'store'), { recursive: true });
  await mkdir(path.join(root, 'net'), { recursive: true });
  await write(path.join(root, 'store/store.go'), 'package store\n\nfunc Open(p string) error { return nil }\n\nfunc helper() {}\n');
  await write(path.join(root, 'store/cache.go'), 'package store\n\ntype Cache struct{}\n\nfunc (c *Cache) Get(k string) string { return k }\n\nfunc newCache() *Cache { return nil }\n');
  await write(path.join(root, 'net/mod.rs'), 'pub fn connect() {}\n\nfn retry() {}\n');
  await write(path.join(root, 'net/tls.rs'), 'pub struct Config {}\n\nimpl Config {\n    pub fn new() -> Self { Config {} }\n}\n\nstruct Hidden;\n');
  const idx = await indexRepository(root);
  const modules = FINDERS.module_doc.find({ ...input, index: idx, repo: { ...input.repo, path: root } });
  const exported = (dir: string) => modules.find((t) => t.context.directory === dir)?.context.exported as string[];
  assert.ok(!exported('store').includes('helper') && !exported('store').includes('newCache') && exported('store').includes('Open'), exported('store').join(','));
  assert.ok(exported('net').includes('connect') && !exported('net').includes('retry'), exported('net').join(','));
});

test('pattern indicators read code, not the words of strings and comments', async () => {
  const { makeTree } = await import('../index/helpers.ts');
  const root = await makeTree({
    'sub.js': [
      'function SubSocket () { this.subscriptions = [] }',
      'SubSocket.prototype.subscribe = function (re) { this.subscriptions.push(re); return re }',
      'SubSocket.prototype.unsubscribe = function (re) { this.subscriptions = [] }',
      'SubSocket.prototype.send = function () {',
      "  // subscribers only listen",
      "  throw new Error('subscribers cannot send messages')",
      '}',
      '',
    ].join('\n'),
  });
  const small = await indexRepository(root);
  const found = patternIndicators(small.files[0]).find((p) => p.pattern === 'observer');
  const labels = found?.participants.flatMap((p) => p.indicators) ?? [];
  assert.ok(!labels.some((l) => l.startsWith('a collection of observers')), JSON.stringify(found));
});

test('summary activity counts changes, not merge commits, and one person under two names once (what git log --no-merges and the e-mails say)', async () => {
  const at = (d: number, h = 10) => new Date(Date.UTC(2026, 1, d, h)).toISOString();
  const dir = await makeRepo({ 'a.py': 'A = 1\n' }, { date: new Date(Date.UTC(2026, 1, 2, 10)), message: 'start' });
  await git(dir, ['checkout', '-q', '-b', 'feature']);
  await writeFiles(dir, { 'b.py': 'B = 1\n' });
  await git(dir, ['add', '-A']);
  // the same person, once as "Carter Perez" and once under a GitHub handle, same address
  await git(dir, ['commit', '-q', '-m', 'feat: b'], { GIT_AUTHOR_NAME: 'Carter Perez', GIT_AUTHOR_EMAIL: 'carter@example.com', GIT_AUTHOR_DATE: at(3), GIT_COMMITTER_DATE: at(3) });
  await git(dir, ['checkout', '-q', 'main']);
  await writeFiles(dir, { 'a.py': 'A = 2\n' });
  await git(dir, ['add', '-A']);
  await git(dir, ['commit', '-q', '-m', 'fix: a'], { GIT_AUTHOR_NAME: 'CarterPerez-dev', GIT_AUTHOR_EMAIL: 'Carter@example.com', GIT_AUTHOR_DATE: at(4), GIT_COMMITTER_DATE: at(4) });
  await git(dir, ['merge', '-q', '--no-ff', '-m', 'Merge feature', 'feature'], { GIT_AUTHOR_DATE: at(5), GIT_COMMITTER_DATE: at(5) });
  const now = Date.UTC(2026, 1, 20, 12);
  const idx = await indexRepository(dir, { now });
  assert.equal(idx.commits.filter((c) => c.merge === true).length, 1);
  const inp: FinderInput = { ...input, repo: { name: 'cw', path: dir, weight: 1, enabled: true }, index: idx, now, history: { documentedInPeriod: () => [] } };
  const data = summaryData('month', [inp], now);
  const since = ['--since=2026-02-01T00:00:00Z', '--until=2026-02-28T23:59:59Z'];
  const changes = Number((await git(dir, ['rev-list', '--no-merges', '--count', ...since, 'HEAD'])).trim());
  const people = new Set((await git(dir, ['log', '--no-merges', '--format=%aE', ...since])).split('\n').filter(Boolean).map((e) => e.toLowerCase()));
  assert.deepEqual([changes, people.size], [3, 2]); // Ada's start, and Carter twice
  assert.equal(data.activity[0].commits, changes);
  assert.equal(data.activity[0].authors.length, people.size);
});

test('a monthly summary covers the last month with commits, not an empty current month, and its figures are what git log says', async () => {
  const { renderStaticBody } = await import('../../src/llm/providers/static.ts');
  const dir = await makeRepo({ 'a.py': 'def a():\n    return 1\n' }, { date: new Date(Date.UTC(2026, 0, 15, 10)), message: 'start' });
  await writeFiles(dir, { 'a.py': 'def a():\n    return 2\n', 'b.py': 'X = 1\n' });
  await commitAll(dir, 'feat: b', new Date(Date.UTC(2026, 1, 18, 9)));
  await writeFiles(dir, { 'b.py': 'X = 2\n' });
  await commitAll(dir, 'feat: telegram', new Date(Date.UTC(2026, 1, 28, 20)));
  const now = Date.UTC(2026, 10, 30, 18); // the clock is injected: nine months after the last commit
  const idx = await indexRepository(dir, { now });
  const inp: FinderInput = { ...input, repo: { name: 'cw', path: dir, weight: 1, enabled: true }, index: idx, now, history: { documentedInPeriod: () => [] } };
  const data = summaryData('month', [inp], now);
  assert.equal(data.emptyCurrent, '2026-11');
  assert.deepEqual([data.id, data.from, data.to], ['2026-02', '2026-02-01', '2026-02-28']);
  const count = Number((await git(dir, ['rev-list', '--count', '--since=2026-02-01T00:00:00Z', '--until=2026-02-28T23:59:59Z', 'HEAD'])).trim());
  const files = new Set((await git(dir, ['log', '--since=2026-02-01T00:00:00Z', '--until=2026-02-28T23:59:59Z', '--name-only', '--format='])).split('\n').filter(Boolean));
  assert.deepEqual([data.activity[0].commits, data.activity[0].files], [count, files.size]);
  assert.deepEqual([count, files.size], [2, 2]);
  const [monthly] = FINDERS.monthly_summary.find({ ...inp, allInputs: [inp] });
  assert.equal(monthly.displayName, 'Monthly Summary 2026-02');
  const body = renderStaticBody('monthly_summary', monthly, { extra: {} } as never);
  assert.match(body, /Nothing was documented and no repository changed in 2026-11, so this summary covers 2026-02, the last month with commits\./);
  assert.match(body, /\| cw \| 2 \| 1 \| 2 \|/);
  // pages written this month: the month stays, and the repository's last active month is given
  const busy = { ...inp, history: { documentedInPeriod: (from: number) => (from >= Date.UTC(2026, 10, 1) ? [{ docType: 'function_doc', repo: 'cw', count: 3 }] : []) } };
  const [current] = FINDERS.monthly_summary.find({ ...busy, allInputs: [busy] });
  assert.equal(current.displayName, 'Monthly Summary 2026-11');
  const body2 = renderStaticBody('monthly_summary', current, { extra: {} } as never);
  assert.match(body2, /cw has no commit in this month so far\. Its last month with commits was 2026-02 \(2026-02-01 to 2026-02-28\): 2 commits by 1 author touching 2 files, the last on 2026-02-28/);
  assert.match(current.source, /Repository cw, last active 2026-02 \(2026-02-01 to 2026-02-28\): 2 commits/);
});

test('a summary ranks the most changed files by lines added and removed (git log --numstat), says so, and drops "0 commits by 0 authors"', async () => {
  const { renderStaticBody } = await import('../../src/llm/providers/static.ts');
  const { addReaderFacts } = await import('../../src/llm/reader-facts.ts');
  const big = Array.from({ length: 40 }, (_, i) => `X${i} = ${i}`).join('\n');
  const dir = await makeRepo({ 'small.py': 'A = 1\n', 'big.py': 'B = 1\n', 'web/pnpm-lock.yaml': `${big}\n${big}\n` }, { date: new Date(Date.UTC(2026, 1, 2, 10)), message: 'start' });
  // small.py: touched by three commits, one line each; big.py: one commit, 40 lines
  for (let i = 2; i <= 4; i++) {
    await writeFiles(dir, { 'small.py': `A = ${i}\n` });
    await commitAll(dir, `small ${i}`, new Date(Date.UTC(2026, 1, 10 + i, 9)));
  }
  await writeFiles(dir, { 'big.py': `${big}\n` });
  await commitAll(dir, 'big', new Date(Date.UTC(2026, 1, 20, 9)));
  const now = Date.UTC(2026, 10, 30, 18);
  const idx = await indexRepository(dir, { now });
  const inp: FinderInput = { ...input, repo: { name: 'cw', path: dir, weight: 1, enabled: true }, index: idx, now, history: { documentedInPeriod: (from: number) => (from >= Date.UTC(2026, 10, 1) ? [{ docType: 'function_doc', repo: 'cw', count: 1 }] : []) } };
  const [current] = FINDERS.monthly_summary.find({ ...inp, allInputs: [inp] });
  assert.match(current.source, /Repository cw: no commit in this period/);
  assert.doesNotMatch(current.source, /0 commits by 0 authors/);
  // the figures git gives for the month, summed per file
  const sum = async (file: string) => (await git(dir, ['log', '--numstat', '--format=', '--since=2026-02-01T00:00:00Z', '--until=2026-02-28T23:59:59Z', '--', file])).trim().split('\n').map((l) => l.split('\t').map(Number)).reduce((a, b) => [a[0] + b[0], a[1] + b[1]], [0, 0]);
  const [b, sm] = [await sum('big.py'), await sum('small.py')];
  assert.deepEqual([b, sm], [[41, 1], [4, 3]]);
  const facts = { extra: {} } as never;
  await addReaderFacts(current, facts, dir);
  const body = renderStaticBody('monthly_summary', current, facts);
  assert.match(body, new RegExp(`most changed by lines added and removed \\(lock files left out\\): \`big\\.py\` \\(\\+${b[0]} −${b[1]}\\), \`small\\.py\` \\(\\+${sm[0]} −${sm[1]}\\)`));
  assert.doesNotMatch(body, /\| cw \| 0 \| 0 \| 0 \|/);
  // without line counts (no git), the measure is named
  const [again] = FINDERS.monthly_summary.find({ ...inp, allInputs: [inp] });
  assert.match(renderStaticBody('monthly_summary', again, { extra: {} } as never), /most changed by number of commits touching the file: `small\.py` \(4 commits\), `big\.py` \(2 commits\)/);
});
