import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { HOUR_WEIGHTS } from '../../src/daemon/scheduler.ts';
import { CLI_ARGS } from '../support/cli.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...CLI_ARGS, ...args], { cwd: ROOT }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'codeworm-preview-'));
  await writeFile(path.join(dir, 'config.yaml'), 'schedule:\n  timezone: Europe/Berlin\n  avoid_hours: [12]\n  min_gap_minutes: 30\n');
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('schedule-preview --json over 14 days honours every constraint and is identical for one seed', async () => {
  const args = ['-c', dir, 'schedule-preview', '--days', '14', '--seed', '42', '--from', '2026-11-16', '--json'];
  const [a, b] = await Promise.all([cli(args), cli(args)]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(a.stdout, b.stdout);
  const { times } = JSON.parse(a.stdout) as { times: { time: string; hour: number; is_weekend: boolean }[] };
  const byDay = new Map<string, number>();
  let prev = 0;
  for (const t of times) {
    assert.match(t.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+01:00$/);
    const dt = DateTime.fromISO(t.time, { setZone: true });
    assert.equal(dt.hour, t.hour);
    assert.equal(t.is_weekend, dt.weekday >= 6);
    assert.ok(![3, 4, 5, 12].includes(t.hour), `time in an avoided hour: ${t.time}`);
    assert.ok(dt.toMillis() - prev >= 30 * 60_000, `gap under 30 min before ${t.time}`);
    prev = dt.toMillis();
    byDay.set(t.time.slice(0, 10), (byDay.get(t.time.slice(0, 10)) ?? 0) + 1);
  }
  assert.equal(byDay.size, 14);
  for (const [day, n] of byDay) {
    const weekend = DateTime.fromISO(day).weekday >= 6;
    assert.ok(weekend ? n >= 3 && n <= 12 : n >= 12 && n <= 18, `${day}: ${n}`);
  }
  // the busiest weighted hours get more than the quiet ones
  const heavy = times.filter((t) => HOUR_WEIGHTS[t.hour] >= 0.12).length;
  const light = times.filter((t) => HOUR_WEIGHTS[t.hour] <= 0.03).length;
  assert.ok(heavy > 3 * light, `heavy hours ${heavy}, light hours ${light}`);
  const other = await cli(['-c', dir, 'schedule-preview', '--days', '14', '--seed', '43', '--from', '2026-11-16', '--json']);
  assert.notEqual(other.stdout, a.stdout);
});

test('schedule-preview on an infeasible config exits 2 with the arithmetic', async () => {
  const bad = await mkdtemp(path.join(tmpdir(), 'codeworm-preview-bad-'));
  await writeFile(path.join(bad, 'config.yaml'), 'schedule:\n  avoid_hours: [0, 1, 2, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]\n  max_commits_per_day: 18\n');
  const r = await cli(['-c', bad, 'schedule-preview', '--json']);
  await rm(bad, { recursive: true, force: true });
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /config error: schedule cannot fit max_commits_per_day 18: 5 allowed hours × 60 \/ min_gap_minutes 30 = 10 slots/);
});

test('run refuses an infeasible schedule at start with exit 2', async () => {
  const bad = await mkdtemp(path.join(tmpdir(), 'codeworm-run-bad-'));
  await writeFile(path.join(bad, 'config.yaml'), `data_dir: ${bad}/data\nschedule:\n  min_gap_minutes: 120\n  max_commits_per_day: 18\n`);
  const r = await cli(['-c', bad, 'run']);
  await rm(bad, { recursive: true, force: true });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /21 allowed hours × 60 \/ min_gap_minutes 120 = 10 slots, fewer than 18/);
});

test('schedule-preview rejects a bad --days with exit 2', async () => {
  const r = await cli(['-c', dir, 'schedule-preview', '--days', 'many']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--days many: expected a whole number/);
});
