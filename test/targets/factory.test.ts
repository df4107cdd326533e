/**
 * The factory pattern's indicators count functions that hand out new instances, not every
 * `build_*` name (issue 12, blind review: prompt builders returning `(system, user)` tuples were
 * shown as factories).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexRepository } from '../../src/index/indexer.ts';
import { FINDERS } from '../../src/targets/registry.ts';
import type { FinderInput } from '../../src/targets/types.ts';
import { makeRepo } from '../support/git-repo.ts';

async function factoryEvidence(files: Record<string, string>): Promise<string[]> {
  const root = await makeRepo(files);
  const index = await indexRepository(root);
  const input: FinderInput = { repo: { name: 'r', path: root, weight: 5, enabled: true }, index, settings: undefined as never, now: Date.UTC(2026, 10, 30) };
  return FINDERS.pattern_analysis.find(input)
    .filter((t) => t.context.pattern === 'factory')
    .flatMap((t) => (t.context.evidence as { symbol: string }[]).map((e) => e.symbol));
}

const TUPLES = [
  'class Prompt:',
  '    pass',
  '',
  'def build_documentation_prompt(context) -> tuple[str, str]:',
  '    system = "s"',
  '    return system, context',
  '',
  'def build_commit_prompt(doc):',
  '    return Prompt(doc), Prompt("x")',
  '',
  'def make_pair(a) -> tuple[Prompt, Prompt]:',
  '    return (Prompt(a), Prompt(a))',
  '',
].join('\n');

test('functions returning tuples are not factories', async () => {
  assert.deepEqual(await factoryEvidence({ 'prompts.py': TUPLES }), []);
});

test('functions returning one new instance are, by their body or their declared return type', async () => {
  const src = [
    TUPLES,
    'class Client:',
    '    pass',
    '',
    'def create_client(settings) -> Client:',
    '    client = Client()',
    '    client.settings = settings',
    '    return client',
    '',
    'def make_prompt(doc):',
    '    return Prompt(doc)',
    '',
  ].join('\n');
  assert.deepEqual([...new Set(await factoryEvidence({ 'prompts.py': src }))].sort(), ['create_client', 'make_prompt']);
});

test('one function showing two factory indicators is no pattern; a from_* classmethod returning another class is no alternative constructor (the original CodeWorm, MIT)', async () => {
  const { cwFixture } = await import('../support/cw-repo.ts');
  // scheduler.py: `create_scheduler` is named create_* and returns `CodeWormScheduler(settings)`,
  // one 5-line function counted twice; prompts.py: `PromptBuilder.from_candidate` is a classmethod
  // that returns a `PromptContext`, beside `get_prompt_builder` returning `PromptBuilder(…)`
  const files = { 'scheduler.py': await cwFixture('scheduler.py'), 'prompts.py': await cwFixture('prompts.py') };
  assert.deepEqual(await factoryEvidence(files), []);
  // the same shapes with a real alternative constructor and a second factory function are a pattern
  const factories = [
    'class Builder:',
    '    def __init__(self, settings):',
    '        self.settings = settings',
    '',
    '    @classmethod',
    '    def from_env(cls, env):',
    '        return cls(env["settings"])',
    '',
    'def create_builder(settings) -> Builder:',
    '    return Builder(settings)',
    '',
  ].join('\n');
  assert.deepEqual((await factoryEvidence({ 'builder.py': factories })).sort(), ['Builder.from_env', 'create_builder', 'create_builder'].sort());
});
