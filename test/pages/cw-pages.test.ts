/**
 * Pages about the original CodeWorm's own daemon (issue 12, items of the blind review that
 * follow the seeds): real code from test/fixtures/cw, committed into a temp repository by
 * test/support/cw-repo.ts. Each test is one thing a new team member reading the page needs.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { RepoIndex } from '../../src/index/types.ts';
import type { DocType } from '../../src/config/schema.ts';
import type { FinderInput, Target } from '../../src/targets/types.ts';
import { buildFacts } from '../../src/llm/facts.ts';
import { renderStaticBody } from '../../src/llm/providers/static.ts';
import { cwFixture } from '../support/cw-repo.ts';
import { originalCodeworm, symbolPage } from './support.ts';

let root: string;
let index: RepoIndex;
let input: FinderInput;
let daemon: string;
before(async () => {
  ({ root, index, input } = await originalCodeworm());
  daemon = await cwFixture('daemon.py');
});

/** The file line of the first line containing `needle` after the line containing `after` (if given). */
function lineOf(needle: string, after?: string): number {
  const lines = daemon.split('\n');
  const from = after ? lines.findIndex((l) => l.includes(after)) : 0;
  const i = lines.findIndex((l, k) => k >= from && l.includes(needle));
  assert.ok(i >= 0, `no line ${needle}`);
  return i + 1;
}

/** The static page of a symbol as the cycle writes it, and what `codeworm verify --repo` says of it. */
async function staticPage(docType: DocType, displayName: string, file = 'codeworm/daemon.py'): Promise<{ t: Target; body: string; ungrounded: string[]; contradictions: number }> {
  return symbolPage({ root, index, input }, docType, displayName, file);
}

/** The unified diff of two texts of a Python file, hunk headers naming the function (as fileDiff has them). */
async function diffOf(before: string, after: string): Promise<string> {
  const { git, writeFiles } = await import('../support/git-repo.ts');
  const { mkdtemp } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const pathMod = await import('node:path');
  const dir = await mkdtemp(pathMod.join(tmpdir(), 'cw-diff-'));
  await writeFiles(dir, { 'a/x.py': before, 'b/x.py': after, attributes: '*.py diff=python\n' });
  try {
    return await git(dir, ['-c', `core.attributesFile=${pathMod.join(dir, 'attributes')}`, 'diff', '--no-index', '--unified=3', 'a/x.py', 'b/x.py']);
  } catch (err) {
    // exit 1: the files differ
    return (err as { stdout: string }).stdout;
  }
}

const section = (body: string, title: string) => new RegExp(`### ${title}\\n\\n([\\s\\S]*?)(?:\\n### |$)`).exec(body)?.[1] ?? '';

test('function pages carry the gotchas of their own lines: counters a method increments, calls into legacy methods', async () => {
  // record_failure increments failed_cycles, never reset; the class page named only record_success's line
  const fail = await staticPage('function_doc', 'CycleStats.record_failure');
  assert.match(section(fail.body, 'Gotchas'), new RegExp(`- \\*\\*counter never reset\\*\\* at line ${lineOf('self.total_cycles += 1', 'def record_failure')} \\(\`record_failure\`\\): \`total_cycles\` and \`failed_cycles\` are only ever incremented`));
  const skip = await staticPage('function_doc', 'CycleStats.record_skip');
  assert.match(section(skip.body, 'Gotchas'), /\*\*counter never reset\*\*[^\n]*`total_cycles` and `skipped_cycles`/);
  // consecutive_failures is reset by record_success: no gotcha for it
  assert.doesNotMatch(section(fail.body, 'Gotchas'), /`consecutive_failures`/);
  // run_once runs the two methods whose docstrings say "Legacy method"
  const once = await staticPage('function_doc', 'CodeWormDaemon.run_once');
  assert.match(section(once.body, 'Gotchas'), new RegExp(`- \\*\\*legacy call\\*\\* at line ${lineOf('await self._find_documentable_candidate()', 'async def run_once')}: it calls \`_find_documentable_candidate\` \\(line ${lineOf('await self._find_documentable_candidate()', 'async def run_once')}; its docstring: “Legacy method - find a function candidate to document”, line ${lineOf('async def _find_documentable_candidate')}\\) and \`_document_candidate\``));
  // a method that calls no legacy code and increments nothing gets neither
  const backoff = await staticPage('function_doc', 'CycleStats.get_backoff_seconds');
  assert.doesNotMatch(backoff.body, /counter never reset|legacy call/);
  for (const p of [fail, skip, once, backoff]) assert.deepEqual([p.ungrounded, p.contradictions], [[], 0], p.t.displayName);
});

