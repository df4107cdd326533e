/**
 * Rebuild state rows from the DevLog (issue 3, "Order and recovery"): a page committed by a
 * process that died before recording its row is found by its identity comment and recorded.
 * Used at daemon start and by `codeworm state rebuild`.
 */
import path from 'node:path';
import { DevLogError, DevLogRepo, type DevLogLogger } from '../devlog/git.ts';
import { parseIdentity } from '../devlog/identity.ts';
import { readRegularFile } from '../devlog/safe-read.ts';
import type { Db } from './db.ts';
import { SnippetStore } from './snippets.ts';

export interface ReconcileOptions {
  /** Repository name → absolute root, to record `source_file` as an absolute path like the
   *  original (from repos.yaml). Without it the identity's `sourceFile` is used, else the
   *  repo-relative path. */
  repoPaths?: Record<string, string>;
  logger?: DevLogLogger;
}

export interface ReconcileResult {
  /** Rows recorded for pages that had none. */
  added: number;
  /** Pages examined (tracked `.md` pages in the doc folders). */
  scanned: number;
  /** Pages without a row and without a readable identity comment (e.g. the original's). */
  withoutIdentity: number;
}

/**
 * Record a `documented_snippets` row for every committed page that carries an identity comment
 * and has no row yet (matched by `snippet_path`). The row's `git_commit` is the last commit
 * that touched the page, `documented_at` the identity's time (else that commit's time).
 * Idempotent: a second run adds nothing. Only pages without a row are read.
 * @throws DevLogError when `devlogPath` is not a git repository or git fails.
 */
export async function reconcileFromDevlog(db: Db, devlogPath: string, opts: ReconcileOptions = {}): Promise<ReconcileResult> {
  const store = new SnippetStore(db);
  const repo = new DevLogRepo({ repoPath: devlogPath, logger: opts.logger });
  if (!(await repo.isRepository())) throw new DevLogError(`${repo.root} is not a git repository (expected the DevLog)`);
  const pages = await repo.listPages();
  // stored paths and each of their `/`-suffixes, so rows holding an absolute page path
  // (from any DevLog location) match the relative path too, without one query per page
  const known = new Set<string>();
  for (const p of store.allPagePaths()) {
    const posix = p.replace(/\\/g, '/');
    known.add(posix);
    for (let i = posix.indexOf('/'); i >= 0; i = posix.indexOf('/', i + 1)) known.add(posix.slice(i + 1));
  }
  const missing = pages.filter((p) => !known.has(p));
  const result: ReconcileResult = { added: 0, scanned: pages.length, withoutIdentity: 0 };
  if (missing.length === 0) return result;

  const commits = await repo.lastCommits();
  const rows: Parameters<SnippetStore['record']>[0][] = [];
  for (const rel of missing) {
    // a page replaced by a FIFO, a device or a huge file is skipped, not waited on
    const text = await readRegularFile(path.join(repo.root, rel)).catch((err: unknown) => {
      opts.logger?.warn({ page: rel, error: (err as Error).message }, 'state: page not readable, skipped');
      return '';
    });
    const identity = parseIdentity(text);
    if (!identity) {
      result.withoutIdentity++;
      continue;
    }
    const root = opts.repoPaths?.[identity.repo];
    const sourceFile = root ? path.join(root, identity.file) : (identity.sourceFile ?? identity.file);
    const last = commits.get(rel);
    const documentedAt = identity.documentedAt ? parseLocalIso(identity.documentedAt) : null;
    rows.push({
      sourceRepo: identity.repo,
      sourceFile,
      functionName: identity.functionName,
      className: identity.className,
      codeHash: identity.codeHash,
      snippetPath: rel,
      gitCommit: last?.commit ?? null,
      docType: identity.docType,
      documentedAt: documentedAt ?? (last ? new Date(last.timeMs) : new Date()),
    });
  }
  db.transaction(() => {
    for (const row of rows) store.record(row);
  })();
  result.added = rows.length;
  if (rows.length > 0) opts.logger?.info({ added: rows.length, pages: rows.map((r) => r.snippetPath) }, 'state: recorded rows for DevLog pages that had none');
  return result;
}

/** `2026-03-02T09:34:12.123456` (local, no zone) → Date; null when unparseable. */
function parseLocalIso(s: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/.exec(s.trim());
  if (!m) return null;
  const ms = m[7] ? Math.floor(Number(m[7].padEnd(6, '0')) / 1000) : 0;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), ms);
}
