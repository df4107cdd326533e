/**
 * Issue 13, recall on real fixes (second round): inference rules the real-fix benchmark's misses
 * asked for, each with a positive and a negative case. Snippets follow the fixed code: Supervisor
 * (2e30eaa64 debugpy, a2db716a5 / d73682ee8 properties of the CoreSys attributes, 2274de969 the
 * `AnyAddon` alias, abeee95eb GitPython, 31193abb7 module discovery), serve (f12e88853 Bluebird
 * coroutine) and storage-box (902d2323d, a `@/` import).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, brief, py } from './helpers.ts';

describe('chains start in runtime code when runtime code reaches the line', () => {
  const files = {
    'app/checks.py': py`
      from pathlib import Path

      def get_valid_modules(folder):
          return [m.stem for m in Path(folder).glob("*.py")]

      class Checks:
          def __init__(self):
              self._load()

          def _load(self):
              return get_valid_modules("checks")

      async def initialize():
          return Checks()
    `,
    'tests/conftest.py': py`
      from app.checks import get_valid_modules

      async def fixture():
          return get_valid_modules("x")
    `,
  };

  it('a helper a test calls directly keeps the application chain (not test-only, not low for that)', async () => {
    const r = await analyze(files);
    const i = r.findings.findIndex((f) => f.file === 'app/checks.py' && f.line === 4);
    assert.ok(i >= 0, JSON.stringify(brief(r.findings)));
    assert.deepEqual(r.findings[i].chain, ['initialize', 'Checks.__init__', 'Checks._load', 'get_valid_modules']);
    assert.deepEqual(r.details[i].chainLines, [14, 8, 11]);
  });

  it('negative: without the application entry the chain starts in the test, and the finding is low', async () => {
    const r = await analyze({ ...files, 'app/checks.py': files['app/checks.py'].replace(/async def initialize[\s\S]*$/, '') });
    assert.deepEqual(r.findings.map((f) => [f.line, f.chain[0], f.severity]), [[4, 'fixture', 'low']]);
  });
});

describe('modules imported at run time by a literal name', () => {
  it('`import_module("debugpy")`, through an executor call too, binds the module: its blocking calls are findings', async () => {
    const r = await analyze({
      'app/boot.py': py`
        import asyncio
        import importlib
        from importlib import import_module

        async def debugger(loop):
            debugpy = await loop.run_in_executor(None, import_module, "debugpy")
            debugpy.listen(("0.0.0.0", 5678))
            debugpy.wait_for_client()

        async def pause():
            t = importlib.import_module("time")
            t.sleep(1)
            os_ = __import__("os.path")
            return os_.listdir("/")
      `,
    });
    assert.deepEqual(brief(r.findings), ['app/boot.py:12 direct t.sleep', 'app/boot.py:14 direct os_.listdir', 'app/boot.py:7 direct debugpy.listen', 'app/boot.py:8 direct debugpy.wait_for_client']);
  });

  it('negative: computed and relative names bind nothing', async () => {
    const r = await analyze({
      'app/load.py': py`
        from importlib import import_module

        async def load(pkg, name):
            m = import_module(f"{pkg}.{name}")
            m.sleep(1)
            rel = import_module(".time", pkg)
            rel.sleep(1)
      `,
    });
    assert.deepEqual(brief(r.findings), []);
  });
});

describe('`self.<attr>` typed by a property or an attribute of a base class', () => {
  const base = py`
    from pathlib import Path

    class Config:
        @property
        def path_homeassistant(self) -> Path:
            return Path("/data/homeassistant")

        def save(self):
            pass

    class Info:
        @property
        def support_cpu_realtime(self) -> bool:
            return Path("/sys/fs/cgroup/cpu/cpu.rt_runtime_us").exists()

        @property
        def version(self) -> str:
            return "1"

    class Docker:
        def __init__(self):
            self.info = Info()

    class CoreSysAttributes:
        @property
        def sys_config(self) -> Config:
            return Config()

        @property
        def sys_docker(self) -> Docker:
            return Docker()
  `;

  it('a path built from a base-class property, and a property read down an attribute chain, are findings', async () => {
    const r = await analyze({
      'sv/coresys.py': base,
      'sv/core.py': py`
        from .coresys import CoreSysAttributes

        class Core(CoreSysAttributes):
            async def update(self):
                logfile = self.sys_config.path_homeassistant / "home-assistant.log"
                if logfile.exists():
                    return True

            async def run(self):
                if not self.sys_docker.info.support_cpu_realtime:
                    return None
      `,
    });
    assert.deepEqual(brief(r.findings), ['sv/core.py:6 direct logfile.exists', 'sv/coresys.py:14 indirect Path(...).exists']);
    assert.deepEqual(r.findings.find((f) => f.line === 14)!.chain, ['Core.run', 'Info.support_cpu_realtime']);
  });

  it('negative: a plain method read is no instance, a plain property is no I/O, an unknown attribute stays unknown', async () => {
    const r = await analyze({
      'sv/coresys.py': base,
      'sv/core.py': py`
        from .coresys import CoreSysAttributes

        class Core(CoreSysAttributes):
            async def update(self):
                saver = self.sys_config.save
                saver.exists()
                v = self.sys_docker.info.version
                return self.unknown.path / "x", v
      `,
    });
    assert.deepEqual(brief(r.findings), []);
  });
});

describe('module-level type aliases (`AnyAddon = Union[Addon, AddonStore]`)', () => {
  const model = py`
    from pathlib import Path

    class AddonModel:
        @property
        def path_icon(self) -> Path:
            return Path("/data/icon.png")

    class Addon(AddonModel):
        pass

    class AddonStore(AddonModel):
        pass
  `;

  it('an annotation naming the alias types the value as its first member', async () => {
    const r = await analyze({
      'sv/addons/model.py': model,
      'sv/addons/manager.py': 'from typing import Union\nfrom .model import Addon, AddonStore\n\nAnyAddon = Union[Addon, AddonStore]\nOptAddon = Addon | None\n',
      'sv/api/store.py': py`
        from ..addons.manager import AnyAddon, OptAddon

        class APIStore:
            def _extract(self, slug) -> AnyAddon:
                return lookup(slug)

            async def icon(self, slug):
                addon = self._extract(slug)
                with addon.path_icon.open("rb") as png:
                    return png.read()

            async def other(self, a: OptAddon):
                return a.path_icon.read_bytes()
      `,
    });
    assert.deepEqual(brief(r.findings), ['sv/api/store.py:13 direct a.path_icon.read_bytes', 'sv/api/store.py:9 direct addon.path_icon.open']);
  });

  it('negative: aliases of builtins and of non-class values type nothing', async () => {
    const r = await analyze({
      'sv/addons/model.py': model,
      'sv/types.py': 'from typing import Union\n\nJson = Union[dict, list]\nNames = ["a", "b"]\n',
      'sv/api/store.py': py`
        from ..types import Json, Names

        class APIStore:
            def _load(self) -> Json:
                return {}

            async def icon(self):
                data = self._load()
                return data.path_icon.open("rb"), Names
      `,
    });
    assert.deepEqual(brief(r.findings), []);
  });
});

describe('I/O properties of external types (GitPython)', () => {
  it('`repo.active_branch`, `repo.head.commit` and `repo.untracked_files` read in async code are findings', async () => {
    const r = await analyze({
      'store/git.py': py`
        import git

        class GitRepo:
            def __init__(self, path):
                self.repo: git.Repo = git.Repo(path)

            async def pull(self):
                branch = self.repo.active_branch.name
                head = self.repo.head.commit
                return branch, head, self.repo.untracked_files
      `,
    });
    assert.deepEqual(brief(r.findings), ['store/git.py:10 direct self.repo.untracked_files', 'store/git.py:8 direct self.repo.active_branch', 'store/git.py:9 direct self.repo.head.commit']);
  });

  it('negative: plain attributes (`working_dir`, `head` itself) and offloaded reads are no findings', async () => {
    const r = await analyze({
      'store/git.py': py`
        import asyncio
        import git

        class GitRepo:
            def __init__(self, path):
                self.repo: git.Repo = git.Repo(path)

            async def info(self):
                head = self.repo.head
                branch = await asyncio.to_thread(lambda: self.repo.active_branch.name)
                return self.repo.working_dir, head, branch
      `,
    });
    assert.deepEqual(brief(r.findings), []);
  });
});

describe('JS: generator functions run as coroutines', () => {
  it('`coroutine(function* …)` and `co(function* …)` are async entries; what they yield is awaited', async () => {
    const r = await analyze({
      'lib/server.js': [
        "const fs = require('fs');",
        "const co = require('co');",
        "const { coroutine } = require('bluebird');",
        'module.exports = coroutine(function* (req, res) {',
        '  const exists = fs.existsSync(req.url); // 5',
        '  const data = yield readAsync(req.url);',
        '  return exists && data;',
        '});',
        'co(function* () {',
        "  return fs.readFileSync('/etc/hosts'); // 10",
        '});',
        'function readAsync(p) {',
        '  return fs.promises.readFile(p);',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(brief(r.findings), ['lib/server.js:10 direct fs.readFileSync', 'lib/server.js:5 direct fs.existsSync']);
  });

  it('negative: a plain generator, or one handed to something that is no coroutine runner, is no entry', async () => {
    const r = await analyze({
      'lib/gen.js': [
        "const fs = require('fs');",
        'function* lines(p) {',
        "  yield* fs.readFileSync(p, 'utf8').split('\\n');",
        '}',
        'const it = iterate(function* () {',
        "  yield fs.readFileSync('/etc/hosts');",
        '});',
        'module.exports = { lines, it };',
      ].join('\n'),
    });
    assert.deepEqual(brief(r.findings), []);
  });
});

describe('JS/TS: `@/` imports resolve to the `src` folder', () => {
  it('a constructor imported through `@/` and reached from an async function is followed', async () => {
    const r = await analyze({
      'src/driver/fs.ts': "import { readFileSync } from 'node:fs';\nexport default class FsDriver {\n  data: string;\n  constructor(p: string) {\n    this.data = readFileSync(p, 'utf8');\n  }\n}\n",
      'src/node.ts': "export { default as FsDriver } from './driver/fs';\n",
      'src/app.ts': "import { FsDriver } from '@/node';\nexport async function open(p: string) {\n  return new FsDriver(p);\n}\n",
    });
    assert.deepEqual(brief(r.findings), ['src/driver/fs.ts:5 indirect readFileSync']);
    assert.deepEqual(r.findings[0].chain, ['open', 'FsDriver.constructor']);
  });

  it('negative: a scoped package (`@scope/pkg`) is external, not a `src` file', async () => {
    const r = await analyze({
      'src/node.ts': "import { readFileSync } from 'node:fs';\nexport function load(p: string) {\n  return readFileSync(p);\n}\n",
      'src/app.ts': "import { load } from '@scope/node';\nexport async function open(p: string) {\n  return load(p);\n}\n",
    });
    assert.deepEqual(brief(r.findings), []);
  });
});
