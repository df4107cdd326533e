/**
 * Backoff rules of the original CodeWorm daemon (SPEC section 11, `seeds/003…` CycleStats).
 */

/** Cap of both backoffs, seconds. */
export const BACKOFF_CAP_S = 300;

/**
 * Wait before the next cycle after `consecutiveFailures` failed cycles: 30 s · 2^(n-1),
 * capped at 300 s; 0 when the last cycle did not fail. 1 → 30 s, 2 → 60 s, 3 → 120 s,
 * 4 → 240 s, 5+ → 300 s. In ms.
 */
export function cycleBackoffMs(consecutiveFailures: number): number {
  if (consecutiveFailures <= 0) return 0;
  return Math.min(BACKOFF_CAP_S, 30 * 2 ** (consecutiveFailures - 1)) * 1000;
}

/**
 * Wait before health-checking the LLM again after `attempt` failed checks (1-based):
 * 10 s doubling to the 300 s cap (10, 20, 40, 80, 160, 300, 300 …). In ms.
 */
export function llmWaitMs(attempt: number): number {
  return Math.min(BACKOFF_CAP_S, 10 * 2 ** Math.max(0, attempt - 1)) * 1000;
}

/** Cap of the idle backoff, seconds (30 min). */
export const IDLE_CAP_S = 1800;

/**
 * Continuous mode with nothing left to document (issue 11: a loop at 100 % CPU): wait before
 * looking again after `idleCycles` skipped cycles in a row: 30 s doubling to 30 min. In ms.
 */
export function idleBackoffMs(idleCycles: number): number {
  if (idleCycles <= 0) return 0;
  return Math.min(IDLE_CAP_S, 30 * 2 ** (idleCycles - 1)) * 1000;
}
