import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createLogger } from '../../src/core/logger.ts';
import { Notifier, TokenBucket } from '../../src/notify/notifier.ts';
import { TelegramChannel } from '../../src/notify/telegram.ts';
import type { Alert } from '../../src/notify/types.ts';
import { WebhookChannel } from '../../src/notify/webhook.ts';

const TOKEN = '987654321:AAFakeTokenForTestsOnly_abcdefghijklmnop';

interface Received {
  path: string;
  body: Record<string, unknown>;
  at: number;
}

/** A loopback server that records POSTs and answers with the next scripted status (default 200). */
function startServer(): Promise<{ url: string; received: Received[]; script: number[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const script: number[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(raw || '{}') as Record<string, unknown>, at: Date.now() });
      const status = script.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      // an API that echoes the request path back, to prove the notifier masks what it is told
      res.end(JSON.stringify(status === 200 ? { ok: true } : { ok: false, description: `failed for ${req.url}` }));
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        received,
        script,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}

function memoryLogger(): { logger: ReturnType<typeof createLogger>; text: () => string } {
  let out = '';
  const stream = new Writable({
    write(chunk: Buffer, _e, done) {
      out += chunk.toString();
      done();
    },
  });
  return { logger: createLogger({ stream, debug: true, secrets: [TOKEN] }), text: () => out };
}

const alert = (message: string, kind: Alert['kind'] = 'consecutive_failures'): Alert => ({
  kind,
  severity: 'warning',
  title: '5 consecutive failed cycles',
  message,
});

