/**
 * Token protection for an exposed dashboard (`dashboard.token`). A request is let in with
 * `Authorization: Bearer <token>` or with a session cookie the sign-in form sets (HttpOnly,
 * SameSite=Strict, `Secure` behind TLS). Sessions are random ids kept server-side, so signing
 * out revokes one and a restart with another token revokes all. Every credential attempt from
 * a client counts against `dashboard.login_max_failures` before it is checked, so concurrent
 * guesses cannot outrun the lockout (OWASP Authentication Cheat Sheet: "login throttling").
 * Comparisons are constant-time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export const SESSION_COOKIE = 'codeworm_session';
/** Largest login form accepted (bytes). */
export const MAX_LOGIN_BYTES = 4096;
/** A session lives this long after sign-in (ms), like the cookie. */
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
/** Sessions kept at most; the oldest is dropped beyond it (only the token holder makes them). */
export const MAX_SESSIONS = 10_000;

function sameSecret(a: string, b: string): boolean {
  // hash first so the comparison takes the same time whatever the lengths
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

/**
 * Server-side sessions: the cookie carries 32 random bytes (base64url); the store keeps only
 * their SHA-256, with an expiry. In memory: a restart (which a token change needs) ends all.
 */
export class SessionStore {
  private readonly sessions = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  private static key(id: string): string {
    return createHash('sha256').update(id).digest('base64url');
  }

  /** A new session id, valid for `SESSION_TTL_MS`. */
  create(): string {
    const id = randomBytes(32).toString('base64url');
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value as string);
    this.sessions.set(SessionStore.key(id), this.now() + SESSION_TTL_MS);
    return id;
  }

  /** True for a live session; an expired one is dropped. */
  valid(id: string | undefined): boolean {
    if (!id || id.length > 200) return false;
    const key = SessionStore.key(id);
    const expires = this.sessions.get(key);
    if (expires === undefined) return false;
    if (expires <= this.now()) {
      this.sessions.delete(key);
      return false;
    }
    return true;
  }

  /** End one session (sign-out). */
  revoke(id: string | undefined): void {
    if (id) this.sessions.delete(SessionStore.key(id));
  }

  /** End every session. */
  revokeAll(): void {
    this.sessions.clear();
  }

  get size(): number {
    return this.sessions.size;
  }
}

/** IPv4-mapped IPv6 as IPv4; IPv6 cut to its /64 (one subscriber's block), else as given. */
export function clientKeyOf(address: string): string {
  const a = address.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) return mapped[1];
  if (isIP(a) !== 6) return a;
  // expand :: to get the first four groups
  const [head, tail = ''] = a.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = a.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/**
 * The client a request comes from: the socket's peer address, or with `trustProxy` the
 * rightmost valid `X-Forwarded-For` entry (the one the nearest proxy appended; entries to its
 * left are whatever the client wrote).
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const xff = c.req.header('x-forwarded-for');
    const last = xff?.split(',').map((s) => s.trim()).reverse().find((s) => isIP(s) !== 0);
    if (last) return last;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // not served by @hono/node-server (app.request in a unit test)
  }
}

/**
 * True when the browser reached the dashboard over TLS: the request URL is https, or with
 * `trustProxy` the nearest proxy's `X-Forwarded-Proto` says https.
 */
export function isHttps(c: Context, trustProxy: boolean): boolean {
  if (trustProxy) {
    const xfp = c.req.header('x-forwarded-proto')?.split(',').pop()?.trim().toLowerCase();
    if (xfp) return xfp === 'https';
  }
  return new URL(c.req.url).protocol === 'https:';
}

export interface LoginVerdict {
  ok: boolean;
  /** Set when the client is locked out: seconds until it may try again. */
  retryAfterS?: number;
}

/**
 * Per-client sign-in throttle on rate-limiter-flexible's in-memory limiter: each attempt
 * consumes a point *before* the secret is compared (so N parallel guesses consume N points),
 * a success resets the client, and the attempt after `maxFailures` failed ones locks the
 * client out for `lockoutSeconds`. Failures are counted over a window of the same length.
 */
export class LoginThrottle {
  private readonly limiter: RateLimiterMemory;

  constructor(maxFailures: number, lockoutSeconds: number) {
    this.limiter = new RateLimiterMemory({
      keyPrefix: 'codeworm_login',
      points: maxFailures,
      duration: lockoutSeconds,
      blockDuration: lockoutSeconds,
    });
  }

