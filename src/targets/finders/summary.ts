/**
 * weekly_summary and monthly_summary: one target per period over all enabled repositories
 * (SPEC section 4): the calendar ISO week or month containing now (UTC; `2026-11` is
 * 2026-11-01 to 2026-11-30): what the DevLog documented in it (state database), per doc type and
 * repository, plus each source repository's commit activity from the index. One page per
 * period: the dedup key is the period, so a week is summarised once.
 */
import { sha256 } from '../../core/hash.ts';
import type { DocType } from '../../config/schema.ts';
import type { FinderInput, Target, TargetFinder } from '../types.ts';
import { DAY_MS } from '../common.ts';

export interface SummaryData {
  period: 'week' | 'month';
  from: string;
  to: string;
  documented: { docType: string; repo: string; count: number }[];
  totalDocumented: number;
  activity: { repo: string; commits: number; authors: string[]; files: number; topFiles: string[] }[];
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
 * from the finder inputs. `from`/`to` are the period's first and last day (YYYY-MM-DD).
 */
export function summaryData(period: 'week' | 'month', inputs: FinderInput[], now: number): SummaryData {
  const bounds = periodBounds(period, now);
  const from = bounds.from;
  const until = Math.min(now, bounds.end - 1);
  const documented = inputs[0]?.history?.documentedInPeriod(from, until + 1) ?? [];
  const activity = inputs.map((inp) => {
    const commits = inp.index.commits.filter((c) => c.date >= from && c.date <= until);
    const fileCounts = new Map<string, number>();
    for (const c of commits) for (const f of c.files) fileCounts.set(f, (fileCounts.get(f) ?? 0) + 1);
    return {
      repo: inp.repo.name,
      commits: commits.length,
      authors: [...new Set(commits.map((c) => c.author))].sort(),
      files: fileCounts.size,
      topFiles: [...fileCounts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([f, n]) => `${f} (${n})`),
    };
  });
  return {
    period,
    from: new Date(from).toISOString().slice(0, 10),
    to: new Date(bounds.end - DAY_MS).toISOString().slice(0, 10),
    documented,
    totalDocumented: documented.reduce((n, d) => n + d.count, 0),
    activity,
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
      const periodId = periodBounds(period, input.now).id;
      const title = period === 'week' ? `Weekly Summary ${periodId}` : `Monthly Summary ${periodId}`;
      const listing = [
        `Period: ${data.from} to ${data.to}`,
        `Pages documented: ${data.totalDocumented}`,
        ...data.documented.map((d) => `  ${d.repo} / ${d.docType}: ${d.count}`),
        ...data.activity.map((a) => `Repository ${a.repo}: ${a.commits} commits by ${a.authors.length} authors touching ${a.files} files`),
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
