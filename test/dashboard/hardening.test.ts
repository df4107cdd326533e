/**
 * The dashboard against the web (issue 10): Host allow-list (DNS rebinding), Origin checks on
 * state-changing requests, token length to bind beyond loopback, sign-in throttling with
 * lockout, revocable server-side sessions, trust_proxy and Secure cookies, the cap on live
 * streams, and the security headers. Real servers on 127.0.0.1, real requests.
 */
import { after, before, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Settings } from '../../src/config/schema.ts';
import { EventBus } from '../../src/core/events.ts';
import { LoginThrottle, MAX_SESSIONS, SESSION_TTL_MS, SessionStore, clientKeyOf } from '../../src/dashboard/auth.ts';
import { DashboardRefused, startDashboard, type DashboardHandle, type DashboardOptions } from '../../src/dashboard/server.ts';
import { makeWorld, type World } from './fixture.ts';
import { cookieOf, postForm, raw, setCookieOf } from './http.ts';
import { openSse } from './sse.ts';
import { CLI_ARGS } from '../support/cli.ts';

const TOKEN = 'k3Zq9-vL2pT8xW4mN7bR1cY6hJ0dF5gS-aE'; // 35 characters
let world: World;
let pageId: string;

before(async () => {
  world = await makeWorld();
  pageId = await world.addPage({ body: '# Private page\n\nsource code of the secret project\n' });
});

after(async () => {
  await world.cleanup();
});

function settingsWith(dashboard: Partial<Settings['dashboard']>): Settings {
  return { ...world.settings, dashboard: { ...world.settings.dashboard, ...dashboard } };
}

async function withDashboard(
  dashboard: Partial<Settings['dashboard']>,
  fn: (d: DashboardHandle) => Promise<void>,
  extra: Partial<DashboardOptions> = {},
): Promise<void> {
  const d = await startDashboard({ settings: settingsWith(dashboard), db: world.db, port: 0, thread: false, ...extra });
  try {
    await fn(d);
  } finally {
    await d.close();
  }
}

const portOf = (d: DashboardHandle) => new URL(d.url).port;

// ---------- Host allow-list ----------

test('DNS rebinding: a token-less dashboard on 127.0.0.1 refuses Host: evil.example with 403 and shows nothing', async () => {
  await withDashboard({ token: '' }, async (d) => {
    for (const p of [`/api/docs/${pageId}`, '/api/stats', '/api/recent', '/', '/healthz', '/app.js', '/api/events']) {
      for (const host of ['evil.example', `evil.example:${portOf(d)}`]) {
        const res = await raw(d.url, p, { headers: { host } });
        assert.equal(res.status, 403, `${host} ${p}`);
        assert.ok(!res.body.includes('secret project') && !res.body.includes('total_documented'), `${host} ${p} leaked`);
        assert.match(res.body, /dashboard\.allowed_hosts/);
      }
    }
    // the same request with the dashboard's own name is served: the check is not refusing everything
    const own = await raw(d.url, `/api/docs/${pageId}`, { headers: { host: `localhost:${portOf(d)}` } });
    assert.equal(own.status, 200);
    assert.match(own.body, /secret project/);
  });
});

test('loopback names are served with the listening port, not with another one', async () => {
  await withDashboard({}, async (d) => {
    for (const host of [`127.0.0.1:${portOf(d)}`, `localhost:${portOf(d)}`, `[::1]:${portOf(d)}`, 'localhost']) {
      assert.equal((await raw(d.url, '/healthz', { headers: { host } })).status, 200, host);
    }
    assert.equal((await raw(d.url, '/healthz', { headers: { host: `localhost:${Number(portOf(d)) + 1}` } })).status, 403);
  });
});

