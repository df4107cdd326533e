import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OllamaProvider, ollamaBaseUrl } from '../../src/llm/providers/ollama.ts';
import type { FakeLlm } from '../support/fake-llm.ts';
import { FAST_RETRY, fakeLlmStarter, rejection } from './helpers.ts';

const startLlm = fakeLlmStarter();

async function setup(timeoutMs = 2_000, numCtx = 16384): Promise<{ llm: FakeLlm; p: OllamaProvider }> {
  const llm = await startLlm({ reply: (c) => `Answer to: ${c.prompt}` });
  const p = new OllamaProvider({
    baseUrl: llm.url,
    model: 'qwen2.5:7b',
    temperature: 0.3,
    numCtx,
    numPredict: 512,
    keepAlive: -1,
    timeoutMs,
    retry: FAST_RETRY,
  });
  return { llm, p };
}

test('ollama generate sends system, prompt, keep_alive and options and reads text and tokens', async () => {
  const { llm, p } = await setup();
  const r = await p.generate({ system: 'be brief', prompt: 'explain x' });
  assert.equal(r.text, 'Answer to: explain x');
  assert.equal(r.model, 'qwen2.5:7b');
  assert.ok((r.promptTokens ?? 0) > 0);
  assert.ok((r.completionTokens ?? 0) > 0);
  assert.equal(r.backendDurationMs, 1500, 'total_duration 1.5e9 ns from the server');
  const body = llm.generateRequests()[0].body!;
  assert.equal(body.system, 'be brief');
  assert.equal(body.stream, false);
  assert.equal(body.keep_alive, -1);
  assert.deepEqual(body.options, { temperature: 0.3, num_predict: 512, num_ctx: 16384 });
});

test('ollama health reports a running server with the model present', async () => {
  const { p } = await setup();
  const h = await p.health();
  assert.equal(h.ok, true);
  assert.equal(h.modelPresent, true);
});

test('ollama health with the model not pulled says ollama pull <model>', async () => {
  const { llm, p } = await setup();
  await llm.setMode('model_missing');
  const h = await p.health();
  assert.equal(h.ok, false);
  assert.equal(h.modelPresent, false);
  assert.match(h.detail, /ollama pull qwen2\.5:7b/);
});

test('ollama generate with the model missing fails with model_missing naming ollama pull', async () => {
  const { llm, p } = await setup();
  await llm.setMode('model_missing');
  const e = await rejection(p.generate({ system: '', prompt: 'x' }));
  assert.equal(e.kind, 'model_missing');
  assert.match(e.message, /ollama pull qwen2\.5:7b/);
  assert.equal(llm.generateRequests().length, 1, 'a missing model is not retried');
});

test('ollama prewarm sends an empty prompt with keep_alive', async () => {
  const { llm, p } = await setup();
  await p.prewarm();
  const body = llm.generateRequests()[0].body!;
  assert.equal(body.prompt, '');
  assert.equal(body.keep_alive, -1);
});

test('ollama retries HTTP 500 and then succeeds', async () => {
  const { llm, p } = await setup();
  await llm.setMode('http500', { times: 2 });
  const r = await p.generate({ system: '', prompt: 'y' });
  assert.equal(r.text, 'Answer to: y');
  assert.equal(llm.generateRequests().length, 3);
});

test('ollama gives up after 3 attempts of HTTP 500 with kind http naming the URL', async () => {
  const { llm, p } = await setup();
  await llm.setMode('http500');
  const e = await rejection(p.generate({ system: '', prompt: 'y' }));
  assert.equal(e.kind, 'http');
  assert.ok(e.message.includes(`${llm.url}/api/generate`), e.message);
  assert.match(e.message, /HTTP 500/);
  assert.match(e.message, /3 attempts/);
  assert.equal(llm.generateRequests().length, 3);
});

test('ollama out of memory unloads the model and retries with num_ctx <= 8192', async () => {
  const { llm, p } = await setup();
  await llm.setMode('oom', { times: 1 });
  const r = await p.generate({ system: '', prompt: 'z' });
  assert.equal(r.text, 'Answer to: z');
  const gens = llm.generateRequests().map((q) => q.body!);
  assert.equal(gens.length, 3, 'failed call, unload, retry');
  assert.equal((gens[0].options as { num_ctx: number }).num_ctx, 16384);
  assert.equal(gens[1].keep_alive, 0);
  assert.equal(gens[1].prompt, '');
  assert.ok((gens[2].options as { num_ctx: number }).num_ctx <= 8192);
});

