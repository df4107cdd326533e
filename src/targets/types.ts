/**
 * A target is one unit of code (or one period, or one repository) that a doc type writes a
 * page about. Finders (one module per doc type in `finders/`) produce ranked targets from the
 * shared index; the cycle takes the first one deduplication allows.
 */
import type { DocType, RepoConfig } from '../config/schema.ts';
import type { CodeSymbol, FileRecord, LanguageId, RepoIndex, ScoreBreakdown } from '../index/types.ts';

export interface Target {
  docType: DocType;
  repo: RepoConfig;
  /** Absolute path of the file (the original stores absolute `source_file`); the repo root for repo-wide targets. */
  absPath: string;
  /** Repo-relative POSIX path, or '.' for repo-wide targets. */
  relPath: string;
  language: LanguageId | 'markdown' | 'text';
  /** Heading of the page: `Class.method`, file stem, module path, `Week of 2026-11-16`. */
  displayName: string;
  functionName: string | null;
  className: string | null;
  startLine: number;
  endLine: number;
  cyclomatic: number;
  /** The code (or diff, or listing) shown in the page's Source Code block and sent in the prompt. */
  source: string;
  /** SHA-256 hex of `source`; deduplication key. */
  codeHash: string;
  score: number;
  scoreBreakdown?: ScoreBreakdown;
  symbol?: CodeSymbol;
  file?: FileRecord;
  /** Lines the page shows above `source` (the symbol's decorators), filled by the cycle from the file. */
  leading?: { text: string; count: number } | null;
  /** Extra prompt context specific to the doc type (module listing, diff stats, summary data). */
  context: Record<string, unknown>;
}

/** What a finder receives: the warm index of one repository, read-only. */
export interface FinderInput {
  repo: RepoConfig;
  /** Every enabled repository's input, for global finders. */
  allInputs?: FinderInput[];
  /** The files targets may come from (`analyzer.include_patterns` applied, see `targetScope`). */
  index: RepoIndex;
  /** The whole repository's index, when `index` is narrowed: facts are built from it. */
  fullIndex?: RepoIndex;
  settings: import('../config/schema.ts').Settings;
  /** Now, injectable for tests (ms since epoch). */
  now: number;
  /** What the DevLog documented in a period (state database), for the summaries. */
  history?: DocumentedHistory;
  /** Per-file changes of the last commits (one git pass, prepared by the cycle), for code_evolution. */
  recentChanges?: FileChange[];
}

/** One file changed by one commit (from `git log --numstat`). */
export interface FileChange {
  commit: string;
  /** ms since epoch */
  date: number;
  author: string;
  subject: string;
  /** The commit message after the subject (trimmed; '' when there is none). */
  body?: string;
  /** Repo-relative POSIX path. */
  path: string;
  added: number;
  deleted: number;
  isNew: boolean;
  /** Set when the change's diff is formatting only (moved, re-indented, re-wrapped code): no page. */
  reformat?: boolean;
}

/** Counts of pages the DevLog gained in a period, from `documented_snippets`. */
export interface DocumentedHistory {
  documentedInPeriod(fromMs: number, toMs: number): { docType: string; repo: string; count: number }[];
}

/** One module per doc type exports a finder of this shape. */
export interface TargetFinder {
  docType: DocType;
  /** Ranked best first. Pure over the index: no file system walks, no git calls. */
  find(input: FinderInput): Target[];
  /**
   * Whether targets span all repositories (summaries): then `find` is called once with the
   * first repository's input and `allInputs` holding every enabled repository's.
   */
  global?: boolean;
}
