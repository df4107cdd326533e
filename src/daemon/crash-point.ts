/**
 * Crash injection for tests (issue 11): `CW_TEST_CRASH_AT=<step>` (not `CODEWORM_…`: those are config overrides) makes the process kill
 * itself with SIGKILL when a cycle reaches that step boundary, so a test can check that a crash
 * at any moment leaves pages = rows = commits. Inert unless the variable is set; the variable is
 * read once, at the first boundary.
 *
 * Steps, in cycle order: `locked`, `ensured`, `reconciled`, `generated`, `page-written` (the page
 * file exists, not committed), `committed`, `recorded`, `pushed`. `<step>:<n>` crashes at the
 * n-th time the step is reached (1-based) in this process.
 */
let target: { step: string; nth: number } | null | undefined;
const seen = new Map<string, number>();

export const CRASH_STEPS = ['locked', 'ensured', 'reconciled', 'generated', 'page-written', 'committed', 'recorded', 'pushed'] as const;
export type CrashStep = (typeof CRASH_STEPS)[number];

/** Kill this process (SIGKILL) when `CW_TEST_CRASH_AT` names `step`; otherwise nothing. */
export function crashPoint(step: CrashStep): void {
  if (target === undefined) {
    const spec = process.env.CW_TEST_CRASH_AT;
    if (!spec) target = null;
    else {
      const [s, n] = spec.split(':');
      target = { step: s, nth: Math.max(1, Number(n) || 1) };
    }
  }
  if (target === null || target.step !== step) return;
  const count = (seen.get(step) ?? 0) + 1;
  seen.set(step, count);
  if (count === target.nth) process.kill(process.pid, 'SIGKILL');
}
