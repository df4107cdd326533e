/**
 * A task left pending when the class closes its own event loop (issue 12, the reviewer's list):
 * the original CodeWorm's daemon starts its dead man's switch with `asyncio.create_task` in
 * `_async_run` and `run` closes the loop after `_async_run` returns without cancelling it, so
 * asyncio logs "Task was destroyed but it is pending!". Real code from test/fixtures/cw.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { cwFixture } from '../support/cw-repo.ts';
import { lineIn, originalCodeworm, symbolPage, type Fixture } from './support.ts';
import { loopCloses, tasksNeverStopped } from '../../src/analysis/gotchas.ts';
import { classLifecycle, pythonClassMethods } from '../../src/analysis/lifecycle.ts';

let fx: Fixture;
let daemon: string;
before(async () => {
  fx = await originalCodeworm();
  daemon = await cwFixture('daemon.py');
});

const lineOf = (needle: string, after?: string) => lineIn(daemon, needle, after);

const section = (body: string, title: string) => new RegExp(`### ${title}\\n\\n([\\s\\S]*?)(?:\\n### |$)`).exec(body)?.[1] ?? '';

/** The gotchas of the daemon class as written, or with `edit` applied to its source. */
function taskGotchas(edit: (src: string) => string = (s) => s): string[] {
  const at = lineOf('class CodeWormDaemon:');
  const cls = edit(daemon.split('\n').slice(at - 1, lineOf('def main()') - 1).join('\n'));
  return tasksNeverStopped(classLifecycle(cls, at), pythonClassMethods(cls, at)).map((g) => g.note);
}

test('the class page says the dead man\'s switch task is still pending when run closes the loop, with the lines of the close, the task and its sleep', async () => {
  const p = await symbolPage(fx, 'class_doc', 'CodeWormDaemon', 'codeworm/daemon.py');
  const g = section(p.body, 'Gotchas');
  const created = lineOf('self._dead_mans_task = asyncio.create_task(self._dead_mans_switch())');
  const close = lineOf('self._loop.close()');
  // the sleep at the end of the `while self.running:` loop, not the one before it
  const sleep = lineOf('await asyncio.sleep(check_interval)', 'elif age <= alert_threshold and alerted:');
  assert.equal(close, 275);
  assert.match(g, new RegExp(`- \\*\\*task never stopped\\*\\* at line ${created} \\(\`_async_run\`\\): nothing cancels or awaits \`self\\._dead_mans_task\`[^\\n]*; when \`run\` closes the loop \\(\`self\\._loop\\.close\\(\\)\`, line ${close}\\) after \`_async_run\` returns, the task is still pending \\(between rounds it sleeps in \`await asyncio\\.sleep\\(check_interval\\)\`, line ${sleep}\\): asyncio logs “Task was destroyed but it is pending!”`));
  assert.deepEqual([p.ungrounded, p.contradictions], [[], 0]);
});

test('no pending-at-close note when the task is cancelled, when remaining tasks are cancelled before the close, or when nothing closes the loop', () => {
  assert.equal(loopCloses(pythonClassMethods(daemon.split('\n').slice(lineOf('class CodeWormDaemon:') - 1).join('\n'), lineOf('class CodeWormDaemon:'))).map((c) => `${c.in}:${c.line}:${c.runs.join(',')}`).join(), `run:275:_async_run,_cleanup`);
  assert.match(taskGotchas().join('\n'), /Task was destroyed but it is pending/);
  // cancelled in _cleanup: no gotcha at all
  assert.deepEqual(taskGotchas((s) => s.replace('        if self._llm_client:\n            await self._llm_client.close()', '        if self._dead_mans_task:\n            self._dead_mans_task.cancel()\n        if self._llm_client:\n            await self._llm_client.close()')), []);
  // every task left is cancelled before the close, as asyncio.run does
  const swept = taskGotchas((s) => s.replace('            self._loop.close()', '            for task in asyncio.all_tasks(self._loop):\n                task.cancel()\n            self._loop.close()'));
  assert.equal(swept.length, 1);
  assert.doesNotMatch(swept[0], /pending/);
  // the loop is never closed here (asyncio.run owns it): the task is still never stopped, but nothing says "destroyed"
  const open = taskGotchas((s) => s.replace('            self._loop.close()\n', ''));
  assert.equal(open.length, 1);
  assert.doesNotMatch(open[0], /Task was destroyed/);
});

test('the async report lists the task with its file line and what happens at the close; a repository without such a task gets no section', async () => {
  const { taskFindings } = await import('../../src/llm/lifecycle-facts.ts');
  const { renderBlockingMarkdown } = await import('../../src/analysis/blocking/report.ts');
  const { blockingFor } = await import('../../src/targets/blocking-cache.ts');
  const tasks = taskFindings(fx.index);
  const created = lineOf('self._dead_mans_task = asyncio.create_task(self._dead_mans_switch())');
  assert.deepEqual(tasks.map((t) => `${t.file}:${t.line} ${t.function}`), [`codeworm/daemon.py:${created} CodeWormDaemon._async_run`]);
  const md = renderBlockingMarkdown(blockingFor(fx.index), { repoName: 'codeworm', now: new Date(Date.UTC(2026, 10, 30)), sourceOf: () => null, tasks });
  const section = /## Tasks Left Running When the Loop Stops\n\n([\s\S]*?)\n---/.exec(md)?.[1] ?? '';
  assert.match(section, new RegExp(`^Nothing cancels or awaits this asyncio task:\\n\\n- \`codeworm/daemon\\.py:${created}\` in \`CodeWormDaemon\\._async_run\`: \`self\\._dead_mans_task = asyncio\\.create_task\\(self\\._dead_mans_switch\\(\\)\\)\` — [^\\n]*line ${lineOf('self._loop.close()')}\\)[^\\n]*Task was destroyed but it is pending!`));
  assert.doesNotMatch(renderBlockingMarkdown(blockingFor(fx.index), { repoName: 'codeworm', now: new Date(Date.UTC(2026, 10, 30)), sourceOf: () => null, tasks: [] }), /Tasks Left Running/);
});