test('thread gotchas: future.result(timeout=…) without cancel, and self.stats changed on the scheduler thread and on the event loop without a lock', async () => {
  const tick = await staticPage('function_doc', 'CodeWormDaemon._on_scheduled_task');
  const g = section(tick.body, 'Gotchas');
  assert.match(g, new RegExp(`- \\*\\*timeout does not cancel\\*\\* at line ${lineOf('future.result(timeout = 1800)')}: \`future\\.result\\(timeout = 1800\\)\` raises \`TimeoutError\` after 1800 s but does not stop the work it waits for: the coroutine keeps running on the event loop \\(submitted with \`asyncio\\.run_coroutine_threadsafe\` at line ${lineOf('asyncio.run_coroutine_threadsafe(')}\\), and nothing here cancels \`future\``));
  // the scheduler thread blocks on future.result while the loop runs the cycle: the two race
  // only after the timeout, when the cycle goes on and line 383 runs beside it
  assert.match(g, new RegExp(`- \\*\\*shared state without a lock\\*\\* at line ${lineOf('self.stats.record_failure(f"task_error')} \\(\`_on_scheduled_task\`\\): \`self\\.stats\` is changed on the thread of \`CodeWormScheduler\` \\(\`self\\._scheduler = BackgroundScheduler\\(timezone = self\\.timezone\\)\` at \`codeworm/scheduler/scheduler\\.py:\\d+\`\\) by \`_on_scheduled_task\`[^\\n]* and, on the event loop, by the work that thread hands over with \`asyncio\\.run_coroutine_threadsafe\` \\(line ${lineOf('asyncio.run_coroutine_threadsafe(')}\\) — \`_execute_documentation_cycle\` and the methods it calls: \`_execute_documentation_cycle\` \\(lines ${lineOf('self.stats.record_skip("no_candidates")')}, [^\\n]*\\. The thread waits for that work with \`future\\.result\\(timeout = 1800\\)\` \\(line ${lineOf('future.result(timeout = 1800)')}\\), so the two sides do not change it at the same time — except after the timeout \\(1800 s\\)`));
  // _find_documentable_candidate changes self.stats too, but only run_once reaches it, and run_once starts no scheduler
  assert.doesNotMatch(g, /_find_documentable_candidate/);
  // the other side's page names it too; a method that touches no shared state does not
  const cycle = await staticPage('function_doc', 'CodeWormDaemon._execute_documentation_cycle');
  assert.match(section(cycle.body, 'Gotchas'), /\*\*shared state without a lock\*\*[^\n]*`self\.stats`/);
  const tail = await staticPage('function_doc', 'CodeWormDaemon._handle_reload');
  assert.doesNotMatch(tail.body, /shared state without a lock|timeout does not cancel/);
  for (const p of [tick, cycle, tail]) assert.deepEqual([p.ungrounded, p.contradictions], [[], 0], p.t.displayName);
});

