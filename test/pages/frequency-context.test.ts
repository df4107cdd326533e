/**
 * How often a finding runs, on the original CodeWorm's code (issue 12, blind review of the
 * frequency context): the loop named is the one nearest the call (a file read in
 * `find_candidates`' loop over files runs per file, not per repository of the daemon's loop), a
 * call under an `if` of its caller runs "only when" that condition (`_tail_log` only when the dead
 * man's switch alerts), and request handlers rank before the cycle's work, start-up last.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RepoIndex } from '../../src/index/types.ts';
import type { FinderInput } from '../../src/targets/types.ts';
import { analyzeBlocking, renderBlockingMarkdown } from '../../src/analysis/blocking/index.ts';
import type { BlockingReport } from '../../src/analysis/blocking/types.ts';
import { contextTier } from '../../src/targets/finders/performance-analysis.ts';
import { cwFixture } from '../support/cw-repo.ts';
import { originalCodeworm, symbolPage } from './support.ts';

let root: string;
let index: RepoIndex;
let input: FinderInput;
let report: BlockingReport;
let md: string;
let daemon: string;
let analyzer: string;
before(async () => {
  ({ root, index, input } = await originalCodeworm());
  report = analyzeBlocking(index);
  const texts = new Map<string, string>();
  for (const f of index.files) texts.set(f.path, await readFile(path.join(root, f.path), 'utf8'));
  md = renderBlockingMarkdown(report, { repoName: 'codeworm', now: new Date(0), sourceOf: (file, line, end) => texts.get(file)?.split('\n').slice(line - 1, end).join('\n') ?? null });
  daemon = await cwFixture('daemon.py');
  analyzer = await cwFixture('analyzer.py');
});

/** The file line of the first line of `text` containing `needle` after the line containing `after`. */
function lineOf(text: string, needle: string, after?: string): number {
  const lines = text.split('\n');
  const from = after ? lines.findIndex((l) => l.includes(after)) : 0;
  const i = lines.findIndex((l, k) => k >= from && l.includes(needle));
  assert.ok(i >= 0, `no line ${needle}`);
  return i + 1;
}

const finding = (file: string, call: string) => {
  const i = report.findings.findIndex((f) => f.file === file && f.call === call);
  assert.ok(i >= 0, `no finding ${call} in ${file}`);
  return { f: report.findings[i], d: report.details[i] };
};

test('the loop named is the innermost one on the chain: analyze_file reads once per file of find_candidates, not per repository', () => {
  const { f, d } = finding('codeworm/analysis/analyzer.py', 'scanned_file.path.read_text');
  // the chain starts in the daemon's loop over repositories; the call sits in find_candidates' loop over files
  assert.equal(f.chain[0], 'CodeWormDaemon._find_documentable_candidate');
  assert.equal(d.frequency?.kind, 'loop');
  assert.equal(d.frequency?.fn, 'CodeAnalyzer.find_candidates');
  const loop = lineOf(analyzer, 'for scanned_file in self.scanner.scan_repo', 'def find_candidates');
  const section = md.slice(md.indexOf('`scanned_file.path.read_text` in `CodeAnalyzer.analyze_file`'));
  const impact = /\*\*Impact:\*\* ([^\n]*)/.exec(section)?.[1] ?? '';
  assert.match(impact, new RegExp(`^Runs once per iteration of \`for scanned_file in self\\.scanner\\.scan_repo\\(repo_config\\.path…\` \\(\`codeworm/analysis/analyzer\\.py:${loop}\`\\) in \`CodeAnalyzer\\.find_candidates\``));
  assert.doesNotMatch(impact, /for repo in enabled_repos/);
});

test('a call under its caller\'s if runs only when the condition holds: _tail_log reads the log only when the dead man\'s switch alerts', async () => {
  const { d } = finding('codeworm/daemon.py', 'log_path.read_text');
  assert.equal(d.frequency?.kind, 'cycle');
  const alert = lineOf(daemon, 'if age > alert_threshold and not alerted', 'async def _dead_mans_switch');
  const notifier = lineOf(daemon, 'if self.notifier:', 'async def _dead_mans_switch');
  const only = `only when \`age > alert_threshold and not alerted\` (\`codeworm/daemon.py:${alert}\`) and \`self.notifier\` (\`codeworm/daemon.py:${notifier}\`)`;
  assert.ok(md.includes(only), 'the async report says when the read runs');
  // the function page of _tail_log says the same of its one caller, and still verifies clean
  const page = await symbolPage({ root, index, input }, 'security_review', 'CodeWormDaemon._tail_log');
  assert.match(page.body, new RegExp(`runs once per cycle of \`while self\\.running\` in \`CodeWormDaemon\\._dead_mans_switch\` \\(\`codeworm/daemon\\.py:${lineOf(daemon, 'while self.running', 'async def _dead_mans_switch')}\`\\), a loop that waits \`asyncio\\.sleep\\(check_interval\\)\` between cycles, and ${only.replace(/[.()]/g, '\\$&')}`));
  assert.deepEqual([page.ungrounded, page.contradictions], [[], 0]);
  // the security page of _dead_mans_switch says both conditions over the read of the log tail
  const dms = await symbolPage({ root, index, input }, 'security_review', 'CodeWormDaemon._dead_mans_switch');
  assert.match(dms.body, new RegExp(`and only when \`age > alert_threshold and not alerted\` \\(line ${alert}\\) and \`self\\.notifier\` \\(line ${notifier}\\)`));
  assert.deepEqual([dms.ungrounded, dms.contradictions], [[], 0]);
  // an unguarded call in a loop gets no condition: the scheduler's tick runs the cycle unconditionally
  assert.doesNotMatch(md, /only when `self\.running`/);
});

