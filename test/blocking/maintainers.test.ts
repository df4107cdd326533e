/**
 * What maintainers fix and silence the way ruff's flake8-async sees it: metadata calls are
 * findings (ASYNC240), and `# noqa` / `# noqa: ASYNC230` on a call's line silences it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suppressedLines } from '../../src/languages/python/blocking.ts';
import { analyze, brief, py } from './helpers.ts';

test('`# noqa: ASYNC230` and a bare `# noqa` silence the call on their line; other codes do not', async () => {
  const r = await analyze({
    'app.py': py`
      import time

      async def handler(path):
          data = open(path).read()  # noqa: ASYNC230
          time.sleep(1)  # noqa
          time.sleep(2)  # noqa: E501
          with open(path, "w") as f:  # noqa: ASYNC230, E501
              f.write(data)
          return open(path).read()
    `,
  });
  assert.deepEqual(brief(r.findings), ['app.py:6 direct time.sleep', 'app.py:9 direct open']);
});

test('a silenced call in a sync helper is not followed from async code either', async () => {
  const r = await analyze({
    'app.py': py`
      def read_config(path):
          return open(path).read()  # noqa: ASYNC230 (read once at start-up)

      def write_state(path, text):
          with open(path, "w") as f:
              f.write(text)

      async def serve(path):
          read_config(path)
          write_state(path, "up")
    `,
  });
  assert.deepEqual(
    r.findings.map((f) => `${f.line} ${f.call}`),
    ['5 open'],
  );
});

test('suppressedLines reads codes the way ruff does', () => {
  const text = ['x()  # noqa', 'y()  # noqa: ASYNC251', 'z()  # noqa: E501', 'w()  # NOQA:ASYNC', 'v()  # noqa: codeworm', 'u()'].join('\n');
  assert.deepEqual([...suppressedLines(text)].sort(), [1, 2, 4, 5]);
});

test('metadata calls (os.path.exists, os.stat, Path.is_file) are low findings, as ruff ASYNC240 reports them', async () => {
  const r = await analyze({
    'app.py': py`
      import os
      from pathlib import Path

      async def check(path):
          if not os.path.exists(path):
              return False
          if os.stat(path).st_size == 0:
              return False
          return Path(path).is_file()
    `,
  });
  assert.deepEqual(
    r.findings.map((f) => `${f.line} ${f.call} ${f.category} ${f.severity}`).sort(),
    ['5 os.path.exists file_io low', '7 os.stat file_io low', '9 Path(...).is_file file_io low'],
  );
});

test('an archive opened on an in-memory buffer (zipfile.ZipFile(io.BytesIO(...))) is no file I/O; on a path it is', async () => {
  const r = await analyze({
    'app.py': py`
      import io
      import tarfile
      import zipfile
      from io import BytesIO

      async def unpack(data, path):
          names = zipfile.ZipFile(io.BytesIO(data)).namelist()
          tar = tarfile.open(fileobj=BytesIO(data), mode="r:gz")
          with zipfile.ZipFile(path) as z:
              return names, tar, z.namelist()
    `,
  });
  assert.deepEqual(brief(r.findings), ['app.py:9 direct zipfile.ZipFile']);
});
