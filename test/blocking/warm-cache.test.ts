import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { analyzeBlocking, toBlockingJson } from '../../src/analysis/blocking/index.ts';
import { CodeIndex } from '../../src/index/indexer.ts';
import { commitAll, git, makeTree } from '../index/helpers.ts';
import { brief, indexOf, py } from './helpers.ts';

const AT = new Date('2024-05-01T12:00:00Z');
// enough functions that the file's facts are kept packed in the warm index (read through the store's accessor)
const PADDING = Array.from({ length: 60 }, (_, i) => `def pad_${i}(x):\n    return len(str(x)) + ${i}\n`).join('\n');

const SERVICE = py`
  from util import helper

  async def poll():
      return helper()
`;
const UTIL = `def helper():\n    return 2\n\n\ndef reader():\n    with open("data.txt") as f:\n        return f.read()\n\n\n${PADDING}`;

test('a warm refresh after an edit gives the new blocking report, in the edited file and in the files that call it', async () => {
  const root = await makeTree({ 'service.py': SERVICE, 'util.py': UTIL });
  await git(root, ['init', '-q']);
  await commitAll(root, 'start', AT);
  const index = new CodeIndex({ store: null, poolSize: 1 });
  try {
    const first = await index.get(root, { churn: false });
    assert.deepEqual(brief(analyzeBlocking(first).findings), [], 'helper does not block, reader is not reached');
    const again = await index.get(root, { churn: false });
    assert.deepEqual(toBlockingJson(analyzeBlocking(again)), toBlockingJson(analyzeBlocking(first)), 'unchanged files: the same report on every run');

    // the callee changes: util.py's new facts are read
    await writeFile(path.join(root, 'util.py'), UTIL.replace('def helper():\n    return 2', 'def helper():\n    import time\n    time.sleep(1)\n    return 2'));
    const edited = analyzeBlocking(await index.get(root, { churn: false }));
    assert.deepEqual(brief(edited.findings), ['util.py:3 indirect time.sleep']);
    assert.deepEqual(edited.findings[0].chain, ['poll', 'helper']);

    // only the caller changes: the unchanged util.py is resolved again against the new index
    await writeFile(path.join(root, 'util.py'), UTIL);
    await writeFile(path.join(root, 'service.py'), SERVICE.replace('from util import helper', 'from util import helper, reader').replace('return helper()', 'return reader()'));
    const caller = analyzeBlocking(await index.get(root, { churn: false }));
    assert.deepEqual(brief(caller.findings), ['util.py:6 indirect open']);
    assert.deepEqual(caller.findings[0].chain, ['poll', 'reader']);
  } finally {
    await index.close();
  }
});

test('facts replaced on the same record are analysed anew', async () => {
  const calm = await indexOf({ 'service.py': 'async def poll():\n    return 1\n' });
  const busy = await indexOf({ 'service.py': 'import time\n\nasync def poll():\n    time.sleep(1)\n' });
  assert.equal(analyzeBlocking(calm).findings.length, 0);
  calm.files[0].facts = busy.files[0].facts;
  calm.files[0].symbols = busy.files[0].symbols;
  assert.deepEqual(brief(analyzeBlocking(calm).findings), ['service.py:4 direct time.sleep']);
});
