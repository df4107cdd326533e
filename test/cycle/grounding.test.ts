import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from '../support/cli.ts';
import { makeRepo } from '../support/git-repo.ts';
import { SAMPLE_FILES } from '../support/sample-repo.ts';
import { startFakeLlm } from '../support/fake-llm.ts';

const FALSE_PAGE = 'The loop calls `fetch_status()`, which is a blocking call within an async function and stalls the event loop.';
const TRUE_PAGE = 'The loop awaits `fetch_status()` for each attempt and sleeps with `time.sleep` when the status is missing, which blocks the event loop.';

test('a page that contradicts the code is regenerated once with the findings, and the better page is kept', async () => {
  const repo = await makeRepo({ 'app/handlers.py': SAMPLE_FILES['app/handlers.py'] });
  let bodies = 0;
  const llm = await startFakeLlm({
    reply: (call) => {
      if (/commit message/i.test(call.prompt)) return 'Document handle_request';
      bodies++;
      return call.prompt.includes('Corrections to your previous answer') ? TRUE_PAGE : FALSE_PAGE;
    },
  });
  try {
    const dir = await mkdtemp(path.join(tmpdir(), 'cw-ground-'));
    const devlog = path.join(dir, 'devlog');
    await writeFile(
      path.join(dir, 'config.yaml'),
      `data_dir: ${path.join(dir, 'data')}\ndevlog:\n  repo_path: ${devlog}\n  author_name: T\n  author_email: t@example.com\nollama:\n  host: ${llm.url}\n`,
    );
    await writeFile(path.join(dir, 'repos.yaml'), `repositories:\n  - name: app\n    path: ${repo}\n`);
    const res = await runCli(['--config', dir, 'run-once', '--type', 'function_doc', '--json']);
    assert.equal(res.code, 0, res.stderr);
    const out = JSON.parse(res.stdout) as { target: string; snippetPath: string; snippetId: string; grounding: { contradictions: number; regenerated: boolean; grounded: boolean } };
    assert.equal(out.target, 'handle_request');
    assert.equal(bodies, 2, 'one regeneration');
    assert.deepEqual(out.grounding, { ungrounded: 0, contradictions: 0, regenerated: true, grounded: true });
    const page = await readFile(path.join(devlog, out.snippetPath), 'utf8');
    assert.ok(page.includes(TRUE_PAGE));
    assert.ok(!page.includes(FALSE_PAGE));
    const db = new Database(path.join(dir, 'data', 'codeworm.db'), { readonly: true });
    const row = db.prepare('SELECT regenerated, grounded, contradictions FROM grounding_results WHERE snippet_id = ?').get(out.snippetId);
    db.close();
    assert.deepEqual(row, { regenerated: 1, grounded: 1, contradictions: 0 });
  } finally {
    await llm.close();
  }
});
