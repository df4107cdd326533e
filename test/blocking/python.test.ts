import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, brief, py } from './helpers.ts';

/** Findings of one async function body in `app.py` (imports given separately). */
async function direct(imports: string, body: string): Promise<string[]> {
  const src = `${imports}\n\nasync def handler_under_test(path, url):\n${body.replace(/^/gm, '    ')}\n`;
  const r = await analyze({ 'app.py': src });
  return r.findings.map((f) => `${f.kind} ${f.category} ${f.call}`);
}

describe('python: direct blocking operations in async functions', () => {
  it('open() inside an async function is file I/O', async () => {
    assert.deepEqual(await direct('', 'data = open(path).read()'), ['direct file_io open']);
  });
  it('`with open(...)` is one finding spanning the with block', async () => {
    const r = await analyze({ 'app.py': py`
      async def log(msg):
          with open("log.txt", "a") as f:
              f.write(msg)
              f.flush()
    ` });
    assert.deepEqual(r.findings.map((f) => [f.line, f.end_line, f.call]), [[2, 4, 'open']]);
  });
  it('time.sleep, `from time import sleep` and an aliased module are resolved', async () => {
    assert.deepEqual(await direct('import time\nfrom time import sleep as nap', 'time.sleep(1)\nnap(2)'), ['direct sleep time.sleep', 'direct sleep nap']);
  });
  it('subprocess through `import subprocess as sp`, os.system and os.popen', async () => {
    const got = await direct('import subprocess as sp\nimport os', 'sp.run(["ls"])\nsp.check_output("x")\nos.system("ls")\nos.popen("ls")');
    assert.deepEqual(got, ['direct subprocess sp.run', 'direct subprocess sp.check_output', 'direct subprocess os.system', 'direct subprocess os.popen']);
  });
  it('requests module calls and urlopen are network', async () => {
    const got = await direct('import requests\nfrom urllib.request import urlopen', 'requests.get(url)\nurlopen(url)');
    assert.deepEqual(got, ['direct network requests.get', 'direct network urlopen']);
  });
  it('methods of a sync httpx.Client / requests.Session bound to a variable are network', async () => {
    const got = await direct('import httpx, requests', 'client = httpx.Client()\nclient.get(url)\ns = requests.Session()\ns.post(url)');
    assert.deepEqual(got, ['direct network client.get', 'direct network s.post']);
  });
  it('a sync client stored on self in __init__ is typed in every method', async () => {
    const r = await analyze({ 'svc.py': py`
      import httpx
      class Api:
          def __init__(self):
              self.http = httpx.Client(timeout=5)
          async def fetch(self, url):
              return self.http.get(url)
    ` });
    assert.deepEqual(brief(r.findings), ['svc.py:6 direct self.http.get']);
  });
  it('annotated parameters type their receivers, forward references included', async () => {
    const r = await analyze({ 'a.py': 'from __future__ import annotations\nfrom typing import Optional\nimport requests\n\nasync def f(s: Optional[requests.Session], t: "requests.Session"):\n    s.get("u")\n    t.post("u")\n' });
    assert.deepEqual(brief(r.findings), ['a.py:6 direct s.get', 'a.py:7 direct t.post']);
  });
  it('sqlite3 connection and cursor calls are database operations', async () => {
    const got = await direct('import sqlite3', 'conn = sqlite3.connect(path)\ncur = conn.cursor()\ncur.execute("select 1")\nrows = cur.fetchall()\nconn.commit()');
    assert.deepEqual(got, ['direct database sqlite3.connect', 'direct database cur.execute', 'direct database cur.fetchall', 'direct database conn.commit']);
  });
  it('a call inside an f-string interpolation', async () => {
    assert.deepEqual(await direct('', 'print(f"config: {open(path).read()}")'), ['direct file_io open']);
  });
  it('input() and socket connect/recv are findings', async () => {
    const got = await direct('import socket', 'name = input("name? ")\nsock = socket.create_connection((url, 80))\nsock.recv(1024)');
    assert.deepEqual(got, ['direct input input', 'direct network socket.create_connection', 'direct network sock.recv']);
  });
  it('pathlib read_text / write_text on a Path are file I/O', async () => {
    const got = await direct('from pathlib import Path', 'p = Path(path) / "x.json"\ntext = p.read_text()\nPath(path).write_text(text)');
    assert.deepEqual(got, ['direct file_io p.read_text', 'direct file_io Path(...).write_text']);
  });
  it('a write on a file object held in an attribute is a finding of its own', async () => {
    const r = await analyze({ 'bus.py': py`
      class Bus:
          def __init__(self, p):
              self._log = open(p, "a")
          async def publish(self, m):
              self._log.write(m)
    ` });
    assert.deepEqual(brief(r.findings), ['bus.py:5 direct self._log.write']);
  });
  it('pymongo collections reached through client attributes / subscripts and boto3 clients', async () => {
    const got = await direct('import boto3\nfrom pymongo import MongoClient\nclient = MongoClient()\ns3 = boto3.client("s3")', 'client.app.users.find_one({})\nclient["app"]["items"].insert_one({})\ns3.put_object(Bucket="b", Key=path)\ns3.get_paginator("list_objects")');
    assert.deepEqual(got, ['direct database client.app.users.find_one', 'direct database client["app"]["items"].insert_one', 'direct network s3.put_object']);
  });
  it('a call in a loop of a handler is raised to high severity', async () => {
    const r = await analyze({ 'h.py': py`
      async def handle_batch(paths):
          for p in paths:
              open(p).close()
    ` });
    assert.equal(r.findings[0].severity, 'high');
  });
  it('an async HTTP-verb method of a class-based view is a handler', async () => {
    const r = await analyze({ 'v.py': 'from aiohttp import web\nclass Items(web.View):\n    async def get(self):\n        return open("x").read()\n' });
    assert.equal(r.findings[0].severity, 'high');
  });
  it('the same file read outside a loop in a plain async function is medium', async () => {
    const r = await analyze({ 'h.py': 'async def load(p):\n    return open(p).read()\n' });
    assert.equal(r.findings[0].severity, 'medium');
  });
});

