import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus } from '../../src/core/events.ts';
import { EventStore } from '../../src/state/events.ts';
import { startDashboard, type DashboardHandle } from '../../src/dashboard/server.ts';
import type { RecentResponse, RepoRow, StatsResponse } from '../../src/dashboard/types.ts';
import { FIXED_NOW, daysAgo, localIso, makeWorld, type World } from './fixture.ts';

let world: World;
let dash: DashboardHandle;
let bus: EventBus;
const ids: Record<string, string> = {};

async function get<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(new URL(path, dash.url));
  return { status: res.status, body: (await res.json()) as T };
}

before(async () => {
  world = await makeWorld({ repos: ['alpha', 'beta', 'gamma'] });
  // today 3 (alpha), 3 days ago 2 (beta), 20 days ago 1 (alpha), 100 days ago 1 (beta)
  ids.newest = await world.addPage({ repo: 'alpha', file: '/s/a/x.py', at: localIso(daysAgo(0, 10)), docType: 'til' });
  await world.addPage({ repo: 'alpha', file: '/s/a/y.py', at: localIso(daysAgo(0, 9)) });
  await world.addPage({ repo: 'alpha', file: '/s/a/z.ts', at: localIso(daysAgo(0, 8)), language: 'typescript' });
  await world.addPage({ repo: 'beta', file: '/s/b/m.go', at: localIso(daysAgo(3)), docType: 'security_review' });
  await world.addPage({ repo: 'beta', file: '/s/b/n.rs', at: localIso(daysAgo(3, 11)), docType: 'security_review' });
  await world.addPage({ repo: 'alpha', file: '/s/a/old.py', at: localIso(daysAgo(20)), className: 'Worker', functionName: 'run' });
  ids.oldest = await world.addPage({ repo: 'beta', file: '/s/b/Makefile', at: localIso(daysAgo(100)), docType: 'file_doc', functionName: null });
  const cyc = world.db.prepare('INSERT INTO cycles (started_at, outcome) VALUES (?, ?)');
  for (const outcome of ['success', 'success', 'success', 'failed', 'skipped', 'skipped', null]) cyc.run(new Date().toISOString(), outcome);
  const gr = world.db.prepare(
    'INSERT INTO grounding_results (snippet_id, checked_at, ungrounded, contradictions, grounded) VALUES (?, ?, 0, 0, ?)',
  );
  gr.run('g1', new Date().toISOString(), 1);
  gr.run('g2', new Date().toISOString(), 1);
  gr.run('g3', new Date().toISOString(), 1);
  gr.run('g4', new Date().toISOString(), 0);
  bus = new EventBus();
  new EventStore(world.db).attach(bus);
  bus.publish('next_cycle', { at: '2030-01-01T10:00:00.000Z' });
  dash = await startDashboard({ settings: world.settings, db: world.db, bus, port: 0, thread: false, now: () => FIXED_NOW });
});

after(async () => {
  await dash.close();
  await world.cleanup();
});

test('GET /api/stats counts pages today, in 7 and 30 local days and in total', async () => {
  const { status, body } = await get<StatsResponse>('/api/stats');
  assert.equal(status, 200);
  assert.equal(body.total_documented, 7);
  assert.equal(body.today, 3);
  assert.equal(body.last_7_days, 5);
  assert.equal(body.last_30_days, 6);
});

test('GET /api/stats breaks pages down by repository, doc type and language', async () => {
  const { body } = await get<StatsResponse>('/api/stats');
  assert.deepEqual(body.by_repo, { alpha: 4, beta: 3 });
  assert.deepEqual(body.by_doc_type, { til: 1, function_doc: 3, security_review: 2, file_doc: 1 });
  // z.ts's language comes from snippet_meta, the others from their extension; the Makefile's page is no language's
  assert.deepEqual(body.by_language, { python: 3, typescript: 1, go: 1, rust: 1 });
});

test('the language breakdown counts programming languages only: a diff page counts as its file, a summary not at all', async () => {
  await world.addPage({ repo: 'gamma', file: '/s/g/evolved.rs', docType: 'code_evolution', language: 'diff' });
  await world.addPage({ repo: 'gamma', file: '', functionName: null, docType: 'weekly_summary', language: 'text' });
  bus.publish('documentation_committed', { target: 'evolved' });
  const { body } = await get<StatsResponse>('/api/stats');
  assert.deepEqual(body.by_language, { python: 3, typescript: 1, go: 1, rust: 2 });
  world.db.prepare("DELETE FROM snippet_meta WHERE snippet_id IN (SELECT id FROM documented_snippets WHERE source_repo = 'gamma')").run();
  world.db.prepare("DELETE FROM documented_snippets WHERE source_repo = 'gamma'").run();
  bus.publish('log', { msg: 'rows removed' });
});

