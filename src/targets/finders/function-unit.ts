/**
 * Function-unit finders over the candidate list of SPEC section 4 (`functionCandidates`), ranked
 * by the interest score plus an optional perspective bonus (function_doc uses none; security,
 * performance and TIL have finders of their own that require a finding or a technique).
 */
import type { DocType } from '../../config/schema.ts';
import type { CodeSymbol } from '../../index/types.ts';
import { functionCandidates } from '../../index/score.ts';
import type { FinderInput, Target, TargetFinder } from '../types.ts';
import { symbolTarget } from '../common.ts';

/** Extra rank points (0–50) a perspective gives a function; 0 = interest score alone. */
export type PerspectiveBonus = (symbol: CodeSymbol) => number;

/** A finder over function candidates, ranked by `rank + bonus(symbol)`. */
export function functionUnitFinder(docType: DocType, bonus: PerspectiveBonus = () => 0): TargetFinder {
  return {
    docType,
    find(input: FinderInput): Target[] {
      const candidates = functionCandidates(input.index, input.settings.analyzer, input.now);
      return candidates
        .map((c, i) => ({ c, i, key: c.rank + bonus(c.symbol) }))
        .sort((a, b) => b.key - a.key || a.i - b.i)
        .map(({ c, key }) => symbolTarget(docType, input, c.file, c.symbol, Math.round(key * 100) / 100, { scoreBreakdown: c.breakdown }));
    },
  };
}
