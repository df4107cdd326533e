/**
 * The 24/7 daemon (SPEC section 11): start-up (reconcile the state from the DevLog, prepare the
 * DevLog, wait for the LLM, prewarm), then the schedule's cycles with backoff, statistics,
 * events, alerts and a dead man's switch, until `stop()`. It never exits on an error.
 * Every effect is injected (settings loader, cycle, provider, clock, notifier, bus, database),
 * so tests run it with a fake cycle and a virtual clock.
 */
import type { Settings } from '../config/schema.ts';
import { EventBus, type CodewormEvent, type EventType } from '../core/events.ts';
import { silentLogger, type Logger } from '../core/logger.ts';
import type { LlmProvider } from '../llm/types.ts';
import type { Alert } from '../notify/types.ts';
import { Notifier } from '../notify/notifier.ts';
import { CycleStore, cycleStats, type CycleStats } from '../state/cycles.ts';
import { successRate } from '../state/metrics.ts';
import type { Db } from '../state/db.ts';
import { EventStore } from '../state/events.ts';
import { cycleBackoffMs, idleBackoffMs, llmWaitMs } from './backoff.ts';
import { sleepUntil, systemClock, type Clock } from './clock.ts';
import type { CycleDeps, CycleOptions, CycleResult } from './cycle.ts';
import { DeadMansSwitch, DMS_CHECK_INTERVAL_MS, DMS_THRESHOLD_MS } from './health.ts';
import { checkFeasible, defaultSeed, Scheduler } from './scheduler.ts';

export type CycleFn = (deps: CycleDeps, opts: CycleOptions) => Promise<CycleResult>;

export interface DaemonDeps {
  /** The configuration at start (already validated). */
  settings: Settings;
  /** Re-read the configuration (SIGHUP). Throws ConfigError on a broken config. */
  reloadSettings?: () => Promise<Settings>;
  db: Db;
  runCycle: CycleFn;
  createProvider: (settings: Settings) => LlmProvider;
  bus?: EventBus;
  /** A notifier, or a factory called at start and on reload (default `Notifier.fromSettings`). */
  notifier?: Notifier | ((settings: Settings, logger: Logger) => Notifier);
  logger?: Logger;
  clock?: Clock;
  /** Uniform [0, 1) for the cycle's choices (default Math.random). */
  random?: () => number;
  /** Heal the state from the DevLog once at start (pages without rows get rows). */
  reconcile?: (db: Db, devlogPath: string) => Promise<unknown>;
  /** Create the DevLog repository and its folders. */
  prepareDevlog?: (settings: Settings) => Promise<unknown>;
  /** Called after a successful reload (e.g. to point the warm index at new repositories). */
  onReload?: (settings: Settings) => Promise<void> | void;
  /** Warm code index handed to every cycle. */
  index?: CycleDeps['index'];
  /** The DevLog repository handed to every cycle (one instance serialises its git calls). */
  devlog?: CycleDeps['devlog'];
  /** `run --dry-run`: cycles write nothing; no cycle rows, no stored events, no reconcile. */
  dryRun?: boolean;
  /** Dry run: what a cycle would have written. */
  onDryRun?: (result: CycleResult) => void;
  /** Schedule seed (default `schedule.seed`, else stable per installation). */
  seed?: number | string;
  /** Override the wait rules (tests on a real clock). */
  waits?: { llmWaitMs?: (attempt: number) => number; cycleBackoffMs?: (failures: number) => number; idleBackoffMs?: (idleCycles: number) => number };
  deadMansSwitch?: { checkEveryMs?: number; thresholdMs?: number };
  /** How long a cycle waits for another writer of the DevLog / state database (ms, default 60 000). */
  lockWaitMs?: number;
  /** After a stop, how long an in-flight cycle gets to honour its abort signal (default 5 s, well inside the 10 s budget). */
  stopGraceMs?: number;
}

/** The daemon's view of its statistics: persisted cycle stats plus runtime counters. */
export interface DaemonStats extends CycleStats {
  consecutiveLlmFailures: number;
  consecutivePushFailures: number;
  cyclesWithoutCandidates: number;
  /** ISO-8601 of the next due cycle, or null. */
  nextCycleAt: string | null;
  startedAt: string;
  state: 'starting' | 'waiting_for_llm' | 'idle' | 'running' | 'stopping' | 'stopped';
}

