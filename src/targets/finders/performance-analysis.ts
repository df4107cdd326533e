/**
 * performance_analysis: function candidates seen from a performance perspective: deep nesting,
 * many branches and long bodies rank first, and async functions get a look for blocking calls
 * (the facts block then lists the blocking calls the analysis found).
 */
import type { CodeSymbol } from '../../index/types.ts';
import { functionUnitFinder } from './function-unit.ts';

export function performanceBonus(symbol: CodeSymbol): number {
  const m = symbol.metrics;
  return Math.min(m.maxNesting * 6, 24) + Math.min(m.nloc / 10, 10) + (symbol.isAsync ? 8 : 0) + Math.min(symbol.calls.length / 5, 8);
}

export const finder = functionUnitFinder('performance_analysis', performanceBonus);