test('thread gotchas stay quiet where the code cancels, waits without a timeout, holds a lock or shares nothing', async () => {
  const { timeoutWithoutCancel, sharedStateWithoutLock } = await import('../../src/analysis/gotchas.ts');
  const { classLifecycle, pythonClassMethods } = await import('../../src/analysis/lifecycle.ts');
  const start = lineOf('    def _on_scheduled_task');
  const end = lineOf('    async def _execute_documentation_cycle') - 1;
  const fn = daemon.split('\n').slice(start - 1, end).join('\n');
  assert.equal(timeoutWithoutCancel(fn, start).length, 1);
  const cancelled = fn.replace('self.logger.exception("scheduled_task_error", error = str(e))', 'future.cancel()');
  assert.deepEqual(timeoutWithoutCancel(cancelled, start), []);
  assert.deepEqual(timeoutWithoutCancel(fn.replace('future.result(timeout = 1800)', 'future.result()'), start), []);
  // the class as written: self.stats is shared; with a lock on the thread side it is not
  const cls = daemon.split('\n').slice(lineOf('class CodeWormDaemon:') - 1).join('\n');
  const at = lineOf('class CodeWormDaemon:');
  const thread = { file: 'codeworm/scheduler/scheduler.py', line: 241, excerpt: 'self._scheduler = BackgroundScheduler(timezone = self.timezone)' };
  const withThread = (src: string) => {
    const m = classLifecycle(src, at);
    for (const r of m.registrations) if (r.kind === 'callback') r.thread = thread;
    return sharedStateWithoutLock(m, pythonClassMethods(src, at));
  };
  assert.deepEqual(withThread(cls).map((x) => x.excerpt), ['self.stats.record_failure(f"task_error: {e}")']);
  // waiting without a timeout (or cancelling on timeout), the thread never runs beside the cycle it hands over
  assert.deepEqual(withThread(cls.replace('future.result(timeout = 1800)', 'future.result()')), []);
  assert.deepEqual(withThread(cls.replace('self.logger.exception("scheduled_task_error", error = str(e))', 'future.cancel()')), []);
  // a loop task the thread does not wait for (the dead man's switch) changing self.stats races with it at any time
  const beside = withThread(cls.replace('            reference = self.stats.last_success or self._start_time', '            self.stats.record_skip("dead_mans_check")\n            reference = self.stats.last_success or self._start_time'));
  assert.equal(beside.length, 1);
  assert.match(beside[0].note, /and on the event loop by `_dead_mans_switch` \(line \d+\), with no lock: changes made at the same moment can interleave/);
  assert.doesNotMatch(beside[0].note, /_execute_documentation_cycle|waits for that work/);
  const locked = cls.replace('                self.stats.record_failure(f"task_error: {e}")', '                with self._stats_lock:\n                    self.stats.record_failure(f"task_error: {e}")');
  assert.deepEqual(withThread(locked), []);
  // no thread behind the callback (the receiver's class starts none): nothing is shared across threads
  assert.deepEqual(sharedStateWithoutLock(classLifecycle(cls, at), pythonClassMethods(cls, at)), []);
});

test('a thread that hands work over through a thread-safe method (asyncio call_soon_threadsafe) shares nothing; a thread that changes the state itself does', async () => {
  const { sharedStateWithoutLock } = await import('../../src/analysis/gotchas.ts');
  const { classLifecycle, pythonClassMethods } = await import('../../src/analysis/lifecycle.ts');
  // the shape of asyncio.BaseEventLoop.shutdown_default_executor: the thread only calls call_soon_threadsafe
  const loop = (threadBody: string) => [
    'class Loop:',
    '    def __init__(self):',
    '        self._ready = []',
    '    def shutdown(self):',
    '        thread = threading.Thread(target=self._do_shutdown)',
    '        thread.start()',
    '    def _do_shutdown(self):',
    `        ${threadBody}`,
    '    def call_soon_threadsafe(self, callback):',
    '        self._call_soon(callback)',
    '    def _call_soon(self, callback):',
    '        self._ready.append(callback)',
    '    def close(self):',
    '        self._ready.clear()',
    '',
  ].join('\n');
  const found = (src: string) => sharedStateWithoutLock(classLifecycle(src, 1), pythonClassMethods(src, 1)).map((g) => g.excerpt);
  assert.deepEqual(found(loop('self.call_soon_threadsafe(print)')), []);
  assert.deepEqual(found(loop('self._call_soon(print)')), ['self._ready.append(callback)']);
});

