import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { EventBus, type CodewormEvent } from '../../src/core/events.ts';
import { createLogger, maskSecrets } from '../../src/core/logger.ts';

const TOKEN = '123456789:AAHfakeTelegramTokenForTests_abcdefgh';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[]; raw: () => string } {
  let out = '';
  const stream = new Writable({
    write(c: Buffer, _e, done) {
      out += c.toString();
      done();
    },
  });
  return { stream, raw: () => out, lines: () => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

test('log lines are JSON with level, time and message', () => {
  const c = capture();
  createLogger({ stream: c.stream }).info({ cycle: 3 }, 'cycle done');
  const [line] = c.lines();
  assert.equal(line.level, 30);
  assert.equal(line.msg, 'cycle done');
  assert.equal(line.cycle, 3);
  assert.equal(typeof line.time, 'number');
});

test('debug lines appear only with --debug', () => {
  const quiet = capture();
  createLogger({ stream: quiet.stream }).debug('hidden');
  const loud = capture();
  createLogger({ stream: loud.stream, debug: true }).debug('shown');
  assert.equal(quiet.raw(), '');
  assert.match(loud.raw(), /shown/);
});

test('secrets are masked: by key, by registered value, by token shape in URLs and errors', () => {
  const c = capture();
  const log = createLogger({ stream: c.stream, secrets: ['my-webhook-secret-path'] });
  log.info({ telegram: { bot_token: 'abc' }, api_key: 'k-123456' }, 'config loaded');
  log.warn(`POST https://api.telegram.org/bot${TOKEN}/sendMessage failed`);
  log.error({ err: new Error(`hook https://hooks.example/my-webhook-secret-path refused`) }, 'webhook');
  const raw = c.raw();
  assert.ok(!raw.includes(TOKEN));
  assert.ok(!raw.includes('AAHfakeTelegramTokenForTests'));
  assert.ok(!raw.includes('my-webhook-secret-path'));
  assert.ok(!raw.includes('k-123456'));
  assert.match(raw, /bot\*\*\*\/sendMessage/);
});

test('maskSecrets masks OpenAI-style keys and bearer credentials', () => {
  assert.equal(maskSecrets('key sk-abcdefghijklmnopqrstuv used'), 'key *** used');
  assert.equal(maskSecrets('Authorization: Bearer abcdefghijklmnop'), 'Authorization: ***');
});

test('with a bus, info-and-above lines are mirrored as log events', () => {
  const bus = new EventBus();
  const events: CodewormEvent[] = [];
  bus.on('event', (e) => events.push(e));
  const c = capture();
  const log = createLogger({ stream: c.stream, bus, debug: true });
  log.debug('not mirrored');
  log.warn({ repo: 'alpha' }, 'repository skipped');
  assert.deepEqual(
    events.map((e) => [e.type, e.data.level, e.data.msg, e.data.repo]),
    [['log', 'warn', 'repository skipped', 'alpha']],
  );
});

test('a line that restates an event (echoes) goes to the log file but not to the bus', () => {
  const bus = new EventBus();
  const events: CodewormEvent[] = [];
  bus.on('event', (e) => events.push(e));
  const c = capture();
  const log = createLogger({ stream: c.stream, bus });
  log.info({ at: '2030-01-01T00:00:00.000Z', echoes: 'next_cycle' }, 'next cycle at 2030-01-01T00:00:00.000Z');
  log.info('repository indexed');
  assert.deepEqual(events.map((e) => e.data.msg), ['repository indexed']);
  assert.match(c.raw(), /next cycle at 2030/);
});
