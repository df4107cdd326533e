/**
 * One documentation cycle (SPEC section 2): the select, generate and publish stages of
 * `stages.ts` in a row, under the writer lock. The daemon and `run-once` call it.
 *
 * Order and recovery: page written → committed → state row recorded → pushed. The SIGTERM
 * signal is honoured up to the moment the page is written; from there the few local steps run
 * to the end, so there is never a page without its commit, nor a row without its commit. A
 * crash between commit and row is healed at the next start by `reconcileFromDevlog`.
 */
import type { Db } from '../state/db.ts';
import type { DocType, Settings } from '../config/schema.ts';
import type { EventBus } from '../core/events.ts';
import { LlmError, type LlmProvider } from '../llm/types.ts';
import { CodeIndex } from '../index/indexer.ts';
import { IndexStore, defaultCacheDir } from '../index/store.ts';
import { redactSecretsSync } from '../core/secrets.ts';
import { DevLogError, DevLogRepo } from '../devlog/git.ts';
import { LockBusyError, WriterLock } from '../state/lock.ts';
import { reconcileFromDevlog } from '../state/rebuild.ts';
import { crashPoint } from './crash-point.ts';
import { Abandoned, generateStage, generationSummary, publishStage, renderGeneration, selectStage } from './stages.ts';

export interface CycleDeps {
  settings: Settings;
  db: Db;
  provider: LlmProvider;
  bus: EventBus;
  /** Aborted on SIGTERM: the cycle abandons cleanly (no partial page, row or commit). */
  signal: AbortSignal;
  /** ms since epoch; injectable for tests. */
  now?: () => number;
  /** Uniform [0, 1); injectable for reproducible choices. */
  random?: () => number;
  /** Warm code index shared across cycles (the daemon keeps one); created per call otherwise. */
  index?: CodeIndex;
  /** The DevLog repository; created from settings otherwise. */
  devlog?: DevLogRepo;
  /** How long to wait for another writer of the DevLog / state database (ms, default 60 000). */
  lockWaitMs?: number;
  /** Recorded as the lock's holder (`run`, `run-once`). */
  lockCommand?: string;
}

export interface CycleOptions {
  dryRun?: boolean;
  /** Force a doc type (`run-once --type`). */
  docType?: DocType;
}

export interface CycleResult {
  outcome: 'success' | 'failed' | 'skipped' | 'abandoned';
  reason?: string;
  docType?: DocType;
  repo?: string;
  target?: string;
  snippetId?: string;
  snippetPath?: string;
  commit?: string;
  /** Push outcome; `rejected` is not retried (e.g. secret scanning), `failed` is transient. */
  push?: 'pushed' | 'skipped' | 'rejected' | 'failed';
  pushMessage?: string;
  /** LLM unreachable (counts toward the LLM-unavailable alert). */
  llmUnavailable?: boolean;
  /** The page written (or, in a dry run, that would be written). */
  page?: string;
  commitMessage?: string;
  grounding?: { ungrounded: number; contradictions: number; regenerated: boolean; grounded: boolean };
  /** The documented target's state-row key: absolute source file, function name, code hash. */
  sourceFile?: string;
  functionName?: string | null;
  codeHash?: string;
  /** The DevLog repository refused a local git step (lock held, HEAD unusable): the git-wedge alert. */
  gitWedged?: boolean;
  /** Another CodeWorm process held the DevLog or the state database for the whole wait. */
  lockBusy?: boolean;
  /** Rows recorded for committed pages that had none, before choosing (`reconcile`). */
  reconciled?: number;
  /** For `--debug`: where an unexpected failure came from. */
  stack?: string;
  /** The LLM host that generated the page (batches over `llm.hosts`). */
  host?: string;
}

/**
 * Take the writer lock of the DevLog and state database, prepare the DevLog, and record rows for
 * pages committed by a writer that died before recording them (so dedup sees them).
 * One writer per DevLog and state database, from choosing the target to the push: two
 * processes never choose the same target, and no one removes another's page in flight.
 * @throws LockBusyError (another process held it for `lockWaitMs`), DevLogError
 */
