import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { EventBus } from '../../src/core/events.ts';
import { CycleStore, cycleStats } from '../../src/state/cycles.ts';
import { openStateDb, type Db } from '../../src/state/db.ts';
import { EventStore } from '../../src/state/events.ts';

let dir: string;
let db: Db;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'codeworm-stores-'));
  db = openStateDb(dir);
});
afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

describe('EventStore', () => {
  test('events published on an attached bus are stored and carry their row id', () => {
    const store = new EventStore(db);
    const bus = new EventBus();
    const seenIds: number[] = [];
    store.attach(bus);
    bus.on('event', (ev) => seenIds.push(ev.id));
    bus.publish('cycle_starting', { n: 1 });
    bus.publish('stats', { total: 1 });
    const rows = store.since(0);
    assert.deepEqual(
      rows.map((r) => [r.type, r.data]),
      [
        ['cycle_starting', { n: 1 }],
        ['stats', { total: 1 }],
      ],
    );
    assert.deepEqual(seenIds, rows.map((r) => r.id));
  });

  test('since(id, limit) tails from another connection, oldest first', () => {
    const store = new EventStore(db);
    for (let i = 0; i < 5; i++) store.append({ ts: new Date().toISOString(), type: 'log', data: { i } });
    const rdb = openStateDb(dir, { readonly: true });
    const reader = new EventStore(rdb);
    const first = reader.since(0, 2);
    assert.deepEqual(first.map((e) => e.data.i), [0, 1]);
    assert.deepEqual(reader.since(first[1].id, 10).map((e) => e.data.i), [2, 3, 4]);
    assert.equal(reader.lastId(), store.lastId());
    rdb.close();
  });

  test('prune removes events older than the age limit and beyond the row limit', () => {
    const store = new EventStore(db);
    const now = Date.parse('2026-11-20T00:00:00Z');
    store.append({ ts: '2026-11-01T00:00:00.000Z', type: 'log', data: { old: true } });
    for (let i = 0; i < 4; i++) store.append({ ts: '2026-11-19T00:00:00.000Z', type: 'log', data: { i } });
    assert.equal(store.prune({ now, maxAgeDays: 7, maxRows: 3 }), 2);
    assert.deepEqual(store.since(0).map((e) => e.data.i), [1, 2, 3]);
  });
});

describe('CycleStore', () => {
  test('stats: totals, success rate, consecutive failures since the last success, last failure', () => {
    const cycles = new CycleStore(db);
    const at = new Date('2026-11-20T10:00:00Z');
    const run = (outcome: 'success' | 'failed' | 'skipped' | 'abandoned', reason?: string) => cycles.finish(cycles.start(at), { outcome, reason }, at, 10);
    run('failed', 'early');
    run('success');
    run('failed', 'a');
    run('skipped', 'nothing');
    run('failed', 'b');
    run('abandoned');
    const s = cycleStats(db);
    assert.deepEqual(
      { ...s, lastSuccess: Boolean(s.lastSuccess) },
      {
        total: 5,
        successful: 1,
        failed: 3,
        skipped: 1,
        abandoned: 1,
        successRate: 20,
        consecutiveFailures: 2,
        lastSuccess: true,
        lastFailure: at.toISOString(),
        lastFailureReason: 'b',
      },
    );
  });

  test('closeDangling marks cycles a killed process left open as abandoned', () => {
    const cycles = new CycleStore(db);
    cycles.start(new Date());
    assert.equal(cycles.closeDangling(new Date()), 1);
    assert.equal(cycles.recent(1)[0].outcome, 'abandoned');
    assert.equal(cycles.closeDangling(new Date()), 0);
  });
});