test('request handlers rank before the cycle\'s work, start-up code last', () => {
  // no handler in these files: the cycle's high findings come before start-up's at the same severity
  const tiers = report.findings.map((f, i) => ({ sev: f.severity, kind: report.details[i]?.frequency?.kind }));
  for (let i = 1; i < tiers.length; i++) {
    if (tiers[i].sev !== tiers[i - 1].sev) continue;
    assert.ok(!(tiers[i - 1].kind === 'startup' && tiers[i].kind !== 'startup'), `start-up finding before a ${tiers[i].kind} one`);
  }
  // the performance finder's tier: a route, the rest, start-up
  assert.equal(contextTier({ name: 'get_stats', decorators: ['router.get("/stats")'] }, undefined), 0);
  assert.equal(contextTier({ name: '_find_documentable_candidate', decorators: [] }, new Set(['loop'])), 1);
  assert.equal(contextTier({ name: '_async_run', decorators: [] }, undefined), 2);
  assert.equal(contextTier({ name: 'ensure_dirs', decorators: [] }, new Set(['startup'])), 2);
  assert.equal(contextTier({ name: 'ensure_dirs', decorators: [] }, new Set(['startup', 'request'])), 0);
});

test('private methods without a docstring get a purpose from their code on the class page: _tail_log, _dead_mans_switch, _emit_stats', async () => {
  const page = await symbolPage({ root, index, input }, 'class_doc', 'CodeWormDaemon');
  const helpers = /### Internal helpers\n\n([\s\S]*?)\n\n/.exec(page.body)?.[1] ?? '';
  const entry = (name: string) => helpers.split('\n').find((l) => l.includes(`def ${name}(`)) ?? '';
  assert.match(entry('_tail_log'), /: \(no docstring; from its code\) Works on files \(`log_path\.read_text`\); returns `"\\n"\.join\(tail\)` or `"\(log unavailable\)"`\.$/);
  assert.match(entry('_dead_mans_switch'), /Repeats `while self\.running`, waiting `asyncio\.sleep\(check_interval\)` between rounds; when `age > alert_threshold and not alerted` and `self\.notifier`, calls `self\._tail_log` and `self\.notifier\.send_alert`\.$/);
  assert.match(entry('_emit_stats'), /Calls `get_publisher`; when `publisher is not None`, calls `self\.state\.get_stats`, `publisher\.publish_stats` and `self\.stats\.to_dict`\.$/);
  // a docstring still wins over the derived sentence
  assert.match(entry('_setup_signals'), /: Set up signal handlers for graceful shutdown\.$/);
  assert.deepEqual([page.ungrounded, page.contradictions], [[], 0]);
});

