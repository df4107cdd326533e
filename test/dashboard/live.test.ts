import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus } from '../../src/core/events.ts';
import { EventStore } from '../../src/state/events.ts';
import { startDashboard, type DashboardHandle } from '../../src/dashboard/server.ts';
import type { StatsResponse } from '../../src/dashboard/types.ts';
import { makeWorld, type World } from './fixture.ts';
import { openSse } from './sse.ts';
import { CLI_ARGS } from '../support/cli.ts';

let world: World;

before(async () => {
  world = await makeWorld();
  await world.addPage();
});

after(async () => {
  await world.cleanup();
});

async function withDashboard(opts: { bus?: EventBus; pollMs?: number }, fn: (d: DashboardHandle) => Promise<void>): Promise<void> {
  const d = await startDashboard({ settings: world.settings, db: world.db, port: 0, thread: false, ...opts });
  try {
    await fn(d);
  } finally {
    await d.close();
  }
}

test('an event published on the bus reaches a connected SSE client', async () => {
  const bus = new EventBus();
  await withDashboard({ bus }, async (d) => {
    const sse = await openSse(new URL('/api/events', d.url).href);
    try {
      await sse.waitFor((m) => m.event === 'backlog');
      bus.publish('generating', { target: 'Worker.run', doc_type: 'til' });
      const m = await sse.waitFor((x) => x.event === 'codeworm', 1000);
      const ev = JSON.parse(m.data);
      assert.equal(ev.type, 'generating');
      assert.equal(ev.data.target, 'Worker.run');
    } finally {
      sse.close();
    }
  });
});

test('without a bus, an event row written by another process reaches SSE clients within a second', async () => {
  const store = new EventStore(world.db);
  await withDashboard({}, async (d) => {
    const sse = await openSse(new URL('/api/events', d.url).href);
    try {
      await sse.waitFor((m) => m.event === 'backlog');
      const t0 = Date.now();
      store.append({ ts: new Date().toISOString(), type: 'analyzing', data: { target: 'from_the_table' } });
      const m = await sse.waitFor((x) => x.event === 'codeworm' && x.data.includes('from_the_table'), 1000);
      assert.ok(Date.now() - t0 < 1000);
      assert.equal(JSON.parse(m.data).type, 'analyzing');
    } finally {
      sse.close();
    }
  });
});

test('a new client first receives the backlog of earlier events and the current stats', async () => {
  const store = new EventStore(world.db);
  store.append({ ts: new Date().toISOString(), type: 'log', data: { msg: 'earlier line' } });
  await withDashboard({}, async (d) => {
    const sse = await openSse(new URL('/api/events', d.url).href);
    try {
      const backlog = JSON.parse((await sse.waitFor((m) => m.event === 'backlog')).data) as { data: { msg?: string } }[];
      assert.ok(backlog.some((e) => e.data.msg === 'earlier line'));
      const stats = JSON.parse((await sse.waitFor((m) => m.event === 'dashboard_stats')).data) as StatsResponse;
      assert.equal(stats.total_documented, 1);
    } finally {
      sse.close();
    }
  });
});

test('after a committed page the stream pushes fresh stats', async () => {
  const bus = new EventBus();
  await withDashboard({ bus }, async (d) => {
    const sse = await openSse(new URL('/api/events', d.url).href);
    try {
      await sse.waitFor((m) => m.event === 'dashboard_stats');
      await world.addPage({ repo: 'beta' });
      bus.publish('documentation_committed', { target: 'x' });
      const m = await sse.waitFor((x) => x.event === 'dashboard_stats' && (JSON.parse(x.data) as StatsResponse).total_documented === 2, 1500);
      assert.equal((JSON.parse(m.data) as StatsResponse).by_repo.beta, 1);
    } finally {
      sse.close();
    }
  });
});

test('close() ends open streams and frees the port', async () => {
  const d = await startDashboard({ settings: world.settings, db: world.db, port: 0 });
  const sse = await openSse(new URL('/api/events', d.url).href);
  await sse.waitFor((m) => m.event === 'backlog');
  const t0 = Date.now();
  await d.close();
  assert.ok(Date.now() - t0 < 2000, 'close does not wait for the stream');
  await assert.rejects(fetch(new URL('/healthz', d.url)));
  sse.close();
});

test('codeworm dashboard in its own process follows events another process writes to the database', async () => {
  const { spawn } = await import('node:child_process');
  const path = await import('node:path');
  const child = spawn(
    process.execPath,
    [...CLI_ARGS, '-c', world.settings.configDir, 'dashboard', '--port', '0'],
    { cwd: path.resolve(import.meta.dirname, '../..'), stdio: ['ignore', 'ignore', 'pipe'] },
  );
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let err = '';
      const timer = setTimeout(() => reject(new Error(`no URL from codeworm dashboard: ${err}`)), 60_000); // a bound, not a speed goal: tsx starts slowly on a loaded machine
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (c: string) => {
        err += c;
        const m = /serving (http:\/\/\S+)/.exec(err);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    const stats = (await (await fetch(new URL('/api/stats', url))).json()) as StatsResponse;
    assert.equal(stats.total_documented, (world.db.prepare('SELECT COUNT(*) FROM documented_snippets').pluck().get() as number));
    const sse = await openSse(new URL('/api/events', url).href);
    try {
      await sse.waitFor((m) => m.event === 'backlog', 5000);
      new EventStore(world.db).append({ ts: new Date().toISOString(), type: 'log', data: { msg: 'cross-process line' } });
      await sse.waitFor((m) => m.event === 'codeworm' && m.data.includes('cross-process line'), 1000);
    } finally {
      sse.close();
    }
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