test('success rate is successes over finished success, failed and skipped cycles; grounding rate counts grounded pages', async () => {
  world.db.prepare('INSERT INTO cycles (started_at, outcome) VALUES (?, ?)').run(new Date().toISOString(), 'abandoned');
  bus.publish('log', { msg: 'abandoned one' });
  const { body } = await get<StatsResponse>('/api/stats');
  assert.equal(body.success_rate, 50); // 3 success / (3 success + 1 failed + 2 skipped); abandoned and running not counted
  assert.equal(body.grounding_rate, 75); // 3 of 4
  assert.deepEqual(body.cycles, { total: 6, success: 3, failed: 1, skipped: 2, abandoned: 1 }); // total as `codeworm stats`: finished with an outcome (state/metrics.ts)
});

test('next_cycle comes from the latest next_cycle event', async () => {
  bus.publish('next_cycle', { at: '2031-05-06T07:08:09.000Z' });
  const { body } = await get<StatsResponse>('/api/stats');
  assert.equal(body.next_cycle?.at, '2031-05-06T07:08:09.000Z');
});

test('a page recorded after start shows in the stats once an event arrives', async () => {
  await get<StatsResponse>('/api/stats'); // warm the cache
  await world.addPage({ repo: 'gamma', file: '/s/g/new.js' });
  bus.publish('documentation_committed', { target: 'new' });
  const { body } = await get<StatsResponse>('/api/stats');
  assert.equal(body.by_repo.gamma, 1);
  assert.equal(body.by_language.javascript, 1);
  world.db.prepare("DELETE FROM documented_snippets WHERE source_repo = 'gamma'").run();
  bus.publish('log', { msg: 'row removed' });
});

test('stats are rebuilt when rows disappear from the table', async () => {
  const id = await world.addPage({ repo: 'gamma', file: '/s/g/tmp.py' });
  bus.publish('log', { msg: 'added' });
  assert.equal((await get<StatsResponse>('/api/stats')).body.by_repo.gamma, 1);
  world.db.prepare('DELETE FROM documented_snippets WHERE id = ?').run(id);
  bus.publish('log', { msg: 'deleted' });
  const { body } = await get<StatsResponse>('/api/stats');
  assert.equal(body.by_repo.gamma, undefined);
  assert.equal(body.total_documented, 7);
});

test('stats are rebuilt when the newest row is replaced by another under the same rowid', async () => {
  const id = await world.addPage({ repo: 'gamma', file: '/s/g/last.py' });
  bus.publish('log', { msg: 'added' });
  assert.equal((await get<StatsResponse>('/api/stats')).body.by_repo.gamma, 1);
  const rowid = world.db.prepare('SELECT rowid FROM documented_snippets WHERE id = ?').pluck().get(id);
  world.db.prepare('DELETE FROM documented_snippets WHERE id = ?').run(id);
  const other = await world.addPage({ repo: 'zeta', file: '/s/z/z.py' });
  assert.equal(world.db.prepare('SELECT rowid FROM documented_snippets WHERE id = ?').pluck().get(other), rowid);
  bus.publish('log', { msg: 'replaced' });
  const { body } = await get<StatsResponse>('/api/stats');
  assert.equal(body.by_repo.gamma, undefined);
  assert.equal(body.by_repo.zeta, 1);
  world.db.prepare('DELETE FROM documented_snippets WHERE id = ?').run(other);
  bus.publish('log', { msg: 'removed' });
});

test('GET /api/recent lists pages newest first with ids and a total', async () => {
  const { body } = await get<RecentResponse>('/api/recent?limit=3');
  assert.equal(body.total, 7);
  assert.equal(body.items.length, 3);
  assert.equal(body.items[0].id, ids.newest);
  const times = body.items.map((i) => i.documented_at);
  assert.deepEqual(times, [...times].sort().reverse());
});

test('GET /api/recent pages with offset and filters by repo and doc type', async () => {
  const last = await get<RecentResponse>('/api/recent?limit=3&offset=6');
  assert.deepEqual(
    last.body.items.map((i) => i.id),
    [ids.oldest],
  );
  const beta = await get<RecentResponse>('/api/recent?repo=beta&doc_type=security_review');
  assert.equal(beta.body.total, 2);
  assert.ok(beta.body.items.every((i) => i.source_repo === 'beta' && i.doc_type === 'security_review'));
});

test('GET /api/recent titles a method as Class.function', async () => {
  const { body } = await get<RecentResponse>('/api/recent?repo=alpha&limit=10');
  assert.ok(body.items.some((i) => i.title === 'Worker.run'));
});

test('GET /api/recent refuses a malformed limit with 400 and a message', async () => {
  const res = await get<{ error: string }>('/api/recent?limit=abc');
  assert.equal(res.status, 400);
  assert.match(res.body.error, /limit/);
  assert.equal((await get('/api/recent?limit=100000')).status, 400);
});

test('GET /api/docs/:id returns the page rendered to HTML', async () => {
  const { status, body } = await get<{ html: string; id: string; source_repo: string }>(`/api/docs/${ids.newest}`);
  assert.equal(status, 200);
  assert.equal(body.id, ids.newest);
  assert.match(body.html, /<h1>function_1<\/h1>/);
  assert.match(body.html, /<code>function_1<\/code>/);
});

