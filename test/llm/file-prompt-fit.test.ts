/**
 * The file_doc prompt carries the "where it fits" facts the static provider writes its section
 * from (src/llm/fit-facts.ts), in the facts block before the task, each once (issue 12, the
 * reviewer's list). Real code: the original CodeWorm's daemon.py (test/fixtures/cw).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileTarget } from '../../src/targets/common.ts';
import { buildFacts } from '../../src/llm/facts.ts';
import { addReaderFacts } from '../../src/llm/reader-facts.ts';
import { promptVarsFor } from '../../src/llm/generate.ts';
import { buildPrompt } from '../../src/llm/prompts/build.ts';
import { renderStaticBody } from '../../src/llm/providers/static.ts';
import type { PromptsConfig } from '../../src/config/schema.ts';
import { cwFixture } from '../support/cw-repo.ts';
import { originalCodeworm, type Fixture } from '../pages/support.ts';

let fx: Fixture;
let daemon: string;
before(async () => {
  fx = await originalCodeworm();
  daemon = await cwFixture('daemon.py');
});

const noOverrides: PromptsConfig = { language_hints: {}, doc_types: {} };
const lineOf = (needle: string) => daemon.split('\n').findIndex((l) => l.includes(needle)) + 1;

test('the file prompt of codeworm/daemon.py gives its main class, who creates it and the calls between its methods before the task, each fact once', async () => {
  const f = fx.index.files.find((x) => x.path === 'codeworm/daemon.py')!;
  const t = fileTarget('file_doc', fx.input, f, { score: 10 });
  t.source = await readFile(t.absPath, 'utf8');
  const facts = buildFacts(t, fx.index, { now: fx.input.now });
  await addReaderFacts(t, facts, fx.root, fx.index);
  const { prompt } = buildPrompt('file_doc', promptVarsFor({ docType: 'file_doc', target: t, facts, prompts: noOverrides }), noOverrides);
  const task = prompt.indexOf('## Task');
  const at = (re: RegExp) => {
    const m = re.exec(prompt);
    assert.ok(m, `no ${re}`);
    assert.ok(m.index < task, `${re} comes after the task`);
    return m[0];
  };
  // every creator: the two cli.py commands and daemon.py's own main()
  at(new RegExp(`^- main class: CodeWormDaemon \\(line ${lineOf('class CodeWormDaemon:')}, \\d+ methods\\), created by run \\(codeworm/cli\\.py:\\d+\\); run_once \\(codeworm/cli\\.py:\\d+\\); main \\(codeworm/daemon\\.py:${lineOf('daemon = CodeWormDaemon(settings)')}\\)$`, 'm'));
  const calls = at(/^- calls between its own functions, in source order: .*$/m);
  assert.match(calls, new RegExp(`CodeWormDaemon\\.run \\(line ${lineOf('    def run(self)')}\\) calls _async_run, _cleanup`));
  assert.match(calls, /CodeWormDaemon\._on_scheduled_task \(line \d+\) calls _execute_documentation_cycle \(under a condition\), _emit_event \(under a condition\)/);
  // cli.py imports it inside both commands (lazy imports)
  at(/^- imported by \(1 file\): codeworm\/cli\.py:68 \(CodeWormDaemon\)$/m);
  at(/^- tests: the repository has no test files$/m);
  // each fact once: no fact line twice, and the importers are not listed again elsewhere
  const lines = prompt.slice(0, task).split('\n').filter((l) => l.startsWith('- '));
  assert.deepEqual(lines.filter((l, i) => lines.indexOf(l) !== i), []);
  // the static page says the same from the same facts
  assert.match(renderStaticBody('file_doc', t, facts), /### Where it fits[\s\S]*`CodeWormDaemon`/);
  // other doc types of a file-level target keep their own facts
  const evo = buildPrompt('code_evolution', promptVarsFor({ docType: 'code_evolution', target: { ...t, docType: 'code_evolution' }, facts, prompts: noOverrides }), noOverrides);
  assert.doesNotMatch(evo.prompt, /^- main class:/m);
});
