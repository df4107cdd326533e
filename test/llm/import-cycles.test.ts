/**
 * The page-writing modules (src/llm) import each other without cycles: a cycle makes the value a
 * module exports `undefined` while the other is still loading, depending on which one a caller
 * imported first (facts.ts ↔ providers/static-code.ts did, through static-purpose.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../support/cli.ts';

/** Value imports (`import type` left out: erased at run time) between the .ts files under `dir`. */
async function importGraph(dir: string): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  for (const e of await readdir(dir, { recursive: true })) {
    if (!e.endsWith('.ts')) continue;
    const file = path.join(dir, e);
    const text = await readFile(file, 'utf8');
    graph.set(file, [...text.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'(\.[^']+)'/gm)].map((m) => path.join(path.dirname(file), m[1])));
  }
  return graph;
}

/** A path of imports from `start` back to itself, or null. */
function cycleThrough(graph: Map<string, string[]>, start: string): string[] | null {
  const seen = new Set<string>();
  const walk = (at: string, trail: string[]): string[] | null => {
    for (const next of graph.get(at) ?? []) {
      if (next === start) return [...trail, next];
      if (seen.has(next) || !graph.has(next)) continue;
      seen.add(next);
      const found = walk(next, [...trail, next]);
      if (found) return found;
    }
    return null;
  };
  return walk(start, [start]);
}

test('no module under src/llm imports itself back through other modules (facts.ts and static-code.ts share declaration.ts instead)', async () => {
  const src = path.join(REPO_ROOT, 'src');
  const graph = await importGraph(src);
  // the graph is real: facts.ts reaches static-code.ts through static-purpose.ts, and both read declaration heads
  const facts = path.join(src, 'llm', 'facts.ts');
  const code = path.join(src, 'llm', 'providers', 'static-code.ts');
  assert.ok(graph.get(path.join(src, 'llm', 'providers', 'static-purpose.ts'))?.includes(code));
  assert.ok(graph.get(code)?.includes(path.join(src, 'llm', 'declaration.ts')));
  const cycles = [...graph.keys()].filter((f) => f.startsWith(path.join(src, 'llm'))).map((f) => cycleThrough(graph, f)).filter((c): c is string[] => c !== null);
  assert.deepEqual(cycles.map((c) => c.map((f) => path.relative(src, f)).join(' → ')), []);
  assert.ok(graph.has(facts));
});
