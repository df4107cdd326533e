/**
 * The live dashboard (SPEC section 13): a Hono app on @hono/node-server serving the JSON API,
 * the server-sent event stream and the web page. The daemon starts it in-process with its
 * `EventBus`; `codeworm dashboard` starts it alone over the same SQLite database and follows
 * the `events` table. Binds 127.0.0.1 unless told otherwise and refuses a non-loopback address
 * without a `dashboard.token` of at least 32 characters (the original bound 0.0.0.0 with no
 * protection; SPEC section 16). Every request must name an allowed host (`hosts.ts`: DNS
 * rebinding), state-changing ones must come from the dashboard's own origin, and live-event
 * streams are capped at `dashboard.max_event_streams`.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { MIN_DASHBOARD_TOKEN_CHARS, type Settings } from '../config/schema.ts';
import { DOC_TYPE_INFO } from '../core/doctypes.ts';
import type { EventBus } from '../core/events.ts';
import { VERSION } from '../core/version.ts';
import { openStateDb, type Db } from '../state/db.ts';
import { loadAssets, type Asset } from './assets.ts';
import { MAX_LOGIN_BYTES, tokenGuard, type TokenGuard } from './auth.ts';
import { PageNotServable, readDevlogPage } from './docfile.ts';
import { safePgUrl } from '../state/pg.ts';
import { HostPolicy } from './hosts.ts';
import { LiveFeed } from './live.ts';
import { DashboardQueries } from './queries.ts';
import { withInitialState } from './first-paint.ts';
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
  /** Allow a non-loopback host without a token (or with one shorter than 32 characters). */
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

/** Seconds a client refused for too many streams is asked to wait (`Retry-After`). */
const STREAMS_RETRY_AFTER_S = 30;

/** The fleet's figures for `/api/fleet`; PostgreSQL away is an answer (`error`), not a failure. */
async function fleetFigures(url: string): Promise<Record<string, unknown>> {
  const { fleetStats } = await import('../fleet/stats.ts');
  try {
    const s = await fleetStats(url);
    return s ? { enabled: true, ...s } : { enabled: true, empty: true };
  } catch (err) {
    return { enabled: true, error: `cannot read ${safePgUrl(url)}: ${(err as Error).message}` };
  }
}

