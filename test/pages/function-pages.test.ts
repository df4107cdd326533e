/**
 * Function pages of the original CodeWorm read by a new team member (issue 12, the reviewer's
 * defects on `codeworm/cli.py` `run_once` and `CodeAnalyzer.analyze_file`): every line a step or
 * a parameter cites is the line of the statement it names, steps keep source order.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { cwFixture } from '../support/cw-repo.ts';
import { originalCodeworm, symbolPage, type Fixture } from './support.ts';

let fx: Fixture;
const files: Record<string, string[]> = {};
before(async () => {
  fx = await originalCodeworm();
  for (const [rel, name] of [['codeworm/cli.py', 'cli.py'], ['codeworm/analysis/analyzer.py', 'analyzer.py'], ['codeworm/daemon.py', 'daemon.py']]) files[rel] = (await cwFixture(name)).split('\n');
});

const section = (body: string, title: string) => new RegExp(`### ${title}\\n\\n([\\s\\S]*?)(?:\\n### |$)`).exec(body)?.[1] ?? '';

/** The file line of the first line of `rel` containing `needle` at or after line `from`. */
function lineOf(rel: string, needle: string, from = 1): number {
  const i = files[rel].findIndex((l, k) => k >= from - 1 && l.includes(needle));
  assert.ok(i >= 0, `no line ${needle} in ${rel}`);
  return i + 1;
}

/** Every `` `code` (line N) `` of a text: the statement's first words must be on line N of the file. */
function assertCitedLines(rel: string, text: string): void {
  let n = 0;
  for (const m of text.matchAll(/`([^`]+)` \(line (\d+)\)/g)) {
    const head = m[1].replace(/\(.*$/, '').replace(/….*$/, '').trim();
    assert.ok(files[rel][Number(m[2]) - 1].includes(head), `line ${m[2]} of ${rel} does not hold ${head}: ${files[rel][Number(m[2]) - 1]}`);
    n++;
  }
  assert.ok(n > 0, 'no cited statement');
}

/** The line numbers a section cites, in the order it cites them (a range gives its first line). */
function citedOrder(text: string): number[] {
  return [...text.matchAll(/\(lines? (\d+)/g)].map((m) => Number(m[1]));
}

test('How it works cites the line of each statement a step names and keeps source order (cli.py run_once)', async () => {
  const rel = 'codeworm/cli.py';
  const { body, ungrounded, contradictions } = await symbolPage(fx, 'function_doc', 'run_once', rel);
  const how = section(body, 'How it works');
  assertCitedLines(rel, how);
  // a step of several statements cites each: configure_logging is two lines after load_settings
  const load = lineOf(rel, 'settings = load_settings(', 125);
  assert.match(how, new RegExp(`\`settings = load_settings\\(…\\)\` \\(line ${load}\\).*\`configure_logging\\(…\\)\` \\(line ${lineOf(rel, 'configure_logging(debug', load)}\\)`));
  // the mode and the prints before the daemon is created, in source order
  const order = citedOrder(how);
  assert.deepEqual(order, [...order].sort((a, b) => a - b), `steps out of source order: ${order.join(', ')}`);
  assert.ok(order.includes(lineOf(rel, 'mode = "[yellow][DRY RUN]', load)), 'the `mode = …` line is a step');
  assert.equal(contradictions, 0);
  assert.ok(ungrounded.length <= 1, ungrounded.join(', '));
});

test('the Parameters table lists every line that reads a parameter, not only its call arguments (cli.py run_once)', async () => {
  const rel = 'codeworm/cli.py';
  const { body } = await symbolPage(fx, 'function_doc', 'run_once', rel);
  const params = section(body, 'Parameters');
  const row = (name: string) => params.split('\n').find((l) => l.startsWith(`| \`${name}\``)) ?? '';
  // ctx.obj["debug"] and `mode = … if dry_run else ""` read the parameters outside any call
  assert.match(row('ctx'), new RegExp(`line ${lineOf(rel, 'overrides = {"debug": ctx.obj["debug"]}', 125)}\\b`));
  assert.match(row('dry_run'), new RegExp(`line ${lineOf(rel, 'if dry_run else ""', 125)}\\b`));
  assert.match(row('ctx'), new RegExp(`\`load_settings\` \\(line ${lineOf(rel, 'settings = load_settings(', 125)}\\)`));
  // `asyncio.run(daemon.run_once(dry_run = dry_run))`: the value goes to the inner call
  assert.match(row('dry_run'), /`daemon\.run_once` \(line \d+\) \|$/);
  assert.doesNotMatch(row('dry_run'), /asyncio\.run/);
});

