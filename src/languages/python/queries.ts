/**
 * The Python queries that run on every indexed file (extraction, structure, performance and
 * security facts) share one pass of the query cursor (see `SharedQueries`).
 */
import { SharedQueries } from '../common.ts';

export const PYTHON_QUERIES = new SharedQueries();
