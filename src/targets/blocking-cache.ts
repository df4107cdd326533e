/**
 * The blocking-in-async report of a repository index, computed once per index snapshot: the
 * async_analysis finder, the performance facts and the cycle share it. A new snapshot (files
 * changed) gets a new report; the old one is garbage-collected with its index.
 */
import type { RepoIndex } from '../index/types.ts';
import type { BlockingReport } from '../analysis/blocking/types.ts';
import { analyzeBlocking } from '../analysis/blocking/analyze.ts';

const reports = new WeakMap<RepoIndex, BlockingReport>();

/** The blocking report of `index` (pure over the index; cached per index object). */
export function blockingFor(index: RepoIndex): BlockingReport {
  let r = reports.get(index);
  if (!r) {
    r = analyzeBlocking(index);
    reports.set(index, r);
  }
  return r;
}
