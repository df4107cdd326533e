import { symbolTarget } from '../../src/targets/common.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractSource } from '../../src/index/extract.ts';
import type { CodeSymbol, CommitInfo, FileRecord, LanguageId, RepoIndex } from '../../src/index/types.ts';
import type { Target } from '../../src/targets/types.ts';
import { buildFacts, renderFactsBlock } from '../../src/llm/facts.ts';
import { parseParameters } from '../../src/llm/declaration.ts';
import { checkGrounding } from '../../src/llm/grounding.ts';

const STOCK_PY = `import time
from shop.net import http_get


class StockClient:
    def __init__(self, base):
        self.base = base

    async def fetch_stock(self, store_id, timeout=5.0):
        """Fetch stock levels for one store."""
        raw = await http_get(f"{self.base}/stock/{store_id}", timeout=timeout)
        time.sleep(0.01)
        return parse_levels(raw)

    async def refresh(self, stores):
        for s in stores:
            await self.fetch_stock(s)


def parse_levels(raw):
    return dict(raw)
`;

const NIGHTLY_PY = `from shop.stock import parse_levels
import shop.stock as stock


async def nightly(client, raw):
    await client.fetch_stock("s1")
    levels = parse_levels(raw)
    again = stock.parse_levels(raw)
    return levels, again
`;

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 23, 12);

async function fileRecord(path: string, language: LanguageId, source: string): Promise<FileRecord> {
  const ex = await extractSource(language, source);
  return { path, language, size: source.length, mtimeMs: 0, hash: path, lines: ex.lines, nloc: ex.nloc, imports: ex.imports, symbols: ex.symbols, hasSyntaxErrors: ex.hasSyntaxErrors, facts: {} };
}

async function repoIndex(): Promise<RepoIndex> {
  const files = [await fileRecord('shop/stock.py', 'python', STOCK_PY), await fileRecord('jobs/nightly.py', 'python', NIGHTLY_PY)];
  const commits: CommitInfo[] = Array.from({ length: 7 }, (_, i) => ({
    hash: `${String(i).repeat(7)}abcdef`,
    date: NOW - i * DAY,
    author: 'Ada',
    subject: `change ${i}`,
    files: i === 1 ? ['jobs/nightly.py'] : ['shop/stock.py'],
  }));
  return {
    root: '/repo',
    files,
    churn: new Map([['shop/stock.py', { commits30d: 6, commits90d: 6, lastModified: NOW - 2 * DAY, authors: ['Ada'] }]]),
    commits,
    isGitRepo: true,
    skipped: {},
    parsed: 2,
    durationMs: 1,
  };
}

function targetFor(index: RepoIndex, relPath: string, symbol: CodeSymbol): Target {
  const repo = { name: 'shop', path: index.root, weight: 5, enabled: true };
  const file = index.files.find((f) => f.path === relPath)!;
  return symbolTarget('function_doc', { repo, index, settings: undefined as never, now: 0 }, file, symbol, 50);
}

function symbolNamed(index: RepoIndex, name: string): CodeSymbol {
  const s = index.files.flatMap((f) => f.symbols).find((x) => x.name === name);
  assert.ok(s, `symbol ${name}`);
  return s;
}

test('buildFacts gives signature, params, async flag and awaited vs plain calls of a method', async () => {
  const index = await repoIndex();
  const facts = buildFacts(targetFor(index, 'shop/stock.py', symbolNamed(index, 'fetch_stock')), index, { now: NOW });
  assert.equal(facts.signature, 'async def fetch_stock(self, store_id, timeout=5.0)');
  assert.deepEqual(facts.params, ['self', 'store_id', 'timeout']);
  assert.equal(facts.isAsync, true);
  assert.deepEqual(
    facts.calls.map((c) => [c.callee, c.line, c.awaited]),
    [
      ['http_get', 11, true],
      ['time.sleep', 12, false],
      ['parse_levels', 13, false],
    ],
  );
  assert.equal(facts.docstring, 'Fetch stock levels for one store.');
});

test('callers resolve self-calls in the same class; a call on an untyped receiver whose name names the class is marked inferred', async () => {
  const index = await repoIndex();
  const facts = buildFacts(targetFor(index, 'shop/stock.py', symbolNamed(index, 'fetch_stock')), index, { now: NOW });
  // `nightly(client, raw)`: `client.fetch_stock(…)` on an unannotated parameter; `client` names `StockClient`
  assert.deepEqual(facts.callers, [{ displayName: 'StockClient.refresh', file: 'shop/stock.py', line: 17 }, { displayName: 'nightly', file: 'jobs/nightly.py', line: 6, inferred: true }]);
});

test('callers of a module function include same-module, imported and module-alias calls', async () => {
  const index = await repoIndex();
  const facts = buildFacts(targetFor(index, 'shop/stock.py', symbolNamed(index, 'parse_levels')), index, { now: NOW });
  assert.deepEqual(
    facts.callers.map((c) => `${c.displayName}@${c.file}:${c.line}`),
    ['StockClient.fetch_stock@shop/stock.py:13', 'nightly@jobs/nightly.py:7', 'nightly@jobs/nightly.py:8'],
  );
});

test('recent commits are the newest five touching the file, and churn is dated from now', async () => {
  const index = await repoIndex();
  const facts = buildFacts(targetFor(index, 'shop/stock.py', symbolNamed(index, 'fetch_stock')), index, { now: NOW });
  assert.deepEqual(
    facts.recentCommits.map((c) => c.subject),
    ['change 0', 'change 2', 'change 3', 'change 4', 'change 5'],
  );
  assert.deepEqual(facts.churn, { commits30d: 6, commits90d: 6, lastModified: '2026-11-21' });
  assert.equal(facts.extra.daysSinceChange, 2);
});