test('the daemon\'s file page says where it fits: its place in the imports, its main class and lifecycle, how a cycle flows, what to mind', async () => {
  const { FINDERS } = await import('../../src/targets/registry.ts');
  const { buildFacts } = await import('../../src/llm/facts.ts');
  const { addReaderFacts } = await import('../../src/llm/reader-facts.ts');
  const { renderStaticBody } = await import('../../src/llm/providers/static.ts');
  const { renderPage } = await import('../../src/devlog/render.ts');
  const { verifyPage } = await import('../../src/llm/verify-page.ts');
  const t = FINDERS.file_doc.find(input).find((x) => x.relPath === 'codeworm/daemon.py');
  assert.ok(t, 'daemon.py is a file_doc target');
  t.source = await readFile(t.absPath, 'utf8');
  const facts = buildFacts(t, index, { now: input.now, blocking: [] });
  await addReaderFacts(t, facts, root, index);
  const body = renderStaticBody('file_doc', t, facts);
  const fit = /### Where it fits\n\n([\s\S]*?)\n### /.exec(body)?.[1] ?? '';
  // before the lists it sums up
  assert.ok(body.indexOf('### Where it fits') < body.indexOf('### Public interface'));
  // the fixture repository: daemon.py imports codeworm.analysis, codeworm.core, codeworm.scheduler…; only cli.py imports it
  assert.match(fit, /^It sits near the top of the project's imports: it uses \d+ project modules \(`codeworm\.analysis`[^\n]*and 1 file imports it \(`codeworm\/cli\.py`\)\. It is also run directly: `python codeworm\/daemon\.py` \(its `if __name__ == "__main__"` block\)\./);
  // every place that creates it: the two cli.py commands and daemon.py's main()
  assert.match(fit, new RegExp(`Its main class is \`CodeWormDaemon\` \\(line ${lineOf(daemon, 'class CodeWormDaemon')}, \\d+ methods\\), created at \`codeworm/cli\\.py:\\d+\` \\(\`daemon = CodeWormDaemon\\(settings, dry_run = dry_run\\)\`\\), \`codeworm/cli\\.py:\\d+\` \\(\`daemon = CodeWormDaemon\\(settings\\)\`\\) and 1 more: \`main\` at \`codeworm/daemon\\.py:${lineOf(daemon, 'daemon = CodeWormDaemon(settings)')}\``));
  assert.match(fit, new RegExp(`It starts in \`run\\(\\)\` \\(line ${lineOf(daemon, 'def run(self)')}\\) or \`run_once\\(\\)\` \\(line ${lineOf(daemon, 'async def run_once')}\\); it stops when \`_handle_shutdown\` \\(on SIGTERM, SIGINT\\) sets \`self\\.running\` to False`));
  // the cycle: callback handed to the scheduler, submitted to the loop, then the cycle's steps in order
  assert.match(fit, new RegExp(`\`_async_run\` hands \`_on_scheduled_task\` to \`self\\.scheduler\\.set_task_callback\` \\(line ${lineOf(daemon, 'self.scheduler.set_task_callback(self._on_scheduled_task)')}\\) to be called back\\.`));
  assert.match(fit, /`_on_scheduled_task` submits `_execute_documentation_cycle` to the event loop with `asyncio\.run_coroutine_threadsafe`/);
  assert.match(fit, /Each run of `_execute_documentation_cycle` \(line \d+\) calls `_emit_event`, `_ensure_ollama_ready`, `_find_documentation_target` and `_document_target`, in that order, and under its `if` branches `_log_cycle_stats` and `_emit_stats`\./);
  assert.match(fit, /Beside that, `_async_run` runs `_dead_mans_switch` as an asyncio task/);
  // what to mind: the thread of the scheduler's callback, the shutdown flag, no tests
  assert.match(fit, /- `_on_scheduled_task` is called back from another thread, the one behind `self\._scheduler = BackgroundScheduler\(timezone = self\.timezone\)` \(`codeworm\/scheduler\/scheduler\.py:\d+`\)/);
  assert.match(fit, /- Shutdown goes through `self\.running`: 3 loops check it/);
  assert.match(fit, /- The repository has no test files/);
  const page = renderPage({ displayName: 'daemon', docType: 'file_doc', repo: 'codeworm', file: t.relPath, language: t.language, startLine: 1, endLine: t.endLine, complexity: 0, source: t.source, body, generatedAt: new Date(0), provider: 'static' });
  const v = await verifyPage(page, { repo: root });
  assert.deepEqual([v.result.ungrounded.map((u) => u.identifier), v.result.contradictions.length], [[], 0]);
});

test('a library file\'s page says how other files use it: StateManager\'s methods the daemon calls, with where', async () => {
  const { FINDERS } = await import('../../src/targets/registry.ts');
  const { buildFacts } = await import('../../src/llm/facts.ts');
  const { addReaderFacts } = await import('../../src/llm/reader-facts.ts');
  const { renderStaticBody } = await import('../../src/llm/providers/static.ts');
  const t = FINDERS.file_doc.find(input).find((x) => x.relPath === 'codeworm/core/state.py');
  assert.ok(t, 'state.py is a file_doc target');
  t.source = await readFile(t.absPath, 'utf8');
  const facts = buildFacts(t, index, { now: input.now, blocking: [] });
  await addReaderFacts(t, facts, root, index);
  const fit = /### Where it fits\n\n([\s\S]*?)\n### /.exec(renderStaticBody('file_doc', t, facts))?.[1] ?? '';
  assert.match(fit, new RegExp(`Its main class is \`StateManager\` \\(line \\d+, \\d+ methods\\), created at \`codeworm/cli\\.py:\\d+\` \\(\`state = StateManager\\(settings\\.db_path\\)\`\\) and \`codeworm/daemon\\.py:${lineOf(daemon, 'self.state = StateManager(')}\``));
  // the daemon calls should_document and record_documentation on self.state (record_documentation twice: _document_target and the legacy _document_candidate)
  assert.match(fit, new RegExp(`Other files call into it through [^\\n]*\`record_documentation\` \\(2 call sites: \`CodeWormDaemon\\._document_target\` at \`codeworm/daemon\\.py:${lineOf(daemon, 'self.state.record_documentation(')}\` and \`CodeWormDaemon\\._document_candidate\` at \`codeworm/daemon\\.py:\\d+\`\\)`));
  assert.match(fit, /\*\*How it runs\.\*\* Following its own calls from `/);
});
