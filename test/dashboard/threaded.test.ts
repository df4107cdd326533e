import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { EventBus } from '../../src/core/events.ts';
import { EventStore } from '../../src/state/events.ts';
import { DashboardRefused, startDashboard } from '../../src/dashboard/server.ts';
import type { RepoRow } from '../../src/dashboard/types.ts';
import { makeWorld, type World } from './fixture.ts';
import { openSse } from './sse.ts';

let world: World;

before(async () => {
  world = await makeWorld();
  await world.addPage({ repo: 'alpha' });
  await world.addPage({ repo: 'beta' });
});

after(async () => {
  await world.cleanup();
});

/**
 * Hold this thread in synchronous work (a stretch of indexing) while another thread GETs `url`;
 * the hold ends as soon as the answer arrives, or after `holdMs`. Returns whether the answer
 * arrived while this thread was still held: what a browser sees when the daemon's loop is busy.
 * The answer is signalled through shared memory, so the result does not depend on how loaded
 * the machine is, only on which thread serves the request.
 */
async function answeredWhileHeld(url: string, holdMs: number): Promise<boolean> {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const client = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     parentPort.on('message', async () => {
       const res = await fetch(workerData.url);
       await res.text();
       Atomics.store(workerData.flag, 0, 1);
       parentPort.postMessage('done');
     });
     parentPort.postMessage('ready');`,
    { eval: true, workerData: { url, flag } },
  );
  try {
    await new Promise((resolve) => client.once('message', resolve));
    const done = new Promise((resolve) => client.once('message', resolve));
    client.postMessage('go');
    const t0 = performance.now();
    while (performance.now() - t0 < holdMs && Atomics.load(flag, 0) === 0) {
      // busy: the main thread is held
    }
    const whileHeld = Atomics.load(flag, 0) === 1;
    await done;
    return whileHeld;
  } finally {
    await client.terminate();
  }
}

test('a dashboard given a bus serves from its own thread and answers while the main thread is blocked', async () => {
  const d = await startDashboard({ settings: world.settings, db: world.db, bus: new EventBus(), port: 0 });
  try {
    await fetch(new URL('/api/stats', d.url)); // warm
    assert.equal(await answeredWhileHeld(new URL('/api/stats', d.url).href, 15_000), true);
  } finally {
    await d.close();
  }
});

test('an in-process dashboard waits for a blocked main thread (why the daemon gets a thread)', async () => {
  const d = await startDashboard({ settings: world.settings, db: world.db, port: 0, thread: false });
  try {
    await fetch(new URL('/api/stats', d.url));
    assert.equal(await answeredWhileHeld(new URL('/api/stats', d.url).href, 1000), false);
  } finally {
    await d.close();
  }
});

test('a threaded dashboard forwards bus events to SSE clients', async () => {
  const bus = new EventBus();
  new EventStore(world.db).attach(bus);
  const d = await startDashboard({ settings: world.settings, db: world.db, bus, port: 0, thread: true });
  const sse = await openSse(new URL('/api/events', d.url).href);
  try {
    await sse.waitFor((m) => m.event === 'backlog');
    bus.publish('analyzing', { target: 'threaded_target' });
    const m = await sse.waitFor((x) => x.event === 'codeworm' && x.data.includes('threaded_target'), 1000);
    assert.equal(JSON.parse(m.data).type, 'analyzing');
  } finally {
    sse.close();
    await d.close();
  }
});

test('a threaded dashboard shows coverage from the daemon callback', async () => {
  const bus = new EventBus();
  const d = await startDashboard({
    settings: world.settings,
    db: world.db,
    bus,
    port: 0,
    coverage: () => [{ repo: 'alpha', candidates: 4, documented: 3 }],
  });
  try {
    const repos = (await (await fetch(new URL('/api/repos', d.url))).json()) as RepoRow[];
    assert.equal(repos.find((r) => r.name === 'alpha')?.coverage, 0.75);
  } finally {
    await d.close();
  }
});

test('a threaded dashboard reports a port in use as DashboardRefused', async () => {
  const first = await startDashboard({ settings: world.settings, db: world.db, port: 0, thread: false });
  try {
    const port = Number(new URL(first.url).port);
    await assert.rejects(
      startDashboard({ settings: world.settings, db: world.db, bus: new EventBus(), port }),
      (err: unknown) => err instanceof DashboardRefused && /port is in use/.test(err.message),
    );
  } finally {
    await first.close();
  }
});