/** Pace of `run --dry-run` in continuous mode (seconds between cycles, at least). */
export const DRY_RUN_MIN_INTERVAL_S = 30;

/** Failure reasons that mean git itself is stuck (lock, detached HEAD), not one bad page. */
const GIT_WEDGE = /index\.lock|unable to create .*\.lock|could not lock|detached head|wedged/i;

/**
 * Outcome events: the cycle publishes them itself (with `cycle_starting`, `analyzing`,
 * `generating`); the daemon publishes one only when the cycle did not.
 */
const OUTCOME_EVENT: Record<CycleResult['outcome'], EventType | null> = {
  success: 'documentation_committed',
  skipped: 'cycle_skipped',
  failed: 'cycle_failed',
  abandoned: null,
};

export class Daemon {
  readonly bus: EventBus;
  private settings: Settings;
  private provider: LlmProvider;
  private scheduler: Scheduler;
  private notifier: Notifier;
  private readonly deps: DaemonDeps;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly cycles: CycleStore;
  private readonly events: EventStore;
  private readonly dms: DeadMansSwitch;
  private readonly stopController = new AbortController();
  /** Aborted to wake the main loop early (reload changed the schedule). */
  private wake = new AbortController();
  private reloading: Promise<boolean> = Promise.resolve(true);
  private startedAt = 0;
  private state: DaemonStats['state'] = 'starting';
  private nextAt: number | null = null;
  // runtime counters (the persisted ones come from the cycles table)
  private consecutiveFailures = 0;
  private lastFailureEnd = 0;
  private llmFailures = 0;
  private llmAlerted = false;
  private pushFailures = 0;
  private noCandidates = 0;
  private idleSpell = false;
  /** Alerts raised and not yet cleared, by `kind|cause`: each cause alerts once per episode. */
  private readonly alerted = new Set<string>();
  private lastPrune = 0;
  private memory = { total: 0, successful: 0, failed: 0, skipped: 0, abandoned: 0, lastSuccess: null as string | null };

  constructor(deps: DaemonDeps) {
    this.deps = deps;
    this.settings = deps.settings;
    this.bus = deps.bus ?? new EventBus();
    this.logger = deps.logger ?? silentLogger();
    this.clock = deps.clock ?? systemClock;
    this.cycles = new CycleStore(deps.db);
    this.events = new EventStore(deps.db);
    this.provider = deps.createProvider(this.settings);
    this.notifier = this.makeNotifier(this.settings);
    this.scheduler = this.makeScheduler(this.settings);
    this.dms = new DeadMansSwitch(deps.deadMansSwitch?.thresholdMs ?? DMS_THRESHOLD_MS);
  }

  private makeNotifier(settings: Settings): Notifier {
    const n = this.deps.notifier;
    if (n instanceof Notifier) return n;
    if (typeof n === 'function') return n(settings, this.logger);
    return Notifier.fromSettings(settings, this.logger);
  }

  private makeScheduler(settings: Settings): Scheduler {
    let schedule = settings.schedule;
    if (this.deps.dryRun && schedule.mode === 'continuous' && schedule.interval_seconds < DRY_RUN_MIN_INTERVAL_S) {
      // nothing is recorded in a dry run, so back to back would print the same pages in a tight loop
      this.logger.info(`dry run: continuous mode paced to one cycle every ${DRY_RUN_MIN_INTERVAL_S} s`);
      schedule = { ...schedule, interval_seconds: DRY_RUN_MIN_INTERVAL_S };
    }
    return new Scheduler(schedule, { now: () => this.clock.now(), seed: this.deps.seed ?? defaultSeed(settings) });
  }

  /** The configuration in force (changes on a successful reload). */
  get currentSettings(): Settings {
    return this.settings;
  }

  /** Whether `stop()` was called. */
  get stopping(): boolean {
    return this.stopController.signal.aborted;
  }

  /** Statistics now: from the cycles table (in-memory under --dry-run) plus runtime counters. */
  stats(): DaemonStats {
    const base: CycleStats = this.deps.dryRun
      ? {
          ...this.memory,
          successRate: successRate(this.memory) ?? 0,
          consecutiveFailures: this.consecutiveFailures,
          lastFailure: null,
          lastFailureReason: null,
        }
      : cycleStats(this.deps.db);
    return {
      ...base,
      consecutiveLlmFailures: this.llmFailures,
      consecutivePushFailures: this.pushFailures,
      cyclesWithoutCandidates: this.noCandidates,
      nextCycleAt: this.nextAt === null ? null : new Date(this.nextAt).toISOString(),
      startedAt: new Date(this.startedAt || this.clock.now()).toISOString(),
      state: this.state,
    };
  }

