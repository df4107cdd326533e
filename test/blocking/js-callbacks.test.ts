/**
 * JS/TS: synchronous callbacks that the event loop runs on its own — event listeners, promise
 * reactions, timers, route handlers — block it like async functions do; callbacks that run
 * inside their caller (`forEach`) stay part of it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, brief } from './helpers.ts';

const SERVER = `import fs from 'node:fs';
import { execSync } from 'node:child_process';

function loadTemplate(name) {
  return fs.readFileSync(name, 'utf8');
}

export function start(server, watcher, fetchConfig) {
  server.on('request', (req, res) => {
    res.end(loadTemplate(req.url));
  });
  watcher.once('change', function onChange(file) {
    fs.statSync(file);
  });
  fetchConfig().then(function (cfg) {
    fs.writeFileSync('cfg.json', JSON.stringify(cfg));
  });
  setInterval(() => execSync('sync'), 60_000);
  process.on('exit', () => fs.rmSync('server.pid'));
}

export function buildAll(items) {
  items.forEach((x) => fs.readFileSync(x));
}
`;

test('listeners, promise reactions and timers are entry points: their sync calls and helpers are findings', async () => {
  const r = await analyze({ 'server.js': SERVER });
  assert.deepEqual(brief(r.findings), [
    'server.js:13 direct fs.statSync',
    'server.js:16 direct fs.writeFileSync',
    'server.js:18 direct execSync',
    'server.js:5 indirect fs.readFileSync',
  ]);
});

test('a forEach callback runs inside a sync function nobody async calls, and an exit listener can only be sync: no finding', async () => {
  const r = await analyze({ 'server.js': SERVER });
  assert.ok(!r.findings.some((f) => f.line === 19 || f.line === 23), JSON.stringify(r.findings.map((f) => f.line)));
});
