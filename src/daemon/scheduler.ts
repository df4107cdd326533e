/**
 * Human-like scheduling (SPEC section 10): each day gets a random number of commit times,
 * spread over the day by the original CodeWorm's hour weights, at least `min_gap_minutes`
 * apart, in the configured time zone. Pure functions plus a `Scheduler` that walks the plan
 * with an injectable clock; `continuous` mode documents back to back instead.
 */
import { hostname } from 'node:os';
import { DateTime } from 'luxon';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { Settings } from '../config/schema.ts';

export type ScheduleSettings = Settings['schedule'];

/**
 * Relative weight of each local hour 0–23, from the original CodeWorm's scheduler
 * (`codeworm/scheduler.py`, reproduced in SPEC section 10). Hours 3–5 never get a commit.
 */
export const HOUR_WEIGHTS: readonly number[] = [
  0.02, 0.01, 0.005, 0, 0, 0, 0.01, 0.03, 0.08, 0.12, 0.15, 0.14, 0.08, 0.1, 0.14, 0.15, 0.14, 0.1, 0.06, 0.05, 0.1, 0.12,
  0.1, 0.05,
];

/** `prefer_hours` multiply the hour's weight by this (SPEC section 10). */
export const PREFER_FACTOR = 1.5;
/** Weekend days never drop below this many commits (unless the weekday count is lower). */
export const WEEKEND_MIN = 3;
/** Greedy weighted placements tried before the even-spread fallback. */
const GREEDY_ATTEMPTS = 20;

/** A seeded random source: `next()` uniform in [0, 1), `int(a, b)` uniform in [a, b]. */
export interface Rng {
  next(): number;
  int(min: number, max: number): number;
}

