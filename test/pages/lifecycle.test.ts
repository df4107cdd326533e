/**
 * Lifecycle and static gotchas (issue 12, what a blind reader missed beside the seeds on the
 * original's daemon): the detectors on code snippets (each with a case that must not fire), then
 * the pages CodeWorm writes about "relay" (test/support/original-repo.ts), a real git repository
 * in a temp dir, checked by `verify` as `codeworm verify --repo` checks them.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RepoIndex } from '../../src/index/types.ts';
import { indexRepository } from '../../src/index/indexer.ts';
import type { DocType } from '../../src/config/schema.ts';
import { FINDERS } from '../../src/targets/registry.ts';
import type { FinderInput, Target } from '../../src/targets/types.ts';
import { buildFacts } from '../../src/llm/facts.ts';
import { addReaderFacts } from '../../src/llm/reader-facts.ts';
import { renderStaticBody } from '../../src/llm/providers/static.ts';
import { renderPage } from '../../src/devlog/render.ts';
import { verifyPage } from '../../src/llm/verify-page.ts';
import { classLifecycle, pythonClassMethods } from '../../src/analysis/lifecycle.ts';
import { configOverrides, docstringPromises, falsyNumericDefaults, flagsNeverSet, rankGotchas, tasksNeverStopped, unusedConstants } from '../../src/analysis/gotchas.ts';
import { cloneOriginal } from '../support/original-repo.ts';
import { symbolPage } from './support.ts';

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

// ---------------------------------------------------------------------------------------------
// The detectors, pure, on snippets

const SERVICE = [
  'class Service:',
  '    """A worker"""',
  '    POLL = 5',
  '',
  '    def __init__(self) -> None:',
  '        self.running = False',
  '        self._thread = None',
  '        signal.signal(signal.SIGTERM, self._stop)',
  '        loop.add_signal_handler(signal.SIGINT, functools.partial(self._stop, 2, None))',
  '',
  '    def _stop(self, signum, frame) -> None:',
  '        logger.info("stopping")',
  '        self.running = False',
  '',
  '    def start(self) -> None:',
  '        self.running = True',
  '        self._thread = threading.Thread(target = self._loop_forever, daemon = True)',
  '        self._thread.start()',
  '        self.bus.subscribe("tick", self._on_tick)',
  '',
  '    def stop(self) -> None:',
  '        self.running = False',
  '        self._thread.join()',
  '',
  '    def run_once(self) -> None:',
  '        self._loop_forever()',
  '',
  '    def _loop_forever(self) -> None:',
  '        while self.running:',
  '            time.sleep(self.POLL)',
  '',
  '    def _on_tick(self) -> None:',
  '        asyncio.ensure_future(self._refresh())',
  '',
  '    async def _refresh(self) -> None:',
  '        pass',
  '',
  '    @property',
  '    def rate(self) -> float:',
  '        return 1.0',
  '',
  '    def report(self) -> str:',
  '        return str(round(self.rate, 1))',
].join('\n');

test('classLifecycle: signal handlers (signal.signal and add_signal_handler), callbacks, threads joined, tasks dropped, flags and the entry that never sets one', () => {
  const m = classLifecycle(SERVICE, 1);
  assert.deepEqual(m.signals.map((s) => `${s.signal}:${s.handler}:${s.mechanism}:${s.line}`), ['SIGTERM:_stop:signal.signal:8', 'SIGINT:_stop:add_signal_handler:9']);
  assert.deepEqual(m.handlerEffects._stop, [{ line: 13, text: 'self.running = False' }], 'the logging line is no effect');
  assert.deepEqual(m.registrations.map((r) => `${r.method}<-${r.via}@${r.line}`), ['_on_tick<-self.bus.subscribe@19'], 'a property read (round(self.rate, 1)) is no callback');
  assert.deepEqual(m.tasks.map((t) => `${t.kind}:${t.runs}:${t.storedAs}:${t.stoppedBy.map((s) => `${s.how}@${s.line}`).join(',')}`), ['thread:_loop_forever:self._thread:join@23', 'task:_refresh:null:']);
  assert.deepEqual(m.flags.map((f) => `${f.name}:${f.initial}:${f.sets.map((s) => `${s.value}@${s.in}`).join(',')}:${f.loops.map((l) => l.line).join(',')}`), ['self.running:false:false@_stop,true@start,false@stop:29']);
  assert.deepEqual(m.entries.map((e) => e.name), ['start', 'run_once'], '`stop` is no entry');
  assert.deepEqual(m.unsetFlags.map((u) => `${u.entry}:${u.flag}:${u.loops.map((l) => l.line).join(',')}`), ['run_once:self.running:29'], 'start sets it; stop reaches no loop; run_once reaches the loop without setting it');
  // the gotchas built on it
  assert.deepEqual(flagsNeverSet(m).map((g) => `${g.severity}:${g.line}`), ['high:29']);
  assert.match(flagsNeverSet(m)[0].note, /`run_once` \(line 25\) never sets `self\.running` to True \(only `start` does, line 16\)[^\n]*`while self\.running:` in `_loop_forever` \(line 29\) never runs its body/);
  assert.deepEqual(tasksNeverStopped(m).map((g) => `${g.line}:${/not kept/.test(g.note)}`), ['33:true'], 'the joined thread is no gotcha; the dropped future is');
});

test('classLifecycle: a class whose entry sets its flag, and no signals or tasks, has no unset flag and nothing to report', () => {
  const ok = ['class Poller:', '    def __init__(self):', '        self.running = False', '    def run(self):', '        self.running = True', '        self._poll()', '    def _poll(self):', '        while self.running:', '            self.step()', '    def step(self):', '        pass'].join('\n');
  const m = classLifecycle(ok, 10);
  assert.deepEqual([m.unsetFlags, m.signals, m.tasks, m.registrations], [[], [], [], []]);
  assert.deepEqual(m.entries[0].steps.map((s) => `${s.in}:${s.line}:${s.text}`), ['run:14:self.running = True', 'run:15:self._poll()', '_poll:17:while self.running:']);
});

test('pythonClassMethods reads multi-line signatures and docstrings', () => {
  const src = ['class A:', '    def f(', '        self,', '        x: int = 1,', '    ) -> int:', '        """', '        Does f', '        """', '        return x', '', '    async def g(self): return 2'].join('\n');
  const ms = pythonClassMethods(src, 100);
  assert.deepEqual(ms.map((m) => [m.name, m.line, m.async, m.doc, m.body.map((b) => b.line)]), [['f', 101, false, 'Does f', [108]], ['g', 110, true, null, []]]);
  assert.deepEqual(pythonClassMethods(['class B:', '    @property', '    def p(self):', '        return 1', '    @p.setter', '    def p(self, v):', '        pass', '    @staticmethod', '    def s():', '        pass'].join('\n'), 1).map((m) => `${m.name}:${m.property}`), ['p:true', 'p:true', 's:false']);
});

test('unusedConstants: a module or class constant nobody reads, but not one read in the file or named in another file', () => {
  const src = ['TIMEOUT = 30', 'RETRIES = 3', 'NAME = "x"', 'class A:', '    WAIT_MAX = 300', '    USED = 1', '    def f(self):', '        LOCAL = 5', '        return self.USED + RETRIES', ''].join('\n');
  assert.deepEqual(unusedConstants(src).map((k) => `${k.scope}:${k.name}:${k.line}`), ['module:TIMEOUT:1', 'module:NAME:3', 'class:WAIT_MAX:5'], 'LOCAL is inside a function; USED and RETRIES are read');
  assert.deepEqual(unusedConstants(src, new Set(['TIMEOUT'])).map((k) => k.name), ['NAME', 'WAIT_MAX']);
});

test('falsyNumericDefaults: `n or 10` on an int parameter, not on a string or with a None fallback; `||` in TypeScript', () => {
  const py = ['def f(limit: int | None = None, name: str | None = None, delay=2.5):', '    n = limit or 10', '    s = name or "x"', '    d = delay or 1.0', '    m = limit or None', '    return n'].join('\n');
  const g = falsyNumericDefaults(py, 20);
  assert.deepEqual(g.map((x) => x.line), [21, 23]);
  assert.match(g[0].note, /`limit or 10` also replaces a caller's `0` with `10` \(0 is falsy\); `10 if limit is None else limit` keeps 0/);
  const ts = ['function f(limit?: number, label?: string) {', '  const n = limit || 10;', '  const l = label || "x";', '}'].join('\n');
  assert.deepEqual(falsyNumericDefaults(ts, 1).map((x) => [x.line, /`limit \?\? 10`/.test(x.note)]), [[2, true]]);
});

test('docstringPromises: a handler that only logs what its docstring promises, and a signal named in a docstring that nothing handles', () => {
  const cls = ['class D:', '    def _reload(self, s, f):', '        """Handle SIGHUP for config reload"""', '        self.logger.info(', '            "reload",', '        )', '    def _close(self):', '        """Close the pool"""', '        self.pool.close()', '    def _noop(self):', '        """Nothing to see"""', '        logger.debug("x")', '    def serve(self):', '        """', '        Serve until SIGUSR1', '        """', '        self.loop.run_forever()'].join('\n');
  const ms = pythonClassMethods(cls, 1);
  const g = docstringPromises(ms, cls);
  assert.deepEqual(g.map((x) => `${x.in}:${x.line}`), ['_reload:2', 'serve:13'], '_close keeps its promise; _noop promises nothing');
  assert.match(g[0].note, /says “Handle SIGHUP for config reload”, but its body only logs/);
  assert.match(g[1].note, /names SIGUSR1, but no code in the file handles SIGUSR1/, 'a signal named only in a docstring is not handled');
  assert.deepEqual(docstringPromises(ms, `${cls}\nsignal.signal(signal.SIGUSR1, h)`).map((x) => x.in), ['_reload']);
});

test('configOverrides: literal keyword arguments to a settings loader, and literals assigned after loading; not a variable passed through', () => {
  const main = ['def main() -> int:', '    settings = load_settings(', '        config_dir,', '        devlog = {"repo_path": Path("/tmp/devlog")},', '        debug = args.debug,', '    )', '    settings.dry_run = True', '    settings.name = args.name', '    return 0'].join('\n');
  const g = configOverrides(main, 790, (l) => (l === 'load_settings' ? 'overrides' : null));
  assert.deepEqual(g.map((x) => x.line), [791, 796]);
  assert.match(g[0].note, /`load_settings` is called with the literal `devlog = \{"repo_path": Path\("\/tmp\/devlog"\)\}`, which its signature collects as keyword overrides: this value replaces whatever the configuration sets for `devlog`/);
  assert.match(configOverrides(main, 790)[0].note, /: a value fixed in code next to the configuration$/, 'without the loader\'s signature, no claim about precedence');
  assert.match(g[1].note, /`settings\.dry_run` is set to `True` after the configuration is loaded/);
  assert.deepEqual(configOverrides(['def main():', '    cfg = load_config(path)', '    run(cfg)'].join('\n'), 1), []);
});

test('rankGotchas: by severity, then line; duplicates dropped; at most the limit', () => {
  const g = rankGotchas([
    { kind: 'a', severity: 'low' as const, line: 1 },
    { kind: 'b', severity: 'high' as const, line: 9 },
    { kind: 'b', severity: 'high' as const, line: 9 },
    { kind: 'c', severity: 'medium' as const, line: 3 },
    { kind: 'd', severity: 'high' as const, line: 2 },
  ], 3);
  assert.deepEqual(g.map((x) => `${x.kind}${x.line}`), ['d2', 'b9', 'c3']);
});

// ---------------------------------------------------------------------------------------------
// Pages about relay

let root: string;
let index: RepoIndex;
let input: FinderInput;
before(async () => {
  root = await cloneOriginal();
  index = await indexRepository(root);
  input = { repo: { name: 'codeworm', path: root, weight: 5, enabled: true }, index, settings: undefined as never, now: Date.UTC(2026, 10, 30) };
});

async function staticPage(docType: DocType, displayName: string, file?: string): Promise<{ t: Target; body: string; ungrounded: string[]; contradictions: number }> {
  return symbolPage({ root, index, input }, docType, displayName, file);
}

test('the daemon\'s class page has a Lifecycle: signals, start-up order through run(), what runs concurrently, how it stops', async () => {
  const daemon = await readFile(path.join(root, 'relay/daemon.py'), 'utf8');
  const at = (s: string) => lineOf(daemon, s);
  const { body, ungrounded, contradictions } = await staticPage('class_doc', 'Daemon');
  const life = /### Lifecycle\n([\s\S]*?)\n### /.exec(body)?.[1] ?? '';
  assert.match(life, new RegExp(`- Signals: \`_setup_signals\` installs handlers with \`signal\\.signal\` \\(lines ${at('signal.SIGTERM')}-${at('signal.SIGHUP')}\\), called from \`__init__\`: SIGTERM, SIGINT → \`_handle_shutdown\`; SIGHUP → \`_handle_reload\`\\.`));
  // start-up order: run's own steps, then _async_run's, in file order within each
  const startup = /- Start-up through `run\(\)`[^\n]*\n((?: {2}.*\n)+)/.exec(life)?.[1] ?? '';
  const order = ['self.running = True', 'self._loop = asyncio.new_event_loop()', 'self._loop.run_until_complete(self._async_run())', 'then, in `_async_run`', 'self.scheduler.set_task_callback(self._on_tick)', 'self.scheduler.start()', 'asyncio.create_task(self._dead_mans_switch())', 'while self.running:'];
  const pos = order.map((o) => startup.indexOf(o));
  assert.ok(pos.every((p, i) => p >= 0 && (i === 0 || p > pos[i - 1])), `${order.join(' < ')}\n${startup}`);
  assert.match(life, new RegExp(`\\*\\*What runs concurrently\\*\\*[\\s\\S]*- \`self\\.scheduler\` calls \`_on_tick\` back: \`_async_run\` hands it over with \`self\\.scheduler\\.set_task_callback\\(self\\._on_tick\\)\` \\(line ${at('set_task_callback(self._on_tick)')}\\)`));
  assert.match(life, /`_dead_mans_switch\(\)` runs as an asyncio task[^\n]*kept in `self\._dead_mans_task`; nothing cancels or awaits `self\._dead_mans_task`/);
  const off = lineOf(daemon.split('\n').slice(at('def _handle_shutdown')).join('\n'), 'self.running = False') + at('def _handle_shutdown');
  assert.match(life, new RegExp(`\\*\\*How it stops\\*\\*[\\s\\S]*- SIGTERM, SIGINT → \`_handle_shutdown\`: \`self\\.running = False\` \\(line ${off}\\), \`self\\.scheduler\\.stop\\(\\)\` \\(line \\d+\\)`));
  assert.match(life, /- SIGHUP → `_handle_reload`: it only logs/);
  const ends = /sets `self\.running = False`, which ends ([^\n]*)/.exec(life)?.[1] ?? '';
  for (const m of ['_ensure_ready', '_async_run', '_dead_mans_switch']) assert.ok(ends.includes(`\`while self.running:\` in \`${m}\``), `${m}: ${ends}`);
  assert.match(life, /`run` then runs, in its `finally` \(also after an error\): `self\._loop\.close\(\)`/);
  // gotchas, ranked: the broken promises first, the unused constant and the polling delay (low) last
  const gotchas = /### Gotchas\n\n([\s\S]*?)\n\n/.exec(body)?.[1].split('\n') ?? [];
  assert.deepEqual(gotchas.map((g) => /^- \*\*([^*]+)\*\*/.exec(g)?.[1]), ['docstring promise', 'flag never set', 'task never stopped', 'unused constant', 'polling delay'], gotchas.join('\n'));
  assert.match(gotchas[1], /`run_once` \(line \d+\) never sets `self\.running` to True \(only `run` does[^\n]*`while self\.running:` in `_ensure_ready` \(line \d+\) never runs its body/);
  assert.match(body, /\| `READY_WAIT_MAX` \| class \(never read\) \|/, 'an unused constant is not presented as a live setting');
  assert.deepEqual([ungrounded, contradictions], [[], 0]);
});

