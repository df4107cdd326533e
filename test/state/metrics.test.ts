import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStateDb } from '../../src/state/db.ts';
import { SnippetStore } from '../../src/state/snippets.ts';
import { CycleStore, cycleStats } from '../../src/state/cycles.ts';
import { cycleCounts, periodStart, successRate } from '../../src/state/metrics.ts';
import { DashboardQueries } from '../../src/dashboard/queries.ts';
import { sha256 } from '../../src/core/hash.ts';

// Local times: the definitions are calendar days in the local zone, whatever the zone is.
const NOW = new Date(2026, 2, 10, 8, 0, 0);

test('"last 7 days" starts at local midnight six days before today, for stats and the dashboard alike', async () => {
  const db = openStateDb(await mkdtemp(path.join(tmpdir(), 'cw-metrics-')));
  const store = new SnippetStore(db);
  const at = (d: Date, n: string) => store.record({ sourceRepo: 'r', sourceFile: `/r/${n}.py`, codeHash: sha256(n), snippetPath: `${n}.md`, docType: 'til', documentedAt: d });
  at(new Date(2026, 2, 4, 0, 30), 'inside-7'); // 6 days before today, after midnight
  at(new Date(2026, 2, 3, 23, 59), 'outside-7'); // the evening before: 7 calendar days back
  at(new Date(2026, 2, 10, 0, 1), 'today');
  at(new Date(2026, 1, 9, 0, 1), 'inside-30'); // 29 days before today
  at(new Date(2026, 1, 8, 23, 0), 'outside-30');
  assert.deepEqual(periodStart(NOW, 7), new Date(2026, 2, 4, 0, 0, 0));
  const s = store.stats(NOW);
  assert.deepEqual([s.today, s.last7Days, s.last30Days], [1, 2, 4]);
  const api = await new DashboardQueries(db, () => NOW).stats();
  assert.deepEqual([api.today, api.last_7_days, api.last_30_days], [s.today, s.last7Days, s.last30Days]);
  db.close();
});

test('success rate: successful over finished cycles, null before any; abandoned cycles do not count', async () => {
  const db = openStateDb(await mkdtemp(path.join(tmpdir(), 'cw-metrics-')));
  assert.equal(successRate(cycleCounts(db)), null);
  assert.equal(cycleStats(db).successRate, 0); // the original's to_dict shape for the daemon's stats event
  const cycles = new CycleStore(db);
  for (const outcome of ['success', 'success', 'failed', 'skipped', 'abandoned'] as const) cycles.finish(cycles.start(NOW), { outcome }, NOW, 1);
  cycles.start(NOW); // still running
  const counts = cycleCounts(db);
  assert.deepEqual(counts, { total: 4, successful: 2, failed: 1, skipped: 1, abandoned: 1 });
  assert.equal(successRate(counts), 50);
  assert.equal(cycleStats(db).successRate, 50);
  assert.equal((await new DashboardQueries(db, () => NOW).stats()).success_rate, 50);
  db.close();
});
