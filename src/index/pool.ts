/**
 * A small pool of parse workers (`worker_threads`), so tree-sitter parsing never runs on the main
 * event loop (the daemon serves its dashboard from the same process). One file in flight per
 * worker; a crashed or hung worker fails only its own file (`parse_failed`) and is replaced.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ParseRequest, ParseResponse } from './worker.ts';

export interface PoolOptions {
  /** Worker count; default min(cores, 4), at least 1. */
  size?: number;
  /** A file taking longer than this (ms) is failed and its worker replaced. Default 60 000. */
  taskTimeoutMs?: number;
  /**
   * How much lower than the process the parse threads run (Linux nice, per thread), so the main
   * event loop (the dashboard) is scheduled first on a busy machine. Default 0; the daemon's
   * `CodeIndex` uses 10.
   */
  nice?: number;
  /** An idle worker is stopped after this many ms (0 = never). Default 30 000. */
  idleTimeoutMs?: number;
  /**
   * A worker whose heap plus tree-sitter memory is above this many MB after a file is replaced
   * by a fresh one (0 = never, the default). The tree-sitter runtime's memory grows to fit the
   * largest tree seen and never shrinks; V8 keeps its heap reserved after a collection.
   */
  recycleAboveMb?: number;
  /**
   * Cap of each worker's V8 young generation in MB (`resourceLimits.maxYoungGenerationSizeMb`;
   * 0 = V8's default, 32 MB of semi-spaces on 64-bit). Little of a parse outlives the file, so
   * 8 MB costs no measurable CPU and keeps up to 24 MB of semi-space out of the process's RSS.
   */
  youngGenerationMb?: number;
  /** Worker script; default `worker.ts` beside this module under tsx, `worker.js` when compiled. */
  workerUrl?: URL;
}

/** Default worker count: min(cores, 4), at least 1. */
export function defaultPoolSize(): number {
  return Math.max(1, Math.min(availableParallelism(), 4));
}

/** The worker script next to this module, `.ts` under tsx and `.js` in `dist/`. */
export function defaultWorkerUrl(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);
}

/**
 * Start a worker on `url`. A `.ts` script (running under tsx) needs tsx's loader inside the
 * thread: Node 20 does not carry `--import tsx` hooks into workers, so a one-line bootstrap
 * registers tsx and then imports the script. Compiled `.js` workers start directly.
 */
function startWorker(url: URL, workerData: unknown, youngGenerationMb: number): Worker {
  const resourceLimits = youngGenerationMb > 0 ? { maxYoungGenerationSizeMb: youngGenerationMb } : undefined;
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData, resourceLimits });
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(boot, { eval: true, workerData, resourceLimits });
}

type Task = {
  req: Omit<ParseRequest, 'id'>;
  resolve: (res: ParseResponse) => void;
};

interface Slot {
  worker: Worker;
  task: (Task & { id: number }) | null;
  timer: NodeJS.Timeout | null;
  /** Stops an idle worker after `idleTimeoutMs`. */
  idle: NodeJS.Timeout | null;
  /** The worker script loaded (it posts `{ ready: true }`); dying before that is a startup failure. */
  ready: boolean;
}

/** Consecutive startup failures after which the pool gives up (a broken worker script). */
const MAX_STARTUP_FAILURES = 3;

/**
 * Parse files on worker threads. `parse()` never rejects for a bad file: it resolves
 * `{ ok: false, error }` when the parser throws, the worker crashes or times out. It rejects
 * only when the pool is closed or the worker script cannot start at all.
 */
export class ParsePool {
  readonly size: number;
  private readonly timeoutMs: number;
  private readonly url: URL;
  private readonly nice: number;
  private readonly idleTimeoutMs: number;
  private readonly recycleAboveMb: number;
  private readonly youngGenerationMb: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;
  private startupFailures = 0;
  private fatal: Error | null = null;
  /** Workers replaced after a crash or timeout since the pool started. */
  restarts = 0;
  /** Workers replaced because they grew past `recycleAboveMb`. */
  recycled = 0;
  /** Idle workers told to stop whose threads have not ended yet: they still hold their memory. */
  private stopping = 0;

  constructor(opts: PoolOptions = {}) {
    this.size = Math.max(1, Math.floor(opts.size ?? defaultPoolSize()));
    this.timeoutMs = opts.taskTimeoutMs ?? 60_000;
    this.url = opts.workerUrl ?? defaultWorkerUrl();
    this.nice = opts.nice ?? 0;
    this.idleTimeoutMs = opts.idleTimeoutMs ?? 30_000;
    this.recycleAboveMb = opts.recycleAboveMb ?? 0;
    this.youngGenerationMb = opts.youngGenerationMb ?? 0;
  }

  /** Parse one file on a worker. */
  parse(req: Omit<ParseRequest, 'id'>): Promise<ParseResponse> {
    if (this.closed) return Promise.reject(new Error('parse pool is closed'));
    if (this.fatal) return Promise.reject(this.fatal);
    return new Promise<ParseResponse>((resolve) => {
      this.queue.push({ req, resolve });
      this.pump();
    });
  }

