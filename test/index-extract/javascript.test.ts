import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cc, extract, symbol } from './helpers.ts';

test('an async arrow bound to a const is named by the const and starts on its line', async () => {
  const r = await extract('typescript', `
    import fs from 'node:fs';

    /** Serves one request. */
    export const handler = async (req: Request, res = {}) => {
      const body = await read(req);
      return fs.readFileSync(body);
    };
  `);
  const h = symbol(r, 'handler');
  assert.equal(h.kind, 'function');
  assert.equal(h.startLine, 4);
  assert.equal(h.endLine, 7);
  assert.equal(h.isAsync, true);
  assert.deepEqual(h.params, ['req', 'res']);
  assert.equal(h.docstring, 'Serves one request.');
  assert.deepEqual(h.calls, [
    { callee: 'read', name: 'read', line: 5, awaited: true },
    { callee: 'fs.readFileSync', name: 'readFileSync', line: 6, awaited: false },
  ]);
  assert.ok(h.source.startsWith('export const handler = async'));
});

test('a function assigned to a property is named by the property', async () => {
  const r = await extract('javascript', `
    obj.prop = function () { return 1; };
    module.exports.run = async function* () { yield 1; };
  `);
  assert.equal(symbol(r, 'obj.prop').name, 'prop');
  const run = symbol(r, 'module.exports.run');
  assert.equal(run.isAsync, true);
  assert.equal(run.isGenerator, true);
});

test('class methods, arrow class fields and a class expression bound to a name are members of their class', async () => {
  const r = await extract('typescript', `
    export class Widget extends Base implements Drawable {
      onClick = (e: Event) => e.preventDefault();
      count = 0;
      constructor(private readonly x: number) { super(); }
      get size(): number { return this.x; }
      async *items() { yield 1; }
    }
    const Local = class { m() { return 1; } };
  `);
  const w = symbol(r, 'Widget');
  assert.equal(w.kind, 'class');
  assert.deepEqual(w.bases, ['Base', 'Drawable']);
  assert.equal(w.methodCount, 4);
  for (const name of ['onClick', 'constructor', 'size', 'items']) {
    const m = symbol(r, `Widget.${name}`);
    assert.equal(m.kind, 'method');
    assert.equal(m.className, 'Widget');
  }
  assert.deepEqual(symbol(r, 'Widget.constructor').params, ['x']);
  assert.equal(symbol(r, 'Widget.items').isGenerator, true);
  assert.equal(symbol(r, 'Local.m').className, 'Local');
});

test('an arrow class field keeps its own complexity apart from other field initialisers', async () => {
  const r = await extract('typescript', `
    class K {
      size = flag ? 1 : 2;
      @Input() onClick = (e: Event) => { return e ? 1 : 0; };
    }
  `);
  assert.equal(symbol(r, 'K.onClick').metrics.cyclomatic, 2);
  assert.equal(symbol(r, 'K.onClick').startLine, 3);
});

test('decorators are listed and a decorated method starts on its name line', async () => {
  const r = await extract('typescript', `
    @Controller('/users')
    class Users {
      /** Lists users. */
      @Get('/')
      @UseGuards(Auth)
      list() { return []; }
    }
  `);
  const c = symbol(r, 'Users');
  assert.deepEqual(c.decorators, ["Controller('/users')"]);
  const m = symbol(r, 'Users.list');
  assert.deepEqual(m.decorators, ["Get('/')", 'UseGuards(Auth)']);
  assert.equal(m.startLine, 6);
  assert.equal(m.docstring, 'Lists users.');
});

test('object literal methods and function-valued properties are qualified by the object', async () => {
  const r = await extract('javascript', `
    const api = {
      get(url) { return fetch(url); },
      post: (url, body) => fetch(url, body),
    };
  `);
  assert.deepEqual(symbol(r, 'api.get').params, ['url']);
  assert.deepEqual(symbol(r, 'api.post').params, ['url', 'body']);
});

test('ESLint counts optional chaining, nullish and logical operators and logical assignments', async () => {
  assert.equal(await cc('typescript', `
    function f(a: any) {
      const v = a?.b?.c ?? a?.();
      a.x ||= 1;
      a.y &&= 2;
      a.z ??= 3;
      return v && a.k || a.l;
    }
  `), 1 + 3 + 1 + 3 + 2);
});

test('ESLint counts default values, case clauses but not default, catch, ternary and loops', async () => {
  assert.equal(await cc('javascript', `
    function f(a = 1, { b = 2 } = {}, [c = 3] = []) {
      switch (a) { case 1: break; case 2: break; default: break; }
      try { g(); } catch (e) { h(); } finally { k(); }
      for (;;) { break; }
      for (const x of a) {}
      for (const y in a) {}
      while (a) {}
      do {} while (a);
      return a ? b : c;
    }
  `), 1 + 5 + 2 + 1 + 5 + 1);
});