test('a call on the same line is no use of a parameter unless its arguments hold it', async () => {
  const { parameterDocs } = await import('../../src/llm/providers/static-code.ts');
  // the shape of EvolutionTargetFinder.find (the original's codeworm/analysis/targets.py, MIT)
  const src = ['def find(self, repo, limit=10):', '    targets = []', '    for diff in repo.diffs():', '        if len(targets) >= limit:', '            break', '        targets.append(make(diff, limit))', '    return targets[:limit]'].join('\n');
  const calls = [{ callee: 'repo.diffs', line: 3, awaited: false }, { callee: 'len', line: 4, awaited: false }, { callee: 'targets.append', line: 6, awaited: false }, { callee: 'make', line: 6, awaited: false }];
  const limit = parameterDocs(src, 'find', 1, calls, 'python').find((p) => p.name === 'limit')!;
  assert.deepEqual(limit.usedIn, [{ callee: 'make', line: 6 }]);
  assert.deepEqual(limit.lines, [4, 7]);
  // the docstring names the parameter but does not read it (OllamaClient.generate: "Generate text from a prompt")
  const gen = ['async def generate(self, prompt: str):', '    """', '    Generate text from a prompt', '    """', '    payload = {"prompt": prompt}', '    return payload'].join('\n');
  assert.deepEqual(parameterDocs(gen, 'generate', 147, [], 'python')[0].lines, [151]);
});

test('a step that returns from an except block cites the return, not only the except line (analyze_file)', async () => {
  const rel = 'codeworm/analysis/analyzer.py';
  const { body } = await symbolPage(fx, 'function_doc', 'CodeAnalyzer.analyze_file', rel);
  const how = section(body, 'How it works');
  const steps = how.split('\n').filter((l) => /^\d+\. If `Exception` is raised: returns/.test(l));
  assert.equal(steps.length, 2, how);
  for (const s of steps) {
    const m = /\(lines? (\d+)(?:–(\d+))?\)/.exec(s)!;
    const cited = Array.from({ length: Number(m[2] ?? m[1]) - Number(m[1]) + 1 }, (_, i) => Number(m[1]) + i);
    assert.ok(cited.some((n) => /^\s*return\b/.test(files[rel][n - 1])), `${s} cites no return line`);
    assert.ok(cited.some((n) => /^\s*except\b/.test(files[rel][n - 1])), `${s} cites no except line`);
  }
});

test('a broad except that only continues is a gotcha naming the skipped item and the lost log (analyze_file)', async () => {
  const rel = 'codeworm/analysis/analyzer.py';
  const { body, ungrounded, contradictions } = await symbolPage(fx, 'function_doc', 'CodeAnalyzer.analyze_file', rel);
  const gotchas = section(body, 'Gotchas');
  const loop = lineOf(rel, 'for parsed_func in extractor.extract_functions():');
  const handler = lineOf(rel, 'except Exception:  # noqa: S112', loop);
  const item = gotchas.split('\n').find((l) => l.includes(`at line ${handler}:`)) ?? '';
  assert.match(item, /`continue` skips that `parsed_func` of `for parsed_func in extractor\.extract_functions\(\)`/, gotchas);
  assert.match(item, new RegExp(`\\(line ${loop}\\)`));
  assert.match(item, new RegExp(`lines ${loop + 1}–${handler - 1}: \`self\\._should_skip_function\``));
  assert.match(item, /nothing is logged/);
  assert.equal(contradictions, 0);
  assert.ok(ungrounded.length <= 1, ungrounded.join(', '));
});

test('silent broad handlers: bare, Exception, BaseException or a tuple with them, whose block only continues, passes or returns; not a narrow or a logging one', async () => {
  const { languageById } = await import('../../src/languages/registry.ts');
  const find = languageById('python')!.swallowedExceptions!;
  // close_repos of the original analyzer (MIT): `except Exception:  # noqa: S110` then `pass`, in a loop
  const analyzer = files['codeworm/analysis/analyzer.py'];
  const start = lineOf('codeworm/analysis/analyzer.py', 'def close_repos');
  const src = analyzer.slice(start - 1, lineOf('codeworm/analysis/analyzer.py', 'self._git_repos.clear()', start)).join('\n');
  const found = find(src, start);
  assert.deepEqual(found.map((h) => [h.line, h.action, h.calls]), [[lineOf('codeworm/analysis/analyzer.py', '# noqa: S110', start), 'pass', ['repo.close']]]);
  const fn = (handler: string, block: string) => ['def f(items):', '    for item in items:', '        try:', '            work(item)', `        ${handler}`, `            ${block}`].join('\n');
  assert.equal(find(fn('except:', 'continue'), 1).length, 1);
  assert.equal(find(fn('except (OSError, BaseException) as e:', 'return None'), 1)[0]?.action, 'return');
  assert.deepEqual(find(fn('except Exception:', 'continue'), 1)[0]?.loop, { line: 2, header: 'for item in items', item: 'item' });
  assert.deepEqual(find(fn('except ValueError:', 'continue'), 1), []);
  assert.deepEqual(find(fn('except Exception as e:', 'logger.warning("skipped %s", e)'), 1), []);
  assert.deepEqual(find(fn('except Exception:', 'raise'), 1), []);
});

