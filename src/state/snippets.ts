/**
 * `documented_snippets`: what the DevLog documents, in the original's table and formats
 * (SPEC section 6), and deduplication per doc type (SPEC section 4). Rows written by the
 * Python CodeWorm are read as they are: `documented_at` is ISO-8601 local time without a zone
 * (`datetime.now().isoformat()`, `T` or space separated), a NULL or empty `doc_type` counts as
 * `function_doc`.
 */
import { PERIODS, periodStart } from './metrics.ts';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { DocType } from '../config/schema.ts';
import type { Db } from './db.ts';

/** A row as stored (column names of the original). */
export interface SnippetRow {
  id: string;
  source_repo: string;
  source_file: string;
  function_name: string | null;
  class_name: string | null;
  code_hash: string;
  documented_at: string;
  snippet_path: string;
  git_commit: string | null;
  doc_type: string;
}

export interface NewSnippet {
  sourceRepo: string;
  /** Absolute path of the documented file (relative paths are resolved against the cwd). */
  sourceFile: string;
  functionName?: string | null;
  className?: string | null;
  /** SHA-256 hex of the source text. */
  codeHash: string;
  /** Path of the page inside the DevLog (POSIX, relative). */
  snippetPath: string;
  /** Short commit hash of the DevLog commit. */
  gitCommit?: string | null;
  docType: DocType;
  /** Defaults to now; written as local ISO-8601 without zone. */
  documentedAt?: Date;
  /** Defaults to a new uuid4. */
  id?: string;
}

export interface DedupKey {
  docType: DocType;
  codeHash: string;
  sourceFile: string;
  functionName?: string | null;
  className?: string | null;
  /**
   * What the page is about, for the spread rule: `symbol` (a function or class: file, function
   * and class name), `file` (file, module, pattern and change pages: the file). Absent for
   * repository-wide and period pages, which the rule does not limit.
   */
  subject?: 'symbol' | 'file';
}

/** Pages one subject may have, across all doc types, inside the redocument window (issue 12). */
export const MAX_PAGES_PER_SUBJECT = 2;
/** Doc types whose subject is a whole file (their `function_name` is a page title, not a symbol). */
export const FILE_SUBJECT_TYPES: readonly DocType[] = ['file_doc', 'module_doc', 'pattern_analysis', 'code_evolution'];

export interface DedupVerdict {
  duplicate: boolean;
  /** `same_code`: this code was documented with this type (never again);
   *  `recent_symbol`: this symbol was documented with this type inside the window;
   *  `spread`: the subject already has `MAX_PAGES_PER_SUBJECT` pages of any type inside the window. */
  reason: 'same_code' | 'recent_symbol' | 'spread' | null;
  previous: SnippetRow | null;
}

export interface PeriodGroup {
  docType: string;
  sourceRepo: string;
  count: number;
  /** Rows of the group, oldest first. */
  rows: SnippetRow[];
}

export interface SnippetStats {
  total: number;
  /** Since local midnight of `now`. */
  today: number;
  last7Days: number;
  last30Days: number;
  byRepo: Record<string, number>;
  byDocType: Record<string, number>;
}

/** The doc type of a row: the original's NULL/empty counts as function_doc. */
const DOC_TYPE_SQL = `COALESCE(NULLIF(doc_type, ''), 'function_doc')`;
const DAY_MS = 86_400_000;

/**
 * Local time as Python's `datetime.now().isoformat()` writes it: `YYYY-MM-DDTHH:MM:SS.ffffff`
 * (microseconds from the milliseconds; no fraction when it is zero, as Python omits it).
 */
export function localIsoTimestamp(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const base = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  const ms = d.getMilliseconds();
  return ms === 0 ? base : `${base}.${p(ms, 3)}000`;
}

/** Reads and writes `documented_snippets`. */
export class SnippetStore {
  /** `db` must have been opened by `openStateDb` (migration 2 guarantees the doc_type column). */
  constructor(private readonly db: Db) {}

