/**
 * Pages about an async Python daemon (issue 12, the blind review beside the seeds): "relay",
 * written for these tests with the shapes the review found explained wrongly on a real code
 * base (test/support/original-repo.ts). Each test is one wrong fact or one thing a new team
 * member missed.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseSource } from '../../src/index/parser.ts';
import type { LanguageId, RepoIndex } from '../../src/index/types.ts';
import { indexRepository } from '../../src/index/indexer.ts';
import { collectPerformance } from '../../src/analysis/performance.ts';
import { collectSecuritySinks } from '../../src/analysis/security/collect.ts';
import type { DocType } from '../../src/config/schema.ts';
import { symbolTarget } from '../../src/targets/common.ts';
import { FINDERS } from '../../src/targets/registry.ts';
import type { FinderInput, Target } from '../../src/targets/types.ts';
import { buildFacts } from '../../src/llm/facts.ts';
import { callSiteFacts } from '../../src/llm/doc-facts.ts';
import { addReaderFacts } from '../../src/llm/reader-facts.ts';
import { renderStaticBody } from '../../src/llm/providers/static.ts';
import type { Facts } from '../../src/llm/types.ts';
import { decoratorLines, shownSource } from '../../src/devlog/shown-source.ts';
import { renderPage } from '../../src/devlog/render.ts';
import { verifyPage } from '../../src/llm/verify-page.ts';
import { cloneOriginal } from '../support/original-repo.ts';

async function perfHits(language: LanguageId, source: string): Promise<string[]> {
  const tree = await parseSource(language, source);
  try {
    return (collectPerformance(tree.rootNode, language)?.f ?? []).map((h) => `${h.l}:${h.r}`);
  } finally {
    tree.delete();
  }
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

let root: string;
let index: RepoIndex;
let input: FinderInput;
before(async () => {
  root = await cloneOriginal();
  index = await indexRepository(root);
  input = { repo: { name: 'codeworm', path: root, weight: 5, enabled: true }, index, settings: undefined as never, now: Date.UTC(2026, 10, 30) };
});

/** A symbol's target, prepared as the cycle prepares it (decorator lines read from the file). */
async function targetFor(docType: DocType, displayName: string): Promise<Target> {
  for (const file of index.files) {
    const symbol = file.symbols.find((s) => s.displayName === displayName);
    if (!symbol) continue;
    const t = symbolTarget(docType, input, file, symbol, 50);
    if (symbol.decorators.length > 0) t.leading = decoratorLines(await readFile(t.absPath, 'utf8'), t.startLine);
    return t;
  }
  throw new Error(`no symbol ${displayName}`);
}

/** The facts the cycle computes for a target: the facts block, call sites, reader facts from git. */
async function factsFor(t: Target): Promise<Facts> {
  const facts = buildFacts(t, index, { now: input.now, blocking: [] });
  if (t.functionName) {
    const sites = callSiteFacts(t, facts, index);
    facts.extra.callSites = sites.callers;
    facts.extra.testSites = sites.tests;
  }
  await addReaderFacts(t, facts, root, index);
  return facts;
}

/** The static page of a target as the cycle writes it, and what `codeworm verify --repo` says of it. */
async function staticPage(t: Target): Promise<{ body: string; page: string; ungrounded: string[]; contradictions: number }> {
  const facts = await factsFor(t);
  const body = renderStaticBody(t.docType, t, facts);
  const shown = shownSource(t);
  const page = renderPage({ displayName: t.displayName, docType: t.docType, repo: 'codeworm', file: t.relPath, language: t.language, startLine: shown.startLine, endLine: t.endLine, complexity: t.cyclomatic, source: shown.source, body, generatedAt: new Date(0), provider: 'static' });
  const v = await verifyPage(page, { repo: root });
  return { body, page, ungrounded: v.result.ungrounded.map((u) => u.identifier), contradictions: v.result.contradictions.length };
}

test('a retry loop is sequential by design: no "await in a loop over independent items" (ModelClient.generate_with_retry)', async () => {
  const client = await readFile(path.join(root, 'relay/llm/client.py'), 'utf8');
  const found = await perfHits('python', client);
  const retry = lineOf(client, 'async def generate_with_retry');
  assert.ok(retry > 0);
  assert.deepEqual(found.filter((h) => h.endsWith('perf-await-in-loop')), [], 'the backoff sleeps and the return on success make the loop sequential');
  // the same shapes, one at a time: first success, loop-carried value, pacing sleep; and the one that is parallelisable
  const py = [
    'import asyncio',
    'async def first(hosts):',
    '    for host in hosts:',
    '        ok = await probe(host)',
    '        if ok:',
    '            return host',
    'async def pages(ids):',
    '    cursor = None',
    '    for i in ids:',
    '        cursor = await fetch(i, cursor)',
    'async def paced(items):',
    '    for item in items:',
    '        await send(item)',
    '        await asyncio.sleep(1)',
    'async def independent(items):',
    '    for item in items:',
    '        await send(item)',
  ].join('\n');
  assert.deepEqual(await perfHits('python', py), ['17:perf-await-in-loop']);
  const ts = [
    'async function retry(n: number) {',
    '  for (let attempt = 0; attempt < n; attempt++) {',
    '    try { return await call(attempt); } catch { await new Promise((r) => setTimeout(r, 100 * attempt)); }',
    '  }',
    '}',
    'async function all(ids: string[]) {',
    '  for (const id of ids) {',
    '    await save(id);',
    '  }',
    '}',
  ].join('\n');
  assert.deepEqual(await perfHits('typescript', ts), ['8:perf-await-in-loop']);
});