  /** Stop taking work and abort the cycle in flight; `run()` resolves soon after. Idempotent. */
  stop(reason = 'stop requested'): void {
    if (this.stopping) return;
    this.state = 'stopping';
    this.logger.info({ reason }, 'daemon stopping');
    this.stopController.abort(new Error(reason));
  }

  /**
   * Re-read the configuration (SIGHUP). Repositories, weights and prompts apply from the next
   * cycle; a changed schedule is re-planned at once; a changed LLM section gets a new provider.
   * A broken configuration is logged and the old one kept.
   * @returns whether the new configuration is in force
   */
  reload(): Promise<boolean> {
    this.reloading = this.reloading.then(() => this.doReload());
    return this.reloading;
  }

  private async doReload(): Promise<boolean> {
    if (!this.deps.reloadSettings) {
      this.logger.warn('reload requested but this daemon has no configuration loader');
      return false;
    }
    let next: Settings;
    try {
      next = await this.deps.reloadSettings();
      const infeasible = checkFeasible(next.schedule);
      if (infeasible) throw new Error(infeasible);
      // where the state and the pages live is fixed for the process: the writer locks, the
      // open database and the reconciled state all belong to the old places
      const fixed: [string, string, string][] = [
        ['data_dir', this.settings.data_dir, next.data_dir],
        ['devlog.repo_path', this.settings.devlog.repo_path, next.devlog.repo_path],
      ];
      for (const [key, before, after] of fixed) {
        if (before !== after) throw new Error(`${key} changed from ${before} to ${after}; that takes a restart (codeworm run)`);
      }
    } catch (err) {
      this.logger.error({ err }, `configuration reload failed, keeping the previous configuration: ${(err as Error).message}`);
      return false;
    }
    const prev = this.settings;
    const changed = (k: keyof Settings): boolean => JSON.stringify(prev[k]) !== JSON.stringify(next[k]);
    const what = (['repositories', 'typeWeights', 'prompts', 'schedule', 'llm', 'ollama', 'telegram', 'webhook', 'analyzer', 'documentation'] as const).filter(changed);
    this.settings = next;
    if (changed('llm') || changed('ollama')) this.provider = this.deps.createProvider(next);
    if (changed('telegram') || changed('webhook')) {
      void this.notifier.close(2000);
      this.notifier = this.makeNotifier(next);
    }
    if (changed('schedule')) {
      this.scheduler = this.makeScheduler(next);
      this.wake.abort();
    }
    try {
      await this.deps.onReload?.(next);
    } catch (err) {
      this.logger.error({ err }, `applying the reloaded configuration failed: ${(err as Error).message}`);
    }
    this.logger.info(
      { changed: what, repositories: next.repositories.filter((r) => r.enabled).map((r) => r.name) },
      `configuration reloaded (${what.length ? `changed: ${what.join(', ')}` : 'no changes'})`,
    );
    return true;
  }

  private publish(type: EventType, data: Record<string, unknown> = {}): CodewormEvent {
    try {
      return this.bus.publish(type, data);
    } catch (err) {
      this.logger.warn({ err, type }, 'an event listener failed');
      return { id: 0, ts: new Date().toISOString(), type, data };
    }
  }

  private alert(alert: Alert): void {
    this.logger.warn({ alert: alert.kind }, `alert: ${alert.title}: ${alert.message}`);
    void this.notifier.notify(alert);
  }

