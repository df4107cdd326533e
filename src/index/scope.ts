/**
 * `analyzer.include_patterns` narrows what CodeWorm writes about, not what it knows: the index
 * always covers every file `exclude_patterns` and `.gitignore` leave, so facts (callers,
 * blocking chains, class collaborators) see the whole repository, and target finders see only
 * the included files.
 */
import ignore from 'ignore';
import type { RepoIndex } from './types.ts';

/**
 * The index as target finders see it: `files` limited to those matching `includePatterns`
 * (gitignore-style globs, as in `analyzer.include_patterns`); every other field shared with
 * `index`. No patterns: `index` itself.
 */
export function targetScope(index: RepoIndex, includePatterns: readonly string[] | undefined): RepoIndex {
  if (!includePatterns?.length) return index;
  const include = ignore().add([...includePatterns]);
  return { ...index, files: index.files.filter((f) => include.ignores(f.path)) };
}
