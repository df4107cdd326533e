import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CodeIndex } from '../../src/index/indexer.ts';
import { blockingFor } from '../../src/targets/blocking-cache.ts';
import { makeTree } from '../index/helpers.ts';

const SERVICE = `import time\n\nasync def poll():\n    time.sleep(1)\n    return 1\n`;

test('the blocking report is reused across cycles while no file changes, and recomputed when one does', async () => {
  const root = await makeTree({ 'service.py': SERVICE, 'util.py': 'def helper():\n    return 2\n' });
  const index = new CodeIndex({ store: null, poolSize: 1 });
  try {
    const first = await index.get(root, { churn: false });
    const second = await index.get(root, { churn: false });
    assert.notEqual(first, second, 'the warm index hands out a new snapshot object per call');
    const report = blockingFor(first);
    assert.equal(report.findings.length, 1);
    assert.equal(blockingFor(second), report, 'same content: same report, no second pass over every file');

    await writeFile(path.join(root, 'service.py'), SERVICE.replace('time.sleep(1)', 'time.sleep(1)\n    open("x").read()'));
    const third = await index.get(root, { churn: false });
    const changed = blockingFor(third);
    assert.notEqual(changed, report);
    assert.equal(changed.findings.length, 2, 'the new blocking call is found');
  } finally {
    await index.close();
  }
});
