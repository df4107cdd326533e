/**
 * The live dashboard (SPEC section 13): a Hono app on @hono/node-server serving the JSON API,
 * the server-sent event stream and the web page. The daemon starts it in-process with its
 * `EventBus`; `codeworm dashboard` starts it alone over the same SQLite database and follows
 * the `events` table. Binds 127.0.0.1 unless told otherwise and refuses a non-loopback address
 * without `dashboard.token` (the original bound 0.0.0.0 with no protection; SPEC section 15).
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import type { Settings } from '../config/schema.ts';
import { DOC_TYPE_INFO } from '../core/doctypes.ts';
import type { EventBus } from '../core/events.ts';
import { VERSION } from '../core/version.ts';
import { openStateDb, type Db } from '../state/db.ts';
import { loadAssets, type Asset } from './assets.ts';
import { MAX_LOGIN_BYTES, requireToken } from './auth.ts';
import { PageNotServable, readDevlogPage } from './docfile.ts';
import { LiveFeed } from './live.ts';
import { DashboardQueries } from './queries.ts';
import { renderPage } from './render.ts';
import { startThreadedDashboard } from './threaded.ts';
import type { DocResponse, RepoCoverage } from './types.ts';

export interface DashboardOptions {
  settings: Settings;
  /** An open state database (the daemon's); opened from `settings.data_dir` when absent. */
  db?: Db;
  /** The daemon's event bus; without it the `events` table is polled. */
  bus?: EventBus;
  /** Defaults to `settings.dashboard.host` (127.0.0.1). */
  host?: string;
  /** Defaults to `settings.dashboard.port` (8420); 0 picks a free port. */
  port?: number;
  /** Allow a non-loopback host without a token. */
  insecure?: boolean;
  /** Per-repository candidate counts from the daemon's warm index. */
  coverage?: () => RepoCoverage[];
  /** Polling period of the `events` table in ms (no bus). */
  pollMs?: number;
  /**
   * Serve from a worker thread with its own event loop and database connection, so the
   * daemon's synchronous work (indexing) does not delay answers. Default: true when a `bus`
   * is given (the daemon's case), false otherwise. An in-memory database is always served
   * in-process.
   */
  thread?: boolean;
  /**
   * The clock that decides "today" and the last 7/30 days (default: the system clock). A
   * threaded dashboard runs it as the system clock shifted by this clock's offset at start,
   * since a function cannot cross to the worker thread.
   */
  now?: () => Date;
}

export interface DashboardHandle {
  /** Base URL, e.g. `http://127.0.0.1:8420/`. */
  url: string;
  close(): Promise<void>;
}

/** The dashboard was asked to start in a way that is not allowed; exit code 2 in the CLI. */
export class DashboardRefused extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'DashboardRefused';
  }
}

/** `127.0.0.1`, `127.x.y.z`, `::1`, `localhost`. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

class BadRequest extends Error {}

function intParam(c: Context, name: string, def: number, min: number, max: number): number {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return def;
  if (!/^\d+$/.test(raw)) throw new BadRequest(`query parameter "${name}" must be a whole number; found "${raw.slice(0, 40)}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new BadRequest(`query parameter "${name}" must be between ${min} and ${max}; found ${n}`);
  return n;
}

/** Page ids are the original's uuid4 strings; anything else is refused before any lookup. */
const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

interface AppParts {
  app: Hono;
  feed: LiveFeed;
  streams: Set<SSEStreamingApi>;
  queries: DashboardQueries;
}