  /**
   * Insert one row.
   * @returns the stored row.
   * @throws better-sqlite3's SqliteError on a constraint violation (e.g. a reused id).
   */
  record(row: NewSnippet): SnippetRow {
    const stored: SnippetRow = {
      id: row.id ?? randomUUID(),
      source_repo: row.sourceRepo,
      source_file: path.resolve(row.sourceFile),
      function_name: row.functionName ?? null,
      class_name: row.className ?? null,
      code_hash: row.codeHash,
      documented_at: localIsoTimestamp(row.documentedAt ?? new Date()),
      snippet_path: row.snippetPath,
      git_commit: row.gitCommit ?? null,
      doc_type: row.docType,
    };
    this.db
      .prepare(
        `INSERT INTO documented_snippets (id, source_repo, source_file, function_name, class_name, code_hash, documented_at, snippet_path, git_commit, doc_type)
         VALUES (@id, @source_repo, @source_file, @function_name, @class_name, @code_hash, @documented_at, @snippet_path, @git_commit, @doc_type)`,
      )
      .run(stored);
    return stored;
  }

  /**
   * Deduplication per doc type (SPEC section 4): the same code hash with the same doc type is
   * never documented again; the same symbol (file, function, class) with the same doc type
   * not again within `redocumentAfterDays` of `now`. Spread (issue 12): when `key.subject` is
   * given, a subject that already has `MAX_PAGES_PER_SUBJECT` pages of any doc type inside the
   * same window gets no further page, so one symbol cannot take a run of cycles.
   */
  checkDuplicate(key: DedupKey, redocumentAfterDays: number, now: Date | number = Date.now()): DedupVerdict {
    const sameCode = this.db
      .prepare(`SELECT * FROM documented_snippets WHERE code_hash = ? AND ${DOC_TYPE_SQL} = ? ORDER BY documented_at DESC LIMIT 1`)
      .get(key.codeHash, key.docType) as SnippetRow | undefined;
    if (sameCode) return { duplicate: true, reason: 'same_code', previous: sameCode };
    const cutoff = localIsoTimestamp(new Date(toMs(now) - redocumentAfterDays * DAY_MS));
    const recent = this.db
      .prepare(
        `SELECT * FROM documented_snippets
         WHERE source_file = ? AND function_name IS ? AND class_name IS ? AND ${DOC_TYPE_SQL} = ?
           AND julianday(documented_at) >= julianday(?)
         ORDER BY documented_at DESC LIMIT 1`,
      )
      .get(path.resolve(key.sourceFile), key.functionName ?? null, key.className ?? null, key.docType, cutoff) as
      | SnippetRow
      | undefined;
    if (recent) return { duplicate: true, reason: 'recent_symbol', previous: recent };
    if (key.subject) {
      const rows = this.subjectPages(key.sourceFile, key.subject === 'file' ? null : { functionName: key.functionName ?? null, className: key.className ?? null }, cutoff);
      if (rows.length >= MAX_PAGES_PER_SUBJECT) return { duplicate: true, reason: 'spread', previous: rows[0] };
    }
    return { duplicate: false, reason: null, previous: null };
  }

  /**
   * Pages about one subject since `cutoffLocalIso` (local ISO time as rows store it), newest
   * first, whatever their doc type: the file's pages of the `FILE_SUBJECT_TYPES` when `symbol`
   * is null, else the pages of that function / class in the file of the other types.
   */
  subjectPages(sourceFile: string, symbol: { functionName: string | null; className: string | null } | null, cutoffLocalIso: string): SnippetRow[] {
    const types = FILE_SUBJECT_TYPES.map(() => '?').join(', ');
    const sql = symbol
      ? `SELECT * FROM documented_snippets WHERE source_file = ? AND function_name IS ? AND class_name IS ? AND ${DOC_TYPE_SQL} NOT IN (${types})
           AND julianday(documented_at) >= julianday(?) ORDER BY documented_at DESC`
      : `SELECT * FROM documented_snippets WHERE source_file = ? AND ${DOC_TYPE_SQL} IN (${types})
           AND julianday(documented_at) >= julianday(?) ORDER BY documented_at DESC`;
    const file = path.resolve(sourceFile);
    const params = symbol ? [file, symbol.functionName, symbol.className, ...FILE_SUBJECT_TYPES, cutoffLocalIso] : [file, ...FILE_SUBJECT_TYPES, cutoffLocalIso];
    return this.db.prepare(sql).all(...params) as SnippetRow[];
  }

  /** `checkDuplicate(...).duplicate`. */
  isDuplicate(key: DedupKey, redocumentAfterDays: number, now: Date | number = Date.now()): boolean {
    return this.checkDuplicate(key, redocumentAfterDays, now).duplicate;
  }

