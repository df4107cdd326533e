/**
 * Raw HTTP requests for the dashboard's security tests: the `Host` header, the path and the
 * client's source address are sent exactly as given (fetch would set or normalise them).
 */
import { request } from 'node:http';

export interface RawResponse {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Source address of the connection, e.g. `127.0.0.2` to be another client. */
  localAddress?: string;
}

export function raw(base: string, path: string, opts: RawRequest = {}): Promise<RawResponse> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path,
        method: opts.method ?? 'GET',
        headers: opts.headers ?? {},
        localAddress: opts.localAddress,
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** POST a urlencoded form, by default from the dashboard's own origin; a header given as '' is not sent. */
export function postForm(base: string, path: string, form: Record<string, string>, opts: RawRequest = {}): Promise<RawResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(base).origin, ...opts.headers };
  for (const [k, v] of Object.entries(headers)) if (v === '') delete headers[k];
  return raw(base, path, { ...opts, method: 'POST', headers, body: new URLSearchParams(form).toString() });
}

/** The `name=value` part of the first Set-Cookie header, or null. */
export function cookieOf(res: RawResponse): string | null {
  const sc = res.headers['set-cookie'];
  const first = Array.isArray(sc) ? sc[0] : sc;
  return first ? first.split(';')[0] : null;
}

/** The whole first Set-Cookie header, or ''. */
export function setCookieOf(res: RawResponse): string {
  const sc = res.headers['set-cookie'];
  return (Array.isArray(sc) ? sc[0] : sc) ?? '';
}
