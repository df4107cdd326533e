/**
 * The definitions behind every number CodeWorm reports, in one place (issue 12, item 5):
 * `codeworm stats`, the dashboard and the daemon's stats event import these and nothing else.
 *
 * - A **cycle** is one run of `runCycle` that reached an outcome: the daemon's scheduled cycles
 *   and each `run-once` (not `--dry-run`) alike, one row in the `cycles` table. Cycles cut short
 *   by a shutdown (`abandoned`) or still running are not counted.
 * - **Success rate**: successful ÷ (successful + failed + skipped) × 100, one decimal (the
 *   original's `CycleStats.success_rate`); null when no cycle has run.
 * - **Grounding rate**: pages whose grounding check passed ÷ pages checked × 100, one decimal;
 *   null when no page was checked.
 * - **Today / last 7 days / last 30 days**: local calendar days, today included: "last 7 days"
 *   starts at local midnight six days before today.
 */
import type { Db } from './db.ts';

/** Percent with one decimal, or null when `whole` is 0. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;
}

/** Success rate of cycles (see the module comment); null when none ran. */
export function successRate(c: { successful: number; failed: number; skipped: number }): number | null {
  return percent(c.successful, c.successful + c.failed + c.skipped);
}

/** Local midnight starting the period of the last `days` calendar days up to `now` (days ≥ 1). */
export function periodStart(now: Date, days: number): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() - (days - 1), 0, 0, 0, 0);
}

/** The reporting periods, as numbers of calendar days. */
export const PERIODS = { today: 1, last7Days: 7, last30Days: 30 } as const;

/** Cycle counts by outcome from the `cycles` table (finished cycles only). */
export interface CycleCounts {
  /** successful + failed + skipped. */
  total: number;
  successful: number;
  failed: number;
  skipped: number;
  abandoned: number;
}

/** Count finished cycles by outcome (one query). */
export function cycleCounts(db: Db): CycleCounts {
  const rows = db.prepare('SELECT outcome, COUNT(*) AS n FROM cycles WHERE outcome IS NOT NULL GROUP BY outcome').all() as { outcome: string; n: number }[];
  const by = (o: string): number => rows.find((r) => r.outcome === o)?.n ?? 0;
  const successful = by('success');
  const failed = by('failed');
  const skipped = by('skipped');
  return { total: successful + failed + skipped, successful, failed, skipped, abandoned: by('abandoned') };
}

/** Pages checked for grounding and how many passed, from `grounding_results`. */
export function groundingCounts(db: Db): { checked: number; grounded: number; rate: number | null } {
  const checked = (db.prepare('SELECT COUNT(*) AS n FROM grounding_results').get() as { n: number }).n;
  // ungrounded pages are the few: counting them walks a short index range
  const not = (db.prepare('SELECT COUNT(*) AS n FROM grounding_results WHERE grounded = 0').get() as { n: number }).n;
  return { checked, grounded: checked - not, rate: percent(checked - not, checked) };
}