describe('python: not findings', () => {
  it('asyncio.to_thread with a function reference and run_in_executor with a lambda', async () => {
    const got = await direct('import asyncio, subprocess', 'data = await asyncio.to_thread(open, path)\nloop = asyncio.get_running_loop()\nawait loop.run_in_executor(None, lambda: subprocess.run(["ls"]))');
    assert.deepEqual(got, []);
  });
  it('a lambda given to an executor runs on its workers; waiting for the map results blocks', async () => {
    const got = await direct('import time\nfrom concurrent.futures import ThreadPoolExecutor', 'with ThreadPoolExecutor() as ex:\n    fut = ex.submit(lambda: time.sleep(1))\n    results = list(ex.map(lambda p: open(p).read(), [path]))');
    assert.deepEqual(got, ['direct lock ex.map']);
  });
  it('anyio / trio to_thread.run_sync with a lambda', async () => {
    assert.deepEqual(await direct('import anyio, time', 'await anyio.to_thread.run_sync(lambda: time.sleep(1))'), []);
  });
  it('a nested sync def passed to asyncio.to_thread', async () => {
    const r = await analyze({ 'w.py': py`
      import asyncio
      async def save(path, data):
          def _write():
              with open(path, "w") as f:
                  f.write(data)
          await asyncio.to_thread(_write)
    ` });
    assert.deepEqual(r.findings, []);
  });
  it('awaited async equivalents: aiofiles, create_subprocess_exec, asyncio.sleep, httpx.AsyncClient', async () => {
    const got = await direct(
      'import aiofiles, asyncio, httpx',
      'async with aiofiles.open(path) as f:\n    await f.read()\nproc = await asyncio.create_subprocess_exec("ls")\nawait asyncio.sleep(1)\nasync with httpx.AsyncClient() as c:\n    await c.get(url)',
    );
    assert.deepEqual(got, []);
  });
  it('a module-level function named open shadows the builtin', async () => {
    const r = await analyze({ 'o.py': 'def open(name):\n    return name\n\nasync def go():\n    return open("x")\n' });
    assert.deepEqual(r.findings, []);
  });
  it('self.sleep() is the class\'s own method, not time.sleep', async () => {
    const r = await analyze({ 's.py': py`
      import time
      class Poller:
          async def sleep(self, n):
              pass
          async def run(self):
              await self.sleep(1)
              self.sleep(2)
    ` });
    assert.deepEqual(r.findings, []);
  });
  it('an attribute read of os.system without a call', async () => {
    assert.deepEqual(await direct('import os', 'runner = os.system\nreturn runner is None'), []);
  });
  it('a blocking call in sync code reached only from sync code', async () => {
    const r = await analyze({ 'sync.py': py`
      import time
      def wait():
          time.sleep(1)
      def main():
          wait()
    ` });
    assert.deepEqual(r.findings, []);
  });
  it('a threading.Lock section is not a finding', async () => {
    assert.deepEqual(await direct('import threading\n_lock = threading.Lock()', 'with _lock:\n    x = 1'), []);
  });
  it('logger calls are not findings', async () => {
    assert.deepEqual(await direct('import logging\nlogger = logging.getLogger(__name__)', 'logger.info("x")'), []);
  });
});

