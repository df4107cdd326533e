/**
 * One target per doc type, shaped like the finders' and buildFacts' output, for the prompt
 * snapshot and structure tests. Fixed data (no clock, no repository): a snapshot changes only
 * when the prompt's text or its assembly changes.
 */
import type { DocType } from '../../src/config/schema.ts';
import type { Target } from '../../src/targets/types.ts';
import type { Facts } from '../../src/llm/types.ts';
import { makeFacts, makeTarget } from './helpers.ts';

const CLASS_SOURCE = `class Fetcher:
    """Downloads reports and stores them on disk."""

    retries = 3

    def __init__(self, client, root: Path):
        self.client = client
        self.root = root

    async def fetch_report(self, url, timeout=10):
        data = await self.client.get(url, timeout=timeout)
        return self._store(url, data)

    def _store(self, url, data):
        path = self.root / url.rsplit("/", 1)[-1]
        path.write_text(data)
        return path`;

const FILE_SOURCE = `"""Report fetching."""
import asyncio
from pathlib import Path

from .client import Client


class Fetcher:
    """Downloads reports and stores them on disk."""


def main(argv=None):
    asyncio.run(Fetcher(Client(), Path(".")).fetch_report(argv[0]))`;

const DIFF = `diff --git a/app/fetcher.py b/app/fetcher.py
--- a/app/fetcher.py
+++ b/app/fetcher.py
@@ -44,7 +44,8 @@ class Fetcher:
     async def fetch_report(self, url, timeout=10):
-        data = self.client.get(url)
+        await self._wait_ready()
+        data = await self.client.get(url, timeout=timeout)
         if not data:
             return None`;

const fileFacts = (over: Partial<Facts> = {}): Facts =>
  makeFacts({
    signature: null,
    params: [],
    isAsync: null,
    calls: [],
    blocking: [],
    complexity: null,
    callers: [],
    docstring: null,
    extra: { kind: 'file', file: 'app/fetcher.py', imports: ['asyncio', 'pathlib', '.client'], symbols: [{ name: 'Fetcher', kind: 'class', line: 8, async: false }, { name: 'main', kind: 'function', line: 12, async: false }], lines: 13, nloc: 9,
      // "where it fits" (src/llm/fit-facts.ts), as the static provider's section reads them
      importers: [{ file: 'app/cli.py', line: 3, names: ['main'] }],
      fileFit: {
        mainClass: { name: 'Fetcher', line: 8, methods: 0, creators: [{ caller: 'main', file: 'app/fetcher.py', line: 13, excerpt: 'asyncio.run(Fetcher(Client(), Path(".")).fetch_report(argv[0]))' }] },
        calls: [],
        usedThrough: [{ name: 'main', count: 1, sites: [{ caller: 'run', file: 'app/cli.py', line: 9 }] }],
        testedByImport: false,
        repoHasTests: true,
      },
    },
    ...over,
  });

const repoWide = (over: Partial<Target>): Partial<Target> => ({ relPath: '.', absPath: '/src/reports', language: 'text', functionName: null, className: null, startLine: 0, endLine: 0, cyclomatic: 0, ...over });