function buildApp(opts: DashboardOptions, db: Db, assets: Map<string, Asset>, hosts: HostPolicy): AppParts {
  const { settings } = opts;
  const cfg = settings.dashboard;
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
  // before anything else is looked at: a request for another host name is a DNS-rebinding
  // page, whatever it asks (the security headers above still go on the refusal)
  app.use('*', async (c, next) => {
    if (hosts.allowsHost(c.req.header('host'))) return next();
    return c.json({ error: 'host not allowed: add the name this dashboard is reached by to dashboard.allowed_hosts' }, 403);
  });
  // state-changing requests (sign-in, sign-out) only from the dashboard's own pages
  app.use(
    '*',
    csrf({
      origin: (origin) => hosts.allowsOrigin(origin),
      secFetchSite: 'same-origin',
    }),
  );
  let guard: TokenGuard | null = null;
  if (cfg.token) {
    app.use('/login', bodyLimit({ maxSize: MAX_LOGIN_BYTES, onError: (c) => c.text('login form too large', 413) }));
    guard = tokenGuard({
      token: cfg.token,
      trustProxy: cfg.trust_proxy,
      maxFailures: cfg.login_max_failures,
      lockoutSeconds: cfg.login_lockout_seconds,
      now: opts.now ? () => opts.now!().getTime() : undefined,
    });
    app.use('*', guard.middleware);
  }

  app.onError((err, c) => {
    if (err instanceof BadRequest) return c.json({ error: err.message }, 400);
    if (err instanceof HTTPException) {
      const why = err.status === 403 ? 'cross-origin request refused' : err.message || 'refused';
      return c.json({ error: why }, err.status);
    }
    process.stderr.write(`codeworm dashboard: ${c.req.method} ${c.req.path} failed: ${err.message}\n`);
    return c.json({ error: 'internal error' }, 500);
  });

  app.get('/healthz', (c) => c.json({ ok: true, version: VERSION, uptime_s: Math.round(process.uptime()) }));

  app.get('/api/stats', async (c) => c.json(await queries.stats()));
  // fleet mode (storage.url): queue, workers and their hosts, throughput, failures; read at most
  // every 2 s whatever the number of open pages
  let fleet: { at: number; value: Promise<unknown> } | null = null;
  app.get('/api/fleet', async (c) => {
    if (!settings.storage.url) return c.json({ enabled: false });
    if (!fleet || Date.now() - fleet.at > 2000) fleet = { at: Date.now(), value: fleetFigures(settings.storage.url) };
    return c.json(await fleet.value);
  });
  // whether this dashboard asks for a token, and how this request got in (the page shows
  // "sign out" for a session)
  app.get('/api/session', (c) => c.json({ token_required: Boolean(guard), via: guard?.via(c) ?? null }));

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

  let openStreams = 0;
  app.get('/api/events', (c) => {
    // counted here, synchronously, so a burst of connections cannot overshoot the cap
    if (openStreams >= cfg.max_event_streams) {
      c.header('retry-after', String(STREAMS_RETRY_AFTER_S));
      return c.json({ error: `too many live streams open (dashboard.max_event_streams = ${cfg.max_event_streams}); retry later` }, 503);
    }
    openStreams += 1;
    return streamSSE(c, async (stream) => {
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
      let done = false;
      const cleanup = () => {
        if (done) return;
        done = true;
        clearInterval(keepalive);
        unsubscribe();
        statsSenders.delete(sendStats);
        streams.delete(stream);
        openStreams -= 1;
      };
      const ended = new Promise<void>((resolve) => {
        stream.onAbort(() => {
          cleanup();
          resolve();
        });
      });
      try {
        write('backlog', JSON.stringify(feed.backlog()));
        write('dashboard_stats', JSON.stringify(await queries.stats()));
        await ended;
      } finally {
        cleanup(); // also when the first stats fail: the stream ends and frees its place
      }
    });
  });

  app.get('/api/*', (c) => c.json({ error: `no such endpoint: ${c.req.path}` }, 404));

  const serveAsset = (c: Context, name: string) => {
    const a = assets.get(name);
    if (!a) return c.json({ error: 'not found' }, 404);
    return c.body(new Uint8Array(a.body), 200, { 'content-type': a.type, 'cache-control': 'no-cache' });
  };
  // the page comes with its numbers: the first paint shows the counters, not dashes
  app.get('/', async (c) => {
    const a = assets.get('/index.html');
    if (!a) return c.json({ error: 'not found' }, 404);
    const stats = await queries.stats().catch(() => null);
    const html = a.body.toString('utf8');
    return c.body(stats ? withInitialState(html, stats) : html, 200, { 'content-type': a.type, 'cache-control': 'no-cache' });
  });
  app.get('*', (c) => serveAsset(c, c.req.path));

  return { app, feed, streams, queries };
}

/**
 * Start the dashboard and resolve once it listens.
 * @returns its URL and `close()`, which stops the live feed, ends open streams, closes the
 *   server and (only if this call opened it) the database.
 * @throws DashboardRefused (exitCode 2) for a non-loopback host without a token of at least
 *   `MIN_DASHBOARD_TOKEN_CHARS` characters and without `insecure`, or when the port is taken
 *   or the address cannot be bound.
 * @throws Error when the page's files are missing (a broken install).
 */
export async function startDashboard(opts: DashboardOptions): Promise<DashboardHandle> {
  const { settings } = opts;
  const host = opts.host ?? settings.dashboard.host ?? '127.0.0.1';
  const port = opts.port ?? settings.dashboard.port;
  const token = settings.dashboard.token;
  if (!isLoopback(host) && !opts.insecure && token.length < MIN_DASHBOARD_TOKEN_CHARS) {
    const what = token ? `with a ${token.length}-character token` : 'without a token';
    throw new DashboardRefused(
      `refusing to serve the dashboard on ${host} ${what}: set dashboard.token in config.yaml ` +
        `(or CODEWORM_DASHBOARD__TOKEN) to at least ${MIN_DASHBOARD_TOKEN_CHARS} random characters ` +
        `(codeworm init --dashboard-token writes one), bind 127.0.0.1, or pass --insecure if the network is trusted`,
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
  let listeningPort = port;
  let hosts: HostPolicy;
  try {
    hosts = new HostPolicy({ allowedHosts: settings.dashboard.allowed_hosts, boundHost: host, port: () => listeningPort });
  } catch (err) {
    if (ownDb) db.close();
    throw new DashboardRefused((err as Error).message);
  }
  const { app, feed, streams, queries } = buildApp(opts, db, assets, hosts);
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
  listeningPort = addr.port;
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
