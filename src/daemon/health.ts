/**
 * The dead man's switch (SPEC section 11): checked every 5 minutes, it fires when work has been
 * due for 45 minutes without a cycle finishing its job. "Due" rather than "since the last
 * success" so that the human schedule's quiet night hours (no slot from 23:xx to 09:xx) do not
 * raise an alarm every night; a cycle that finds nothing to do counts as the daemon working.
 */

export const DMS_CHECK_INTERVAL_MS = 5 * 60_000;
export const DMS_THRESHOLD_MS = 45 * 60_000;

/** Pure state of the switch; the daemon feeds it and asks `check(now)`. */
export class DeadMansSwitch {
  /** Time work became due and has not been done since (ms), or null. */
  private pendingSince: number | null = null;
  private fired = false;

  constructor(readonly thresholdMs: number = DMS_THRESHOLD_MS) {}

  /** A slot came due (a cycle should run now). Keeps the earliest pending time. */
  due(at: number): void {
    if (this.pendingSince === null) this.pendingSince = at;
  }

  /** A cycle did its job (committed a page, or found nothing to document). Re-arms the switch. */
  done(): void {
    this.pendingSince = null;
    this.fired = false;
  }

  /** ms that work has been pending at `now` (0 when nothing is pending). */
  pendingMs(now: number): number {
    return this.pendingSince === null ? 0 : Math.max(0, now - this.pendingSince);
  }

  /**
   * True exactly once per outage: when work has been pending for `thresholdMs` or more.
   * It fires again only after `done()`.
   */
  check(now: number): boolean {
    if (this.fired || this.pendingSince === null) return false;
    if (now - this.pendingSince < this.thresholdMs) return false;
    this.fired = true;
    return true;
  }
}
