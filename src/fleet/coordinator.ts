/**
 * The fleet coordinator (`codeworm run --role coordinator`, issue 16, item 4): selects targets
 * across every enabled repository and enqueues their generation jobs (keeping
 * `fleet.queue_ahead` waiting), and publishes the workers' results as the single DevLog writer,
 * one page per commit, in the order they were generated. It holds the writer lock of its
 * DevLog and local state for its whole run, like `backfill`.
 *
 * Exactly once: a row is enqueued once (unique (doc_type, code_hash) in PostgreSQL); a result is
 * stored once (first worker wins); a page is published once: before committing a row's page the
 * publisher looks for its state row (the DevLog's pages are reconciled into the local state at
 * start, so a page committed just before a crash is found) and only marks the row published
 * when it is there. PostgreSQL being away (restart) pauses both loops; nothing is lost.
 */
import type { DocType, Settings } from '../config/schema.ts';
import type { EventBus } from '../core/events.ts';
import type { Db } from '../state/db.ts';
import type { CodeIndex } from '../index/indexer.ts';
import type { DevLogRepo } from '../devlog/git.ts';
import type { WriterLock } from '../state/lock.ts';
import { CycleStore } from '../state/cycles.ts';
import { failureResult, openWriter, type CycleResult } from '../daemon/cycle.ts';
import { publishStage, selectStage, type Generation } from '../daemon/stages.ts';
import { loadSelection, pageKey, pgUnavailable, type FleetStore, type FleetTarget } from './store.ts';
import { abortableSleep } from '../core/sleep.ts';

export interface CoordinatorDeps {
  settings: Settings;
  /** The coordinator's local state (what select and publish read and write). */
  db: Db;
  store: FleetStore;
  bus: EventBus;
  /** Aborted on SIGTERM: no new target is enqueued; the page being published is finished. */
  signal: AbortSignal;
  index: CodeIndex;
  devlog: DevLogRepo;
  now?: () => number;
  random?: () => number;
  lockWaitMs?: number;
  log?: (level: 'info' | 'warn' | 'error', msg: string) => void;
}

export interface CoordinatorOptions {
  docType?: DocType;
  /** Enqueue at most this many pages in this run. */
  count?: number;
  /** Stop once nothing is left to select and every row is published or failed (else wait for new code). */
  untilDone?: boolean;
  /** Seconds between selection attempts once nothing is left (default: `schedule.interval_seconds`, at least 60). */
  idleSeconds?: number;
  onPublished?: (r: CycleResult, row: FleetTarget) => void;
}

export interface CoordinatorSummary {
  enqueued: number;
  published: number;
  /** Rows marked published whose page a crashed run had already committed. */
  recovered: number;
  failed: number;
  skipped: string | null;
  /** Time spent selecting (targets and facts) and publishing (render, commit, record), ms. */
  selectMs: number;
  publishMs: number;
}

/** Publish attempts of one generated page before it is marked failed. */
const MAX_PUBLISH_ATTEMPTS = 3;

/**
 * Run the coordinator until the signal fires (or, with `untilDone`, until the fleet has nothing
 * left). @throws LockBusyError when another writer holds the DevLog; PostgreSQL errors are waited out.
 */
