import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/daemon/scheduler.ts';
import { docTypeOrder, selectTarget, weightedOrder } from '../../src/targets/select.ts';
import { DEFAULT_TYPE_WEIGHTS, DOC_TYPES, type RepoConfig } from '../../src/config/schema.ts';
import type { FinderInput, Target, TargetFinder } from '../../src/targets/types.ts';

function seeded(seed: number): () => number {
  const rng = createRng(seed);
  return () => rng.next();
}

test('the first doc type follows type_weights over many draws', () => {
  const random = seeded(7);
  const counts = new Map<string, number>();
  const n = 20_000;
  for (let i = 0; i < n; i++) {
    const first = docTypeOrder(DEFAULT_TYPE_WEIGHTS, random)[0];
    counts.set(first, (counts.get(first) ?? 0) + 1);
  }
  const total = Object.values(DEFAULT_TYPE_WEIGHTS).reduce((a, b) => a + b, 0);
  for (const t of DOC_TYPES) {
    const expected = DEFAULT_TYPE_WEIGHTS[t] / total;
    const got = (counts.get(t) ?? 0) / n;
    assert.ok(Math.abs(got - expected) < 0.02, `${t}: expected ${expected.toFixed(3)}, got ${got.toFixed(3)}`);
  }
});

test('every doc type with weight > 0 is a fallback; weight 0 is never chosen', () => {
  const weights = { ...DEFAULT_TYPE_WEIGHTS, til: 0 };
  const order = docTypeOrder(weights, seeded(1));
  assert.equal(order.length, DOC_TYPES.length - 1);
  assert.ok(!order.includes('til'));
  assert.equal(new Set(order).size, order.length);
});

test('a forced doc type is tried alone', () => {
  assert.deepEqual(docTypeOrder(DEFAULT_TYPE_WEIGHTS, seeded(1), 'module_doc'), ['module_doc']);
});

test('weightedOrder puts heavier items first more often', () => {
  const random = seeded(3);
  let heavyFirst = 0;
  for (let i = 0; i < 5000; i++) if (weightedOrder(['a', 'b'], (x) => (x === 'a' ? 9 : 1), random)[0] === 'a') heavyFirst++;
  assert.ok(Math.abs(heavyFirst / 5000 - 0.9) < 0.03, `got ${heavyFirst / 5000}`);
});

function target(name: string): Target {
  return { displayName: name, codeHash: name } as unknown as Target;
}

test('selection skips duplicates and disabled repositories, moving to the next repository', async () => {
  const repos: RepoConfig[] = [
    { name: 'one', path: '/one', weight: 5, enabled: true },
    { name: 'off', path: '/off', weight: 10, enabled: false },
    { name: 'two', path: '/two', weight: 5, enabled: true },
  ];
  const finder: TargetFinder = { docType: 'function_doc', find: (i) => (i.repo.name === 'one' ? [target('a'), target('b')] : [target('c')]) };
  const seen: string[] = [];
  const inputFor = async (r: RepoConfig) => {
    seen.push(r.name);
    return { repo: r } as FinderInput;
  };
  const res = await selectTarget(finder, repos, inputFor, (t) => t.displayName !== 'c', seeded(5));
  assert.equal(res.target?.displayName, 'c');
  assert.ok(!seen.includes('off'));
  assert.equal(res.considered, 3);
  const none = await selectTarget(finder, repos, inputFor, () => true, seeded(5));
  assert.equal(none.target, null);
});
