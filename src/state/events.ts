/**
 * The `events` table (migration 1): every event the daemon publishes, so a dashboard in
 * another process can tail them by id. Old events are pruned by age and count.
 */
import type { Db } from './db.ts';
import type { CodewormEvent, EventBus, EventType } from '../core/events.ts';

interface EventRow {
  id: number;
  ts: string;
  type: string;
  data: string;
}

function toEvent(r: EventRow): CodewormEvent {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(r.data) as Record<string, unknown>;
  } catch {
    data = { raw: r.data };
  }
  return { id: r.id, ts: r.ts, type: r.type as EventType, data };
}

export interface PruneOptions {
  /** Delete events older than this many days (default 7). */
  maxAgeDays?: number;
  /** Keep at most this many of the newest events (default 50 000). */
  maxRows?: number;
  /** ms since epoch (default Date.now()). */
  now?: number;
}

/** Appends to and reads from `events`. Synchronous better-sqlite3 calls: each is one small row. */
export class EventStore {
  private readonly insert;
  private readonly selectSince;

  constructor(private readonly db: Db) {
    this.insert = db.prepare('INSERT INTO events (ts, type, data) VALUES (?, ?, ?)');
    this.selectSince = db.prepare('SELECT id, ts, type, data FROM events WHERE id > ? ORDER BY id LIMIT ?');
  }

  /**
   * Store one event; returns it with its row id (the given object's `id` is set too, so bus
   * listeners that run after the store see it).
   * @throws SqliteError when the database cannot be written (callers on the event path catch it).
   */
  append(ev: Omit<CodewormEvent, 'id'> & { id?: number }): CodewormEvent {
    const info = this.insert.run(ev.ts, ev.type, JSON.stringify(ev.data ?? {}));
    ev.id = Number(info.lastInsertRowid);
    return ev as CodewormEvent;
  }

  /** Events with id > `afterId`, oldest first, at most `limit` (default 100). */
  since(afterId: number, limit = 100): CodewormEvent[] {
    return (this.selectSince.all(afterId, limit) as EventRow[]).map(toEvent);
  }

  /** The newest `limit` events (optionally of some types), oldest first. */
  latest(limit = 100, types?: EventType[]): CodewormEvent[] {
    const filter = types && types.length ? `WHERE type IN (${types.map(() => '?').join(', ')})` : '';
    const rows = this.db
      .prepare(`SELECT id, ts, type, data FROM events ${filter} ORDER BY id DESC LIMIT ?`)
      .all(...(types ?? []), limit) as EventRow[];
    return rows.reverse().map(toEvent);
  }

  /** Highest stored id (0 when empty): where a new tailer starts. */
  lastId(): number {
    const r = this.db.prepare('SELECT MAX(id) AS id FROM events').get() as { id: number | null };
    return r.id ?? 0;
  }

  /** Delete old events; returns how many rows went. */
  prune(opts: PruneOptions = {}): number {
    const maxAgeDays = opts.maxAgeDays ?? 7;
    const maxRows = opts.maxRows ?? 50_000;
    const cutoff = new Date((opts.now ?? Date.now()) - maxAgeDays * 86_400_000).toISOString();
    let removed = this.db.prepare('DELETE FROM events WHERE ts < ?').run(cutoff).changes;
    removed += this.db
      .prepare('DELETE FROM events WHERE id <= (SELECT id FROM events ORDER BY id DESC LIMIT 1 OFFSET ?)')
      .run(maxRows).changes;
    return removed;
  }

  /**
   * Persist every event published on `bus` from now on. A write failure is reported once
   * through `onError` and does not stop the bus. Returns a function that detaches.
   */
  attach(bus: EventBus, onError?: (err: Error) => void): () => void {
    let reported = false;
    const listener = (ev: CodewormEvent): void => {
      try {
        this.append(ev);
      } catch (err) {
        if (!reported) onError?.(err as Error);
        reported = true;
      }
    };
    // first in line, so later listeners (SSE) already see the row id
    bus.prependListener('event', listener);
    return () => bus.off('event', listener);
  }
}
