import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSettings } from '../../src/config/load.ts';
import { DOC_TYPES, type PromptsConfig } from '../../src/config/schema.ts';
import { buildPrompt, MAX_PROMPT_SOURCE_CHARS, type PromptVars } from '../../src/llm/prompts/build.ts';
import { renderTargetContext } from '../../src/llm/prompts/context.ts';
import { GROUNDING_RULES } from '../../src/llm/prompts/doc-types.ts';
import { PY_SOURCE } from './helpers.ts';

const noOverrides: PromptsConfig = { language_hints: {}, doc_types: {} };

const FACTS = '## Facts (computed from the code; do not contradict)\n- async: yes\n- awaited calls: self._wait_ready (line 45)';

function vars(over: Partial<PromptVars> = {}): PromptVars {
  return {
    source: PY_SOURCE,
    name: 'Fetcher.fetch_report',
    file: 'app/fetcher.py',
    repo: 'reports',
    language: 'python',
    complexity: 3,
    lineCount: 14,
    lines: '40-53',
    facts: FACTS,
    context: '',
    ...over,
  };
}

async function promptsFrom(yaml: string): Promise<PromptsConfig> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-prompts-'));
  await writeFile(path.join(dir, 'prompts.yaml'), yaml);
  return (await loadSettings(dir, { env: {} })).prompts;
}

test('every doc type has a prompt carrying the source or context, the facts and the grounding rules', () => {
  for (const docType of DOC_TYPES) {
    const { system, prompt } = buildPrompt(docType, vars({ context: '## Context\n\n- pattern: factory' }), noOverrides);
    assert.ok(system.includes(GROUNDING_RULES), `${docType}: grounding rules missing`);
    assert.ok(prompt.includes('await self._wait_ready()'), `${docType}: source missing`);
    const summary = docType === 'weekly_summary' || docType === 'monthly_summary';
    if (!summary) assert.ok(prompt.includes('- awaited calls: self._wait_ready (line 45)'), `${docType}: facts missing`);
    // Context is doc-type data (listing, change, pattern, counts); for code types the facts say it all (each fact once).
    const usesContext = ['module_doc', 'code_evolution', 'pattern_analysis', 'weekly_summary', 'monthly_summary', 'async_analysis'].includes(docType);
    assert.equal(prompt.includes('- pattern: factory'), usesContext, `${docType}: context ${usesContext ? 'missing' : 'repeats the facts'}`);
    assert.ok(!/\{(source|name|file_path|repo|language|facts|context|complexity|line_count)\}/.test(prompt), `${docType}: placeholder left`);
  }
});

test('the doc types have distinct system prompts', () => {
  const systems = new Set(DOC_TYPES.map((t) => buildPrompt(t, vars(), noOverrides).system));
  assert.equal(systems.size, DOC_TYPES.length);
});

