import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DateTime } from 'luxon';
import { ScheduleSchema } from '../../src/config/schema.ts';
import { cycleBackoffMs, llmWaitMs } from '../../src/daemon/backoff.ts';
import {
  HOUR_WEIGHTS,
  Scheduler,
  checkFeasible,
  createRng,
  dailyTimes,
  dayRng,
  hourWeights,
  previewSchedule,
  type ScheduleSettings,
} from '../../src/daemon/scheduler.ts';

const schedule = (over: Record<string, unknown> = {}): ScheduleSettings => ScheduleSchema.parse(over);

function localHours(times: Date[], zone: string): number[] {
  return times.map((t) => DateTime.fromJSDate(t, { zone }).hour);
}

function minGapMinutes(times: Date[]): number {
  let min = Infinity;
  const sorted = [...times].sort((a, b) => a.getTime() - b.getTime());
  for (let i = 1; i < sorted.length; i++) min = Math.min(min, (sorted[i].getTime() - sorted[i - 1].getTime()) / 60_000);
  return min;
}

describe('dailyTimes', () => {
  const s = schedule({ avoid_hours: [12, 13], min_gap_minutes: 30 });

  test('a week: weekday counts within [min, max], weekend counts reduced, none in avoided hours, gaps kept across days', () => {
    const all: Date[] = [];
    // 2026-11-16 is a Monday
    for (let d = 0; d < 7; d++) {
      const date = DateTime.fromISO('2026-11-16').plus({ days: d }).toISODate() as string;
      const times = dailyTimes(date, s, dayRng(7, date));
      const weekend = d >= 5;
      if (weekend) {
        assert.ok(times.length >= 3 && times.length <= Math.floor(18 * 0.7), `${date}: ${times.length} on a weekend day`);
      } else {
        assert.ok(times.length >= 12 && times.length <= 18, `${date}: ${times.length} on a weekday`);
      }
      for (const t of times) assert.equal(DateTime.fromJSDate(t, { zone: s.timezone }).toISODate(), date);
      assert.deepEqual(localHours(times, s.timezone).filter((h) => [3, 4, 5, 12, 13].includes(h)), []);
      all.push(...times);
    }
    assert.ok(minGapMinutes(all) >= 30, `closest pair ${minGapMinutes(all)} min apart`);
  });

  test('hours follow the weights over many seeded days', () => {
    const s0 = schedule({ min_commits_per_day: 12, max_commits_per_day: 12 });
    const counts = new Array<number>(24).fill(0);
    for (let d = 0; d < 300; d++) {
      const date = DateTime.fromISO('2026-01-05').plus({ days: d }).toISODate() as string;
      for (const h of localHours(dailyTimes(date, s0, dayRng('dist', date)), s0.timezone)) counts[h]++;
    }
    const total = counts.reduce((a, b) => a + b, 0);
    const wsum = HOUR_WEIGHTS.reduce((a, b) => a + b, 0);
    const share = counts.map((c) => c / total);
    const expected = HOUR_WEIGHTS.map((w) => w / wsum);
    // Pearson correlation between observed and weighted shares
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const ms = mean(share);
    const me = mean(expected);
    let num = 0;
    let ds = 0;
    let de = 0;
    for (let h = 0; h < 24; h++) {
      num += (share[h] - ms) * (expected[h] - me);
      ds += (share[h] - ms) ** 2;
      de += (expected[h] - me) ** 2;
    }
    const r = num / Math.sqrt(ds * de);
    assert.ok(r > 0.9, `correlation with the hour weights ${r.toFixed(3)}`);
    assert.equal(counts[3] + counts[4] + counts[5], 0);
    // busy afternoon hours beat the quiet small hours by a wide margin
    assert.ok(counts[15] > 5 * counts[1], `15h: ${counts[15]}, 1h: ${counts[1]}`);
  });

  test('prefer_hours raise an hour and avoid_hours remove it', () => {
    const w = hourWeights({ prefer_hours: [9], avoid_hours: [10] });
    assert.equal(w[9], HOUR_WEIGHTS[9] * 1.5);
    assert.equal(w[10], 0);
    assert.equal(w[11], HOUR_WEIGHTS[11]);
  });

  test('the same seed gives the same plan, another seed another plan', () => {
    const a = dailyTimes('2026-11-18', s, dayRng(1, '2026-11-18')).map((d) => d.getTime());
    const b = dailyTimes('2026-11-18', s, dayRng(1, '2026-11-18')).map((d) => d.getTime());
    const c = dailyTimes('2026-11-18', s, dayRng(2, '2026-11-18')).map((d) => d.getTime());
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  test('a tight but feasible config still fits its full count with the gap', () => {
    // 8 allowed hours × 60 / 30 = 16 slots, exactly the count
    const tight = schedule({
      avoid_hours: [0, 1, 2, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
      min_commits_per_day: 16,
      max_commits_per_day: 16,
    });
    assert.equal(checkFeasible(tight), null);
    for (const date of ['2026-11-17', '2026-11-18', '2026-11-19']) {
      const times = dailyTimes(date, tight, dayRng(3, date));
      assert.equal(times.length, 16);
      assert.ok(minGapMinutes(times) >= 30);
      assert.deepEqual(localHours(times, tight.timezone).filter((h) => h < 16), []);
    }
  });

  test('DST days: no time in the skipped hour, gaps kept in real time', () => {
    const dst = schedule({ prefer_hours: [2], min_commits_per_day: 18, max_commits_per_day: 18, timezone: 'America/Los_Angeles' });
    for (const date of ['2026-03-08', '2026-11-01']) {
      for (let seed = 0; seed < 20; seed++) {
        const times = dailyTimes(date, dst, dayRng(seed, date));
        assert.ok(times.length >= 3);
        assert.ok(minGapMinutes(times) >= 30);
        for (const t of times) assert.equal(DateTime.fromJSDate(t, { zone: dst.timezone }).toISODate(), date);
      }
    }
  });
});

describe('checkFeasible', () => {
  test('an infeasible config gets the arithmetic in the message', () => {
    const msg = checkFeasible(schedule({ avoid_hours: [0, 1, 2, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], max_commits_per_day: 18 }));
    assert.ok(msg);
    assert.match(msg, /8 allowed hours × 60 \/ min_gap_minutes 30 = 16 slots, fewer than 18/);
  });

  test('the defaults are feasible', () => {
    assert.equal(checkFeasible(schedule()), null);
  });

  test('an unknown time zone is reported', () => {
    assert.match(checkFeasible(schedule({ timezone: 'Mars/Olympus' })) ?? '', /unknown time zone "Mars\/Olympus"/);
  });
});

describe('previewSchedule', () => {
  test('ISO times carry the zone offset, hours and weekend flags match', () => {
    const p = previewSchedule(schedule({ timezone: 'Europe/Berlin' }), { days: 2, seed: 9, fromISO: '2026-11-21' });
    assert.ok(p.length > 0);
    for (const t of p) {
      assert.match(t.time, /^2026-11-2[12]T\d\d:\d\d:\d\d\+01:00$/);
      assert.equal(Number(t.time.slice(11, 13)), t.hour);
      assert.equal(t.is_weekend, true);
    }
  });
});

describe('Scheduler', () => {
  const s = schedule({ timezone: 'UTC' });
  const start = Date.parse('2026-11-18T00:00:00Z');

  test('yields the day plan in order', () => {
    let now = start;
    const sch = new Scheduler(s, { now: () => now, seed: 5 });
    const plan = dailyTimes('2026-11-18', s, dayRng(5, '2026-11-18')).map((d) => d.getTime());
    const seen: number[] = [];
    for (let i = 0; i < plan.length; i++) {
      const at = sch.nextAt() as number;
      now = at;
      const due = sch.takeDue(now);
      assert.equal(due.run, true);
      seen.push(at);
    }
    assert.deepEqual(seen, plan);
  });

  test('slots missed in a sleep run once within the hour of grace, older ones are skipped', () => {
    let now = start;
    const sch = new Scheduler(s, { now: () => now, seed: 5 });
    const plan = dailyTimes('2026-11-18', s, dayRng(5, '2026-11-18')).map((d) => d.getTime());
    // wake up 10 minutes after the 5th slot: slots within the last hour coalesce, the rest are dropped
    now = plan[4] + 10 * 60_000;
    const within = plan.filter((t) => t <= now && t >= now - 3_600_000).length;
    const due = sch.takeDue(now);
    assert.equal(due.run, true);
    assert.equal(due.slot, plan[4]);
    assert.equal(due.coalesced, within - 1);
    assert.equal(due.skipped, 5 - within);
    assert.equal(sch.takeDue(now).run, false);
    assert.equal(sch.nextAt(), plan[5]);
  });

  test('after a sleep longer than the grace period, the missed slots are skipped, not run', () => {
    const gapDay = schedule({ timezone: 'UTC', avoid_hours: [12, 13, 14, 15, 16, 17] });
    let now = start;
    const sch = new Scheduler(gapDay, { now: () => now, seed: 5 });
    const plan = dailyTimes('2026-11-18', gapDay, dayRng(5, '2026-11-18')).map((d) => d.getTime());
    now = Date.parse('2026-11-18T13:30:00Z'); // no slot between 12:00 and 18:00
    const missed = plan.filter((t) => t <= now).length;
    assert.ok(missed > 0);
    assert.deepEqual(sch.takeDue(now), { run: false, slot: null, coalesced: 0, skipped: missed });
  });

  test('continuous mode is due at once and then interval_seconds after each end', () => {
    let now = start;
    const sch = new Scheduler(schedule({ mode: 'continuous', interval_seconds: 0 }), { now: () => now });
    assert.equal(sch.nextAt(), start);
    assert.equal(sch.takeDue(now).run, true);
    now += 4000;
    sch.markRun(now);
    assert.equal(sch.nextAt(), now);
    const spaced = new Scheduler(schedule({ mode: 'continuous', interval_seconds: 90 }), { now: () => now });
    spaced.takeDue(now);
    spaced.markRun(now);
    assert.equal(spaced.nextAt(), now + 90_000);
    assert.equal(spaced.takeDue(now + 89_000).run, false);
  });

  test('schedule.enabled false schedules nothing', () => {
    const sch = new Scheduler(schedule({ enabled: false }), { now: () => start });
    assert.equal(sch.nextAt(), null);
  });
});

describe('backoff', () => {
  test('cycle backoff: 30 s · 2^(n-1), capped at 300 s', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 9].map(cycleBackoffMs), [0, 30_000, 60_000, 120_000, 240_000, 300_000, 300_000]);
  });

  test('LLM wait: 10 s doubling to 300 s', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map(llmWaitMs), [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  });
});

test('createRng is reproducible', () => {
  const a = createRng('x');
  const b = createRng('x');
  assert.deepEqual([a.next(), a.int(1, 6)], [b.next(), b.int(1, 6)]);
});
