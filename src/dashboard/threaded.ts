/**
 * Main-thread side of a threaded dashboard. The daemon's event loop is busy while it indexes
 * (stretches of tens to hundreds of milliseconds of synchronous work), and an HTTP server on
 * that loop answers no faster than the loop frees up. Serving from a worker thread gives the
 * dashboard its own loop: the main thread only forwards bus events and coverage snapshots by
 * message, and the worker reads the same SQLite file over its own WAL connection.
 */
import { Worker } from 'node:worker_threads';
import type { CodewormEvent } from '../core/events.ts';
import type { DashboardHandle, DashboardOptions } from './server.ts';
import { DashboardRefused } from './server.ts';
import type { FromThread, ThreadData, ToThread } from './thread-entry.ts';

const COVERAGE_EVERY_MS = 30_000;
const CLOSE_TIMEOUT_MS = 5000;

function entryUrl(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './thread-entry.ts' : './thread-entry.js', import.meta.url);
}

/** A `.ts` entry (tsx runs) needs tsx's loader registered inside the thread first. */
function startWorker(url: URL, data: ThreadData): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData: data });
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(boot, { eval: true, workerData: data });
}

/** Events are plain JSON by contract; anything else is sent as its JSON form. */
function cloneable(ev: CodewormEvent): CodewormEvent {
  try {
    structuredClone(ev.data);
    return { id: ev.id, ts: ev.ts, type: ev.type, data: ev.data };
  } catch {
    return { id: ev.id, ts: ev.ts, type: ev.type, data: JSON.parse(JSON.stringify(ev.data ?? {})) as Record<string, unknown> };
  }
}

/**
 * Start the dashboard on a worker thread over the database file `dbFile`.
 * @throws DashboardRefused when the worker cannot listen (port in use, host refused).
 */
export async function startThreadedDashboard(opts: DashboardOptions, dbFile: string): Promise<DashboardHandle> {
  const data: ThreadData = {
    settings: opts.settings,
    dbFile,
    host: opts.host,
    port: opts.port,
    insecure: opts.insecure,
    pollMs: opts.pollMs,
    hasCoverage: Boolean(opts.coverage),
    clockOffsetMs: opts.now ? opts.now().getTime() - Date.now() : 0,
  };
  const worker = startWorker(entryUrl(), data);
  const send = (m: ToThread) => worker.postMessage(m);

  const url = await new Promise<string>((resolve, reject) => {
    const onMessage = (m: FromThread) => {
      if (m.type === 'ready') resolve(m.url);
      else if (m.type === 'failed') reject(m.exitCode === 2 ? new DashboardRefused(m.message) : new Error(m.message));
      else return;
      worker.off('message', onMessage);
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`dashboard thread exited (code ${code}) before it listened`)));
  });
  worker.removeAllListeners('error');
  worker.removeAllListeners('exit');
  worker.on('error', (err) => process.stderr.write(`codeworm dashboard thread: ${err.message}\n`));

  const onEvent = (ev: CodewormEvent) => send({ type: 'event', ev: cloneable(ev) });
  opts.bus?.on('event', onEvent);

  let coverageTimer: NodeJS.Timeout | null = null;
  let coverageDue: NodeJS.Timeout | null = null;
  const onEventCoverage = () => {
    if (coverageDue) return;
    coverageDue = setTimeout(() => {
      coverageDue = null;
      pushCoverage();
    }, 1000);
    coverageDue.unref();
  };
  const pushCoverage = () => {
    if (!opts.coverage) return;
    try {
      send({ type: 'coverage', data: opts.coverage() });
    } catch (err) {
      process.stderr.write(`codeworm dashboard: coverage snapshot failed: ${(err as Error).message}\n`);
    }
  };
  if (opts.coverage) {
    pushCoverage();
    coverageTimer = setInterval(pushCoverage, COVERAGE_EVERY_MS);
    coverageTimer.unref();
    // coverage changes when pages are committed: refresh soon after events, at most once a second
    opts.bus?.on('event', onEventCoverage);
  }

  let closed = false;
  return {
    url,
    async close() {
      if (closed) return;
      closed = true;
      opts.bus?.off('event', onEvent);
      opts.bus?.off('event', onEventCoverage);
      if (coverageTimer) clearInterval(coverageTimer);
      if (coverageDue) clearTimeout(coverageDue);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
        worker.on('message', (m: FromThread) => {
          if (m.type === 'closed') {
            clearTimeout(timer);
            resolve();
          }
        });
        worker.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        send({ type: 'close' });
      });
      await worker.terminate();
    },
  };
}