test('nested functions, anonymous callbacks, field initialisers and static blocks do not add to the enclosing function', async () => {
  const r = await extract('javascript', `
    function outer(xs) {
      xs.map((x) => (x ? 1 : 2));
      function inner(y) { return y || 0; }
      class K { f = a ? 1 : 2; static { if (b) c(); } }
      return inner;
    }
  `);
  assert.equal(symbol(r, 'outer').metrics.cyclomatic, 1);
  assert.equal(symbol(r, 'outer.inner').metrics.cyclomatic, 2);
  assert.equal(symbol(r, 'outer.inner').parent, 'outer');
  assert.deepEqual(symbol(r, 'outer').calls.map((c) => c.callee), ['xs.map']);
});

test('else-if chains keep their nesting level while nested loops deepen it', async () => {
  const r = await extract('javascript', `
    function f(a) {
      if (a) {} else if (b) {} else if (c) {}
      for (const x of a) { while (x) { if (x) {} } }
    }
  `);
  assert.equal(symbol(r, 'f').metrics.maxNesting, 3);
  assert.equal(symbol(r, 'f').metrics.cyclomatic, 7);
});

test('ES imports, require and dynamic import become import records', async () => {
  const r = await extract('javascript', `
    import def, { a as b, c } from './mod.js';
    import * as ns from 'pkg';
    import 'side-effect';
    const fs = require('fs');
    const { execSync: run, spawn } = require('child_process');
    async function f() { return import('lazy'); }
  `);
  assert.deepEqual(r.imports, [
    { module: './mod.js', names: [{ local: 'def', imported: 'default' }, { local: 'b', imported: 'a' }, { local: 'c', imported: 'c' }], line: 1 },
    { module: 'pkg', names: [{ local: 'ns', imported: '*' }], line: 2 },
    { module: 'side-effect', names: [], line: 3 },
    { module: 'fs', names: [{ local: 'fs', imported: '*' }], line: 4 },
    { module: 'child_process', names: [{ local: 'run', imported: 'execSync' }, { local: 'spawn', imported: 'spawn' }], line: 5 },
    { module: 'lazy', names: [], line: 6 },
  ]);
});

test('TSX components with JSX are extracted', async () => {
  const r = await extract('tsx', `
    export function App({ items }: Props) {
      return <ul>{items.map((i) => <li key={i}>{i && i.name}</li>)}</ul>;
    }
  `);
  const app = symbol(r, 'App');
  assert.equal(app.metrics.cyclomatic, 1);
  assert.equal(r.hasSyntaxErrors, false);
});

test('a TypeScript file with syntax errors still yields the functions it recovers', async () => {
  const r = await extract('typescript', `
    function ok(a: number) { return a; }
    function broken( { return ; 
    class C { m() { return 1; } }
  `);
  assert.equal(r.hasSyntaxErrors, true);
  assert.ok(r.symbols.some((s) => s.displayName === 'ok'));
});

test('a named class or function assigned to module.exports is named by its own name, an anonymous one by the binding', async () => {
  const r = await extract('javascript', `
    /** Pushes data to the server. */
    module.exports = class PushInteractor {
      start () { return 1 }
    }
    module.exports.helper = function helperImpl () { return 2 }
    exports.Other = class { m () { return 3 } }
  `);
  const cls = symbol(r, 'PushInteractor');
  assert.equal(cls.kind, 'class');
  assert.equal(cls.docstring, 'Pushes data to the server.');
  assert.equal(symbol(r, 'PushInteractor.start').className, 'PushInteractor');
  assert.ok(!r.symbols.some((s) => s.name === 'exports'), r.symbols.map((s) => s.displayName).join(', '));
  // a property of the exports object keeps the exported name (callers use it)
  assert.equal(symbol(r, 'module.exports.helper').name, 'helper');
  assert.equal(symbol(r, 'Other').kind, 'class');
});

test('a constructor bound to a variable and module.exports at once is named by the variable', async () => {
  const r = await extract('javascript', `
    var API = module.exports = function (opts) { this.opts = opts }
    API.prototype.connect = function (cb) { cb() }
  `);
  assert.equal(symbol(r, 'API').startLine, 1);
  assert.ok(!r.symbols.some((s) => s.name === 'exports'));
});

test('a prototype method added inside a mixin function is named by its prototype, not the mixin', async () => {
  const r = await extract('javascript', `
    module.exports = function (CLI) {
      CLI.prototype.uninstallStartup = function (platform, cb) { return cb(platform) }
    }
  `);
  assert.equal(symbol(r, 'CLI.prototype.uninstallStartup').name, 'uninstallStartup');
});

test('calls inside anonymous callbacks are calls of the enclosing function; their branches stay theirs', async () => {
  const r = await extract('javascript', `
    function pspawn (cmd) { return cmd }
    function dockerMode (p) {
      return p.then(function () {
        if (p.fresh) return pspawn('build --no-cache')
        return pspawn('build')
      })
    }
    app.get('/', function (req, res) { res.send(pspawn('x')) })
  `);
  const dm = symbol(r, 'dockerMode');
  assert.deepEqual(dm.calls.map((c) => `${c.callee}:${c.line}`), ['p.then:3', 'pspawn:4', 'pspawn:5']);
  assert.equal(dm.metrics.cyclomatic, 1, 'an if in the callback is its own path, as ESLint counts it');
  assert.equal(symbol(r, 'pspawn').calls.length, 0);
});
