/** class_doc: classes of ≥ 15 lines in every language, ranked as SPEC section 4 says. */
import { classCandidates } from '../../index/score.ts';
import type { TargetFinder } from '../types.ts';
import { symbolTarget } from '../common.ts';

export const finder: TargetFinder = {
  docType: 'class_doc',
  find(input) {
    return classCandidates(input.index).map((c) =>
      symbolTarget('class_doc', input, c.file, c.symbol, c.score, { context: { methodCount: c.methodCount } }),
    );
  },
};