describe('python: indirect findings through sync helpers', () => {
  it('a chain of two through self.method reports the helper\'s line with the chain', async () => {
    const r = await analyze({ 'svc.py': py`
      import json
      class Tracker:
          def _append(self, entry):
              with open(self.path, "a") as f:
                  f.write(json.dumps(entry))
          async def record(self, entry):
              self._append(entry)
    ` });
    assert.deepEqual(r.findings.map((f) => [f.line, f.kind, f.function, f.chain]), [[4, 'indirect', 'Tracker._append', ['Tracker.record', 'Tracker._append']]]);
  });
  it('a chain of three through same-module functions', async () => {
    const r = await analyze({ 'mod.py': py`
      import subprocess
      def search(p):
          return run_rg(p)
      def run_rg(p):
          return subprocess.run(["rg", p])
      async def discover(p):
          return search(p)
    ` });
    assert.deepEqual(r.findings.map((f) => [f.line, f.chain]), [[5, ['discover', 'search', 'run_rg']]]);
  });
  it('a helper imported from another file of the repository (relative import)', async () => {
    const r = await analyze({
      'pkg/__init__.py': '',
      'pkg/store.py': 'import json\ndef save_identities(d):\n    with open("ids.json", "w") as f:\n        json.dump(d, f)\n',
      'pkg/service.py': 'from .store import save_identities\n\nasync def register(agent):\n    save_identities(agent)\n',
    });
    assert.deepEqual(brief(r.findings), ['pkg/store.py:3 indirect open']);
    assert.deepEqual(r.findings[0].chain, ['register', 'save_identities']);
  });
  it('a package import and a method of an imported class are resolved', async () => {
    const r = await analyze({
      'app/__init__.py': '',
      'app/db.py': 'import sqlite3\nclass Repo:\n    def __init__(self, p):\n        self.conn = sqlite3.connect(p)\n    def all(self):\n        return self.conn.execute("select *").fetchall()\n',
      'app/api.py': 'from app.db import Repo\nrepo = Repo("x.db")\n\nasync def list_items():\n    return repo.all()\n',
    });
    assert.deepEqual(brief(r.findings), ['app/db.py:6 indirect self.conn.execute']);
    assert.deepEqual(r.findings[0].chain, ['list_items', 'Repo.all']);
  });
  it('a method on a module-level sync client imported from another file', async () => {
    const r = await analyze({
      'svc/__init__.py': '',
      'svc/clients.py': 'import requests\nsession = requests.Session()\n',
      'svc/views.py': 'from .clients import session\n\nasync def fetch(url):\n    return session.get(url)\n',
    });
    assert.deepEqual(r.findings.map((f) => [f.file, f.line, f.kind, f.category]), [['svc/views.py', 4, 'direct', 'network']]);
  });
  it('a write to a module-level log file from an async function', async () => {
    const r = await analyze({ 'log.py': 'LOG = open("events.log", "a")\n\nasync def emit(line):\n    LOG.write(line)\n' });
    assert.deepEqual(brief(r.findings), ['log.py:4 direct LOG.write']);
  });
  it('super().method() resolves to the base class in another file, not the override', async () => {
    const r = await analyze({
      'base.py': 'import time\nclass Base:\n    def flush(self):\n        time.sleep(0.5)\n',
      'child.py': 'from base import Base\nclass Child(Base):\n    def flush(self):\n        super().flush()\n    async def close(self):\n        self.flush()\n',
    });
    assert.deepEqual(r.findings.map((f) => [f.file, f.line, f.chain]), [['base.py', 4, ['Child.close', 'Child.flush', 'Base.flush']]]);
  });
  it('a client attribute typed in a base class in another file', async () => {
    const r = await analyze({
      'base.py': 'import requests\nclass Client:\n    def __init__(self):\n        self.session = requests.Session()\n',
      'svc.py': 'from base import Client\nclass Github(Client):\n    async def repos(self):\n        return self.session.get("https://api.github.com")\n',
    });
    assert.deepEqual(brief(r.findings), ['svc.py:4 direct self.session.get']);
  });
  it('a helper called through an offload wrapper does not propagate', async () => {
    const r = await analyze({ 'o.py': py`
      import asyncio, time
      def slow():
          time.sleep(1)
      async def main():
          await asyncio.to_thread(slow)
          await asyncio.get_running_loop().run_in_executor(None, slow)
    ` });
    assert.deepEqual(r.findings, []);
  });
  it('a named function given to map() runs per item', async () => {
    const r = await analyze({ 'm.py': 'import json\ndef load(p):\n    with open(p) as f:\n        return json.load(f)\n\nasync def load_all(ps):\n    return list(map(load, ps))\n' });
    assert.deepEqual(r.findings.map((f) => [f.line, f.chain, f.severity]), [[3, ['load_all', 'load'], 'high']]);
  });
  it('recursive helpers terminate and report the line once', async () => {
    const r = await analyze({ 'r.py': py`
      import os
      def walk(d):
          for x in os.listdir(d):
              walk(x)
      async def scan(d):
          walk(d)
          walk(d)
    ` });
    assert.deepEqual(brief(r.findings), ['r.py:3 indirect os.listdir']);
  });
  it('counts async functions and adoption per component', async () => {
    const r = await analyze({
      'a/x.py': 'import time\nasync def bad():\n    time.sleep(1)\nasync def good():\n    pass\n',
      'b/y.py': 'async def fine():\n    return 1\n',
    });
    assert.equal(r.async_functions, 3);
    assert.deepEqual(r.components, [
      { path: 'a', async_functions: 2, with_findings: 1, adoption_pct: 50 },
      { path: 'b', async_functions: 1, with_findings: 0, adoption_pct: 100 },
    ]);
  });
});

it('the offload hint of an indirect finding calls the helper the way the async code writes it', async () => {
  const report = await analyze({
    'app/daemon.py': py`
      import time

      class State:
          def get_stats(self):
              time.sleep(1)
              return {}

      class Daemon:
          def __init__(self):
              self.state = State()

          async def handle(self):
              return self.state.get_stats()
    `,
  });
  const f = report.findings.find((x) => x.call === 'time.sleep');
  assert.ok(f, JSON.stringify(report.findings));
  assert.deepEqual(f.chain, ['Daemon.handle', 'State.get_stats']);
  assert.match(f.recommendation, /asyncio\.to_thread\(self\.state\.get_stats, \.\.\.\)/);
  assert.doesNotMatch(f.recommendation, /to_thread\(self\.get_stats/);
});
