/**
 * Documentation coverage per repository, for the dashboard's repositories view: the share of
 * function candidates (SPEC section 4) that have a function_doc page.
 */
import path from 'node:path';
import type { Settings } from '../config/schema.ts';
import type { Db } from '../state/db.ts';
import type { CodeIndex } from '../index/indexer.ts';
import { functionCandidates } from '../index/score.ts';
import { targetScope } from '../index/scope.ts';
import type { RepoCoverage } from '../dashboard/types.ts';

/**
 * Coverage of every enabled repository from the warm index (changed files are re-parsed, the
 * rest is reused). A repository that cannot be indexed is left out.
 */
export async function computeCoverage(settings: Settings, db: Db, index: CodeIndex, now = Date.now()): Promise<RepoCoverage[]> {
  const documented = db.prepare(
    `SELECT 1 FROM documented_snippets WHERE source_file = ? AND function_name = ? AND COALESCE(NULLIF(doc_type, ''), 'function_doc') = 'function_doc' LIMIT 1`,
  );
  const out: RepoCoverage[] = [];
  for (const repo of settings.repositories.filter((r) => r.enabled)) {
    try {
      const repoIndex = targetScope(await index.get(repo.path, { analyzer: settings.analyzer, now }), settings.analyzer.include_patterns);
      const candidates = functionCandidates(repoIndex, settings.analyzer, now);
      const done = candidates.filter((c) => documented.get(path.join(repoIndex.root, c.file.path), c.symbol.name) !== undefined).length;
      out.push({ repo: repo.name, candidates: candidates.length, documented: done });
    } catch {
      // unreadable repository: the daemon's cycles report why
    }
  }
  return out;
}