test('dashboard.allowed_hosts admits the configured public names and no others', async () => {
  await withDashboard({ allowed_hosts: ['codeworm.example.org', 'lan-box:8443'] }, async (d) => {
    assert.equal((await raw(d.url, '/api/stats', { headers: { host: 'codeworm.example.org' } })).status, 200);
    assert.equal((await raw(d.url, '/api/stats', { headers: { host: 'CodeWorm.example.org:443' } })).status, 200);
    assert.equal((await raw(d.url, '/api/stats', { headers: { host: 'lan-box:8443' } })).status, 200);
    assert.equal((await raw(d.url, '/api/stats', { headers: { host: 'lan-box:8420' } })).status, 403);
    assert.equal((await raw(d.url, '/api/stats', { headers: { host: 'evil.codeworm.example.org' } })).status, 403);
  });
});

test('a request without a Host header is refused with 4xx', async () => {
  await withDashboard({}, async (d) => {
    const status = await new Promise<number>((resolve, reject) => {
      const s = connect(Number(portOf(d)), '127.0.0.1', () => s.write('GET /api/stats HTTP/1.0\r\n\r\n'));
      let text = '';
      s.setEncoding('utf8');
      s.on('data', (c: string) => (text += c));
      s.on('end', () => resolve(Number(/^HTTP\/1\.\d (\d{3})/.exec(text)?.[1] ?? 0)));
      s.on('error', reject);
    });
    assert.ok(status >= 400 && status < 500, `status ${status}`);
  });
});

test('a malformed allowed_hosts entry given in code is refused at start with the setting named', async () => {
  await assert.rejects(
    startDashboard({ settings: settingsWith({ allowed_hosts: ['https://x.example/'] }), db: world.db, port: 0, thread: false }),
    (err: unknown) => err instanceof DashboardRefused && /dashboard\.allowed_hosts/.test(err.message),
  );
});

// ---------- Origin on state-changing requests ----------

test('a cross-origin sign-in is refused with 403 and sets no cookie; the same origin signs in', async () => {
  await withDashboard({ token: TOKEN }, async (d) => {
    for (const headers of [
      { origin: 'http://evil.example' },
      { origin: 'null' },
      { origin: 'http://127.0.0.1:1' }, // another server on this machine
      { origin: '', 'sec-fetch-site': 'cross-site' },
      { origin: '' }, // no Origin and no Sec-Fetch-Site: not a browser form; scripts use the bearer header
    ] as Record<string, string>[]) {
      const res = await postForm(d.url, '/login', { token: TOKEN }, { headers });
      assert.equal(res.status, 403, JSON.stringify(headers));
      assert.equal(cookieOf(res), null);
      assert.match(res.body, /cross-origin/);
    }
    const same = await postForm(d.url, '/login', { token: TOKEN });
    assert.equal(same.status, 303);
    assert.ok(cookieOf(same));
    const fetchSite = await postForm(d.url, '/login', { token: TOKEN }, { headers: { origin: '', 'sec-fetch-site': 'same-origin' } });
    assert.equal(fetchSite.status, 303, 'Sec-Fetch-Site: same-origin is the dashboard itself');
  });
});

