/**
 * Fleet mode's commands (issue 16, item 4; docs/fleet.md):
 *
 * - `codeworm run --role coordinator [--type T] [--count N] [--until-done]`: select targets of
 *   every repository, enqueue their generation jobs on PostgreSQL (`storage.url`), publish the
 *   results as the single DevLog writer (`runCoordinatorCommand`, called by run.ts);
 * - `codeworm worker [--llm URL] [--provider ollama|openai] [--model M] [--concurrency N]`: take
 *   jobs, generate and check pages on one LLM host, store the results.
 *
 * Both log one line per event on stderr and stop cleanly on SIGTERM/SIGINT.
 */
import type { Command } from 'commander';
import type { DocType, Settings } from '../config/schema.ts';
import { DOC_TYPES } from '../config/schema.ts';
import { EventBus } from '../core/events.ts';
import { openStateDb } from '../state/db.ts';
import { createProvider } from '../llm/providers/index.ts';
import { hostSpecsFromSettings } from '../llm/hosts.ts';
import { openCodeIndex, devlogOf } from '../daemon/cycle.ts';
import { safePgUrl } from '../state/pg.ts';
import { action, settingsFor, UserError } from './common.ts';
import { lockWaitMs } from './run-once.ts';

/** One line on stderr: time, role, level, message. */
function logger(role: string) {
  return (level: 'info' | 'warn' | 'error', msg: string): void => {
    process.stderr.write(`${new Date().toISOString()} ${role} ${level}: ${msg}\n`);
  };
}

/** An AbortSignal fired by SIGTERM / SIGINT; `off` removes the handlers. */
function stopSignal(): { signal: AbortSignal; off: () => void } {
  const c = new AbortController();
  const stop = () => c.abort();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return {
    signal: c.signal,
    off: () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
    },
  };
}

function requirePostgres(settings: Settings, what: string): void {
  if (!settings.storage.url) throw new UserError(`${what} needs PostgreSQL: set storage.url: postgres://… in config.yaml (see docs/fleet.md)`, 2);
}

export interface CoordinatorCliOptions {
  type?: string;
  count?: string;
  untilDone?: boolean;
  lockWait: string;
}

/** `run --role coordinator`. */
export async function runCoordinatorCommand(settings: Settings, opts: CoordinatorCliOptions): Promise<void> {
  requirePostgres(settings, 'run --role coordinator');
  if (opts.type && !(DOC_TYPES as readonly string[]).includes(opts.type)) {
    throw new UserError(`--type ${opts.type}: unknown doc type; expected one of ${DOC_TYPES.join(', ')}`, 2);
  }
  const count = opts.count === undefined ? undefined : Number(opts.count);
  if (count !== undefined && !(Number.isInteger(count) && count >= 1)) throw new UserError(`--count ${opts.count}: expected a whole number ≥ 1`, 2);
  if (settings.repositories.filter((r) => r.enabled).length === 0) throw new UserError('no repositories: add some to repos.yaml', 2);
  const log = logger('coordinator');
  // pg-boss is loaded by fleet commands only
  const { FleetStore } = await import('../fleet/store.ts');
  const { runCoordinator } = await import('../fleet/coordinator.ts');
  const store = await FleetStore.open(settings, { role: 'coordinator', onError: (err) => log('warn', `PostgreSQL: ${err.message}`) }).catch((err: Error) => {
    throw new UserError(err.message);
  });
  log('info', `fleet on ${safePgUrl(settings.storage.url)}; publishing to ${settings.devlog.repo_path}`);
  const db = openStateDb(settings.data_dir);
  const index = await openCodeIndex(settings);
  const bus = new EventBus();
  bus.on('event', (ev) => {
    if (ev.type === 'log' && typeof ev.data?.msg === 'string') log((ev.data.level as 'info') ?? 'info', ev.data.msg);
  });
  const { signal, off } = stopSignal();
  try {
    const res = await runCoordinator(
      { settings, db, store, bus, signal, index, devlog: devlogOf(settings), lockWaitMs: lockWaitMs(opts.lockWait), log },
      {
        docType: opts.type as DocType | undefined,
        count,
        untilDone: opts.untilDone,
        onPublished: (r) => log('info', `published: ${r.target} (${r.docType}) from ${r.repo}${r.host ? ` generated on ${r.host}` : ''} → ${r.snippetPath} ${r.commit}`),
      },
    );
    process.stdout.write(
      `coordinator: ${res.enqueued} enqueued, ${res.published} published${res.recovered ? `, ${res.recovered} recovered` : ''}, ${res.failed} failed${res.skipped ? `; ${res.skipped}` : ''}; selecting ${(res.selectMs / 1000).toFixed(1)} s, publishing ${(res.publishMs / 1000).toFixed(1)} s\n`,
    );
    if (res.failed > 0) process.exitCode = 1;
  } finally {
    off();
    await index.close().catch(() => undefined);
    await store.close();
    db.close();
  }
}

