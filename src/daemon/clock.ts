/**
 * Time as the daemon sees it: `now()` and an abortable `sleep()`. The system clock for real
 * runs; `VirtualClock` for tests that live through a week of schedule in seconds.
 */
import { abortableSleep } from '../core/sleep.ts';

export interface Clock {
  /** ms since epoch */
  now(): number;
  /** Resolve after `ms` (or at once when `signal` aborts; never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => abortableSleep(ms, signal),
};

/**
 * Longest single sleep: a long wait is cut into pieces so that a wall-clock jump (the machine
 * slept, NTP stepped) is noticed within a minute.
 */
export const MAX_SLEEP_CHUNK_MS = 60_000;

/**
 * Sleep until wall time `at` (ms). Returns `'due'`, or `'aborted'` when `signal` fired first.
 */
export async function sleepUntil(clock: Clock, at: number, signal?: AbortSignal): Promise<'due' | 'aborted'> {
  for (;;) {
    if (signal?.aborted) return 'aborted';
    const left = at - clock.now();
    if (left <= 0) return 'due';
    await clock.sleep(Math.min(left, MAX_SLEEP_CHUNK_MS), signal);
  }
}

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

/**
 * A discrete-event clock: time stands still while work is pending and jumps to the earliest
 * sleeper once the event loop has nothing else queued (checked with `setImmediate`). Sleepers
 * wake in time order; an aborted sleep resolves at once without moving time.
 * Only for code whose awaits are all on this clock or already-settled promises: real I/O
 * that takes wall time lets virtual time run ahead of it.
 */
export class VirtualClock implements Clock {
  private t: number;
  private seq = 0;
  private timers: Timer[] = [];
  private tickQueued = false;

  constructor(startMs: number) {
    this.t = startMs;
  }

  now(): number {
    return this.t;
  }

  /** Move time forward by hand (e.g. the machine was suspended). */
  advance(ms: number): void {
    this.t += ms;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer: Timer = { at: this.t + Math.max(0, ms), seq: this.seq++, resolve: () => undefined };
      const onAbort = (): void => {
        this.timers = this.timers.filter((x) => x !== timer);
        resolve();
      };
      timer.resolve = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
      this.queueTick();
    });
  }

  private queueTick(): void {
    if (this.tickQueued) return;
    this.tickQueued = true;
    // two macrotask hops so promise chains started by the last wake-up settle first
    setImmediate(() =>
      setImmediate(() => {
        this.tickQueued = false;
        if (this.timers.length === 0) return;
        this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const first = this.timers.shift() as Timer;
        this.t = Math.max(this.t, first.at);
        first.resolve();
        if (this.timers.length) this.queueTick();
      }),
    );
  }
}
