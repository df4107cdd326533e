/**
 * End to end in Debian's Chromium through playwright-core: the dashboard page against a real
 * database and a live event bus. Writes screenshots to test-output/ for people to look at.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Browser, Dialog, Page } from 'playwright-core';
import { EventBus } from '../../src/core/events.ts';
import { EventStore } from '../../src/state/events.ts';
import { startDashboard, type DashboardHandle } from '../../src/dashboard/server.ts';
import { skipWithout, requireUnderCi } from '../support/required-tool.ts';
import { daysAgo, localIso, makeWorld, runningClock, type World } from './fixture.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const skip = skipWithout(`Chromium at ${CHROMIUM}`, haveChromium, 'apt-get install chromium');

const OUT = path.resolve(import.meta.dirname, '../../test-output');
const EVIL_BODY = [
  '# evil_handler',
  '',
  '**Type:** Security Review',
  '',
  '## Security Review',
  '',
  'The model wrote <script>window.__pwned = "script"</script> and <img src=x onerror="window.__pwned=\'img\';alert(1)">.',
  '',
  '[click me](javascript:window.__pwned=\'link\';alert(1)) <a href="javascript:alert(2)" id="raw">raw link</a>',
  '',
  '<svg onload="window.__pwned=\'svg\'"></svg><iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
].join('\n');

// the dashboard's clock: a fixed day at 15:00 local, running from there, so "today" and the
// feed order hold at any hour and in any time zone
const now = runningClock();
let world: World;
let dash: DashboardHandle;
let bus: EventBus;
let browser: Browser;
let page: Page;
const dialogs: Dialog[] = [];
const expected = { today: 0, last7: 0, last30: 0, total: 0 };

/** Deterministic pseudo-random numbers (a small LCG) so the history is the same every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function seed(): Promise<void> {
  const rnd = lcg(7);
  const types = ['function_doc', 'class_doc', 'file_doc', 'security_review', 'til', 'performance_analysis', 'code_evolution', 'pattern_analysis'];
  const files = [
    ['codeworm', '/home/dev/codeworm/codeworm/daemon.py', 'CodeWormDaemon._async_run'],
    ['codeworm', '/home/dev/codeworm/codeworm/core/state.py', 'StateManager.get_stats'],
    ['webshop', '/home/dev/webshop/src/server.ts', 'createServer'],
    ['webshop', '/home/dev/webshop/src/cart/index.js', 'applyDiscount'],
    ['infra', '/home/dev/infra/cmd/reconcile/main.go', 'reconcileLoop'],
    ['infra', '/home/dev/infra/src/config.rs', 'parse_config'],
  ];
  const insert = world.db.prepare(
    `INSERT INTO documented_snippets (id, source_repo, source_file, function_name, code_hash, documented_at, snippet_path, git_commit, doc_type)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  world.db.transaction(() => {
    for (let day = 364; day >= 1; day--) {
      const weekend = [0, 6].includes(daysAgo(day).getDay());
      const n = Math.floor(rnd() * (weekend ? 5 : 12) * (0.6 + 0.4 * Math.sin(day / 20)));
      for (let i = 0; i < n; i++) {
        const [repo, file, fn] = files[Math.floor(rnd() * files.length)];
        const id = randomUUID();
        const at = localIso(daysAgo(day, 8 + Math.floor(rnd() * 12)));
        insert.run(id, repo, file, fn, `h-${id}`, at, `snippets/x/${id}.md`, Math.floor(rnd() * 0xfffffff).toString(16).padStart(7, '0'), types[Math.floor(rnd() * types.length)]);
        expected.total += 1;
        if (day <= 6) expected.last7 += 1;
        if (day <= 29) expected.last30 += 1;
      }
    }
  })();
  // today's pages have real files and are the newest in the feed
  const today = [
    { repo: 'codeworm', file: '/home/dev/codeworm/codeworm/daemon.py', functionName: 'evil_handler', docType: 'security_review', body: EVIL_BODY, hour: 9 },
    {
      repo: 'webshop',
      file: '/home/dev/webshop/src/server.ts',
      functionName: 'createServer',
      docType: 'function_doc',
      hour: 10,
      body:
        '# createServer\n\n**Type:** Documentation\n**Repository:** webshop\n**File:** src/server.ts\n\n---\n\n## Source Code\n\n```typescript\nexport function createServer(port: number) {\n  return http.createServer(handler).listen(port);\n}\n```\n\n---\n\n## Documentation\n\n`createServer` starts the HTTP server on `port`.\n\n| parameter | meaning |\n|---|---|\n| port | TCP port |\n',
    },
  ];
  for (const t of today) {
    await world.addPage({ repo: t.repo, file: t.file, functionName: t.functionName, docType: t.docType, body: t.body, at: localIso(daysAgo(0, t.hour)) });
    expected.total += 1;
    expected.today += 1;
    expected.last7 += 1;
    expected.last30 += 1;
  }
  const cyc = world.db.prepare('INSERT INTO cycles (started_at, outcome) VALUES (?, ?)');
  for (let i = 0; i < 47; i++) cyc.run(new Date().toISOString(), 'success');
  for (let i = 0; i < 3; i++) cyc.run(new Date().toISOString(), 'failed');
  const gr = world.db.prepare('INSERT INTO grounding_results (snippet_id, checked_at, ungrounded, contradictions, grounded) VALUES (?, ?, 0, 0, ?)');
  for (let i = 0; i < 20; i++) gr.run(`g${i}`, new Date().toISOString(), i < 18 ? 1 : 0);
}

before(async () => {
  requireUnderCi(`Chromium at ${CHROMIUM}`, haveChromium, 'apt-get install chromium');
  if (!haveChromium) return;
  world = await makeWorld({ repos: ['codeworm', 'webshop', 'infra'] });
  await seed();
  bus = new EventBus();
  new EventStore(world.db).attach(bus);
  bus.publish('daemon_started', { repos: 3 });
  bus.publish('next_cycle', { at: new Date(Date.now() + 23 * 60_000 + 15_000).toISOString() });
  bus.publish('stats', {
    coverage: [
      { repo: 'codeworm', candidates: 212, documented: 139 },
      { repo: 'webshop', candidates: 480, documented: 151 },
      { repo: 'infra', candidates: 96, documented: 88 },
    ],
  });
  bus.publish('cycle_starting', { doc_type: 'security_review' });
  bus.publish('analyzing', { target: 'CodeWormDaemon._async_run', repo: 'codeworm', doc_type: 'security_review' });
  bus.publish('log', { level: 'info', msg: 'facts block: 41 lines, 3 blocking calls, 2 callers' });
  bus.publish('generating', { target: 'CodeWormDaemon._async_run', repo: 'codeworm', doc_type: 'security_review' });
  dash = await startDashboard({ settings: world.settings, db: world.db, bus, port: 0, thread: true, now });
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('dialog', (d) => {
    dialogs.push(d);
    void d.dismiss();
  });
  await page.goto(dash.url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });
});

after(async () => {
  if (!haveChromium) return;
  await browser?.close();
  await dash?.close();
  await world?.cleanup();
});

const text = async (testId: string) => (await page.textContent(`[data-testid="${testId}"]`))?.trim();
const fmt = (n: number) => n.toLocaleString('en-US');

test('the page shows the database counts', { skip }, async () => {
  assert.equal(await text('today'), fmt(expected.today));
  assert.equal(await text('last_7_days'), fmt(expected.last7));
  assert.equal(await text('last_30_days'), fmt(expected.last30));
  assert.equal(await text('total_documented'), fmt(expected.total));
  assert.equal(await text('success_rate'), '94.0%');
  assert.equal(await text('grounding_rate'), '90.0%');
});

test('the heatmap has a cell per day of the last year carrying its count', { skip }, async () => {
  const cells = await page.$$eval('#heatmap rect', (rs) => rs.map((r) => Number(r.getAttribute('data-count'))));
  assert.equal(cells.length, 371);
  assert.equal(
    cells.reduce((a, b) => a + b, 0),
    expected.total,
  );
});

test('without running any script the page already shows the database counts (first paint)', { skip }, async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    const p = await context.newPage();
    await p.goto(dash.url);
    assert.equal((await p.textContent('[data-testid="total_documented"]'))?.trim(), fmt(expected.total));
    assert.equal((await p.textContent('[data-testid="today"]'))?.trim(), fmt(expected.today));
    assert.equal((await p.textContent('[data-testid="success_rate"]'))?.trim(), '94.0%');
    assert.equal((await p.textContent('#conn'))?.trim(), 'up to date', 'no "connecting" pill on a page whose numbers are current');
  } finally {
    await context.close();
  }
});

test('month labels of the heatmap never overlap: at least 3 weeks apart, 12 or 13 of them', { skip }, async () => {
  const xs = await page.$$eval('#heatmap text.month', (ts) => ts.map((t) => Number(t.getAttribute('x'))));
  assert.ok(xs.length >= 12 && xs.length <= 13, `${xs.length} month labels`);
  for (let i = 1; i < xs.length; i++) assert.ok(xs[i] - xs[i - 1] >= 3 * 14, `labels ${i - 1} and ${i} are ${xs[i] - xs[i - 1]} px apart`);
});

test('the repositories view shows documentation coverage', { skip }, async () => {
  const rows = await page.$$eval('[data-testid="repos"] tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
  assert.ok(rows.some((r) => r.includes('infra') && r.includes('92%')), rows.join(' | '));
});

test('the current activity shows phase, target and doc type, and the header says a cycle is in progress', { skip }, async () => {
  assert.equal(await page.textContent('#phase'), 'generating');
  assert.equal(await page.textContent('#target'), 'CodeWormDaemon._async_run');
  assert.equal(await page.textContent('#target-type'), 'Security Review');
  assert.equal(await page.textContent('#countdown'), 'in progress');
});

test('a live event appears in the log within a second', { skip }, async () => {
  const marker = `live-marker-${Date.now()}`;
  const t0 = Date.now();
  bus.publish('log', { level: 'info', msg: marker });
  await page.waitForSelector(`[data-testid="log"] >> text=${marker}`, { timeout: 1000 });
  assert.ok(Date.now() - t0 < 1000);
});

test('a committed page shows in the feed and the counters without a reload', { skip }, async () => {
  await world.addPage({ repo: 'infra', file: '/home/dev/infra/src/lease.rs', functionName: 'renew_lease', docType: 'til', at: localIso(now()) });
  expected.total += 1;
  expected.today += 1;
  bus.publish('documentation_committed', { target: 'renew_lease', commit: '9f3c2a1', doc_type: 'til', repo: 'infra' });
  await page.waitForSelector('[data-testid="feed"] li:first-child >> text=renew_lease', { timeout: 2000 });
  await page.waitForFunction((n) => document.querySelector('[data-testid="total_documented"]')?.textContent === n, fmt(expected.total), {
    timeout: 2000,
  });
  assert.equal(await text('today'), fmt(expected.today));
  assert.equal(await page.textContent('#phase'), 'committed');
  // the cycle is over: the header counts down to the next one again
  await page.waitForFunction(() => /^\d{2}:\d{2}$/.test(document.querySelector('#countdown')?.textContent ?? ''), undefined, { timeout: 2000 });
  const [mm, ss] = ((await page.textContent('#countdown')) ?? '').split(':').map(Number);
  const secs = mm * 60 + ss;
  assert.ok(secs > 20 * 60 && secs <= 23 * 60 + 15, `countdown ${mm}:${ss} for a cycle 23:15 after start`);
});

test('clicking a feed entry shows the rendered page', { skip }, async () => {
  await page.click('[data-testid="feed-entry"] >> text=createServer');
  await page.waitForSelector('[data-testid="doc-body"] h1 >> text=createServer', { timeout: 2000 });
  assert.ok(await page.isVisible('[data-testid="doc-body"] pre code.language-typescript'));
  assert.match(page.url(), /#\/doc\//);
  await mkdir(OUT, { recursive: true });
  await page.screenshot({ path: path.join(OUT, 'dashboard-page.png') });
  await page.click('#doc-close');
  assert.equal(await page.isVisible('#doc'), false);
});

test('an LLM answer with <script>, onerror= and javascript: runs nothing', { skip }, async () => {
  await page.evaluate(() => {
    (window as unknown as { __pwned?: unknown }).__pwned = undefined;
  });
  await page.click('[data-testid="feed-entry"] >> text=evil_handler');
  await page.waitForSelector('[data-testid="doc-body"] h1 >> text=evil_handler', { timeout: 2000 });
  const html = await page.innerHTML('[data-testid="doc-body"]');
  assert.doesNotMatch(html, /<script|onerror|onload|javascript:|<iframe|<svg|<img/i);
  await page.click('[data-testid="doc-body"] >> text=click me');
  await page.click('[data-testid="doc-body"] >> text=raw link');
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
  assert.equal(dialogs.length, 0, 'no alert() dialog opened');
  await page.click('#doc-close');
});

test('with a token the browser signs in through the form and then gets data and the live stream', { skip }, async () => {
  const settings = { ...world.settings, dashboard: { ...world.settings.dashboard, token: 'browser-token' } };
  const guarded = await startDashboard({ settings, db: world.db, port: 0, thread: false, now });
  const context = await browser.newContext();
  try {
    const p = await context.newPage();
    await p.goto(guarded.url);
    assert.match(p.url(), /\/login$/);
    await p.fill('#token', 'wrong');
    await p.click('button[type=submit]');
    await p.waitForSelector('.error');
    await p.fill('#token', 'browser-token');
    await p.click('button[type=submit]');
    await p.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });
    assert.equal(await p.textContent('[data-testid="total_documented"]'), fmt(expected.total));
    await p.waitForSelector('#conn.pill-live', { timeout: 2000 });
  } finally {
    await context.close();
    await guarded.close();
  }
});

test('screenshots of the laptop and phone layouts are written to test-output/', { skip }, async () => {
  await mkdir(OUT, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(OUT, 'dashboard.png'), fullPage: true });
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  try {
    await phone.goto(dash.url);
    await phone.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the phone layout scrolls sideways by ${overflow}px`);
    await phone.screenshot({ path: path.join(OUT, 'dashboard-phone.png'), fullPage: true });
  } finally {
    await phone.close();
  }
  assert.ok(existsSync(path.join(OUT, 'dashboard.png')) && existsSync(path.join(OUT, 'dashboard-phone.png')));
});