export async function runCoordinator(deps: CoordinatorDeps, opts: CoordinatorOptions = {}): Promise<CoordinatorSummary> {
  const { settings, db, store, bus, signal, index, devlog } = deps;
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const log = deps.log ?? (() => undefined);
  const pollMs = settings.fleet.poll_seconds * 1000;
  const summary: CoordinatorSummary = { enqueued: 0, published: 0, recovered: 0, failed: 0, skipped: null, selectMs: 0, publishMs: 0 };
  const cycles = new CycleStore(db);
  const { writer } = await openWriter({ ...deps, lockCommand: 'run --role coordinator' }, devlog);
  let selecting = true;
  try {
    const known = await retrying(() => store.knownPages(), signal, log);
    if (!known) return summary;

    const selector = async (): Promise<void> => {
      try {
        while (!signal.aborted) {
          if (opts.count !== undefined && summary.enqueued >= opts.count) return;
          try {
            if ((await store.pending()) >= settings.fleet.queue_ahead) {
              await abortableSleep(pollMs / 2, signal);
              continue;
            }
            const started = now();
            const t0 = performance.now();
            const selection = await selectStage(
              { settings, db, bus, signal, index, random, started, exclude: (t) => known.has(pageKey(t.docType, t.codeHash)) },
              { docType: opts.docType },
            );
            summary.selectMs += performance.now() - t0;
            if ('skipped' in selection) {
              summary.skipped = selection.skipped;
              if (opts.untilDone) return;
              await abortableSleep(Math.max(60, opts.idleSeconds ?? settings.schedule.interval_seconds) * 1000, signal);
              continue;
            }
            const t = selection.target;
            const id = await store.enqueue(selection);
            known.add(pageKey(t.docType, t.codeHash));
            if (id !== null) {
              summary.enqueued++;
              bus.publish('log', { level: 'info', msg: `enqueued ${t.displayName} (${t.docType}) from ${t.repo.name}` });
            }
          } catch (err) {
            if (signal.aborted) return;
            log('warn', `selecting: ${(err as Error).message}${pgUnavailable(err) ? ' (PostgreSQL away; retrying)' : ''}`);
            await abortableSleep(1000, signal);
          }
        }
      } finally {
        selecting = false;
      }
    };

    const publisher = async (): Promise<void> => {
      let lastSweep = 0;
      // the publisher finishes its page when stopping; it never leaves one half-written
      const never = new AbortController().signal;
      while (!signal.aborted) {
        try {
          if (Date.now() - lastSweep > 5000) {
            lastSweep = Date.now();
            const swept = await store.sweepFailedJobs();
            if (swept) log('warn', `${swept} page(s) failed on every try of their job`);
          }
          const rows = await store.ready();
          if (rows.length === 0) {
            if (!selecting && (await store.unfinished()) === 0) return;
            await abortableSleep(pollMs / 2, signal);
            continue;
          }
          for (const row of rows) {
            if (signal.aborted) return;
            await publishOne(row, never);
          }
        } catch (err) {
          if (signal.aborted) return;
          log('warn', `publishing: ${(err as Error).message}${pgUnavailable(err) ? ' (PostgreSQL away; retrying)' : ''}`);
          await abortableSleep(1000, signal);
        }
      }
    };

    const publishOne = async (row: FleetTarget, never: AbortSignal): Promise<void> => {
      const t0 = performance.now();
      try {
        await publishRow(row, never);
      } finally {
        summary.publishMs += performance.now() - t0;
      }
    };

    const publishRow = async (row: FleetTarget, never: AbortSignal): Promise<void> => {
      const startedMs = now();
      let state = stateRowOf(db, row);
      let result: CycleResult | null = null;
      if (!state) {
        const gen: Generation = { selection: loadSelection(row.selection), ...row.result! };
        try {
          result = await publishStage({ settings, db, bus, signal: never, devlog, now, lockLost: () => writer.compromised }, gen);
        } catch (err) {
          result = failureResult(err, never, bus);
        }
        if (result.outcome !== 'success') {
          await store.publishFailed(row.id, result.reason ?? 'publish failed', MAX_PUBLISH_ATTEMPTS);
          summary.failed++;
          log('warn', `publishing ${row.selection.target.displayName} failed: ${result.reason}`);
          cycles.finish(cycles.start(new Date(startedMs)), result, new Date(now()), now() - startedMs);
          return;
        }
        state = stateRowOf(db, row)!;
        cycles.finish(cycles.start(new Date(startedMs)), result, new Date(now()), now() - startedMs);
        summary.published++;
      } else {
        summary.recovered++;
        log('info', `recovered: ${row.selection.target.displayName} was committed (${state.git_commit}) before a restart; not written again`);
      }
      // the state rows in PostgreSQL too, then the row is done (a crash before this repeats only this)
      await store.recordStateRows([stateRowsById(db, state.id)]);
      await store.markPublished(row.id, { snippetId: state.id, snippetPath: state.snippet_path, commit: state.git_commit ?? '' });
      const done: CycleResult = result ?? {
        outcome: 'success',
        docType: row.docType as DocType,
        repo: row.selection.target.repo.name,
        target: row.selection.target.displayName,
        snippetId: state.id,
        snippetPath: state.snippet_path,
        commit: state.git_commit ?? undefined,
      };
      opts.onPublished?.({ ...done, host: row.host ?? undefined }, row);
    };

    await Promise.all([selector(), publisher()]);
    return summary;
  } finally {
    await (writer as WriterLock).release();
  }
}

/** Call `fn` until it succeeds or the signal fires (PostgreSQL may be restarting). */
async function retrying<T>(fn: () => Promise<T>, signal: AbortSignal, log: NonNullable<CoordinatorDeps['log']>): Promise<T | null> {
  while (!signal.aborted) {
    try {
      return await fn();
    } catch (err) {
      log('warn', `PostgreSQL: ${(err as Error).message}; retrying`);
      await abortableSleep(1000, signal);
    }
  }
  return null;
}

interface StateRow {
  id: string;
  snippet_path: string;
  git_commit: string | null;
}

/** The local state row of a fleet row's page (same doc type and code hash), or null. */
function stateRowOf(db: Db, row: FleetTarget): StateRow | null {
  return (
    (db
      .prepare(
        `SELECT id, snippet_path, git_commit FROM documented_snippets
         WHERE code_hash = ? AND COALESCE(NULLIF(doc_type, ''), 'function_doc') = ? ORDER BY documented_at DESC LIMIT 1`,
      )
      .get(row.codeHash, row.docType) as StateRow | undefined) ?? null
  );
}

/** A state row with its metadata and grounding result, as column → value records. */
function stateRowsById(db: Db, id: string) {
  return {
    snippet: db.prepare('SELECT * FROM documented_snippets WHERE id = ?').get(id) as Record<string, unknown>,
    meta: (db.prepare('SELECT * FROM snippet_meta WHERE snippet_id = ?').get(id) as Record<string, unknown> | undefined) ?? null,
    grounding: (db.prepare('SELECT * FROM grounding_results WHERE snippet_id = ?').get(id) as Record<string, unknown> | undefined) ?? null,
  };
}
