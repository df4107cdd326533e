import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { blockingFactsForSymbol, blockingSummaryFacts, formatBlockingTerminal, loadReportSources, renderBlockingMarkdown, toBlockingJson } from '../../src/analysis/blocking/index.ts';
import { analyze, py } from './helpers.ts';

const FILES = {
  'svc/__init__.py': '',
  'svc/bus.py': py`
    import json
    import time
    class Bus:
        def _append(self, m):
            with open("bus.jsonl", "a") as f:
                f.write(json.dumps(m))
        async def publish(self, m):
            self._append(m)
        async def wait(self):
            time.sleep(0.1)
  `,
  'api/views.ts': "import fs from 'node:fs';\nexport async function load(p: string) {\n  return fs.readFileSync(p, 'utf8');\n}\n",
};

function sourceOf(files: Record<string, string>) {
  return (file: string, line: number, end: number) => files[file]?.split('\n').slice(line - 1, end).join('\n') ?? null;
}

describe('blocking report outputs', () => {
  it('the JSON document has exactly the keys of the issue', async () => {
    const json = toBlockingJson(await analyze(FILES));
    assert.deepEqual(Object.keys(json), ['root', 'files', 'async_functions', 'findings', 'components']);
    assert.deepEqual(Object.keys(json.findings[0]), ['file', 'line', 'end_line', 'function', 'kind', 'category', 'call', 'chain', 'severity', 'recommendation']);
    assert.deepEqual(Object.keys(json.components[0]), ['path', 'async_functions', 'with_findings', 'adoption_pct']);
    assert.equal(json.files, 3);
    assert.equal(json.async_functions, 3);
  });
  it('findings are ordered by severity, then file and line', async () => {
    const r = await analyze(FILES);
    assert.deepEqual(r.findings.map((f) => [f.severity, f.file, f.line]), [['high', 'svc/bus.py', 10], ['medium', 'api/views.ts', 3], ['medium', 'svc/bus.py', 5]]);
  });
  it('the Markdown report carries summary, adoption table, located excerpts, impact and roadmap', async () => {
    const r = await analyze(FILES);
    const md = renderBlockingMarkdown(r, { repoName: 'demo', now: new Date('2026-01-02T10:00:00Z'), sourceOf: sourceOf(FILES) });
    assert.match(md, /^# demo Async\/Await Blocking Analysis\n/);
    assert.match(md, /\*\*Date:\*\* 2026-01-02/);
    assert.match(md, /## Executive Summary\n\nThis report analyses \*\*demo\*\* .* \*\*3 blocking operations\*\*: 2 written directly inside async functions and 1 inside synchronous helpers/);
    assert.match(md, /\| `svc` \| 2 \| 2 \| 0% \| ❌ Blocking \|/);
    assert.match(md, /\*\*Location:\*\* `svc\/bus\.py:5-6`/);
    assert.match(md, /```python\nwith open\("bus\.jsonl", "a"\) as f:\n {4}f\.write\(json\.dumps\(m\)\)\n```/);
    assert.match(md, /\*\*Call chain:\*\* `Bus\.publish` → `Bus\._append`/);
    assert.match(md, /## Impact Assessment\n\n\| Operation Type \|/);
    assert.match(md, /## Implementation Roadmap\n\n### Phase 1: High-severity operations on hot paths|## Implementation Roadmap\n\n### Phase 1: Remaining high-severity operations/);
    assert.match(md, /- \[ \] `svc\/bus\.py`: make `Bus\._append` async or offload it from `Bus\.publish`/);
  });
  it('each finding is described once: the roadmap points to its section (1.1) or to Further Findings instead of repeating its calls and lines', async () => {
    const r = await analyze(FILES);
    const md = renderBlockingMarkdown(r, { repoName: 'demo', now: new Date(0), sourceOf: sourceOf(FILES) });
    const roadmap = /## Implementation Roadmap\n([\s\S]*?)### Success Metrics/.exec(md)![1];
    const items = roadmap.split('\n').filter((l) => l.startsWith('- [ ]'));
    assert.equal(items.length, 3, roadmap);
    for (const item of items) assert.doesNotMatch(item, /\(line \d+\)|time\.sleep|readFileSync|f\.write/, item);
    // the section each item points to holds that function's finding
    for (const item of items) {
      const n = /\(finding (\d+\.\d+)\)$/.exec(item)![1];
      const fn = /(?:make|convert) `([^`]+)`/.exec(item)![1];
      assert.match(md, new RegExp(`#### ${n.replace('.', '\\.')} [^\n]*\`${fn.replace('.', '\\.')}\``), item);
    }
    // with one detailed section, the rest are pointed to the table
    const short = renderBlockingMarkdown(r, { repoName: 'demo', now: new Date(0), sourceOf: sourceOf(FILES), detailed: 1 });
    assert.match(short, /- \[ \] `[^`]+`: [^\n]*\(one call in Further Findings\)/);
  });
  it('an executive summary given by the caller replaces the generated one', async () => {
    const md = renderBlockingMarkdown(await analyze(FILES), { repoName: 'demo', now: new Date(0), sourceOf: () => null, executiveSummary: 'Written from the findings.' });
    assert.match(md, /## Executive Summary\n\nWritten from the findings\.\n/);
    assert.match(md, /_Source not available; see `svc\/bus\.py:10`\._/);
  });
  it('a long with-block excerpt is cut at a line boundary and says how many lines were left out', async () => {
    const body = Array.from({ length: 20 }, (_, i) => `        f.write("${i}")`).join('\n');
    const files = { 'w.py': `async def dump():\n    with open("x", "w") as f:\n${body}\n` };
    const md = renderBlockingMarkdown(await analyze(files), { repoName: 'w', now: new Date(0), sourceOf: sourceOf(files) });
    assert.match(md, / {4}f\.write\("10"\)\n# … 9 more lines \(to line 22\)\n```/);
  });
  it('several blocking lines of one function and chain form one section', async () => {
    const files = { 's.py': 'import socket\n\ndef greet(c: socket.socket):\n    c.send(b"a")\n    c.send(b"b")\n\nasync def serve(c):\n    greet(c)\n' };
    const md = renderBlockingMarkdown(await analyze(files), { repoName: 's', now: new Date(0), sourceOf: sourceOf(files) });
    assert.match(md, /#### 1\.1 `c\.send` in `greet` \(2 calls\)\n\n\*\*Location:\*\* `s\.py:4-5` \(lines 4, 5\)/);
    assert.doesNotMatch(md, /#### 1\.2/);
  });
  it('a report without findings says so in every section', async () => {
    const md = renderBlockingMarkdown(await analyze({ 'ok.py': 'async def f():\n    return 1\n' }), { repoName: 'ok', now: new Date(0), sourceOf: () => null });
    assert.match(md, /\*\*Status:\*\* No blocking operations found in async code/);
    assert.match(md, /No blocking calls were found in async code\./);
  });
  it('the terminal listing shows location, API, chain and fix', async () => {
    const text = formatBlockingTerminal(await analyze(FILES));
    assert.match(text, /3 files, 3 async functions, 3 findings \(1 high, 2 medium, 0 low\)/);
    assert.match(text, /MEDIUM svc\/bus\.py:5-6 {2}open {2}\[file_io, indirect\]\n {7}in Bus\._append\n {7}chain: Bus\.publish -> Bus\._append\n {7}fix: /);
    assert.match(text, /api {2,}1 {2,}1 {2,}0%/);
  });
  it('blockingFactsForSymbol returns the findings a function holds or reaches', async () => {
    const r = await analyze(FILES);
    assert.deepEqual(blockingFactsForSymbol(r, 'svc/bus.py', 'Bus.publish').map((f) => f.line), [5]);
    assert.deepEqual(blockingFactsForSymbol(r, 'svc/bus.py', 'Bus._append').map((f) => f.line), [5]);
    assert.deepEqual(blockingFactsForSymbol(r, 'api/views.ts', 'load').map((f) => f.line), [3]);
    assert.deepEqual(blockingFactsForSymbol(r, 'other.py', 'Bus.publish'), []);
  });
  it('the summary facts for an LLM prompt carry counts and exact locations', async () => {
    const text = blockingSummaryFacts(await analyze(FILES));
    assert.match(text, /findings: 3 \(high 1, medium 2, low 0\); direct 2, indirect 1/);
    assert.match(text, /- medium file_io indirect: `open` at svc\/bus\.py:5-6 in Bus\._append \(chain Bus\.publish -> Bus\._append\)/);
  });
  it('loadReportSources serves line ranges of the finding files and reports unreadable ones', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cw-src-'));
    try {
      await writeFile(path.join(dir, 'a.py'), 'import time\nasync def f():\n    time.sleep(1)\n');
      const r = await analyze({ 'a.py': 'import time\nasync def f():\n    time.sleep(1)\n', 'gone.py': 'async def g():\n    open("x")\n' });
      const skipped: string[] = [];
      const sourceOf = await loadReportSources(dir, r, (f) => skipped.push(f));
      assert.equal(sourceOf('a.py', 2, 3), 'async def f():\n    time.sleep(1)');
      assert.equal(sourceOf('gone.py', 2, 2), null);
      assert.deepEqual(skipped, ['gone.py']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  it('the JS recommendation names the promise API of the call', async () => {
    const r = await analyze({ 'a.js': "const fs = require('fs');\nasync function rm(p) { fs.unlinkSync(p); }\n" });
    assert.match(r.findings[0].recommendation, /fs\.promises\.unlink\(/);
  });
  it('findings in test code are counted in one table at the end, not listed among the findings', async () => {
    const files = {
      ...FILES,
      'tests/test_bus.py': py`
        import time
        async def test_publish():
            time.sleep(0.5)
            open("fixture.json").read()
      `,
    };
    const md = renderBlockingMarkdown(await analyze(files), { repoName: 'svc', now: new Date(Date.UTC(2026, 0, 5)), sourceOf: sourceOf(files) });
    const [main, tail] = md.split('## Findings in Test Code');
    assert.ok(tail, 'the test-code section exists');
    assert.doesNotMatch(main, /tests\/test_bus\.py/);
    assert.match(main, /\*\*Status:\*\* 3 blocking operations found .*; 2 more in test code/);
    assert.match(tail, /\| `tests\/test_bus\.py` \| 2 \| `time\.sleep`, `open` \|/);
  });
});
