import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseSource } from '../../src/index/parser.ts';
import { queryFor, SharedQueries } from '../../src/languages/common.ts';

const fixtures = path.join(import.meta.dirname, '..', 'fixtures', 'cw');

// Three queries with clashing capture names, a predicate, an alternation and a string holding `@`.
const LOOPS = `[(for_statement) (while_statement)] @loop (function_definition) @fn`;
const CLASSES = `(class_definition name: (identifier) @name body: (block) @body) @fn`;
const CALLS = `((call function: (identifier) @fn) (#not-eq? @fn "@print")) (decorator) @loop`;

const seen = (caps: { name: string; node: { startIndex: number; endIndex: number; type: string } }[]) =>
  caps.map((c) => `${c.name} ${c.node.type} ${c.node.startIndex}-${c.node.endIndex}`);

test('each query of a shared pass gets the captures, names and order it gets alone', async () => {
  // the seed daemon (test/fixtures/cw) and classes nested in a method and in a class
  const nested = '\nclass Outer(Base):\n    def m(self):\n        class Inner:\n            x = f(1)\n        return Inner\n    class Side:\n        pass\n@dec\ndef g():\n    print(len(a), str(b))\n';
  const source = (await readFile(path.join(fixtures, 'daemon.py'), 'utf8')) + nested;
  const shared = new SharedQueries();
  const members = [LOOPS, CLASSES, CALLS].map((q) => ({ q, handle: shared.add(q) }));
  const tree = await parseSource('python', source);
  try {
    for (const { q, handle } of members) {
      const alone = seen(queryFor(tree.language, q).captures(tree.rootNode));
      assert.ok(alone.length > 3, `the fixture exercises ${q}`);
      assert.deepEqual(seen(handle.captures(tree.rootNode)), alone);
      // asked again on the same tree: the same captures, not a second pass's leftovers
      assert.deepEqual(seen(handle.captures(tree.rootNode)), alone);
    }
  } finally {
    tree.delete();
  }
});

test('a shared query asked about a node below the root runs alone on that node', async () => {
  const source = 'def f():\n    for x in y:\n        g(x)\n\nwhile True:\n    h()\n';
  const shared = new SharedQueries();
  const loops = shared.add(LOOPS);
  const tree = await parseSource('python', source);
  try {
    const fn = tree.rootNode.firstNamedChild!;
    assert.equal(fn.type, 'function_definition');
    assert.deepEqual(seen(loops.captures(fn)), seen(queryFor(tree.language, LOOPS).captures(fn)));
    assert.deepEqual(seen(loops.captures(fn)).map((s) => s.split(' ')[0]), ['fn', 'loop']);
    assert.deepEqual(seen(loops.captures(tree.rootNode)).map((s) => s.split(' ')[0]), ['fn', 'loop', 'loop']);
  } finally {
    tree.delete();
  }
});
