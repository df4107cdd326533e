import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParsePool } from '../../src/index/pool.ts';
import { expandJson } from '../../src/index/store.ts';
import type { ParseResponse } from '../../src/index/worker.ts';

const crashWorker = new URL('./fixtures/crash-worker.ts', import.meta.url);
const req = (source: string, p = 'f.py') => ({ path: p, language: 'python' as const, source });
/** What the fixture worker echoed back, or null for a failure. */
const echo = (res: ParseResponse): unknown => (res.ok ? (JSON.parse(res.data.json) as { echo: string }).echo : null);

test('the real worker parses a Python source into symbols off the main thread', async () => {
  const pool = new ParsePool({ size: 1 });
  try {
    const source = 'class A:\n    def m(self, x):\n        return x\n';
    const res = await pool.parse(req(source, 'a.py'));
    assert.equal(res.ok, true);
    if (!res.ok) return;
    const file = expandJson(res.data, source);
    assert.deepEqual(file.symbols.map((s) => s.displayName), ['A', 'A.m']);
    assert.match(file.symbols[1].source, /^\s*def m\(self, x\):\n {8}return x$/);
    assert.equal(file.lines, 3);
  } finally {
    await pool.close();
  }
});

test('a worker with a small young generation (youngGenerationMb) gives the same result as one with V8\'s default', async () => {
  // a thousand functions: more garbage per file than 4 MB of young generation holds
  const source = Array.from({ length: 1000 }, (_, i) => `def f${i}(x):\n    if x:\n        return open('p${i}').read()\n    return x\n`).join('');
  const capped = new ParsePool({ size: 1, youngGenerationMb: 4 });
  const plain = new ParsePool({ size: 1 });
  try {
    const [a, b] = await Promise.all([capped.parse(req(source, 'big.py')), plain.parse(req(source, 'big.py'))]);
    assert.equal(a.ok, true);
    assert.equal(b.ok, true);
    if (!a.ok || !b.ok) return;
    assert.equal(expandJson(a.data, source).symbols.length, 1000);
    assert.equal(a.data.json, b.data.json);
    assert.equal(a.data.facts, b.data.facts);
    assert.equal(capped.restarts, 0);
  } finally {
    await Promise.all([capped.close(), plain.close()]);
  }
});

test('a real worker that grew past recycleAboveMb is replaced by a fresh one, and every file still parses', async () => {
  // 1 MB: every real worker is above it after its first file, so each file gets a fresh thread
  const pool = new ParsePool({ size: 1, recycleAboveMb: 1 });
  try {
    const sources = ['def a():\n    return 1\n', 'def b(x):\n    return x\n', 'class C:\n    pass\n'];
    const names: string[] = [];
    for (const [i, source] of sources.entries()) {
      const res = await pool.parse(req(source, `m${i}.py`));
      assert.equal(res.ok, true);
      if (!res.ok) return;
      assert.ok((res.memoryMb ?? 0) > 1, 'the worker reports its memory');
      names.push(...expandJson(res.data, source).symbols.map((s) => s.name));
    }
    assert.deepEqual(names, ['a', 'b', 'C']);
    assert.equal(pool.recycled, 3);
    assert.equal(pool.restarts, 0, 'a recycled worker is not counted as a crash');
  } finally {
    await pool.close();
  }
  const steady = new ParsePool({ size: 1 });
  try {
    for (let i = 0; i < 3; i++) assert.equal((await steady.parse(req('x = 1\n'))).ok, true);
    assert.equal(steady.recycled, 0, 'by default a worker is kept');
    assert.equal(steady.running, 1);
  } finally {
    await steady.close();
  }
});

test('a worker that dies on a file fails only that file and is replaced', async () => {
  const pool = new ParsePool({ size: 1, workerUrl: crashWorker });
  try {
    const [a, b, c] = await Promise.all([pool.parse(req('one')), pool.parse(req('CRASH', 'bad.py')), pool.parse(req('three'))]);
    assert.equal(echo(a), 'one');
    assert.equal(b.ok, false);
    assert.match(!b.ok ? b.error : '', /^bad\.py: worker exited with code 3/);
    assert.equal(echo(c), 'three');
    assert.equal(pool.restarts, 1);
  } finally {
    await pool.close();
  }
});

test('a file that takes longer than the timeout fails and its worker is replaced', async () => {
  const pool = new ParsePool({ size: 1, workerUrl: crashWorker, taskTimeoutMs: 300 });
  try {
    const hung = await pool.parse(req('HANG', 'slow.py'));
    assert.equal(hung.ok, false);
    assert.match(!hung.ok ? hung.error : '', /slow\.py: parse timed out after 300 ms/);
    const next = await pool.parse(req('after'));
    assert.equal(echo(next), 'after');
  } finally {
    await pool.close();
  }
});

test('a worker script that cannot load makes the pool report itself broken instead of looping', async () => {
  const pool = new ParsePool({ size: 2, workerUrl: new URL('./fixtures/broken-worker.ts', import.meta.url) });
  try {
    const res = await pool.parse(req('x'));
    assert.equal(res.ok, false);
    assert.match(pool.broken?.message ?? '', /parse workers cannot start/);
    await assert.rejects(pool.parse(req('y')), /parse workers cannot start/);
  } finally {
    await pool.close();
  }
});

test('closing the pool resolves waiting files as failed and rejects new ones', async () => {
  const pool = new ParsePool({ size: 1, workerUrl: crashWorker });
  const hung = pool.parse(req('HANG'));
  const queued = pool.parse(req('later'));
  await new Promise((r) => setTimeout(r, 50));
  await pool.close();
  assert.equal((await hung).ok, false);
  assert.equal((await queued).ok, false);
  await assert.rejects(pool.parse(req('z')), /closed/);
});

test('an idle worker is stopped after the idle timeout and a new one starts on demand', async () => {
  const pool = new ParsePool({ size: 1, workerUrl: crashWorker, idleTimeoutMs: 100 });
  try {
    assert.equal(echo(await pool.parse(req('first'))), 'first');
    assert.equal(pool.running, 1);
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(pool.running, 0);
    assert.equal(echo(await pool.parse(req('second'))), 'second');
    assert.equal(pool.restarts, 0);
  } finally {
    await pool.close();
  }
});

test('stopIdle stops the workers without a file at once, leaves a busy one, and a later file starts a fresh one', async () => {
  const pool = new ParsePool({ size: 2, workerUrl: crashWorker });
  try {
    const [a, b] = await Promise.all([pool.parse(req('one')), pool.parse(req('two'))]);
    assert.deepEqual([echo(a), echo(b)], ['one', 'two']);
    assert.equal(pool.running, 2);
    const busy = pool.parse(req('HANG', 'slow.py'));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(pool.stopIdle(), 1, 'the idle worker stops, the busy one is left');
    assert.equal(pool.running, 1);
    assert.equal(echo(await pool.parse(req('three'))), 'three');
    assert.equal(pool.restarts, 0, 'a stopped idle worker is not counted as a crash');
    void busy;
  } finally {
    await pool.close();
  }
});