describe('Notifier', () => {
  let srv: Awaited<ReturnType<typeof startServer>>;
  before(async () => {
    srv = await startServer();
  });
  after(async () => {
    await srv.close();
  });
  beforeEach(() => {
    srv.received.length = 0;
    srv.script.length = 0;
  });

  test('telegram posts chat_id and text to /bot<token>/sendMessage', async () => {
    const n = new Notifier({ channels: [new TelegramChannel({ apiBaseUrl: srv.url, botToken: TOKEN, chatId: 4242 })] });
    assert.equal(await n.notify(alert('last reason: LLM timeout')), true);
    assert.equal(srv.received.length, 1);
    assert.equal(srv.received[0].path, `/bot${TOKEN}/sendMessage`);
    assert.equal(srv.received[0].body.chat_id, 4242);
    assert.match(String(srv.received[0].body.text), /5 consecutive failed cycles[\s\S]*last reason: LLM timeout/);
  });

  test('webhook posts text (Slack), content (Discord) and the alert fields', async () => {
    const n = new Notifier({ channels: [new WebhookChannel(`${srv.url}/hooks/abc`)] });
    await n.notify(alert('details', 'push_rejected'));
    const body = srv.received[0].body;
    assert.equal(srv.received[0].path, '/hooks/abc');
    assert.match(String(body.text), /details/);
    assert.equal(body.content, body.text);
    assert.deepEqual(body.alert, { kind: 'push_rejected', severity: 'warning', title: '5 consecutive failed cycles', message: 'details' });
  });

  test('identical alerts within 5 minutes are sent once; a different one goes through', async () => {
    let now = 1_000_000;
    const n = new Notifier({ channels: [new WebhookChannel(`${srv.url}/h`)], now: () => now });
    assert.equal(await n.notify(alert('same')), true);
    assert.equal(await n.notify(alert('same')), false);
    assert.equal(await n.notify(alert('other')), true);
    now += 5 * 60_000;
    assert.equal(await n.notify(alert('same')), true);
    assert.equal(srv.received.length, 3);
  });

  test('rate limit: a burst of 3 goes at once, then 1 per second', async () => {
    const n = new Notifier({ channels: [new WebhookChannel(`${srv.url}/h`)] });
    const t0 = Date.now();
    await Promise.all([1, 2, 3, 4, 5].map((i) => n.notify(alert(`alert ${i}`))));
    const offsets = srv.received.map((r) => r.at - t0);
    assert.equal(offsets.length, 5);
    assert.ok(offsets[2] < 500, `third sent after ${offsets[2]} ms`);
    assert.ok(offsets[3] >= 900, `fourth sent after ${offsets[3]} ms`);
    assert.ok(offsets[4] >= 1900, `fifth sent after ${offsets[4]} ms`);
  });

  test('a 5xx is retried with backoff until delivered', async () => {
    srv.script.push(500, 502);
    const n = new Notifier({ channels: [new WebhookChannel(`${srv.url}/h`)], retryDelaysMs: [10, 20, 40] });
    assert.equal(await n.notify(alert('x')), true);
    assert.equal(srv.received.length, 3);
  });

  test('gives up after 3 retries and resolves false instead of throwing', async () => {
    srv.script.push(500, 500, 500, 500, 500);
    const n = new Notifier({ channels: [new WebhookChannel(`${srv.url}/h`)], retryDelaysMs: [10, 20, 40] });
    assert.equal(await n.notify(alert('x')), false);
    assert.equal(srv.received.length, 4);
  });

  test('a 4xx other than 429 is not retried', async () => {
    srv.script.push(400);
    const n = new Notifier({ channels: [new WebhookChannel(`${srv.url}/h`)], retryDelaysMs: [10, 20, 40] });
    assert.equal(await n.notify(alert('x')), false);
    assert.equal(srv.received.length, 1);
  });

  test('an unreachable endpoint resolves false', async () => {
    const n = new Notifier({
      channels: [new TelegramChannel({ apiBaseUrl: 'http://127.0.0.1:1', botToken: TOKEN, chatId: 1 })],
      retryDelaysMs: [5, 5, 5],
    });
    assert.equal(await n.notify(alert('x')), false);
  });

  test('the bot token never appears in logs, also when the server echoes it', async () => {
    const { logger, text } = memoryLogger();
    srv.script.push(401);
    const failing = new Notifier({
      channels: [new TelegramChannel({ apiBaseUrl: srv.url, botToken: TOKEN, chatId: 1 })],
      logger,
      retryDelaysMs: [5, 5, 5],
    });
    await failing.notify(alert('x'));
    const down = new Notifier({
      channels: [new TelegramChannel({ apiBaseUrl: 'http://127.0.0.1:1', botToken: TOKEN, chatId: 1 })],
      logger,
      retryDelaysMs: [5, 5, 5],
    });
    await down.notify(alert('y'));
    const logs = text();
    assert.match(logs, /alert not delivered/);
    assert.match(logs, /bot\*\*\*/);
    assert.ok(!logs.includes(TOKEN), 'token leaked into the log');
    assert.ok(!logs.includes(TOKEN.split(':')[1]), 'token secret part leaked into the log');
  });

  test('fromSettings enables only configured channels', () => {
    const base = {
      telegram: {
        enabled: true,
        bot_token: '',
        chat_id: '',
        alert_after_failures: 5,
        alert_on_push_failure: true,
        alert_on_git_wedge: true,
        api_base_url: srv.url,
      },
      webhook: { enabled: false, url: '' },
    };
    assert.equal(Notifier.fromSettings(base).enabled, false);
    assert.equal(Notifier.fromSettings({ ...base, telegram: { ...base.telegram, bot_token: TOKEN, chat_id: 5 } }).enabled, true);
    assert.equal(Notifier.fromSettings({ ...base, webhook: { enabled: true, url: `${srv.url}/h` } }).enabled, true);
  });
});

test('TokenBucket: burst of 3, then one token per second', () => {
  let now = 0;
  const b = new TokenBucket(1, 3, () => now);
  assert.deepEqual([b.reserve(), b.reserve(), b.reserve()], [0, 0, 0]);
  assert.equal(b.reserve(), 1000);
  assert.equal(b.reserve(), 2000);
  now = 10_000;
  assert.equal(b.reserve(), 0);
});