/** 32-bit FNV-1a of a string: turns any seed (number or text) into pure-rand's integer seed. */
export function seedToInt(seed: number | string): number {
  const text = String(seed);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/** A reproducible random source (pure-rand xoroshiro128+); the same seed gives the same sequence. */
export function createRng(seed: number | string): Rng {
  const g = xoroshiro128plus(seedToInt(seed));
  return {
    next: () => uniformFloat64(g),
    int: (min, max) => uniformInt(g, min, max),
  };
}

/** The random source for one day's plan: independent of when the daemon started. */
export function dayRng(seed: number | string, dateISO: string): Rng {
  return createRng(`${seed}|${dateISO}`);
}

/**
 * The seed the daemon uses when `schedule.seed` is not set: stable for one installation (host
 * and config directory), so a restart re-plans the same day the same way and
 * `schedule-preview` shows what the daemon will do.
 */
export function defaultSeed(settings: Pick<Settings, 'configDir' | 'schedule'>): string | number {
  return settings.schedule.seed ?? `${hostname()}:${settings.configDir}`;
}

/** Hour weights after `prefer_hours` (× 1.5) and `avoid_hours` (→ 0); 24 entries. */
export function hourWeights(schedule: Pick<ScheduleSettings, 'prefer_hours' | 'avoid_hours'>): number[] {
  const prefer = new Set(schedule.prefer_hours);
  const avoid = new Set(schedule.avoid_hours);
  return HOUR_WEIGHTS.map((w, h) => (avoid.has(h) ? 0 : prefer.has(h) ? w * PREFER_FACTOR : w));
}

/** Hours (0–23) that can receive a commit: weight above zero after prefer/avoid. */
export function allowedHours(schedule: Pick<ScheduleSettings, 'prefer_hours' | 'avoid_hours'>): number[] {
  return hourWeights(schedule)
    .map((w, h) => (w > 0 ? h : -1))
    .filter((h) => h >= 0);
}

/**
 * Whether the daily count fits: `allowed hours × 60 / min_gap_minutes` slots must be at least
 * `max_commits_per_day` (SPEC section 10: a shortfall is an error, not silent).
 * @returns null when feasible, else a message with the arithmetic (the CLI exits 2 with it).
 */
export function checkFeasible(schedule: ScheduleSettings): string | null {
  if (!DateTime.now().setZone(schedule.timezone).isValid) {
    return `schedule.timezone: unknown time zone "${schedule.timezone}" (expected an IANA name such as Europe/Berlin)`;
  }
  if (schedule.mode === 'continuous' || schedule.max_commits_per_day === 0) return null;
  const hours = allowedHours(schedule);
  const gap = schedule.min_gap_minutes;
  const minutes = hours.length * 60;
  const slots = gap > 0 ? Math.floor(minutes / gap) : Number.POSITIVE_INFINITY;
  if (slots >= schedule.max_commits_per_day) return null;
  return (
    `schedule cannot fit max_commits_per_day ${schedule.max_commits_per_day}: ` +
    `${hours.length} allowed hours × 60 / min_gap_minutes ${gap} = ${slots} slots, fewer than ${schedule.max_commits_per_day} ` +
    `(allowed hours: ${hours.join(', ') || 'none'}). ` +
    `Lower max_commits_per_day to ${slots} or less, lower min_gap_minutes to ${Math.floor(minutes / schedule.max_commits_per_day)} or less, ` +
    `or allow more hours (avoid_hours / the zero-weight hours 3–5).`
  );
}

/** Whether `dateISO` (YYYY-MM-DD) is a Saturday or Sunday. */
export function isWeekend(dateISO: string): boolean {
  const d = DateTime.fromISO(dateISO, { zone: 'UTC' });
  return d.weekday === 6 || d.weekday === 7;
}

/**
 * How many commits a day gets: uniform in [min, max]; on weekends × `weekend_reduction`
 * (floored), at least 3 but never more than the weekday draw. Consumes one draw of `rng`.
 */
export function dailyCount(dateISO: string, schedule: ScheduleSettings, rng: Rng): number {
  const count = rng.int(schedule.min_commits_per_day, schedule.max_commits_per_day);
  if (!isWeekend(dateISO)) return count;
  return Math.min(count, Math.max(WEEKEND_MIN, Math.floor(count * schedule.weekend_reduction)));
}

interface Interval {
  a: number;
  b: number;
  w: number;
}

function subtract(free: Interval[], from: number, to: number): Interval[] {
  const out: Interval[] = [];
  for (const iv of free) {
    if (to <= iv.a || from >= iv.b) {
      out.push(iv);
      continue;
    }
    if (iv.a < from) out.push({ a: iv.a, b: from, w: iv.w });
    if (to < iv.b) out.push({ a: to, b: iv.b, w: iv.w });
  }
  return out;
}

/** Map a position on the concatenation of `blocks` to the real second it stands for. */
function unfold(blocks: Interval[], pos: number): number {
  let rest = pos;
  for (const b of blocks) {
    const len = b.b - b.a;
    if (rest < len) return b.a + rest;
    rest -= len;
  }
  const last = blocks[blocks.length - 1];
  return last.b - 1;
}

/**
 * The commit times of one local day, sorted, as Dates (whole seconds).
 *
 * Rules (SPEC section 10): count from `dailyCount`; each time's hour drawn by `hourWeights`,
 * then a uniform minute and second; every time at least `min_gap_minutes` from every other,
 * and from the neighbouring days' times (the day's first and last half gap are left free).
 * Times are placed in real (UTC) seconds, so DST days work: a skipped local hour gets no time,
 * a repeated one is used once. When random placement cannot fit a tight count after several
 * tries, the times are spread by the gap-preserving transform over the allowed hours (uniform
 * rather than weighted) — `checkFeasible` guarantees that fits on a normal day.
 * @param dateISO local date `YYYY-MM-DD` in `schedule.timezone`
 * @param rng use `dayRng(seed, dateISO)` for a reproducible plan
 * @throws Error when the date or the time zone is invalid
 */
export function dailyTimes(dateISO: string, schedule: ScheduleSettings, rng: Rng): Date[] {
  const day = DateTime.fromISO(dateISO, { zone: schedule.timezone }).startOf('day');
  if (!day.isValid) throw new Error(`invalid date "${dateISO}" or time zone "${schedule.timezone}": ${day.invalidExplanation ?? ''}`);
  let n = dailyCount(dateISO, schedule, rng);
  if (n === 0) return [];
  const gap = Math.max(1, Math.ceil(schedule.min_gap_minutes * 60));
  const lo = day.toSeconds() + Math.floor(gap / 2);
  const hi = day.plus({ days: 1 }).startOf('day').toSeconds() - Math.ceil(gap / 2);

  const weights = hourWeights(schedule);
  const blocks: Interval[] = [];
  for (let h = 0; h < 24; h++) {
    if (weights[h] <= 0) continue;
    const start = day.set({ hour: h, minute: 0, second: 0, millisecond: 0 });
    if (start.hour !== h) continue; // the hour does not exist today (spring forward)
    const a = Math.max(lo, start.toSeconds());
    const b = Math.min(hi, start.plus({ hours: 1 }).toSeconds());
    if (b > a) blocks.push({ a, b, w: weights[h] });
  }
  if (blocks.length === 0) return [];

  for (let attempt = 0; attempt < GREEDY_ATTEMPTS; attempt++) {
    let free = blocks.map((b) => ({ ...b }));
    const times: number[] = [];
    while (times.length < n) {
      const total = free.reduce((s, iv) => s + (iv.b - iv.a) * iv.w, 0);
      if (total <= 0) break;
      let r = rng.next() * total;
      let pick = free[free.length - 1];
      for (const iv of free) {
        r -= (iv.b - iv.a) * iv.w;
        if (r < 0) {
          pick = iv;
          break;
        }
      }
      const t = rng.int(pick.a, pick.b - 1);
      times.push(t);
      free = subtract(free, t - gap + 1, t + gap);
    }
    if (times.length === n) return times.sort((x, y) => x - y).map((t) => new Date(t * 1000));
  }

  // Tight config: choose n sorted points on the concatenated allowed time with gaps preserved
  // (u_i sorted uniform, x_i = u_i + i·gap); real distances are at least the concatenated ones.
  const length = blocks.reduce((s, b) => s + (b.b - b.a), 0);
  n = Math.min(n, Math.floor((length - 1) / gap) + 1);
  const room = length - 1 - (n - 1) * gap;
  const us = Array.from({ length: n }, () => rng.int(0, room)).sort((x, y) => x - y);
  return us.map((u, i) => new Date(unfold(blocks, u + i * gap) * 1000));
}

/** One planned time as `schedule-preview --json` prints it. */
export interface PreviewTime {
  /** ISO-8601 with the zone's offset, whole seconds. */
  time: string;
  hour: number;
  is_weekend: boolean;
}

/**
 * The plan for `days` local days starting at `fromISO` (default: today in the zone).
 * Identical for identical seeds, schedules and start dates.
 */
export function previewSchedule(
  schedule: ScheduleSettings,
  opts: { days: number; seed: number | string; fromISO?: string; now?: number },
): PreviewTime[] {
  const start = opts.fromISO
    ? DateTime.fromISO(opts.fromISO, { zone: schedule.timezone })
    : DateTime.fromMillis(opts.now ?? Date.now(), { zone: schedule.timezone });
  const out: PreviewTime[] = [];
  for (let i = 0; i < opts.days; i++) {
    const date = start.plus({ days: i }).toISODate() as string;
    const weekend = isWeekend(date);
    for (const t of dailyTimes(date, schedule, dayRng(opts.seed, date))) {
      const local = DateTime.fromJSDate(t, { zone: schedule.timezone });
      out.push({ time: local.toISO({ suppressMilliseconds: true }) as string, hour: local.hour, is_weekend: weekend });
    }
  }
  return out;
}

/** What the daemon should do when it wakes up. */
export interface DueResult {
  /** Run one cycle now. */
  run: boolean;
  /** The slot (ms since epoch) the run stands for. */
  slot: number | null;
  /** Further missed slots folded into this run (within the grace period). */
  coalesced: number;
  /** Missed slots older than the grace period, dropped. */
  skipped: number;
}

export interface SchedulerOptions {
  /** ms since epoch; injectable for tests. */
  now?: () => number;
  seed?: number | string;
  /** A missed slot runs (once) only within this many ms of its time. Default 1 hour. */
  graceMs?: number;
}

/**
 * Walks the schedule: `nextAt()` gives the next due time, `takeDue(now)` consumes the slots
 * that have come, `markRun(end)` tells continuous mode when the last cycle ended.
 *
 * Human mode plans each local day with `dailyTimes(date, schedule, dayRng(seed, date))`.
 * Slots before construction are not run. Slots missed while the machine slept are coalesced:
 * those within `graceMs` of now give one run, older ones are skipped.
 * Continuous mode: due at start, then `interval_seconds` after the end of each cycle.
 */
export class Scheduler {
  readonly schedule: ScheduleSettings;
  private readonly now: () => number;
  private readonly seed: number | string;
  private readonly graceMs: number;
  private cursor: number;
  private lastEnd: number | null = null;
  private readonly plans = new Map<string, number[]>();

  constructor(schedule: ScheduleSettings, opts: SchedulerOptions = {}) {
    this.schedule = schedule;
    this.now = opts.now ?? Date.now;
    this.seed = opts.seed ?? schedule.seed ?? Math.floor(Math.random() * 2 ** 31);
    this.graceMs = opts.graceMs ?? 60 * 60 * 1000;
    this.cursor = this.now();
  }

  get mode(): 'human' | 'continuous' {
    return this.schedule.mode;
  }

  /** The slots (ms) of one local day, cached; days older than yesterday are dropped from the cache. */
  private plan(dateISO: string): number[] {
    let p = this.plans.get(dateISO);
    if (!p) {
      p = dailyTimes(dateISO, this.schedule, dayRng(this.seed, dateISO)).map((d) => d.getTime());
      this.plans.set(dateISO, p);
      if (this.plans.size > 8) this.plans.delete(this.plans.keys().next().value as string);
    }
    return p;
  }

  /** Slots in [from, to] (ms), ascending. */
  private slotsBetween(from: number, to: number): number[] {
    const zone = this.schedule.timezone;
    const out: number[] = [];
    let d = DateTime.fromMillis(from, { zone }).startOf('day');
    const last = DateTime.fromMillis(to, { zone }).startOf('day');
    while (d <= last) {
      for (const s of this.plan(d.toISODate() as string)) if (s >= from && s <= to) out.push(s);
      d = d.plus({ days: 1 });
    }
    return out;
  }

  /**
   * The next time a cycle is due (ms since epoch; may be in the past after a sleep), or null
   * when nothing is scheduled (schedule disabled, or no slot in the next 14 days).
   */
  nextAt(): number | null {
    if (!this.schedule.enabled) return null;
    if (this.schedule.mode === 'continuous') {
      return this.lastEnd === null ? this.cursor : this.lastEnd + this.schedule.interval_seconds * 1000;
    }
    const zone = this.schedule.timezone;
    let d = DateTime.fromMillis(this.cursor, { zone }).startOf('day');
    for (let i = 0; i < 14; i++) {
      const next = this.plan(d.toISODate() as string).find((s) => s >= this.cursor);
      if (next !== undefined) return next;
      d = d.plus({ days: 1 });
    }
    return null;
  }

  /** Consume what is due at `now` (default: the clock). */
  takeDue(now: number = this.now()): DueResult {
    if (!this.schedule.enabled) return { run: false, slot: null, coalesced: 0, skipped: 0 };
    if (this.schedule.mode === 'continuous') {
      const at = this.nextAt() as number;
      if (now < at) return { run: false, slot: null, coalesced: 0, skipped: 0 };
      this.cursor = now;
      return { run: true, slot: at, coalesced: 0, skipped: 0 };
    }
    if (now < this.cursor) return { run: false, slot: null, coalesced: 0, skipped: 0 };
    const due = this.slotsBetween(this.cursor, now);
    this.cursor = now + 1;
    const fresh = due.filter((s) => s >= now - this.graceMs);
    const skipped = due.length - fresh.length;
    if (fresh.length === 0) return { run: false, slot: null, coalesced: 0, skipped };
    return { run: true, slot: fresh[fresh.length - 1], coalesced: fresh.length - 1, skipped };
  }

  /** Continuous mode: the cycle ended at `endMs`; the next is due `interval_seconds` later. */
  markRun(endMs: number = this.now()): void {
    this.lastEnd = endMs;
  }
}
