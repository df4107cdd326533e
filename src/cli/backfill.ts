/**
 * `codeworm backfill [--count N] [--type T] [--repo NAME=PATH …] [--devlog PATH] [--json]`:
 * write up to N pages now, generating in parallel on the LLM hosts of `llm.hosts` (each with
 * its `concurrency`; without hosts, the single configured provider, one page at a time) and
 * publishing them one by one (issue 16, item 2). Each page is recorded as a cycle, like
 * `run-once`'s. Hosts that fail their health check at the start are left out and probed back.
 */
import type { Command } from 'commander';
import { action, printJson, settingsFor, UserError } from './common.ts';
import { DOC_TYPES, type DocType } from '../config/schema.ts';
import { openStateDb } from '../state/db.ts';
import { createProvider } from '../llm/providers/index.ts';
import { HostPool, hostSpecsFromSettings, type PoolHostSpec } from '../llm/hosts.ts';
import { EventBus } from '../core/events.ts';
import { CycleStore } from '../state/cycles.ts';
import { applyOverrides, lockWaitMs } from './run-once.ts';

interface BackfillOptions {
  count: string;
  type?: string;
  repo: string[];
  devlog?: string;
  json: boolean;
  lockWait: string;
}

export function register(program: Command): void {
  program
    .command('backfill')
    .description('write up to --count pages now, in parallel across the LLM hosts of llm.hosts, published one by one')
    .option('--count <n>', 'pages to write at most', '10')
    .option('--type <docType>', `only this doc type (${DOC_TYPES.join(', ')})`)
    .option('--repo <name=path>', 'document this repository instead of repos.yaml (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .option('--devlog <path>', 'DevLog repository path (overrides devlog.repo_path)')
    .option('--json', 'print the summary and every result as one JSON document', false)
    .option('--lock-wait <seconds>', 'how long to wait for another CodeWorm process writing to the same DevLog or state database', '60')
    .action(
      action(async (opts: BackfillOptions, cmd: Command) => {
        const count = Number(opts.count);
        if (!Number.isInteger(count) || count < 1) throw new UserError(`--count ${opts.count}: expected a whole number ≥ 1`, 2);
        if (opts.type && !(DOC_TYPES as readonly string[]).includes(opts.type)) {
          throw new UserError(`--type ${opts.type}: unknown doc type; expected one of ${DOC_TYPES.join(', ')}`, 2);
        }
        const settings = await applyOverrides(await settingsFor(cmd, { checkRepoPaths: (opts.repo ?? []).length === 0 }), opts);
        if (settings.repositories.filter((r) => r.enabled).length === 0) {
          throw new UserError('no repositories: add some to repos.yaml or pass --repo NAME=PATH', 2);
        }
        const waitMs = lockWaitMs(opts.lockWait);
        const specs: PoolHostSpec[] =
          settings.llm.hosts.length > 0
            ? hostSpecsFromSettings(settings)
            : [{ label: settings.llm.provider, provider: createProvider(settings), concurrency: 1 }];
        const pool = new HostPool(specs, {
          onChange: (h, change) => process.stderr.write(change === 'down' ? `LLM host ${h.label} out: ${h.down}\n` : `LLM host ${h.label} back\n`),
        });
        const healths = await Promise.all(specs.map(async (s) => ({ s, h: s.provider.name === 'static' ? null : await s.provider.health() })));
        const bad = healths.filter(({ h }) => h && (!h.ok || h.modelPresent === false));
        if (bad.length === specs.length) {
          await pool.close();
          throw new UserError(`no LLM host is available: ${bad.map(({ s, h }) => `${s.label}: ${h!.detail}`).join('; ')}`);
        }
        for (const { s, h } of bad) pool.markDown(s.label, h!.detail);

        const { runBatch } = await import('../daemon/batch.ts');
        const db = openStateDb(settings.data_dir);
        const cycles = new CycleStore(db);
        const controller = new AbortController();
        const stop = () => controller.abort();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        try {
          const res = await runBatch(
            { settings, db, pool, bus: new EventBus(), signal: controller.signal, lockWaitMs: waitMs, lockCommand: 'backfill' },
            {
              count,
              docType: opts.type as DocType | undefined,
              onResult: (r, startedMs, endedMs) => {
                // recorded like run-once's cycles, unless it never ran (lock held elsewhere)
                if (!r.lockBusy) cycles.finish(cycles.start(new Date(startedMs)), r, new Date(endedMs), endedMs - startedMs);
                if (opts.json) return;
                if (r.outcome === 'success') process.stdout.write(`documented: ${r.target} (${r.docType}) from ${r.repo} on ${r.host} → ${r.snippetPath} ${r.commit}\n`);
                else process.stdout.write(`${r.outcome}: ${r.target ?? ''}${r.reason ? ` (${r.reason})` : ''}\n`);
              },
            },
          );
          const perMin = res.durationMs > 0 ? (res.published * 60_000) / res.durationMs : 0;
          if (opts.json) printJson({ ...res, hosts: pool.status() });
          else {
            process.stdout.write(
              `backfill: ${res.published} page(s) in ${(res.durationMs / 1000).toFixed(1)} s (${perMin.toFixed(1)} per minute) on ${specs.length} host(s); ${res.failed} failed${res.skipped ? `; stopped early: ${res.skipped}` : ''}\n`,
            );
            for (const h of pool.status()) process.stdout.write(`  ${h.label}: ${h.generated} generated, ${h.failed} failed${h.healthy ? '' : ` (out: ${h.down})`}\n`);
          }
          if (res.failed > 0) process.exitCode = 1;
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          await pool.close();
          db.close();
        }
      }),
    );
}