  /**
   * Run until `stop()`. Resolves (never rejects) once the daemon has stopped: the in-flight
   * cycle finished or was abandoned, events flushed, notifications given up to 2 s.
   */
  async run(): Promise<void> {
    this.startedAt = this.clock.now();
    const detachStore = this.deps.dryRun
      ? () => undefined
      : this.events.attach(this.bus, (err) => this.logger.error({ err }, 'events cannot be stored; the dashboard in another process will not see them'));
    let dmsLoop: Promise<void> = Promise.resolve();
    try {
      this.publish('daemon_started', { pid: process.pid, mode: this.settings.schedule.mode, dry_run: Boolean(this.deps.dryRun) });
      this.logger.info(
        { mode: this.settings.schedule.mode, provider: this.provider.name, model: this.provider.model, dryRun: Boolean(this.deps.dryRun) },
        'daemon starting',
      );
      await this.startUp();
      if (!this.stopping && (await this.waitForLlm())) {
        await this.prewarm();
        dmsLoop = this.deadMansSwitchLoop();
        await this.mainLoop();
      }
    } catch (err) {
      // a bug, not an operational error: say so loudly, but leave through the normal exit path
      this.logger.error({ err }, `daemon loop crashed: ${(err as Error).message}`);
    } finally {
      this.stop('daemon finished');
      await dmsLoop;
      this.state = 'stopped';
      this.publish('daemon_stopping', { stats: this.stats() });
      await this.notifier.close(2000);
      detachStore();
      this.logger.info('daemon stopped');
    }
  }

  private async startUp(): Promise<void> {
    if (this.deps.dryRun) return;
    const dangling = this.cycles.closeDangling(new Date(this.clock.now()));
    if (dangling) this.logger.warn({ cycles: dangling }, `${dangling} cycle(s) of a previous run never finished; marked abandoned`);
    const stats = cycleStats(this.deps.db);
    this.consecutiveFailures = stats.consecutiveFailures;
    if (this.deps.prepareDevlog) {
      try {
        await this.deps.prepareDevlog(this.settings);
      } catch (err) {
        this.logger.error({ err }, `preparing the DevLog failed (cycles will retry): ${(err as Error).message}`);
      }
    }
    if (this.deps.reconcile) {
      try {
        const res = await this.deps.reconcile(this.deps.db, this.settings.devlog.repo_path);
        this.logger.info({ result: res }, 'state reconciled from the DevLog');
      } catch (err) {
        this.logger.error({ err }, `reconciling the state from the DevLog failed: ${(err as Error).message}`);
      }
    }
    this.pruneEvents();
  }

  /** Drop events older than 7 days / beyond 50 000 rows; at start, then at most hourly. */
  private pruneEvents(): void {
    const now = this.clock.now();
    if (this.deps.dryRun || now - this.lastPrune < 3_600_000) return;
    this.lastPrune = now;
    try {
      const removed = this.events.prune({ now });
      if (removed) this.logger.debug({ removed }, 'old events pruned');
    } catch (err) {
      this.logger.warn({ err }, 'pruning old events failed');
    }
  }

  /**
   * Health-check the LLM until it answers: waits 10 s doubling to 300 s between attempts (one
   * log line per attempt with the next retry time), alerts after `alert_after_failures`.
   * @returns false when stopped while waiting
   */
  private async waitForLlm(): Promise<boolean> {
    const waitFor = this.deps.waits?.llmWaitMs ?? llmWaitMs;
    let attempt = 0;
    while (!this.stopping) {
      const provider = this.provider;
      const health = await provider.health().catch((err: unknown) => ({ ok: false, url: '?', detail: (err as Error).message, modelPresent: null }));
      if (health.ok && health.modelPresent !== false) {
        if (this.llmFailures > 0) {
          this.logger.info({ after: this.llmFailures }, `LLM reachable again at ${health.url}`);
          if (this.llmAlerted) this.alert({ kind: 'llm_recovered', severity: 'info', title: 'LLM reachable again', message: `${health.url} answers after ${this.llmFailures} failed checks.` });
        }
        this.llmFailures = 0;
        this.llmAlerted = false;
        if (this.state === 'waiting_for_llm') this.state = 'idle';
        return true;
      }
      attempt++;
      this.llmFailures++;
      this.state = 'waiting_for_llm';
      const wait = waitFor(attempt);
      const retryAt = new Date(this.clock.now() + wait).toISOString();
      const why = health.ok ? `model ${provider.model} is not available (${health.detail})` : health.detail;
      this.logger.warn(
        { attempt, url: health.url, retryInS: wait / 1000, retryAt },
        `LLM not available at ${health.url}: ${why}; attempt ${attempt}, next try in ${Math.round(wait / 1000)} s at ${retryAt}`,
      );
      this.checkLlmAlert(health.url, why);
      await this.clock.sleep(wait, this.stopController.signal);
    }
    return false;
  }

