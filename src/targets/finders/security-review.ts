/**
 * security_review: functions with at least one security-relevant sink (issue 12), found by the
 * per-language rules of `src/analysis/security/` (for Python the checks of bandit). No sink, no
 * security review (and `random` picking a message or a time, bandit B311 on a line that names
 * no token, password or key, is no sink). Ranked by the severity points of their findings (high 9, medium 3, low 1,
 * capped at 30), then by the interest score; test code ranks below everything else (it is
 * not an attack surface). Each target carries its findings in `context.securityFindings`.
 */
import { isHarmlessRandom, securityFindingsByFunction, securityPoints } from '../../analysis/security/index.ts';
import { interestScore } from '../../index/score.ts';
import { emptyChurn } from '../../index/churn.ts';
import type { FinderInput, Target, TargetFinder } from '../types.ts';
import { symbolTarget } from '../common.ts';

/** Test files and directories: their sinks are fixtures, not attack surface. */
export const TEST_PATH = /(^|\/)(tests?|__tests__|testing|spec|idle_test)\/|(^|\/)(test_[^/]*|[^/]*_tests?|conftest)\.py$|\.(test|spec)\.[cm]?[jt]sx?$|_test\.(go|rs)$/;

export const finder: TargetFinder = {
  docType: 'security_review',
  find(input: FinderInput): Target[] {
    const scored: { t: Target; key: number }[] = [];
    for (const file of input.index.files) {
      const churn = input.index.churn.get(file.path) ?? emptyChurn();
      for (const { symbol, findings } of securityFindingsByFunction(file)) {
        // `random` that picks a message or a time is no sink: no review for it alone
        const lines = symbol.source.split('\n');
        if (findings.every((f) => isHarmlessRandom(f, lines[f.line - symbol.startLine] ?? ''))) continue;
        const points = Math.min(securityPoints(findings), 30);
        const interest = interestScore(symbol, churn, input.now);
        const key = (TEST_PATH.test(file.path) ? 0 : 1000) + points * 10 + interest.score / 10;
        scored.push({
          key,
          t: symbolTarget('security_review', input, file, symbol, Math.round(key * 100) / 100, {
            scoreBreakdown: interest.breakdown,
            context: { securityFindings: findings },
          }),
        });
      }
    }
    return scored.sort((a, b) => b.key - a.key || a.t.relPath.localeCompare(b.t.relPath) || a.t.startLine - b.t.startLine).map((x) => x.t);
  },
};
