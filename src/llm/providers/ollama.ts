/**
 * The Ollama provider (SPEC section 7), through the official `ollama` client. Every request
 * carries our own AbortSignal (caller's signal + a per-request deadline) by way of the client's
 * `fetch` option, so a hung server or a SIGTERM ends a call at once.
 *
 * Failure handling: timeouts, connection errors and HTTP 5xx are retried (3 attempts, growing
 * delay); out-of-memory answers unload the model (`keep_alive: 0`), wait, and retry with
 * `num_ctx <= 8192`; a model that is not pulled is `model_missing` naming `ollama pull <model>`.
 */
import type { GenerateResponse, Ollama } from 'ollama';
import type { Settings } from '../../config/schema.ts';
import type { GenerateRequest, GenerateResult, HealthStatus, LlmProvider } from '../types.ts';
import {
  AttemptFailure,
  HttpProvider,
  HttpStatusError,
  abortedError,
  deadline,
  excerpt,
  guardedFetch,
  isAbortError,
  runWithRetries,
  sleep,
  type HttpProviderOptions,
  type ProviderLogger,
  type RetryTuning,
} from './shared.ts';

/** The context size an out-of-memory retry uses at most (SPEC section 7). */
export const OOM_NUM_CTX = 8192;

export interface OllamaProviderOptions extends HttpProviderOptions {
  /** `http://host:port`, no trailing slash. */
  baseUrl: string;
  temperature: number;
  numCtx: number;
  numPredict: number;
  /** Seconds (number, -1 = forever) or a duration string like `5m`. */
  keepAlive: number | string;
}

/**
 * Base URL of the Ollama server from `ollama.host` and `ollama.port`: a bare host gets
 * `http://` and the port; a URL keeps its own port when it has one.
 * Example: host `localhost`, port 11434 → `http://localhost:11434`.
 */
export function ollamaBaseUrl(settings: Pick<Settings, 'ollama'>): string {
  const { host, port } = settings.ollama;
  const withScheme = host.includes('://') ? host : `http://${host}`;
  try {
    const u = new URL(withScheme);
    if (!u.port && !host.includes('://')) u.port = String(port);
    return u.href.replace(/\/+$/, '');
  } catch {
    return `http://${host}:${port}`; // malformed host: the request will fail and name this URL
  }
}

function sameModel(listed: string | undefined, wanted: string): boolean {
  if (!listed) return false;
  if (listed === wanted) return true;
  return !wanted.includes(':') && listed === `${wanted}:latest`;
}

/** Ollama's error bodies are `{"error": "..."}`; fall back to the raw text. */
function errorText(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed?.error === 'string') return parsed.error;
  } catch {
    return body; // not JSON: use the text as is
  }
  return body;
}

export class OllamaProvider extends HttpProvider<OllamaProviderOptions> implements LlmProvider {
  readonly name = 'ollama' as const;

  /** Build from settings (`ollama.*`); `tuning` overrides retry delays (tests use small ones). */
  static fromSettings(settings: Settings, tuning: { retry?: Partial<RetryTuning>; logger?: ProviderLogger } = {}): OllamaProvider {
    const o = settings.ollama;
    return new OllamaProvider({
      baseUrl: ollamaBaseUrl(settings),
      model: o.model,
      temperature: o.temperature,
      numCtx: o.num_ctx,
      numPredict: o.num_predict,
      keepAlive: o.keep_alive,
      timeoutMs: o.timeout_seconds * 1000,
      ...tuning,
    });
  }

  /** A client bound to `signal`; the `ollama` module is loaded on first use, not at start-up. */
  private async client(signal: AbortSignal): Promise<Ollama> {
    const { Ollama } = await import('ollama');
    return new Ollama({ host: this.baseUrl, fetch: (input, init) => guardedFetch(input, init, signal) });
  }

  /**
   * Reachability (`GET /` answering "Ollama is running") and model presence (`/api/tags`).
   * `ok` is true only when the server answers and the configured model is pulled; `detail`
   * says what to do otherwise. Never throws.
   */
  async health(): Promise<HealthStatus> {
    const url = `${this.baseUrl}/`;
    const { signal, timedOut } = deadline(undefined, this.healthTimeoutMs());
    try {
      const res = await guardedFetch(url, undefined, signal);
      const text = await res.text();
      if (!/ollama is running/i.test(text)) {
        return { ok: false, url: this.baseUrl, detail: `${url} answered, but not like Ollama ("${excerpt(text)}")`, modelPresent: null };
      }
      const list = await (await this.client(signal)).list();
      const present = (list.models ?? []).some((m) => sameModel(m.name, this.model) || sameModel(m.model, this.model));
      return {
        ok: present,
        url: this.baseUrl,
        detail: present
          ? `Ollama is running at ${this.baseUrl} with model ${this.model}`
          : `Ollama at ${this.baseUrl} does not have model ${this.model}: run \`ollama pull ${this.model}\``,
        modelPresent: present,
      };
    } catch (err) {
      const f = this.classify(err, url, undefined, timedOut(), this.healthTimeoutMs());
      return { ok: false, url: this.baseUrl, detail: f.message, modelPresent: null };
    }
  }

