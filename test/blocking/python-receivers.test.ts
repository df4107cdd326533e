/**
 * Issue 13, item 1: receiver types that flow through the repository's own functions (return
 * annotations, inferred returns, `@contextmanager` yields, awaited async helpers, methods) and
 * properties read from async code. The shapes are those of real fixes: a `_get_conn()` helper
 * used in `with`, `self.db = make_db()`, a `@property` that reads a file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, brief, py } from './helpers.ts';

test('a helper\'s return annotation types the receiver (`conn = make_conn()`)', async () => {
  const r = await analyze({
    'db.py': py`
      import sqlite3

      def make_conn() -> sqlite3.Connection:
          return _open()

      def _open():
          return None

      async def count(table):
          conn = make_conn()
          return conn.execute("select count(*) from " + table).fetchone()
    `,
  });
  assert.deepEqual(brief(r.findings), ['db.py:11 direct conn.execute']);
});

test('an inferred return (the first typed `return`) types the receiver, across files, awaited or not', async () => {
  const r = await analyze({
    'app/__init__.py': '',
    'app/store.py': py`
      import sqlite3
      import requests

      def connect(path):
          conn = sqlite3.connect(path)
          conn.row_factory = sqlite3.Row
          return conn

      async def session():
          return requests.Session()
    `,
    'app/api.py': py`
      from .store import connect, session

      async def rows(path):
          conn = connect(path)
          cur = conn.cursor()
          cur.execute("select 1")

      async def fetch(url):
          s = await session()
          return s.get(url)
    `,
  });
  assert.deepEqual(brief(r.findings), [
    'app/api.py:10 direct s.get',
    'app/api.py:6 direct cur.execute',
    'app/store.py:5 indirect sqlite3.connect',
  ]);
});

test('`with _get_conn() as conn:` types `conn` from the context manager\'s `yield` (plain and annotated)', async () => {
  const r = await analyze({
    'repo.py': py`
      import sqlite3
      from contextlib import contextmanager
      from typing import Iterator

      @contextmanager
      def _get_conn():
          conn = sqlite3.connect("app.db")
          try:
              yield conn
          finally:
              conn.close()

      @contextmanager
      def _cursor() -> Iterator[sqlite3.Cursor]:
          yield make()

      def make():
          return None

      async def save(row):
          with _get_conn() as conn:
              conn.execute("insert into t values (?)", (row,))
          with _cursor() as cur:
              cur.execute("select 1")
    `,
  });
  assert.deepEqual(brief(r.findings), [
    'repo.py:22 direct conn.execute',
    'repo.py:24 direct cur.execute',
    'repo.py:7 indirect sqlite3.connect',
  ]);
});

test('`self.db = make_db()` in __init__ and `self._conn()` methods type attributes and results', async () => {
  const r = await analyze({
    'svc.py': py`
      from pathlib import Path
      import sqlite3

      def make_db(path):
          return sqlite3.connect(path)

      class Service:
          def __init__(self, root):
              self.db = make_db(root)
              self.out = Path(root)

          def _conn(self) -> sqlite3.Connection:
              return self.db

          async def handle(self, row):
              self.db.execute("insert", row)
              self._conn().commit()
              self.out.write_text(row)
    `,
  });
  assert.deepEqual(brief(r.findings), [
    'svc.py:16 direct self.db.execute',
    'svc.py:17 direct self._conn(...).commit',
    'svc.py:18 direct self.out.write_text',
  ]);
});

test('negative: helpers returning in-memory or async objects, and unknown returns, type nothing blocking', async () => {
  const r = await analyze({
    'ok.py': py`
      import io
      import aiosqlite
      from contextlib import contextmanager

      @contextmanager
      def buffer():
          yield io.BytesIO()

      def conn():
          return aiosqlite.connect("x.db")

      def unknown(x):
          return x

      async def work(data):
          with buffer() as b:
              b.write(data)
          db = conn()
          await db.execute("select 1")
          thing = unknown(data)
          thing.execute("x")
          thing.commit()
    `,
  });
  assert.deepEqual(brief(r.findings), []);
});

test('a receiver typed by an unresolvable helper keeps the unambiguous method rules (`read_text`)', async () => {
  const r = await analyze({
    'p.py': py`
      from somewhere import locate

      async def show():
          p = locate()
          return p.read_text()
    `,
  });
  assert.deepEqual(brief(r.findings), ['p.py:5 direct p.read_text']);
});

test('`@property` getters, setters and `cached_property` run on attribute access from async code', async () => {
  const r = await analyze({
    'cfg.py': py`
      import json
      from functools import cached_property

      class Config:
          def __init__(self, path):
              self.path = path

          @property
          def raw(self):
              return open(self.path).read()

          @raw.setter
          def raw(self, text):
              with open(self.path, "w") as f:
                  f.write(text)

          @cached_property
          def data(self):
              with open(self.path) as f:
                  return json.load(f)

          def helper(self):
              return 1

          async def reload(self):
              self.raw = "{}"
              return self.data

      async def show(path):
          c = Config(path)
          return c.raw
    `,
  });
  assert.deepEqual(
    r.findings.map((f) => `${f.line} ${f.call} ${f.chain.join('>')}`).sort(),
    ['10 open show>Config.raw', '14 open Config.reload>Config.raw', '19 open Config.reload>Config.data'],
  );
});

test('negative: plain attributes and methods read without a call are no calls', async () => {
  const r = await analyze({
    'm.py': py`
      class Store:
          @property
          def name(self):
              return "store"

          def save(self):
              open("x", "w").write("y")

          async def run(self):
              fn = self.save
              label = self.name
              return self.other, fn, label
    `,
  });
  assert.deepEqual(brief(r.findings), []);
});

test('a property\'s return type types its reads: `self.hosts.unlink()` (base class) and `backup.tarfile.unlink()`', async () => {
  const r = await analyze({
    'plugins/base.py': py`
      from pathlib import Path

      class PluginBase:
          @property
          def hosts(self) -> Path:
              return Path("/config/hosts")
    `,
    'plugins/dns.py': py`
      from .base import PluginBase
      from .backup import Backup

      class PluginDns(PluginBase):
          async def reset(self):
              self.hosts.unlink()

          async def drop(self, backup: Backup):
              backup.tarfile.unlink()
              backup.name.strip()
    `,
    'plugins/backup.py': py`
      from pathlib import Path

      class Backup:
          def __init__(self, path):
              self._path = path
              self.name = "b"

          @property
          def tarfile(self) -> Path:
              return Path(self._path)
    `,
  });
  assert.deepEqual(brief(r.findings), ['plugins/dns.py:6 direct self.hosts.unlink', 'plugins/dns.py:9 direct backup.tarfile.unlink']);
});
