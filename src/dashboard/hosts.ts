/**
 * Which `Host` and `Origin` values the dashboard answers. A web page can point a DNS name it
 * controls at 127.0.0.1 (DNS rebinding); the browser then treats the dashboard as that page's
 * own origin and lets its script read `/api/docs`, but the request still says
 * `Host: evil.example`. Refusing unknown host names closes that door, whether a token is set or
 * not (the fix the OWASP and Chromium notes on DNS rebinding recommend for local servers).
 *
 * Allowed: the loopback names `localhost`, `127.0.0.1` and `[::1]` (without a port or with the
 * listening port), the address the server is bound to (every local interface address when it
 * is bound to a wildcard; an IP literal cannot be rebound), and `dashboard.allowed_hosts`
 * entries (`name` matches any port, `name:port` only that port).
 */
import { networkInterfaces } from 'node:os';

/** A parsed `host[:port]`: `name` lower-case, IPv6 in brackets; `port` null when absent. */
export interface HostPort {
  name: string;
  port: number | null;
}

const HOST_RE = /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)\.?(?::(\d{1,5}))?$/;

/**
 * Parse a `Host` header or an `allowed_hosts` entry strictly: a DNS name, an IPv4 literal or a
 * bracketed IPv6 literal, and an optional port 1–65535. Anything else (user info, paths,
 * spaces, an empty value) gives null.
 */
export function parseHostPort(raw: string): HostPort | null {
  const m = HOST_RE.exec(raw.trim().toLowerCase());
  if (!m) return null;
  const port = m[2] === undefined ? null : Number(m[2]);
  if (port !== null && (port < 1 || port > 65535)) return null;
  return { name: m[1], port };
}

/** `::1` → `[::1]`; names and IPv4 unchanged; lower-case. */
function bracketed(address: string): string {
  const a = address.toLowerCase().replace(/^\[|\]$/g, '');
  return a.includes(':') ? `[${a}]` : a;
}

function isWildcard(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '');
  return a === '0.0.0.0' || a === '::' || a === '';
}

export interface HostPolicyOptions {
  /** `dashboard.allowed_hosts`. */
  allowedHosts: readonly string[];
  /** The address the server listens on (`dashboard.host` or `--host`). */
  boundHost: string;
  /** The port actually listened on (known after `listen`, hence a function). */
  port: () => number;
  /** Local interface addresses, for a wildcard bind; defaults to `os.networkInterfaces()`. */
  localAddresses?: readonly string[];
}

/** Decides whether a request's `Host` or `Origin` names this dashboard. */
export class HostPolicy {
  /** Names allowed with no port or the listening port. */
  private readonly own = new Set<string>(['localhost', '127.0.0.1', '[::1]']);
  /** Configured names: null port = any port. */
  private readonly configured: HostPort[] = [];

  constructor(private readonly opts: HostPolicyOptions) {
    if (isWildcard(opts.boundHost)) {
      const locals =
        opts.localAddresses ??
        Object.values(networkInterfaces())
          .flat()
          .map((i) => i?.address ?? '')
          .filter(Boolean);
      for (const a of locals) this.own.add(bracketed(a));
    } else {
      this.own.add(bracketed(opts.boundHost));
    }
    for (const entry of opts.allowedHosts) {
      const hp = parseHostPort(entry);
      if (!hp) throw new Error(`dashboard.allowed_hosts: "${entry}" is not a host name with an optional :port`);
      this.configured.push(hp);
    }
  }

  private allows(hp: HostPort, portRequired: boolean): boolean {
    const listening = this.opts.port();
    if (this.own.has(hp.name) && (hp.port === listening || (!portRequired && hp.port === null))) return true;
    return this.configured.some((c) => c.name === hp.name && (c.port === null || c.port === hp.port));
  }

  /** True when the `Host` header names this dashboard; a missing or malformed one is refused. */
  allowsHost(header: string | undefined): boolean {
    const hp = header ? parseHostPort(header) : null;
    return hp !== null && this.allows(hp, false);
  }

  /**
   * True when an `Origin` header (`scheme://host[:port]`, http or https) is this dashboard.
   * The port counts here (default 80/443 when absent): another web server on the same
   * machine is another origin. `null` and other schemes are refused.
   */
  allowsOrigin(origin: string | undefined): boolean {
    const m = origin ? /^(https?):\/\/([^/?#@\s]+)$/i.exec(origin.trim()) : null;
    if (!m) return false;
    const hp = parseHostPort(m[2]);
    if (!hp) return false;
    const port = hp.port ?? (m[1].toLowerCase() === 'https' ? 443 : 80);
    return this.allows({ name: hp.name, port }, true);
  }
}
