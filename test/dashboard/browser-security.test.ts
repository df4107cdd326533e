/**
 * The dashboard's defences seen from Debian's Chromium (playwright-core): a DNS-rebinding page,
 * a cross-origin form on another port of the same machine, signing out, and the lockout
 * message. Chromium resolves `evil.example` to 127.0.0.1 (`--host-resolver-rules`), as a
 * rebinding DNS server would make it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import type { Settings } from '../../src/config/schema.ts';
import { EventBus } from '../../src/core/events.ts';
import { startDashboard } from '../../src/dashboard/server.ts';
import { makeWorld, type World } from './fixture.ts';
import { raw } from './http.ts';
import { requireUnderCi, skipWithout } from '../support/required-tool.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const skip = skipWithout(`Chromium at ${CHROMIUM}`, haveChromium, 'apt-get install chromium');

const TOKEN = 'Vb7-qP2xK9mT4wZ8nR3cL6yH1dJ5fG0sA_eU'; // 36 characters
let world: World;
let browser: Browser;
let pageId: string;

before(async () => {
  requireUnderCi(`Chromium at ${CHROMIUM}`, haveChromium, 'apt-get install chromium');
  if (!haveChromium) return;
  world = await makeWorld();
  pageId = await world.addPage({ body: '# Private page\n\nsource code of the secret project\n' });
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--host-resolver-rules=MAP evil.example 127.0.0.1',
    ],
  });
});

after(async () => {
  if (!haveChromium) return;
  await browser?.close();
  await world?.cleanup();
});

function settingsWith(dashboard: Partial<Settings['dashboard']>): Settings {
  return { ...world.settings, dashboard: { ...world.settings.dashboard, ...dashboard } };
}

test('a DNS-rebinding page (evil.example → 127.0.0.1) gets 403 from a token-less dashboard and cannot read /api/docs', { skip }, async () => {
  const dash = await startDashboard({ settings: world.settings, db: world.db, port: 0, thread: false });
  // the same browser reaches a dashboard that lists evil.example: the resolver rule works
  const listed = await startDashboard({ settings: settingsWith({ allowed_hosts: ['evil.example'] }), db: world.db, port: 0, thread: false });
  const context = await browser.newContext();
  try {
    const p = await context.newPage();
    const port = new URL(dash.url).port;
    const res = await p.goto(`http://evil.example:${port}/`);
    assert.equal(res?.status(), 403);
    const read = await p.evaluate(async (id) => {
      const r = await fetch(`/api/docs/${id}`);
      return { status: r.status, body: await r.text() };
    }, pageId);
    assert.equal(read.status, 403);
    assert.ok(!read.body.includes('secret project'));

    const control = await p.goto(`http://evil.example:${new URL(listed.url).port}/api/docs/${pageId}`);
    assert.equal(control?.status(), 200);
    assert.match(await p.content(), /secret project/);
  } finally {
    await context.close();
    await dash.close();
    await listed.close();
  }
});

test('signed in, a form on another port of this machine cannot sign the browser out; the sign-out button can', { skip }, async () => {
  const dash = await startDashboard({ settings: settingsWith({ token: TOKEN }), db: world.db, bus: new EventBus(), port: 0, thread: true });
  // the attacker's page: same site (127.0.0.1), another origin, so the SameSite=Strict cookie goes along
  const attacker: Server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(`<form id="f" method="post" action="${new URL('/logout', dash.url).href}"></form><script>document.getElementById('f').submit()</script>`);
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  const context = await browser.newContext();
  try {
    const p = await context.newPage();
    await p.goto(dash.url);
    await p.fill('#token', TOKEN);
    await p.click('button[type=submit]');
    await p.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });
    await p.waitForSelector('#signout:not(.hidden)', { timeout: 5000 });
    const [session] = (await context.cookies()).filter((c) => c.name === 'codeworm_session');
    assert.ok(session);

    const forged = p.waitForResponse((r) => r.url().endsWith('/logout'));
    await p.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
    assert.equal((await forged).status(), 403);
    const still = await raw(dash.url, '/api/stats', { headers: { cookie: `codeworm_session=${session.value}` } });
    assert.equal(still.status, 200, 'the forged sign-out changed nothing');

    await p.goto(dash.url);
    await p.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });
    await p.click('#signout button');
    await p.waitForURL(/\/login$/);
    const replay = await raw(dash.url, '/api/stats', { headers: { cookie: `codeworm_session=${session.value}` } });
    assert.equal(replay.status, 401, 'the old cookie is revoked on the server');
    await p.goto(dash.url);
    assert.match(p.url(), /\/login$/);
  } finally {
    await context.close();
    await new Promise((resolve) => attacker.close(resolve));
    await dash.close();
  }
});

test('after too many wrong tokens the sign-in form says the address is locked out', { skip }, async () => {
  const dash = await startDashboard({ settings: settingsWith({ token: TOKEN, login_max_failures: 2, login_lockout_seconds: 300 }), db: world.db, port: 0, thread: false });
  const context = await browser.newContext();
  try {
    const p = await context.newPage();
    await p.goto(new URL('/login', dash.url).href);
    for (const guess of ['wrong-1', 'wrong-2', TOKEN]) {
      await p.fill('#token', guess);
      await Promise.all([p.waitForLoadState('load'), p.click('button[type=submit]')]);
      await p.waitForSelector('.error');
    }
    assert.match((await p.textContent('.error')) ?? '', /Too many failed sign-ins from this address; try again in 5 minutes/);
    assert.match(p.url(), /\/login$/);
  } finally {
    await context.close();
    await dash.close();
  }
});