test('callers through an attribute are found: self.client.generate_with_retry in PageWriter resolves to ModelClient', async () => {
  const t = await targetFor('performance_analysis', 'ModelClient.generate_with_retry');
  const facts = await factsFor(t);
  const callers = facts.callers.map((c) => `${c.displayName} ${c.file}:${c.line}`);
  const gen = await readFile(path.join(root, 'relay/llm/writer.py'), 'utf8');
  const lines = gen.split('\n').flatMap((l, i) => (l.includes('self.client.generate_with_retry(') ? [i + 1] : []));
  assert.equal(lines.length, 2);
  for (const l of lines) assert.ok(callers.some((c) => c.endsWith(`relay/llm/writer.py:${l}`)), `caller at line ${l} in ${callers.join(', ')}`);
  const { body, ungrounded, contradictions } = await staticPage(t);
  assert.doesNotMatch(body, /No call of|Nothing else in the repository names/);
  assert.doesNotMatch(body, /asyncio\.gather/, 'a retry loop gets no advice to run its attempts concurrently');
  assert.deepEqual([ungrounded, contradictions], [[], 0]);
});

test('a function passed by name is not "never called": the page lists where it is named (a callback, lifespan=lifespan)', async () => {
  const t = await targetFor('function_doc', 'Daemon._on_tick');
  const { body, ungrounded, contradictions } = await staticPage(t);
  assert.match(body, /set_task_callback\(self\._on_tick\)/);
  assert.doesNotMatch(body, /Nothing else in the repository names/);
  assert.deepEqual([ungrounded, contradictions], [[], 0]);
});

test('a TIL about an @asynccontextmanager function explains enter/yield/exit, shows the decorator, and knows the cleanup is skipped on error', async () => {
  const t = await targetFor('til', 'lifespan');
  assert.equal(shownSource(t).source.split('\n')[0], '@asynccontextmanager', 'the source block starts with the decorator');
  const app = await readFile(path.join(root, 'web/app.py'), 'utf8');
  assert.equal(shownSource(t).startLine, lineOf(app, '@asynccontextmanager'), 'the header range starts at the decorator line');
  const { body, ungrounded, contradictions } = await staticPage(t);
  assert.doesNotMatch(body, /generator: it produces items lazily/);
  assert.match(body, /`@asynccontextmanager` turns a generator function into an async context manager/);
  assert.match(body, new RegExp(`yield\` is at line ${lineOf(app, '    yield')}`));
  assert.match(body, /Entering runs `await start_subscriber\(\)`/);
  assert.match(body, /Leaving runs `await stop_subscriber\(\)`.*not in a `try`\/`finally`/);
  // a lifespan wraps the whole run: request errors never reach it, so the missing finally is no request-time gotcha
  assert.match(body, /not in a `try`\/`finally`, which matters little here: an error in a request is handled by the server and never reaches this block/);
  assert.match(body, new RegExp(`web/app.py:${lineOf(app, 'lifespan = lifespan')}`), 'where it is used: FastAPI(lifespan=lifespan)');
  assert.deepEqual([ungrounded, contradictions], [[], 0]);
});

