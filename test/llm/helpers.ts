/**
 * Targets and facts for LLM tests, shaped like the finders' and buildFacts' output, and the
 * fake-server plumbing the provider tests share.
 */
import { after } from 'node:test';
import assert from 'node:assert/strict';
import type { DocType } from '../../src/config/schema.ts';
import { sha256 } from '../../src/core/hash.ts';
import type { Target } from '../../src/targets/types.ts';
import { LlmError, type Facts } from '../../src/llm/types.ts';
import { startFakeLlm, type FakeLlm, type FakeLlmOptions } from '../support/fake-llm.ts';

/** Retry policy for provider tests: 3 attempts with 20/40 ms delays, 10 ms after out-of-memory. */
export const FAST_RETRY = { attempts: 3, delaysMs: [20, 40], oomWaitMs: 10 };

/**
 * A starter of fake LLM servers (test/support/fake-llm.ts) that are all closed after the
 * calling test file ends. Call once at the top level of a test file.
 */
export function fakeLlmStarter(): (opts?: FakeLlmOptions) => Promise<FakeLlm> {
  const servers: FakeLlm[] = [];
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });
  return async (opts) => {
    const llm = await startFakeLlm(opts);
    servers.push(llm);
    return llm;
  };
}

/** The `LlmError` a promise rejects with; fails the test when it resolves or rejects otherwise. */
export async function rejection(promise: Promise<unknown>): Promise<LlmError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof LlmError, `expected LlmError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a rejection');
}

export const PY_SOURCE = `async def fetch_report(self, url, timeout=10):
    """Download the report at url and store it.

    Returns the saved path.
    """
    await self._wait_ready()
    data = await self.client.get(url, timeout=timeout)
    if not data:
        return None
    path = self._path_for(url)
    with open(path, "w") as fh:
        fh.write(data)
    subprocess.run(["gzip", path])
    return path`;

export function makeTarget(docType: DocType = 'function_doc', over: Partial<Target> = {}): Target {
  const source = over.source ?? PY_SOURCE;
  return {
    docType,
    repo: { name: 'reports', path: '/src/reports', weight: 5, enabled: true },
    absPath: '/src/reports/app/fetcher.py',
    relPath: 'app/fetcher.py',
    language: 'python',
    displayName: 'Fetcher.fetch_report',
    functionName: 'fetch_report',
    className: 'Fetcher',
    startLine: 40,
    endLine: 53,
    cyclomatic: 3,
    source,
    codeHash: sha256(source),
    score: 50,
    context: {},
    ...over,
  };
}

export function makeFacts(over: Partial<Facts> = {}): Facts {
  return {
    signature: 'async def fetch_report(self, url, timeout=10)',
    params: ['self', 'url', 'timeout'],
    isAsync: true,
    calls: [
      { callee: 'self._wait_ready', line: 45, awaited: true },
      { callee: 'self.client.get', line: 46, awaited: true },
      { callee: 'self._path_for', line: 49, awaited: false },
      { callee: 'open', line: 50, awaited: false },
      { callee: 'fh.write', line: 51, awaited: false },
      { callee: 'subprocess.run', line: 52, awaited: false },
    ],
    blocking: [
      {
        line: 50,
        call: 'open',
        category: 'file I/O',
        kind: 'direct',
        chain: ['Fetcher.fetch_report'],
        recommendation: 'use aiofiles or asyncio.to_thread',
      },
      {
        line: 52,
        call: 'subprocess.run',
        category: 'subprocess',
        kind: 'direct',
        chain: ['Fetcher.fetch_report'],
        recommendation: 'use asyncio.create_subprocess_exec',
      },
    ],
    complexity: { cyclomatic: 3, nloc: 12, maxNesting: 2, params: 3, tokens: 90 },
    callers: [{ displayName: 'Scheduler.run', file: 'app/scheduler.py', line: 88 }],
    docstring: 'Download the report at url and store it.\n\nReturns the saved path.',
    recentCommits: [{ hash: 'a1b2c3d4e5f6', date: '2026-11-20', author: 'Ada', subject: 'Store reports on disk' }],
    churn: { commits30d: 2, commits90d: 5, lastModified: '2026-11-20' },
    extra: { kind: 'function', file: 'app/fetcher.py', blockingAnalysed: true },
    ...over,
  };
}