/** A target and its facts for `docType`. */
export function fixture(docType: DocType): { target: Target; facts: Facts } {
  switch (docType) {
    case 'function_doc':
    case 'security_review':
    case 'performance_analysis':
    case 'til':
      return {
        target: makeTarget(docType),
        facts: makeFacts({ extra: { kind: 'function', file: 'app/fetcher.py', blockingAnalysed: true, decorators: ['retry( attempts = 3, on = (TimeoutError, ConnectionError), help = "Retry the download when the server is slow" )'] } }),
      };
    case 'class_doc':
      return {
        target: makeTarget('class_doc', { displayName: 'Fetcher', functionName: null, source: CLASS_SOURCE, startLine: 30, endLine: 46, cyclomatic: 4 }),
        facts: makeFacts({
          signature: null,
          params: [],
          isAsync: null,
          calls: [],
          blocking: [],
          callers: [],
          docstring: 'Downloads reports and stores them on disk.',
          complexity: { cyclomatic: 4, nloc: 14, maxNesting: 1, params: 0, tokens: 120 },
          extra: {
            kind: 'class',
            file: 'app/fetcher.py',
            bases: [],
            methods: [
              { name: '__init__', line: 36, async: false, params: ['self', 'client', 'root: Path'] },
              { name: 'fetch_report', line: 40, async: true, params: ['self', 'url', 'timeout=10'] },
              { name: '_store', line: 44, async: false, params: ['self', 'url', 'data'] },
            ],
          },
        }),
      };
    case 'file_doc':
      return { target: makeTarget('file_doc', { displayName: 'fetcher', functionName: null, className: null, source: FILE_SOURCE, startLine: 1, endLine: 13, cyclomatic: 0 }), facts: fileFacts() };
    case 'module_doc':
      return {
        target: makeTarget('module_doc', {
          displayName: 'app',
          relPath: 'app/__init__.py',
          functionName: null,
          className: null,
          source: 'from .fetcher import Fetcher\n\n__all__ = ["Fetcher"]',
          startLine: 1,
          endLine: 3,
          cyclomatic: 0,
          context: { directory: 'app', listing: ['app/__init__.py (3 lines, 0 symbols)', 'app/fetcher.py (53 lines, 4 symbols)', 'app/client.py (40 lines, 3 symbols)'], exported: ['Fetcher'], fileCount: 3 },
        }),
        facts: fileFacts({ extra: { kind: 'file', file: 'app/__init__.py', imports: ['.fetcher'], symbols: [], lines: 3, nloc: 2 } }),
      };
    case 'code_evolution':
      return {
        target: makeTarget('code_evolution', {
          displayName: 'fetcher.py @ a1b2c3d',
          functionName: null,
          className: null,
          language: 'diff' as Target['language'],
          source: DIFF,
          startLine: 1,
          endLine: 53,
          cyclomatic: 0,
          context: { change: { commit: 'a1b2c3d4e5f6', date: Date.UTC(2026, 10, 20), author: 'Ada', subject: 'Await the client before reading', body: 'The client became async in 2.0.', path: 'app/fetcher.py', added: 2, deleted: 1, isNew: false } },
        }),
        facts: fileFacts(),
      };
    case 'pattern_analysis':
      return {
        target: makeTarget('pattern_analysis', {
          displayName: 'fetcher (strategy)',
          functionName: null,
          className: null,
          source: FILE_SOURCE,
          startLine: 1,
          endLine: 13,
          cyclomatic: 0,
          context: { pattern: 'strategy', indicators: ['a client object passed in and called through one interface (`self.client.get`)', 'interchangeable implementations chosen by the caller'], participants: ['Fetcher.__init__', 'Fetcher.fetch_report'] },
        }),
        facts: fileFacts(),
      };
    case 'weekly_summary':
    case 'monthly_summary': {
      const monthly = docType === 'monthly_summary';
      return {
        target: makeTarget(docType, repoWide({
          displayName: monthly ? 'Monthly Summary 2026-11' : 'Weekly Summary 2026-W47',
          source: `Period: ${monthly ? '2026-11-01' : '2026-11-16'} to 2026-11-22\nPages documented: 3\n  reports / function_doc: 2\n  reports / til: 1\nRepository reports: 4 commits by 2 authors touching 6 files`,
          context: { periodId: monthly ? '2026-11' : '2026-W47', summary: { from: monthly ? '2026-11-01' : '2026-11-16', to: '2026-11-22', totalDocumented: 3, documented: [{ docType: 'function_doc', repo: 'reports', count: 2 }, { docType: 'til', repo: 'reports', count: 1 }], activity: [{ repo: 'reports', commits: 4, authors: ['Ada', 'Grace'], files: 6, topFiles: ['app/fetcher.py', 'app/client.py'] }] } },
        })),
        facts: makeFacts({ signature: null, params: [], isAsync: null, calls: [], blocking: [], complexity: null, callers: [], docstring: null, recentCommits: [], churn: null, extra: { kind: 'repository', file: '.', blockingAnalysed: false } }),
      };
    }
    case 'async_analysis':
      return {
        target: makeTarget('async_analysis', repoWide({
          displayName: 'reports async analysis',
          source: '# Blocking calls in async code: reports\n\n| file | line | function | call | category |\n|---|---:|---|---|---|\n| app/fetcher.py | 50 | Fetcher.fetch_report | open | file I/O |\n| app/fetcher.py | 52 | Fetcher.fetch_report | subprocess.run | subprocess |',
          context: { asyncFunctions: 4, findings: 2 },
        })),
        facts: makeFacts({ signature: null, params: [], isAsync: null, calls: [], callers: [], complexity: null, docstring: null, recentCommits: [], churn: null, extra: { kind: 'repository', file: '.', blockingAnalysed: true } }),
      };
  }
}
