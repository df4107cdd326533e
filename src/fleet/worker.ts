/**
 * A fleet worker (`codeworm worker --llm URL`, issue 16, item 4): takes generation jobs from the
 * fleet's queue, runs the generate stage (LLM + grounding) on its one LLM host, and stores the
 * result with the job's row for the coordinator to publish. It never touches the DevLog or a
 * SQLite state; it reads the repositories only for grounding (commit and file references), at
 * its own checkout path when its repos.yaml names the repository, else at the coordinator's.
 *
 * Failures: a page that fails goes back to the queue (pg-boss retries it after
 * `fleet.retry_delay_seconds`, up to `fleet.retry_limit` times, on any worker); a host that is
 * unreachable stops this worker taking jobs until a health probe (1 s, 2 s, … 30 s apart) finds
 * it back. A worker that dies holds its job until `fleet.visibility_timeout_seconds` pass; then
 * pg-boss hands it to another worker. Results are first-wins, so a late one changes nothing.
 */
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type PgBoss from 'pg-boss';
import type { Settings } from '../config/schema.ts';
import type { EventBus } from '../core/events.ts';
import type { LlmProvider } from '../llm/types.ts';
import { hostUnavailable } from '../llm/hosts.ts';
import { redactSecretsSync } from '../core/secrets.ts';
import { generateStage } from '../daemon/stages.ts';
import { GENERATE_QUEUE, loadSelection, type FleetStore, type GenerateJob } from './store.ts';
import { abortableSleep } from '../core/sleep.ts';

export interface WorkerDeps {
  settings: Settings;
  store: FleetStore;
  provider: LlmProvider;
  /** The LLM host's URL (or provider name), as stats show it. */
  label: string;
  /** Jobs this worker runs at once on its host. */
  concurrency: number;
  bus: EventBus;
  /** Aborted on SIGTERM: no new job is taken; jobs in flight are given back for a retry. */
  signal: AbortSignal;
  log?: (level: 'info' | 'warn' | 'error', msg: string) => void;
}

export interface WorkerSummary {
  id: string;
  generated: number;
  failed: number;
}

/** Run until the signal fires. Never throws for a page's or PostgreSQL's failure (logged, retried). */
export async function runWorker(deps: WorkerDeps): Promise<WorkerSummary> {
  const { settings, store, provider, label, signal } = deps;
  const log = deps.log ?? (() => undefined);
  const id = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const pollMs = settings.fleet.poll_seconds * 1000;
  const roots = new Map(settings.repositories.map((r) => [r.name, r.path]));
  const stats = { busy: 0, generated: 0, failed: 0, hostDown: null as string | null };
  const beat = (stopped = false) =>
    store
      .heartbeat({ id, llm: label, concurrency: deps.concurrency, busy: stats.busy, generated: stats.generated, failed: stats.failed, hostDown: stats.hostDown, stopped })
      .catch((err: Error) => log('warn', `heartbeat: ${err.message}`));
  await beat();
  const heart = setInterval(() => void beat(), 5000);
  let probing: Promise<void> | null = null;

  /** Wait for the host to answer its health check again (one prober for all slots). */
  const hostBack = (): Promise<void> => {
    probing ??= (async () => {
      for (let wait = 1000; !signal.aborted; wait = Math.min(wait * 2, 30_000)) {
        await abortableSleep(wait, signal);
        const h = await provider.health().catch((err: Error) => ({ ok: false, detail: err.message, modelPresent: false }));
        if (h.ok && h.modelPresent !== false) {
          log('info', `LLM host ${label} is back`);
          stats.hostDown = null;
          return;
        }
      }
    })().finally(() => (probing = null));
    return probing;
  };

  const handle = async (job: PgBoss.JobWithMetadata<GenerateJob>): Promise<void> => {
    const targetId = job.data.targetId;
    stats.busy++;
    try {
      const row = await store.claim(targetId, id, label);
      if (!row) {
        await store.boss.complete(GENERATE_QUEUE, job.id); // generated elsewhere meanwhile, or gone
        return;
      }
      const stored = row.selection;
      const selection = loadSelection(stored, roots.get(stored.target.repo.name));
      const gen = await generateStage({ settings, provider, bus: deps.bus, signal }, selection);
      const { selection: _s, ...result } = gen;
      const kept = await store.saveResult(targetId, result, id, label);
      await store.boss.complete(GENERATE_QUEUE, job.id);
      if (kept) stats.generated++;
      log('info', `${kept ? 'generated' : 'generated (another worker was first)'}: ${stored.target.displayName} (${stored.target.docType}) on ${label}`);
    } catch (err) {
      const why = redactSecretsSync(signal.aborted ? 'the worker stopped during the job' : err instanceof Error ? err.message : String(err)).text;
      stats.failed++;
      if (hostUnavailable(err) && !signal.aborted) {
        stats.hostDown = why;
        log('warn', `LLM host ${label} out: ${why}`);
      } else log('warn', `job for target ${targetId} failed: ${why}`);
      const final = job.retryCount >= job.retryLimit;
      await store.generationFailed(targetId, why, final).catch(() => undefined);
      // a failed job is retried by pg-boss; if PostgreSQL is away, it expires and is retried then
      await store.boss.fail(GENERATE_QUEUE, job.id, { message: why }).catch(() => undefined);
    } finally {
      stats.busy--;
    }
  };

  const slot = async (): Promise<void> => {
    while (!signal.aborted) {
      if (stats.hostDown) {
        await hostBack();
        continue;
      }
      let jobs: PgBoss.JobWithMetadata<GenerateJob>[];
      try {
        jobs = await store.boss.fetch<GenerateJob>(GENERATE_QUEUE, { batchSize: 1, includeMetadata: true });
      } catch (err) {
        log('warn', `taking a job failed (retrying): ${(err as Error).message}`);
        await abortableSleep(Math.max(pollMs, 1000), signal);
        continue;
      }
      if (!jobs || jobs.length === 0) {
        await abortableSleep(pollMs, signal);
        continue;
      }
      await handle(jobs[0]);
    }
  };

  try {
    await Promise.all(Array.from({ length: deps.concurrency }, slot));
  } finally {
    clearInterval(heart);
    await beat(true);
  }
  return { id, generated: stats.generated, failed: stats.failed };
}
