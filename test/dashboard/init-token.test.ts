/**
 * `codeworm init --dashboard-token`: a random token of 32+ characters in a new config.yaml
 * that only its owner can read, which is enough to serve the dashboard beyond loopback.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSettings } from '../../src/config/load.ts';
import { MIN_DASHBOARD_TOKEN_CHARS } from '../../src/config/schema.ts';
import { startDashboard } from '../../src/dashboard/server.ts';
import { runCli } from '../support/cli.ts';

test('init --dashboard-token writes a random 43-character token into a 0600 config.yaml that can serve 0.0.0.0', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-init-token-'));
  try {
    const tokens: string[] = [];
    for (const name of ['a', 'b']) {
      const config = path.join(dir, name);
      const res = await runCli(['--config', config, 'init', '--devlog', path.join(dir, `devlog-${name}`), '--dashboard-token']);
      assert.equal(res.code, 0, res.stderr);
      assert.match(res.stdout, /wrote a random dashboard\.token to .*config\.yaml \(mode 0600\)/);
      const file = path.join(config, 'config.yaml');
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      const settings = await loadSettings(config, { env: {} });
      const token = settings.dashboard.token;
      assert.match(token, /^[A-Za-z0-9_-]{43}$/);
      assert.ok(token.length >= MIN_DASHBOARD_TOKEN_CHARS);
      assert.ok(!res.stdout.includes(token), 'the token is not echoed when it went into the file');
      tokens.push(token);
      const d = await startDashboard({ settings, host: '0.0.0.0', port: 0, thread: false });
      await d.close();
    }
    assert.notEqual(tokens[0], tokens[1], 'each init draws a new token');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('init without the flag leaves the token empty and says how to get one; with a kept config it prints one to paste', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-init-token-'));
  try {
    const config = path.join(dir, 'config');
    const plain = await runCli(['--config', config, 'init', '--devlog', path.join(dir, 'devlog')]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout, /codeworm init --dashboard-token/);
    assert.equal((await loadSettings(config, { env: {} })).dashboard.token, '');
    const before = await readFile(path.join(config, 'config.yaml'), 'utf8');
    const again = await runCli(['--config', config, 'init', '--devlog', path.join(dir, 'devlog'), '--dashboard-token']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(await readFile(path.join(config, 'config.yaml'), 'utf8'), before, 'an existing config is never rewritten');
    const m = /token: "([A-Za-z0-9_-]{43})"/.exec(again.stdout);
    assert.ok(m, again.stdout);
    assert.match(again.stdout, /CODEWORM_DASHBOARD__TOKEN=/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
