/**
 * The plain summary at the top of file and class pages (issue 12, reviewer: before the detail
 * sections, what it is for, who starts or uses it, and the design its code shows), on the
 * original CodeWorm: every sentence from computed facts, with lines checked against the files.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileTarget } from '../../src/targets/common.ts';
import { cwFixture } from '../support/cw-repo.ts';
import { fixture, originalCodeworm, staticPage, symbolPage, type Fixture } from './support.ts';

let cw: Fixture;
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

before(async () => {
  cw = await originalCodeworm();
});

async function filePage(fx: Fixture, rel: string) {
  const f = fx.index.files.find((x) => x.path === rel)!;
  const t = fileTarget('file_doc', fx.input, f, { score: 10 });
  t.source = await readFile(path.join(fx.root, rel), 'utf8');
  return staticPage(fx, t);
}

const inShort = (body: string) => /\*\*In short:\*\* (.*)\n/.exec(body)?.[1] ?? '';
const sentences = (p: string) => p.split(/(?<=[.)])\s+(?=[A-Z`])/).length;

test('the CodeWormDaemon class page opens with who starts it, its event loop fed from the scheduler\'s thread, its waits on Ollama and its backoff', async () => {
  const daemon = await cwFixture('daemon.py');
  const cli = await cwFixture('cli.py');
  const { body, ungrounded, contradictions } = await symbolPage(cw, 'class_doc', 'CodeWormDaemon');
  const p = inShort(body);
  assert.ok(body.indexOf('**In short:**') < body.indexOf('### Lifecycle'), 'before the detail sections');
  assert.ok(sentences(p) <= 5, p);
  // the fixture has no pyproject.toml: main() is the one entry point it knows, the cli.py commands are creators
  // each creator with the command that runs it (pyproject.toml's [project.scripts] names them)
  assert.match(p, new RegExp(`^It is created by \`run\` \\(\`codeworm/cli\\.py:${lineOf(cli, 'daemon = CodeWormDaemon(settings, dry_run = dry_run)')}\`, run by the \`codeworm run\` command\\), \`run_once\` \\(\`codeworm/cli\\.py:${lineOf(cli, 'daemon = CodeWormDaemon(settings)')}\`, run by the \`codeworm run-once\` command\\) and \`main\` \\(\`codeworm/daemon\\.py:${lineOf(daemon, 'daemon = CodeWormDaemon(settings)')}\`, run by \`python codeworm/daemon\\.py\`\\)\\.`), p);
  assert.match(p, new RegExp(`\`run\\(\\)\` \\(line ${lineOf(daemon, '    def run(self)')}\\) runs the work on an asyncio event loop it creates \\(\`self\\._loop = asyncio\\.new_event_loop\\(\\)\`, line ${lineOf(daemon, 'self._loop = asyncio.new_event_loop()')}\\)`), p);
  assert.match(p, /`CodeWormScheduler` calls `_on_scheduled_task` back from a thread of its own \(`BackgroundScheduler`, `codeworm\/scheduler\/scheduler\.py:\d+`\)/);
  assert.match(p, new RegExp(`\`_on_scheduled_task\` hands \`_execute_documentation_cycle\` to the loop with \`asyncio\\.run_coroutine_threadsafe\` \\(line ${lineOf(daemon, 'asyncio.run_coroutine_threadsafe(')}\\)`), p);
  const poll = daemon.split('\n').findIndex((l, i) => i > lineOf(daemon, 'async def _wait_for_ollama') && l.trim() === 'while self.running:') + 1;
  assert.match(p, new RegExp(`\`_wait_for_ollama\` polls \`client\\.health_check\\(\\)\` in a loop \\(line ${poll}\\) until it succeeds, waiting \`self\\.stats\\.get_ollama_wait_seconds\\(\\)\` seconds between tries \\(line ${lineOf(daemon, 'for _ in range(wait_seconds):')}\\), which grows exponentially: \`${esc('return min(300, 10 * (2**(self.consecutive_ollama_failures - 1)))')}\` \\(\`codeworm/daemon\\.py:${lineOf(daemon, 'return min(300, 10 * (2**')}\`\\)`), p);
  assert.equal(contradictions, 0);
  assert.deepEqual(ungrounded, []);
});

test('the analyzer.py file page opens with its core class, who creates and calls it, the parts it builds and its cache', async () => {
  const analyzer = await cwFixture('analyzer.py');
  const { body, ungrounded, contradictions } = await filePage(cw, 'codeworm/analysis/analyzer.py');
  const p = inShort(body);
  assert.ok(body.indexOf('**In short:**') < body.indexOf('### Where it fits'), 'before the detail sections');
  assert.ok(sentences(p) <= 5, p);
  assert.match(p, new RegExp(`^Its core is the class \`CodeAnalyzer\` \\(line ${lineOf(analyzer, 'class CodeAnalyzer:')}\\): “Main code analysis engine”`), p);
  // the live TargetRouter path is among the callers
  assert.match(p, /other files call `find_candidates` \(from `FunctionPerspectiveFinder\.find` and `TargetRouter\.find_targets` in `codeworm\/analysis\/targets\.py`, `analyze` in `codeworm\/cli\.py` and `CodeWormDaemon\._find_documentable_candidate` in `codeworm\/daemon\.py`\)/);
  assert.match(p, new RegExp(`Its constructor builds its parts: \`WeightedRepoSelector\` \\(\`self\\.repo_selector\`\\), \`RepoScanner\` \\(\`self\\.scanner\`\\), \`ComplexityAnalyzer\` \\(\`self\\.complexity_analyzer\`\\) and \`InterestScorer\` \\(\`self\\.scorer\`\\) \\(lines ${lineOf(analyzer, 'self.repo_selector = ')}-${lineOf(analyzer, 'self.scorer = InterestScorer()')}\\)`), p);
  assert.match(p, new RegExp(`\`analyze_file\` creates a \`CodeExtractor\` \\(line ${lineOf(analyzer, 'extractor = CodeExtractor(')}\\); \`_get_git_repo\` keeps results in \`self\\._git_repos\` \\(\`dict\\[Path, Repo \\| None\\]\`\\) and returns the stored one when the key is already there \\(line ${lineOf(analyzer, 'if repo_path in self._git_repos:')}\\)`), p);
  assert.equal(contradictions, 0);
  assert.deepEqual(ungrounded, []);
});

test('a file\'s core class is one other files import: TargetRouter in targets.py, not a longer finder only the router creates', async () => {
  const { body } = await filePage(cw, 'codeworm/analysis/targets.py');
  assert.match(inShort(body), /^Its core is the class `TargetRouter` \(line \d+\): “Routes doc_type requests to the appropriate target finder”/);
});

test('a class with nothing to say beyond its docstring gets no summary paragraph (no filler)', async () => {
  const fx = await fixture({ 'm.py': 'class Point:\n    """A point."""\n    def __init__(self, x):\n        self.x = x\n' });
  const { body } = await symbolPage(fx, 'class_doc', 'Point');
  assert.doesNotMatch(body, /In short/);
});

test('the CodeExtractor class page sums up every creator, its tree-sitter parse in the constructor and its per-language dispatch', async () => {
  const parser = await cwFixture('parser.py');
  const targets = await cwFixture('targets.py');
  const { body, ungrounded, contradictions } = await symbolPage(cw, 'class_doc', 'CodeExtractor');
  const p = inShort(body);
  const finders = [...targets.split('\n').entries()].filter(([, l]) => l.includes('extractor = CodeExtractor(source, scanned_file.language)')).map(([i]) => i + 1);
  assert.match(p, new RegExp(`\`FileTargetFinder\\.find\` \\(\`codeworm/analysis/targets\\.py:${finders[0]}\`\\) and \`ClassTargetFinder\\.find\` \\(\`codeworm/analysis/targets\\.py:${finders[1]}\`\\)\\.`), p);
  assert.match(p, new RegExp(`Its constructor builds its parts: \`self\\.tree\` from \`ParserManager\\.parse\\(\\)\` \\(line ${lineOf(parser, 'self.tree = ParserManager.parse(')}\\)\\.`), p);
  assert.match(p, new RegExp(`\`extract_functions\` \\(line ${lineOf(parser, 'def extract_functions(self)')}\\) calls, under its \`if\` branches, \`_extract_python_functions\`, \`_extract_js_functions\`, \`_extract_go_functions\` and \`_extract_rust_functions\`\\.`), p);
  assert.equal(contradictions, 0);
  assert.deepEqual(ungrounded, []);
});

test('a file\'s core class is one other files create: CodeWormScheduler in scheduler.py (created in daemon.py), not the longer trigger only the file creates', async () => {
  const { body } = await filePage(cw, 'codeworm/scheduler/scheduler.py');
  assert.match(inShort(body), /^Its core is the class `CodeWormScheduler` \(line \d+\)/);
});
