/**
 * `codeworm run [--dry-run]`: the 24/7 daemon (SPEC section 11). Wires the real pieces — the
 * configuration, the state database, the LLM provider, the documentation cycle, a warm code
 * index, the DevLog, notifications and (when `dashboard.enabled`) the dashboard — into a
 * `Daemon`, installs the signal handlers and runs until SIGTERM/SIGINT (exit 0).
 * Logs go to stderr (JSON lines; readable on a terminal); `--dry-run` prints each page it
 * would write on stdout.
 */
import type { Command } from 'commander';
import type { Settings } from '../config/schema.ts';
import { EventBus } from '../core/events.ts';
import { createLogger } from '../core/logger.ts';
import { runCycle } from '../daemon/cycle.ts';
import { Daemon } from '../daemon/daemon.ts';
import { checkFeasible } from '../daemon/scheduler.ts';
import { installSignalHandlers } from '../daemon/signals.ts';
import { startDashboard, type DashboardHandle } from '../dashboard/server.ts';
import type { RepoCoverage } from '../dashboard/types.ts';
import { computeCoverage } from '../daemon/coverage.ts';
import { DevLogRepo } from '../devlog/git.ts';
import { CodeIndex } from '../index/indexer.ts';
import { IndexStore, defaultCacheDir } from '../index/store.ts';
import { createProvider } from '../llm/providers/index.ts';
import { openStateDb } from '../state/db.ts';
import { reconcileFromDevlog } from '../state/rebuild.ts';
import { ConfigError } from '../config/load.ts';
import { action, globalOptions, settingsFor, stopWithNpmWrapper, UserError } from './common.ts';
import { lockWaitMs } from './run-once.ts';
import { acquireLock, daemonLockPath, WriterLock } from '../state/lock.ts';
import { setFlagsFromString } from 'node:v8';

/** How far (percent) V8 lets the daemon's old generation grow past what survived the last full collection. */
const HEAP_GROWING_PERCENT = 25;

/**
 * Keep the daemon's heap close to what it holds. A cycle promotes its working set (ranked
 * targets, facts) out of the young generation and drops it at the end; V8's default lets the old
 * generation grow up to 4x its live size before a full collection, so on the Python standard
 * library ~100 MB of live heap stood at 300–400 MB between collections (issue 14). A fixed
 * growth factor trades a full collection per few cycles (tens of ms, mostly concurrent) for that.
 * `--heap-growing-percent` is read each time V8 sets the next limit, so it applies when set at
 * run time; the user's own `--heap-growing-percent` (node options) wins.
 */
