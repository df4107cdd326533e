/**
 * Tests that need a tool from outside npm (Debian's Chromium, radon, …). On a developer's
 * machine a missing tool skips those tests with a reason the reporter lists; under `CI=true`
 * it never skips: `.ci/run` installs every such tool, so a missing one is a CI failure.
 */

/** True when running under CI (`CI=true` or `CI=1`, as CI services set it). */
export const inCi = process.env.CI === 'true' || process.env.CI === '1';

/**
 * The `skip` option for a test that needs `tool`.
 * @param tool what is needed, e.g. "Chromium at /usr/bin/chromium"
 * @param present whether it was found
 * @param install how to get it, e.g. "apt-get install chromium"
 * @returns a skip reason off CI when the tool is missing, otherwise false (run the test)
 */
export function skipWithout(tool: string, present: boolean, install: string): string | false {
  if (present || inCi) return false;
  return `${tool} is missing (${install}); .ci/run installs it`;
}

/**
 * Throw when `tool` is missing under CI (see {@link skipWithout}); call it first in a test or
 * hook that needs the tool.
 * @throws Error naming the tool and how .ci/run should install it
 */
export function requireUnderCi(tool: string, present: boolean, install: string): void {
  if (!present && inCi) throw new Error(`${tool} is missing under CI=true: .ci/run must install it (${install})`);
}
