import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderPage } from '../../src/devlog/render.ts';
import { verifyPage } from '../../src/llm/verify-page.ts';
import { locationLine, referencesIn } from '../../src/llm/page-references.ts';
import { git, makeRepo } from '../support/git-repo.ts';

const APP = `import click


@click.group()
def cli():
    pass


@cli.command("sync")
@click.option(
    "--dry-run",
    is_flag=True,
    help="Print only",
)
def sync(dry_run):
    return fetch(dry_run)


def fetch(flag):
    return flag


def main():
    sync.callback(dry_run=True)
    return fetch(False)
`;

function page(body: string, over: Partial<Parameters<typeof renderPage>[0]> = {}): string {
  return renderPage({
    displayName: 'fetch',
    docType: 'function_doc',
    repo: 'app',
    file: 'app.py',
    language: 'python',
    startLine: 19,
    endLine: 20,
    complexity: 1,
    source: 'def fetch(flag):\n    return flag',
    body,
    generatedAt: new Date(0),
    provider: 'static',
    ...over,
  });
}

async function repo(): Promise<{ dir: string; head: string }> {
  const dir = await makeRepo({ 'app.py': APP }, { message: 'Add the app' });
  const head = (await git(dir, ['rev-parse', 'HEAD'])).trim();
  return { dir, head };
}

test('a History line with a commit of the repository is grounded; an unknown hash is reported', async () => {
  const { dir, head } = await repo();
  const good = page(`### History\n\n- \`${head.slice(0, 7)}\` 2026-01-01: Add the app (Test Author)`);
  assert.deepEqual((await verifyPage(good, { repo: dir })).result.ungrounded, []);
  const bad = page('### History\n\n- `abc1234` 2026-01-01: Add the app (Test Author)');
  const r = (await verifyPage(bad, { repo: dir })).result;
  assert.equal(r.ungrounded.length, 1);
  assert.match(r.ungrounded[0].identifier, /^abc1234 \(no commit abc1234/);
});

test('caller locations are looked up in the file they name: right line passes, wrong excerpt fails', async () => {
  const { dir } = await repo();
  const good = page(`### Callers\n\n${locationLine('main', 'app.py', 25, 'return fetch(False)')}\n${locationLine('sync', 'app.py', 16, 'return fetch(dry_run)')}`);
  const ok = (await verifyPage(good, { repo: dir })).result;
  assert.deepEqual(ok.ungrounded, []);
  assert.equal(ok.references?.checked, 2);
  const wrong = page(`### Callers\n\n${locationLine('main', 'app.py', 24, 'return fetch(False)')}`);
  const r = (await verifyPage(wrong, { repo: dir })).result;
  assert.equal(r.ungrounded.length, 1);
  assert.match(r.ungrounded[0].identifier, /main at app\.py:24 \(line 24 of app\.py is not/);
  const missing = page(`### Callers\n\n${locationLine('helper', 'nowhere.py', 3, null)}`);
  assert.match((await verifyPage(missing, { repo: dir })).result.ungrounded[0].identifier, /nowhere\.py does not exist/);
});

test('decorators and their arguments above the page range belong to the function', async () => {
  const { dir } = await repo();
  const p = page('- Decorators: `@cli.command("sync")`, `@click.option("--dry-run", is_flag=True)`', {
    displayName: 'sync',
    startLine: 15,
    endLine: 16,
    source: 'def sync(dry_run):\n    return fetch(dry_run)',
  });
  assert.deepEqual((await verifyPage(p, { repo: dir })).result.ungrounded, []);
  // Without the repository only the Source Code block counts: the decorators are not in it.
  const alone = (await verifyPage(p)).result.ungrounded.map((u) => u.identifier);
  assert.ok(alone.includes('cli.command'), alone.join(', '));
});

test('text and diff pages are checked (no "unknown language"), names from their data block are grounded', async () => {
  const { dir } = await repo();
  const summary = renderPage({
    displayName: 'Weekly Summary 2026-W01',
    docType: 'weekly_summary',
    repo: 'app',
    file: '.',
    language: 'text',
    startLine: 0,
    endLine: 0,
    complexity: 0,
    source: 'Period: 2026-01-01 to 2026-01-07\nRepository app: 1 commits touching app.py',
    body: 'The week touched `app.py` once; `asyncio.to_thread` is a library name; `fetch` is in app.py.',
    generatedAt: new Date(0),
    provider: 'static',
  });
  const r = await verifyPage(summary, { repo: dir });
  assert.deepEqual(r.result.ungrounded, []);
  const invented = await verifyPage(summary.replace('`fetch` is in app.py', '`frobnicate_all` is in app.py'), { repo: dir });
  assert.deepEqual(invented.result.ungrounded.map((u) => u.identifier), ['frobnicate_all']);

  const diff = renderPage({
    displayName: 'app.py @ 1234abc',
    docType: 'code_evolution',
    repo: 'app',
    file: 'app.py',
    language: 'diff',
    startLine: 1,
    endLine: 26,
    complexity: 0,
    source: '--- a/app.py\n+++ b/app.py\n@@ -1,2 +1,3 @@\n+def fetch(flag):\n+    return flag',
    body: 'The change adds `fetch` and `main` calls it.',
    generatedAt: new Date(0),
    provider: 'static',
  });
  assert.deepEqual((await verifyPage(diff, { repo: dir })).result.ungrounded, []);
  assert.deepEqual((await verifyPage(diff)).result.ungrounded.map((u) => u.identifier), ['main']);
});

test('referencesIn reads location bullets and commit spans, nothing else', () => {
  const prose = [
    { line: 1, text: '- `Daemon.run` at `d/daemon.py:12`: `await self.cycle()`' },
    { line: 2, text: 'Changed in `ca3ce30` and `f99b146`; `deadbeef_x` is a name.' },
    { line: 3, text: '- `x` in `a.py` at line 3' },
  ];
  const { references, locationLines } = referencesIn(prose);
  assert.deepEqual([...locationLines], [1]);
  assert.deepEqual(
    references.map((r) => (r.kind === 'commit' ? r.hash : `${r.name}@${r.file}:${r.fileLine}:${r.excerpt}`)),
    ['Daemon.run@d/daemon.py:12:await self.cycle()', 'ca3ce30', 'f99b146'],
  );
  assert.equal(locationLine('f', 'a.py', 1, 'x = `y`'), '- `f` at `a.py:1`: `` x = `y` ``');
});

test('a location bullet with "; also lines" is checked on each line it names', async () => {
  const { checkLocation } = await import('../../src/llm/page-references.ts');
  const start = '#!/bin/bash\nnohup relay run > /tmp/relay.log 2>&1 &\necho "Logs: tail -f /tmp/relay.log"\necho done\n';
  const [ok] = referencesIn([{ line: 1, text: '- `/tmp/relay.log` at `scripts/start.sh:2`: `nohup relay run > /tmp/relay.log 2>&1 &`; also line 3' }]).references;
  assert.ok(ok.kind === 'location');
  assert.deepEqual(ok.alsoLines, [3]);
  assert.equal(checkLocation(ok, start), null);
  const [wrong] = referencesIn([{ line: 1, text: '- `/tmp/relay.log` at `scripts/start.sh:2`: `nohup relay run > /tmp/relay.log 2>&1 &`; also lines 3, 4' }]).references;
  assert.ok(wrong.kind === 'location');
  assert.equal(checkLocation(wrong, start), 'line 4 of scripts/start.sh does not name /tmp/relay.log');
});
