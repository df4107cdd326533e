/**
 * `codeworm stats [--json]`: what the DevLog holds (total, today, last 7 and 30 days, by
 * repository, by doc type), how cycles went (success rate) and how grounded pages are; the
 * definitions are state/metrics.ts, shared with the dashboard and the daemon.
 */
import type { Command } from 'commander';
import { action, printJson, settingsFor } from './common.ts';
import { openStateDb } from '../state/db.ts';
import { SnippetStore } from '../state/snippets.ts';
import type { FleetStats } from '../fleet/stats.ts';
import { safePgUrl } from '../state/pg.ts';
import { cycleCounts, groundingCounts, successRate } from '../state/metrics.ts';

/** The fleet's figures, or why they could not be read (PostgreSQL away is not a stats failure). */
async function fleetFigures(url: string): Promise<FleetStats | null | { error: string }> {
  const { fleetStats } = await import('../fleet/stats.ts');
  return fleetStats(url).catch((err: Error) => ({ error: `cannot read ${safePgUrl(url)}: ${err.message}` }));
}

export function register(program: Command): void {
  program
    .command('stats')
    .description('documentation statistics from the state database')
    .option('--json', 'print one JSON document', false)
    .action(
      action(async (opts: { json: boolean }, cmd: Command) => {
        const settings = await settingsFor(cmd, { checkRepoPaths: false });
        const db = openStateDb(settings.data_dir);
        try {
          const docs = new SnippetStore(db).stats(Date.now());
          // one definition of a cycle, success rate, grounding rate and the periods: state/metrics.ts
          const cycles = cycleCounts(db);
          const rate = successRate(cycles);
          const groundingRate = groundingCounts(db).rate;
          const doc = {
            total_documented: docs.total,
            today: docs.today,
            last_7_days: docs.last7Days,
            last_30_days: docs.last30Days,
            by_repo: docs.byRepo,
            by_doc_type: docs.byDocType,
            cycles: { total: cycles.total, successful: cycles.successful, failed: cycles.failed, skipped: cycles.skipped, success_rate: rate },
            grounding_rate: groundingRate,
            database: db.name,
            // fleet mode (storage.url): the queue, workers, throughput and failures
            ...(settings.storage.url ? { fleet: await fleetFigures(settings.storage.url) } : {}),
          };
          if (opts.json) {
            printJson(doc);
            return;
          }
          const out: string[] = [
            `Documented: ${docs.total} total, ${docs.today} today, ${docs.last7Days} in 7 days, ${docs.last30Days} in 30 days`,
            `Cycles: ${cycles.total} (${cycles.successful} ok, ${cycles.failed} failed, ${cycles.skipped} skipped), success rate ${rate === null ? 'n/a (no cycle has run)' : `${rate.toFixed(1)}%`}`,
            `Grounding rate: ${groundingRate === null ? 'n/a' : `${groundingRate}%`}`,
            '',
            'By repository:',
            ...Object.entries(docs.byRepo).sort((a, b) => b[1] - a[1]).map(([k, v]) => `  ${String(v).padStart(6)}  ${k}`),
            'By doc type:',
            ...Object.entries(docs.byDocType).sort((a, b) => b[1] - a[1]).map(([k, v]) => `  ${String(v).padStart(6)}  ${k}`),
          ];
          if (doc.fleet) {
            const { formatFleetStats } = await import('../fleet/stats.ts');
            out.push('', ...('error' in doc.fleet ? [`Fleet: ${doc.fleet.error}`] : formatFleetStats(doc.fleet)));
          } else if (doc.fleet === null) out.push('', 'Fleet: no fleet tables in storage.url yet');
          process.stdout.write(`${out.join('\n')}\n`);
        } finally {
          db.close();
        }
      }),
    );
}
