import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { DashboardRefused, isLoopback, startDashboard, type DashboardHandle } from '../../src/dashboard/server.ts';
import { makeWorld, type World } from './fixture.ts';
import { CLI_ARGS } from '../support/cli.ts';

const SECRET = 'root:x:0:0:SECRET-OUTSIDE-THE-DEVLOG';

let world: World;
let dash: DashboardHandle;
const ids: Record<string, string> = {};

/** A GET with the path sent exactly as written (fetch would normalise `..`). */
function rawGet(base: string, rawPath: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: rawPath, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

before(async () => {
  world = await makeWorld();
  const outside = path.join(world.root, 'outside');
  await mkdir(outside, { recursive: true });
  await writeFile(path.join(outside, 'secret.md'), SECRET);
  await writeFile(path.join(outside, 'passwd'), SECRET);
  await symlink(path.join(outside, 'secret.md'), path.join(world.devlog, 'snippets', 'python', 'link.md')).catch(async () => {
    await mkdir(path.join(world.devlog, 'snippets', 'python'), { recursive: true });
    await symlink(path.join(outside, 'secret.md'), path.join(world.devlog, 'snippets', 'python', 'link.md'));
  });
  await mkdir(path.join(world.devlog, '.git'), { recursive: true });
  await writeFile(path.join(world.devlog, '.git', 'notes.md'), SECRET);
  ids.good = await world.addPage({ body: '# Fine page\n\nhello\n' });
  ids.dotdot = await world.addPage({ snippetPath: '../outside/secret.md' });
  ids.deep = await world.addPage({ snippetPath: '../../../../../../../../' + path.join(world.root, 'outside', 'passwd').slice(1) });
  ids.absolute = await world.addPage({ snippetPath: path.join(outside, 'secret.md') });
  ids.symlink = await world.addPage({ snippetPath: 'snippets/python/link.md' });
  ids.git = await world.addPage({ snippetPath: '.git/notes.md' });
  ids.movedEscape = await world.addPage({ snippetPath: '/old/devlog/snippets/../../outside/secret.md' });
  await writeFile(path.join(world.devlog, 'snippets', 'python', 'moved.md'), '# Moved page\n');
  ids.moved = await world.addPage({ snippetPath: '/home/someone/old-devlog/snippets/python/moved.md' });
  // a FIFO named *.md: opening it for reading would block a libuv thread until a writer came
  await promisify(execFile)('mkfifo', [path.join(world.devlog, 'snippets', 'python', 'fifo.md')]);
  ids.fifo = await world.addPage({ snippetPath: 'snippets/python/fifo.md' });
  dash = await startDashboard({ settings: world.settings, db: world.db, port: 0 });
});

after(async () => {
  await dash.close();
  await world.cleanup();
});

for (const [name, key] of [
  ['a ../ path out of the DevLog', 'dotdot'],
  ['a deep ../ path to an absolute file', 'deep'],
  ['an absolute path outside the DevLog', 'absolute'],
  ['a symlink inside the DevLog pointing out of it', 'symlink'],
  ['a page inside the DevLog .git folder', 'git'],
  ['an absolute path whose DevLog-folder suffix climbs out', 'movedEscape'],
] as const) {
  test(`a row whose snippet_path is ${name} answers 404 without the file`, async () => {
    const res = await rawGet(dash.url, `/api/docs/${ids[key]}`);
    assert.equal(res.status, 404);
    assert.ok(!res.body.includes('SECRET'));
  });
}

test('a row pointing at a FIFO named *.md answers 404 at once, and the server keeps serving', async () => {
  const started = Date.now();
  const results = await Promise.all([1, 2, 3, 4, 5, 6].map(() => rawGet(dash.url, `/api/docs/${ids.fifo}`)));
  assert.deepEqual(results.map((r) => r.status), [404, 404, 404, 404, 404, 404]);
  assert.ok(Date.now() - started < 5_000, `${Date.now() - started} ms`);
  assert.equal((await rawGet(dash.url, `/api/docs/${ids.good}`)).status, 200);
});

test('the row of a page inside the DevLog is served (the check is not refusing everything)', async () => {
  const res = await rawGet(dash.url, `/api/docs/${ids.good}`);
  assert.equal(res.status, 200);
  assert.match(res.body, /Fine page/);
});

test('an absolute snippet_path of a DevLog that has moved is found from its DevLog folder on', async () => {
  const res = await rawGet(dash.url, `/api/docs/${ids.moved}`);
  assert.equal(res.status, 200);
  assert.match(res.body, /Moved page/);
});

for (const p of [
  '/api/docs/..%2F..%2Fetc%2Fpasswd',
  '/api/docs/..%2F..%2Foutside%2Fsecret.md',
  '/api/docs/../../etc/passwd',
  '/api/docs/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '/..%2f..%2foutside%2fsecret.md',
  '/../outside/secret.md',
  '/%2e%2e/%2e%2e/etc/passwd',
]) {
  test(`the request path ${p} never reaches a file`, async () => {
    const res = await rawGet(dash.url, p);
    assert.ok([400, 404].includes(res.status), `status ${res.status}`);
    assert.ok(!res.body.includes('SECRET') && !res.body.includes('root:'));
  });
}

test('isLoopback accepts 127.0.0.1, ::1 and localhost only', () => {
  for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost']) assert.equal(isLoopback(h), true, h);
  for (const h of ['0.0.0.0', '::', '192.168.1.5', '10.0.0.1', 'example.com']) assert.equal(isLoopback(h), false, h);
});

test('starting on 0.0.0.0 without a token is refused with exit code 2', async () => {
  await assert.rejects(
    startDashboard({ settings: world.settings, db: world.db, host: '0.0.0.0', port: 0 }),
    (err: unknown) => err instanceof DashboardRefused && err.exitCode === 2 && /without a token/.test(err.message),
  );
});

test('starting on 0.0.0.0 without a token is allowed with insecure', async () => {
  const h = await startDashboard({ settings: world.settings, db: world.db, host: '0.0.0.0', port: 0, insecure: true });
  await h.close();
});

test('codeworm dashboard --host 0.0.0.0 without a token exits 2 with a clear message', async () => {
  const cfg = path.dirname(path.join(world.settings.configDir, 'config.yaml'));
  const run = promisify(execFile);
  const res = await run(process.execPath, [...CLI_ARGS, '-c', cfg, 'dashboard', '--host', '0.0.0.0', '--port', '0'], {
    cwd: path.resolve(import.meta.dirname, '../..'),
  }).then(
    () => ({ code: 0, stderr: '' }),
    (err: { code: number; stderr: string }) => err,
  );
  assert.equal(res.code, 2);
  assert.match(res.stderr, /refusing to serve the dashboard on 0\.0\.0\.0 without a token/);
  assert.ok(!res.stderr.includes('    at '), 'no stack trace');
});

test('a port in use is a clear error, not a crash', async () => {
  const port = Number(new URL(dash.url).port);
  await assert.rejects(startDashboard({ settings: world.settings, db: world.db, port }), /port is in use/);
});

test('with a token every request needs it, a wrong bearer is refused and the right one passes', async () => {
  const settings = { ...world.settings, dashboard: { ...world.settings.dashboard, token: 's3cret-token' } };
  const h = await startDashboard({ settings, db: world.db, port: 0 });
  try {
    assert.equal((await rawGet(h.url, '/api/stats')).status, 401);
    assert.equal((await rawGet(h.url, '/healthz')).status, 401);
    assert.equal((await rawGet(h.url, '/app.js')).status, 401);
    assert.equal((await rawGet(h.url, '/api/stats', { authorization: 'Bearer wrong' })).status, 401);
    assert.equal((await rawGet(h.url, '/api/events', { authorization: 'Bearer s3cret-token-x' })).status, 401);
    const ok = await rawGet(h.url, '/api/stats', { authorization: 'Bearer s3cret-token' });
    assert.equal(ok.status, 200);
    assert.match(ok.body, /total_documented/);
  } finally {
    await h.close();
  }
});

test('with a token a browser is sent to /login, whose form sets an HttpOnly SameSite=Strict cookie that works', async () => {
  const settings = { ...world.settings, dashboard: { ...world.settings.dashboard, token: 's3cret-token' } };
  const h = await startDashboard({ settings, db: world.db, port: 0 });
  try {
    const page = await rawGet(h.url, '/', { accept: 'text/html' });
    assert.equal(page.status, 303);
    assert.equal(page.headers.location, '/login');
    // a browser's form post carries the dashboard's own Origin
    const headers = { origin: new URL(h.url).origin };
    const huge = await fetch(new URL('/login', h.url), { method: 'POST', headers, body: new URLSearchParams({ token: 'x'.repeat(100_000) }), redirect: 'manual' });
    assert.equal(huge.status, 413);
    const bad = await fetch(new URL('/login', h.url), { method: 'POST', headers, body: new URLSearchParams({ token: 'nope' }), redirect: 'manual' });
    assert.equal(bad.status, 401);
    assert.equal(bad.headers.get('set-cookie'), null);
    const res = await fetch(new URL('/login', h.url), { method: 'POST', headers, body: new URLSearchParams({ token: 's3cret-token' }), redirect: 'manual' });
    assert.equal(res.status, 303);
    const cookie = res.headers.get('set-cookie') ?? '';
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Strict/i);
    assert.ok(!cookie.includes('s3cret-token'), 'the cookie does not carry the token itself');
    const session = cookie.split(';')[0];
    assert.equal((await rawGet(h.url, '/api/stats', { cookie: session })).status, 200);
    assert.equal((await rawGet(h.url, '/api/stats', { cookie: 'codeworm_session=forged' })).status, 401);
  } finally {
    await h.close();
  }
});
