/**
 * The blocking-in-async report of a repository index, computed once per content snapshot: the
 * async_analysis finder, the performance facts and the cycle share it. The warm index hands out
 * a new `RepoIndex` object each cycle; when no file was added, removed or changed since the last
 * report of that repository (same paths, languages and content hashes), the report is reused
 * instead of reading every file's blocking facts again.
 */
import { createHash } from 'node:crypto';
import type { RepoIndex } from '../index/types.ts';
import type { BlockingReport } from '../analysis/blocking/types.ts';
import { analyzeBlocking } from '../analysis/blocking/analyze.ts';

const reports = new WeakMap<RepoIndex, BlockingReport>();
/** The last report per repository root, with the snapshot it was computed from (one per root). */
const latest = new Map<string, { signature: string; report: BlockingReport }>();

/**
 * SHA-1 of the index's file list: path, language and content hash of every file, in order; null
 * when a record has no hash (a hand-built index), which is then never matched.
 */
function snapshotSignature(index: RepoIndex): string | null {
  const h = createHash('sha1');
  for (const f of index.files) {
    if (!f.hash) return null;
    h.update(`${f.path}\0${f.language}\0${f.hash}\n`);
  }
  return h.digest('hex');
}

/** The blocking report of `index` (pure over the index's files; cached per index object and per content snapshot). */
export function blockingFor(index: RepoIndex): BlockingReport {
  let r = reports.get(index);
  if (r) return r;
  const signature = snapshotSignature(index);
  const prev = latest.get(index.root);
  if (signature !== null && prev?.signature === signature) {
    r = prev.report;
  } else {
    r = analyzeBlocking(index);
    if (signature !== null) latest.set(index.root, { signature, report: r });
  }
  reports.set(index, r);
  return r;
}
