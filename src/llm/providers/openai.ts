/**
 * The OpenAI-compatible provider (SPEC section 7): any `/v1/chat/completions` endpoint
 * (llama.cpp server, vLLM, LM Studio, Ollama's `/v1`, hosted APIs) through the `openai`
 * package. The client's own retries are off; ours apply (3 attempts, growing delay, on
 * timeouts, connection errors, 429 and 5xx), with the same error kinds as the Ollama provider.
 */
import type OpenAI from 'openai';
import type { APIError } from 'openai';
import type { Settings } from '../../config/schema.ts';
import type { GenerateRequest, GenerateResult, HealthStatus, LlmProvider } from '../types.ts';
import {
  AttemptFailure,
  HttpProvider,
  deadline,
  describeNetworkError,
  isAbortError,
  runWithRetries,
  type HttpProviderOptions,
  type ProviderLogger,
  type RetryTuning,
} from './shared.ts';

export interface OpenAiProviderOptions extends HttpProviderOptions {
  /** e.g. `http://127.0.0.1:8080/v1` */
  baseUrl: string;
  /** The API key (already read from the environment); local servers accept any. */
  apiKey: string;
  /** Name of the env var the key came from, for messages (never the key). */
  apiKeyEnv: string;
  temperature: number;
  maxTokens: number;
}

/** The `openai` module once loaded (about 10 MB of a process's memory, so not at start-up). */
let sdk: typeof import('openai') | null = null;

async function loadSdk(): Promise<typeof import('openai')> {
  sdk ??= await import('openai');
  return sdk;
}

export class OpenAiProvider extends HttpProvider<OpenAiProviderOptions> implements LlmProvider {
  readonly name = 'openai' as const;
  private clientOnce: Promise<OpenAI> | null = null;

  /** The SDK client, made on first use: the SDK is loaded only by a daemon that uses this provider. */
  private client(): Promise<OpenAI> {
    this.clientOnce ??= loadSdk().then(
      (m) =>
        new m.default({
          baseURL: this.baseUrl,
          apiKey: this.opts.apiKey,
          maxRetries: 0,
          // our deadline (a signal per request) ends calls; the client's must not come first
          timeout: this.opts.timeoutMs + 60_000,
          logLevel: 'off',
        }),
    );
    return this.clientOnce;
  }

  /**
   * Build from `llm.base_url`, `llm.model` (falling back to `ollama.model`), the API key from
   * the env var named by `llm.api_key_env` (a placeholder when unset: local servers need none),
   * `llm.timeout_seconds`, and `ollama.temperature` / `ollama.num_predict`.
   */
  static fromSettings(
    settings: Settings,
    tuning: { retry?: Partial<RetryTuning>; logger?: ProviderLogger; env?: NodeJS.ProcessEnv } = {},
  ): OpenAiProvider {
    const env = tuning.env ?? process.env;
    return new OpenAiProvider({
      baseUrl: settings.llm.base_url,
      model: settings.llm.model || settings.ollama.model,
      apiKey: env[settings.llm.api_key_env] || 'no-key',
      apiKeyEnv: settings.llm.api_key_env,
      temperature: settings.ollama.temperature,
      maxTokens: settings.ollama.num_predict,
      timeoutMs: settings.llm.timeout_seconds * 1000,
      retry: tuning.retry,
      logger: tuning.logger,
    });
  }

  /**
   * `GET /models`: reachable, and whether the configured model is listed. `ok` needs both,
   * except that a server listing no model or exactly one (llama.cpp serves its loaded model
   * under any name) is ok with the mismatch stated in `detail`. Never throws.
   */
  async health(): Promise<HealthStatus> {
    const url = `${this.baseUrl}/models`;
    const timeoutMs = this.healthTimeoutMs();
    const { signal, timedOut } = deadline(undefined, timeoutMs);
    try {
      const ids: string[] = [];
      const client = await this.client();
      for await (const m of client.models.list({ signal })) ids.push(m.id);
      const present = ids.length === 0 ? null : ids.includes(this.model);
      const missing = `${this.baseUrl} does not list model ${this.model} (it has ${ids.slice(0, 5).join(', ')}); set llm.model`;
      return {
        ok: present !== false || ids.length === 1,
        url: this.baseUrl,
        detail: present === false ? missing : `${this.baseUrl} answers${present ? ` with model ${this.model}` : ''}`,
        modelPresent: present,
      };
    } catch (err) {
      return { ok: false, url: this.baseUrl, detail: this.classify(err, url, undefined, timedOut(), timeoutMs).message, modelPresent: null };
    }
  }

