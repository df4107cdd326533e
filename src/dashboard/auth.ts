/**
 * Token protection for an exposed dashboard (`dashboard.token`). A request is let in with
 * `Authorization: Bearer <token>` or with the session cookie the login form sets (HttpOnly,
 * SameSite=Strict). The cookie holds an HMAC of the token, not the token itself. Comparisons
 * are constant-time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

export const SESSION_COOKIE = 'codeworm_session';
/** Largest login form accepted (bytes); see `loginBodyLimit`. */
export const MAX_LOGIN_BYTES = 4096;
const FAILED_LOGIN_DELAY_MS = 300;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The cookie value for `token`: HMAC-SHA256 keyed by the token over a fixed label, hex. */
export function sessionValue(token: string): string {
  return createHmac('sha256', token).update('codeworm-dashboard-session-v1').digest('hex');
}

/** True when the request carries the token (bearer header or session cookie). */
export function isAuthorized(c: Context, token: string): boolean {
  const header = c.req.header('authorization') ?? '';
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (m && sameSecret(m[1], token)) return true;
  const cookie = getCookie(c, SESSION_COOKIE);
  return cookie !== undefined && sameSecret(cookie, sessionValue(token));
}

const LOGIN_PAGE = (failed: boolean) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>CodeWorm · sign in</title><link rel="stylesheet" href="/login.css"></head>
<body><form class="login" method="post" action="/login">
<h1>CodeWorm</h1><p>This dashboard is protected by a token (<code>dashboard.token</code>).</p>
${failed ? '<p class="error" role="alert">That token is not right.</p>' : ''}
<label for="token">Token</label><input id="token" name="token" type="password" autocomplete="current-password" autofocus required>
<button type="submit">Sign in</button></form></body></html>`;

const LOGIN_CSS = `body{margin:0;min-height:100vh;display:grid;place-items:center;background:#0d1117;color:#e6edf3;font:15px/1.5 system-ui,sans-serif}
.login{background:#161b22;border:1px solid #30363d;border-radius:12px;padding:28px;width:min(340px,90vw);display:grid;gap:10px}
h1{margin:0;font-size:22px;color:#7ee787}p{margin:0;color:#8b949e}.error{color:#ff7b72}
input{padding:9px 10px;border-radius:8px;border:1px solid #30363d;background:#0d1117;color:inherit;font:inherit}
button{padding:9px;border:0;border-radius:8px;background:#238636;color:#fff;font:inherit;font-weight:600;cursor:pointer}`;

/**
 * Middleware requiring the token on every route except the login form itself. API and stream
 * requests get 401 JSON; a browser asking for a page is sent to `/login`.
 */
export function requireToken(token: string): MiddlewareHandler {
  return async (c, next) => {
    const p = c.req.path;
    if (p === '/login.css') return c.body(LOGIN_CSS, 200, { 'content-type': 'text/css; charset=utf-8' });
    if (p === '/login') {
      if (c.req.method === 'POST') {
        const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
        const given = typeof form.token === 'string' ? form.token : '';
        if (!sameSecret(given, token)) {
          // slow down guessing a little; a token should be long anyway
          await new Promise((resolve) => setTimeout(resolve, FAILED_LOGIN_DELAY_MS));
          return c.html(LOGIN_PAGE(true), 401);
        }
        setCookie(c, SESSION_COOKIE, sessionValue(token), {
          httpOnly: true,
          sameSite: 'Strict',
          path: '/',
          secure: new URL(c.req.url).protocol === 'https:',
          maxAge: 30 * 24 * 3600,
        });
        return c.redirect('/', 303);
      }
      return c.html(LOGIN_PAGE(false));
    }
    if (isAuthorized(c, token)) return next();
    const wantsPage = c.req.method === 'GET' && !p.startsWith('/api/') && (c.req.header('accept') ?? '').includes('text/html');
    if (wantsPage) return c.redirect('/login', 303);
    c.header('www-authenticate', 'Bearer realm="codeworm"');
    return c.json({ error: 'unauthorized: this dashboard needs its token (Authorization: Bearer, or sign in at /login)' }, 401);
  };
}
