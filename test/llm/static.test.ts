import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DOC_TYPES, type DocType } from '../../src/config/schema.ts';
import { StaticProvider, STATIC_NOTICE, renderStaticBody, riskyCalls } from '../../src/llm/providers/static.ts';
import { LlmError, type Facts } from '../../src/llm/types.ts';
import type { Target } from '../../src/targets/types.ts';
import { makeFacts, makeTarget } from './helpers.ts';

/** A target and facts per doc type, with the context each finder provides. */
function fixture(docType: DocType): { target: Target; facts: Facts } {
  switch (docType) {
    case 'class_doc':
      return {
        target: makeTarget(docType, { displayName: 'Fetcher', functionName: null }),
        facts: makeFacts({
          signature: null,
          params: [],
          isAsync: null,
          calls: [],
          blocking: [],
          extra: { kind: 'class', bases: ['BaseFetcher'], methods: [{ name: 'fetch_report', line: 40, async: true, params: ['self', 'url'] }] },
        }),
      };
    case 'file_doc':
      return {
        target: makeTarget(docType, { displayName: 'fetcher', functionName: null, className: null }),
        facts: makeFacts({
          signature: null, params: [], isAsync: null, calls: [], blocking: [], complexity: null,
          extra: { kind: 'file', imports: ['subprocess', 'aiohttp'], symbols: [{ name: 'Fetcher', kind: 'class', line: 12, async: false }], lines: 120, nloc: 90 },
        }),
      };
    case 'module_doc':
      return {
        target: makeTarget(docType, { displayName: 'app', relPath: 'app/__init__.py', context: { directory: 'app', listing: ['app/__init__.py (10 lines, 1 symbols)', 'app/fetcher.py (120 lines, 4 symbols)'], exported: ['Fetcher', 'make_app'], fileCount: 2 } }),
        facts: makeFacts({ signature: null, calls: [], blocking: [], extra: { kind: 'file' } }),
      };
    case 'code_evolution':
      return {
        target: makeTarget(docType, {
          displayName: 'fetcher.py @ a1b2c3d',
          source: '@@ -1,2 +1,3 @@\n import os\n-x = 1\n+x = 2\n+y = 3',
          context: { change: { commit: 'a1b2c3d4e5', date: Date.UTC(2026, 10, 20), author: 'Ada', subject: 'Store reports on disk', path: 'app/fetcher.py', added: 2, deleted: 1, isNew: false } },
        }),
        facts: makeFacts({ signature: null, calls: [], blocking: [], extra: { kind: 'file' } }),
      };
    case 'pattern_analysis':
      return {
        target: makeTarget(docType, { displayName: 'fetcher (factory)', context: { pattern: 'factory', indicators: ['a `create_*` function', 'returns new instances'] } }),
        facts: makeFacts({ signature: null, calls: [], blocking: [], extra: { kind: 'file', symbols: [{ name: 'create_fetcher', kind: 'function', line: 3 }] } }),
      };
    case 'weekly_summary':
    case 'monthly_summary':
      return {
        target: makeTarget(docType, {
          displayName: 'Weekly Summary 2026-W47',
          relPath: '.',
          language: 'text',
          context: {
            summary: {
              period: 'week', from: '2026-11-13', to: '2026-11-20', totalDocumented: 5,
              documented: [{ docType: 'til', repo: 'reports', count: 2 }, { docType: 'function_doc', repo: 'reports', count: 3 }],
              activity: [{ repo: 'reports', commits: 9, authors: ['Ada', 'Lin'], files: 4, topFiles: ['app/fetcher.py (5)'] }],
            },
            periodId: '2026-W47',
          },
        }),
        facts: makeFacts({ signature: null, calls: [], blocking: [], extra: { kind: 'repository' } }),
      };
    case 'async_analysis':
      return {
        target: makeTarget(docType, { displayName: 'reports async analysis', relPath: '.', context: {} }),
        facts: makeFacts({ signature: null, calls: [], extra: { kind: 'repository', blockingAnalysed: true } }),
      };
    default:
      return { target: makeTarget(docType), facts: makeFacts() };
  }
}

test('every doc type gets a static body that opens with the no-LLM statement', () => {
  for (const docType of DOC_TYPES) {
    const { target, facts } = fixture(docType);
    const body = renderStaticBody(docType, target, facts);
    assert.ok(body.startsWith(STATIC_NOTICE + '\n\n'), `${docType}: ${body.slice(0, 80)}`);
    assert.match(STATIC_NOTICE, /static analysis/);
    assert.match(STATIC_NOTICE, /no language model/);
    assert.ok(body.length > STATIC_NOTICE.length + 40, `${docType} body is too thin`);
    assert.ok(!body.includes('undefined') && !body.includes('[object Object]'), `${docType}: ${body}`);
  }
});