  /** Nothing to load ahead for a remote endpoint. */
  async prewarm(): Promise<void> {}

  /**
   * `POST /chat/completions` with a system and a user message.
   * @throws LlmError kinds: unreachable, timeout, model_missing, out_of_memory, http, bad_response, aborted
   */
  async generate(req: GenerateRequest): Promise<GenerateResult> {
    const url = `${this.baseUrl}/chat/completions`;
    const started = Date.now();
    return runWithRetries({
      tuning: this.tuning,
      signal: req.signal,
      url,
      attempt: async () => {
        const client = await this.client();
        const res: OpenAI.Chat.Completions.ChatCompletion = await this.withDeadline(req.signal, url, (signal) =>
          client.chat.completions.create(
            {
              model: this.model,
              messages: [
                ...(req.system ? [{ role: 'system' as const, content: req.system }] : []),
                { role: 'user' as const, content: req.prompt },
              ],
              temperature: req.temperature ?? this.opts.temperature,
              max_tokens: req.maxTokens ?? this.opts.maxTokens,
              stream: false,
            },
            { signal },
          ),
        );
        const text = res?.choices?.[0]?.message?.content;
        if (typeof text !== 'string') {
          throw new AttemptFailure('bad_response', `${url} answered without choices[0].message.content`, url, false);
        }
        return {
          text,
          promptTokens: res.usage?.prompt_tokens ?? null,
          completionTokens: res.usage?.completion_tokens ?? null,
          durationMs: Date.now() - started,
          model: this.model,
        };
      },
    });
  }

  protected label(url: string): string {
    return url;
  }

  protected classify(err: unknown, url: string, caller: AbortSignal | undefined, timedOut: boolean, timeoutMs: number): AttemptFailure {
    // the SDK's error classes exist once a request was made through it (errors before that are ours)
    const early = this.earlyFailure(err, url, caller, timedOut, timeoutMs, (sdk !== null && err instanceof sdk.APIUserAbortError) || isAbortError(err));
    if (early) return early;
    const unreachable = (net: string) => `cannot reach the OpenAI-compatible endpoint ${url} (${net})`;
    if (sdk !== null && err instanceof sdk.APIConnectionError) {
      return new AttemptFailure('unreachable', unreachable(describeNetworkError(err.cause) ?? 'connection failed'), url, true);
    }
    if (sdk !== null && err instanceof sdk.APIError && typeof err.status === 'number') {
      const text = bodyText(err);
      const oom = this.outOfMemory(url, text);
      if (oom) return oom;
      if (err.status === 404 && /model/i.test(text)) {
        return new AttemptFailure(
          'model_missing',
          `model ${this.model} is not available at ${this.baseUrl}: set llm.model to a served model (with Ollama's /v1: \`ollama pull ${this.model}\`)`,
          url,
          false,
        );
      }
      if (err.status === 401 || err.status === 403) {
        return new AttemptFailure('http', `${url} refused the API key (HTTP ${err.status}); set the ${this.opts.apiKeyEnv} environment variable`, url, false);
      }
      return this.httpFailure(url, err.status, text);
    }
    return this.lateFailure(err, url, unreachable);
  }
}

/** The error text of an OpenAI-style body `{"error": {"message"}}` or a plain `{"error": "..."}`. */
function bodyText(err: APIError): string {
  const e = err.error as { message?: unknown } | string | undefined;
  if (typeof e === 'string') return e;
  if (e && typeof e.message === 'string') return e.message;
  return err.message ?? '';
}