  private checkLlmAlert(url: string, why: string): void {
    const n = this.settings.telegram.alert_after_failures;
    if (this.llmFailures >= n && !this.llmAlerted) {
      this.llmAlerted = true;
      this.alert({ kind: 'llm_unavailable', severity: 'critical', title: 'LLM unavailable', message: `${url} failed ${this.llmFailures} times in a row: ${why}` });
    }
  }

  private async prewarm(): Promise<void> {
    try {
      await this.provider.prewarm();
      this.logger.info({ provider: this.provider.name, model: this.provider.model }, 'LLM prewarmed');
    } catch (err) {
      this.logger.warn({ err }, `prewarming the LLM failed (the first cycle will load it): ${(err as Error).message}`);
    }
  }

  private async deadMansSwitchLoop(): Promise<void> {
    const every = this.deps.deadMansSwitch?.checkEveryMs ?? DMS_CHECK_INTERVAL_MS;
    while (!this.stopping) {
      await this.clock.sleep(every, this.stopController.signal);
      if (this.stopping) break;
      const now = this.clock.now();
      if (this.dms.check(now)) {
        const minutes = Math.round(this.dms.pendingMs(now) / 60_000);
        const stats = this.stats();
        this.alert({
          kind: 'dead_mans_switch',
          severity: 'critical',
          title: "Dead man's switch",
          message: `No cycle has done its work for ${minutes} minutes while one was due (state ${stats.state}, last success ${stats.lastSuccess ?? 'never'}).`,
        });
      }
    }
  }

  private async mainLoop(): Promise<void> {
    while (!this.stopping) {
      this.state = 'idle';
      const scheduler = this.scheduler;
      const next = scheduler.nextAt();
      this.nextAt = next;
      const wake = this.wake.signal;
      const signal = AbortSignal.any([this.stopController.signal, wake]);
      if (next === null) {
        this.logger.info('no cycle scheduled (schedule.enabled is false or no slot ahead); waiting for SIGHUP or stop');
        this.publish('next_cycle', { at: null, in_seconds: null, mode: scheduler.mode });
        await sleepUntil(this.clock, Number.MAX_SAFE_INTEGER, signal);
      } else {
        const inS = Math.max(0, Math.round((next - this.clock.now()) / 1000));
        this.publish('next_cycle', { at: new Date(next).toISOString(), in_seconds: inS, mode: scheduler.mode });
        if (inS > 0) this.logger.info({ at: new Date(next).toISOString(), inS, echoes: 'next_cycle' }, `next cycle at ${new Date(next).toISOString()} (in ${inS} s)`);
        await sleepUntil(this.clock, next, signal);
      }
      if (this.stopping) break;
      if (wake.aborted) {
        this.wake = new AbortController();
        continue; // schedule changed: plan again
      }
      const due = scheduler.takeDue(this.clock.now());
      if (due.skipped) this.logger.info({ skipped: due.skipped }, `${due.skipped} slot(s) missed while the machine slept, more than an hour ago: skipped`);
      if (due.coalesced) this.logger.info({ coalesced: due.coalesced + 1 }, `${due.coalesced + 1} missed slots coalesced into one cycle`);
      if (!due.run) continue;
      this.dms.due(due.slot ?? this.clock.now());

      const backoff = (this.deps.waits?.cycleBackoffMs ?? cycleBackoffMs)(this.consecutiveFailures);
      const resumeAt = this.lastFailureEnd + backoff;
      if (backoff > 0 && resumeAt > this.clock.now()) {
        this.logger.info(
          { failures: this.consecutiveFailures, backoffS: backoff / 1000 },
          `backing off ${Math.round((resumeAt - this.clock.now()) / 1000)} s after ${this.consecutiveFailures} consecutive failure(s)`,
        );
        await sleepUntil(this.clock, resumeAt, this.stopController.signal);
        if (this.stopping) break;
      }
      if (!(await this.waitForLlm())) break;
      const result = await this.runOne();
      scheduler.markRun(this.clock.now());
      if (scheduler.mode === 'continuous') await this.idleWait(result);
    }
  }