  /**
   * Load the model ahead of the first request: a generate with an empty prompt and the
   * configured `keep_alive` (Ollama's documented way to preload).
   * @throws LlmError as `generate` does
   */
  async prewarm(signal?: AbortSignal): Promise<void> {
    await this.generate({ system: '', prompt: '', signal });
  }

  /**
   * `POST /api/generate` with `stream: false`; retries per the class comment.
   * @returns text (`response`), tokens (`prompt_eval_count`, `eval_count`), wall time in ms
   * @throws LlmError kinds: unreachable, timeout, model_missing, out_of_memory, http, bad_response, aborted
   */
  async generate(req: GenerateRequest): Promise<GenerateResult> {
    const url = `${this.baseUrl}/api/generate`;
    const started = Date.now();
    let numCtx = this.opts.numCtx;
    return runWithRetries({
      tuning: this.tuning,
      signal: req.signal,
      url,
      attempt: async () => {
        const res: GenerateResponse = await this.withDeadline(req.signal, url, (signal) =>
          this.client(signal).then((c) => c.generate({
            model: this.model,
            prompt: req.prompt,
            ...(req.system ? { system: req.system } : {}),
            stream: false,
            keep_alive: this.opts.keepAlive,
            options: {
              temperature: req.temperature ?? this.opts.temperature,
              num_predict: req.maxTokens ?? this.opts.numPredict,
              num_ctx: numCtx,
            },
          })),
        );
        if (!res || typeof res.response !== 'string') {
          throw new AttemptFailure('bad_response', `Ollama at ${url} answered without a "response" text`, url, false);
        }
        return {
          text: res.response,
          promptTokens: typeof res.prompt_eval_count === 'number' ? res.prompt_eval_count : null,
          completionTokens: typeof res.eval_count === 'number' ? res.eval_count : null,
          durationMs: Date.now() - started,
          model: this.model,
          // total_duration is in nanoseconds
          backendDurationMs: typeof res.total_duration === 'number' ? Math.round(res.total_duration / 1e6) : null,
        };
      },
      beforeRetry: async (failure) => {
        if (failure.kind !== 'out_of_memory') return;
        await this.unload(req.signal);
        await sleep(this.tuning.oomWaitMs, req.signal, url);
        // First recovery caps the context at 8192; a second one halves it again.
        numCtx = numCtx > OOM_NUM_CTX ? OOM_NUM_CTX : Math.max(2048, Math.floor(numCtx / 2));
        this.opts.logger?.warn({ url, numCtx }, 'ollama out of memory: model unloaded, retrying with a smaller context');
      },
    });
  }

  /** Unload the model (`keep_alive: 0`); a failure is logged, the retry decides. */
  private async unload(caller: AbortSignal | undefined): Promise<void> {
    const url = `${this.baseUrl}/api/generate`;
    const { signal } = deadline(caller, Math.min(this.opts.timeoutMs, 30_000));
    try {
      await (await this.client(signal)).generate({ model: this.model, prompt: '', stream: false, keep_alive: 0 });
    } catch (err) {
      if (caller?.aborted) throw abortedError(url);
      this.opts.logger?.warn({ url, err: (err as Error).message }, 'ollama unload after out-of-memory failed');
    }
  }

  protected label(url: string): string {
    return `Ollama at ${url}`;
  }

  protected classify(err: unknown, url: string, caller: AbortSignal | undefined, timedOut: boolean, timeoutMs: number): AttemptFailure {
    const early = this.earlyFailure(err, url, caller, timedOut, timeoutMs, isAbortError(err));
    if (early) return early;
    if (err instanceof HttpStatusError) {
      const text = errorText(err.body);
      const oom = this.outOfMemory(url, text);
      if (oom) return oom;
      if (err.status === 404 && /not found|pull/i.test(text)) {
        return new AttemptFailure(
          'model_missing',
          `model ${this.model} is not available at ${this.baseUrl}: run \`ollama pull ${this.model}\``,
          url,
          false,
        );
      }
      return this.httpFailure(url, err.status, text);
    }
    return this.lateFailure(err, url, (net) => `cannot reach Ollama at ${url} (${net}); is \`ollama serve\` running there?`);
  }
}
