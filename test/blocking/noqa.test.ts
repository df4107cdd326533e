/**
 * Maintainers silence a blocking call the way ruff's flake8-async expects: `# noqa` or
 * `# noqa: ASYNC230` on the call's line. CodeWorm honours the same comments.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suppressedLines } from '../../src/analysis/blocking/collect-python.ts';
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
