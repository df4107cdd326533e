/**
 * The blocking-in-async report of a repository index, computed once per index snapshot: the
 * async_analysis finder, the performance facts and the cycle share it. A new snapshot (files
 * changed) gets a new report; the old one is garbage-collected with its index.
 */
import type { RepoIndex } from '../index/types.ts';
import type { BlockingReport } from '../analysis/blocking/types.ts';

const reports = new WeakMap<RepoIndex, BlockingReport>();
let analyzer: ((index: RepoIndex) => BlockingReport) | null = null;

/** Load the analysis (once); call before `blockingFor`. */
export async function loadBlockingAnalyzer(): Promise<void> {
  analyzer ??= (await import('../analysis/blocking/analyze.ts')).analyzeBlocking;
}

/**
 * The blocking report of `index` (pure over the index; cached per index object).
 * @throws Error when `loadBlockingAnalyzer` has not completed.
 */
export function blockingFor(index: RepoIndex): BlockingReport {
  let r = reports.get(index);
  if (!r) {
    if (!analyzer) throw new Error('blocking analysis not loaded: await loadBlockingAnalyzer() first');
    r = analyzer(index);
    reports.set(index, r);
  }
  return r;
}
