import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadSettings } from '../../src/config/load.ts';
import { HostPolicy, parseHostPort } from '../../src/dashboard/hosts.ts';

const policy = (boundHost: string, allowedHosts: string[] = [], localAddresses?: string[]) =>
  new HostPolicy({ allowedHosts, boundHost, port: () => 8420, localAddresses });

test('parseHostPort reads names, IPv4 and bracketed IPv6 with an optional port, and nothing else', () => {
  assert.deepEqual(parseHostPort('LocalHost:8420'), { name: 'localhost', port: 8420 });
  assert.deepEqual(parseHostPort('[::1]:8420'), { name: '[::1]', port: 8420 });
  assert.deepEqual(parseHostPort('10.0.0.5'), { name: '10.0.0.5', port: null });
  assert.deepEqual(parseHostPort('dash.example.org.'), { name: 'dash.example.org', port: null });
  for (const bad of ['', ' ', 'evil@127.0.0.1', '127.0.0.1/x', 'a b', 'localhost:0', 'localhost:70000', '::1', 'http://localhost', '-x.example']) {
    assert.equal(parseHostPort(bad), null, bad);
  }
});

test('loopback names are allowed without a port or with the listening port only', () => {
  const p = policy('127.0.0.1');
  for (const h of ['localhost', 'localhost:8420', '127.0.0.1:8420', '[::1]:8420', '127.0.0.1', 'LOCALHOST:8420']) assert.equal(p.allowsHost(h), true, h);
  for (const h of ['localhost:8421', '127.0.0.1:80', 'evil.example', 'evil.example:8420', '127.0.0.2:8420', '', undefined, 'localhost.evil.example']) {
    assert.equal(p.allowsHost(h), false, String(h));
  }
});

test('a dashboard bound to one address answers that address; bound to a wildcard, the local interface addresses', () => {
  assert.equal(policy('192.168.1.5').allowsHost('192.168.1.5:8420'), true);
  assert.equal(policy('192.168.1.5').allowsHost('192.168.1.6:8420'), false);
  assert.equal(policy('::1').allowsHost('[::1]:8420'), true);
  const wild = policy('0.0.0.0', [], ['127.0.0.1', '10.1.2.3', 'fe80::1']);
  assert.equal(wild.allowsHost('10.1.2.3:8420'), true);
  assert.equal(wild.allowsHost('[fe80::1]:8420'), true);
  assert.equal(wild.allowsHost('10.1.2.4:8420'), false);
  assert.equal(wild.allowsHost('my-laptop:8420'), false, 'a name needs allowed_hosts');
});

test('allowed_hosts entries match any port unless they name one', () => {
  const p = policy('0.0.0.0', ['codeworm.example.org', 'Other.Example:8443'], []);
  assert.equal(p.allowsHost('codeworm.example.org'), true);
  assert.equal(p.allowsHost('codeworm.example.org:443'), true);
  assert.equal(p.allowsHost('other.example:8443'), true);
  assert.equal(p.allowsHost('other.example'), false);
  assert.equal(p.allowsHost('other.example:443'), false);
  assert.equal(p.allowsHost('sub.codeworm.example.org'), false);
  assert.throws(() => policy('127.0.0.1', ['https://x.example/']), /allowed_hosts/);
});

test('an Origin must be http(s) on an allowed host and, for built-in names, the listening port', () => {
  const p = policy('127.0.0.1', ['codeworm.example.org']);
  for (const o of ['http://127.0.0.1:8420', 'http://localhost:8420', 'http://[::1]:8420', 'https://codeworm.example.org', 'https://codeworm.example.org:8443']) {
    assert.equal(p.allowsOrigin(o), true, o);
  }
  for (const o of [
    'http://evil.example',
    'http://evil.example:8420',
    'http://127.0.0.1:3000', // another server on this machine is another origin
    'http://localhost',
    'null',
    'file://',
    'ftp://127.0.0.1:8420',
    'http://127.0.0.1:8420/path',
    'http://user@127.0.0.1:8420',
    '',
    undefined,
  ]) {
    assert.equal(p.allowsOrigin(o), false, String(o));
  }
});

test('config.yaml: a malformed dashboard.allowed_hosts entry is a config error naming the key', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-hosts-'));
  try {
    await writeFile(path.join(dir, 'config.yaml'), 'dashboard:\n  allowed_hosts: ["codeworm.example.org", "https://evil/"]\n');
    await assert.rejects(loadSettings(dir, { env: {} }), (err: unknown) => err instanceof ConfigError && /dashboard\.allowed_hosts\.1/.test(err.message) && /host name/.test(err.message));
    await writeFile(path.join(dir, 'config.yaml'), 'dashboard:\n  allowed_hosts: ["codeworm.example.org", "10.0.0.5:8420", "[fd00::1]"]\n  trust_proxy: true\n');
    const s = await loadSettings(dir, { env: {} });
    assert.deepEqual(s.dashboard.allowed_hosts, ['codeworm.example.org', '10.0.0.5:8420', '[fd00::1]']);
    assert.equal(s.dashboard.trust_proxy, true);
    assert.equal(s.dashboard.max_event_streams, 64);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