  /**
   * Check one credential attempt from `client` with `check` (called only if the client is
   * not locked out). Resolves `{ok}`; a locked-out client gets `retryAfterS` instead.
   */
  async attempt(client: string, check: () => boolean): Promise<LoginVerdict> {
    try {
      await this.limiter.consume(client);
    } catch (res) {
      if (res instanceof RateLimiterRes) return { ok: false, retryAfterS: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
      throw res;
    }
    if (!check()) return { ok: false };
    await this.limiter.delete(client);
    return { ok: true };
  }
}

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const LOGIN_PAGE = (message: string | null) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>CodeWorm · sign in</title><link rel="stylesheet" href="/login.css"></head>
<body><form class="login" method="post" action="/login">
<h1>CodeWorm</h1><p>This dashboard is protected by a token (<code>dashboard.token</code>).</p>
${message ? `<p class="error" role="alert">${esc(message)}</p>` : ''}
<label for="token">Token</label><input id="token" name="token" type="password" autocomplete="current-password" autofocus required>
<button type="submit">Sign in</button></form></body></html>`;

const LOGIN_CSS = `body{margin:0;min-height:100vh;display:grid;place-items:center;background:#0d1117;color:#e6edf3;font:15px/1.5 system-ui,sans-serif}
.login{background:#161b22;border:1px solid #30363d;border-radius:12px;padding:28px;width:min(340px,90vw);display:grid;gap:10px}
h1{margin:0;font-size:22px;color:#7ee787}p{margin:0;color:#8b949e}.error{color:#ff7b72}
input{padding:9px 10px;border-radius:8px;border:1px solid #30363d;background:#0d1117;color:inherit;font:inherit}
button{padding:9px;border:0;border-radius:8px;background:#238636;color:#fff;font:inherit;font-weight:600;cursor:pointer}`;

function lockedMessage(s: number): string {
  const when = s >= 90 ? `${Math.ceil(s / 60)} minutes` : `${s} seconds`;
  return `Too many failed sign-ins from this address; try again in ${when}.`;
}

export interface TokenGuardOptions {
  token: string;
  /** `dashboard.trust_proxy`. */
  trustProxy: boolean;
  /** `dashboard.login_max_failures`. */
  maxFailures: number;
  /** `dashboard.login_lockout_seconds`. */
  lockoutSeconds: number;
  /** Clock for session expiry (ms since the epoch). */
  now?: () => number;
}

/** How a request was let in, for `GET /api/session`. */
export type AuthVia = 'session' | 'bearer' | null;

export interface TokenGuard {
  middleware: MiddlewareHandler;
  sessions: SessionStore;
  /** How this request was authorised (after the middleware ran). */
  via(c: Context): AuthVia;
}

/**
 * Middleware requiring the token on every route except the sign-in form and its style sheet.
 * Routes it answers itself: `GET/POST /login`, `POST /logout`. API and stream requests
 * without credentials get 401 JSON; a browser asking for a page is sent to `/login`; a
 * locked-out client gets 429 with `Retry-After`.
 */
export function tokenGuard(opts: TokenGuardOptions): TokenGuard {
  const sessions = new SessionStore(opts.now);
  const throttle = new LoginThrottle(opts.maxFailures, opts.lockoutSeconds);
  const how = new WeakMap<Context, AuthVia>();

  const middleware: MiddlewareHandler = async (c, next) => {
    const p = c.req.path;
    const client = clientKeyOf(clientAddress(c, opts.trustProxy));
    if (p === '/login.css') return c.body(LOGIN_CSS, 200, { 'content-type': 'text/css; charset=utf-8' });
    if (p === '/logout' && c.req.method === 'POST') {
      sessions.revoke(getCookie(c, SESSION_COOKIE));
      deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c, opts.trustProxy) });
      return c.redirect('/login', 303);
    }
    if (p === '/login') {
      if (c.req.method !== 'POST') return c.html(LOGIN_PAGE(null));
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const given = typeof form.token === 'string' ? form.token : '';
      const verdict = await throttle.attempt(client, () => sameSecret(given, opts.token));
      if (verdict.retryAfterS !== undefined) {
        c.header('retry-after', String(verdict.retryAfterS));
        return c.html(LOGIN_PAGE(lockedMessage(verdict.retryAfterS)), 429);
      }
      if (!verdict.ok) return c.html(LOGIN_PAGE('That token is not right.'), 401);
      sessions.revoke(getCookie(c, SESSION_COOKIE)); // a fresh id at every sign-in (no fixation)
      setCookie(c, SESSION_COOKIE, sessions.create(), {
        httpOnly: true,
        sameSite: 'Strict',
        path: '/',
        secure: isHttps(c, opts.trustProxy),
        maxAge: SESSION_TTL_MS / 1000,
      });
      return c.redirect('/', 303);
    }
    if (sessions.valid(getCookie(c, SESSION_COOKIE))) {
      how.set(c, 'session');
      return next();
    }
    const bearer = /^Bearer\s+(.+)$/i.exec((c.req.header('authorization') ?? '').trim());
    if (bearer) {
      const verdict = await throttle.attempt(client, () => sameSecret(bearer[1], opts.token));
      if (verdict.ok) {
        how.set(c, 'bearer');
        return next();
      }
      if (verdict.retryAfterS !== undefined) {
        c.header('retry-after', String(verdict.retryAfterS));
        return c.json({ error: `too many failed attempts from this address; retry in ${verdict.retryAfterS} s` }, 429);
      }
    }
    const wantsPage = c.req.method === 'GET' && !p.startsWith('/api/') && (c.req.header('accept') ?? '').includes('text/html');
    if (wantsPage) return c.redirect('/login', 303);
    c.header('www-authenticate', 'Bearer realm="codeworm"');
    return c.json({ error: 'unauthorized: this dashboard needs its token (Authorization: Bearer, or sign in at /login)' }, 401);
  };
  return { middleware, sessions, via: (c) => how.get(c) ?? null };
}
