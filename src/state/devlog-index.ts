/**
 * What the DevLog's README index shows (issue 12, item 6), read from the state database:
 * pages by doc type and by repository, and the latest pages with their titles.
 */
import type { Db } from './db.ts';

export interface IndexPage {
  /** Path inside the DevLog (as stored; the original may have stored an absolute path). */
  snippetPath: string;
  title: string;
  docType: string;
  repo: string;
  /** ISO-8601 local time as stored. */
  documentedAt: string;
}

export interface IndexData {
  total: number;
  byDocType: Record<string, number>;
  byRepo: Record<string, number>;
  /** Newest first. */
  latest: IndexPage[];
}

/** Counts and the newest `limit` pages (three queries over `documented_snippets`). */
export function devlogIndexData(db: Db, limit = 20): IndexData {
  const docType = `COALESCE(NULLIF(s.doc_type, ''), 'function_doc')`;
  const group = (expr: string) =>
    Object.fromEntries(
      (db.prepare(`SELECT ${expr} AS k, COUNT(*) AS n FROM documented_snippets s GROUP BY k ORDER BY n DESC, k`).all() as { k: string; n: number }[]).map((r) => [r.k, r.n]),
    );
  const byDocType = group(docType);
  const byRepo = group('s.source_repo');
  const latest = (
    db
      .prepare(
        `SELECT s.snippet_path, ${docType} AS doc_type, s.source_repo, s.documented_at, s.function_name, s.class_name, s.source_file, m.display_name
         FROM documented_snippets s LEFT JOIN snippet_meta m ON m.snippet_id = s.id
         ORDER BY julianday(s.documented_at) DESC, s.rowid DESC LIMIT ?`,
      )
      .all(limit) as { snippet_path: string; doc_type: string; source_repo: string; documented_at: string; function_name: string | null; class_name: string | null; source_file: string; display_name: string | null }[]
  ).map((r) => ({
    snippetPath: r.snippet_path,
    title: r.display_name || [r.class_name, r.function_name].filter(Boolean).join('.') || (r.source_file.split(/[\\/]/).pop() ?? r.source_file),
    docType: r.doc_type,
    repo: r.source_repo,
    documentedAt: String(r.documented_at),
  }));
  return { total: Object.values(byDocType).reduce((a, b) => a + b, 0), byDocType, byRepo, latest };
}
