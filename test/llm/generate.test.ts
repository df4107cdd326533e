import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSettings } from '../../src/config/load.ts';
import type { PromptsConfig } from '../../src/config/schema.ts';
import { generateBody, regenerateWithFeedback } from '../../src/llm/generate.ts';
import { createProvider } from '../../src/llm/providers/index.ts';
import { OllamaProvider } from '../../src/llm/providers/ollama.ts';
import { StaticProvider, STATIC_NOTICE } from '../../src/llm/providers/static.ts';
import { LlmError } from '../../src/llm/types.ts';
import { startFakeLlm, type FakeLlm } from '../support/fake-llm.ts';
import { makeFacts, makeTarget } from './helpers.ts';

const servers: FakeLlm[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const prompts: PromptsConfig = { language_hints: {}, doc_types: {} };

async function ollamaWith(reply: (prompt: string) => string): Promise<{ llm: FakeLlm; p: OllamaProvider }> {
  const llm = await startFakeLlm({ reply: (c) => reply(c.prompt) });
  servers.push(llm);
  const p = new OllamaProvider({
    baseUrl: llm.url, model: 'qwen2.5:7b', temperature: 0.3, numCtx: 8192, numPredict: 512, keepAlive: -1, timeoutMs: 2_000,
    retry: { attempts: 2, delaysMs: [10], oomWaitMs: 10 },
  });
  return { llm, p };
}

const ANSWER = 'The method downloads the report and stores it on disk.\n\n```python\nawait fetcher.fetch_report(url)\n```';

test('generateBody sends the doc type prompt with source and facts and returns the cleaned body', async () => {
  const { llm, p } = await ollamaWith(() => `Here is the documentation:\n\n\`\`\`markdown\n# Fetcher.fetch_report\n\n${ANSWER}\n\`\`\`\n\nLet me know if you need more.`);
  const r = await generateBody(p, { docType: 'performance_analysis', target: makeTarget('performance_analysis'), facts: makeFacts(), prompts });
  assert.equal(r.body, ANSWER);
  assert.equal(r.provider, 'ollama');
  assert.equal(r.model, 'qwen2.5:7b');
  assert.ok((r.promptTokens ?? 0) > 0);
  const sent = llm.generateRequests()[0].body!;
  assert.match(String(sent.system), /performance engineer/);
  assert.match(String(sent.prompt), /subprocess\.run\(\["gzip", path\]\)/);
  assert.match(String(sent.prompt), /## Facts \(computed from the code; do not contradict\)/);
  assert.match(String(sent.prompt), /awaited calls: self\._wait_ready \(line 45\)/);
});

test('an empty answer is a bad_response naming the model', async () => {
  const { p } = await ollamaWith(() => 'Sure!\n\nLet me know if you have questions.');
  await assert.rejects(
    generateBody(p, { docType: 'function_doc', target: makeTarget(), facts: makeFacts(), prompts }),
    (e: unknown) => e instanceof LlmError && e.kind === 'bad_response' && /qwen2\.5:7b/.test(e.message),
  );
});

test('regenerateWithFeedback appends the grounding findings to the prompt', async () => {
  const { llm, p } = await ollamaWith(() => ANSWER);
  const req = { docType: 'function_doc' as const, target: makeTarget(), facts: makeFacts(), prompts };
  await generateBody(p, req);
  await regenerateWithFeedback(p, req, '- `_wait_ready` is awaited at line 45; do not call it blocking');
  const [first, second] = llm.generateRequests().map((r) => String(r.body!.prompt));
  assert.ok(!first.includes('Corrections to your previous answer'));
  assert.ok(second.startsWith(first));
  assert.match(second, /## Corrections to your previous answer[\s\S]*`_wait_ready` is awaited at line 45/);
});

test('an abort during generation surfaces as kind aborted', async () => {
  const { llm, p } = await ollamaWith(() => ANSWER);
  await llm.setMode('hang');
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 50);
  await assert.rejects(
    generateBody(p, { docType: 'til', target: makeTarget('til'), facts: makeFacts(), prompts }, ac.signal),
    (e: unknown) => e instanceof LlmError && e.kind === 'aborted',
  );
});

test('generateBody with the static provider writes the deterministic static body', async () => {
  const req = { docType: 'function_doc' as const, target: makeTarget(), facts: makeFacts(), prompts };
  const a = await generateBody(new StaticProvider(), req);
  const b = await generateBody(new StaticProvider(), { ...req, target: makeTarget(), facts: makeFacts() });
  assert.equal(a.body, b.body);
  assert.ok(a.body.startsWith(STATIC_NOTICE));
  assert.equal(a.provider, 'static');
});

test('createProvider follows llm.provider and the --provider override', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-provider-'));
  const settings = await loadSettings(dir, { env: {} });
  assert.equal(createProvider(settings).name, 'ollama');
  assert.equal(createProvider(settings).model, 'qwen2.5:7b');
  assert.equal(createProvider(settings, 'static').name, 'static');
  const openai = createProvider({ ...settings, llm: { ...settings.llm, provider: 'openai', model: 'llama-3.1-8b' } });
  assert.equal(openai.name, 'openai');
  assert.equal(openai.model, 'llama-3.1-8b');
  assert.throws(() => createProvider(settings, 'gpt' as never), /unknown LLM provider "gpt"; expected one of ollama, openai, static/);
});

test('createProvider builds an Ollama provider that reaches the configured host and port', async () => {
  const llm = await startFakeLlm();
  servers.push(llm);
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-provider-'));
  const settings = await loadSettings(dir, { env: { CODEWORM_OLLAMA__HOST: '127.0.0.1', CODEWORM_OLLAMA__PORT: String(llm.port) } });
  const h = await createProvider(settings).health();
  assert.equal(h.ok, true, h.detail);
  assert.equal(h.url, llm.url);
});
