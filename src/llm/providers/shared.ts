/**
 * Plumbing the HTTP providers share: a deadline combined with the caller's AbortSignal, an
 * abortable sleep, the retry loop (SPEC section 7: 3 attempts with growing delay) and the
 * translation of fetch/undici failures into `LlmError` kinds with a message that names the URL.
 */
import { LlmError, type LlmErrorKind } from '../types.ts';

/** Retry timing; tests inject small numbers. */
export interface RetryTuning {
  /** Total attempts per request (default 3). */
  attempts: number;
  /** Delay before attempt 2, 3, … in ms (growing; the last value repeats). */
  delaysMs: number[];
  /** Ollama out-of-memory recovery: wait after unloading the model, in ms. */
  oomWaitMs: number;
}

export const DEFAULT_RETRY: RetryTuning = { attempts: 3, delaysMs: [2_000, 5_000], oomWaitMs: 5_000 };

/** A non-2xx HTTP answer, thrown by our fetch wrapper before a client library sees it. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly url: string,
  ) {
    super(`HTTP ${status}`);
    this.name = 'HttpStatusError';
  }
}

/** One failed attempt: an LlmError plus whether trying again may help. */
export class AttemptFailure extends LlmError {
  constructor(
    kind: LlmErrorKind,
    message: string,
    url: string,
    readonly retryable: boolean,
  ) {
    super(kind, message, url);
  }
}

/**
 * A signal that fires when the caller aborts or when `timeoutMs` passes, whichever is first.
 * `timedOut()` tells the two apart afterwards.
 */
export function deadline(caller: AbortSignal | undefined, timeoutMs: number): { signal: AbortSignal; timedOut: () => boolean } {
  const timeout = AbortSignal.timeout(Math.max(1, Math.round(timeoutMs)));
  const signal = caller ? AbortSignal.any([caller, timeout]) : timeout;
  return { signal, timedOut: () => timeout.aborted && !caller?.aborted };
}

/**
 * Sleep `ms`, ending early with an `aborted` LlmError when `signal` fires.
 * @throws LlmError kind `aborted`
 */
export function sleep(ms: number, signal: AbortSignal | undefined, url: string): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortedError(url));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(url));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function abortedError(url: string): AttemptFailure {
  return new AttemptFailure('aborted', `request to ${url} was aborted`, url, false);
}

/** Short human text for a network-level failure (undici puts the errno in `cause`). */
export function describeNetworkError(err: unknown): string | null {
  const e = err as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string } };
  const raw = e?.cause?.code ?? e?.code;
  // DOMException carries a numeric `code`; only errno-style strings name a network failure
  const code = typeof raw === 'string' ? raw : undefined;
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'DNS lookup failed',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ETIMEDOUT: 'connection timed out',
    EPIPE: 'connection closed',
    UND_ERR_SOCKET: 'connection closed by the server',
    UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
    UND_ERR_CLOSED: 'connection closed',
  };
  if (code && known[code]) return known[code];
  if (code) return code;
  if (e?.name === 'TypeError' && /fetch failed/i.test(e.message ?? '')) return e.cause?.message ?? 'connection failed';
  return null;
}

/** First 200 characters of an error body, on one line, for messages. */
export function excerpt(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 200 ? `${one.slice(0, 197)}...` : one;
}

export function isAbortError(err: unknown): boolean {
  const name = (err as { name?: string })?.name;
  return name === 'AbortError' || name === 'TimeoutError' || name === 'APIUserAbortError';
}

/**
 * Run `attempt` up to `tuning.attempts` times. An `AttemptFailure` that is retryable is tried
 * again after the next delay (after `beforeRetry`, which may adjust the next attempt, e.g.
 * OOM recovery); anything else ends the loop. The caller's `signal` ends it at once.
 * @throws LlmError (the last failure; its message says how many attempts were made)
 */
export async function runWithRetries<T>(p: {
  tuning: RetryTuning;
  signal?: AbortSignal;
  url: string;
  attempt: (n: number) => Promise<T>;
  beforeRetry?: (failure: AttemptFailure, n: number) => Promise<void>;
}): Promise<T> {
  let last: AttemptFailure | null = null;
  let made = 0;
  const attempts = Math.max(1, p.tuning.attempts);
  for (let n = 1; n <= attempts; n++) {
    if (p.signal?.aborted) throw abortedError(p.url);
    made = n;
    try {
      return await p.attempt(n);
    } catch (err) {
      if (!(err instanceof AttemptFailure)) throw err;
      last = err;
      if (!err.retryable || err.kind === 'aborted' || n === attempts) break;
      if (p.beforeRetry) await p.beforeRetry(err, n);
      const delays = p.tuning.delaysMs;
      const delay = delays.length ? delays[Math.min(n - 1, delays.length - 1)] : 0;
      await sleep(delay, p.signal, p.url);
    }
  }
  const f = last as AttemptFailure;
  const tries = made > 1 && f.kind !== 'aborted' ? ` (after ${made} attempts)` : '';
  throw new LlmError(f.kind, `${f.message}${tries}`, f.url);
}

/** The slice of a pino logger providers use; optional everywhere. */
export interface ProviderLogger {
  warn(obj: object, msg: string): void;
}

/**
 * `fetch` with our signal forced on every request (the `ollama` client passes none for
 * non-streaming calls) and non-2xx answers turned into `HttpStatusError` with the body read.
 * @throws HttpStatusError, or whatever `fetch` throws (TypeError with an errno cause, AbortError)
 */
export async function guardedFetch(input: string | URL | Request, init: RequestInit | undefined, signal: AbortSignal): Promise<Response> {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const res = await fetch(input, { ...init, signal });
  if (!res.ok) {
    let body: string;
    try {
      body = await res.text();
    } catch {
      body = ''; // the status alone still says what happened
    }
    throw new HttpStatusError(res.status, body, url);
  }
  return res;
}