function buildApp(opts: DashboardOptions, db: Db, assets: Map<string, Asset>): AppParts {
  const { settings } = opts;
  const queries = new DashboardQueries(db, opts.now);
  const feed = new LiveFeed({ db, bus: opts.bus, pollMs: opts.pollMs });
  const streams = new Set<SSEStreamingApi>();
  const statsSenders = new Set<(json: string) => void>();
  let statsTimer: NodeJS.Timeout | null = null;

  // Every event may change the numbers: drop the cache, and push fresh stats once per burst.
  feed.subscribe(() => {
    queries.invalidate();
    if (statsSenders.size === 0 || statsTimer) return;
    statsTimer = setTimeout(() => {
      statsTimer = null;
      queries
        .stats()
        .then((s) => {
          const json = JSON.stringify(s);
          for (const send of statsSenders) send(json);
        })
        .catch((err: unknown) => process.stderr.write(`codeworm dashboard: stats failed: ${(err as Error).message}\n`));
    }, 200);
    statsTimer.unref();
  });

  const app = new Hono();
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: 'no-referrer',
    }),
  );
  if (settings.dashboard.token) {
    app.use('/login', bodyLimit({ maxSize: MAX_LOGIN_BYTES, onError: (c) => c.text('login form too large', 413) }));
    app.use('*', requireToken(settings.dashboard.token));
  }

  app.onError((err, c) => {
    if (err instanceof BadRequest) return c.json({ error: err.message }, 400);
    process.stderr.write(`codeworm dashboard: ${c.req.method} ${c.req.path} failed: ${err.message}\n`);
    return c.json({ error: 'internal error' }, 500);
  });

  app.get('/healthz', (c) => c.json({ ok: true, version: VERSION, uptime_s: Math.round(process.uptime()) }));

  app.get('/api/stats', async (c) => c.json(await queries.stats()));

  app.get('/api/recent', async (c) => {
    const limit = intParam(c, 'limit', 20, 1, 200);
    const offset = intParam(c, 'offset', 0, 0, 10_000_000);
    const repo = c.req.query('repo') || undefined;
    const docType = c.req.query('doc_type') || undefined;
    return c.json(await queries.recent({ limit, offset, repo, docType }));
  });

  app.get('/api/docs/:id', async (c) => {
    const id = c.req.param('id');
    if (!ID_RE.test(id)) return c.json({ error: 'malformed page id' }, 400);
    const item = queries.byId(id);
    if (!item) return c.json({ error: `no page with id ${id}` }, 404);
    let markdown: string;
    try {
      markdown = await readDevlogPage(settings.devlog.repo_path, item.snippet_path);
    } catch (err) {
      if (err instanceof PageNotServable || (err as NodeJS.ErrnoException).code) {
        return c.json({ error: `page ${id} is not available` }, 404);
      }
      throw err;
    }
    const body: DocResponse = { ...item, html: renderPage(markdown) };
    return c.json(body);
  });

  app.get('/api/activity', async (c) => c.json(await queries.activity(intParam(c, 'days', 365, 1, 3660))));
  app.get('/api/languages', async (c) => c.json(await queries.languages()));
  app.get('/api/doc_types', async (c) => {
    const counts = (await queries.stats()).by_doc_type;
    return c.json(
      Object.entries(DOC_TYPE_INFO).map(([docType, info]) => ({ doc_type: docType, label: info.label, count: counts[docType] ?? 0 })),
    );
  });
  app.get('/api/repos', async (c) => c.json(await queries.repos(settings.repositories, opts.coverage)));

  app.get('/api/events', (c) =>
    streamSSE(c, async (stream) => {
      streams.add(stream);
      // writes are chained so events reach the browser in the order they happened
      let chain: Promise<void> = Promise.resolve();
      const write = (event: string, data: string, id?: string) => {
        chain = chain.then(() => (stream.aborted ? undefined : stream.writeSSE({ event, data, id }))).catch(() => undefined);
      };
      const unsubscribe = feed.subscribe((ev) => write('codeworm', JSON.stringify(ev), ev.id ? String(ev.id) : undefined));
      const sendStats = (json: string) => write('dashboard_stats', json);
      statsSenders.add(sendStats);
      // a periodic ping keeps proxies from closing an idle stream
      const keepalive = setInterval(() => write('ping', String(Date.now())), 15_000);
      keepalive.unref();
      const ended = new Promise<void>((resolve) =>
        stream.onAbort(() => {
          clearInterval(keepalive);
          unsubscribe();
          statsSenders.delete(sendStats);
          streams.delete(stream);
          resolve();
        }),
      );
      write('backlog', JSON.stringify(feed.backlog()));
      write('dashboard_stats', JSON.stringify(await queries.stats()));
      await ended;
    }),
  );

  app.get('/api/*', (c) => c.json({ error: `no such endpoint: ${c.req.path}` }, 404));

  const serveAsset = (c: Context, name: string) => {
    const a = assets.get(name);
    if (!a) return c.json({ error: 'not found' }, 404);
    return c.body(new Uint8Array(a.body), 200, { 'content-type': a.type, 'cache-control': 'no-cache' });
  };
  app.get('/', (c) => serveAsset(c, '/index.html'));
  app.get('*', (c) => serveAsset(c, c.req.path));

  return { app, feed, streams, queries };
}

/**
 * Start the dashboard and resolve once it listens.
 * @returns its URL and `close()`, which stops the live feed, ends open streams, closes the
 *   server and (only if this call opened it) the database.
 * @throws DashboardRefused (exitCode 2) for a non-loopback host without a token and without
 *   `insecure`, or when the port is taken or the address cannot be bound.
 * @throws Error when the page's files are missing (a broken install).
 */
export async function startDashboard(opts: DashboardOptions): Promise<DashboardHandle> {
  const { settings } = opts;
  const host = opts.host ?? settings.dashboard.host ?? '127.0.0.1';
  const port = opts.port ?? settings.dashboard.port;
  if (!isLoopback(host) && !settings.dashboard.token && !opts.insecure) {
    throw new DashboardRefused(
      `refusing to serve the dashboard on ${host} without a token: set dashboard.token in config.yaml ` +
        `(or CODEWORM_DASHBOARD__TOKEN), bind 127.0.0.1, or pass --insecure if the network is trusted`,
    );
  }
  if (opts.thread ?? Boolean(opts.bus)) {
    let dbFile = opts.db && !opts.db.memory ? opts.db.name : null;
    if (!opts.db) {
      openStateDb(settings.data_dir).close(); // create and migrate before the thread reads it
      dbFile = path.join(settings.data_dir, 'codeworm.db');
    }
    if (dbFile) return startThreadedDashboard({ ...opts, host, port }, dbFile);
  }
  const assets = await loadAssets();
  const ownDb = !opts.db;
  const db = opts.db ?? openStateDb(settings.data_dir);
  const { app, feed, streams, queries } = buildApp(opts, db, assets);
  feed.start();
  // build the totals now so the first request does not pay for it
  void queries.aggregate.refresh().catch(() => undefined);

  let server: Server;
  try {
    server = await new Promise<Server>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, hostname: host, port }) as Server;
      s.once('listening', () => resolve(s));
      s.once('error', (err: NodeJS.ErrnoException) => {
        const why = err.code === 'EADDRINUSE' ? 'the port is in use' : err.code === 'EADDRNOTAVAIL' ? 'no such local address' : err.message;
        reject(new DashboardRefused(`cannot listen on ${host}:${port}: ${why}`));
      });
    });
  } catch (err) {
    feed.stop();
    if (ownDb) db.close();
    throw err;
  }
  const addr = server.address() as AddressInfo;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  let closed = false;
  return {
    url: `http://${shownHost}:${addr.port}/`,
    async close() {
      if (closed) return;
      closed = true;
      feed.stop();
      for (const s of streams) s.abort();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (ownDb) db.close();
    },
  };
}
