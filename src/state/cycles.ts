/**
 * The `cycles` table (migration 1): one row per documentation cycle, and the statistics the
 * daemon and the dashboard show, computed from it so they survive restarts (SPEC section 11).
 */
import type { Db } from './db.ts';
import { cycleCounts, successRate } from './metrics.ts';

export type CycleOutcome = 'success' | 'failed' | 'skipped' | 'abandoned';

/** Statistics as the original's `CycleStats.to_dict` had them (success rate in percent). */
export interface CycleStats {
  total: number;
  successful: number;
  failed: number;
  skipped: number;
  /** Cycles cut short by a shutdown (or left unfinished by a crash); not in `total`. */
  abandoned: number;
  /** successful / total × 100; 0 when nothing ran (the original's rule). */
  successRate: number;
  /** Failed cycles since the last success (skips do not reset it, as in the original). */
  consecutiveFailures: number;
  /** ISO-8601 UTC of the last successful cycle's end, or null. */
  lastSuccess: string | null;
  lastFailure: string | null;
  lastFailureReason: string | null;
}

export interface CycleFinish {
  outcome: CycleOutcome;
  docType?: string;
  repo?: string;
  target?: string;
  reason?: string;
  snippetId?: string;
}

export interface CycleRow {
  id: number;
  started_at: string;
  finished_at: string | null;
  outcome: CycleOutcome | null;
  doc_type: string | null;
  source_repo: string | null;
  target: string | null;
  reason: string | null;
  snippet_id: string | null;
  duration_ms: number | null;
}

/**
 * Statistics over every finished cycle in the database (definitions in state/metrics.ts).
 * Total counts success + failed + skipped (abandoned cycles did not run to an outcome).
 */
export function cycleStats(db: Db): CycleStats {
  const { total, successful, failed, skipped, abandoned } = cycleCounts(db);
  const lastSuccess = db.prepare(`SELECT id, finished_at FROM cycles WHERE outcome = 'success' ORDER BY id DESC LIMIT 1`).get() as
    | { id: number; finished_at: string }
    | undefined;
  const lastFailure = db
    .prepare(`SELECT finished_at, reason FROM cycles WHERE outcome = 'failed' ORDER BY id DESC LIMIT 1`)
    .get() as { finished_at: string; reason: string | null } | undefined;
  const consecutive = db
    .prepare(`SELECT COUNT(*) AS n FROM cycles WHERE outcome = 'failed' AND id > ?`)
    .get(lastSuccess?.id ?? 0) as { n: number };
  return {
    total,
    successful,
    failed,
    skipped,
    abandoned,
    // the shared definition (state/metrics.ts); 0 when nothing ran, as the original's to_dict
    successRate: successRate({ successful, failed, skipped }) ?? 0,
    consecutiveFailures: consecutive.n,
    lastSuccess: lastSuccess?.finished_at ?? null,
    lastFailure: lastFailure?.finished_at ?? null,
    lastFailureReason: lastFailure?.reason ?? null,
  };
}

/** Records cycles: `start` when one begins, `finish` with its outcome. */
export class CycleStore {
  constructor(private readonly db: Db) {}

  /** Insert a started cycle; returns its id. */
  start(startedAt: Date): number {
    const info = this.db.prepare('INSERT INTO cycles (started_at) VALUES (?)').run(startedAt.toISOString());
    return Number(info.lastInsertRowid);
  }

  /** Record the outcome of cycle `id`. */
  finish(id: number, result: CycleFinish, finishedAt: Date, durationMs: number): void {
    this.db
      .prepare(
        `UPDATE cycles SET finished_at = ?, outcome = ?, doc_type = ?, source_repo = ?, target = ?, reason = ?,
         snippet_id = ?, duration_ms = ? WHERE id = ?`,
      )
      .run(
        finishedAt.toISOString(),
        result.outcome,
        result.docType ?? null,
        result.repo ?? null,
        result.target ?? null,
        result.reason ?? null,
        result.snippetId ?? null,
        Math.round(durationMs),
        id,
      );
  }

  /**
   * Cycles a previous process started and never finished (killed): mark them abandoned.
   * Returns how many there were.
   */
  closeDangling(at: Date): number {
    return this.db
      .prepare(`UPDATE cycles SET outcome = 'abandoned', finished_at = ?, reason = 'process ended before the cycle finished' WHERE outcome IS NULL`)
      .run(at.toISOString()).changes;
  }

  /** The newest `limit` cycles, newest first. */
  recent(limit = 50): CycleRow[] {
    return this.db.prepare('SELECT * FROM cycles ORDER BY id DESC LIMIT ?').all(limit) as CycleRow[];
  }

  stats(): CycleStats {
    return cycleStats(this.db);
  }
}
