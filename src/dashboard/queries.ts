/**
 * The dashboard's reads over the state database (SPEC section 6 tables plus migration 1's
 * `cycles`, `events`, `grounding_results`, `snippet_meta`). Plain SQL over those tables is the
 * contract; nothing here writes. Stats are cached for up to a second and dropped whenever a new
 * event arrives, so a burst of requests costs one computation.
 */
import type { Db } from '../state/db.ts';
import type { RepoConfig } from '../config/schema.ts';
import { SnippetAggregate, localDate } from './aggregate.ts';
import { PERIODS, cycleCounts, groundingCounts, periodStart, successRate } from '../state/metrics.ts';
import { languageOfFile } from './language.ts';
import type {
  ActivityDay,
  LanguageCount,
  NextCycle,
  RecentItem,
  RecentResponse,
  RepoCoverage,
  RepoRow,
  StatsResponse,
} from './types.ts';

const STATS_TTL_MS = 1000;

/** A row of SNIPPET_COLUMNS: the feed item's fields before the title is chosen. */
type SnippetRow = Omit<RecentItem, 'title'> & { display_name: string | null };

const SNIPPET_COLUMNS = `s.id, s.source_repo, s.source_file, s.function_name, s.class_name, s.documented_at,
  s.snippet_path, s.git_commit, s.doc_type, m.language, m.display_name`;

function toItem(r: SnippetRow): RecentItem {
  const base = r.source_file.split(/[\\/]/).pop() ?? r.source_file;
  const symbol = [r.class_name, r.function_name].filter(Boolean).join('.');
  return {
    id: r.id,
    source_repo: r.source_repo,
    source_file: r.source_file,
    function_name: r.function_name,
    class_name: r.class_name,
    documented_at: String(r.documented_at),
    snippet_path: r.snippet_path,
    git_commit: r.git_commit,
    doc_type: r.doc_type,
    language: r.language ?? languageOfFile(r.source_file),
    title: r.display_name || symbol || base,
  };
}

function parseData(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v };
  } catch {
    return { raw: text };
  }
}

/** The time a `next_cycle` event names, under any of the keys a publisher may use. */
function nextCycleTime(data: Record<string, unknown>, publishedAt: string): string | null {
  for (const key of ['at', 'next_cycle', 'next_run', 'scheduled_for', 'time']) {
    const v = data[key];
    if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return new Date(v).toISOString();
    if (typeof v === 'number' && v > 1e12) return new Date(v).toISOString();
  }
  for (const key of ['in_seconds', 'seconds', 'delay_seconds']) {
    const v = data[key];
    if (typeof v === 'number') return new Date(Date.parse(publishedAt) + v * 1000).toISOString();
  }
  return null;
}

export interface RecentQuery {
  limit: number;
  offset: number;
  repo?: string;
  docType?: string;
}