test('method pages say who registers or starts them and how their loop ends (a callback, a signal handler, the run loop)', async () => {
  const daemon = await readFile(path.join(root, 'relay/daemon.py'), 'utf8');
  const tick = await staticPage('function_doc', 'Daemon._on_tick');
  assert.match(tick.body, /### Lifecycle\n\nFrom the code of `Daemon` in `relay\/daemon\.py`:\n\n- `self\.scheduler` calls `_on_tick` back: `_async_run` hands it over with `self\.scheduler\.set_task_callback\(self\._on_tick\)`/);
  const sched = await readFile(path.join(root, 'relay/scheduler.py'), 'utf8');
  assert.match(tick.body, new RegExp(`\`Trigger\` works on a thread of its own \\(\`self\\._thread = threading\\.Thread\\(target = self\\._fire, daemon = True\\)\` at \`relay/scheduler\\.py:${lineOf(sched, 'threading.Thread(')}\`\\), so \`_on_tick\` is called from that thread, not from the event loop`), 'the receiver self.scheduler = Trigger() starts a thread');
  const stop = await staticPage('function_doc', 'Daemon._handle_shutdown');
  assert.match(stop.body, new RegExp(`- It is the handler of SIGTERM, SIGINT, installed by \`_setup_signals\` with \`signal\\.signal\` \\(lines ${lineOf(daemon, 'signal.SIGTERM')}-${lineOf(daemon, 'signal.SIGINT')}\\)`));
  assert.match(stop.body, /- What it does then: `self\.running = False` \(line \d+\), `self\.scheduler\.stop\(\)` \(line \d+\)\./);
  const reload = await staticPage('function_doc', 'Daemon._handle_reload');
  assert.match(reload.body, /- It only logs: the signal changes nothing else\./);
  assert.match(reload.body, /### Gotchas\n\n- \*\*docstring promise\*\*/);
  const loop = await staticPage('function_doc', 'Daemon._async_run');
  const life = /### Lifecycle\n\nFrom the code of `Daemon` in `relay\/daemon\.py`:\n\n([\s\S]*?)\n\n/.exec(loop.body)?.[1] ?? '';
  assert.match(life, /- `run\(\)` \(line \d+\) runs it: `self\._loop\.run_until_complete\(self\._async_run\(\)\)`/);
  assert.match(life, /- `_handle_shutdown` \(on SIGTERM, SIGINT\) \(line \d+\) sets `self\.running = False`, which ends `while self\.running:` in `_async_run`/);
  assert.match(loop.body, /- \*\*task never stopped\*\* at line \d+ \(`_async_run`\)/);
  // the task this method runs is never stopped: ranked before the hard-coded intervals and the clock
  const sw = await staticPage('function_doc', 'Daemon._dead_mans_switch');
  const sg = /### Gotchas\n\n([\s\S]*?)\n\n/.exec(sw.body)?.[1].split('\n') ?? [];
  assert.match(sg[0] ?? '', /^- \*\*task never stopped\*\* at line \d+ \(`_async_run`\)/, sg.join('\n'));
  assert.ok(sg.some((g) => /^- hard-coded value/.test(g)) && sg.some((g) => /^- clock/.test(g)), sg.join('\n'));
  // the entry pages: run's start-up order and how it ends; run_once's order and the flag it never sets
  const run = await staticPage('function_doc', 'Daemon.run');
  assert.match(run.body, /### Lifecycle\n\nFrom the code of `Daemon` in `relay\/daemon\.py`:\n\n- Start-up order:\n {2}1\. `self\.running = True` \(line \d+\)\n {2}2\. `self\._loop = asyncio\.new_event_loop\(\)`/);
  assert.match(run.body, /- `_handle_shutdown` \(on SIGTERM, SIGINT\) \(line \d+\) sets `self\.running = False`, which ends `while self\.running:` in `_async_run`/);
  assert.match(run.body, /- `run` then runs, in its `finally` \(also after an error\): `self\._loop\.close\(\)`/);
  const once = await staticPage('function_doc', 'Daemon.run_once');
  assert.match(once.body, /### Lifecycle\n\nFrom the code of `Daemon` in `relay\/daemon\.py`:\n\n- What it runs, in order:\n {2}1\. `if not await self\._ensure_ready\(\):` \(line \d+\)\n {2}- then, in `_ensure_ready`:\n {4}2\. `while self\.running:`/);
  // on the entry's own page, said at its own line that leads to the loop
  assert.match(once.body, /### Gotchas\n\n- \*\*flag never set\*\* at line \d+ \(`run_once`\): `run_once` never sets `self\.running` to True \(only `run` does, line \d+\): `if not await self\._ensure_ready\(\):` reaches `_ensure_ready`, and there `while self\.running:` in `_ensure_ready` \(line \d+\) never runs its body/);
  // a method with no lifecycle role gets no section
  const tail = await staticPage('function_doc', 'Daemon._tail_log');
  assert.doesNotMatch(tail.body, /### Lifecycle/);
  for (const p of [tick, stop, reload, loop, sw, run, once]) assert.deepEqual([p.ungrounded, p.contradictions], [[], 0], p.t.displayName);
});

test('function pages flag `max_chars or 4000` and the literal devlog path main hands load_settings', async () => {
  const trunc = await staticPage('function_doc', 'PromptBuilder.truncate');
  assert.match(trunc.body, /- \*\*falsy default\*\* at line \d+: `max_chars or 4000` also replaces a caller's `0` with `4000`/);
  const main = await staticPage('function_doc', 'main', 'relay/daemon.py');
  assert.match(main.body, /- \*\*config override\*\* at line \d+: `load_settings` is called with the literal `devlog = \{"repo_path": "\/tmp\/devlog"\}`, which its signature collects as keyword overrides: this value replaces whatever the configuration sets for `devlog`/);
  const cli = await staticPage('function_doc', 'main', 'relay/cli.py');
  assert.doesNotMatch(cli.body, /config override/);
  for (const p of [trunc, main]) assert.deepEqual([p.ungrounded, p.contradictions], [[], 0], p.t.displayName);
});

test('the TIL about a lifespan passed to FastAPI says its role: before yield at start-up, after yield at shutdown', async () => {
  const app = await readFile(path.join(root, 'web/app.py'), 'utf8');
  const { body, ungrounded, contradictions } = await staticPage('til', 'lifespan');
  assert.match(body, new RegExp(`Passed as \`lifespan=\` at \`web/app\\.py:${lineOf(app, 'lifespan = lifespan')}\` \\(\`lifespan = lifespan,\`\\), it is the application's lifespan: the part before \`yield\` runs once at start-up, the part after it once at shutdown`));
  assert.deepEqual([ungrounded, contradictions], [[], 0]);
});

test('the daemon\'s file page sums up each class\'s lifecycle and ranks the gotchas of the whole file (main\'s override among them)', async () => {
  const t = FINDERS.file_doc.find(input).find((x) => x.relPath === 'relay/daemon.py');
  assert.ok(t, 'daemon.py is a file_doc target');
  t.source = await readFile(t.absPath, 'utf8');
  const facts = buildFacts(t, index, { now: input.now, blocking: [] });
  await addReaderFacts(t, facts, root, index);
  const body = renderStaticBody('file_doc', t, facts);
  assert.match(body, /### Lifecycle\n\n- `Daemon` entered through `run\(\)` \(line \d+\), `run_once\(\)` \(line \d+\); handles SIGTERM, SIGINT with `_handle_shutdown` and SIGHUP with `_handle_reload`; runs `_dead_mans_switch\(\)` as an asyncio task \(line \d+\); is called back through `_on_tick`, handed to `self\.scheduler\.set_task_callback` \(line \d+\)\./);
  assert.doesNotMatch(body, /- `TargetRouter`/, 'a class without lifecycle work gets no line');
  const gotchas = /### Gotchas\n\n([\s\S]*?)\n\n/.exec(body)?.[1].split('\n') ?? [];
  assert.deepEqual(gotchas.map((g) => /^- \*\*([^*]+)\*\*/.exec(g)?.[1]), ['docstring promise', 'flag never set', 'config override', 'task never stopped', 'unused constant'], gotchas.join('\n'));
  const page = renderPage({ displayName: 'daemon', docType: 'file_doc', repo: 'codeworm', file: t.relPath, language: t.language, startLine: 1, endLine: t.endLine, complexity: 0, source: t.source, body, generatedAt: new Date(0), provider: 'static' });
  const v = await verifyPage(page, { repo: root });
  assert.deepEqual([v.result.ungrounded.map((u) => u.identifier), v.result.contradictions.length], [[], 0]);
});
