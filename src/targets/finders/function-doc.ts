/** function_doc: every function candidate, ranked by interest score (SPEC section 4). */
import { functionUnitFinder } from './function-unit.ts';

export const finder = functionUnitFinder('function_doc');