  /**
   * What was documented in `[fromMs, toMs)` (ms since epoch, compared in local time as the
   * rows are written), grouped by doc type and repository, largest groups first.
   */
  documentedInPeriod(fromMs: number, toMs: number): PeriodGroup[] {
    const rows = this.db
      .prepare(
        `SELECT *, ${DOC_TYPE_SQL} AS dt FROM documented_snippets
         WHERE julianday(documented_at) >= julianday(?) AND julianday(documented_at) < julianday(?)
         ORDER BY julianday(documented_at)`,
      )
      .all(localIsoTimestamp(new Date(fromMs)), localIsoTimestamp(new Date(toMs))) as (SnippetRow & { dt: string })[];
    const groups = new Map<string, PeriodGroup>();
    for (const { dt, ...row } of rows) {
      const k = `${dt}\0${row.source_repo}`;
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { docType: dt, sourceRepo: row.source_repo, count: 0, rows: [] }));
      g.count++;
      g.rows.push({ ...row, doc_type: dt });
    }
    return [...groups.values()].sort((a, b) => b.count - a.count || a.docType.localeCompare(b.docType) || a.sourceRepo.localeCompare(b.sourceRepo));
  }

  /** Counters for `codeworm stats` and the dashboard. */
  stats(now: Date | number = Date.now()): SnippetStats {
    const nowDate = new Date(toMs(now));
    const count = (sinceMs: number) =>
      (
        this.db
          .prepare('SELECT COUNT(*) AS n FROM documented_snippets WHERE julianday(documented_at) >= julianday(?)')
          .get(localIsoTimestamp(new Date(sinceMs))) as { n: number }
      ).n;
    const total = (this.db.prepare('SELECT COUNT(*) AS n FROM documented_snippets').get() as { n: number }).n;
    const grouped = (expr: string) =>
      Object.fromEntries(
        (
          this.db.prepare(`SELECT ${expr} AS k, COUNT(*) AS n FROM documented_snippets GROUP BY k ORDER BY n DESC, k`).all() as {
            k: string;
            n: number;
          }[]
        ).map((r) => [r.k, r.n]),
      );
    return {
      total,
      // calendar days, today included (state/metrics.ts)
      today: count(periodStart(nowDate, PERIODS.today).getTime()),
      last7Days: count(periodStart(nowDate, PERIODS.last7Days).getTime()),
      last30Days: count(periodStart(nowDate, PERIODS.last30Days).getTime()),
      byRepo: grouped('source_repo'),
      byDocType: grouped(DOC_TYPE_SQL),
    };
  }

  /**
   * Pages per local day for the last `days` days up to `now` (oldest first, days without
   * pages included with 0): the dashboard's contribution calendar.
   */
  dailyCounts(days: number, now: Date | number = Date.now()): { date: string; count: number }[] {
    const end = new Date(toMs(now));
    const start = new Date(end);
    start.setHours(0, 0, 0, 0);
    start.setDate(start.getDate() - (days - 1));
    const rows = this.db
      .prepare(
        `SELECT substr(replace(documented_at, ' ', 'T'), 1, 10) AS d, COUNT(*) AS n FROM documented_snippets
         WHERE julianday(documented_at) >= julianday(?) GROUP BY d`,
      )
      .all(localIsoTimestamp(start)) as { d: string; n: number }[];
    const byDay = new Map(rows.map((r) => [r.d, r.n]));
    const out: { date: string; count: number }[] = [];
    for (const d = new Date(start); out.length < days; d.setDate(d.getDate() + 1)) {
      const key = localIsoTimestamp(d).slice(0, 10);
      out.push({ date: key, count: byDay.get(key) ?? 0 });
    }
    return out;
  }

  /** Whether a row points at this DevLog page (relative path, or an absolute path ending in it). */
  hasPage(snippetPath: string): boolean {
    const row = this.db
      .prepare(`SELECT 1 FROM documented_snippets WHERE snippet_path = ? OR snippet_path LIKE ? ESCAPE '\\' LIMIT 1`)
      .get(snippetPath, `%/${snippetPath.replace(/[\\%_]/g, (c) => `\\${c}`)}`);
    return row !== undefined;
  }

  /** Every `snippet_path` stored (for reconciling with the DevLog in one query). */
  allPagePaths(): string[] {
    return (this.db.prepare('SELECT snippet_path FROM documented_snippets').all() as { snippet_path: string }[]).map((r) => r.snippet_path);
  }
}

function toMs(t: Date | number): number {
  return typeof t === 'number' ? t : t.getTime();
}
