import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { computeCoverage } from '../../src/daemon/coverage.ts';
import { CodeIndex } from '../../src/index/indexer.ts';
import { functionCandidates } from '../../src/index/score.ts';
import { loadSettings } from '../../src/config/load.ts';
import { openStateDb } from '../../src/state/db.ts';
import { SnippetStore } from '../../src/state/snippets.ts';
import { makeSampleRepo } from '../support/sample-repo.ts';

test('coverage is the share of function candidates with a function_doc page', async () => {
  const repo = await makeSampleRepo();
  const tmp = await mkdtemp(path.join(tmpdir(), 'cw-cov-'));
  const base = await loadSettings(tmp);
  const settings = { ...base, repositories: [{ name: 'sample', path: repo, weight: 5, enabled: true }] };
  const db = openStateDb(path.join(tmp, 'data'));
  const index = new CodeIndex({ store: null });
  try {
    const [before] = await computeCoverage(settings, db, index);
    assert.equal(before.repo, 'sample');
    assert.ok(before.candidates >= 2, `candidates: ${before.candidates}`);
    assert.equal(before.documented, 0);

    const first = functionCandidates(await index.get(repo), settings.analyzer, Date.now())[0];
    const store = new SnippetStore(db);
    const row = { sourceRepo: 'sample', sourceFile: path.join(repo, first.file.path), functionName: first.symbol.name, codeHash: 'a'.repeat(64), snippetPath: 'x.md' };
    store.record({ ...row, docType: 'security_review' });
    assert.equal((await computeCoverage(settings, db, index))[0].documented, 0, 'other doc types do not count');
    store.record({ ...row, docType: 'function_doc', codeHash: 'b'.repeat(64) });
    const [after] = await computeCoverage(settings, db, index);
    assert.equal(after.documented, 1);
    assert.equal(after.candidates, before.candidates);
  } finally {
    await index.close();
    db.close();
  }
});
