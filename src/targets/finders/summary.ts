/**
 * weekly_summary and monthly_summary: one target per period over all enabled repositories
 * (SPEC section 4): the calendar ISO week or month containing now (UTC; `2026-11` is
 * 2026-11-01 to 2026-11-30), or the last one with commits when that one is empty: what the
 * DevLog documented in it (state database), per doc type and repository, plus each source
 * repository's commit activity from the index (and its last active period when it has none in
 * this one). One page per period: the dedup key is the period, so a week is summarised once.
 */
import { sha256 } from '../../core/hash.ts';
import type { DocType } from '../../config/schema.ts';
import type { FinderInput, Target, TargetFinder } from '../types.ts';
import { DAY_MS } from '../common.ts';

/** A repository's commit activity in one period. */
export interface RepoActivity {
  repo: string;
  commits: number;
  authors: string[];
  files: number;
  topFiles: string[];
}

export interface SummaryData {
  period: 'week' | 'month';
  /** The period's id (`2026-W48`, `2026-11`): the page title's period. */
  id: string;
  from: string;
  to: string;
  /**
   * Set when nothing was documented and no repository changed in the period containing now:
   * the summary then covers the last period with commits, and this is the empty one's id.
   */
  emptyCurrent?: string;
  /**
   * Set while the period is still in progress (`now` before its last day ends): the last day
   * the summary covers (YYYY-MM-DD, `now`'s UTC day). Its figures are then the period so far.
   */
  soFar?: string;
  documented: { docType: string; repo: string; count: number }[];
  totalDocumented: number;
  activity: (RepoActivity & {
    /** For a repository without commits in the period: its last period with commits (id, first and last day, figures, last commit day). */
    lastActive?: RepoActivity & { id: string; from: string; to: string; lastCommit: string };
  })[];
}

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Commits of the period `[from, until]` (ms) without merge commits, authors counted once per e-mail address. */
function activityIn(inp: FinderInput, from: number, until: number): RepoActivity {
  const commits = inp.index.commits.filter((c) => c.date >= from && c.date <= until && c.merge !== true);
  const byPerson = new Map<string, string>();
  for (const c of commits) {
    const key = c.authorEmail ? c.authorEmail.toLowerCase() : c.author;
    if (!byPerson.has(key)) byPerson.set(key, c.author);
  }
  const fileCounts = new Map<string, number>();
  for (const c of commits) for (const f of c.files) fileCounts.set(f, (fileCounts.get(f) ?? 0) + 1);
  return {
    repo: inp.repo.name,
    commits: commits.length,
    authors: [...byPerson.values()].sort(),
    files: fileCounts.size,
    topFiles: [...fileCounts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 5).map(([f, n]) => `${f} (${n})`),
  };
}

/**
 * The calendar period containing `now` (UTC): the ISO week (Monday 00:00 to the next Monday)
 * or the month (the 1st 00:00 to the 1st of the next month). `[from, end)` in ms; the id is
 * `2026-W48` / `2026-11`, the page title's period.
 */
export function periodBounds(period: 'week' | 'month', now: number): { from: number; end: number; id: string } {
  const d = new Date(now);
  if (period === 'month') {
    const from = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    return { from, end, id: new Date(from).toISOString().slice(0, 7) };
  }
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const from = midnight - ((d.getUTCDay() + 6) % 7) * DAY_MS;
  return { from, end: from + 7 * DAY_MS, id: isoWeek(now) };
}

/**
 * Summarise the calendar week or month containing `now` (ms; see `periodBounds`) up to `now`
 * from the finder inputs. `from`/`to` are the period's first and last day (YYYY-MM-DD). When
 * nothing was documented and no repository has a commit in it, the summary covers the last
 * period with a commit instead (`emptyCurrent` names the empty one): a summary of an empty
 * month says nothing. A repository without commits in the period gets its `lastActive` period.
 */