interface WorkerOptions {
  llm?: string;
  provider?: string;
  model?: string;
  concurrency: string;
}

export function register(program: Command): void {
  program
    .command('worker')
    .description('fleet worker: take generation jobs from PostgreSQL (storage.url), write and check pages on one LLM host, store the results')
    .option('--llm <url>', 'the LLM host (Ollama: http://gpu1:11434; OpenAI-compatible: its /v1 base URL); default: the first of llm.hosts, else the configured provider')
    .option('--provider <name>', 'protocol of --llm: ollama or openai (default: llm.provider when openai, else ollama)')
    .option('--model <name>', 'model on that host (default: ollama.model, or llm.model for openai)')
    .option('--concurrency <n>', 'jobs at once on that host', '1')
    .action(
      action(async (opts: WorkerOptions, cmd: Command) => {
        const settings = await settingsFor(cmd, { checkRepoPaths: false });
        requirePostgres(settings, 'worker');
        const concurrency = Number(opts.concurrency);
        if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UserError(`--concurrency ${opts.concurrency}: expected 1 to 64`, 2);
        if (opts.provider && opts.provider !== 'ollama' && opts.provider !== 'openai') throw new UserError(`--provider ${opts.provider}: expected ollama or openai`, 2);
        let label: string;
        let provider;
        if (opts.llm || settings.llm.hosts.length > 0) {
          const host = opts.llm
            ? { url: opts.llm, provider: opts.provider as 'ollama' | 'openai' | undefined, model: opts.model, concurrency }
            : settings.llm.hosts[0];
          try {
            new URL(host.url);
          } catch {
            throw new UserError(`--llm ${host.url}: expected a URL such as http://gpu1:11434`, 2);
          }
          const spec = hostSpecsFromSettings({ ...settings, llm: { ...settings.llm, hosts: [host] } })[0];
          label = spec.label;
          provider = spec.provider;
        } else {
          provider = createProvider(settings);
          label = provider.name;
        }
        const log = logger(`worker ${label}`);
        const { FleetStore } = await import('../fleet/store.ts');
        const { runWorker } = await import('../fleet/worker.ts');
        const store = await FleetStore.open(settings, { role: 'worker', onError: (err) => log('warn', `PostgreSQL: ${err.message}`) }).catch((err: Error) => {
          throw new UserError(err.message);
        });
        log('info', `taking jobs from ${safePgUrl(settings.storage.url)} for ${label} (${provider.name}${provider.model ? ` ${provider.model}` : ''}, concurrency ${concurrency})`);
        const { signal, off } = stopSignal();
        try {
          const res = await runWorker({ settings, store, provider, label, concurrency, bus: new EventBus(), signal, log });
          process.stdout.write(`worker ${res.id}: ${res.generated} generated, ${res.failed} failed\n`);
        } finally {
          off();
          await store.close();
        }
        // an LLM request abandoned on SIGTERM may leave a socket open: the worker is done
        process.exit(0);
      }),
    );
}
