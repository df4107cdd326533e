import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkGrounding, formatFeedback, groundingScore, normaliseIndentation, parsePageParts } from '../../src/llm/grounding.ts';
import { checkPage, inventoryPage, profilePage, renderPage } from './helpers.ts';

test('identifiers in code spans and name() forms that the code lacks are ungrounded, with their page line', async () => {
  const md = inventoryPage('First it calls `validate_store()`.\n\nThen parse_headers() runs, and `self.retry_budget` is checked.');
  const lines = md.split('\n');
  const r = await checkPage(md);
  assert.deepEqual(r.ungrounded, [
    { identifier: 'validate_store', line: lines.findIndex((l) => l.includes('validate_store')) + 1 },
    { identifier: 'parse_headers', line: lines.findIndex((l) => l.includes('parse_headers')) + 1 },
    { identifier: 'self.retry_budget', line: lines.findIndex((l) => l.includes('retry_budget')) + 1 },
  ]);
});

test('keywords, builtins, globals and standard-library APIs are not ungrounded', async () => {
  const py = await checkPage(inventoryPage('It uses `len()`, `isinstance`, `None`, `await`, `async def`, `__init__` and could use `asyncio.gather` or `aiofiles.open`.'));
  assert.deepEqual(py.ungrounded, []);
  const ts = await checkPage(profilePage('Use `Promise.all`, `JSON.stringify()`, `console.log`, `fs.promises.readFile` and `setTimeout` with `undefined`.'));
  assert.deepEqual(ts.ungrounded, []);
});

test('phrases, numbers, strings, paths and CLI flags in backticks are not identifiers', async () => {
  const r = await checkPage(inventoryPage('In `dry run mode` it retries `3` times, writes `"w"` files to `reports/x.csv` and `inventory/sync.py`, see `--verbose`, `O(n)` and `ollama pull qwen2.5:7b`.'));
  assert.deepEqual(r.ungrounded, []);
});

test('dotted names ground when every part exists in the code, including strings and comments', async () => {
  const ok = await checkPage(inventoryPage('It iterates `levels.items()` and writes `reports` with `session.add`.'));
  assert.deepEqual(ok.ungrounded, []);
  const bad = await checkPage(inventoryPage('It calls `session.rollback()` on failure.'));
  assert.deepEqual(bad.ungrounded.map((u) => u.identifier), ['session.rollback']);
});

test('fenced code in the body and the Source Code block are not checked', async () => {
  const r = await checkPage(inventoryPage('Example:\n\n```python\nawait sync_inventory(make_session(), "s1")\n```\n\nDone.'));
  assert.deepEqual(r.ungrounded, []);
});

test('identifiers from the context are grounded', async () => {
  const md = inventoryPage('It is called by `run_nightly_sync` in `jobs/nightly.py`.');
  assert.deepEqual((await checkPage(md)).ungrounded.map((u) => u.identifier), ['run_nightly_sync']);
  assert.deepEqual((await checkPage(md, ['callers: run_nightly_sync (jobs/nightly.py:12)'])).ungrounded, []);
});

test('groundingScore applies the threshold to ungrounded identifiers and allows no contradiction', () => {
  const u = (n: number): { identifier: string; line: number }[] => Array.from({ length: n }, (_, i) => ({ identifier: `x${i}`, line: i }));
  assert.deepEqual(groundingScore({ ungrounded: u(3), contradictions: [] }, 3), { grounded: true, ungroundedCount: 3, contradictionCount: 0 });
  assert.equal(groundingScore({ ungrounded: u(4), contradictions: [] }, 3).grounded, false);
  assert.equal(groundingScore({ ungrounded: [], contradictions: [{ identifier: 'f', claim: 'c', fact: 'awaited at line 2' }] }, 3).grounded, false);
});

test('formatFeedback names each false claim with its fact and lists unknown names', () => {
  const text = formatFeedback({
    ungrounded: [{ identifier: 'parse_headers', line: 4 }],
    contradictions: [{ identifier: 'fetch_stock', claim: '`fetch_stock()` blocks the event loop.', fact: 'awaited at line 44' }],
  });
  assert.match(text, /`fetch_stock\(\)` blocks the event loop\..*`fetch_stock` awaited at line 44/);
  assert.match(text, /`parse_headers`/);
  assert.equal(formatFeedback({ ungrounded: [], contradictions: [] }), '');
});

test('parsePageParts reads the header, the Source Code block and the prose lines', () => {
  const md = inventoryPage('Body line.');
  const p = parsePageParts(md);
  assert.equal(p.title, 'sync_inventory');
  assert.equal(p.file, 'inventory/sync.py');
  assert.deepEqual(p.lines, { start: 40, end: 56 });
  assert.ok(p.source?.startsWith('async def sync_inventory('));
  assert.deepEqual(
    p.prose.filter((l) => l.text.trim() !== '').map((l) => l.text),
    ['## Documentation', 'Body line.'],
  );
});

test('normaliseIndentation removes shared indentation and re-seats a de-indented first line, keeping line count', () => {
  assert.equal(normaliseIndentation('    def f(self):\n        return 1'), 'def f(self):\n    return 1');
  const excerpt = 'async def run(self) -> None:\n        if self.ready:\n            await self.start()\n\n        return None';
  assert.equal(normaliseIndentation(excerpt), 'async def run(self) -> None:\n    if self.ready:\n        await self.start()\n\n    return None');
});

test('a method excerpt whose first line was de-indented (seed 000 layout) yields its awaited calls', async () => {
  const source = 'async def run(self) -> None:\n        if self.ready:\n            await self.start()\n        return None';
  const md = renderPage({ title: 'Worker.run', file: 'w.py', language: 'python', lines: [100, 103], source, body: '`self.start()` blocks the event loop.' });
  const r = await checkPage(md);
  assert.deepEqual(r.contradictions.map((c) => [c.identifier, c.fact]), [['self.start', 'awaited at line 102']]);
});

test('a markdown listing (summaries) is checked for identifiers only', async () => {
  const markdown = '# Week of 2026-11-16\n\n**Type:** Weekly Summary\n\n---\n\n## Weekly Summary\n\nThis week documented `sync_inventory` and `loadProfile`, and `ghost_fn`, which is blocking.\n';
  const r = await checkGrounding({ markdown, source: '- function_doc: sync_inventory (inventory/sync.py)\n- til: loadProfile (src/profile/load.ts)', language: 'markdown' });
  assert.deepEqual(r, { ungrounded: [{ identifier: 'ghost_fn', line: 9 }], contradictions: [] });
});
