import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { indexRepository } from '../../src/index/indexer.ts';
import { loadSettings } from '../../src/config/load.ts';
import { openStateDb } from '../../src/state/db.ts';
import { MAX_PAGES_PER_SUBJECT, SnippetStore } from '../../src/state/snippets.ts';
import { docTypeOrder, selectTarget } from '../../src/targets/select.ts';
import { FINDERS } from '../../src/targets/registry.ts';
import { recentFileChanges } from '../../src/index/history.ts';
import type { FinderInput, Target } from '../../src/targets/types.ts';
import type { DocType } from '../../src/config/schema.ts';
import { makeRealRepo } from '../support/real-repo.ts';

/** A seeded uniform [0, 1) generator (mulberry32), so the draw of doc types is reproducible. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('24 cycles of selection on real code with a real state database give no subject more than 2 pages', async () => {
  const root = await makeRealRepo();
  const index = await indexRepository(root);
  const settings = await loadSettings(await mkdtemp(path.join(tmpdir(), 'cw-cfg-')));
  const db = openStateDb(await mkdtemp(path.join(tmpdir(), 'cw-state-')));
  const store = new SnippetStore(db);
  const repo = { name: 'real', path: root, weight: 5, enabled: true };
  const now = Date.UTC(2026, 10, 30, 12);
  const input: FinderInput = { repo, index, settings, now, recentChanges: await recentFileChanges(root, 20) };
  // Weights that favour the function-level types, where one symbol is likeliest to recur.
  const weights = { ...settings.typeWeights, weekly_summary: 0, monthly_summary: 0 } as Record<DocType, number>;
  const random = seeded(12);
  const subjects = new Map<string, number>();
  const subjectOf = (t: Target) => (t.symbol ? 'symbol' : t.relPath === '.' ? undefined : 'file');
  const keyOf = (t: Target) => (t.symbol ? `${t.relPath}#${t.className ?? ''}.${t.functionName ?? ''}` : t.relPath);
  let cycles = 0;
  for (let i = 0; i < 24; i++) {
    const at = now + i * 3_600_000;
    let chosen: Target | null = null;
    for (const docType of docTypeOrder(weights, random)) {
      const res = await selectTarget(FINDERS[docType], [repo], async () => input, (t) =>
        store.isDuplicate({ docType: t.docType, codeHash: t.codeHash, sourceFile: t.absPath, functionName: t.functionName ?? (t.symbol ? null : t.displayName), className: t.className, subject: subjectOf(t) }, 90, at),
      random);
      if (res.target) {
        chosen = res.target;
        break;
      }
    }
    assert.ok(chosen, `cycle ${i + 1} found nothing`);
    cycles++;
    store.record({
      sourceRepo: 'real',
      sourceFile: chosen.absPath,
      functionName: chosen.functionName ?? (chosen.symbol ? null : chosen.displayName),
      className: chosen.className,
      codeHash: chosen.codeHash,
      snippetPath: `x/${i}.md`,
      docType: chosen.docType,
      documentedAt: new Date(at),
    });
    if (subjectOf(chosen)) subjects.set(keyOf(chosen), (subjects.get(keyOf(chosen)) ?? 0) + 1);
  }
  assert.equal(cycles, 24);
  const worst = Math.max(...subjects.values());
  assert.ok(worst <= MAX_PAGES_PER_SUBJECT, `a subject got ${worst} pages: ${JSON.stringify([...subjects].filter(([, n]) => n > 2))}`);
  db.close();
});

test('the spread rule refuses a third page about one function, whatever its doc type, and a third about one file', async () => {
  const db = openStateDb(await mkdtemp(path.join(tmpdir(), 'cw-state-')));
  const store = new SnippetStore(db);
  const now = new Date(2026, 10, 30, 12);
  const fn = { sourceFile: '/src/a.py', functionName: 'load', className: 'Store' };
  store.record({ sourceRepo: 'r', ...fn, codeHash: 'h1', snippetPath: 'a.md', docType: 'function_doc', documentedAt: now });
  const third = { ...fn, docType: 'til' as const, codeHash: 'h1', subject: 'symbol' as const };
  assert.equal(store.checkDuplicate(third, 90, now).duplicate, false, 'one page: a second is fine');
  store.record({ sourceRepo: 'r', ...fn, codeHash: 'h1', snippetPath: 'b.md', docType: 'security_review', documentedAt: now });
  assert.deepEqual([store.checkDuplicate(third, 90, now).duplicate, store.checkDuplicate(third, 90, now).reason], [true, 'spread']);
  // Another method of the same class and the class itself are other subjects; so is the file.
  assert.equal(store.isDuplicate({ ...third, functionName: 'save' }, 90, now), false);
  assert.equal(store.isDuplicate({ ...third, functionName: null, docType: 'class_doc' }, 90, now), false);
  // Outside the window the subject is free again; without `subject` the rule does not apply.
  assert.equal(store.isDuplicate(third, 90, now.getTime() + 91 * 86_400_000), false);
  assert.equal(store.isDuplicate({ ...third, subject: undefined }, 90, now), false);

  store.record({ sourceRepo: 'r', sourceFile: '/src/a.py', functionName: 'a', codeHash: 'f1', snippetPath: 'c.md', docType: 'file_doc', documentedAt: now });
  store.record({ sourceRepo: 'r', sourceFile: '/src/a.py', functionName: 'a (observer)', codeHash: 'p1', snippetPath: 'd.md', docType: 'pattern_analysis', documentedAt: now });
  const change = { docType: 'code_evolution' as const, codeHash: 'e1', sourceFile: '/src/a.py', functionName: 'a.py @ abc', subject: 'file' as const };
  assert.equal(store.checkDuplicate(change, 90, now).reason, 'spread');
  db.close();
});