test('the same input gives byte-identical static output, also from separate objects', async () => {
  const p = new StaticProvider();
  for (const docType of DOC_TYPES) {
    const a = fixture(docType);
    const b = fixture(docType);
    const ra = await p.generate({ system: 's', prompt: 'p', context: { docType, ...a } });
    const rb = await p.generate({ system: 'other', prompt: 'other', context: { docType, ...b } });
    assert.equal(ra.text, rb.text, docType);
  }
});

test('a static function doc says purpose, parameters with defaults and use, returns, side effects, callers with the calling line, tests and history', () => {
  const facts = makeFacts();
  facts.extra.callSites = [{ caller: 'Scheduler.run', file: 'app/scheduler.py', line: 88, excerpt: 'path = await self.fetcher.fetch_report(url)' }];
  facts.extra.testSites = [{ caller: 'test_fetch', file: 'tests/test_fetcher.py', line: 12, excerpt: 'assert await f.fetch_report("u") is None' }];
  const body = renderStaticBody('function_doc', makeTarget(), facts);
  // the purpose leads the page, in one line
  assert.equal(body.split('\n')[2], '**Purpose:** Download the report at url and store it.');
  assert.match(body, /```python\nasync def fetch_report\(self, url, timeout=10\)\n```/);
  assert.match(body, /\| `url` \| — \| required \| `self\.client\.get` \(line 46\), `self\._path_for` \(line 49\) \|/);
  assert.match(body, /\| `timeout` \| — \| `10` \| `self\.client\.get` \(line 46\) \|/);
  assert.match(body, /- Returns `None` \(line 48\); `path` \(line 53\)\./);
  assert.match(body, /- file system: `open` \(line 50\)\n- subprocess: `subprocess\.run` \(line 52\)/);
  assert.match(body, /- `Scheduler\.run` at `app\/scheduler\.py:88`: `path = await self\.fetcher\.fetch_report\(url\)`/);
  assert.match(body, /### Tests\n\n- `test_fetch` at `tests\/test_fetcher\.py:12`/);
  assert.match(body, /1 call site in 1 file depends on its signature/);
  assert.match(body, /- `a1b2c3d` 2026-11-20: Store reports on disk \(Ada\)/);
  // no fact-sheet filler
  assert.doesNotMatch(body, /Tokens:|is called at \d+ places/);
});

test('without a docstring the purpose is derived from the name and what the code calls and returns', () => {
  const source = 'def scan_repo(self, root):\n    files = self._walk(root)\n    return self._index(files)';
  const facts = makeFacts({ docstring: null, isAsync: false, blocking: [], calls: [{ callee: 'self._walk', line: 41, awaited: false }, { callee: 'self._index', line: 42, awaited: false }] });
  const body = renderStaticBody('function_doc', makeTarget('function_doc', { source, functionName: 'scan_repo', displayName: 'Scanner.scan_repo', className: 'Scanner' }), facts);
  assert.equal(body.split('\n')[2], '**Purpose** (derived from its name and code; it has no docstring): “scan repo”: calls `self._walk` and `self._index`; returns `self._index(files)`.');
  assert.match(body, /\| `root` \| — \| required \| `self\._walk` \(line 41\) \|/);
});

test('a JSDoc purpose stops at its first tag, and a placeholder docstring counts as none', () => {
  const jsdoc = 'PushInteractor is the class that handle pushing data to KM\n@param {Object} opts interactor options\n@param {PM2Client} ipm2 pm2 daemon client';
  const body = renderStaticBody('function_doc', makeTarget(), makeFacts({ docstring: jsdoc }));
  assert.equal(body.split('\n')[2], '**Purpose:** PushInteractor is the class that handle pushing data to KM.');
  const placeholder = renderStaticBody('function_doc', makeTarget(), makeFacts({ docstring: 'Description\n@param {Boolean} debug' }));
  assert.match(placeholder.split('\n')[2], /^\*\*Purpose\*\* \(derived from its name and code; it has no docstring\)/);
});

test('a static function doc never calls an awaited call blocking', () => {
  const body = renderStaticBody('function_doc', makeTarget(), makeFacts());
  const blockingPart = body.slice(body.indexOf('### Blocking calls'));
  assert.ok(!/_wait_ready|client\.get/.test(blockingPart.split('###')[1]), blockingPart);
});

test('a static security review lists the risky calls found in the facts and only those', () => {
  const body = renderStaticBody('security_review', makeTarget('security_review'), makeFacts());
  assert.match(body, /`subprocess\.run` \(line 52\): command execution/);
  assert.match(body, /`open` \(line 50\): file access/);
  assert.ok(!body.includes('`self._path_for` ('), 'a plain helper is not listed as risky');
  const calls = riskyCalls(makeFacts({ calls: [{ callee: 'eval', line: 3, awaited: false }, { callee: 'pickle.loads', line: 4, awaited: false }, { callee: 'len', line: 5, awaited: false }] }));
  assert.deepEqual(calls.map((c) => [c.callee, c.category]), [['eval', 'code execution'], ['pickle.loads', 'unsafe deserialisation']]);
});

test('a static security review of code without risky calls says none matched', () => {
  const facts = makeFacts({ calls: [{ callee: 'len', line: 2, awaited: false }] });
  const body = renderStaticBody('security_review', makeTarget('security_review'), facts);
  assert.match(body, /None of the 1 distinct call matches a known risky API/);
});

test('a static performance analysis lists the blocking calls with their fixes and no trivia', () => {
  const facts = makeFacts({ complexity: { cyclomatic: 14, nloc: 70, maxNesting: 5, params: 3, tokens: 400 }, calls: [...makeFacts().calls, { callee: 'isinstance', line: 47, awaited: false }, { callee: 'isinstance', line: 48, awaited: false }, { callee: 'isinstance', line: 49, awaited: false }] });
  const body = renderStaticBody('performance_analysis', makeTarget('performance_analysis'), facts);
  assert.match(body, /has 2 concrete costs with a known fix/);
  assert.match(body, /- `open` at line 50: file I\/O \(direct\)\. Fix: use aiofiles or asyncio\.to_thread\./);
  assert.match(body, /- `subprocess\.run` at line 52: subprocess \(direct\)/);
  assert.match(body, /Awaited \(these yield to the event loop and do not block it\): `self\._wait_ready`, `self\.client\.get`/);
  assert.doesNotMatch(body, /isinstance/);
});

test('a static summary renders the counts it was given', () => {
  const { target, facts } = fixture('weekly_summary');
  const body = renderStaticBody('weekly_summary', target, facts);
  assert.match(body, /From 2026-11-13 to 2026-11-20 the DevLog gained 5 pages\./);
  assert.match(body, /\| reports \| function_doc \| 3 \|/);
  assert.match(body, /\| reports \| 9 \| 2 \| 4 \|/);
});

test('a static TIL about blocking code names the first blocking call', () => {
  const body = renderStaticBody('til', makeTarget('til'), makeFacts());
  assert.match(body, /^TIL: calling `open` inside async code freezes the whole event loop/m);
  const words = body.split('\n').find((l) => l.startsWith('TIL:'))!.split(/\s+/).length;
  assert.ok(words >= 50 && words <= 100, `${words} words`);
});

test('the static provider refuses a request without facts and is always healthy', async () => {
  const p = new StaticProvider();
  await assert.rejects(p.generate({ system: '', prompt: 'x' }), (e: unknown) => e instanceof LlmError && e.kind === 'bad_response');
  const h = await p.health();
  assert.equal(h.ok, true);
  assert.equal(h.url, 'static');
});

test('a static function doc says how it works: early exits, loops and handlers, and warns about swallowed exceptions once', () => {
  const source = [
    'def sync_all(self, repos):',
    '    if not repos:',
    '        return 0',
    '    done = 0',
    '    for repo in repos:',
    '        try:',
    '            self._sync(repo)',
    '        except Exception:',
    '            pass',
    '        done += 1',
    '    return done',
  ].join('\n');
  const facts = makeFacts({ docstring: 'Sync every repository\nCounts the ones done', isAsync: false, blocking: [], calls: [{ callee: 'self._sync', line: 46, awaited: false }] });
  const body = renderStaticBody('function_doc', makeTarget('function_doc', { source, functionName: 'sync_all', displayName: 'Syncer.sync_all', className: 'Syncer' }), facts);
  assert.match(body, /\*\*Purpose:\*\* Sync every repository\. Counts the ones done\./);
  assert.match(body, /- Returns early with `0` when `not repos` \(line 41\)\./);
  assert.match(body, /- Loops: `for repo in repos` \(line 44\)\./);
  // the swallowed handler is said once, under Gotchas, not again under How it works
  assert.doesNotMatch(body, /- Catches `Exception` at line 47/);
  assert.match(body, /### Gotchas\n\n- \*\*swallowed exception\*\* at line 47: `except Exception:` catches `Exception` raised in the `try` block \(lines 45–46: `self\._sync`\), and execution goes on after the `try` as if the block had succeeded; nothing is logged, so the error leaves no trace\./);
});

test('returns and raises of nested functions and callbacks are not the outer function\'s', () => {
  const js = [
    'function copydirSync(from, to, options) {',
    "  options.filter = typeof options.filter === 'function' ? options.filter : function(state, filepath) {",
    '    return options.filter;',
    '  };',
    '  fs.readdir(from, (err, names) => {',
    '    if (err) throw err;',
    '    return names;',
    '  });',
    "  if (!to) throw new Error('no target');",
    '  return new Promise((resolve) => {',
    '    resolve(1);',
    '  });',
    '}',
  ].join('\n');
  const body = renderStaticBody('function_doc', makeTarget('function_doc', { source: js, functionName: 'copydirSync', displayName: 'copydirSync', className: null, language: 'javascript', startLine: 1, endLine: 13 }), makeFacts({ docstring: null, isAsync: false, blocking: [] }));
  assert.match(body, /- Returns `new Promise\(\(resolve\) => \{…\}\)` \(line 10\)\./);
  assert.match(body, /- Raises `Error` \(line 9\)\./);
  assert.doesNotMatch(body, /Raises[^\n]*err/);
  const py = ['def retry(times):', '    def decorator(fn):', '        def wrapper(*a):', '            raise OSError()', '        return wrapper', '    return decorator'].join('\n');
  const pyBody = renderStaticBody('function_doc', makeTarget('function_doc', { source: py, functionName: 'retry', displayName: 'retry', className: null, startLine: 1, endLine: 6 }), makeFacts({ docstring: null, isAsync: false, blocking: [] }));
  assert.match(pyBody, /- Returns `decorator` \(line 6\)\./);
  assert.match(pyBody, /It raises no exception itself/);
});

test('a file page skips a licence header for its purpose and shows prototype methods as their constructor class', () => {
  const source = [
    '/**',
    ' * Copyright 2013-present the PM2 project authors. All rights reserved.',
    ' * Use of this source code is governed by a license that can be found in the LICENSE file.',
    ' */',
    "var API = module.exports = function(opts) { this.opts = opts }",
    'API.prototype.connect = function (cb) { cb() }',
    'API.prototype.close = function (cb) { cb() }',
    'helpers.pad = function (s) { return s }',
  ].join('\n');
  const body = renderStaticBody('file_doc', makeTarget('file_doc', { source, language: 'javascript', relPath: 'lib/API.js', displayName: 'API', functionName: null, className: null }), makeFacts({
    signature: null, params: [], isAsync: null, calls: [], blocking: [], complexity: null,
    extra: {
      kind: 'file', imports: [], lines: 8, nloc: 4,
      symbols: [
        { name: 'module.exports', kind: 'function', line: 5, async: false },
        { name: 'API.prototype.connect', kind: 'function', line: 6, async: false },
        { name: 'API.prototype.close', kind: 'function', line: 7, async: false },
        { name: 'helpers.pad', kind: 'function', line: 8, async: false },
      ],
    },
  }));
  assert.doesNotMatch(body, /\*\*Purpose:\*\* Copyright/);
  assert.match(body, /\*\*Purpose\*\* \(read from its name and contents; its module docstring is only a header \(author, copyright or file name\), not a description\)/);
  assert.match(body, /1 class and 2 top-level functions\./);
  assert.match(body, /- class `API` \(line 6\): a constructor with 2 prototype methods\./);
  assert.match(body, /- function `helpers\.pad` \(line 8\)/);
  assert.doesNotMatch(body, /API\.prototype/);
});

test('a licence paragraph before the description is skipped, the description kept', () => {
  const source = ['"""Copyright (c) 2020 Example Corp. Licensed under the MIT License.', '', 'Schedules documentation cycles at a human pace."""', 'import os'].join('\n');
  const body = renderStaticBody('file_doc', makeTarget('file_doc', { source, displayName: 'sched', functionName: null, className: null }), makeFacts({ signature: null, params: [], isAsync: null, calls: [], blocking: [], complexity: null, extra: { kind: 'file', imports: ['os'], symbols: [], lines: 4, nloc: 2 } }));
  assert.match(body, /\*\*Purpose:\*\* Schedules documentation cycles at a human pace\./);
  assert.match(body, /It defines no top-level function or class\./);
});
