/**
 * How often blocking and performance findings run (issue 12, blind review): "hot path" only with
 * evidence (a request handler, a loop), start-up code said as such and ranked lower, a loop that
 * sleeps between cycles is periodic; repeated findings are one entry and page counts match the
 * lists; a callback of a sync function is not "async code". On a small daemon written for these
 * tests with the original CodeWorm's shapes (a start-up `ensure_directory_structure` with a loop
 * of `touch()`, a dead man's switch that reads a log every 300 s, a route with seven queries).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { analyzeBlocking, renderBlockingMarkdown } from '../../src/analysis/blocking/index.ts';
import type { BlockingReport } from '../../src/analysis/blocking/types.ts';
import { FINDERS } from '../../src/targets/registry.ts';
import { decoratorLines } from '../../src/devlog/shown-source.ts';
import { fixture, staticPage, targetFor, type Fixture } from './support.ts';
import { frequency } from '../../src/llm/providers/static.ts';
import { buildFacts } from '../../src/llm/facts.ts';
import { callSiteFacts } from '../../src/llm/doc-facts.ts';

const FILES: Record<string, string> = {
  'pyproject.toml': '[project]\nname = "relay"\nversion = "1.0"\n\n[project.scripts]\nrelay = "relay.cli:main"\n',
  'relay/__init__.py': '',
  'relay/cli.py': ['from relay.daemon import Daemon', '', '', 'def main():', '    Daemon().run()', ''].join('\n'),
  'relay/daemon.py': [
    'import asyncio',
    'from pathlib import Path',
    '',
    'from relay.store import Store',
    '',
    '',
    'class Daemon:',
    '    def __init__(self):',
    '        self.running = True',
    '        self.store = Store(Path("/srv/relay"))',
    '',
    '    def run(self):',
    '        asyncio.run(self._async_run())',
    '',
    '    async def _async_run(self):',
    '        self.store.ensure_dirs()',
    '        asyncio.create_task(self._watchdog())',
    '        while self.running:',
    '            await self._cycle()',
    '            await asyncio.sleep(60)',
    '',
    '    async def _cycle(self):',
    '        for name in self.store.names():',
    '            self.store.save(name)',
    '',
    '    def _tail_log(self):',
    '        return Path("/var/log/relay.log").read_text()',
    '',
    '    async def _watchdog(self):',
    '        check_interval = 300',
    '        while self.running:',
    '            text = self._tail_log()',
    '            if text and not self.running:',
    '                print(f"tail {text}")',
    '            await asyncio.sleep(check_interval)',
    '',
  ].join('\n'),
  'relay/store.py': [
    'from pathlib import Path',
    '',
    '',
    'class Store:',
    '    def __init__(self, root: Path):',
    '        self.root = root',
    '',
    '    def ensure_dirs(self):',
    '        for d in ["a", "b", "c"]:',
    '            keep = self.root / d / ".keep"',
    '            if not keep.exists():',
    '                keep.touch()',
    '',
    '    def names(self):',
    '        return ["x"]',
    '',
    '    def save(self, name):',
    '        (self.root / name).write_text("x")',
    '',
  ].join('\n'),
  'relay/api.py': [
    'import sqlite3',
    '',
    'from fastapi import APIRouter',
    '',
    'router = APIRouter()',
    '',
    '',
    '@router.get("/stats")',
    'async def get_stats():',
    '    conn = sqlite3.connect("relay.db")',
    '    a = conn.execute("SELECT 1").fetchone()',
    '    b = conn.execute("SELECT 2").fetchone()',
    '    c = conn.execute("SELECT 3").fetchone()',
    '    d = conn.execute("SELECT 4").fetchone()',
    '    return {"a": a, "b": b, "c": c, "d": d}',
    '',
  ].join('\n'),
  'relay/worker.py': [
    'import asyncio',
    'from pathlib import Path',
    '',
    '',
    'def read_state(root):',
    '    return Path(root).read_text()',
    '',
    '',
    'async def main():',
    '    read_state("/srv/a")',
    '    while True:',
    '        await tick()',
    '        await asyncio.sleep(5)',
    '',
    '',
    'async def tick():',
    '    read_state("/srv/b")',
    '',
  ].join('\n'),
  'relay/deploy.py': [
    'import subprocess',
    '',
    '',
    'def rebuild(target):',
    '    subprocess.call("make clean", shell=True)',
    '    print(target)',
    '    subprocess.call("make clean", shell=True)',
    '    subprocess.call("make clean", shell=True)',
    '',
  ].join('\n'),
  'web/run.js': [
    "const { spawn } = require('child_process');",
    "const fs = require('fs');",
    '',
    'function run(cmd) {',
    '  const child = spawn(cmd);',
    "  child.on('close', () => {",
    "    const out = fs.readFileSync('/tmp/out.txt', 'utf8');",
    '    console.log(out);',
    '  });',
    '}',
    '',
    'module.exports = { run };',
    '',
  ].join('\n'),
};

let fx: Fixture;
let report: BlockingReport;
before(async () => {
  fx = await fixture(FILES);
  report = analyzeBlocking(fx.index);
});

function finding(call: string) {
  const i = report.findings.findIndex((f) => f.call === call);
  assert.ok(i >= 0, `${call}: ${report.findings.map((f) => f.call).join(', ')}`);
  return { f: report.findings[i], d: report.details[i] };
}

test('a blocking call only start-up code reaches runs once at start-up, is not a hot path and ranks lower, even in a loop of its own', () => {
  const { f, d } = finding('keep.touch');
  assert.deepEqual(f.chain, ['Daemon._async_run', 'Store.ensure_dirs']);
  assert.equal(d.frequency?.kind, 'startup');
  assert.equal(d.frequency?.ownLoop, true);
  assert.equal(d.hot, false);
  // file I/O is medium; once at start-up it is one level lower, not raised for its loop
  assert.equal(f.severity, 'low');
});

test('a call in a loop of the chain runs once per iteration; one in a loop that sleeps between cycles is periodic, not hot', () => {
  const save = finding('(...).write_text');
  assert.equal(save.d.frequency?.kind, 'loop');
  assert.equal(save.d.frequency?.fn, 'Daemon._cycle');
  assert.equal(save.d.hot, true);
  const tail = finding('Path(...).read_text');
  assert.equal(tail.d.frequency?.kind, 'cycle');
  assert.equal(tail.d.frequency?.fn, 'Daemon._watchdog');
  assert.equal(tail.d.hot, false);
  const q = finding('conn.execute');
  assert.equal(q.d.frequency?.kind, 'request');
});

test('the report says how often each finding runs, names the loop and its line, and never calls start-up code a hot path', async () => {
  const files = new Map<string, string>();
  for (const f of Object.keys(FILES)) files.set(f, await readFile(`${fx.root}/${f}`, 'utf8'));
  const md = renderBlockingMarkdown(report, { repoName: 'relay', now: new Date(0), sourceOf: (file, line, end) => files.get(file)?.split('\n').slice(line - 1, end).join('\n') ?? null });
  const section = (call: string) => md.slice(md.indexOf(`\`${call}\` in`), md.indexOf('**Recommended Solution:**', md.indexOf(`\`${call}\` in`)));
  assert.match(section('keep.touch'), /\*\*Impact:\*\* Runs once at start-up: only start-up code reaches `Daemon._async_run`/);
  assert.doesNotMatch(section('keep.touch'), /hot path \(/);
  assert.match(section('(...).write_text'), /Runs once per iteration of `for name in self.store.names\(\)` \(`relay\/daemon.py:23`\) in `Daemon._cycle`/);
  assert.match(section('Path(...).read_text'), /Runs once per cycle of `while self.running` \(`relay\/daemon.py:31`\) in `Daemon._watchdog`, a loop that sleeps between cycles/);
  assert.match(section('conn.execute'), /Runs on every request or event: `get_stats` is a handler/);
});

test('a blocking call in a callback of a sync function is titled as the callback it is, not "in async code"', () => {
  const targets = FINDERS.performance_analysis.find(fx.input);
  const run = targets.find((t) => t.displayName === 'run');
  assert.ok(run, targets.map((t) => t.displayName).join(', '));
  const titles = (run.context.performanceFindings as { title: string }[]).map((x) => x.title);
  assert.deepEqual(titles, ['blocking file io call in a callback the event loop runs (given to `child.on`)']);
  const api = targets.find((t) => t.displayName === 'get_stats')!;
  assert.ok((api.context.performanceFindings as { title: string }[]).every((x) => x.title.endsWith('in async code')));
});

test('a performance page lists a call repeated at several lines once, and its header counts what the lists show', async () => {
  const t = FINDERS.performance_analysis.find(fx.input).find((x) => x.displayName === 'get_stats')!;
  t.leading = decoratorLines(await readFile(t.absPath, 'utf8'), t.startLine);
  const { body, contradictions, ungrounded } = await staticPage(fx, t);
  const head = /`get_stats` has (\d+) concrete costs? with a known fix(?:, at (\d+) places)?\./.exec(body);
  assert.ok(head, body);
  // the entries under the two lists
  const entries = body.split('\n').filter((l) => /^- (?:\*\*|`)/.test(l));
  assert.equal(Number(head[1]), entries.length, body);
  // four conn.execute lines: one entry with their lines, listed once on the page
  assert.equal(entries.filter((l) => l.includes('`conn.execute`')).length, 1, body);
  assert.match(body, /`conn.execute` at `relay\/api.py` lines 11, 12, 13, 14 \(4 calls\)/);
  assert.equal(contradictions, 0);
  assert.ok(ungrounded.length <= 1, ungrounded.join(', '));
});

test('a function page says a line in a loop that sleeps runs once per cycle, under its condition, and a callee called in a caller\'s loop runs per iteration of that loop', async () => {
  const often = async (display: string, line: number) => {
    const t = await targetFor(fx, 'function_doc', display);
    const facts = buildFacts(t, fx.index, { now: fx.input.now, blocking: [] });
    facts.extra.callSites = callSiteFacts(t, facts, fx.index).callers;
    return frequency(t, facts, line);
  };
  // the f-string of the watchdog: not "every iteration" of a hot loop
  const fstring = await often('Daemon._watchdog', 34);
  assert.equal(fstring.text, 'runs at most once per cycle of `while self.running` (line 31), a loop that waits `asyncio.sleep(check_interval)` (line 35) between cycles, and only when `text and not self.running` (line 33)');
  assert.ok(fstring.rank > 0, 'a periodic line is not ranked as a hot loop');
  const tail = await often('Daemon._tail_log', 27);
  assert.equal(tail.text, 'runs once per cycle of `while self.running` in `Daemon._watchdog` (`relay/daemon.py:31`), a loop that waits `asyncio.sleep(check_interval)` between cycles');
  const save = await often('Store.save', 18);
  assert.equal(save.text, 'runs once per iteration of `for name in self.store.names()` in `Daemon._cycle` (`relay/daemon.py:23`)');
  assert.equal(save.rank, 0);
});

test('a security review lists the same finding at several lines once, with its lines, and its header counts the entries', async () => {
  const { body, contradictions, ungrounded } = await staticPage(fx, await targetFor(fx, 'security_review', 'rebuild'));
  const entries = body.split('\n').filter((l) => l.startsWith('- **'));
  // two rules (B602 shell=True, B607 partial path), each on the same three lines
  assert.equal(entries.length, 2, body);
  for (const e of entries) assert.match(e, / at lines 5, 7, 8 \(3 places\): `subprocess.call\("make clean", shell=True\)`/);
  assert.match(body, /`rebuild` has 2 security findings at 6 places; the highest severity is/);
  assert.equal(contradictions, 0);
  assert.ok(ungrounded.length <= 1, ungrounded.join(', '));
});

test('a helper start-up code and a later cycle both reach is not "once at start-up"', () => {
  const i = report.findings.findIndex((f) => f.file === 'relay/worker.py');
  assert.ok(i >= 0);
  assert.deepEqual(report.findings[i].chain, ['main', 'read_state']);
  assert.equal(report.details[i].frequency?.kind, 'call');
  assert.equal(report.details[i].frequency?.alsoLater, true);
  const md = renderBlockingMarkdown(report, { repoName: 'relay', now: new Date(0), sourceOf: () => null });
  assert.match(md, /Runs once at start-up from `main`, and again each time the other async functions that reach it run; reached from 2 async functions\./);
});

test('a line in a loop of a function only start-up code calls runs per item, but only at start-up, and ranks last', async () => {
  const t = await targetFor(fx, 'function_doc', 'Store.ensure_dirs');
  const facts = buildFacts(t, fx.index, { now: fx.input.now, blocking: [] });
  facts.extra.callSites = callSiteFacts(t, facts, fx.index).callers;
  const fr = frequency(t, facts, 12);
  assert.equal(fr.text, 'runs on the iterations of `for d in ["a", "b", "c"]` (line 9), and only when `not keep.exists()` (line 11); the function itself runs once at start-up (called only from `_async_run`)');
  assert.equal(fr.rank, 3);
});

test('the fix of a read reads, and a FastAPI endpoint that awaits nothing is told to be a plain def first', () => {
  const read = finding('Path(...).read_text');
  assert.match(read.f.recommendation, /data = await f\.read\(\)/);
  assert.doesNotMatch(read.f.recommendation, /f\.write/);
  const q = finding('conn.execute');
  assert.match(q.f.recommendation, /^Cheapest fix: declare `get_stats` with `def` instead of `async def` \(it awaits nothing\): FastAPI runs `def` endpoints in its thread pool, off the event loop\. Otherwise: /);
  // an async function that awaits something keeps the offload advice only
  const save = finding('(...).write_text');
  assert.doesNotMatch(save.f.recommendation, /Cheapest fix/);
});

test('the success metrics name lag tools of the repository\'s languages only', () => {
  const python = { ...report, details: report.details.filter((d) => d.language === 'python'), findings: report.findings.filter((_, i) => report.details[i].language === 'python') };
  const md = renderBlockingMarkdown(python, { repoName: 'relay', now: new Date(0), sourceOf: () => null });
  assert.match(md, /asyncio debug mode/);
  assert.doesNotMatch(md, /perf_hooks/);
});

test('the further findings table has one row per function, each call with its lines', () => {
  const md = renderBlockingMarkdown(report, { repoName: 'relay', now: new Date(0), sourceOf: () => null, detailed: 1 });
  const table = md.slice(md.indexOf('### Further Findings'), md.indexOf('## Impact Assessment'));
  const rows = table.split('\n').filter((l) => l.includes('`Store.ensure_dirs`'));
  assert.equal(rows.length, 1, table);
  assert.match(rows[0], /`keep.exists` \(line 11\), `keep.touch` \(line 12\)/);
  assert.match(rows[0], /\| once at start-up \|$/);
});