  /**
   * Continuous mode only: after a cycle that found nothing to document, wait 30 s doubling to
   * 30 min before looking again (said once per idle spell), instead of spinning; a reload or a
   * stop ends the wait early.
   */
  private async idleWait(result: CycleResult): Promise<void> {
    if (result.outcome !== 'skipped') {
      if (result.outcome === 'success' && this.noCandidates === 0 && this.idleSpell) {
        this.idleSpell = false;
        this.logger.info('work found again: continuous mode back to its interval');
      }
      return;
    }
    const wait = (this.deps.waits?.idleBackoffMs ?? idleBackoffMs)(this.noCandidates);
    const interval = this.settings.schedule.interval_seconds * 1000;
    if (wait <= interval) return;
    if (!this.idleSpell) {
      this.idleSpell = true;
      this.logger.info(
        { reason: result.reason },
        `nothing left to document: continuous mode slows down, looking again after ${Math.round(wait / 1000)} s, then less and less often (up to every 30 min) until there is work`,
      );
    }
    await sleepUntil(this.clock, this.clock.now() + wait, AbortSignal.any([this.stopController.signal, this.wake.signal]));
  }

  /** One cycle: record, run (abortable), account, publish, alert. Never throws. */
  private async runOne(): Promise<CycleResult> {
    this.state = 'running';
    const settings = this.settings;
    const started = this.clock.now();
    const id = this.deps.dryRun ? 0 : this.cycles.start(new Date(started));
    const seen = new Set<EventType>();
    const watch = (ev: CodewormEvent): void => void seen.add(ev.type);
    this.bus.on('event', watch);

    let result: CycleResult;
    try {
      result = await this.raceStop(
        this.deps.runCycle(
          {
            settings,
            db: this.deps.db,
            provider: this.provider,
            bus: this.bus,
            signal: this.stopController.signal,
            now: () => this.clock.now(),
            random: this.deps.random,
            index: this.deps.index,
            devlog: this.deps.devlog,
            lockWaitMs: this.deps.lockWaitMs,
            lockCommand: 'run',
          },
          { dryRun: this.deps.dryRun },
        ),
      );
    } catch (err) {
      result = { outcome: 'failed', reason: `cycle threw: ${(err as Error).message}` };
      this.logger.error({ err }, 'the cycle threw instead of returning a failure');
    } finally {
      this.bus.off('event', watch);
    }
    const ended = this.clock.now();
    if (!this.deps.dryRun) {
      try {
        this.cycles.finish(id, result, new Date(ended), ended - started);
      } catch (err) {
        this.logger.error({ err }, 'recording the cycle failed');
      }
    }
    this.account(result, ended);
    const evType = OUTCOME_EVENT[result.outcome];
    const summary = {
      cycle_id: id,
      outcome: result.outcome,
      reason: result.reason,
      doc_type: result.docType,
      repo: result.repo,
      target: result.target,
      path: result.snippetPath,
      commit: result.commit,
      push: result.push,
      duration_ms: ended - started,
    };
    if (evType && !seen.has(evType)) this.publish(evType, summary);
    const line = `cycle ${result.outcome}${result.target ? `: ${result.docType} ${result.repo}/${result.target}` : ''}${result.reason ? ` (${result.reason})` : ''}`;
    // the dashboard has the outcome's event already: then the line is for the log file only
    const logged = evType ? { ...summary, echoes: evType } : summary;
    if (result.outcome === 'failed') this.logger.warn(logged, line);
    else this.logger.info(logged, line);
    if (this.deps.dryRun && result.outcome === 'success') this.deps.onDryRun?.(result);
    this.raiseAlerts(result, settings);
    this.publish('stats', this.stats() as unknown as Record<string, unknown>);
    this.pruneEvents();
    return result;
  }

