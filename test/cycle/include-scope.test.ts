/**
 * `analyzer.include_patterns` narrows the targets, not the index the facts come from: a page on
 * an included async function still lists the blocking call its helper in an excluded file makes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../support/cli.ts';
import { makeRepo } from '../support/git-repo.ts';
import { CodeIndex } from '../../src/index/indexer.ts';
import { targetScope } from '../../src/index/scope.ts';

const FILES = {
  'svc/daemon.py': `"""The daemon."""
from svc.storage import save_report


async def run_cycle(report, path, retries=3):
    """Write one report per cycle, retrying a few times."""
    written = False
    for attempt in range(retries):
        if report is None:
            return False
        if attempt > 1:
            save_report(path, report)
            written = True
            break
        elif attempt == 0:
            report = dict(report)
        else:
            report["attempt"] = attempt
    if not written:
        return False
    return True
`,
  'svc/storage.py': `"""Storage helpers."""


def save_report(path, report):
    with open(path, "w") as f:
        f.write(str(report))
`,
};

test('the index keeps every file; targetScope gives finders only the included ones', async () => {
  const repo = await makeRepo(FILES);
  const index = new CodeIndex({ store: null });
  try {
    const full = await index.get(repo, { analyzer: { include_patterns: ['svc/daemon.py'] } });
    assert.deepEqual(full.files.map((f) => f.path).sort(), ['svc/daemon.py', 'svc/storage.py']);
    assert.deepEqual(targetScope(full, ['svc/daemon.py']).files.map((f) => f.path), ['svc/daemon.py']);
    assert.equal(targetScope(full, []), full);
  } finally {
    await index.close();
  }
});

test('a page on an included async function lists the blocking call of a helper outside include_patterns', async () => {
  const repo = await makeRepo(FILES);
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-scope-'));
  const devlog = path.join(dir, 'devlog');
  await writeFile(
    path.join(dir, 'config.yaml'),
    `data_dir: ${path.join(dir, 'data')}\ndevlog:\n  repo_path: ${devlog}\nanalyzer:\n  include_patterns: ["svc/daemon.py"]\n`,
  );
  await writeFile(path.join(dir, 'repos.yaml'), `repositories:\n  - name: svc\n    path: ${repo}\n`);
  const res = await runCli(['--config', dir, 'run-once', '--provider', 'static', '--type', 'function_doc']);
  assert.equal(res.code, 0, res.stderr);
  const folder = path.join(devlog, 'snippets', 'python');
  const [name] = (await readdir(folder)).filter((f) => f.endsWith('.md'));
  const page = await readFile(path.join(folder, name), 'utf8');
  assert.match(page, /^# run_cycle$/m);
  assert.match(page, /\*\*File:\*\* svc\/daemon\.py/);
  assert.match(page, /save_report/);
  assert.match(page, /`open` at `svc\/storage\.py:\d+`.*indirect, reached through `run_cycle` → `save_report`/, 'the blocking open() reached through svc/storage.py is in the facts');
});
