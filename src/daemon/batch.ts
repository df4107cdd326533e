/**
 * A batch of pages over several LLM hosts (issue 16, item 2; `codeworm backfill`): targets are
 * selected one at a time (none twice: those being generated are passed over), generated in
 * parallel on the pool's free slots, and published one at a time, in the order they finish,
 * by this process alone (it holds the writer lock for the whole batch).
 *
 * A generation that fails because its host is unavailable takes the host out of the pool (it is
 * probed back) and goes back to the queue for another host, up to `maxAttempts` times.
 */
import type { DocType } from '../config/schema.ts';
import { hostUnavailable, type HostLease, type HostPool } from '../llm/hosts.ts';
import type { WriterLock } from '../state/lock.ts';
import { devlogOf, failureResult, openCodeIndex, openWriter, type CycleDeps, type CycleResult } from './cycle.ts';
import { generateStage, publishStage, selectStage, targetKey, type Selection } from './stages.ts';

/** A cycle's dependencies, with a pool of LLM hosts in place of one provider. */
export type BatchDeps = Omit<CycleDeps, 'provider'> & { pool: HostPool };

export interface BatchOptions {
  /** Pages to write at most (the batch also ends when nothing is left to document). */
  count: number;
  docType?: DocType;
  /** Tries of one target across hosts that are unavailable (default 3). */
  maxAttempts?: number;
  /** Each page's outcome as it is known, with its start and end (ms since epoch). */
  onResult?: (result: CycleResult, startedMs: number, endedMs: number) => void;
}

export interface BatchSummary {
  results: CycleResult[];
  published: number;
  failed: number;
  /** Why selection stopped early (nothing left), or null. */
  skipped: string | null;
  /** Rows recorded at the start for committed pages that had none. */
  reconciled: number;
  durationMs: number;
}

interface Job {
  selection: Selection;
  key: string;
  attempts: number;
  startedMs: number;
}

/**
 * Run a batch of up to `opts.count` pages. Never throws for expected failures: they are results
 * (`failed`, `abandoned`); a lock held by another writer ends the batch with one failed result.
 */
export async function runBatch(deps: BatchDeps, opts: BatchOptions): Promise<BatchSummary> {
  const { settings, db, pool, bus, signal } = deps;
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const maxAttempts = opts.maxAttempts ?? 3;
  const t0 = now();
  const results: CycleResult[] = [];
  const record = (r: CycleResult, startedMs: number): void => {
    results.push(r);
    opts.onResult?.(r, startedMs, now());
  };
  const summary = (skipped: string | null, reconciled: number): BatchSummary => ({
    results,
    published: results.filter((r) => r.outcome === 'success').length,
    failed: results.filter((r) => r.outcome === 'failed').length,
    skipped,
    reconciled,
    durationMs: now() - t0,
  });

  const ownIndex = deps.index ? null : await openCodeIndex(settings);
  const index = deps.index ?? ownIndex!;
  const devlog = deps.devlog ?? devlogOf(settings);
  let writer: WriterLock | null = null;
  let reconciled = 0;
  try {
    try {
      ({ writer, reconciled } = await openWriter({ ...deps, lockCommand: deps.lockCommand ?? 'backfill' }, devlog));
    } catch (err) {
      record(failureResult(err, signal, bus), t0);
      return summary(null, 0);
    }
    const lock = writer;
    const inFlight = new Set<string>();
    const retries: Job[] = [];
    const tasks = new Set<Promise<void>>();
    let publishing: Promise<void> = Promise.resolve();
    let launched = 0;
    let exhausted: string | null = null;

    const publish = async (job: Job, generation: Awaited<ReturnType<typeof generateStage>>, host: string): Promise<void> => {
      let r: CycleResult;
      try {
        r = await publishStage({ settings, db, bus, signal, devlog, now, lockLost: () => lock.compromised }, generation);
      } catch (err) {
        r = failureResult(err, signal, bus);
      }
      inFlight.delete(job.key);
      record({ ...r, host }, job.startedMs);
    };

    const generate = async (job: Job, lease: HostLease): Promise<void> => {
      try {
        const generation = await generateStage({ settings, provider: lease.provider, bus, signal }, job.selection);
        lease.release('ok');
        // publishing is serial: each page waits for the one before it
        const mine = publishing.then(() => publish(job, generation, lease.label));
        publishing = mine;
        await mine;
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        if (hostUnavailable(err) && !signal.aborted) {
          lease.release('unavailable', why);
          bus.publish('log', { level: 'warn', msg: `LLM host ${lease.label} taken out: ${why}` });
          if (job.attempts < maxAttempts) {
            retries.push({ ...job, attempts: job.attempts + 1 });
            return;
          }
        } else lease.release('failed', why);
        inFlight.delete(job.key);
        const t = job.selection.target;
        record({ ...failureResult(err, signal, bus), docType: t.docType, repo: t.repo.name, target: t.displayName, host: lease.label }, job.startedMs);
      }
    };

    while (!signal.aborted) {
      const more = retries.length > 0 || (launched < opts.count && !exhausted);
      if (!more) {
        if (tasks.size === 0) break;
        await Promise.race(tasks); // a retry may come back from a task
        continue;
      }
      let lease: HostLease;
      try {
        lease = await pool.acquire(signal);
      } catch {
        break; // stopped
      }
      let job = retries.shift();
      if (!job) {
        if (launched >= opts.count || exhausted) {
          lease.release('unused');
          continue;
        }
        const startedMs = now();
        try {
          const selection = await selectStage(
            { settings, db, bus, signal, index, random, started: startedMs, exclude: (t) => inFlight.has(targetKey(t)) },
            { docType: opts.docType },
          );
          if ('skipped' in selection) {
            exhausted = selection.skipped;
            lease.release('unused');
            continue;
          }
          job = { selection, key: targetKey(selection.target), attempts: 1, startedMs };
        } catch (err) {
          lease.release('unused');
          launched++;
          record(failureResult(err, signal, bus), startedMs);
          continue;
        }
        launched++;
        inFlight.add(job.key);
      }
      const task: Promise<void> = generate(job, lease).finally(() => tasks.delete(task));
      tasks.add(task);
    }
    await Promise.allSettled([...tasks]);
    if (exhausted) bus.publish('cycle_skipped', { reason: exhausted });
    return summary(exhausted, reconciled);
  } finally {
    await writer?.release();
    if (ownIndex) await ownIndex.close();
  }
}
