/**
 * The dashboard's live feed: every daemon event (logs, cycle phases, stats) reaches subscribed
 * browsers. In the daemon's process the feed listens to its `EventBus`; a standalone
 * `codeworm dashboard` follows the `events` table instead, reading rows with `id > last` every
 * ~250 ms (the daemon's EventStore writes every event there; the database is in WAL mode, so
 * reading never blocks it).
 */
import type { CodewormEvent, EventBus } from '../core/events.ts';
import type { Db } from '../state/db.ts';
import { EventStore } from '../state/events.ts';

export type LiveListener = (ev: CodewormEvent) => void;

export interface LiveFeedOptions {
  db: Db;
  bus?: EventBus;
  /** Polling period for the `events` table when there is no bus (ms). */
  pollMs?: number;
  /** Events kept for clients that connect later (the live log's backlog). */
  backlog?: number;
}

const MAX_ROWS_PER_POLL = 500;

/** Fans daemon events out to subscribers (SSE streams), with a backlog for late joiners. */
export class LiveFeed {
  private readonly listeners = new Set<LiveListener>();
  private readonly recent: CodewormEvent[] = [];
  private readonly backlogSize: number;
  private timer: NodeJS.Timeout | null = null;
  private lastId = 0;
  private readonly onBus = (ev: CodewormEvent) => this.dispatch(ev);

  constructor(private readonly opts: LiveFeedOptions) {
    this.backlogSize = opts.backlog ?? 200;
  }

  /** Start following: load the backlog from the table, then listen to the bus or poll. */
  start(): void {
    const store = new EventStore(this.opts.db);
    const backlog = store.latest(this.backlogSize);
    for (const ev of backlog) this.remember(ev);
    this.lastId = backlog.length ? backlog[backlog.length - 1].id : store.lastId();
    if (this.opts.bus) {
      this.opts.bus.on('event', this.onBus);
      return;
    }
    this.timer = setInterval(() => {
      try {
        for (const ev of store.since(this.lastId, MAX_ROWS_PER_POLL)) {
          this.lastId = ev.id;
          this.dispatch(ev);
        }
      } catch (err) {
        // a busy or briefly locked database: try again on the next tick
        this.dispatch({
          id: 0,
          ts: new Date().toISOString(),
          type: 'log',
          data: { level: 'warn', msg: `dashboard: reading events failed: ${(err as Error).message}` },
        });
      }
    }, this.opts.pollMs ?? 250);
    this.timer.unref();
  }

  /** Stop listening or polling and drop every subscriber. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.opts.bus?.off('event', this.onBus);
    this.listeners.clear();
  }

  /** Events seen so far (oldest first), at most the backlog size. */
  backlog(): CodewormEvent[] {
    return [...this.recent];
  }

  /** Subscribe; returns the unsubscribe function. */
  subscribe(fn: LiveListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  private remember(ev: CodewormEvent): void {
    this.recent.push(ev);
    if (this.recent.length > this.backlogSize) this.recent.shift();
  }

  private dispatch(ev: CodewormEvent): void {
    this.remember(ev);
    for (const fn of this.listeners) {
      try {
        fn(ev);
      } catch {
        this.listeners.delete(fn); // a broken subscriber (closed stream) must not stop the others
      }
    }
  }
}
