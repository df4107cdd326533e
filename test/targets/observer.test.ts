/**
 * The observer pattern is claimed on its structure, not on names (issue 12: on pm2 the pattern
 * page called `SubSocket.subscribe`, which stores topic filters, an observer because of the names
 * `subscribe`/`unsubscribe`). Real code: secretlint's event emitter (MIT, in node_modules).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { indexRepository } from '../../src/index/indexer.ts';
import { patternIndicators } from '../../src/targets/finders/pattern-analysis.ts';
import { REPO_ROOT } from '../support/cli.ts';
import { makeTree } from '../index/helpers.ts';

const EMITTER = path.join(REPO_ROOT, 'node_modules/@secretlint/core/src/helper/promise-event-emitter.ts');

async function observerOf(source: string) {
  const root = await makeTree({ 'emitter.ts': source });
  const index = await indexRepository(root);
  return patternIndicators(index.files[0]).find((p) => p.pattern === 'observer') ?? null;
}

test('an emitter with a listener map, on() adding to it and emit() calling each listener is an observer, with the lines that show it', async () => {
  const source = await readFile(EMITTER, 'utf8');
  const found = await observerOf(source);
  assert.ok(found, 'observer found');
  const lineOf = (s: string) => source.split('\n').findIndex((l) => l.includes(s)) + 1;
  const ev = (label: string) => found.evidence.filter((e) => e.indicator === label).map((e) => `${e.symbol}:${e.line}`);
  assert.deepEqual(ev('a list of subscribers created empty'), [`EventEmitter:${lineOf('#listeners = new Map')}`]);
  assert.deepEqual(ev('a subscribe method that adds to it'), [`EventEmitter.on:${lineOf('this.#listeners.set(type, listenerSet)')}`]);
  assert.deepEqual(ev('a notify loop that calls each subscriber'), [`EventEmitter.emit:${lineOf('for (const listenerSetElement of listenerSet)')}`]);
});

test('subscribe/unsubscribe/emit names without a notify loop calling the subscribers are no observer', async () => {
  const source = await readFile(EMITTER, 'utf8');
  // the same class whose emit only compares the listeners (like pm2's SubSocket.matches testing topic filters)
  const names = source.replace('listenerSetElement(...args);', 'if (listenerSetElement === args[0]) return;').replace('promises.push(listener(...args));', 'promises.push(listener === args[0] ? undefined : undefined);');
  assert.ok(names.includes('on(type') && names.includes('emit(type') && names.includes('off(type'));
  assert.equal(await observerOf(names), null);
  // pm2's shape: a list of topic filters, subscribe() pushing to it, a loop that tests each filter
  const sub = [
    'function SubSocket() { this.subscriptions = []; }',
    'SubSocket.prototype.matches = function(topic){',
    '  for (var i = 0; i < this.subscriptions.length; ++i) {',
    '    if (this.subscriptions[i].test(topic)) {',
    '      return true;',
    '    }',
    '  }',
    '  return false;',
    '};',
    'SubSocket.prototype.subscribe = function(re){',
    '  this.subscriptions.push(re = toRegExp(re));',
    '  return re;',
    '};',
    'SubSocket.prototype.unsubscribe = function(re){',
    '  this.subscriptions = [];',
    '};',
    '',
  ].join('\n');
  assert.equal(await observerOf(sub), null);
});
