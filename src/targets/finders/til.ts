/**
 * til ("Today I Learned"): function candidates with one interesting thing in them: generators,
 * decorators, context managers, async code and recursion rank first.
 */
import type { CodeSymbol } from '../../index/types.ts';
import { functionUnitFinder } from './function-unit.ts';

export function tilBonus(symbol: CodeSymbol): number {
  let bonus = 0;
  if (symbol.isGenerator) bonus += 12;
  if (symbol.isAsync) bonus += 6;
  bonus += Math.min(symbol.decorators.length * 5, 15);
  if (symbol.calls.some((c) => c.name === symbol.name)) bonus += 10; // recursion
  if (/^__(enter|exit|aenter|aexit|iter|next|getattr|getitem|call)__$/.test(symbol.name)) bonus += 8;
  return bonus;
}

export const finder = functionUnitFinder('til', tilBonus);
