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

/** Options every HTTP provider takes. */
export interface HttpProviderOptions {
  /** Base URL; a trailing slash is dropped. */
  baseUrl: string;
  model: string;
  /** Per-request deadline in ms; the request is aborted and retried when it passes. */
  timeoutMs: number;
  /** Deadline of `health()` probes in ms (default min(timeoutMs, 5000)). */
  healthTimeoutMs?: number;
  retry?: Partial<RetryTuning>;
  logger?: ProviderLogger;
}

/**
 * What the HTTP providers share: their settings, one request under the per-request deadline
 * with its failure classified, and the failure kinds both classify alike (SPEC section 7).
 * A subclass names itself in messages (`label`) and classifies its client's errors.
 */
export abstract class HttpProvider<O extends HttpProviderOptions> {
  readonly model: string;
  readonly baseUrl: string;
  protected readonly opts: O;
  protected readonly tuning: RetryTuning;

  constructor(opts: O) {
    this.opts = opts;
    this.model = opts.model;
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.tuning = { ...DEFAULT_RETRY, ...opts.retry };
  }

  /** Deadline of `health()` probes in ms: `healthTimeoutMs`, else min(timeoutMs, 5000). */
  protected healthTimeoutMs(): number {
    return this.opts.healthTimeoutMs ?? Math.min(this.opts.timeoutMs, 5_000);
  }

  /** How messages name the server at `url` (`Ollama at <url>`, or the URL alone). */
  protected abstract label(url: string): string;

  /** Any failure of one request to `url` as an `AttemptFailure` (kind, message, retryable). */
  protected abstract classify(err: unknown, url: string, caller: AbortSignal | undefined, timedOut: boolean, timeoutMs: number): AttemptFailure;

  /**
   * Run `call` with a signal that fires on the caller's abort or after `opts.timeoutMs`.
   * @throws AttemptFailure (what `classify` makes of the failure)
   */
  protected async withDeadline<R>(caller: AbortSignal | undefined, url: string, call: (signal: AbortSignal) => Promise<R>): Promise<R> {
    const { signal, timedOut } = deadline(caller, this.opts.timeoutMs);
    try {
      return await call(signal);
    } catch (err) {
      throw this.classify(err, url, caller, timedOut(), this.opts.timeoutMs);
    }
  }

  /**
   * The failures classified before the error's type is looked at: an `AttemptFailure` as is,
   * the caller's abort (`aborted`), the deadline passing or, without a caller signal, an abort
   * raised by the client (`clientAbort`) as a retryable `timeout`. Null otherwise.
   */
  protected earlyFailure(err: unknown, url: string, caller: AbortSignal | undefined, timedOut: boolean, timeoutMs: number, clientAbort: boolean): AttemptFailure | null {
    if (err instanceof AttemptFailure) return err;
    if (caller?.aborted) return abortedError(url);
    if (timedOut || (clientAbort && !caller)) {
      return new AttemptFailure('timeout', `${this.label(url)} did not answer within ${Math.round(timeoutMs / 100) / 10} s`, url, true);
    }
    return null;
  }

  /** A retryable `out_of_memory` when an error body says so (`out of memory`, CUDA), else null. */
  protected outOfMemory(url: string, text: string): AttemptFailure | null {
    if (!/out of memory|cuda/i.test(text)) return null;
    return new AttemptFailure('out_of_memory', `${this.label(url)} ran out of memory: ${excerpt(text)}`, url, true);
  }

  /** Any other HTTP status as kind `http`; 5xx and 429 are retryable. */
  protected httpFailure(url: string, status: number, text: string): AttemptFailure {
    return new AttemptFailure('http', `${this.label(url)} answered HTTP ${status}${text ? `: ${excerpt(text)}` : ''}`, url, status >= 500 || status === 429);
  }

  /**
   * The failures classified last: invalid JSON (`bad_response`), a network error (`unreachable`,
   * retryable, message from `unreachable(description)`), anything else `bad_response`.
   */
  protected lateFailure(err: unknown, url: string, unreachable: (net: string) => string): AttemptFailure {
    if (err instanceof SyntaxError) {
      return new AttemptFailure('bad_response', `${this.label(url)} sent a reply that is not valid JSON`, url, false);
    }
    const net = describeNetworkError(err);
    if (net) return new AttemptFailure('unreachable', unreachable(net), url, true);
    return new AttemptFailure('bad_response', `${this.label(url)} failed unexpectedly: ${excerpt(String((err as Error)?.message ?? err))}`, url, false);
  }
}
