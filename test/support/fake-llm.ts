/**
 * A fake LLM server for tests: one HTTP server on 127.0.0.1 (port 0) speaking the parts of
 * Ollama's API (`GET /`, `GET /api/version`, `GET /api/tags`, `POST /api/generate`,
 * `POST /api/chat`) and of OpenAI's (`GET /v1/models`, `POST /v1/chat/completions`) that
 * CodeWorm uses, with switchable fault modes. Every request is recorded.
 *
 * Usage:
 * ```ts
 * const llm = await startFakeLlm({ reply: (r) => `About ${r.prompt.length} chars` });
 * settings.ollama.host = llm.url;          // or settings.llm.base_url = `${llm.url}/v1`
 * await llm.setMode('http500', { times: 1 }); // next generation answers 500 once, then ok
 * await llm.setMode('down');                  // port closed: connections are refused
 * await llm.setMode('ok');                    // listening again on the same port
 * llm.requests;                               // [{ method, path, body, headers, at }]
 * await llm.close();
 * ```
 *
 * Fault modes touch only the *generation* endpoints (`/api/generate`, `/api/chat`,
 * `/v1/chat/completions`), except `down` (everything refused) and `model_missing` (the model
 * lists lack it too). `times` limits a fault to the next n generation requests, after which
 * the server answers normally; without it the fault lasts until the next `setMode`.
 * Streaming is not implemented: every answer is a single JSON document.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FakeLlmModeName = 'ok' | 'down' | 'slow' | 'http500' | 'oom' | 'malformed' | 'hang' | 'model_missing';

export interface FakeLlmModeOptions {
  /** Fault only the next n generation requests, then answer normally (default: until changed). */
  times?: number;
  /** `slow`: delay before answering, in ms (default 200). */
  delayMs?: number;
}

/** One request as received. `body` is the parsed JSON body, or null (no body / not JSON). */
export interface RecordedRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | null;
  /** Request headers, lower-case names (e.g. `authorization`). */
  headers: Record<string, string>;
  /** ms since epoch when the request arrived. */
  at: number;
}

/** What the reply function sees of a generation request. */
export interface FakeGenerateCall {
  api: 'ollama-generate' | 'ollama-chat' | 'openai-chat';
  model: string;
  system: string;
  prompt: string;
  body: Record<string, unknown>;
}

export interface FakeLlmOptions {
  /** Models the server has (default `['qwen2.5:7b']`). */
  models?: string[];
  /** Initial mode (default `ok`). */
  mode?: FakeLlmModeName;
  modeOptions?: FakeLlmModeOptions;
  /** Scripted answer text for generation requests (default: a short fixed Markdown answer). */
  reply?: (call: FakeGenerateCall) => string;
}

export interface FakeLlm {
  /** `http://127.0.0.1:<port>` (no trailing slash). Ollama host; OpenAI base URL is `${url}/v1`. */
  url: string;
  port: number;
  /** Every request received, oldest first (cleared only by `clearRequests`). */
  requests: RecordedRequest[];
  /** Generation requests only (the subset of `requests` a fault mode applies to). */
  generateRequests(): RecordedRequest[];
  clearRequests(): void;
  /** Switch mode; resolves once the server listens again (leaving `down`) or stopped (`down`). */
  setMode(mode: FakeLlmModeName, opts?: FakeLlmModeOptions): Promise<void>;
  setReply(reply: (call: FakeGenerateCall) => string): void;
  /** Stop listening and drop open connections (also hung ones). */
  close(): Promise<void>;
}

export const FAKE_DEFAULT_REPLY =
  'This function reads its input and returns the result.\n\n## Behaviour\n\n- It validates the arguments first.\n- It returns early when there is nothing to do.';

/**
 * The worst model for secrets: it answers with its whole request, system prompt and prompt
 * (`startFakeLlm({ reply: ECHO_REPLY })`). Whatever reached the prompt reaches the answer.
 */
export const ECHO_REPLY = (call: FakeGenerateCall): string => `Echo of the request:\n\n${call.system}\n\n${call.prompt}`;

const GENERATION_PATHS = new Set(['/api/generate', '/api/chat', '/v1/chat/completions']);

