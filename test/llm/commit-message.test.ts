import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  commitMessageProblem,
  extractCommitLine,
  makeCommitMessage,
  templateCommitMessage,
} from '../../src/llm/commit-message.ts';
import { OllamaProvider } from '../../src/llm/providers/ollama.ts';
import { StaticProvider } from '../../src/llm/providers/static.ts';
import { LlmError } from '../../src/llm/types.ts';
import { startFakeLlm, type FakeLlm } from '../support/fake-llm.ts';

const servers: FakeLlm[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function providerAnswering(answer: string, timeoutMs = 2_000): Promise<{ llm: FakeLlm; p: OllamaProvider }> {
  const llm = await startFakeLlm({ reply: () => answer });
  servers.push(llm);
  const p = new OllamaProvider({
    baseUrl: llm.url, model: 'qwen2.5:7b', temperature: 0.3, numCtx: 4096, numPredict: 128, keepAlive: -1, timeoutMs,
    retry: { attempts: 2, delaysMs: [10], oomWaitMs: 10 },
  });
  return { llm, p };
}

const input = { docType: 'function_doc' as const, displayName: 'CodeWormDaemon._async_run', repo: 'CodeWorm' };

test('a valid LLM commit message is used, with label and quotes stripped', async () => {
  const { llm, p } = await providerAnswering('Commit message: "Document _async_run startup sequence in daemon"');
  const msg = await makeCommitMessage(p, { ...input, documentation: 'The run loop waits for Ollama.' }, undefined);
  assert.equal(msg, 'Document _async_run startup sequence in daemon');
  const sent = llm.generateRequests()[0].body!;
  assert.match(String(sent.prompt), /The run loop waits for Ollama\./);
  assert.match(String(sent.prompt), /CodeWormDaemon\._async_run/);
});

test('an answer over 72 characters falls back to the template', async () => {
  const { p } = await providerAnswering('Document CodeWormDaemon._async_run which starts the scheduler and waits for the model server');
  assert.equal(await makeCommitMessage(p, input), 'Document CodeWormDaemon._async_run in CodeWorm (function_doc)');
});

test('an answer not starting with an imperative verb falls back to the template', async () => {
  const { p } = await providerAnswering('Documented CodeWormDaemon._async_run');
  assert.equal(await makeCommitMessage(p, input), templateCommitMessage(input));
});

test('an answer that does not name the target falls back to the template', async () => {
  const { p } = await providerAnswering('Add documentation for the daemon');
  assert.equal(await makeCommitMessage(p, input), templateCommitMessage(input));
});

test('only the first line of a multi-line answer is considered', async () => {
  const { p } = await providerAnswering('```\nExplain _async_run startup order\n```\nThis message describes the change.');
  assert.equal(await makeCommitMessage(p, input), 'Explain _async_run startup order');
});

test('the static provider gets the template without any model call', async () => {
  const msg = await makeCommitMessage(new StaticProvider(), { ...input, docType: 'security_review' });
  assert.equal(msg, 'Review CodeWormDaemon._async_run in CodeWorm (security_review)');
});

test('an unreachable LLM gives the template; an abort is passed on', async () => {
  const { llm, p } = await providerAnswering('Document _async_run', 5_000);
  await llm.setMode('down');
  assert.equal(await makeCommitMessage(p, input), templateCommitMessage(input));
  await llm.setMode('hang');
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 50);
  await assert.rejects(makeCommitMessage(p, input, ac.signal), (e: unknown) => e instanceof LlmError && e.kind === 'aborted');
});

test('the template stays within 72 characters without cutting a word', () => {
  const long = { docType: 'performance_analysis' as const, displayName: 'VeryLongServiceRegistryManager.reconcile_pending_registrations', repo: 'platform-infrastructure' };
  const msg = templateCommitMessage(long);
  assert.ok(msg.length <= 72, msg);
  assert.equal(commitMessageProblem(msg, long.displayName), null);
  assert.equal(msg, 'Analyze VeryLongServiceRegistryManager.reconcile_pending_registrations');
  const summary = { docType: 'weekly_summary' as const, displayName: 'An extremely long weekly summary title that keeps going and going 2026-W48', repo: 'platform-infrastructure' };
  assert.equal(templateCommitMessage(summary), 'Summarize 2026-W48 in platform-infrastructure');
  // Nothing shorter names it: cut at a word boundary.
  const words = { docType: 'til' as const, displayName: `my ${'word '.repeat(20).trim()}`, repo: 'r' };
  const cut = templateCommitMessage(words);
  assert.ok(cut.length <= 72, cut);
  assert.match(cut, /^Note my( word)+$/);
});

test('validation names what is wrong', () => {
  assert.equal(commitMessageProblem('Document Foo.bar', 'Foo.bar'), null);
  assert.match(commitMessageProblem('Document Foo.bar\nmore', 'Foo.bar')!, /more than one line/);
  assert.match(commitMessageProblem('Docs for Foo.bar', 'Foo.bar')!, /imperative verb/);
  assert.match(commitMessageProblem('Summarize the week', 'Weekly Summary 2026-W48')!, /does not name/);
  assert.equal(commitMessageProblem('Summarize 2026-W48 activity', 'Weekly Summary 2026-W48'), null);
  assert.equal(extractCommitLine('**Commit message:** `Add notes on bar`.'), 'Add notes on bar');
});