test('ollama out of memory that persists fails with out_of_memory', async () => {
  const { llm, p } = await setup();
  await llm.setMode('oom');
  const e = await rejection(p.generate({ system: '', prompt: 'z' }));
  assert.equal(e.kind, 'out_of_memory');
  assert.ok(e.message.includes(llm.url));
});

test('ollama slow answer past the timeout is retried and then succeeds', async () => {
  const { llm, p } = await setup(150);
  await llm.setMode('slow', { delayMs: 600, times: 1 });
  const r = await p.generate({ system: '', prompt: 's' });
  assert.equal(r.text, 'Answer to: s');
  assert.equal(llm.generateRequests().length, 2);
});

test('ollama hung server times out within the configured timeout on every attempt', async () => {
  const { llm, p } = await setup(200);
  await llm.setMode('hang');
  const t0 = Date.now();
  const e = await rejection(p.generate({ system: '', prompt: 'h' }));
  const took = Date.now() - t0;
  assert.equal(e.kind, 'timeout');
  assert.ok(e.message.includes(llm.url), e.message);
  // 3 attempts × 200 ms + 60 ms of delays, with slack for a loaded machine
  assert.ok(took >= 600 && took < 2_500, `took ${took} ms`);
});

test('ollama down fails with unreachable naming the URL', async () => {
  const { llm, p } = await setup();
  await llm.setMode('down');
  const e = await rejection(p.generate({ system: '', prompt: 'd' }));
  assert.equal(e.kind, 'unreachable');
  assert.ok(e.message.includes(`${llm.url}/api/generate`), e.message);
  assert.match(e.message, /connection refused/);
  const h = await p.health();
  assert.equal(h.ok, false);
  assert.ok(h.detail.includes(llm.url), h.detail);
});

test('ollama comes back after down: the same port answers again', async () => {
  const { llm, p } = await setup();
  await llm.setMode('down');
  await llm.setMode('ok');
  assert.equal((await p.health()).ok, true);
});

test('ollama malformed JSON fails with bad_response', async () => {
  const { llm, p } = await setup();
  await llm.setMode('malformed');
  const e = await rejection(p.generate({ system: '', prompt: 'm' }));
  assert.equal(e.kind, 'bad_response');
  assert.ok(e.message.includes(llm.url));
});

test('ollama abort mid-call returns within 1 s with kind aborted', async () => {
  const { llm, p } = await setup(30_000);
  await llm.setMode('hang');
  const ac = new AbortController();
  const t0 = Date.now();
  setTimeout(() => ac.abort(), 100);
  const e = await rejection(p.generate({ system: '', prompt: 'a', signal: ac.signal }));
  assert.equal(e.kind, 'aborted');
  assert.ok(Date.now() - t0 < 1_000, `took ${Date.now() - t0} ms`);
  assert.equal(llm.generateRequests().length, 1, 'an abort is not retried');
});

test('ollama abort during the retry delay ends at once', async () => {
  const { llm } = await setup();
  const p = new OllamaProvider({
    baseUrl: llm.url, model: 'qwen2.5:7b', temperature: 0.3, numCtx: 4096, numPredict: 64, keepAlive: -1,
    timeoutMs: 1_000, retry: { attempts: 3, delaysMs: [20_000], oomWaitMs: 10 },
  });
  await llm.setMode('http500');
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 150);
  const t0 = Date.now();
  const e = await rejection(p.generate({ system: '', prompt: 'a', signal: ac.signal }));
  assert.equal(e.kind, 'aborted');
  assert.ok(Date.now() - t0 < 1_000);
});

test('ollamaBaseUrl adds scheme and port to a bare host and keeps an explicit URL', () => {
  const base = { model: 'm', temperature: 0, num_ctx: 1, num_predict: 1, keep_alive: -1, timeout_seconds: 1 };
  assert.equal(ollamaBaseUrl({ ollama: { ...base, host: 'localhost', port: 11434 } }), 'http://localhost:11434');
  assert.equal(ollamaBaseUrl({ ollama: { ...base, host: 'http://gpu.lan:9999', port: 11434 } }), 'http://gpu.lan:9999');
  assert.equal(ollamaBaseUrl({ ollama: { ...base, host: 'https://ollama.example/', port: 11434 } }), 'https://ollama.example');
});