/** Start the fake server on 127.0.0.1 with an OS-assigned port. */
export async function startFakeLlm(opts: FakeLlmOptions = {}): Promise<FakeLlm> {
  const models = opts.models ?? ['qwen2.5:7b'];
  let mode: FakeLlmModeName = opts.mode ?? 'ok';
  let modeOpts: FakeLlmModeOptions = opts.modeOptions ?? {};
  let faultsLeft = modeOpts.times ?? Infinity;
  let reply = opts.reply ?? (() => FAKE_DEFAULT_REPLY);
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const pending = new Set<NodeJS.Timeout>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> | null = null;
      try {
        const parsed: unknown = raw ? JSON.parse(raw) : null;
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
      } catch {
        body = null; // not JSON: recorded as null
      }
      const path = (req.url ?? '/').split('?')[0];
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      requests.push({ method: req.method ?? 'GET', path, body, headers, at: Date.now() });
      handle(req.method ?? 'GET', path, body ?? {}, res);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  function send(res: http.ServerResponse, status: number, value: unknown): void {
    const text = JSON.stringify(value);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  function modelMissing(): boolean {
    return mode === 'model_missing';
  }

  function listedModels(): string[] {
    return modelMissing() ? ['llama3.2:1b'] : models;
  }

  function handle(method: string, path: string, body: Record<string, unknown>, res: http.ServerResponse): void {
    if (method === 'GET' && path === '/') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Ollama is running');
      return;
    }
    if (method === 'GET' && path === '/api/version') return send(res, 200, { version: '0.6.0' });
    if (method === 'GET' && path === '/api/tags') {
      return send(res, 200, {
        models: listedModels().map((name) => ({
          name,
          model: name,
          modified_at: '2026-01-01T00:00:00Z',
          size: 4_700_000_000,
          digest: 'f'.repeat(64),
          details: { format: 'gguf', family: 'qwen2', parameter_size: '7.6B', quantization_level: 'Q4_K_M' },
        })),
      });
    }
    if (method === 'GET' && path === '/v1/models') {
      return send(res, 200, {
        object: 'list',
        data: listedModels().map((id) => ({ id, object: 'model', created: 0, owned_by: 'library' })),
      });
    }
    if (method === 'POST' && GENERATION_PATHS.has(path)) return generation(path, body, res);
    send(res, 404, { error: `no route ${method} ${path}` });
  }

  function generation(path: string, body: Record<string, unknown>, res: http.ServerResponse): void {
    const faulting = mode !== 'ok' && faultsLeft > 0;
    if (faulting && Number.isFinite(faultsLeft)) faultsLeft -= 1;
    const model = String(body.model ?? '');
    if (faulting) {
      switch (mode) {
        case 'hang':
          return; // never answer; close() drops the socket
        case 'slow': {
          const t = setTimeout(() => {
            pending.delete(t);
            if (!res.destroyed) answer(path, body, res);
          }, modeOpts.delayMs ?? 200);
          pending.add(t);
          return;
        }
        case 'http500':
          return path.startsWith('/v1/')
            ? send(res, 500, { error: { message: 'internal server error', type: 'server_error' } })
            : send(res, 500, { error: 'internal server error' });
        case 'oom': {
          const msg = 'model requires more system memory than is available: CUDA error: out of memory';
          return path.startsWith('/v1/')
            ? send(res, 500, { error: { message: msg, type: 'server_error' } })
            : send(res, 500, { error: msg });
        }
        case 'malformed':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"model": "' + model + '", "response": "trunc');
          return;
        case 'model_missing': {
          const msg = `model "${model}" not found, try pulling it first`;
          return path.startsWith('/v1/')
            ? send(res, 404, { error: { message: msg, type: 'not_found_error', code: 'model_not_found' } })
            : send(res, 404, { error: msg });
        }
        default:
          break;
      }
    }
    if (!path.startsWith('/v1/') && !models.includes(model)) {
      return send(res, 404, { error: `model "${model}" not found, try pulling it first` });
    }
    answer(path, body, res);
  }

  function answer(path: string, body: Record<string, unknown>, res: http.ServerResponse): void {
    const model = String(body.model ?? '');
    const messages = Array.isArray(body.messages) ? (body.messages as { role?: string; content?: string }[]) : [];
    const system =
      typeof body.system === 'string' ? body.system : messages.filter((m) => m.role === 'system').map((m) => m.content ?? '').join('\n');
    const prompt =
      typeof body.prompt === 'string' ? body.prompt : messages.filter((m) => m.role === 'user').map((m) => m.content ?? '').join('\n');
    const api = path === '/api/generate' ? 'ollama-generate' : path === '/api/chat' ? 'ollama-chat' : 'openai-chat';
    // Ollama: an empty prompt loads (or, with keep_alive 0, unloads) the model and says nothing.
    const empty = api === 'ollama-generate' && prompt === '';
    const text = empty ? '' : reply({ api, model, system, prompt, body });
    const promptTokens = Math.ceil((system.length + prompt.length) / 4);
    const evalTokens = Math.ceil(text.length / 4);
    const now = new Date().toISOString();
    if (api === 'openai-chat') {
      return send(res, 200, {
        id: 'chatcmpl-fake',
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
        usage: { prompt_tokens: promptTokens, completion_tokens: evalTokens, total_tokens: promptTokens + evalTokens },
      });
    }
    const timing = {
      done: true,
      done_reason: empty && body.keep_alive === 0 ? 'unload' : empty ? 'load' : 'stop',
      total_duration: 1_500_000_000,
      load_duration: 100_000_000,
      prompt_eval_count: promptTokens,
      prompt_eval_duration: 200_000_000,
      eval_count: evalTokens,
      eval_duration: 1_200_000_000,
    };
    if (api === 'ollama-chat') {
      return send(res, 200, { model, created_at: now, message: { role: 'assistant', content: text }, ...timing });
    }
    send(res, 200, { model, created_at: now, response: text, ...timing });
  }

  await listen(server, 0);
  const port = (server.address() as AddressInfo).port;
  let listening = true;

  if (mode === 'down') {
    await stopListening();
  }

  async function stopListening(): Promise<void> {
    if (!listening) return;
    listening = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of sockets) s.destroy();
    for (const t of pending) clearTimeout(t);
    pending.clear();
    await closed;
  }

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    generateRequests: () => requests.filter((r) => r.method === 'POST' && GENERATION_PATHS.has(r.path)),
    clearRequests: () => {
      requests.length = 0;
    },
    async setMode(next, nextOpts = {}) {
      mode = next;
      modeOpts = nextOpts;
      faultsLeft = nextOpts.times ?? Infinity;
      if (next === 'down') {
        await stopListening();
      } else if (!listening) {
        await listen(server, port);
        listening = true;
      }
    },
    setReply(fn) {
      reply = fn;
    },
    async close() {
      await stopListening();
    },
  };
}

function listen(server: http.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