test('a security review of a /tmp path shared with a start script says so and does not suggest tempfile; the result flows into HTML', async () => {
  const t = await targetFor('security_review', 'Daemon._tail_log');
  const { body, ungrounded, contradictions } = await staticPage(t);
  const start = await readFile(path.join(root, 'scripts/start.sh'), 'utf8');
  assert.match(body, /Shared path/);
  // one entry per file, its other lines after it (the reader has one file to change, not two places)
  assert.match(body, new RegExp(`scripts/start.sh:${lineOf(start, '> /tmp/relay.log')}\`: [^\n]*; also line ${lineOf(start, 'tail -f /tmp/relay.log')}\n`));
  assert.doesNotMatch(body, /use tempfile\.mkstemp/);
  // it only reads the log: the page says read, from the call, not "read or write"
  const daemon = await readFile(path.join(root, 'relay/daemon.py'), 'utf8');
  assert.match(body, new RegExp(`makes this code read another file \\(\`log_path\\.read_text\` at line ${lineOf(daemon, 'log_path.read_text(')}\\)`));
  assert.doesNotMatch(body, /read or write|write to another file/);
  const { fileAccess } = await import('../../src/llm/providers/static-code.ts');
  const src = 'def f(p, q):\n    with open(p, "a") as out:\n        out.write(x)\n    data = open(q).read()\n';
  const access = fileAccess(src, 1, [{ callee: 'open', line: 2, awaited: false }, { callee: 'out.write', line: 3, awaited: false }, { callee: 'open', line: 4, awaited: false }, { callee: 'open(q).read', line: 4, awaited: false }] as never);
  assert.deepEqual([access.writes.map((w) => w.line), access.reads.map((r) => r.line)], [[2, 3], [4, 4]]);
  assert.match(body, /### Where the result goes[\s\S]*details = f"<pre>\{log_tail\}<\/pre>"/);
  assert.match(body, /Risk here: low\. The path is a literal in the code: no caller or request reaches it, only another account on the same machine could use it/);
  assert.deepEqual([ungrounded, contradictions], [[], 0]);
});

test('a security review of a DevLog path handed to the settings loader gives a data-directory fix, says it is low risk, and not tempfile', async () => {
  const file = index.files.find((f) => f.path === 'relay/daemon.py')!;
  const symbol = file.symbols.find((s) => s.name === 'main' && !s.className)!;
  const t = symbolTarget('security_review', input, file, symbol, 50);
  const { body, ungrounded, contradictions } = await staticPage(t);
  assert.match(body, /\*\*hard-coded temporary path\*\* \(B108, medium\)/);
  assert.match(body, /No input from a caller or a request reaches it/);
  assert.match(body, /Risk here: low\. The path is a literal in the code: no caller or request reaches it/);
  assert.match(body, /`repo_path`, where data is kept between runs, not a scratch file[^\n]*It is handed to `load_settings` as a literal/);
  assert.match(body, /Fix: default it to a directory under the user's data directory/);
  assert.doesNotMatch(body, /mkstemp|TemporaryDirectory/);
  assert.deepEqual([ungrounded, contradictions], [[], 0]);
  // a model is told the same: the facts block carries the fitted fix and the input's origin
  const { renderFactsBlock } = await import('../../src/llm/facts.ts');
  const block = renderFactsBlock(await factsFor(t));
  assert.match(block, /B108 hard-coded temporary path \(medium, low risk here\): `"\/tmp\/devlog"`; input: The path is a literal[^;]*; fix: default it to a directory under the user's data directory/);
});

test('unescaped text interpolated into HTML handed to a notifier is a security finding (the dead man\'s switch alert)', async () => {
  const daemon = await readFile(path.join(root, 'relay/daemon.py'), 'utf8');
  const tree = await parseSource('python', daemon);
  let sinks: string[];
  try {
    sinks = (collectSecuritySinks(tree.rootNode, 'python', daemon)?.f ?? []).map((x) => `${x.l}:${x.r}`);
  } finally {
    tree.delete();
  }
  assert.ok(sinks.includes(`${lineOf(daemon, 'details = f"<pre>{log_tail}</pre>"')}:py-html-message`), sinks.join(' '));
  const t = await targetFor('security_review', 'Daemon._dead_mans_switch');
  const { body, ungrounded, contradictions } = await staticPage(t);
  assert.match(body, /unescaped text in an HTML message/);
  assert.match(body, /Input: The markup holds `log_tail` \(from `self\._tail_log\(\)`\) from the object's state/);
  assert.match(body, /Fix: write `\{html\.escape\(log_tail\)\}` in the f-string/);
  assert.deepEqual([ungrounded, contradictions], [[], 0]);
  // escaped values and strings not sent anywhere are not findings
  const ok = ['import html', 'async def a(n, x):', '    await n.send_alert("t", details=f"<pre>{html.escape(x)}</pre>")', 'def b(x):', '    return f"<b>{x}</b>"'].join('\n');
  const tree2 = await parseSource('python', ok);
  try {
    assert.deepEqual(collectSecuritySinks(tree2.rootNode, 'python', ok)?.f, []);
  } finally {
    tree2.delete();
  }
});

test('a pattern page quotes the code behind each indicator, and git commits are not "database access"', async () => {
  const targets = FINDERS.pattern_analysis.find(input);
  assert.ok(targets.length > 0);
  for (const t of targets) {
    const evidence = t.context.evidence as { indicator: string; line: number; code: string }[];
    for (const label of t.context.indicators as string[]) assert.ok(evidence.some((e) => e.indicator === label), `${t.displayName}: evidence for ${label}`);
    for (const e of evidence.filter((x) => /database access/.test(x.indicator))) assert.match(e.code, /\b(?:cur|cursor|conn|connection|db|session)\w*\.(?:execute|query|fetch\w*|commit|rollback)\(/i, e.code);
  }
  const ops = await readFile(path.join(root, 'relay/git/ops.py'), 'utf8');
  assert.ok(/\.commit\(/.test(ops), 'the git module commits');
  assert.ok(!targets.some((t) => t.relPath === 'relay/git/ops.py' && (t.context.indicators as string[]).some((i) => /database access/.test(i))), 'git commits are not database access');
  const t = targets[0];
  t.source = await readFile(t.absPath, 'utf8');
  const facts = await factsFor(t);
  const body = renderStaticBody('pattern_analysis', t, facts);
  const first = (t.context.evidence as { code: string; line: number }[])[0];
  assert.ok(body.includes(`(line ${first.line}, `), body);
});

test('per-symbol history comes from git log -L: the commits that changed the function, with their subjects', async () => {
  const t = await targetFor('function_doc', 'ModelClient.generate_with_retry');
  const { body } = await staticPage(t);
  const { execFileSync } = await import('node:child_process');
  const hash = execFileSync('git', ['log', '--format=%h', '--abbrev=7', '--grep=add async model client with retry logic'], { cwd: root, encoding: 'utf8' }).trim();
  assert.match(body, new RegExp(`### History[\\s\\S]*\`${hash}\` 2026-01-10: add async model client with retry logic`));
  assert.doesNotMatch(body, /no commit in the last 90 days/);
});

test('gotchas a new team member needs: swallowed exceptions, hard-coded intervals, the clock', async () => {
  const t = await targetFor('function_doc', 'Daemon._dead_mans_switch');
  const { body, ungrounded, contradictions } = await staticPage(t);
  const daemon = await readFile(path.join(root, 'relay/daemon.py'), 'utf8');
  assert.match(body, /### Gotchas/);
  assert.match(body, new RegExp(`hard-coded value at line ${lineOf(daemon, 'check_interval = 300')}`));
  assert.match(body, new RegExp(`clock at line ${lineOf(daemon, 'age = (datetime.now() - reference)')}`));
  const tail = await staticPage(await targetFor('function_doc', 'Daemon._tail_log'));
  assert.match(tail.body, /swallowed exception at line \d+ \(`except Exception:`\): catches Exception and returns "\(log unavailable\)" instead: a failure here never reaches the caller/);
  // said once: the handler is in Gotchas, not again under How it works
  const at = lineOf(daemon, 'except Exception:\n            return "(log unavailable)"') || daemon.split('\n').findIndex((l, i, all) => l.trim() === 'except Exception:' && all[i + 1]?.includes('(log unavailable)')) + 1;
  assert.equal(tail.body.split(`line ${at}`).length - 1, 1, tail.body);
  assert.doesNotMatch(tail.body, /Catches `Exception` at line/);
  assert.deepEqual([ungrounded, contradictions, tail.ungrounded, tail.contradictions], [[], 0, [], 0]);
});

test('file and module pages say who uses them (importers), class pages who creates the class, and attributes take the constructor parameter types', async () => {
  const file = index.files.find((f) => f.path === 'relay/core/state.py')!;
  const t = FINDERS.file_doc.find(input).find((x) => x.relPath === file.path)!;
  assert.ok(t, 'state.py is a file_doc target');
  t.source = await readFile(t.absPath, 'utf8');
  const facts = await factsFor(t);
  const importers = (facts.extra.importers as { file: string; names: string[] }[]).map((i) => i.file);
  const daemon = await readFile(path.join(root, 'relay/daemon.py'), 'utf8');
  // through the package: `from relay.core import (Settings, StateStore)`
  assert.match(daemon, /from relay\.core import \([^)]*StateStore/);
  assert.ok(importers.includes('relay/daemon.py'), importers.join(', '));
  const body = renderStaticBody('file_doc', t, facts);
  assert.match(body, /### Used by[\s\S]*`relay\/daemon\.py` \(line \d+\): [^\n]*`StateStore`/);
  // each class or function with the first line of its docstring, as seed 003 lists the exports
  assert.match(body, /- class `StateStore` \(line \d+\): \S[^\n]*\./);

  const cls = await targetFor('class_doc', 'Analyzer');
  const cf = await factsFor(cls);
  const { creationSites } = await import('../../src/llm/doc-facts.ts');
  cf.extra.creators = creationSites(cls, index);
  const creators = (cf.extra.creators as { file: string; excerpt: string }[]).map((c) => `${c.file}: ${c.excerpt}`);
  assert.ok(creators.some((c) => /^relay\/daemon\.py: self\.analyzer = Analyzer\(/.test(c)), creators.join('\n'));
  const attrs = cf.extra.attributes as { name: string; type: string | null }[];
  assert.equal(attrs.find((a) => a.name === 'repos')?.type, 'list[RepoEntry]');
  const cbody = renderStaticBody('class_doc', cls, cf);
  assert.match(cbody, /### Created by\n\n[^#]*- `Daemon.__init__` at `relay\/daemon\.py:\d+`: `self\.analyzer = Analyzer\(/);
});

test('module and code-evolution pages carry no line range or complexity in their header', async () => {
  const page = renderPage({ displayName: 'codeworm/core', docType: 'module_doc', repo: 'codeworm', file: 'codeworm/core/__init__.py', language: 'python', startLine: 1, endLine: 4, complexity: 31, source: '"""core"""', body: 'x', generatedAt: new Date(0), provider: 'static' });
  assert.match(page, /\*\*Lines:\*\* —\n\*\*Complexity:\*\* —\n/);
  const { parsePage } = await import('../../src/devlog/render.ts');
  assert.equal(parsePage(page).complexity, 0);
  const fn = renderPage({ displayName: 'f', docType: 'function_doc', repo: 'codeworm', file: 'a.py', language: 'python', startLine: 3, endLine: 4, complexity: 2, source: 'def f():\n    pass', body: 'x', generatedAt: new Date(0), provider: 'static' });
  assert.match(fn, /\*\*Lines:\*\* 3-4\n\*\*Complexity:\*\* 2\.0\n/);
});

test('a code-evolution page says what the change does in each function (the Telegram alerts commit)', async () => {
  const { recentFileChanges, fileDiff } = await import('../../src/index/history.ts');
  const t = FINDERS.code_evolution.find({ ...input, recentChanges: await recentFileChanges(root, 20) }).find((x) => x.relPath === 'relay/daemon.py');
  assert.ok(t, 'daemon.py has a code_evolution target');
  const change = t.context.change as { commit: string; path: string };
  t.source = await fileDiff(root, change.commit, change.path);
  t.language = 'diff' as Target['language'];
  const body = renderStaticBody('code_evolution', t, buildFacts(t, index, { now: input.now }));
  assert.match(body, /### What changes in behaviour\n\n[\s\S]*- In `_wait_for_ollama`:\n {2}- new check `attempt > 2` \(line \d+\): when it holds, calls `self\.notifier\.send_alert`\./);
  assert.doesNotMatch(body, /The diff shown has/, 'the hunk count is in the diff itself');
});

test('awaits in a loop guarded by try/except get gather(return_exceptions=True) as the fix (ConnectionManager.broadcast)', async () => {
  const t = await targetFor('performance_analysis', 'ConnectionManager.broadcast');
  const { body, ungrounded, contradictions } = await staticPage(t);
  assert.match(body, /awaits in a loop over independent items[\s\S]*return_exceptions=True/);
  assert.deepEqual([ungrounded, contradictions], [[], 0]);
});

test('references leave out strings, docstrings and self-calls of other classes (CommitNamer.generate is never called)', async () => {
  const t = await targetFor('function_doc', 'CommitNamer.generate');
  const facts = await factsFor(t);
  const refs = (facts.extra.references as { file: string; excerpt: string }[]).map((r) => `${r.file}: ${r.excerpt}`);
  assert.ok(!refs.some((r) => /"\/api\/generate"|Legacy method|self\.generate\(/.test(r)), refs.join('\n'));
  assert.ok(refs.some((r) => /generator\.generate\(candidate\)/.test(r)), 'a call on a receiver of unknown type is still listed');
});

test('random that picks a commit message or a time is no security sink: no review; a random token is', async () => {
  const targets = FINDERS.security_review.find(input).map((t) => t.displayName);
  assert.ok(!targets.includes('CommitNamer.generate'), targets.join(', '));
  assert.ok(!targets.includes('Trigger._generate_times'));
  assert.ok(targets.includes('Daemon._tail_log'));
  const { isHarmlessRandom } = await import('../../src/analysis/security/index.ts');
  assert.equal(isHarmlessRandom({ rule: 'B311', code: 'random.choice(MINOR_FIX_MESSAGES)' }, '            return random.choice(MINOR_FIX_MESSAGES)'), true);
  assert.equal(isHarmlessRandom({ rule: 'B311', code: 'random.choice(ALPHABET)' }, '    token = "".join(random.choice(ALPHABET) for _ in range(32))'), false);
});

test('a TIL about contextlib.suppress says it ignores the exception (Scorer.get_git_stats); multi-line signatures keep their last character', async () => {
  const t = await targetFor('til', 'Scorer.get_git_stats');
  const { body, ungrounded, contradictions } = await staticPage(t);
  assert.match(body, /TIL: `suppress\(ValueError\)` ignores that exception when raised inside the `with` block/);
  assert.doesNotMatch(body, /ties cleanup to the block/);
  assert.deepEqual([ungrounded, contradictions], [[], 0]);
  const gen = await staticPage(await targetFor('function_doc', 'ModelClient.generate'));
  assert.match(gen.body, /\) -> GenerationResult\n```/);
  assert.doesNotMatch(gen.body, /hard-coded value[^\n]*tokens_per_sec = 0\.0/);
});

test('a function page says what the function does in order, like the seed page on _async_run (and a cut attribute value never ends in half a name)', async () => {
  const t = await targetFor('function_doc', 'Daemon._async_run');
  const { body, ungrounded, contradictions } = await staticPage(t);
  const steps = /### What it does, in order\n\n([\s\S]*?)\n\n/.exec(body)?.[1].split('\n') ?? [];
  assert.ok(steps.length >= 8, body);
  const order = ['ParserManager.initialize()', 'self.state.get_stats()', 'await self._wait_for_ollama()', 'await self._init_llm()', 'self.scheduler.start()', 'asyncio.create_task(self._dead_mans_switch())', 'while self.running:'];
  const at = order.map((o) => steps.findIndex((s) => s.includes(o)));
  assert.ok(at.every((i, k) => i >= 0 && (k === 0 || i > at[k - 1])), `${order.join(' < ')}\n${steps.join('\n')}`);
  assert.doesNotMatch(steps.join('\n'), /logger/);
  assert.deepEqual([ungrounded, contradictions], [[], 0]);
  const cls = await staticPage(await targetFor('class_doc', 'Daemon'));
  assert.doesNotMatch(cls.body, /\w…`/);
  assert.deepEqual([cls.ungrounded, cls.contradictions], [[], 0]);
});

test('the documentation lines that name a symbol are quoted as its purpose in the authors\' words', async () => {
  const { makeRepo } = await import('../support/git-repo.ts');
  const { docMentions } = await import('../../src/llm/reader-facts.ts');
  const dir = await makeRepo({ 'README.md': '# Tool\n\nRun `sync_all` nightly: it mirrors every repository.\n', 'app.py': 'def sync_all():\n    pass\n' });
  assert.deepEqual(await docMentions(dir, 'sync_all'), [{ caller: 'sync_all', file: 'README.md', line: 3, excerpt: 'Run `sync_all` nightly: it mirrors every repository.' }]);
  assert.deepEqual(await docMentions(dir, 'missing_name'), []);
});

test('references of a common name stay in code of the same language and leave out files defining their own (daemon.main)', async () => {
  const file = index.files.find((f) => f.path === 'relay/daemon.py')!;
  const t = symbolTarget('function_doc', input, file, file.symbols.find((s) => s.displayName === 'main')!, 50);
  const facts = await factsFor(t);
  const refs = (facts.extra.references as { file: string; line: number }[]).map((r) => `${r.file}:${r.line}`);
  const daemon = await readFile(path.join(root, 'relay/daemon.py'), 'utf8');
  assert.deepEqual(refs, [`relay/daemon.py:${lineOf(daemon, 'sys.exit(main())')}`]);
});

test('every date on a page is the UTC day, whatever the commit\'s own offset or the machine\'s time zone (History, change, file history, footer)', async () => {
  const { execFileSync } = await import('node:child_process');
  const { LATE_COMMIT_DATE } = await import('../support/original-repo.ts');
  const hash = execFileSync('git', ['log', '-1', '--format=%h', '--abbrev=7'], { cwd: root, encoding: 'utf8' }).trim();
  // the trap: git's own short date is the commit's local day
  assert.equal(execFileSync('git', ['log', '-1', '--date=short', '--format=%ad'], { cwd: root, encoding: 'utf8' }).trim(), LATE_COMMIT_DATE.slice(0, 10));
  const utcDay = new Date(LATE_COMMIT_DATE).toISOString().slice(0, 10);
  assert.equal(utcDay, '2026-01-31');
  const fn = await staticPage(await targetFor('function_doc', 'Daemon._dead_mans_switch'));
  assert.match(fn.body, new RegExp(`### History[\\s\\S]*\`${hash}\` ${utcDay}: feat: add telegram`));
  const { recentFileChanges } = await import('../../src/index/history.ts');
  const ev = FINDERS.code_evolution.find({ ...input, recentChanges: await recentFileChanges(root, 20) }).find((x) => x.relPath === 'relay/daemon.py')!;
  assert.match(renderStaticBody('code_evolution', ev, buildFacts(ev, index, { now: input.now })), new RegExp(`in \`${hash}\` by [^\\n]* on ${utcDay}:`));
  const file = FINDERS.file_doc.find(input).find((x) => x.relPath === 'relay/daemon.py')!;
  assert.equal(buildFacts(file, index, { now: input.now }).recentCommits[0].date, utcDay);
  // the same facts and footer under the time zones the suite runs in (the zone is the child's TZ)
  const script = [
    `const { footerTime } = await import(${JSON.stringify(path.resolve('src/devlog/render.ts'))});`,
    `const { symbolHistory } = await import(${JSON.stringify(path.resolve('src/llm/reader-facts.ts'))});`,
    `const h = await symbolHistory(${JSON.stringify(root)}, 'relay/daemon.py', 1, 400);`,
    `console.log(footerTime(new Date(${JSON.stringify(LATE_COMMIT_DATE)})) + '|' + h[0].date);`,
  ].join('\n');
  for (const tz of ['Pacific/Kiritimati', 'Etc/GMT+11', 'UTC']) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, TZ: tz }, encoding: 'utf8' }).trim();
    assert.equal(out, `2026-01-31 03:30 UTC|${utcDay}`, tz);
  }
});

test('a class page shows one complexity figure: the header is the methods\' average the Complexity section names', async () => {
  const t = await targetFor('class_doc', 'Daemon');
  const { page, body } = await staticPage(t);
  const header = /\*\*Complexity:\*\* ([\d.]+)/.exec(page)![1];
  const avg = /Cyclomatic complexity per method: average ([\d.]+) \(the header's figure\)/.exec(body)?.[1];
  assert.equal(avg, header, body);
  const file = index.files.find((f) => f.path === t.relPath)!;
  const methods = file.symbols.filter((s) => s.className === 'Daemon' && s.kind !== 'class' && s.parent === null);
  const mean = methods.reduce((n, m) => n + m.metrics.cyclomatic, 0) / methods.length;
  assert.equal(header, mean.toFixed(1));
  assert.notEqual(Number(header), file.symbols.find((s) => s.name === 'Daemon')!.metrics.cyclomatic, 'not radon\'s class figure, a second definition');
  // each method with what it is for, in its author's words (as seed 002 lists them)
  assert.match(body, /- `async def _async_run\(self\) -> None` \(line \d+\): Async main run loop\./);
});

test('a factory function is a factory indicator (get_prompt_builder, builder_for); the pattern page\'s counts match its list and its source is the participants\' lines', async () => {
  const t = FINDERS.pattern_analysis.find(input).find((x) => x.relPath === 'relay/llm/prompts.py' && x.context.pattern === 'factory');
  assert.ok(t, 'prompts.py shows the factory pattern');
  const participants = (t.context.participants as { name: string; indicators: string[] }[]);
  const returning = 'functions that return new instances (`return Class(…)`)';
  for (const name of ['get_prompt_builder', 'builder_for']) assert.ok(participants.some((p) => p.name === name && p.indicators.includes(returning)), `${name}: ${JSON.stringify(participants)}`);
  assert.ok(!participants.some((p) => p.name === 'PromptBuilder.__init__'), 'a constructor is not a factory');
  const { participantRange } = await import('../../src/daemon/stages.ts');
  const text = await readFile(t.absPath, 'utf8');
  Object.assign(t, participantRange(text, t));
  // `build_*_prompt` returns a string, not an instance: not a participant (the blind review)
  assert.ok(!participants.some((p) => /build_/.test(p.name)), JSON.stringify(participants));
  assert.equal(t.startLine, lineOf(text, 'def from_settings'));
  assert.equal(t.endLine, lineOf(text, 'return PromptBuilder("plain")'));
  assert.equal(t.source.split('\n')[0].trim(), 'def from_settings(cls, settings: dict) -> PromptBuilder:');
  const inRange = t.file!.symbols.filter((x) => x.kind !== 'class' && x.startLine >= t.startLine && x.endLine <= t.endLine);
  assert.equal(t.cyclomatic, inRange.reduce((n, x) => n + x.metrics.cyclomatic, 0), 'the header complexity covers the lines shown');
  assert.ok(!inRange.some((x) => x.name === '__init__'));
  const { body, page, ungrounded, contradictions } = await staticPage(t);
  const head = /shows (\d+) indicators? of the factory pattern, matched by (\d+) symbols?:/.exec(body);
  assert.ok(head, body);
  const items = body.split('\n').filter((l) => /^\d+\. /.test(l));
  assert.equal(items.length, Number(head[1]), body);
  const named = new Set([...body.matchAll(/\(line \d+, `([^`]+)`\)|`([^`]+)` \(line \d+\)/g)].map((m) => m[1] ?? m[2]));
  assert.equal(named.size, Number(head[2]), body);
  assert.match(body, /`return PromptBuilder\(style = \(settings or \{\}\)\.get\("style", "plain"\)\)` \(line \d+, `get_prompt_builder`\)/);
  assert.doesNotMatch(body, /### Participants|is for the reader to confirm/);
  assert.match(page, new RegExp(`\\*\\*Lines:\\*\\* ${t.startLine}-${t.endLine}\\n`));
  assert.deepEqual([ungrounded, contradictions], [[], 0]);
});

test('"What it does, in order" shows no bare try/if step, reads into a try block and folds repeated calls (relay cli main)', async () => {
  const file = index.files.find((f) => f.path === 'relay/cli.py')!;
  const t = symbolTarget('function_doc', input, file, file.symbols.find((s) => s.displayName === 'main')!, 50);
  const { body, ungrounded, contradictions } = await staticPage(t);
  const cli = await readFile(path.join(root, 'relay/cli.py'), 'utf8');
  const steps = /### What it does, in order\n\n([\s\S]*?)\n\n/.exec(body)?.[1].split('\n') ?? [];
  // each fact once: tests in the Tests section, complexity in the Complexity section
  assert.ok((body.match(/No test/g)?.length ?? 0) <= 1, body);
  assert.equal(body.match(/[Cc]yclomatic complexity/g)?.length ?? 0, body.includes('### Complexity') ? 1 : 0, body);
  assert.deepEqual(steps, [
    `1. \`parser = argparse.ArgumentParser(prog = "relay")\` (line ${lineOf(cli, 'ArgumentParser(')})`,
    `2. \`parser.add_argument("--config", default = "config.yaml")\` (line ${lineOf(cli, '"--config"')}, then 2 more calls of the same function)`,
    `3. \`args = parser.parse_args()\` (line ${lineOf(cli, 'parse_args()')})`,
    `4. \`if args.dry_run: print("dry run")\` (line ${lineOf(cli, 'print("dry run")')})`,
    `5. \`settings = load(args.config)\` (line ${lineOf(cli, 'settings = load(')})`,
    `6. \`return run(settings, once = args.once)\` (line ${lineOf(cli, 'return run(')})`,
  ], body);
  assert.deepEqual([ungrounded, contradictions], [[], 0]);
});

test('findings say how often their line runs (per iteration, per call, once at start-up) and the most frequent come first; repeated blocking calls are one entry', async () => {
  const { makeRepo } = await import('../support/git-repo.ts');
  const py = [
    'import subprocess',
    '',
    '',
    'def sync(paths):',
    '    subprocess.call("git fetch", shell=True)',
    '    for p in paths:',
    '        subprocess.call("git pull " + p, shell=True)',
    '        subprocess.call("git gc", shell=True)',
    '        record(p)',
    '',
    '',
    'def prepare():',
    '    subprocess.call("mkdir -p out", shell=True)',
    '',
    '',
    'def main():',
    '    prepare()',
    '    sync(["a"])',
    '',
    '',
    'def handle(request):',
    '    sync(request)',
    '',
    '',
    'def record(p):',
    '    with open("log.txt", "a") as fh:',
    '        fh.write(p)',
    '',
  ].join('\n');
  const dir = await makeRepo({ 'tool.py': py });
  const idx = await indexRepository(dir);
  const inp = { ...input, repo: { name: 'tool', path: dir, weight: 1, enabled: true }, index: idx };
  const file = idx.files.find((f) => f.path === 'tool.py')!;
  const page = (name: string) => {
    const t = symbolTarget('security_review', inp, file, file.symbols.find((s) => s.name === name)!, 50);
    const facts = buildFacts(t, idx, { now: input.now, blocking: [] });
    const sites = callSiteFacts(t, facts, idx);
    facts.extra.callSites = sites.callers;
    return renderStaticBody('security_review', t, facts);
  };
  const sync = page('sync');
  const loopAt = sync.indexOf('How often: it runs on every iteration of `for p in paths` (line 6).');
  const callAt = sync.indexOf('How often: it runs on each call (2 call sites).');
  assert.ok(loopAt > 0 && callAt > loopAt, sync);
  assert.match(page('prepare'), /How often: it runs once at start-up \(called only from `main`\)\./);
  // blocking calls: the same call at several lines is one entry, counted once in the opening line
  const t = symbolTarget('performance_analysis', inp, file, file.symbols.find((s) => s.name === 'sync')!, 50);
  const facts = buildFacts(t, idx, { now: input.now, blocking: [] });
  facts.isAsync = true;
  facts.performance = [];
  facts.extra.callSites = callSiteFacts(t, facts, idx).callers;
  facts.blocking = [5, 7, 8].map((line) => ({ call: 'subprocess.call', line, category: 'subprocess', kind: 'direct', chain: ['sync'], recommendation: 'Use asyncio.create_subprocess_exec' })) as never;
  const rec = lineOf(py, 'with open("log.txt"');
  (facts.blocking as unknown[]).push({ call: 'open', line: rec, file: 'tool.py', category: 'file_io', kind: 'indirect', chain: ['sync', 'record'], chainFiles: ['tool.py', 'tool.py'], recommendation: 'Use asyncio.to_thread' });
  facts.calls.push({ callee: 'open', line: rec, awaited: false });
  const perf = renderStaticBody('performance_analysis', t, facts);
  // an indirect call runs as often as the call of its helper here (record(p), in the loop)
  assert.ok(perf.includes(`- \`open\` at \`tool.py:${rec}\`: file_io (indirect, reached through \`sync\` → \`record\`); it runs on every iteration of \`for p in paths\` (line 6).`), perf);
  assert.doesNotMatch(perf, /### I\/O it performs[\s\S]*subprocess\.call/, 'I/O the blocking list names is not listed twice');
  assert.match(perf, /`sync` has 3 concrete costs with a known fix, at 4 places\./);
  assert.match(perf, /- `subprocess\.call` at lines 7, 8 \(2 calls\): subprocess \(direct\); it runs on every iteration of `for p in paths` \(line 6\)\./);
  assert.match(perf, /- `subprocess\.call` at line 5: subprocess \(direct\); it runs on each call \(2 call sites\)/);
  assert.ok(perf.indexOf('at lines 7, 8') < perf.indexOf('at line 5:'), perf);
});

test('a module-level function is not "named" by a method call on another object (state.get_stats() is not api.get_stats)', async () => {
  const { makeRepo } = await import('../support/git-repo.ts');
  const { references } = await import('../../src/llm/reader-facts.ts');
  const dir = await makeRepo({
    'api.py': 'def get_stats():\n    return {}\n',
    'cli.py': 'import api\n\n\ndef show(state, register):\n    a = state.get_stats()\n    b = api.get_stats()\n    register(get_stats)\n    return a, b\n',
  });
  const refs = await references(dir, 'get_stats', { relPath: 'api.py', startLine: 1, endLine: 2, className: null }, []);
  assert.deepEqual(refs.map((r) => `${r.file}:${r.line}`), ['cli.py:6', 'cli.py:7']);
  const method = await references(dir, 'get_stats', { relPath: 'api.py', startLine: 1, endLine: 2, className: 'Api' }, []);
  assert.ok(method.some((r) => r.line === 5), 'a method is still found through a receiver');
});

test('a TIL teaches the technique the code shows (a bounded deque), never the cyclomatic-complexity filler', async () => {
  const t = await targetFor('til', 'ConnectionManager.__init__');
  const { body, ungrounded, contradictions } = await staticPage(t);
  const ws = await readFile(path.join(root, 'web/ws.py'), 'utf8');
  assert.match(body, new RegExp(`^TIL: \`deque\\(maxlen=100\\)\` is a bounded buffer: appending to a full one drops the item at the other end\\. \`ConnectionManager.__init__\` in \`web/ws.py\` does it at line ${lineOf(ws, 'deque(maxlen = 100)')}`, 'm'));
  assert.doesNotMatch(body, /cyclomatic complexity counts/);
  assert.deepEqual([ungrounded, contradictions], [[], 0]);
  // a technique only the til finder knows (from its context) is still the lesson
  const ctx = { ...t, source: 'def __init__(self) -> None:\n    self.seen = weakref.WeakSet()', context: { technique: { name: 'weakref', what: 'refers to objects without keeping them alive', lines: [t.startLine + 1], weight: 16 } } };
  const b2 = renderStaticBody('til', ctx, buildFacts(ctx, index, { now: input.now, blocking: [] }));
  assert.match(b2, /^TIL: `weakref` refers to objects without keeping them alive\. `ConnectionManager.__init__` does it at line \d+: `self\.seen = weakref\.WeakSet\(\)`\./m);
  // a shape technique is worded for Python (`async def`): not repeated about other code
  const shape = { ...ctx, context: { technique: { name: 'async generator', what: 'an `async def` with `yield` produces values lazily', lines: [t.startLine], weight: 26 } } };
  assert.doesNotMatch(renderStaticBody('til', shape, buildFacts(shape, index, { now: input.now, blocking: [] })), /async generator an|`async def` with/);
});