test('a long function reads step by step: one documentation cycle, in source order, with its conditions, try block and finally', async () => {
  const { body, ungrounded, contradictions } = await staticPage('function_doc', 'CodeWormDaemon._execute_documentation_cycle');
  const how = section(body, 'How it works');
  const after = 'async def _execute_documentation_cycle';
  const want = [
    `1. \`backoff = self.stats.get_backoff_seconds()\` (line ${lineOf('backoff = self.stats.get_backoff_seconds()')}).`,
    `2. If \`backoff > 0\`: calls \`asyncio.sleep\` (lines ${lineOf('if backoff > 0:', after)}–`,
    `4. If \`not await self._ensure_ollama_ready()\`: returns (lines ${lineOf('if not await self._ensure_ollama_ready():', after)}–`,
    `5. In a \`try\` block (line ${lineOf('try:', after)}):`,
    `   - If \`not target\`: calls \`self.stats.record_skip\`, \`self.notifier.send_alert\`, \`self.stats.repos_exhausted.clear\`, \`self.scheduler.get_next_run_time\`, \`self._emit_event\` and \`next_run.isoformat\`, then returns (lines ${lineOf('if not target:', after)}–`,
    `   - If \`success\`: calls \`self.stats.record_success\`, \`self._log_cycle_stats\` and \`self._emit_stats\` (lines ${lineOf('if success:', after)}–`,
    `   - Otherwise: calls \`self.stats.record_failure\` and \`self.notifier.send_alert\` (lines ${lineOf('else:', 'if success:')}–`,
    `6. Always at the end (\`finally\`): calls \`self.analyzer.close_repos\` (lines ${lineOf('finally:', after)}–`,
  ];
  const pos = want.map((w) => how.indexOf(w));
  assert.ok(pos.every((p, i) => p >= 0 && (i === 0 || p > pos[i - 1])), `${want.filter((_, i) => pos[i] < 0).join('\n')}\n---\n${how}`);
  assert.ok(how.split('\n').filter((l) => /^\s*(?:\d+\.|-) /.test(l)).length <= 13, how);
  // the statement dump and the separate guard list are not repeated beside it
  assert.doesNotMatch(body, /### What it does, in order/);
  // a short function keeps its statement list
  const short = await staticPage('function_doc', 'CodeWormDaemon._on_scheduled_task');
  assert.doesNotMatch(short.body, /One call, step by step/);
  for (const p of [{ ungrounded, contradictions }, short]) assert.deepEqual([p.ungrounded, p.contradictions], [[], 0]);
});

test('without a docstring the purpose is derived from the code: the attributes it changes, what it calls, returns and raises', async () => {
  const purpose = (body: string) => body.split('\n').find((l) => l.startsWith('**Purpose')) ?? '';
  const ok = await staticPage('function_doc', 'CycleStats.record_success');
  assert.equal(purpose(ok.body), '**Purpose** (derived from its name and code; it has no docstring): “record success”: increments `self.total_cycles` and `self.successful_cycles`; sets `self.consecutive_failures`, `self.consecutive_ollama_failures` and `self.last_success`; empties `self.repos_exhausted`.');
  const backoff = await staticPage('function_doc', 'CycleStats.get_backoff_seconds');
  assert.equal(purpose(backoff.body), '**Purpose** (derived from its name and code; it has no docstring): “get backoff seconds”: returns `0` or `min(300, 30 * (2**(self.consecutive_failures - 1)))`.');
  const emit = await staticPage('function_doc', 'CodeWormDaemon._emit_event');
  // the publish call sits under `if publisher is not None:`, and the purpose says so
  assert.match(purpose(emit.body), /: “emit event”: calls `get_publisher`; when `publisher is not None`, calls `publisher\.publish_event`\.$/);
  // a docstring still wins
  const cycle = await staticPage('function_doc', 'CodeWormDaemon._execute_documentation_cycle');
  assert.equal(purpose(cycle.body), '**Purpose:** Execute one full documentation cycle. Selects a random doc type, finds a target, generates, commits.');
  for (const p of [ok, backoff, emit, cycle]) assert.deepEqual([p.ungrounded, p.contradictions], [[], 0], p.t.displayName);
});

test('an evolution page says what the change does to behaviour, per function: values changed, new checks and what they run, a new finally; re-wrapped lines are no change', async () => {
  const { FINDERS } = await import('../../src/targets/registry.ts');
  const { recentFileChanges, fileDiff } = await import('../../src/index/history.ts');
  const t = FINDERS.code_evolution.find({ ...input, recentChanges: await recentFileChanges(root, 20) }).find((x) => x.relPath === 'codeworm/daemon.py');
  assert.ok(t, 'daemon.py has a code_evolution target');
  const change = t.context.change as { commit: string; path: string };
  t.source = await fileDiff(root, change.commit, change.path);
  t.language = 'diff' as Target['language'];
  // hunk headers name the enclosing function, not the class
  assert.match(t.source, /^@@ [^@]+ @@ def _on_scheduled_task\(self\) -> None:$/m);
  const body = renderStaticBody('code_evolution', t, buildFacts(t, index, { now: input.now }));
  const what = section(body, 'What changes in behaviour');
  const after = 'async def _execute_documentation_cycle';
  assert.ok(what.includes(`- In \`_on_scheduled_task\`:\n  - changes \`900\` to \`1800\` in \`future.result(timeout = 1800)\` (line ${lineOf('future.result(timeout = 1800)')}).\n  - new check \`self.notifier and self.stats.consecutive_failures >= self.settings.telegram.alert_after_failures\` (line ${lineOf('if self.notifier and self.stats.consecutive_failures >=')}): when it holds, calls \`self.notifier.send_error_sync\`.\n- In`), what);
  assert.ok(what.includes(`  - new \`finally\` (line ${lineOf('finally:', after)}): \`self.analyzer.close_repos\` now runs at the end even when the code before it raises.`), what);
  assert.ok(what.includes(`- In \`_cleanup\`:\n  - new check \`self.notifier\` (line ${lineOf('if self.notifier:', 'async def _cleanup')}): when it holds, calls \`self.notifier.close\`.`), what);
  // the calls dump is gone; the new functions are listed as added, not described line by line
  assert.doesNotMatch(body, /Calls it adds/);
  // each with what it is for (derived from its code: neither has a docstring)
  assert.match(body, /- Added:\n {2}- `_tail_log`: works on files \(`log_path\.read_text`\); returns [^\n]*\n {2}- `_dead_mans_switch`: repeats `while self\.running`, waiting `asyncio\.sleep\(check_interval\)` between rounds; when `age > alert_threshold and not alerted` and `self\.notifier`, calls `self\._tail_log` and `self\.notifier\.send_alert`\.\n/);
  assert.doesNotMatch(what, /In `_dead_mans_switch`/);
});

test('the sqlite connection gotcha on a method page names no call the code lacks (verify grounds every word)', async () => {
  const page = await staticPage('function_doc', 'StateManager.is_documented', 'codeworm/core/state.py');
  assert.match(section(page.body, 'Gotchas'), /- \*\*connection not closed\*\* at line \d+: `with self\._get_conn\(\) as conn:`: sqlite3's connection context manager commits or rolls back when the block ends but does not close the connection/);
  assert.deepEqual([page.ungrounded, page.contradictions], [[], 0]);
});

test('step by step: a block that only assigns says what it sets, and a run of statements keeps source order with the line of each', async () => {
  const { walkthrough } = await import('../../src/llm/providers/static-steps.ts');
  // run_once of the original's cli.py (MIT), as written
  const src = [
    'def run_once(',
    '    ctx: click.Context,',
    '    devlog: Path | None,',
    '    repo: tuple,',
    '    dry_run: bool',
    ') -> None:',
    '    """',
    '    Run a single documentation cycle then exit',
    '    """',
    '    from codeworm.daemon import CodeWormDaemon',
    '',
    '    overrides = {"debug": ctx.obj["debug"]}',
    '',
    '    if devlog:',
    '        overrides["devlog"] = {"repo_path": devlog}',
    '',
    '    settings = load_settings(config_dir = ctx.obj["config_dir"], **overrides)',
    '',
    '    mode = "[yellow][DRY RUN][/yellow] " if dry_run else ""',
    '    console.print(f"{mode}[bold]Running single documentation cycle...[/bold]")',
    '    console.print(f"  DevLog: {settings.devlog.repo_path}")',
    '',
    '    daemon = CodeWormDaemon(settings)',
    '    result = asyncio.run(daemon.run_once(dry_run = dry_run))',
  ].join('\n');
  const steps = walkthrough(src, 'run_once', 125).map((s) => `${s.line}: ${s.text}`);
  assert.ok(steps.includes('138: If `devlog`: sets `overrides["devlog"]`'), steps.join('\n'));
  assert.ok(steps.includes('141: `settings = load_settings(…)` (line 141), then sets `mode` (line 143), then 2 prints to the console (lines 144–145), then `daemon = CodeWormDaemon(settings)` (line 147), then `result = asyncio.run(daemon.run_once(dry_run = dry_run))` (line 148)'), steps.join('\n'));
  assert.ok(!steps.some((s) => /does nothing but log/.test(s)), steps.join('\n'));
});

test('a try around one statement is one step; reading the environment is no side effect of a purpose (the original analyzer and dashboard API, MIT)', async () => {
  const { walkthrough } = await import('../../src/llm/providers/static-steps.ts');
  const { derivedFunctionPurpose } = await import('../../src/llm/providers/static-purpose.ts');
  const analyze = [
    '    def analyze_file(self,',
    '                     scanned_file: ScannedFile) -> Iterator[AnalysisCandidate]:',
    '        try:',
    '            source = scanned_file.path.read_text(encoding = "utf-8")',
    '        except Exception:',
    '            return',
    '',
    '        try:',
    '            extractor = CodeExtractor(source, scanned_file.language)',
    '        except Exception:',
    '            return',
  ].join('\n');
  assert.deepEqual(walkthrough(analyze, 'analyze_file', 110).map((s) => `${s.line}: ${s.text}${s.sub ? ' +sub' : ''}`), [
    '113: In a `try` block: `source = scanned_file.path.read_text(encoding = "utf-8")`',
    '114: If `Exception` is raised: returns',
    '118: In a `try` block: `extractor = CodeExtractor(source, scanned_file.language)`',
    '119: If `Exception` is raised: returns',
  ]);
  const repos = 'async def get_repos() -> list[RepoStatus]:\n    config_dir = Path(os.environ.get("CODEWORM_CONFIG_DIR", "config"))\n    repos_path = config_dir / "repos.yaml"\n    return repos_path';
  const purpose = derivedFunctionPurpose(repos, 'get_repos', 109, 'python', [{ callee: 'Path', line: 110, awaited: false }, { callee: 'os.environ.get', line: 110, awaited: false }]);
  assert.equal(purpose, 'returns `repos_path`.');
});

test('evolution: a formatting-only change says nothing changed; a new except says how it ends and a new check what it returns (real diffs of the original)', async () => {
  const { behaviourChanges, reformatOnly } = await import('../../src/llm/providers/static-diff.ts');
  // the re-wrap 1c8540d made in _on_scheduled_task, undone: formatting only
  const wrapped = '                self.logger.info(\n                    "next_scheduled_run",\n                    time = next_run.isoformat()\n                )';
  assert.ok(daemon.includes(wrapped));
  const oneLine = daemon.replace(wrapped, '                self.logger.info("next_scheduled_run", time = next_run.isoformat())');
  const fmt = await diffOf(daemon, oneLine);
  assert.ok(reformatOnly(fmt));
  assert.deepEqual(behaviourChanges(fmt), []);
  // _on_scheduled_task given an early return and a TimeoutError handler that cancels: both said with their ends
  const before = daemon;
  const after = daemon
    .replace('        if self._loop:\n            future', '        if self._loop is None:\n            return None\n        if self._loop:\n            future')
    .replace('            except Exception as e:\n                self.logger.exception("scheduled_task_error"', '            except TimeoutError:\n                future.cancel()\n                return\n            except Exception as e:\n                self.logger.exception("scheduled_task_error"');
  const changes = behaviourChanges(await diffOf(before, after));
  assert.equal(reformatOnly(await diffOf(before, after)), false);
  const tick = changes.find((c) => c.name === '_on_scheduled_task');
  assert.ok(tick, JSON.stringify(changes));
  assert.deepEqual(tick.items, [
    `new check \`self._loop is None\` (line ${lineOf('        if self._loop:', 'def _on_scheduled_task')}): when it holds, returns \`None\``,
    `now catches \`TimeoutError\` (line ${lineOf('            except Exception as e:', 'def _on_scheduled_task') + 2}) and then calls \`future.cancel\`, returns`,
  ]);
});

test('a raise under a condition is said with its condition; a keyword argument a call gains is a behaviour change (the original client and analyzer, MIT)', async () => {
  const { walkthrough } = await import('../../src/llm/providers/static-steps.ts');
  const { behaviourChanges } = await import('../../src/llm/providers/static-diff.ts');
  const generate = [
    '    async def generate(self, prompt: str) -> GenerationResult:',
    '        try:',
    '            response = await client.post("/api/generate", json = payload)',
    '',
    '            if response.status_code != 200:',
    '                error_text = response.text',
    '                if "out of memory" in error_text.lower(',
    '                ) or "cuda" in error_text.lower():',
    '                    raise OllamaModelError(f"Model OOM: {error_text}")',
    '                raise OllamaError(f"Generation failed: {error_text}")',
    '',
    '            data = response.json()',
    '        except httpx.ConnectError as e:',
    '            raise OllamaConnectionError(str(e)) from e',
  ].join('\n');
  const steps = walkthrough(generate, 'generate', 175);
  assert.equal(steps[0].sub?.[1].text, 'If `response.status_code != 200`: sets `error_text`; raises `OllamaModelError(f"Model OOM: {error_text}")` when `"out of memory" in error_text.lower() or "cuda" in error_text.lower()`, otherwise raises `OllamaError(f"Generation failed: {error_text}")`'.replace(/`OllamaModelError\(f"Model OOM: \{error_text\}"\)`/, '`OllamaModelError`').replace(/`OllamaError\(f"Generation failed: \{error_text\}"\)`/, '`OllamaError`'));
  const before = [
    'class CodeAnalyzer:',
    '    def _get_git_repo(self, repo_path: Path) -> Repo | None:',
    '        if repo_path not in self._git_repos:',
    '            try:',
    '                self._git_repos[repo_path] = Repo(repo_path)',
    '            except InvalidGitRepositoryError:',
    '                self._git_repos[repo_path] = None',
    '        return self._git_repos[repo_path]',
    '',
  ].join('\n');
  const after = [
    'class CodeAnalyzer:',
    '    def _get_git_repo(self, repo_path: Path) -> Repo | None:',
    '        if repo_path in self._git_repos:',
    '            return self._git_repos[repo_path]',
    '        try:',
    '            repo = Repo(repo_path, search_parent_directories = True)',
    '            git_root = Path(repo.working_dir)',
    '            if git_root in self._git_repos:',
    '                repo.close()',
    '                self._git_repos[repo_path] = self._git_repos[git_root]',
    '            else:',
    '                self._git_repos[git_root] = repo',
    '                self._git_repos[repo_path] = repo',
    '        except InvalidGitRepositoryError:',
    '            self._git_repos[repo_path] = None',
    '        return self._git_repos[repo_path]',
    '',
  ].join('\n');
  const items = behaviourChanges(await diffOf(before, after)).find((c) => c.name === '_get_git_repo')?.items ?? [];
  assert.ok(items.includes('now passes `search_parent_directories = True` to `Repo` (line 6)'), items.join('\n'));
  assert.ok(items.includes('new check `repo_path in self._git_repos` (line 3): when it holds, returns `self._git_repos[repo_path]`'), items.join('\n'));
  assert.ok(!items.some((i) => /^now returns/.test(i)), items.join('\n'));
});

test('a file whose docstring is only a header (author and file name) is not said to have no docstring', async () => {
  const { fileTarget } = await import('../../src/targets/common.ts');
  const f = index.files.find((x) => x.path === 'codeworm/core/state.py')!;
  const t = fileTarget('file_doc', input, f, { score: 10 });
  // the cycle reads the whole file for a file page
  t.source = await readFile(t.absPath, 'utf8');
  const body = renderStaticBody('file_doc', t, buildFacts(t, index, { now: input.now }));
  assert.match(body, /\*\*Purpose\*\* \(read from its name and contents; its module docstring is only a header \(author, copyright or file name\), not a description\): “state”/);
  assert.doesNotMatch(body, /no module docstring/);
});

test('"Used by" gives every import line of an importing file, a TYPE_CHECKING import included (daemon.py imports analyzer names at lines 15 and 40)', async () => {
  const { fileTarget } = await import('../../src/targets/common.ts');
  const f = index.files.find((x) => x.path === 'codeworm/analysis/analyzer.py')!;
  const t = fileTarget('file_doc', input, f, { score: 10 });
  t.source = await readFile(t.absPath, 'utf8');
  const body = renderStaticBody('file_doc', t, buildFacts(t, index, { now: input.now }));
  const used = section(body, 'Used by');
  assert.match(used, new RegExp(`- \`codeworm/daemon\\.py\` \\(lines ${lineOf('from codeworm.analysis import (')}, ${lineOf('    from codeworm.analysis import AnalysisCandidate')}\\): [^\\n]*\`AnalysisCandidate\``), used);
});

test('a module page\'s History has the commits that changed any file of the package, not only its __init__.py', async () => {
  const { FINDERS } = await import('../../src/targets/registry.ts');
  const t = FINDERS.module_doc.find(input).find((x) => x.relPath === 'codeworm/__init__.py');
  assert.ok(t, FINDERS.module_doc.find(input).map((x) => x.relPath).join(', '));
  t.source = await readFile(t.absPath, 'utf8');
  const body = renderStaticBody('module_doc', t, buildFacts(t, index, { now: input.now }));
  // the second commit changed codeworm/daemon.py, not codeworm/__init__.py
  assert.match(section(body, 'History'), /: feat: add telegram notification on failures and dead man switch \(Test Author\)/);
});

test('a class kept in an attribute by its creator lists where the creator uses it (self.state = StateManager(…), then self.state.get_stats() …)', async () => {
  const page = await staticPage('class_doc', 'StateManager', 'codeworm/core/state.py');
  const created = section(page.body, 'Created by');
  assert.match(created, new RegExp(`\`CodeWormDaemon\\.__init__\` keeps it in \`self\\.state\` \\(\`codeworm/daemon\\.py:${lineOf('self.state = StateManager(')}\`\\) and uses it at:\\n\\n- \`codeworm/daemon\\.py:${lineOf('db_stats = self.state.get_stats()')}\`: \`db_stats = self\\.state\\.get_stats\\(\\)\`\\n- \`codeworm/daemon\\.py:${lineOf('if self.state.should_document(')}\``), created);
  assert.deepEqual([page.ungrounded, page.contradictions], [[], 0]);
});

test('a registration quoted on a class page is cut between names, never inside one (add_job(…, replace_existing = True))', async () => {
  const page = await staticPage('class_doc', 'CodeWormScheduler', 'codeworm/scheduler/scheduler.py');
  assert.match(page.body, /`self\._scheduler` calls `_execute_task` back/);
  assert.doesNotMatch(page.body, /replace_e…/);
  assert.deepEqual([page.ungrounded, page.contradictions], [[], 0]);
});
