import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OpenAiProvider } from '../../src/llm/providers/openai.ts';
import type { FakeLlm } from '../support/fake-llm.ts';
import { FAST_RETRY, fakeLlmStarter, rejection } from './helpers.ts';

const startLlm = fakeLlmStarter();

async function setup(timeoutMs = 2_000): Promise<{ llm: FakeLlm; p: OpenAiProvider }> {
  const llm = await startLlm({ reply: (c) => `Chat answer to: ${c.prompt}` });
  const p = new OpenAiProvider({
    baseUrl: `${llm.url}/v1`,
    model: 'qwen2.5:7b',
    apiKey: 'sk-test',
    apiKeyEnv: 'OPENAI_API_KEY',
    temperature: 0.2,
    maxTokens: 300,
    timeoutMs,
    retry: FAST_RETRY,
  });
  return { llm, p };
}

test('openai generate sends system and user messages and reads content and usage', async () => {
  const { llm, p } = await setup();
  const r = await p.generate({ system: 'sys', prompt: 'hello' });
  assert.equal(r.text, 'Chat answer to: hello');
  assert.ok((r.promptTokens ?? 0) > 0 && (r.completionTokens ?? 0) > 0);
  const body = llm.generateRequests()[0].body!;
  assert.equal(llm.generateRequests()[0].path, '/v1/chat/completions');
  assert.deepEqual(body.messages, [
    { role: 'system', content: 'sys' },
    { role: 'user', content: 'hello' },
  ]);
  assert.equal(body.temperature, 0.2);
  assert.equal(body.max_tokens, 300);
});

test('openai health lists models and finds the configured one', async () => {
  const { p } = await setup();
  const h = await p.health();
  assert.equal(h.ok, true);
  assert.equal(h.modelPresent, true);
});

test('openai retries HTTP 500 and then succeeds', async () => {
  const { llm, p } = await setup();
  await llm.setMode('http500', { times: 1 });
  const r = await p.generate({ system: '', prompt: 'again' });
  assert.equal(r.text, 'Chat answer to: again');
  assert.equal(llm.generateRequests().length, 2);
});

test('openai retries an out-of-memory answer and then succeeds', async () => {
  const { llm, p } = await setup();
  await llm.setMode('oom', { times: 1 });
  const r = await p.generate({ system: '', prompt: 'mem' });
  assert.equal(r.text, 'Chat answer to: mem');
  assert.equal(llm.generateRequests().length, 2);
});

test('openai retries a slow answer past the timeout and then succeeds', async () => {
  const { llm, p } = await setup(150);
  await llm.setMode('slow', { delayMs: 600, times: 1 });
  const r = await p.generate({ system: '', prompt: 'slow' });
  assert.equal(r.text, 'Chat answer to: slow');
  assert.equal(llm.generateRequests().length, 2);
});

test('openai down fails with unreachable naming the URL', async () => {
  const { llm, p } = await setup();
  await llm.setMode('down');
  const e = await rejection(p.generate({ system: '', prompt: 'x' }));
  assert.equal(e.kind, 'unreachable');
  assert.ok(e.message.includes(`${llm.url}/v1/chat/completions`), e.message);
});

test('openai hung server times out within the configured timeout', async () => {
  const { llm, p } = await setup(200);
  await llm.setMode('hang');
  const t0 = Date.now();
  const e = await rejection(p.generate({ system: '', prompt: 'x' }));
  assert.equal(e.kind, 'timeout');
  assert.ok(Date.now() - t0 < 2_500);
  assert.equal(llm.generateRequests().length, 3);
});

test('openai malformed JSON fails with bad_response', async () => {
  const { llm, p } = await setup();
  await llm.setMode('malformed');
  const e = await rejection(p.generate({ system: '', prompt: 'x' }));
  assert.equal(e.kind, 'bad_response');
  assert.ok(e.message.includes(llm.url));
});

test('openai model missing fails with model_missing naming the model', async () => {
  const { llm, p } = await setup();
  await llm.setMode('model_missing');
  const e = await rejection(p.generate({ system: '', prompt: 'x' }));
  assert.equal(e.kind, 'model_missing');
  assert.match(e.message, /ollama pull qwen2\.5:7b/);
  const h = await p.health();
  assert.equal(h.modelPresent, false);
  assert.match(h.detail, /does not list model qwen2\.5:7b/);
});

test('openai health is not ok when a multi-model server lacks the model, ok for a single-model server', async () => {
  const many = await startLlm({ models: ['a:1b', 'b:2b'] });
  const one = await startLlm({ models: ['/models/llama.gguf'] });
  const make = (url: string) => new OpenAiProvider({ baseUrl: `${url}/v1`, model: 'qwen2.5:7b', apiKey: 'k', apiKeyEnv: 'K', temperature: 0, maxTokens: 10, timeoutMs: 1_000 });
  const hm = await make(many.url).health();
  assert.equal(hm.ok, false);
  assert.equal(hm.modelPresent, false);
  const h1 = await make(one.url).health();
  assert.equal(h1.ok, true);
  assert.equal(h1.modelPresent, false);
});

test('openai out of memory that persists fails with out_of_memory after 3 attempts', async () => {
  const { llm, p } = await setup();
  await llm.setMode('oom');
  const e = await rejection(p.generate({ system: '', prompt: 'x' }));
  assert.equal(e.kind, 'out_of_memory');
  assert.equal(llm.generateRequests().length, 3);
});

test('openai abort mid-call returns within 1 s with kind aborted', async () => {
  const { llm, p } = await setup(30_000);
  await llm.setMode('hang');
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 100);
  const t0 = Date.now();
  const e = await rejection(p.generate({ system: '', prompt: 'x', signal: ac.signal }));
  assert.equal(e.kind, 'aborted');
  assert.ok(Date.now() - t0 < 1_000);
});

test('openai sends the API key from the configured environment variable', async () => {
  const { llm } = await setup();
  const seen: string[] = [];
  llm.setReply((c) => {
    seen.push(String(c.body.model));
    return 'ok';
  });
  const settings = {
    llm: { provider: 'openai', base_url: `${llm.url}/v1`, model: 'qwen2.5:7b', api_key_env: 'CW_TEST_KEY', timeout_seconds: 5, grounding_threshold: 3 },
    ollama: { temperature: 0.1, num_predict: 100, model: 'other' },
  } as unknown as Parameters<typeof OpenAiProvider.fromSettings>[0];
  const p = OpenAiProvider.fromSettings(settings, { env: { CW_TEST_KEY: 'sk-from-env' } });
  assert.equal(p.model, 'qwen2.5:7b');
  assert.equal((await p.generate({ system: '', prompt: 'k' })).text, 'ok');
  assert.deepEqual(seen, ['qwen2.5:7b']);
  assert.equal(llm.generateRequests().at(-1)!.headers.authorization, 'Bearer sk-from-env');
});
