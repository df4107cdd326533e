/**
 * code_evolution: one target per file change among the last 20 commits (SPEC section 4),
 * ranked by diff size, added lines and new files. The diff text itself is fetched by the
 * cycle once a target is chosen (one `git show`), so finding stays free of git calls.
 */
import path from 'node:path';
import { sha256 } from '../../core/hash.ts';
import type { FinderInput, Target, TargetFinder } from '../types.ts';

/** Diff size (lines added + deleted) counts once, added lines once more, a new file adds 50. */
export function evolutionScore(c: { added: number; deleted: number; isNew: boolean }): number {
  return c.added + c.deleted + c.added + (c.isNew ? 50 : 0);
}

export const finder: TargetFinder = {
  docType: 'code_evolution',
  find(input: FinderInput): Target[] {
    const byPath = new Map(input.index.files.map((f) => [f.path, f]));
    const targets: Target[] = [];
    for (const change of input.recentChanges ?? []) {
      const file = byPath.get(change.path);
      if (!file || change.added + change.deleted < 3) continue;
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
        score: evolutionScore(change),
        file,
        context: { change },
      });
    }
    return targets.sort((a, b) => b.score - a.score);
  },
};