export async function openWriter(
  deps: Pick<CycleDeps, 'settings' | 'db' | 'bus' | 'lockWaitMs' | 'lockCommand'>,
  devlog: DevLogRepo,
): Promise<{ writer: WriterLock; reconciled: number }> {
  const { settings, db, bus } = deps;
  const writer = await WriterLock.acquire(
    { devlogPath: settings.devlog.repo_path, dataDir: settings.data_dir },
    { waitMs: deps.lockWaitMs ?? 60_000, command: deps.lockCommand ?? 'codeworm' },
  );
  try {
    crashPoint('locked');
    await devlog.ensure();
    crashPoint('ensured');
    const reconciled = (
      await reconcileFromDevlog(db, devlog.root, { repoPaths: Object.fromEntries(settings.repositories.map((r) => [r.name, r.path])) })
    ).added;
    if (reconciled) bus.publish('log', { level: 'info', msg: `state: recorded ${reconciled} row(s) for committed pages that had none` });
    crashPoint('reconciled');
    return { writer, reconciled };
  } catch (err) {
    await writer.release();
    throw err;
  }
}

/**
 * A stage's exception as a cycle result: `abandoned` when stopping, else `failed` with the
 * (redacted) reason, publishing `cycle_failed`.
 */
export function failureResult(err: unknown, signal: AbortSignal, bus: EventBus): CycleResult {
  if (err instanceof Abandoned || signal.aborted) {
    return { outcome: 'abandoned', reason: 'stopping: cycle abandoned before anything was written' };
  }
  const llmUnavailable = err instanceof LlmError && (err.kind === 'unreachable' || err.kind === 'timeout' || err.kind === 'model_missing');
  // error messages quote LLM answers, git output and paths: they are printed and stored
  const reason = redactSecretsSync(err instanceof Error ? err.message : String(err)).text;
  bus.publish('cycle_failed', { reason, llm_unavailable: llmUnavailable });
  return {
    outcome: 'failed',
    reason,
    llmUnavailable,
    gitWedged: err instanceof DevLogError,
    lockBusy: err instanceof LockBusyError || undefined,
    stack: err instanceof Error && !(err instanceof LockBusyError) && err.stack ? redactSecretsSync(err.stack).text : undefined,
  };
}

/** The DevLog repository of the settings. */
export function devlogOf(settings: Settings): DevLogRepo {
  return new DevLogRepo({
    repoPath: settings.devlog.repo_path,
    remote: settings.devlog.remote,
    branch: settings.devlog.branch,
    authorName: settings.devlog.author_name,
    authorEmail: settings.devlog.author_email,
  });
}

/**
 * A code index for one call (run-once, backfill) on the user's index cache, sized by
 * `analyzer.parse_workers`; in memory only when the cache cannot be opened. Close it after use.
 */
export async function openCodeIndex(settings: Settings): Promise<CodeIndex> {
  const store = await IndexStore.open(defaultCacheDir(), { maxBytes: settings.analyzer.cache_max_mb * 1024 * 1024 }).catch(() => null);
  return new CodeIndex({ store, poolSize: settings.analyzer.parse_workers });
}

/**
 * Run one cycle. Never throws for expected failures: they come back as `outcome: 'failed'`,
 * `skipped` (nothing eligible anywhere) or `abandoned` (the signal fired before writing).
 */
export async function runCycle(deps: CycleDeps, opts: CycleOptions = {}): Promise<CycleResult> {
  const { settings, db, provider, bus, signal } = deps;
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const ownIndex = deps.index ? null : await openCodeIndex(settings);
  const index = deps.index ?? ownIndex!;
  const devlog = deps.devlog ?? devlogOf(settings);
  let writer: WriterLock | null = null;
  let reconciled = 0;
  bus.publish('cycle_starting', { dry_run: Boolean(opts.dryRun), forced_type: opts.docType ?? null });
  try {
    if (!opts.dryRun) ({ writer, reconciled } = await openWriter(deps, devlog));
    const res = await stages(writer);
    return reconciled ? { ...res, reconciled } : res;
  } catch (err) {
    return failureResult(err, signal, bus);
  } finally {
    await writer?.release();
    if (ownIndex) await ownIndex.close();
  }

  async function stages(lock: WriterLock | null): Promise<CycleResult> {
    const selection = await selectStage({ settings, db, bus, signal, index, random, started: now() }, { docType: opts.docType });
    if ('skipped' in selection) {
      bus.publish('cycle_skipped', { reason: selection.skipped });
      return { outcome: 'skipped', reason: selection.skipped };
    }
    const generation = await generateStage({ settings, provider, bus, signal, extract: (language, source) => index.extract(language, source) }, selection);
    if (opts.dryRun) {
      const rendered = renderGeneration(generation, new Date(now()));
      return { ...generationSummary(generation, rendered), snippetPath: rendered.relPath, reason: 'dry run: nothing written' };
    }
    return publishStage({ settings, db, bus, signal, devlog, now, lockLost: () => lock?.compromised ?? null }, generation);
  }
}
