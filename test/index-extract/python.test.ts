import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractSource } from '../../src/index/extract.ts';
import { cc, extract, symbol } from './helpers.ts';
import { cwFixture } from '../support/cw-repo.ts';

test('the seed method is CodeWormDaemon._async_run at lines 277-330 with radon complexity 7', async () => {
  const source = await cwFixture('daemon.py');
  const r = await extractSource('python', source);
  const m = symbol(r, 'CodeWormDaemon._async_run');
  assert.equal(m.kind, 'method');
  assert.equal(m.className, 'CodeWormDaemon');
  assert.equal(m.startLine, 277);
  assert.equal(m.endLine, 330);
  assert.equal(m.metrics.cyclomatic, 7);
  assert.equal(m.isAsync, true);
  assert.deepEqual(m.params, ['self']);
  assert.equal(m.docstring, 'Async main run loop');
  const lines = source.split('\n');
  assert.equal(m.source, lines.slice(276, 330).join('\n'));
  assert.ok(m.source.startsWith('    async def _async_run(self) -> None:'));
});

test('the seed method reports its awaited and plain calls', async () => {
  const source = await cwFixture('daemon.py');
  const m = symbol(await extractSource('python', source), 'CodeWormDaemon._async_run');
  const awaited = m.calls.filter((c) => c.awaited).map((c) => c.callee);
  assert.deepEqual(awaited, ['self._wait_for_ollama', 'self._init_llm', 'client.prewarm', 'asyncio.sleep']);
  const plain = m.calls.find((c) => c.callee === 'self.devlog.ensure_directory_structure');
  assert.deepEqual(plain, { callee: 'self.devlog.ensure_directory_structure', name: 'ensure_directory_structure', line: 293, awaited: false });
  assert.match(source.split('\n')[292], /self\.devlog\.ensure_directory_structure\(\)/);
});

test('a decorated method starts on its def line and lists its decorators', async () => {
  const r = await extract('python', `
    class A:
        @property
        @functools.lru_cache(maxsize=None)
        def value(self):
            return 1
  `);
  const m = symbol(r, 'A.value');
  assert.equal(m.startLine, 4);
  assert.equal(m.endLine, 5);
  assert.deepEqual(m.decorators, ['property', 'functools.lru_cache(maxsize=None)']);
  assert.equal(m.source, '    def value(self):\n        return 1');
});

test('a nested function is outer.inner with its parent, and its branches stay out of outer', async () => {
  const r = await extract('python', `
    def outer(x):
        def inner(y):
            if y:
                return helper(y)
        return inner(x)
  `);
  const inner = symbol(r, 'outer.inner');
  assert.equal(inner.kind, 'function');
  assert.equal(inner.parent, 'outer');
  assert.equal(inner.metrics.cyclomatic, 2);
  const outer = symbol(r, 'outer');
  assert.equal(outer.metrics.cyclomatic, 1);
  assert.deepEqual(outer.calls.map((c) => c.callee), ['inner']);
});

test('async and generator flags and a cleaned docstring are reported', async () => {
  const r = await extract('python', `
    async def agen(n):
        """Yield numbers.

        Detail:
            indented more.
        """
        for i in range(n):
            yield i
    def plain():
        return (i for i in range(3))
  `);
  const g = symbol(r, 'agen');
  assert.equal(g.isAsync, true);
  assert.equal(g.isGenerator, true);
  assert.equal(g.docstring, 'Yield numbers.\n\nDetail:\n    indented more.');
  const p = symbol(r, 'plain');
  assert.equal(p.isGenerator, false, 'a generator expression does not make a generator');
  assert.equal(p.docstring, null);
});

test('a class carries bases, method count and radon class complexity', async () => {
  const r = await extract('python', `
    class Repo(Base, Generic[T], metaclass=Meta):
        kind = 1 if FLAG else 2
        def a(self, x):
            return x and self.y
        def b(self):
            pass
  `);
  const c = symbol(r, 'Repo');
  assert.equal(c.kind, 'class');
  assert.deepEqual(c.bases, ['Base', 'Generic[T]']);
  assert.equal(c.methodCount, 2);
  // radon: real = 1 + 1 (class body) + 2 + 1 = 5, reported as floor(5 / 2) + 1 = 3.
  assert.equal(c.metrics.cyclomatic, 3);
  assert.deepEqual(r.symbols.map((s) => s.displayName), ['Repo', 'Repo.a', 'Repo.b']);
});

test('radon counts if/elif, boolean operators, loops with else, except clauses and try else', async () => {
  assert.equal(await cc('python', `
    def f(a, b):
        if a and b or a:
            pass
        elif b:
            pass
        else:
            pass
        for x in a:
            pass
        else:
            pass
        while b:
            break
        try:
            pass
        except ValueError:
            pass
        except Exception:
            pass
        else:
            pass
        finally:
            pass
  `), 1 + 1 + 2 + 1 + 2 + 1 + 2 + 1);
});