function lightHeap(): void {
  if (process.execArgv.some((a) => a.startsWith('--heap-growing-percent') || a.startsWith('--heap_growing_percent'))) return;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

interface RunOptions {
  dryRun: boolean;
  lockWait: string;
  role: string;
  type?: string;
  count?: string;
  untilDone: boolean;
}

/** Values that must never reach a log line: the bot token, the webhook URL, the API key. */
function secretsOf(settings: Settings): string[] {
  const key = process.env[settings.llm.api_key_env];
  return [settings.telegram.bot_token, settings.webhook.url, key ?? ''].filter((s) => s.length >= 4);
}

function repoPaths(settings: Settings): Record<string, string> {
  return Object.fromEntries(settings.repositories.map((r) => [r.name, r.path]));
}

export function register(program: Command): void {
  program
    .command('run')
    .description('run the daemon: document on the schedule until SIGTERM/SIGINT; SIGHUP reloads the configuration')
    .option('--dry-run', 'run the schedule but write nothing; print each page that would be written', false)
    .option('--lock-wait <seconds>', 'how long to wait for another CodeWorm process writing to the same DevLog or state database', '60')
    .option('--role <role>', 'single (one process, SQLite) or coordinator (fleet mode on storage.url: enqueue jobs for `codeworm worker`s, publish their pages)', 'single')
    .option('--type <docType>', 'coordinator: only this doc type')
    .option('--count <n>', 'coordinator: enqueue at most this many pages')
    .option('--until-done', 'coordinator: stop once nothing is left to document and every page is published', false)
    .action(
      action(async (opts: RunOptions, cmd: Command) => {
        const g = globalOptions(cmd);
        if (opts.role !== 'single' && opts.role !== 'coordinator') throw new UserError(`--role ${opts.role}: expected single or coordinator (workers run \`codeworm worker\`)`, 2);
        if (opts.role === 'coordinator') {
          const { runCoordinatorCommand } = await import('./fleet.ts');
          await runCoordinatorCommand(await settingsFor(cmd), opts);
          return;
        }
        const settings = await settingsFor(cmd);
        lightHeap();
        const infeasible = checkFeasible(settings.schedule);
        if (infeasible) throw new ConfigError(infeasible);
        const waitMs = lockWaitMs(opts.lockWait);
        // one daemon per DevLog: a second one waits, then leaves naming the first
        const daemonLock = opts.dryRun
          ? null
          : await acquireLock(await daemonLockPath(settings.devlog.repo_path), {
              waitMs,
              command: 'run',
              what: `the DevLog ${settings.devlog.repo_path} (daemon)`,
            });
        const withWriter = async <T>(s: Settings, fn: () => Promise<T>): Promise<T> => {
          const writer = await WriterLock.acquire({ devlogPath: s.devlog.repo_path, dataDir: s.data_dir }, { waitMs, command: 'run' });
          try {
            return await fn();
          } finally {
            await writer.release();
          }
        };

        const bus = new EventBus();
        const logger = createLogger({ debug: g.debug || settings.debug, secrets: secretsOf(settings), bus });
        const db = openStateDb(settings.data_dir);
        const store = await IndexStore.open(defaultCacheDir(), { maxBytes: settings.analyzer.cache_max_mb * 1024 * 1024 }).catch((err: unknown) => {
          logger.warn({ err }, `index cache unavailable, indexing in memory: ${(err as Error).message}`);
          return null;
        });
        // one parse thread by default: a daemon that lives for weeks should stay light (issue 14)
        const index = new CodeIndex({ store, poolSize: settings.analyzer.parse_workers ?? 1, recycleAboveMb: 96, youngGenerationMb: 8 });

        let dashboard: DashboardHandle | null = null;
        const closeAll = async (): Promise<void> => {
          await dashboard?.close().catch(() => undefined);
          await index.close().catch(() => undefined);
          db.close();
          await daemonLock?.release();
        };
        // Coverage is recomputed after each cycle from the warm index, served from memory to an
        // in-process dashboard and published when it changes, for a `codeworm dashboard` of its own.
        let coverage: RepoCoverage[] = [];
        let published = '';
        const refresh = () => {
          computeCoverage(settings, db, index)
            .then((c) => {
              coverage = c;
              const json = JSON.stringify(c);
              if (json !== published) bus.publish('stats', { coverage: c });
              published = json;
            })
            .catch(() => undefined);
        };
        // after each cycle the index is warm and the work small; at start it would be a cold index
        // of every repository, worth it only for a dashboard this process serves
        bus.on('event', (ev) => {
          if ((ev.type === 'stats' && !ev.data?.coverage) || (ev.type === 'daemon_started' && settings.dashboard.enabled)) refresh();
        });
        if (settings.dashboard.enabled) {
          try {
            dashboard = await startDashboard({ settings, db, bus, coverage: () => coverage });
            logger.info({ url: dashboard.url }, `dashboard at ${dashboard.url}`);
          } catch (err) {
            await closeAll();
            throw err;
          }
        }

        const daemon = new Daemon({
          settings,
          reloadSettings: () => settingsFor(cmd, { reload: true }),
          db,
          runCycle,
          createProvider: (s) => createProvider(s, undefined, { logger }),
          bus,
          logger,
          index,
          dryRun: opts.dryRun,
          onDryRun: (r) => {
            process.stdout.write(`${r.page ?? ''}\n--- would write ${r.snippetPath ?? '?'} with commit message: ${r.commitMessage ?? '?'}\n\n`);
          },
          lockWaitMs: waitMs,
          prepareDevlog: (s) => withWriter(s, () => DevLogRepo.fromSettings(s, { logger }).ensure()),
          reconcile: (d, devlogPath) => withWriter(settings, () => reconcileFromDevlog(d, devlogPath, { repoPaths: repoPaths(settings), logger })),
        });
        const uninstall = installSignalHandlers(daemon, { logger });
        const disarm = stopWithNpmWrapper();
        try {
          await daemon.run();
        } finally {
          disarm();
          uninstall();
          await closeAll();
        }
        // a cycle abandoned mid-request may leave a socket open: the daemon is done, leave now
        process.exit(0);
      }),
    );
}
