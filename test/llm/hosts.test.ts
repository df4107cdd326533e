import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HostPool, hostSpecsFromSettings, hostUnavailable } from '../../src/llm/hosts.ts';
import { LlmError, type HealthStatus, type LlmProvider } from '../../src/llm/types.ts';
import { ConfigSchema, type Settings } from '../../src/config/schema.ts';

const settingsOf = (raw: unknown): Settings => ConfigSchema.parse(raw) as unknown as Settings;

/** A provider whose health answers are scripted; generation is not used by the pool. */
function fakeProvider(name: string, healthy: () => boolean, probes: number[]): LlmProvider {
  return {
    name: 'ollama',
    model: name,
    health: async (): Promise<HealthStatus> => {
      probes.push(Date.now());
      return healthy() ? { ok: true, url: name, detail: 'ok', modelPresent: true } : { ok: false, url: name, detail: 'connection refused', modelPresent: null };
    },
    prewarm: async () => undefined,
    generate: async () => {
      throw new Error('not used');
    },
  };
}

test('slots go to the least loaded healthy host; a full pool makes acquire wait for a release', async () => {
  const pool = new HostPool([
    { label: 'a', provider: fakeProvider('a', () => true, []), concurrency: 2 },
    { label: 'b', provider: fakeProvider('b', () => true, []), concurrency: 1 },
  ]);
  assert.equal(pool.capacity, 3);
  const l1 = await pool.acquire();
  const l2 = await pool.acquire();
  const l3 = await pool.acquire();
  assert.deepEqual([l1.label, l2.label, l3.label].sort(), ['a', 'a', 'b']);
  let fourth: string | null = null;
  const waiting = pool.acquire().then((l) => (fourth = l.label));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(fourth, null, 'no slot is free: the fourth acquire waits');
  const onB = [l1, l2, l3].find((l) => l.label === 'b')!;
  onB.release('ok');
  await waiting;
  assert.equal(fourth, 'b', 'the waiting acquire gets the slot released on b');
  assert.deepEqual(
    pool.status().map((h) => [h.label, h.busy, h.generated]),
    [
      ['a', 2, 0],
      ['b', 1, 1],
    ],
  );
  await pool.close();
});

test('an unavailable host is taken out, probed with growing waits, and back in once it answers', async () => {
  let bUp = false;
  const probes: number[] = [];
  const changes: string[] = [];
  const pool = new HostPool(
    [
      { label: 'a', provider: fakeProvider('a', () => true, []), concurrency: 1 },
      { label: 'b', provider: fakeProvider('b', () => bUp, probes), concurrency: 1 },
    ],
    { probeBaseMs: 40, probeMaxMs: 1000, onChange: (h, c) => changes.push(`${h.label} ${c}`) },
  );
  const first = await pool.acquire();
  const second = await pool.acquire();
  const onB = first.label === 'b' ? first : second;
  const onA = first.label === 'b' ? second : first;
  onB.release('unavailable', 'connection refused');
  assert.equal(pool.status()[1].healthy, false);
  assert.equal(pool.status()[1].down, 'connection refused');
  // while b is out, every slot comes from a
  onA.release('ok');
  const again = await pool.acquire();
  assert.equal(again.label, 'a');
  let next: string | null = null;
  const waiting = pool.acquire().then((l) => (next = l.label));
  // three failed probes: waits of 40, 80, 160 ms
  while (probes.length < 3) await new Promise((r) => setTimeout(r, 10));
  assert.equal(next, null, 'b is still out');
  // timers never fire early: each gap is at least its wait (80 ms, then 160 ms)
  const gaps = [probes[1] - probes[0], probes[2] - probes[1]];
  assert.ok(gaps[0] >= 75 && gaps[1] >= 155, `probe waits grow: ${gaps.join(', ')} ms`);
  bUp = true;
  await waiting;
  assert.equal(next, 'b', 'the waiting acquire gets b once it is back');
  assert.deepEqual(changes, ['b down', 'b up']);
  assert.equal(pool.status()[1].failed, 1);
  await pool.close();
});

test('close rejects waiting acquires and stops probing; an aborted acquire rejects', async () => {
  const probes: number[] = [];
  const pool = new HostPool([{ label: 'a', provider: fakeProvider('a', () => false, probes), concurrency: 1 }], { probeBaseMs: 10 });
  const l = await pool.acquire();
  l.release('unavailable', 'down');
  const ac = new AbortController();
  const aborted = pool.acquire(ac.signal);
  ac.abort();
  await assert.rejects(aborted, (e: unknown) => e instanceof LlmError && e.kind === 'aborted');
  const waiting = pool.acquire();
  await pool.close();
  await assert.rejects(waiting, (e: unknown) => e instanceof LlmError && e.kind === 'aborted');
  const n = probes.length;
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(probes.length, n, 'no probe after close');
});

test('llm.hosts gives one provider per host with its URL, protocol and model', () => {
  const settings = settingsOf({
    llm: {
      hosts: [
        { url: 'http://gpu1:11434', concurrency: 2 },
        { url: 'http://gpu2:8080/v1', provider: 'openai', model: 'qwen-coder' },
      ],
    },
  });
  const specs = hostSpecsFromSettings(settings);
  assert.deepEqual(
    specs.map((s) => [s.label, s.provider.name, s.provider.model, s.concurrency]),
    [
      ['http://gpu1:11434', 'ollama', 'qwen2.5:7b', 2],
      ['http://gpu2:8080/v1', 'openai', 'qwen-coder', 1],
    ],
  );
  assert.throws(() => hostSpecsFromSettings(settingsOf({})), /llm\.hosts is empty/);
  assert.throws(() => settingsOf({ llm: { hosts: [{ url: 'gpu1', concurrency: 0 }] } }));
  assert.equal(hostUnavailable(new LlmError('unreachable', 'x', 'u')), true);
  assert.equal(hostUnavailable(new LlmError('bad_response', 'x', 'u')), false);
});
