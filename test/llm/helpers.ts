/** Targets and facts for LLM tests, shaped like the finders' and buildFacts' output. */
import type { DocType } from '../../src/config/schema.ts';
import { sha256 } from '../../src/core/hash.ts';
import type { Target } from '../../src/targets/types.ts';
import type { Facts } from '../../src/llm/types.ts';

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