test('the grounding rules forbid invented identifiers and calling awaited calls blocking', () => {
  assert.match(GROUNDING_RULES, /Name only identifiers .* that appear in the code, the facts or the context/);
  assert.match(GROUNDING_RULES, /awaited calls" is awaited: never call it blocking/);
});

test('the function_doc prompt names the target, file, repository and lines once, before the code', () => {
  const { prompt, system } = buildPrompt('function_doc', vars(), noOverrides);
  assert.ok(prompt.startsWith('## Code: `Fetcher.fetch_report` in `app/fetcher.py` (repository reports, lines 40-53)\n\n```python\n'));
  assert.match(system, /Language-specific guidance: Focus on Pythonic patterns/);
});

test('code containing {name}-like text is sent unchanged', () => {
  const source = 'def f(x):\n    return "{name} and {repo}".format(name=x, repo=1)';
  const { prompt } = buildPrompt('function_doc', vars({ source }), noOverrides);
  assert.ok(prompt.includes(source));
});

test('a long source is cut at a line boundary with the number of lines left out', () => {
  const line = 'x = compute_something(1, 2, 3)  # padding padding padding\n';
  const source = line.repeat(Math.ceil((MAX_PROMPT_SOURCE_CHARS * 1.5) / line.length));
  const { prompt } = buildPrompt('function_doc', vars({ source }), noOverrides);
  const m = /\n\[\.\.\. (\d+) more lines not shown \.\.\.\]/.exec(prompt);
  assert.ok(m, 'cut marker present');
  const before = prompt.slice(0, m.index);
  assert.ok(before.endsWith('# padding padding padding'), 'cut at the end of a line');
  const kept = before.split('x = compute_something').length - 1;
  assert.equal(kept + Number(m[1]), source.split('\n').length);
});

test('prompts.yaml system_prompt replaces the function doc preamble (as the original); other types keep their own', async () => {
  const prompts = await promptsFrom('system_prompt: |\n  You are Marvin, a tired robot.\n');
  const { system } = buildPrompt('function_doc', vars(), prompts);
  assert.match(system, /^You are Marvin, a tired robot\./);
  assert.match(system, /You document one function or method/);
  assert.ok(system.includes(GROUNDING_RULES));
  const security = buildPrompt('security_review', vars(), prompts).system;
  assert.match(security, /^You are a security analyst/);
  assert.doesNotMatch(security, /Marvin/);
});

test("prompts.yaml documentation_template (the original's placeholders) drives function_doc and gets the facts appended", async () => {
  const prompts = await promptsFrom(
    'documentation_template: |\n  Explain {name} from {file_path} in {repo} ({language}, cc {complexity}, {line_count} lines):\n  {source}\n',
  );
  const { prompt } = buildPrompt('function_doc', vars(), prompts);
  assert.ok(prompt.startsWith('Explain Fetcher.fetch_report from app/fetcher.py in reports (python, cc 3, 14 lines):'));
  assert.ok(prompt.includes('```python\nasync def fetch_report'), 'a bare {source} is sent fenced');
  assert.match(prompt, /## Facts \(computed from the code; do not contradict\)\n\n```text\n- async: yes\n- awaited calls: self\._wait_ready \(line 45\)\n```$/, 'facts appended after a template without {facts}');
  // Other types keep their own templates.
  assert.ok(!buildPrompt('til', vars(), prompts).prompt.startsWith('Explain'));
});

test('prompts.yaml doc_types override one type’s system prompt and user template', async () => {
  const prompts = await promptsFrom(
    'doc_types:\n  security_review:\n    system_prompt: Only list SQL issues.\n    user_template: "Audit {name} ({label}):\\n{source}\\n{facts}"\n',
  );
  const { system, prompt } = buildPrompt('security_review', vars(), prompts);
  assert.ok(system.startsWith('Only list SQL issues.'));
  assert.ok(system.includes(GROUNDING_RULES));
  assert.ok(prompt.startsWith('Audit Fetcher.fetch_report (Security Review):'));
  assert.ok(prompt.includes('- awaited calls: self._wait_ready (line 45)'));
  assert.ok(!buildPrompt('performance_analysis', vars(), prompts).system.startsWith('Only list SQL'));
});

test('prompts.yaml language_hints and style reach the system prompt', async () => {
  const prompts = await promptsFrom('style: casual\nlanguage_hints:\n  python: Mention asyncio task groups.\n  go: Mention channels.\n');
  const py = buildPrompt('function_doc', vars(), prompts).system;
  assert.match(py, /Language-specific guidance: Mention asyncio task groups\./);
  assert.match(py, /friendly, conversational style/);
  const ts = buildPrompt('function_doc', vars({ language: 'typescript' }), prompts).system;
  assert.match(ts, /Language-specific guidance: Note TypeScript-specific types/);
});

test('a doc-type context renders as sorted, labelled text', () => {
  const text = renderTargetContext({ pattern: 'factory', indicators: ['a `create_*` function', 'returns instances'], fileCount: 2 });
  assert.equal(text, '## Context\n\n- file count: 2\n\n### indicators\n\n- a `create_*` function\n- returns instances\n\n- pattern: factory');
  assert.equal(renderTargetContext({}), '');
});