test('a cross-origin sign-out is refused and the session stays; a same-origin one ends it', async () => {
  await withDashboard({ token: TOKEN }, async (d) => {
    const session = cookieOf(await postForm(d.url, '/login', { token: TOKEN }))!;
    const forged = await raw(d.url, '/logout', { method: 'POST', headers: { cookie: session, origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(forged.status, 403);
    assert.equal((await raw(d.url, '/api/stats', { headers: { cookie: session } })).status, 200);
    const out = await postForm(d.url, '/logout', {}, { headers: { cookie: session } });
    assert.equal(out.status, 303);
    assert.equal(out.headers.location, '/login');
    assert.match(setCookieOf(out), /codeworm_session=;.*Max-Age=0/i);
    assert.equal((await raw(d.url, '/api/stats', { headers: { cookie: session } })).status, 401, 'the replayed cookie is revoked server-side');
  });
});

test('a token-less dashboard also refuses cross-origin posts', async () => {
  await withDashboard({ token: '' }, async (d) => {
    const res = await raw(d.url, '/api/stats', { method: 'POST', headers: { origin: 'http://evil.example', 'content-type': 'text/plain' }, body: 'x' });
    assert.equal(res.status, 403);
  });
});

// ---------- token length to bind beyond loopback ----------

test('binding 0.0.0.0 needs a token of at least 32 characters; the refusal names dashboard.token', async () => {
  await assert.rejects(
    startDashboard({ settings: settingsWith({ token: 'x'.repeat(31) }), db: world.db, host: '0.0.0.0', port: 0, thread: false }),
    (err: unknown) =>
      err instanceof DashboardRefused && err.exitCode === 2 && /31-character token/.test(err.message) && /dashboard\.token/.test(err.message) && /32/.test(err.message),
  );
  const ok = await startDashboard({ settings: settingsWith({ token: 'x'.repeat(32) }), db: world.db, host: '0.0.0.0', port: 0, thread: false });
  await ok.close();
  const insecure = await startDashboard({ settings: settingsWith({ token: 'short' }), db: world.db, host: '0.0.0.0', port: 0, thread: false, insecure: true });
  await insecure.close();
  const loopback = await startDashboard({ settings: settingsWith({ token: 'short' }), db: world.db, port: 0, thread: false });
  await loopback.close();
});

test('codeworm dashboard --host 0.0.0.0 with a short token exits 2 naming the setting', async () => {
  const run = promisify(execFile);
  const res = await run(process.execPath, [...CLI_ARGS, '-c', world.settings.configDir, 'dashboard', '--host', '0.0.0.0', '--port', '0'], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: { ...process.env, CODEWORM_DASHBOARD__TOKEN: 'hunter2-hunter2' },
  }).then(
    () => ({ code: 0, stderr: '' }),
    (err: { code: number; stderr: string }) => err,
  );
  assert.equal(res.code, 2);
  assert.match(res.stderr, /refusing to serve the dashboard on 0\.0\.0\.0 with a 15-character token: set dashboard\.token .* at least 32/);
  assert.ok(!res.stderr.includes('hunter2'), 'the token itself is not printed');
});

// ---------- sign-in throttling ----------

test('after login_max_failures wrong tokens the client is locked out, even with the right token, with Retry-After', async () => {
  await withDashboard({ token: TOKEN, login_max_failures: 3, login_lockout_seconds: 600 }, async (d) => {
    for (let i = 0; i < 3; i++) assert.equal((await postForm(d.url, '/login', { token: `wrong-${i}` })).status, 401);
    const locked = await postForm(d.url, '/login', { token: TOKEN });
    assert.equal(locked.status, 429);
    assert.equal(cookieOf(locked), null);
    const retry = Number(locked.headers['retry-after']);
    assert.ok(retry > 590 && retry <= 600, `Retry-After ${retry}`);
    assert.match(locked.body, /Too many failed sign-ins/);
    const bearer = await raw(d.url, '/api/stats', { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(bearer.status, 429, 'the bearer header is no way around the lockout');
  });
});

test('concurrent guesses do not bypass the lockout: of 200 parallel attempts at most login_max_failures are checked', async () => {
  await withDashboard({ token: TOKEN, login_max_failures: 5 }, async (d) => {
    const forms = await Promise.all(Array.from({ length: 100 }, (_, i) => postForm(d.url, '/login', { token: `guess-${i}` })));
    const bearers = await Promise.all(Array.from({ length: 100 }, (_, i) => raw(d.url, '/api/stats', { headers: { authorization: `Bearer guess-${i}` } })));
    const all = [...forms, ...bearers];
    const checked = all.filter((r) => r.status === 401).length;
    const refused = all.filter((r) => r.status === 429).length;
    assert.equal(checked + refused, 200);
    assert.ok(checked <= 5, `${checked} guesses were checked`);
    assert.equal((await postForm(d.url, '/login', { token: TOKEN })).status, 429);
  });
});

test('the lockout is per client: another address still signs in', async () => {
  await withDashboard({ token: TOKEN, login_max_failures: 2 }, async (d) => {
    for (let i = 0; i < 3; i++) await postForm(d.url, '/login', { token: 'wrong' });
    assert.equal((await postForm(d.url, '/login', { token: TOKEN })).status, 429);
    const other = await postForm(d.url, '/login', { token: TOKEN }, { localAddress: '127.0.0.2' });
    assert.equal(other.status, 303);
  });
});

test('a success resets the count of failures', async () => {
  await withDashboard({ token: TOKEN, login_max_failures: 3 }, async (d) => {
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 2; i++) assert.equal((await postForm(d.url, '/login', { token: 'wrong' })).status, 401);
      assert.equal((await postForm(d.url, '/login', { token: TOKEN })).status, 303, `round ${round}`);
    }
  });
});

test('forged session cookies are refused but do not lock out the client (ids are unguessable)', async () => {
  await withDashboard({ token: TOKEN, login_max_failures: 2 }, async (d) => {
    for (let i = 0; i < 10; i++) assert.equal((await raw(d.url, '/api/stats', { headers: { cookie: `codeworm_session=forged-${i}` } })).status, 401);
    assert.equal((await postForm(d.url, '/login', { token: TOKEN })).status, 303);
  });
});

test('without trust_proxy, X-Forwarded-For is ignored: a rotating header does not escape the lockout', async () => {
  await withDashboard({ token: TOKEN, login_max_failures: 2 }, async (d) => {
    for (let i = 0; i < 6; i++) await postForm(d.url, '/login', { token: 'wrong' }, { headers: { 'x-forwarded-for': `10.0.0.${i}` } });
    const res = await postForm(d.url, '/login', { token: TOKEN }, { headers: { 'x-forwarded-for': '10.0.0.99' } });
    assert.equal(res.status, 429);
  });
});

test('with trust_proxy the rightmost X-Forwarded-For entry is the client; what the client wrote to its left is not', async () => {
  await withDashboard({ token: TOKEN, login_max_failures: 2, trust_proxy: true }, async (d) => {
    // the attacker (203.0.113.9 as the proxy saw it) rotates a spoofed left entry
    for (let i = 0; i < 4; i++) await postForm(d.url, '/login', { token: 'wrong' }, { headers: { 'x-forwarded-for': `10.9.9.${i}, 203.0.113.9` } });
    assert.equal((await postForm(d.url, '/login', { token: TOKEN }, { headers: { 'x-forwarded-for': '203.0.113.9' } })).status, 429);
    // another client behind the same proxy is not locked out
    assert.equal((await postForm(d.url, '/login', { token: TOKEN }, { headers: { 'x-forwarded-for': '198.51.100.7' } })).status, 303);
  });
});

test('the lockout ends after login_lockout_seconds (clock moved, not waited for)', async () => {
  mock.timers.enable({ apis: ['Date'], now: Date.now() });
  try {
    await withDashboard({ token: TOKEN, login_max_failures: 2, login_lockout_seconds: 60 }, async (d) => {
      for (let i = 0; i < 3; i++) await postForm(d.url, '/login', { token: 'wrong' });
      assert.equal((await postForm(d.url, '/login', { token: TOKEN })).status, 429);
      mock.timers.tick(30_000);
      assert.equal((await postForm(d.url, '/login', { token: TOKEN })).status, 429, 'still locked half-way');
      mock.timers.tick(31_000);
      assert.equal((await postForm(d.url, '/login', { token: TOKEN })).status, 303);
    });
  } finally {
    mock.timers.reset();
  }
});

test('LoginThrottle: an attempt is counted before it is checked, so checks stop at the limit', async () => {
  const t = new LoginThrottle(3, 60);
  let checks = 0;
  const verdicts = await Promise.all(Array.from({ length: 50 }, () => t.attempt('1.2.3.4', () => (checks++, false))));
  assert.equal(checks, 3);
  assert.equal(verdicts.filter((v) => v.retryAfterS !== undefined).length, 47);
  assert.deepEqual(await t.attempt('5.6.7.8', () => true), { ok: true });
});

test('clientKeyOf groups IPv6 by /64 and unmaps IPv4-mapped addresses', () => {
  assert.equal(clientKeyOf('::ffff:192.0.2.1'), '192.0.2.1');
  assert.equal(clientKeyOf('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
  assert.equal(clientKeyOf('2001:db8:1:2:bbbb:cccc:dddd:eeee'), '2001:db8:1:2::/64');
  assert.equal(clientKeyOf('2001:db8::1'), '2001:db8:0:0::/64');
  assert.equal(clientKeyOf('192.0.2.1'), '192.0.2.1');
});

// ---------- sessions ----------

test('sign-in sets a random HttpOnly SameSite=Strict session id, a new one each time, never derived from the token', async () => {
  await withDashboard({ token: TOKEN }, async (d) => {
    const a = await postForm(d.url, '/login', { token: TOKEN });
    const b = await postForm(d.url, '/login', { token: TOKEN });
    const full = setCookieOf(a);
    assert.match(full, /HttpOnly/i);
    assert.match(full, /SameSite=Strict/i);
    assert.match(full, /Path=\//);
    assert.doesNotMatch(full, /Secure/i, 'plain http without a proxy');
    const [ca, cb] = [cookieOf(a)!, cookieOf(b)!];
    assert.notEqual(ca, cb);
    assert.match(ca, /^codeworm_session=[A-Za-z0-9_-]{43}$/);
    assert.ok(!ca.includes(TOKEN));
    assert.equal((await raw(d.url, '/api/stats', { headers: { cookie: ca } })).status, 200);
    assert.equal((await raw(d.url, '/api/stats', { headers: { cookie: cb } })).status, 200);
    const who = await raw(d.url, '/api/session', { headers: { cookie: ca } });
    assert.deepEqual(JSON.parse(who.body), { token_required: true, via: 'session' });
    const viaBearer = await raw(d.url, '/api/session', { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.deepEqual(JSON.parse(viaBearer.body), { token_required: true, via: 'bearer' });
  });
});

test('a token change revokes every session: a cookie from before the restart is refused', async () => {
  let session = '';
  await withDashboard({ token: TOKEN }, async (d) => {
    session = cookieOf(await postForm(d.url, '/login', { token: TOKEN }))!;
    assert.equal((await raw(d.url, '/api/stats', { headers: { cookie: session } })).status, 200);
  });
  await withDashboard({ token: `${TOKEN}-rotated` }, async (d) => {
    const res = await raw(d.url, '/api/stats', { headers: { cookie: session } });
    assert.equal(res.status, 401);
    assert.equal((await raw(d.url, '/api/stats', { headers: { authorization: `Bearer ${TOKEN}` } })).status, 401, 'the old token is refused too');
  });
});

test('SessionStore: sessions expire after SESSION_TTL_MS, revoke ends one, revokeAll ends all, the store is capped', () => {
  let now = 1_000_000;
  const store = new SessionStore(() => now);
  const a = store.create();
  const b = store.create();
  assert.equal(store.valid(a), true);
  store.revoke(a);
  assert.equal(store.valid(a), false);
  assert.equal(store.valid(b), true);
  now += SESSION_TTL_MS - 1;
  assert.equal(store.valid(b), true);
  now += 1;
  assert.equal(store.valid(b), false);
  const c = store.create();
  store.revokeAll();
  assert.equal(store.valid(c), false);
  assert.equal(store.valid(undefined), false);
  assert.equal(store.valid('x'.repeat(10_000)), false);
  const first = store.create();
  for (let i = 0; i < MAX_SESSIONS; i++) store.create();
  assert.equal(store.size, MAX_SESSIONS);
  assert.equal(store.valid(first), false, 'the oldest session made room');
});

test('trust_proxy: the cookie is Secure when the proxy says https; without trust_proxy X-Forwarded-Proto is ignored', async () => {
  await withDashboard({ token: TOKEN }, async (d) => {
    const res = await postForm(d.url, '/login', { token: TOKEN }, { headers: { 'x-forwarded-proto': 'https' } });
    assert.doesNotMatch(setCookieOf(res), /Secure/i);
  });
  await withDashboard({ token: TOKEN, trust_proxy: true, allowed_hosts: ['codeworm.example.org'] }, async (d) => {
    const viaTls = await postForm(d.url, '/login', { token: TOKEN }, {
      headers: { host: 'codeworm.example.org', origin: 'https://codeworm.example.org', 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.7' },
    });
    assert.equal(viaTls.status, 303);
    assert.match(setCookieOf(viaTls), /;\s*Secure/i);
    const viaHttp = await postForm(d.url, '/login', { token: TOKEN }, { headers: { 'x-forwarded-proto': 'http' } });
    assert.doesNotMatch(setCookieOf(viaHttp), /Secure/i);
  });
});

// ---------- live streams ----------

test('live streams are capped at max_event_streams: the next gets 503 with Retry-After, and a closed one frees its place', async () => {
  await withDashboard({ max_event_streams: 3 }, async (d) => {
    const url = new URL('/api/events', d.url).href;
    const open = await Promise.all([openSse(url), openSse(url), openSse(url)]);
    try {
      const refused = await raw(d.url, '/api/events');
      assert.equal(refused.status, 503);
      assert.ok(Number(refused.headers['retry-after']) > 0);
      assert.match(refused.body, /max_event_streams/);
      open.pop()!.close();
      let again = null;
      for (let i = 0; i < 50 && !again; i++) {
        again = await openSse(url).catch(() => null);
        if (!again) await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(again, 'a place was freed');
      open.push(again);
      await again.waitFor((m) => m.event === 'backlog');
    } finally {
      for (const s of open) s.close();
    }
  });
});

test('a burst of 40 stream requests gets exactly max_event_streams streams', async () => {
  await withDashboard({ max_event_streams: 4 }, async (d) => {
    const url = new URL('/api/events', d.url).href;
    const results = await Promise.allSettled(Array.from({ length: 40 }, () => openSse(url)));
    const ok = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof openSse>>> => r.status === 'fulfilled');
    try {
      assert.equal(ok.length, 4);
      for (const r of results) if (r.status === 'rejected') assert.match(String(r.reason), /HTTP 503/);
    } finally {
      for (const r of ok) r.value.close();
    }
  });
});

// ---------- security headers ----------

test('security headers are on pages, API answers, the sign-in form and the refusals', async () => {
  await withDashboard({ token: TOKEN }, async (d) => {
    const cases = [
      await raw(d.url, '/login'),
      await raw(d.url, '/api/stats', { headers: { authorization: `Bearer ${TOKEN}` } }),
      await raw(d.url, '/', { headers: { authorization: `Bearer ${TOKEN}` } }),
      await raw(d.url, '/api/stats', { headers: { host: 'evil.example' } }),
      await postForm(d.url, '/login', { token: TOKEN }, { headers: { origin: 'http://evil.example' } }),
      await raw(d.url, '/api/stats'),
    ];
    for (const res of cases) {
      assert.match(String(res.headers['content-security-policy']), /default-src 'self'/, `${res.status}`);
      assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
      assert.equal(res.headers['referrer-policy'], 'no-referrer');
    }
  });
});

// ---------- in a worker thread ----------

test('a threaded dashboard enforces the Host list, sessions, sign-out, the lockout and the stream cap', async () => {
  const d = await startDashboard({
    settings: settingsWith({ token: TOKEN, login_max_failures: 2, max_event_streams: 1 }),
    db: world.db,
    bus: new EventBus(),
    port: 0,
    thread: true,
  });
  try {
    assert.equal((await raw(d.url, '/api/stats', { headers: { host: 'evil.example', authorization: `Bearer ${TOKEN}` } })).status, 403);
    const session = cookieOf(await postForm(d.url, '/login', { token: TOKEN }))!;
    assert.equal((await raw(d.url, '/api/stats', { headers: { cookie: session } })).status, 200);
    const sse = await openSse(new URL('/api/events', d.url).href, { cookie: session });
    try {
      assert.equal((await raw(d.url, '/api/events', { headers: { cookie: session } })).status, 503);
    } finally {
      sse.close();
    }
    assert.equal((await postForm(d.url, '/logout', {}, { headers: { cookie: session } })).status, 303);
    assert.equal((await raw(d.url, '/api/stats', { headers: { cookie: session } })).status, 401);
    for (let i = 0; i < 2; i++) assert.equal((await postForm(d.url, '/login', { token: 'wrong' })).status, 401);
    assert.equal((await postForm(d.url, '/login', { token: TOKEN })).status, 429);
  } finally {
    await d.close();
  }
});