  /** The cycle's promise, or an `abandoned` result when it ignores the stop signal for too long. */
  private raceStop(cycle: Promise<CycleResult>): Promise<CycleResult> {
    const grace = this.deps.stopGraceMs ?? 5000;
    return new Promise<CycleResult>((resolve, reject) => {
      let timer: NodeJS.Timeout | null = null;
      const onStop = (): void => {
        timer = setTimeout(() => {
          this.logger.error(`the cycle did not stop within ${grace / 1000} s of the stop request; leaving it`);
          resolve({ outcome: 'abandoned', reason: 'shutdown: the cycle did not honour its abort signal in time' });
        }, grace);
      };
      const signal = this.stopController.signal;
      if (signal.aborted) onStop();
      else signal.addEventListener('abort', onStop, { once: true });
      cycle.then(
        (r) => {
          if (timer) clearTimeout(timer);
          signal.removeEventListener('abort', onStop);
          resolve(r);
        },
        (e: unknown) => {
          if (timer) clearTimeout(timer);
          signal.removeEventListener('abort', onStop);
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  }

  private account(r: CycleResult, ended: number): void {
    const m = this.memory;
    if (r.outcome === 'abandoned') {
      m.abandoned++;
      return;
    }
    m.total++;
    if (r.outcome === 'success') {
      m.successful++;
      m.lastSuccess = new Date(ended).toISOString();
      this.consecutiveFailures = 0;
      this.noCandidates = 0;
      this.dms.done();
    } else if (r.outcome === 'skipped') {
      m.skipped++;
      this.noCandidates++;
      this.dms.done();
    } else {
      m.failed++;
      this.consecutiveFailures++;
      this.lastFailureEnd = ended;
    }
    if (r.llmUnavailable) this.llmFailures++;
    else if (r.outcome === 'success') this.llmFailures = 0;
    if (r.push === 'pushed') this.pushFailures = 0;
    else if (r.push === 'failed') this.pushFailures++;
  }

  /** Raise `alert` unless the same cause already alerted in this episode. */
  private alertOnce(cause: string, alert: Alert): void {
    const key = `${alert.kind}|${cause}`;
    if (this.alerted.has(key)) return;
    this.alerted.add(key);
    this.alert(alert);
  }

  /** The condition behind these alert kinds is over: they may alert again next time. */
  private clearAlerts(...kinds: Alert['kind'][]): void {
    for (const key of [...this.alerted]) if (kinds.some((k) => key.startsWith(`${k}|`))) this.alerted.delete(key);
  }

  /**
   * Alerts, each cause once per episode (issue 11: an alert every few cycles for the same thing):
   * a success clears failures and the wedge, a cycle with work clears "no candidates", a push
   * that goes through clears push alerts.
   */
  private raiseAlerts(r: CycleResult, settings: Settings): void {
    const n = settings.telegram.alert_after_failures;
    if (r.outcome === 'success') this.clearAlerts('consecutive_failures', 'git_wedged', 'no_candidates');
    if (r.push === 'pushed') this.clearAlerts('push_rejected', 'push_failing');
    // the cause of a failure, without what changes from one cycle to the next (numbers, hashes)
    const cause = (r.reason ?? 'unknown').replace(/[0-9a-f]{7,40}|\d+/g, '#').slice(0, 200);
    if (r.outcome === 'failed' && this.consecutiveFailures >= n) {
      this.alertOnce(cause, {
        kind: 'consecutive_failures',
        severity: 'critical',
        title: `${this.consecutiveFailures} consecutive failed cycles`,
        message: `Last reason: ${r.reason ?? 'unknown'}`,
      });
    }
    if (r.llmUnavailable) this.checkLlmAlert(this.provider.name, r.reason ?? 'unreachable');
    if (r.outcome === 'skipped' && this.noCandidates >= n) {
      this.alertOnce('idle', {
        kind: 'no_candidates',
        severity: 'warning',
        title: `No candidates for ${this.noCandidates} cycles`,
        message: `Nothing left to document in the enabled repositories (${settings.repositories.filter((x) => x.enabled).map((x) => x.name).join(', ') || 'none'}): ${r.reason ?? 'no target'}`,
      });
    }
    if (settings.telegram.alert_on_push_failure) {
      if (r.push === 'rejected') {
        this.alertOnce(`${r.pushMessage ?? ''}`.replace(/[0-9a-f]{7,40}|\d+/g, '#').slice(0, 200), {
          kind: 'push_rejected',
          severity: 'critical',
          title: 'DevLog push rejected',
          message: `${r.pushMessage ?? 'the remote refused the push'} (commits are kept locally; not retried)`,
        });
      } else if (r.push === 'failed' && this.pushFailures >= 3) {
        this.alertOnce('failing', { kind: 'push_failing', severity: 'warning', title: `DevLog push failing (${this.pushFailures} cycles)`, message: r.pushMessage ?? 'the remote is unreachable' });
      }
    }
    if (settings.telegram.alert_on_git_wedge && r.outcome === 'failed' && !r.lockBusy && (r.gitWedged === true || GIT_WEDGE.test(`${r.reason ?? ''}`))) {
      this.alertOnce(cause, { kind: 'git_wedged', severity: 'critical', title: 'DevLog git repository wedged', message: r.reason ?? '' });
    }
  }
}