test('radon counts comprehension fors and ifs, conditional expressions and lambdas bodies', async () => {
  assert.equal(await cc('python', `
    def f(xs):
        ys = [x for x in xs if x if x > 1 for _ in x]
        g = lambda v: v if v else 0
        return {k: v for k, v in ys}
  `), 1 + 4 + 1 + 1);
});

test('radon does not count with, match cases, case guards, finally, or anything inside assert', async () => {
  assert.equal(await cc('python', `
    def f(x):
        with open(x) as fh:
            pass
        match x:
            case 1 if x > 0:
                pass
            case _:
                pass
        assert x and x > 1, "message" if x else "other"
  `), 2);
});

test('an except* try counts nothing, as radon treats TryStar', async () => {
  assert.equal(await cc('python', `
    def f():
        try:
            pass
        except* ValueError:
            pass
        except* TypeError:
            pass
        else:
            pass
  `), 1);
});

test('default values and decorators are outside the function radon measures', async () => {
  const r = await extract('python', `
    def outer():
        @decorate(a if b else c)
        def inner(p=1 if q else 2):
            pass
        return inner
  `);
  assert.equal(symbol(r, 'outer').metrics.cyclomatic, 1);
  assert.equal(symbol(r, 'outer.inner').metrics.cyclomatic, 1);
});

test('parameters keep self, stars and keyword-only names but not separators', async () => {
  const r = await extract('python', `
    class A:
        def m(self, a, b: int = 2, /, *args, c, d: str = "x", **kw):
            pass
  `);
  assert.deepEqual(symbol(r, 'A.m').params, ['self', 'a', 'b', '*args', 'c', 'd', '**kw']);
  assert.equal(symbol(r, 'A.m').metrics.params, 7);
});

test('imports record module, local and imported names and line', async () => {
  const r = await extract('python', `
    import os.path, sys as system
    from . import sibling
    from ..pkg.mod import a as b, c
    from x import *
    from __future__ import annotations
  `);
  assert.deepEqual(r.imports, [
    { module: 'os.path', names: [{ local: 'os', imported: 'os.path' }], line: 1 },
    { module: 'sys', names: [{ local: 'system', imported: 'sys' }], line: 1 },
    { module: '.', names: [{ local: 'sibling', imported: 'sibling' }], line: 2 },
    { module: '..pkg.mod', names: [{ local: 'b', imported: 'a' }, { local: 'c', imported: 'c' }], line: 3 },
    { module: 'x', names: [{ local: '*', imported: '*' }], line: 4 },
    { module: '__future__', names: [{ local: 'annotations', imported: 'annotations' }], line: 5 },
  ]);
});

test('nloc excludes blank and comment-only lines, tokens exclude comments', async () => {
  const r = await extract('python', `
    def f(x):
        # a comment

        y = x  # trailing
        return y
  `);
  const f = symbol(r, 'f');
  assert.equal(f.metrics.nloc, 3);
  // def f ( x ) :  y = x  return y
  assert.equal(f.metrics.tokens, 11);
  assert.equal(r.lines, 5);
  assert.equal(r.nloc, 3);
});

test('max nesting counts nested control blocks, elif stays at its if level', async () => {
  const r = await extract('python', `
    def f(x):
        if x:
            for i in x:
                with i:
                    pass
        elif x:
            pass
    def g():
        return 1
  `);
  assert.equal(symbol(r, 'f').metrics.maxNesting, 3);
  assert.equal(symbol(r, 'g').metrics.maxNesting, 0);
});

test('a file with syntax errors still yields the functions tree-sitter recovers', async () => {
  const r = await extract('python', `
    def good(a):
        return a

    def broken(:
        pass

    class Fine:
        def m(self):
            return 2
  `);
  assert.equal(r.hasSyntaxErrors, true);
  assert.ok(r.symbols.some((s) => s.displayName === 'good'));
  assert.ok(r.symbols.some((s) => s.displayName === 'Fine.m'));
});

test('parameter lists with commas in defaults, strings, annotations and comments split correctly', async () => {
  const r = await extract('python', `
    def f(a,  # first, and a comma
          b=(1, 2), c="x,y", *, d: Dict[str, int] = {"k": 1}, e='\\'', **kw):
        pass
  `);
  assert.deepEqual(symbol(r, 'f').params, ['a', 'b', 'c', 'd', 'e', '**kw']);
});

test('a lambda default does not add parameters', async () => {
  const r = await extract('python', `
    def sort(items, key=lambda a, b: a, reverse=False):
        pass
  `);
  assert.deepEqual(symbol(r, 'sort').params, ['items', 'key', 'reverse']);
});
