/**
 * Worker-thread side of a threaded dashboard (see `threaded.ts`): serves the dashboard on this
 * thread's own event loop with its own connection to the state database (WAL: reads never wait
 * for the daemon), fed with the daemon's events and coverage by messages from the main thread.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { Settings } from '../config/schema.ts';
import { EventBus, type CodewormEvent } from '../core/events.ts';
import { startDashboard, type DashboardHandle } from './server.ts';
import type { RepoCoverage } from './types.ts';

export interface ThreadData {
  settings: Settings;
  dbFile: string;
  host?: string;
  port?: number;
  insecure?: boolean;
  pollMs?: number;
  hasCoverage: boolean;
  /** The caller's clock minus the system clock at start, in ms (0: the system clock). */
  clockOffsetMs: number;
}

export type ToThread = { type: 'event'; ev: CodewormEvent } | { type: 'coverage'; data: RepoCoverage[] } | { type: 'close' };
export type FromThread = { type: 'ready'; url: string } | { type: 'failed'; message: string; exitCode?: number } | { type: 'closed' };

async function run(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('thread-entry.ts must run in a worker thread');
  const data = workerData as ThreadData;
  const bus = new EventBus();
  let coverage: RepoCoverage[] = [];
  let handle: DashboardHandle | null = null;
  const db = new Database(data.dbFile, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  port.on('message', (m: ToThread) => {
    if (m.type === 'event') bus.emit('event', m.ev);
    else if (m.type === 'coverage') coverage = m.data;
    else if (m.type === 'close') {
      void (async () => {
        await handle?.close().catch(() => undefined);
        db.close();
        port.postMessage({ type: 'closed' } satisfies FromThread);
        port.close();
      })();
    }
  });
  try {
    handle = await startDashboard({
      settings: data.settings,
      db,
      bus,
      host: data.host,
      port: data.port,
      insecure: data.insecure,
      pollMs: data.pollMs,
      coverage: data.hasCoverage ? () => coverage : undefined,
      thread: false,
      now: data.clockOffsetMs ? () => new Date(Date.now() + data.clockOffsetMs) : undefined,
    });
    port.postMessage({ type: 'ready', url: handle.url } satisfies FromThread);
  } catch (err) {
    const e = err as Error & { exitCode?: number };
    db.close();
    port.postMessage({ type: 'failed', message: e.message, exitCode: e.exitCode } satisfies FromThread);
    port.close();
  }
}

void run();
