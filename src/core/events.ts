/**
 * Events a cycle publishes (SPEC section 11). They go to in-process listeners and into the
 * `events` table so a dashboard in another process can follow.
 */
import { EventEmitter } from 'node:events';
import { redactValueSync } from './redact.ts';

export type EventType =
  | 'daemon_started'
  | 'daemon_stopping'
  | 'cycle_starting'
  | 'analyzing'
  | 'generating'
  | 'documentation_committed'
  | 'cycle_skipped'
  | 'cycle_failed'
  | 'next_cycle'
  | 'stats'
  | 'log';

export interface CodewormEvent {
  /** Row id in `events` once stored; 0 before. */
  id: number;
  /** ISO-8601 UTC */
  ts: string;
  type: EventType;
  data: Record<string, unknown>;
}

/**
 * In-process event bus; `EventStore` (state/events.ts) persists what passes through it. Every
 * string in an event's data is redacted before any listener sees it: events reach the state
 * database and the dashboard's live view.
 */
export class EventBus extends EventEmitter<{ event: [CodewormEvent] }> {
  publish(type: EventType, data: Record<string, unknown> = {}): CodewormEvent {
    const ev: CodewormEvent = { id: 0, ts: new Date().toISOString(), type, data: redactValueSync(data) };
    this.emit('event', ev);
    return ev;
  }
}