test('under the purpose, a function page says who runs it and what it hands its work to (cli.py run_once, analyze_file)', async () => {
  const cli = 'codeworm/cli.py';
  const { body, ungrounded, contradictions } = await symbolPage(fx, 'function_doc', 'run_once', cli);
  const when = /^\*\*Purpose:\*\*.*\n\n(\*\*When it is used:\*\* .*)$/m.exec(body)?.[1] ?? '';
  assert.match(when, /It is run by the `codeworm run-once` command \(pyproject\.toml \[project\.scripts\]/, body.slice(0, 600));
  const load = lineOf(cli, 'settings = load_settings(', 125);
  // the daemon's cycle does the work: created, then handed the run
  const handoff = lineOf(cli, 'result = asyncio.run(daemon.run_once(', load);
  const runOnce = lineOf('codeworm/daemon.py', 'async def run_once(');
  assert.match(when, new RegExp(`creates \`CodeWormDaemon\` \\(line ${handoff - 1}; .*then hands off to \`CodeWormDaemon\\.run_once\` \\(line ${handoff}; defined at \`codeworm/daemon\\.py:${runOnce}\`\\)\\.$`));
  assert.equal(contradictions, 0);
  assert.ok(ungrounded.length <= 1, ungrounded.join(', '));
  // a generator called in its caller's loop; work follows its last repository call, so no hand-off
  const analyzer = 'codeworm/analysis/analyzer.py';
  const a = await symbolPage(fx, 'function_doc', 'CodeAnalyzer.analyze_file', analyzer);
  const aw = /\*\*When it is used:\*\* .*/.exec(a.body)?.[0] ?? '';
  assert.match(aw, new RegExp(`called by \`CodeAnalyzer\\.find_candidates\` \\(\`${analyzer}:${lineOf(analyzer, 'for candidate in self.analyze_file(scanned_file):')}\`\\), once per iteration of \`for scanned_file in self\\.scanner\\.scan_repo\\(…\\)\``));
  assert.doesNotMatch(aw, /hands off/);
});

test('the trap of a flag an entry never sets reaches the entry method\'s page at its own line, and the page of a caller in another file', async () => {
  const daemon = 'codeworm/daemon.py';
  const wait = lineOf(daemon, 'async def _wait_for_ollama');
  const loop = lineOf(daemon, 'while self.running:', wait);
  const runOnce = lineOf(daemon, 'async def run_once(');
  const call = lineOf(daemon, 'if not await self._ensure_ollama_ready():', runOnce);
  const own = await symbolPage(fx, 'function_doc', 'CodeWormDaemon.run_once', daemon);
  const g = section(own.body, 'Gotchas').split('\n').find((l) => l.includes('**flag never set**')) ?? '';
  assert.match(g, new RegExp(`at line ${call} .*\`if not await self\\._ensure_ollama_ready\\(\\):\` reaches \`_wait_for_ollama\` through \`_ensure_ollama_ready\`, and there \`while self\\.running:\` in \`_wait_for_ollama\` \\(line ${loop}\\) never runs its body`), section(own.body, 'Gotchas'));
  const cli = 'codeworm/cli.py';
  const caller = await symbolPage(fx, 'function_doc', 'run_once', cli);
  const c = section(caller.body, 'Gotchas').split('\n').find((l) => l.includes('**flag never set**')) ?? '';
  assert.match(c, new RegExp(`at line ${lineOf(cli, 'result = asyncio.run(daemon.run_once(')} .*it calls \`CodeWormDaemon\\.run_once\` here \\(\`${daemon}:${runOnce}\`\\).*\`while self\\.running:\` in \`_wait_for_ollama\` \\(\`${daemon}:${loop}\`\\) never runs its body`), section(caller.body, 'Gotchas'));
  for (const p of [own, caller]) {
    assert.equal(p.contradictions, 0);
    assert.ok(p.ungrounded.length <= 1, p.ungrounded.join(', '));
  }
});

test('a TIL on suppress(CancelledError) around an await warns that a cancellation aimed at the caller is swallowed; the block note only when there is more than one statement', async () => {
  const { findTechnique } = await import('../../src/llm/providers/static-code.ts');
  // stop_redis_subscriber of the original's dashboard/backend/ws.py (MIT), lines 102-109
  const stop = [
    'async def stop_redis_subscriber() -> None:',
    '    global _subscriber_task',
    '    if _subscriber_task and not _subscriber_task.done():',
    '        _subscriber_task.cancel()',
    '        with contextlib.suppress(asyncio.CancelledError):',
    '            await _subscriber_task',
    '    _subscriber_task = None',
  ].join('\n');
  const t = findTechnique(stop, 'stop_redis_subscriber', 102, 'high');
  assert.equal(t?.id, 'suppress');
  assert.match(t!.why, /if the task running `stop_redis_subscriber` is itself cancelled while it waits at `await _subscriber_task` \(line 107\), it gets that same `CancelledError`, so this swallows a cancellation aimed at the caller/);
  assert.doesNotMatch(t!.why, /statements after that one are skipped/, 'one statement in the block: nothing after it to skip');
  // another exception, or no await in the block: no cancellation to swallow
  assert.doesNotMatch(findTechnique(stop.replace('asyncio.CancelledError', 'KeyError'), 'stop_redis_subscriber', 102, 'high')!.why, /cancellation/);
  assert.doesNotMatch(findTechnique(stop.replace('await _subscriber_task', '_subscriber_task.result()'), 'stop_redis_subscriber', 102, 'high')!.why, /cancellation/);
  const two = stop.replace('            await _subscriber_task', '            await _subscriber_task\n            log_done()');
  assert.match(findTechnique(two, 'stop_redis_subscriber', 102, 'high')!.why, /When a statement in the block raises it, the statements after that one are skipped\./);
});

test('Returns lists every return point, one-line `if (…) return` and `if …: return` included', async () => {
  const { returnValues } = await import('../../src/llm/providers/static-code.ts');
  // the shape of useWebSocket's ws.onmessage (the original's dashboard, MIT): early returns after a condition, then a plain one
  const ts = [
    'function onMessage(event: MessageEvent) {',
    '  const parsed: unknown = JSON.parse(event.data as string)',
    '  if (!isValidWsMessage(parsed)) return',
    '  if (channel === "history") {',
    '    if (!Array.isArray(messages)) return',
    '    addLogs(entries)',
    '    return',
    '  }',
    '  if (done) { return count }',
    '}',
  ].join('\n');
  assert.deepEqual(returnValues(ts, 'onMessage', 81, 'typescript'), [{ value: '(nothing)', lines: [83, 85, 87] }, { value: 'count', lines: [89] }]);
  const py = ['def f(x):', '    if not x: return None', '    elif x > 3: return {"big": x}', '    return x'].join('\n');
  assert.deepEqual(returnValues(py, 'f', 1, 'python'), [{ value: 'None', lines: [2] }, { value: '{"big": x}', lines: [3] }, { value: 'x', lines: [4] }]);
});

test('a function assigned to an event-handler property says the runtime calls it per event', async () => {
  const { fixture, targetFor, staticPage } = await import('./support.ts');
  const small = await fixture({
    'socket.ts': [
      'export function useSocket(url: string): WebSocket {',
      '  const ws = new WebSocket(url)',
      '  ws.onmessage = (event: MessageEvent) => {',
      '    const parsed: unknown = JSON.parse(event.data as string)',
      '    if (!parsed) return',
      '    handle(parsed)',
      '  }',
      '  return ws',
      '}',
      '',
      'export function handle(message: unknown): void {',
      '  console.log(message)',
      '}',
      '',
    ].join('\n'),
  });
  const t = await targetFor(small, 'function_doc', 'useSocket.ws.onmessage');
  const { body } = await staticPage(small, t);
  assert.match(body, /\*\*When it is used:\*\* It is an event handler: assigned to `ws\.onmessage`, it is called for each `message` event of `ws`\./, body.slice(0, 800));
});

test('a block that builds a value with a string method or a builtin says what it sets, not "nothing that calls or assigns"', async () => {
  const { walkthrough } = await import('../../src/llm/providers/static-steps.ts');
  // the shape of get_recent (the original's dashboard/backend/api.py, MIT), lines 186-191
  const src = ['async def get_recent(repo):', '    conditions = []', '    if repo:', '        conditions.append("repo = ?")', '    if conditions:', '        query += " WHERE " + " AND ".join(conditions)', '    n = len(conditions)', '    return query'].join('\n');
  const steps = walkthrough(src, 'get_recent', 1).map((s) => s.text);
  assert.ok(steps.includes('If `conditions`: sets `query`'), steps.join('\n'));
  assert.ok(!steps.some((s) => /nothing that calls or assigns/.test(s)), steps.join('\n'));
});
