/**
 * Shapes that cross the dashboard's HTTP boundary (SPEC section 13). Field names follow the
 * Python CodeWorm's dashboard API (`total_documented`, `last_7_days`, ...), so its clients keep
 * working; everything else is an addition.
 */

/** Documentation coverage of one repository, as the daemon's warm index knows it. */
export interface RepoCoverage {
  repo: string;
  /** Function candidates the finders consider (SPEC section 4). */
  candidates: number;
  /** Candidates that already have a page. */
  documented: number;
}

/** The latest `next_cycle` event: when the scheduler plans to run next. */
export interface NextCycle {
  /** ISO-8601 time of the next cycle, when the event says it. */
  at: string | null;
  /** When the event was published (ISO-8601 UTC). */
  published_at: string;
  data: Record<string, unknown>;
}

/** `GET /api/stats`. Counts are pages; rates are percentages 0–100 with one decimal, or null. */
export interface StatsResponse {
  total_documented: number;
  /** Pages whose `documented_at` falls on the server's local date today. */
  today: number;
  /** Today and the 6 local days before it. */
  last_7_days: number;
  /** Today and the 29 local days before it. */
  last_30_days: number;
  by_repo: Record<string, number>;
  by_doc_type: Record<string, number>;
  by_language: Record<string, number>;
  /** success / (success + failed + skipped) cycles, the original's rule (as `codeworm stats`). */
  success_rate: number | null;
  /** grounded / checked pages in `grounding_results`. */
  grounding_rate: number | null;
  next_cycle: NextCycle | null;
  /** Cycles by outcome; `total` = success + failed + skipped, as `codeworm stats` (state/metrics.ts). */
  cycles: { total: number; success: number; failed: number; skipped: number; abandoned: number };
  generated_at: string;
}

/** One page of the feed (`GET /api/recent`). */
export interface RecentItem {
  id: string;
  source_repo: string;
  source_file: string;
  function_name: string | null;
  class_name: string | null;
  documented_at: string;
  snippet_path: string;
  git_commit: string | null;
  doc_type: string;
  language: string | null;
  /** `snippet_meta.display_name`, else `Class.function`, else the file name. */
  title: string;
}

export interface RecentResponse {
  items: RecentItem[];
  total: number;
  limit: number;
  offset: number;
}

/** `GET /api/docs/:id`: the page rendered to sanitised HTML. */
export interface DocResponse extends RecentItem {
  html: string;
}

export interface ActivityDay {
  /** Local date YYYY-MM-DD. */
  date: string;
  count: number;
}

export interface LanguageCount {
  language: string;
  count: number;
}

/** `GET /api/repos`: one entry per repository that is configured or has pages. */
export interface RepoRow {
  name: string;
  documents: number;
  /** Latest `documented_at` of its pages, or null. */
  last_activity: string | null;
  enabled: boolean | null;
  /** Share 0–1 of candidate functions with a page, or null when unknown. */
  coverage: number | null;
  candidates: number | null;
  documented_candidates: number | null;
}
