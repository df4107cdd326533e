/**
 * Java extraction on snippets of the JDK (java.util.ArrayList, java.util.concurrent) with
 * complexities counted by hand under Checkstyle's CyclomaticComplexity rule (and confirmed with
 * Checkstyle 8.36 while writing them; the bench compares the whole JDK).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extract } from './helpers.ts';

const ARRAY_LIST = `package java.util;

import java.util.function.Consumer;
import static java.util.Objects.*;

/**
 * Resizable-array implementation of the {@code List} interface.
 */
public class ArrayList<E> extends AbstractList<E>
        implements List<E>, RandomAccess, Cloneable, java.io.Serializable
{
    int indexOfRange(Object o, int start, int end) {
        Object[] es = elementData;
        if (o == null) {
            for (int i = start; i < end; i++) {
                if (es[i] == null) {
                    return i;
                }
            }
        } else {
            for (int i = start; i < end; i++) {
                if (o.equals(es[i])) {
                    return i;
                }
            }
        }
        return -1;
    }

    /**
     * Returns the element at the specified position in this list.
     */
    @Override
    @SuppressWarnings("unchecked")
    public E get(int index) {
        Objects.checkIndex(index, size);
        return elementData(index);
    }

    public void forEach(Consumer<? super E> action) {
        Objects.requireNonNull(action);
        final int expectedModCount = modCount;
        final Object[] es = elementData;
        final int size = this.size;
        for (int i = 0; modCount == expectedModCount && i < size; i++)
            action.accept(elementAt(es, i));
        if (modCount != expectedModCount)
            throw new ConcurrentModificationException();
    }

    abstract static class Itr implements Iterator<E> {
        abstract boolean hasNext();
    }
}
`;

test('Java classes, methods, Javadoc, annotations and imports', async () => {
  const r = await extract('java', ARRAY_LIST);
  const cls = r.by('ArrayList');
  assert.equal(cls.kind, 'class');
  assert.deepEqual(cls.bases, ['AbstractList<E>', 'List<E>', 'RandomAccess', 'Cloneable', 'java.io.Serializable']);
  assert.equal(cls.docstring, 'Resizable-array implementation of the {@code List} interface.');
  assert.equal(cls.methodCount, 3);
  const get = r.by('ArrayList.get');
  assert.equal(get.kind, 'method');
  assert.equal(get.className, 'ArrayList');
  assert.deepEqual(get.decorators, ['Override', 'SuppressWarnings("unchecked")']);
  assert.equal(get.startLine, 35, 'starts at its declaration, after the annotations');
  assert.equal(get.docstring, 'Returns the element at the specified position in this list.');
  assert.deepEqual(get.params, ['index']);
  assert.deepEqual(get.calls.map((c) => c.callee), ['Objects.checkIndex', 'elementData']);
  // A method without a body is not a symbol; the nested class is.
  assert.ok(r.symbols.some((s) => s.displayName === 'ArrayList.Itr' && s.kind === 'class'));
  assert.ok(!r.symbols.some((s) => s.name === 'hasNext'));
  assert.deepEqual(r.imports, [
    { module: 'java.util.function', names: [{ local: 'Consumer', imported: 'Consumer' }], line: 3 },
    { module: 'java.util.Objects', names: [{ local: '*', imported: '*' }], line: 4 },
  ]);
  assert.equal(r.hasSyntaxErrors, false);
});

test("Java cyclomatic complexity follows Checkstyle's rule", async () => {
  const r = await extract('java', ARRAY_LIST);
  assert.equal(r.by('ArrayList.indexOfRange').metrics.cyclomatic, 6); // if, for, if, for, if
  assert.equal(r.by('ArrayList.indexOfRange').metrics.maxNesting, 3);
  assert.equal(r.by('ArrayList.get').metrics.cyclomatic, 1);
  assert.equal(r.by('ArrayList.forEach').metrics.cyclomatic, 4); // for, &&, if
  assert.equal(r.by('ArrayList').metrics.cyclomatic, 6 + 1 + 4, 'a class sums its methods');
});

test('Java: every case label counts, default and lambdas add nothing of their own, anonymous-class methods are functions', async () => {
  const r = await extract('java', `class Executors {
    static int kind(Object o, int n) {
        switch (n) {
            case 1:
            case 2:
                return 1;
            default:
                return 0;
        }
    }
    static String shape(Object o) {
        return switch (o) {
            case String s when s.isEmpty() -> "empty";
            case Integer i -> "int";
            default -> "other";
        };
    }
    Runnable task(boolean b) {
        Runnable r = () -> { if (b) run(); };
        return new Runnable() {
            public void run() { try { go(); } catch (RuntimeException e) { stop(); } }
        };
    }
}
`);
  assert.equal(r.by('Executors.kind').metrics.cyclomatic, 3);
  assert.equal(r.by('Executors.shape').metrics.cyclomatic, 4); // case, when, case
  assert.equal(r.by('Executors.task').metrics.cyclomatic, 2, 'the lambda\'s if counts toward task');
  const run = r.by('Executors.task.run');
  assert.equal(run.kind, 'function');
  assert.equal(run.parent, 'Executors.task');
  assert.equal(run.metrics.cyclomatic, 2); // catch
});
