import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, brief } from './helpers.ts';

describe('js/ts: direct blocking operations', () => {
  it('fs.readFileSync in an async arrow function, through a default import of node:fs', async () => {
    const r = await analyze({ 'src/load.ts': "import fs from 'node:fs';\nexport const load = async (p: string) => {\n  return fs.readFileSync(p, 'utf8');\n};\n" });
    assert.deepEqual(r.findings.map((f) => [f.line, f.kind, f.category, f.function]), [[3, 'direct', 'file_io', 'load']]);
  });
  it('named, namespace and require imports of fs and child_process are resolved', async () => {
    const r = await analyze({
      'src/a.js': [
        "import { readFileSync as rfs } from 'fs';",
        "import * as cp from 'child_process';",
        "const { execSync } = require('child_process');",
        'async function go(p) {',
        '  rfs(p);',
        "  cp.execFileSync('ls');",
        "  execSync('ls');",
        '}',
      ].join('\n'),
    });
    assert.deepEqual(brief(r.findings), ['src/a.js:5 direct rfs', 'src/a.js:6 direct cp.execFileSync', 'src/a.js:7 direct execSync']);
  });
  it('every fs.*Sync call counts; metadata ones (existsSync) are low', async () => {
    const r = await analyze({ 'src/e.ts': "import fs from 'fs';\nexport async function f(p: string) {\n  if (fs.existsSync(p)) fs.rmSync(p);\n  return fs.readFileSync(p);\n}\n" });
    assert.deepEqual(r.findings.map((f) => [f.line, f.call, f.severity]).sort(), [[3, 'fs.rmSync', 'low'], [4, 'fs.readFileSync', 'medium']]);
  });
  it('TS import-equals require is resolved', async () => {
    const r = await analyze({ 'src/i.ts': "import cp = require('child_process');\nexport async function f() {\n  cp.execSync('ls');\n}\n" });
    assert.deepEqual(brief(r.findings), ['src/i.ts:3 direct cp.execSync']);
  });
  it('crypto.pbkdf2Sync is CPU-bound work', async () => {
    const r = await analyze({ 'src/h.ts': "import crypto from 'node:crypto';\nexport async function hash(pw: string) {\n  return crypto.pbkdf2Sync(pw, 's', 100000, 64, 'sha512');\n}\n" });
    assert.deepEqual(r.findings.map((f) => [f.category, f.call]), [['cpu', 'crypto.pbkdf2Sync']]);
  });
  it('better-sqlite3 statements run synchronously', async () => {
    const r = await analyze({
      'src/db.ts': [
        "import Database from 'better-sqlite3';",
        'export class Store {',
        '  private db = new Database(\'x.db\');',
        '  async all() {',
        "    return this.db.prepare('select 1').all();",
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(r.findings.map((f) => [f.line, f.category, f.call]), [[5, 'database', 'this.db.prepare(...).all']]);
  });
  it('a sync callback inside an async function counts for that function, in a loop', async () => {
    const r = await analyze({ 'src/w.ts': "import fs from 'fs';\nexport async function writeAll(items: string[]) {\n  items.forEach((i) => fs.writeFileSync(i, ''));\n}\n" });
    assert.deepEqual(r.findings.map((f) => [f.function, f.severity]), [['writeAll', 'high']]);
  });
  it('a NestJS route method is a handler: a plain file read there is high', async () => {
    const r = await analyze({ 'src/c.ts': "import { readFileSync } from 'fs';\nclass Ctl {\n  @Get(':id')\n  async find() {\n    return `${readFileSync('x')}`;\n  }\n}\n" });
    assert.deepEqual(r.findings.map((f) => [f.line, f.function, f.severity]), [[5, 'Ctl.find', 'high']]);
  });
  it('an async route callback is a handler of its own', async () => {
    const r = await analyze({ 'src/r.js': "const fs = require('fs');\napp.get('/', async (req, res) => {\n  res.send(fs.readFileSync('x'));\n});\n" });
    assert.deepEqual(r.findings.map((f) => [f.function, f.severity]), [['app.get callback', 'high']]);
  });
});

describe('js/ts: not findings', () => {
  it('fs.promises and awaited promise APIs', async () => {
    const r = await analyze({ 'src/p.ts': "import fs from 'node:fs';\nimport { readFile } from 'node:fs/promises';\nexport async function f(p: string) {\n  await fs.promises.readFile(p);\n  await readFile(p);\n}\n" });
    assert.deepEqual(r.findings, []);
  });
  it('a method reference without a call', async () => {
    const r = await analyze({ 'src/q.ts': "import fs from 'fs';\nexport async function f() {\n  const read = fs.readFileSync;\n  return read === undefined;\n}\n" });
    assert.deepEqual(r.findings, []);
  });
  it('sync code reached only from sync code', async () => {
    const r = await analyze({ 'src/s.ts': "import { execSync } from 'child_process';\nfunction build() { execSync('make'); }\nexport function main() { build(); }\n" });
    assert.deepEqual(r.findings, []);
  });
  it('code in a worker-thread entry file', async () => {
    const r = await analyze({ 'src/worker.js': "const { parentPort } = require('worker_threads');\nconst fs = require('fs');\nparentPort.on('message', async (p) => parentPort.postMessage(fs.readFileSync(p)));\n" });
    assert.deepEqual(r.findings, []);
  });
});

describe('js/ts: indirect findings', () => {
  it('this.method chain of two inside a class', async () => {
    const r = await analyze({ 'src/c.ts': "import fs from 'fs';\nexport class Log {\n  write(m: string) { fs.appendFileSync('log', m); }\n  async handle(m: string) { this.write(m); }\n}\n" });
    assert.deepEqual(r.findings.map((f) => [f.line, f.kind, f.chain]), [[3, 'indirect', ['Log.handle', 'Log.write']]]);
  });
  it('a statement on a module-level database imported from another file', async () => {
    const r = await analyze({
      'src/db.ts': "import { DatabaseSync } from 'node:sqlite';\nexport const db = new DatabaseSync('app.db');\n",
      'src/api.ts': "import { db } from './db.ts';\nexport async function count() {\n  db.exec('vacuum');\n}\n",
    });
    assert.deepEqual(brief(r.findings), ['src/api.ts:3 direct db.exec']);
  });
  it('names of Object.prototype members resolve to the class, not the prototype', async () => {
    const r = await analyze({
      'src/k.ts': "import fs from 'fs';\nclass Plain {}\nclass Conf {\n  constructor() { fs.readFileSync('c.json'); }\n  toString() { return fs.readFileSync('t'); }\n}\nexport async function make() {\n  new Plain();\n  const c = new Conf();\n  return c.toString();\n}\n",
    });
    assert.deepEqual(brief(r.findings), ['src/k.ts:4 indirect fs.readFileSync', 'src/k.ts:5 indirect fs.readFileSync']);
  });
  it('a const arrow helper declared inside the async function', async () => {
    const r = await analyze({ 'src/n.js': "const cp = require('child_process');\nasync function deploy() {\n  const build = () => cp.spawnSync('make');\n  build();\n}\n" });
    assert.deepEqual(r.findings.map((f) => [f.line, f.kind, f.chain]), [[3, 'indirect', ['deploy', 'deploy.build']]]);
  });
  it('a named function given to forEach runs per item', async () => {
    const r = await analyze({ 'src/f.ts': "import fs from 'fs';\nfunction save(p: string) { fs.writeFileSync(p, ''); }\nexport async function saveAll(ps: string[]) {\n  ps.forEach(save);\n}\n" });
    assert.deepEqual(r.findings.map((f) => [f.line, f.chain, f.severity]), [[2, ['saveAll', 'save'], 'high']]);
  });
  it('a chain of three across a relative import with extension resolution', async () => {
    const r = await analyze({
      'src/util.ts': "import { execFileSync } from 'node:child_process';\nexport function helper() { return inner(); }\nfunction inner() { return execFileSync('git', ['status']); }\n",
      'src/main.ts': "import { helper } from './util.js';\nexport async function status() { return helper(); }\n",
    });
    assert.deepEqual(r.findings.map((f) => [f.file, f.line, f.chain]), [['src/util.ts', 3, ['status', 'helper', 'inner']]]);
  });
});
