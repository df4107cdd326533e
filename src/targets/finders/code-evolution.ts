/**
 * code_evolution (issue 12): for each file changed in the last 20 commits, its most recent
 * meaningful change — not its creation (a new file is a listing, not an evolution), at least
 * 3 lines added + deleted, not a formatter run (`reformat`, marked by the cycle) — with the commit's subject and body. Newest first; among changes of
 * the same day, the larger first. The diff text itself is fetched by the cycle once a target is
 * chosen (one `git show`), so finding stays free of git calls.
 */
import path from 'node:path';
import { sha256 } from '../../core/hash.ts';
import type { FileChange, FinderInput, Target, TargetFinder } from '../types.ts';
import { DAY_MS } from '../common.ts';

/** A change worth a page: not the file's creation, at least 3 lines added + deleted, and not formatting only (`reformat`). */
export function isMeaningfulChange(c: FileChange): boolean {
  return !c.isNew && c.reformat !== true && c.added + c.deleted >= 3;
}

/** Rank of a change: newer days first (one point per day back from `now`), then the diff size (at most 0.99). */
export function evolutionScore(c: Pick<FileChange, 'added' | 'deleted' | 'date'>, now: number): number {
  const daysBack = Math.max(0, Math.floor((now - c.date) / DAY_MS));
  return -daysBack + Math.min(c.added + c.deleted, 990) / 1000;
}

export const finder: TargetFinder = {
  docType: 'code_evolution',
  find(input: FinderInput): Target[] {
    const byPath = new Map(input.index.files.map((f) => [f.path, f]));
    const targets: Target[] = [];
    const seen = new Set<string>();
    // Changes come newest first: the first meaningful one of a file is its most recent.
    for (const change of input.recentChanges ?? []) {
      const file = byPath.get(change.path);
      if (!file || seen.has(change.path) || !isMeaningfulChange(change)) continue;
      seen.add(change.path);
      targets.push({
        docType: 'code_evolution',
        repo: input.repo,
        absPath: path.join(input.index.root, change.path),
        relPath: change.path,
        language: file.language,
        displayName: `${path.posix.basename(change.path)} @ ${change.commit}`,
        functionName: null,
        className: null,
        startLine: 1,
        endLine: file.lines,
        cyclomatic: 0,
        source: '',
        // One page per (file, commit): the identity of a change is its commit and path.
        codeHash: sha256(`code_evolution:${change.commit}:${change.path}`),
        score: evolutionScore(change, input.now),
        file,
        context: { change },
      });
    }
    return targets.sort((a, b) => b.score - a.score);
  },
};
