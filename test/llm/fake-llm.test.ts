import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startFakeLlm } from '../support/fake-llm.ts';

test('the fake LLM answers Ollama chat and version and records each request', async () => {
  const llm = await startFakeLlm({ reply: (c) => `${c.api}:${c.system}|${c.prompt}` });
  try {
    const chat = await fetch(`${llm.url}/api/chat`, {
      method: 'POST',
      body: JSON.stringify({ model: 'qwen2.5:7b', messages: [{ role: 'system', content: 's' }, { role: 'user', content: 'u' }] }),
    });
    assert.equal(((await chat.json()) as { message: { content: string } }).message.content, 'ollama-chat:s|u');
    const version = await fetch(`${llm.url}/api/version`);
    assert.equal(version.status, 200);
    assert.deepEqual(
      llm.requests.map((r) => `${r.method} ${r.path}`),
      ['POST /api/chat', 'GET /api/version'],
    );
    assert.equal(llm.generateRequests().length, 1);
  } finally {
    await llm.close();
  }
});

test('the fake LLM in down mode refuses connections and serves again on the same port', async () => {
  const llm = await startFakeLlm({ mode: 'down' });
  try {
    await assert.rejects(fetch(`${llm.url}/`), (e: Error & { cause?: { code?: string } }) => e.cause?.code === 'ECONNREFUSED');
    await llm.setMode('ok');
    assert.equal(await (await fetch(`${llm.url}/`)).text(), 'Ollama is running');
  } finally {
    await llm.close();
  }
});

test('the fake LLM fault with times answers normally after n faults', async () => {
  const llm = await startFakeLlm();
  try {
    await llm.setMode('http500', { times: 2 });
    const post = () => fetch(`${llm.url}/api/generate`, { method: 'POST', body: JSON.stringify({ model: 'qwen2.5:7b', prompt: 'p' }) });
    assert.deepEqual([(await post()).status, (await post()).status, (await post()).status], [500, 500, 200]);
  } finally {
    await llm.close();
  }
});