  private spawn(): Slot {
    const worker = startWorker(this.url, { nice: this.nice }, this.youngGenerationMb);
    const slot: Slot = { worker, task: null, timer: null, idle: null, ready: false };
    worker.on('message', (res: ParseResponse | { ready: true }) => {
      if ('ready' in res) {
        slot.ready = true;
        this.startupFailures = 0;
        if (slot.task && !slot.timer) this.startTimer(slot);
        return;
      }
      const task = slot.task;
      if (!task || res.id !== task.id) return;
      this.clearTask(slot);
      if (this.recycleAboveMb > 0 && res.ok && (res.memoryMb ?? 0) > this.recycleAboveMb) this.retire(slot);
      else this.armIdle(slot);
      task.resolve(res);
      this.pump();
    });
    worker.on('error', (err) => this.onDeath(slot, `worker crashed: ${err.message}`));
    worker.on('exit', (code) => this.onDeath(slot, `worker exited with code ${code}`));
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  /**
   * An idle worker is stopped after `idleTimeoutMs`: a daemon parses in bursts (one cycle every
   * half hour or so) and a parked thread holds its V8 heap and a tree-sitter memory that never shrinks.
   */
  private armIdle(slot: Slot): void {
    if (this.idleTimeoutMs <= 0 || this.closed) return;
    if (slot.idle) clearTimeout(slot.idle);
    slot.idle = setTimeout(() => {
      slot.idle = null;
      if (slot.task || this.closed) return;
      const i = this.slots.indexOf(slot);
      if (i !== -1) this.slots.splice(i, 1);
      this.stopIdleWorker(slot);
    }, this.idleTimeoutMs);
    slot.idle.unref();
  }

  /** Stop a worker that grew too large; the next file starts a fresh one. */
  private retire(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i !== -1) this.slots.splice(i, 1);
    this.recycled++;
    this.stopIdleWorker(slot);
  }

  /**
   * End an idle worker's thread. Until it has ended it counts against `size`, so a replacement
   * never starts while the old thread still holds its memory (two at once made the peaks).
   */
  private stopIdleWorker(slot: Slot): void {
    this.stopping++;
    void slot.worker.terminate().finally(() => {
      this.stopping--;
      this.pump();
    });
  }

  private clearTask(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.task = null;
    slot.worker.unref();
  }

  private onDeath(slot: Slot, reason: string): void {
    const i = this.slots.indexOf(slot);
    if (i === -1) return; // already handled ('error' is followed by 'exit')
    this.slots.splice(i, 1);
    const task = slot.task;
    this.clearTask(slot);
    if (this.closed) return;
    if (!slot.ready) {
      // The script itself failed to load: not the file's fault, so its task goes back in line.
      if (task) this.queue.unshift(task);
      this.startupFailures++;
      if (this.startupFailures >= MAX_STARTUP_FAILURES) {
        this.fatal = new Error(`parse workers cannot start (${this.url.pathname}): ${reason}`);
        for (const t of this.queue.splice(0)) t.resolve({ id: 0, ok: false, error: this.fatal.message });
        return;
      }
      this.pump();
      return;
    }
    this.restarts++;
    if (task) task.resolve({ id: task.id, ok: false, error: `${task.req.path}: ${reason}` });
    this.pump();
  }

  private pump(): void {
    if (this.closed || this.fatal) return;
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.task === null);
      if (!slot) {
        if (this.slots.length + this.stopping >= this.size) return;
        slot = this.spawn();
      }
      const task = this.queue.shift()!;
      const id = this.nextId++;
      slot.task = { ...task, id };
      if (slot.idle) clearTimeout(slot.idle);
      slot.idle = null;
      slot.worker.ref();
      // The clock starts once the worker has loaded: a slow start is not the file's fault.
      if (slot.ready) this.startTimer(slot);
      slot.worker.postMessage({ ...task.req, id } satisfies ParseRequest);
    }
  }

  private startTimer(s: Slot): void {
    s.timer = setTimeout(() => {
      const t = s.task;
      if (!t) return;
      this.clearTask(s);
      const i = this.slots.indexOf(s);
      if (i !== -1) this.slots.splice(i, 1);
      this.restarts++;
      void s.worker.terminate();
      t.resolve({ id: t.id, ok: false, error: `${t.req.path}: parse timed out after ${this.timeoutMs} ms` });
      this.pump();
    }, this.timeoutMs);
    s.timer.unref();
  }

  /**
   * Stop every worker that has no file now (the next file starts a fresh one). The daemon calls
   * it when an index run ends: a parked worker holds ~100 MB (its V8 heap and a tree-sitter
   * memory that never shrinks) through the cycle that follows, the daemon's peak (issue 14).
   * @returns how many workers were stopped
   */
  stopIdle(): number {
    let stopped = 0;
    for (const s of [...this.slots]) {
      if (s.task) continue;
      if (s.idle) clearTimeout(s.idle);
      s.idle = null;
      this.slots.splice(this.slots.indexOf(s), 1);
      this.stopIdleWorker(s);
      stopped++;
    }
    return stopped;
  }

  /** Worker threads alive now (they start on demand and stop when idle). */
  get running(): number {
    return this.slots.length;
  }

  /** Why the pool stopped working (its worker script cannot start), or null. */
  get broken(): Error | null {
    return this.fatal;
  }

  /** Stop all workers; pending files resolve as failed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.queue.splice(0)) t.resolve({ id: 0, ok: false, error: 'parse pool closed' });
    const slots = this.slots.splice(0);
    for (const s of slots) {
      if (s.idle) clearTimeout(s.idle);
      const t = s.task;
      this.clearTask(s);
      if (t) t.resolve({ id: t.id, ok: false, error: 'parse pool closed' });
    }
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
