/**
 * Issue 13, recall on real fixes: the inference rules the real-fix benchmark asked for, each with
 * a positive and a negative case. Snippets follow the fixed code (esphome's dashboard handlers
 * before 4e4fe3c26, Supervisor's add-on model before 86133f8ec).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, brief, py } from './helpers.ts';

describe('Tornado handlers: a plain `def get(self)` runs on the IOLoop', () => {
  it('sync verb methods of RequestHandler subclasses are entry points, hot, and reach helpers', async () => {
    const r = await analyze({
      'dash/web.py': py`
        import os
        import tornado.web

        class BaseHandler(tornado.web.RequestHandler):
            pass

        def list_entries():
            return os.listdir("/config")

        class EditHandler(BaseHandler):
            def get(self, name=None):
                if os.path.isfile(name):
                    self.write(open(name).read())

        class ListHandler(BaseHandler):
            def get(self):
                self.write({"e": list_entries()})
      `,
    });
    assert.deepEqual(brief(r.findings), ['dash/web.py:12 direct os.path.isfile', 'dash/web.py:13 direct open', 'dash/web.py:8 indirect os.listdir']);
    assert.equal(r.findings.find((f) => f.line === 13)!.severity, 'high');
    assert.deepEqual(r.findings.find((f) => f.line === 8)!.chain, ['ListHandler.get', 'list_entries']);
    assert.deepEqual(r.details[r.findings.findIndex((f) => f.line === 8)].chainLines, [17]);
  });

  it('negative: a handler-named class without Tornado, and non-verb methods of a Tornado handler', async () => {
    const r = await analyze({
      'srv/plain.py': py`
        import os
        import socketserver

        class EchoHandler(socketserver.BaseRequestHandler):
            def get(self, name):
                return open(name).read()
      `,
      'srv/tw.py': py`
        import os
        from tornado.web import RequestHandler

        class Page(RequestHandler):
            def render_file(self, name):
                return open(name).read()

            def initialize(self, root):
                self.root = os.path.realpath(root)
      `,
    });
    assert.deepEqual(brief(r.findings), []);
  });
});

describe('properties of classes in other files', () => {
  const model = py`
    from pathlib import Path

    class Addon:
        def __init__(self, root: Path):
            self.root = root
            self.slug = root.name

        @property
        def long_description(self) -> str | None:
            readme = Path(self.root, "README.md")
            if not readme.exists():
                return None
            return readme.read_text()

        def reload(self):
            return (self.root / "config.yaml").read_text()
  `;

  it('reading a property of an instance typed by an import runs its getter (an indirect finding through the read)', async () => {
    const r = await analyze({
      'pkg/model.py': model,
      'pkg/api.py': py`
        from .model import Addon

        class Api:
            def _extract(self, request) -> Addon:
                return self.addons[request]

            async def info(self, request):
                addon = self._extract(request)
                return {"long": addon.long_description}
      `,
    });
    assert.deepEqual(brief(r.findings), ['pkg/model.py:11 indirect readme.exists', 'pkg/model.py:13 indirect readme.read_text']);
    assert.deepEqual(r.findings[0].chain, ['Api.info', 'Addon.long_description']);
    // the fixed line is the read in the async caller
    assert.deepEqual(r.details[0].chainLines[0], 9);
  });

  it('negative: plain attributes and method references of such instances are no calls', async () => {
    const r = await analyze({
      'pkg/model.py': model,
      'pkg/api.py': py`
        from .model import Addon

        async def info(addon: Addon):
            slug = addon.slug
            later = addon.reload
            addon.slug = "x"
            return slug, later
      `,
    });
    assert.deepEqual(brief(r.findings), []);
  });
});

describe('JS: a CommonJS default export (`module.exports = Class`) reached through `require`', () => {
  const token = "const fs = require('fs');\nclass AppleClientSecret {\n  constructor(c, p) { this._p = p; }\n  generate() {\n    return fs.readFileSync(this._p);\n  }\n}\nmodule.exports = AppleClientSecret;\n";

  it('an instance made in the constructor and used in an async method reaches the sync read (apple-auth before 85d9be9)', async () => {
    const r = await analyze({
      'src/token.js': token,
      'src/apple-auth.js': "const AppleClientSecret = require('./token');\nclass AppleAuth {\n  constructor(config, p) {\n    this._tokenGenerator = new AppleClientSecret(config, p);\n  }\n  async accessToken(code) {\n    return { s: this._tokenGenerator.generate() };\n  }\n}\nmodule.exports = AppleAuth;\n",
    });
    assert.deepEqual(brief(r.findings), ['src/token.js:5 indirect fs.readFileSync']);
    assert.deepEqual(r.findings[0].chain, ['AppleAuth.accessToken', 'AppleClientSecret.generate']);
  });

  it('negative: a module that exports an object of functions, and a sync caller', async () => {
    const r = await analyze({
      'src/token.js': token,
      'src/util.js': "module.exports = { name: () => 'x' };\n",
      'src/app.js': "const util = require('./util');\nconst AppleClientSecret = require('./token');\nasync function f() {\n  return util.name();\n}\nfunction g(c, p) {\n  return new AppleClientSecret(c, p).generate();\n}\nmodule.exports = { f, g };\n",
    });
    assert.deepEqual(brief(r.findings), []);
  });
});

describe('Python standard library: temporary files and path resolution', () => {
  it('tempfile files (medium) and directories, os.path.expanduser / Path.resolve (low metadata) in async code', async () => {
    const r = await analyze({
      'app/tmp.py': py`
        import os
        import tempfile
        from pathlib import Path

        async def work(p):
            with tempfile.TemporaryDirectory() as d:
                f = tempfile.NamedTemporaryFile(dir=d)
            conf = os.path.expanduser(p)
            return Path(conf).resolve(), f
      `,
    });
    assert.deepEqual(r.findings.map((f) => [f.line, f.call, f.severity]).sort(), [
      [6, 'tempfile.TemporaryDirectory', 'low'],
      [7, 'tempfile.NamedTemporaryFile', 'medium'],
      [8, 'os.path.expanduser', 'low'],
      [9, 'Path(...).resolve', 'low'],
    ]);
  });

  it('negative: pure path arithmetic and SpooledTemporaryFile (memory first) are no findings', async () => {
    const r = await analyze({
      'app/ok.py': py`
        import os
        import tempfile
        from pathlib import Path

        async def work(p):
            buf = tempfile.SpooledTemporaryFile(max_size=1024)
            return os.path.join(p, "x"), Path(p).with_suffix(".y").name, buf
      `,
    });
    assert.deepEqual(brief(r.findings), []);
  });
});