/** Every read the HTTP API makes, over one database connection. */
export class DashboardQueries {
  readonly aggregate: SnippetAggregate;
  private statsCache: { at: number; value: StatsResponse } | null = null;
  private readonly stmts;

  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.aggregate = new SnippetAggregate(db);
    this.stmts = {
      latestEvent: db.prepare('SELECT id, ts, data FROM events WHERE type = ? ORDER BY id DESC LIMIT 1'),
      // the daemon publishes coverage in its own `stats` events, between the cycle-count ones
      latestCoverage: db.prepare(`SELECT data FROM events WHERE type = 'stats' AND data LIKE '%"coverage"%' ORDER BY id DESC LIMIT 1`),
      byId: db.prepare(
        `SELECT ${SNIPPET_COLUMNS} FROM documented_snippets s LEFT JOIN snippet_meta m ON m.snippet_id = s.id WHERE s.id = ?`,
      ),
    };
  }

  /** Forget cached stats (called on every new event). */
  invalidate(): void {
    this.statsCache = null;
  }

  /** `GET /api/stats` body; see {@link StatsResponse} for each field's rule. */
  async stats(): Promise<StatsResponse> {
    const nowMs = Date.now();
    if (this.statsCache && nowMs - this.statsCache.at < STATS_TTL_MS) return this.statsCache.value;
    await this.aggregate.refresh();
    const now = this.now();
    const agg = this.aggregate;
    // one definition of a cycle, success rate, grounding rate and the periods: state/metrics.ts
    const counts = cycleCounts(this.db);
    const cycles = { total: counts.total, success: counts.successful, failed: counts.failed, skipped: counts.skipped, abandoned: counts.abandoned };
    const grounding = groundingCounts(this.db);
    const value: StatsResponse = {
      total_documented: agg.total,
      today: agg.countSince(localDate(periodStart(now, PERIODS.today))),
      last_7_days: agg.countSince(localDate(periodStart(now, PERIODS.last7Days))),
      last_30_days: agg.countSince(localDate(periodStart(now, PERIODS.last30Days))),
      by_repo: agg.byRepo(),
      by_doc_type: agg.byDocType(),
      by_language: agg.byLanguage(),
      success_rate: successRate(counts),
      grounding_rate: grounding.rate,
      next_cycle: this.nextCycle(),
      cycles,
      generated_at: now.toISOString(),
    };
    this.statsCache = { at: nowMs, value };
    return value;
  }

  /** The latest `next_cycle` event, or null when none was published. */
  nextCycle(): NextCycle | null {
    const row = this.stmts.latestEvent.get('next_cycle') as { ts: string; data: string } | undefined;
    if (!row) return null;
    const data = parseData(row.data);
    return { at: nextCycleTime(data, row.ts), published_at: row.ts, data };
  }

  /** The data of the latest event of `type` (e.g. `stats`), or null. */
  latestEventData(type: string): Record<string, unknown> | null {
    const row = this.stmts.latestEvent.get(type) as { data: string } | undefined;
    return row ? parseData(row.data) : null;
  }

  /** The data of the latest `stats` event that carries `coverage`, or null. */
  latestCoverageData(): Record<string, unknown> | null {
    const row = this.stmts.latestCoverage.get() as { data: string } | undefined;
    return row ? parseData(row.data) : null;
  }

  /** Pages newest first, optionally of one repository and/or doc type. */
  async recent(q: RecentQuery): Promise<RecentResponse> {
    await this.aggregate.refresh();
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.repo) {
      where.push('s.source_repo = ?');
      args.push(q.repo);
    }
    if (q.docType) {
      where.push('s.doc_type = ?');
      args.push(q.docType);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const rows = this.db
      .prepare(
        `SELECT ${SNIPPET_COLUMNS} FROM documented_snippets s LEFT JOIN snippet_meta m ON m.snippet_id = s.id
         ${clause} ORDER BY s.documented_at DESC, s.rowid DESC LIMIT ? OFFSET ?`,
      )
      .all(...args, q.limit, q.offset) as SnippetRow[];
    const total = this.aggregate.count(q.repo, q.docType);
    return { items: rows.map(toItem), total, limit: q.limit, offset: q.offset };
  }

  /** One page's row by id, or undefined. */
  byId(id: string): RecentItem | undefined {
    const row = this.stmts.byId.get(id) as SnippetRow | undefined;
    return row ? toItem(row) : undefined;
  }

  /** Pages per local day for the last `days` days including today, oldest first. */
  async activity(days: number): Promise<ActivityDay[]> {
    await this.aggregate.refresh();
    const now = this.now();
    return this.aggregate.days(localDate(periodStart(now, days)), localDate(now));
  }

  /** Pages per language, most first. */
  async languages(): Promise<LanguageCount[]> {
    await this.aggregate.refresh();
    return Object.entries(this.aggregate.byLanguage())
      .map(([language, count]) => ({ language, count }))
      .sort((a, b) => b.count - a.count || a.language.localeCompare(b.language));
  }

  /**
   * Configured repositories and any repository that has pages. Coverage comes from the
   * `coverage` callback (the daemon's warm index) when given, else from the latest `stats`
   * event carrying `coverage` data (`[{repo, candidates, documented}]` or `{name: {...}}`: the
   * daemon publishes one after each cycle, so a dashboard running alone has it too), else null.
   */
  async repos(configured: RepoConfig[], coverage?: () => RepoCoverage[]): Promise<RepoRow[]> {
    await this.aggregate.refresh();
    const counts = this.aggregate.byRepo();
    const cov = new Map<string, RepoCoverage>();
    for (const c of coverage ? coverage() : coverageFromEvent(this.latestCoverageData())) cov.set(c.repo, c);
    const names = new Set([...configured.map((r) => r.name), ...Object.keys(counts)]);
    const rows: RepoRow[] = [];
    for (const name of names) {
      const conf = configured.find((r) => r.name === name);
      const c = cov.get(name);
      rows.push({
        name,
        documents: counts[name] ?? 0,
        last_activity: this.aggregate.repoLastActivity(name),
        enabled: conf ? conf.enabled : null,
        coverage: c && c.candidates > 0 ? Math.min(1, c.documented / c.candidates) : null,
        candidates: c ? c.candidates : null,
        documented_candidates: c ? c.documented : null,
      });
    }
    return rows.sort((a, b) => b.documents - a.documents || a.name.localeCompare(b.name));
  }
}

/** Read `coverage` out of a `stats` event's data, tolerating a list or a map by repository. */
export function coverageFromEvent(data: Record<string, unknown> | null): RepoCoverage[] {
  const raw = data?.coverage;
  const out: RepoCoverage[] = [];
  const take = (repo: unknown, v: unknown) => {
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    const candidates = Number(o.candidates);
    const documented = Number(o.documented);
    const name = typeof repo === 'string' ? repo : o.repo;
    if (typeof name === 'string' && Number.isFinite(candidates) && Number.isFinite(documented)) {
      out.push({ repo: name, candidates, documented });
    }
  };
  if (Array.isArray(raw)) for (const v of raw) take(undefined, v);
  else if (raw && typeof raw === 'object') for (const [k, v] of Object.entries(raw)) take(k, v);
  return out;
}