export function summaryData(period: 'week' | 'month', inputs: FinderInput[], now: number): SummaryData {
  let bounds = periodBounds(period, now);
  let until = Math.min(now, bounds.end - 1);
  let documented = inputs[0]?.history?.documentedInPeriod(bounds.from, until + 1) ?? [];
  let activity = inputs.map((inp) => activityIn(inp, bounds.from, until));
  let emptyCurrent: string | undefined;
  const latest = Math.max(-Infinity, ...inputs.flatMap((inp) => inp.index.commits.filter((c) => c.date <= now && c.merge !== true).map((c) => c.date)));
  if (documented.length === 0 && activity.every((a) => a.commits === 0) && Number.isFinite(latest)) {
    emptyCurrent = bounds.id;
    bounds = periodBounds(period, latest);
    until = bounds.end - 1;
    documented = inputs[0]?.history?.documentedInPeriod(bounds.from, until + 1) ?? [];
    activity = inputs.map((inp) => activityIn(inp, bounds.from, until));
  }
  const withLast = activity.map((a, i) => {
    if (a.commits > 0) return a;
    const last = Math.max(-Infinity, ...inputs[i].index.commits.filter((c) => c.date < bounds.from && c.merge !== true).map((c) => c.date));
    if (!Number.isFinite(last)) return a;
    const b = periodBounds(period, last);
    return { ...a, lastActive: { ...activityIn(inputs[i], b.from, b.end - 1), id: b.id, from: day(b.from), to: day(b.end - DAY_MS), lastCommit: day(last) } };
  });
  return {
    period,
    id: bounds.id,
    from: day(bounds.from),
    to: day(bounds.end - DAY_MS),
    ...(emptyCurrent ? { emptyCurrent } : {}),
    // month-to-date: a period that has not ended yet is summarised up to now, and says so
    ...(until < bounds.end - 1 ? { soFar: day(until) } : {}),
    documented,
    totalDocumented: documented.reduce((n, d) => n + d.count, 0),
    activity: withLast,
  };
}

/** ISO week id `2026-W48` of a time (UTC). */
export function isoWeek(ms: number): string {
  const d = new Date(ms);
  const day = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - day + 3);
  const firstThursday = new Date(Date.UTC(d.getUTCFullYear(), 0, 4));
  const week = 1 + Math.round(((d.getTime() - firstThursday.getTime()) / DAY_MS - 3 + ((firstThursday.getUTCDay() + 6) % 7)) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

function summaryFinder(docType: DocType, period: 'week' | 'month'): TargetFinder {
  return {
    docType,
    global: true,
    find(input: FinderInput): Target[] {
      const inputs = input.allInputs ?? [input];
      const data = summaryData(period, inputs, input.now);
      if (data.totalDocumented === 0 && data.activity.every((a) => a.commits === 0)) return [];
      const periodId = data.id;
      const title = period === 'week' ? `Weekly Summary ${periodId}` : `Monthly Summary ${periodId}`;
      const listing = [
        `Period: ${data.from} to ${data.to}${data.soFar ? ` (in progress: so far, through ${data.soFar})` : ''}`,
        `Pages documented: ${data.totalDocumented}`,
        ...data.documented.map((d) => `  ${d.repo} / ${d.docType}: ${d.count}`),
        // "0 commits by 0 authors touching 0 files" says nothing: a repository without commits says so
        ...data.activity.map((a) => (a.commits === 0 ? `Repository ${a.repo}: no commit in this period` : `Repository ${a.repo}: ${count(a.commits, 'commit')} by ${count(a.authors.length, 'author')} touching ${count(a.files, 'file')}`)),
        ...data.activity.filter((a) => a.lastActive).map((a) => `Repository ${a.repo}, last active ${a.lastActive!.id} (${a.lastActive!.from} to ${a.lastActive!.to}): ${count(a.lastActive!.commits, 'commit')} by ${count(a.lastActive!.authors.length, 'author')} touching ${count(a.lastActive!.files, 'file')}, last commit ${a.lastActive!.lastCommit}`),
      ].join('\n');
      return [
        {
          docType,
          repo: input.repo,
          absPath: input.index.root,
          relPath: '.',
          language: 'text',
          displayName: title,
          functionName: null,
          className: null,
          startLine: 0,
          endLine: 0,
          cyclomatic: 0,
          source: listing,
          codeHash: sha256(`${docType}:${periodId}:${inputs.map((i) => i.repo.name).sort().join(',')}`),
          score: 1,
          context: { summary: data, periodId },
        },
      ];
    },
  };
}

export const weeklyFinder = summaryFinder('weekly_summary', 'week');
export const monthlyFinder = summaryFinder('monthly_summary', 'month');