test('the rendered block states async, awaited and plain calls, blocking calls and callers', async () => {
  const index = await repoIndex();
  const blocking = [{ file: 'shop/stock.py', line: 12, call: 'time.sleep', category: 'sleep', kind: 'direct' as const, chain: ['time.sleep'], recommendation: 'asyncio.sleep' }];
  const block = renderFactsBlock(buildFacts(targetFor(index, 'shop/stock.py', symbolNamed(index, 'fetch_stock')), index, { now: NOW, blocking }));
  const lines = block.split('\n');
  assert.equal(lines[0], '## Facts (computed from the code; do not contradict)');
  assert.ok(lines.includes('- async: yes'));
  assert.ok(lines.includes('- awaited calls: http_get (line 11)'));
  assert.ok(lines.includes('- plain (not awaited) calls: time.sleep (line 12), parse_levels (line 13)'));
  assert.ok(lines.some((l) => l.startsWith('- blocking calls reached: time.sleep (shop/stock.py:12, sleep, direct; fix: asyncio.sleep)')));
  assert.ok(lines.includes('- callers in this repository: StockClient.refresh (shop/stock.py:17), nightly (jobs/nightly.py:6, receiver matched by name)'), lines.join('\n'));
  assert.ok(block.includes('- existing docstring:\n  > Fetch stock levels for one store.'));
});

test('without a blocking analysis the block says "not analysed", with an empty one "none found"', async () => {
  const index = await repoIndex();
  const t = targetFor(index, 'shop/stock.py', symbolNamed(index, 'parse_levels'));
  assert.match(renderFactsBlock(buildFacts(t, index, { now: NOW })), /- blocking calls reached: not analysed/);
  assert.match(renderFactsBlock(buildFacts(t, index, { now: NOW, blocking: [] })), /- blocking calls reached: none found/);
  assert.match(renderFactsBlock(buildFacts(t, index, { now: NOW })), /- async: no/);
});

test('a class target lists its methods; a file target its imports and top-level symbols', async () => {
  const index = await repoIndex();
  const cls = buildFacts(targetFor(index, 'shop/stock.py', symbolNamed(index, 'StockClient')), index, { now: NOW });
  assert.equal(cls.signature, null);
  assert.deepEqual((cls.extra.methods as { name: string }[]).map((m) => m.name), ['__init__', 'fetch_stock', 'refresh']);
  assert.match(renderFactsBlock(cls), /- methods \(3\): `def __init__\(self, base\)` line 6; `async def fetch_stock\(self, store_id, timeout=5\.0\)` line 9; `async def refresh\(self, stores\)` line 15/);
  const fileTarget: Target = { ...targetFor(index, 'jobs/nightly.py', symbolNamed(index, 'nightly')), docType: 'file_doc', symbol: undefined, functionName: null, className: null, startLine: 1 };
  const file = buildFacts(fileTarget, index, { now: NOW });
  assert.deepEqual(file.extra.imports, ['shop.stock', 'shop.stock']);
  assert.match(renderFactsBlock(file), /- top-level symbols \(1\): function async nightly \(line 5\)/);
});

test('the facts block grounds a page that names the callers it lists', async () => {
  const index = await repoIndex();
  const symbol = symbolNamed(index, 'parse_levels');
  const block = renderFactsBlock(buildFacts(targetFor(index, 'shop/stock.py', symbol), index, { now: NOW }));
  const markdown = `# parse_levels\n\n**Type:** Documentation\n**File:** shop/stock.py\n**Language:** python\n**Lines:** 20-21\n\n---\n\n## Documentation\n\nCalled by \`nightly\` and \`StockClient.fetch_stock\`.\n`;
  const without = await checkGrounding({ markdown, source: symbol.source, language: 'python' });
  assert.deepEqual(without.ungrounded.map((u) => u.identifier), ['nightly', 'StockClient.fetch_stock']);
  const withFacts = await checkGrounding({ markdown, source: symbol.source, language: 'python', context: [block] });
  assert.deepEqual(withFacts.ungrounded, []);
});

test('parseParameters reads optional, variadic and receiver parameters in Python, TypeScript, Go and Rust', () => {
  const names = (src: string, n: string): string[] | undefined => parseParameters(src, n)?.map((p) => `${p.receiver ? '^' : ''}${p.variadic ? '*' : ''}${p.name}${p.optional ? '?' : ''}`);
  assert.deepEqual(names('def f(self, a, b: int = 3, *args, c: Dict[str, int] = {}, **kw):', 'f'), ['^self', 'a', 'b?', '*args', 'c?', '*kw']);
  assert.deepEqual(names('async function g(ids: string[], opts?: { t: number }, cb: (e: Error) => void = noop): Promise<void> {', 'g'), ['ids', 'opts?', 'cb?']);
  assert.deepEqual(names('func (s *Server) Handle(w http.ResponseWriter, args ...string) error {', 'Handle'), ['w', '*args']);
  assert.deepEqual(names('pub async fn load(&self, path: &Path) -> Result<()> {', 'load'), ['^&self', 'path']);
  assert.deepEqual(names('export const syncAll = async (items, opts = {}) => {', 'syncAll'), ['items', 'opts?']);
});