test('GET /api/docs/:id answers 404 for an unknown id', async () => {
  assert.equal((await get('/api/docs/00000000-0000-4000-8000-000000000000')).status, 404);
});

test('GET /api/activity gives one count per local day, oldest first, zero days included', async () => {
  const { body } = await get<{ date: string; count: number }[]>('/api/activity?days=5');
  assert.equal(body.length, 5);
  assert.deepEqual(
    body.map((d) => d.count),
    [0, 2, 0, 0, 3],
  );
  assert.ok(body[0].date < body[4].date);
});

test('GET /api/activity refuses days outside 1..3660 with 400', async () => {
  assert.equal((await get('/api/activity?days=0')).status, 400);
  assert.equal((await get('/api/activity?days=-3')).status, 400);
});

test('GET /api/doc_types lists all twelve doc types with labels and counts', async () => {
  const { body } = await get<{ doc_type: string; label: string; count: number }[]>('/api/doc_types');
  assert.equal(body.length, 12);
  assert.deepEqual(
    body.find((t) => t.doc_type === 'security_review'),
    { doc_type: 'security_review', label: 'Security Review', count: 2 },
  );
  assert.equal(body.find((t) => t.doc_type === 'async_analysis')?.count, 0);
});

test('GET /api/languages lists languages most first', async () => {
  const { body } = await get<{ language: string; count: number }[]>('/api/languages');
  assert.deepEqual(body[0], { language: 'python', count: 3 });
  assert.equal(body.reduce((n, l) => n + l.count, 0), 6); // 7 pages; the Makefile's is no programming language's
});

test('GET /api/repos lists configured repositories with pages, last activity and unknown coverage', async () => {
  const { body } = await get<RepoRow[]>('/api/repos');
  assert.deepEqual(
    body.map((r) => [r.name, r.documents]),
    [
      ['alpha', 4],
      ['beta', 3],
      ['gamma', 0],
    ],
  );
  assert.equal(body[0].last_activity, localIso(daysAgo(0, 10)));
  assert.equal(body[2].last_activity, null);
  assert.ok(body.every((r) => r.coverage === null));
});

test('GET /api/repos takes coverage from the latest stats event', async () => {
  bus.publish('stats', { coverage: [{ repo: 'alpha', candidates: 8, documented: 2 }] });
  const { body } = await get<RepoRow[]>('/api/repos');
  assert.equal(body.find((r) => r.name === 'alpha')?.coverage, 0.25);
  assert.equal(body.find((r) => r.name === 'beta')?.coverage, null);
});

test('coverage outlives later stats events without it (the daemon publishes cycle counts in between)', async () => {
  bus.publish('stats', { total: 12, successful: 11 });
  const { body } = await get<RepoRow[]>('/api/repos');
  assert.equal(body.find((r) => r.name === 'alpha')?.coverage, 0.25);
});

test('GET /api/repos prefers the coverage callback of the daemon', async () => {
  const other = await startDashboard({
    settings: world.settings,
    db: world.db,
    port: 0,
    coverage: () => [{ repo: 'beta', candidates: 10, documented: 5 }],
  });
  try {
    const res = await fetch(new URL('/api/repos', other.url));
    const body = (await res.json()) as RepoRow[];
    assert.equal(body.find((r) => r.name === 'beta')?.coverage, 0.5);
    assert.equal(body.find((r) => r.name === 'alpha')?.coverage, null);
  } finally {
    await other.close();
  }
});

test('GET /healthz answers ok', async () => {
  const { status, body } = await get<{ ok: boolean }>('/healthz');
  assert.equal(status, 200);
  assert.equal(body.ok, true);
});

test('an unknown API path answers 404 JSON', async () => {
  const { status, body } = await get<{ error: string }>('/api/nope');
  assert.equal(status, 404);
  assert.match(body.error, /no such endpoint/);
});

test('the page and Chart.js are served with a script-src self CSP', async () => {
  const page = await fetch(dash.url);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<title>CodeWorm/);
  assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  const chart = await fetch(new URL('/vendor/chart.umd.js', dash.url));
  assert.equal(chart.status, 200);
  assert.match(await chart.text(), /Chart/);
});

test('GET / comes with the numbers: counters filled in and the stats embedded for the first paint', async () => {
  const res = await fetch(new URL('/', dash.url));
  const html = await res.text();
  const { body: stats } = await get<StatsResponse>('/api/stats');
  assert.match(html, new RegExp(`data-testid="total_documented">${stats.total_documented}<`));
  assert.match(html, new RegExp(`data-testid="today">${stats.today}<`));
  assert.match(html, /data-testid="success_rate">\d+(\.\d)?%</);
  const embedded = /<script type="application\/json" id="initial-stats">(.*?)<\/script>/s.exec(html);
  assert.ok(embedded, 'stats embedded');
  assert.equal(JSON.parse(embedded[1]).total_documented, stats.total_documented);
});
