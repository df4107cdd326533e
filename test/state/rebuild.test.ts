import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DevLogRepo } from '../../src/devlog/git.ts';
import { renderPage, type PageInput } from '../../src/devlog/render.ts';
import { escapeIdentityMarks, parseIdentity } from '../../src/devlog/identity.ts';
import { readRegularFile, UnsafeFileError } from '../../src/devlog/safe-read.ts';
import { sha256 } from '../../src/core/hash.ts';
import { openStateDb, type Db } from '../../src/state/db.ts';
import { reconcileFromDevlog } from '../../src/state/rebuild.ts';
import { SnippetStore, type SnippetRow } from '../../src/state/snippets.ts';
import { CLI_ARGS } from '../support/cli.ts';

const run = promisify(execFile);

before(async () => {
  const empty = path.join(await mkdtemp(path.join(tmpdir(), 'cw-gitcfg-')), 'gitconfig');
  await writeFile(empty, '');
  process.env.GIT_CONFIG_GLOBAL = empty;
  process.env.GIT_CONFIG_NOSYSTEM = '1';
});

function page(name: string, source: string, withIdentity = true): PageInput {
  return {
    displayName: `Store.${name}`,
    docType: 'function_doc',
    repo: 'demo',
    file: 'src/store.py',
    language: 'python',
    startLine: 1,
    endLine: 2,
    complexity: 1,
    source,
    body: `Documents ${name}.`,
    generatedAt: new Date(2026, 2, 2, 9, 34),
    provider: 'static',
    identity: withIdentity
      ? {
          repo: 'demo',
          file: 'src/store.py',
          symbol: `Store.${name}`,
          functionName: name,
          className: 'Store',
          docType: 'function_doc',
          codeHash: sha256(source),
          sourceCommit: 'feed123',
          version: '0.1.0',
          provider: 'static',
          documentedAt: '2026-03-02T09:34:12.500000',
        }
      : undefined,
  };
}

interface Fixture {
  dir: string;
  devlog: DevLogRepo;
  db: Db;
  crashed: { commit: string; relPath: string };
}

/** A DevLog with three pages: one recorded, one committed by a process that died before its
 *  row (the "crash"), one of the original's without an identity comment. */
async function fixture(): Promise<Fixture> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-rebuild-'));
  const devlog = new DevLogRepo({ repoPath: path.join(dir, 'devlog'), authorName: 'T', authorEmail: 't@example.com' });
  await devlog.ensure();
  const db = openStateDb(path.join(dir, 'data'));
  const store = new SnippetStore(db);
  const ok = await devlog.writeAndCommit('snippets/python/2026-03-02_store-load.md', renderPage(page('load', 'def load(): pass')), 'Document Store.load');
  store.record({
    sourceRepo: 'demo',
    sourceFile: '/src/demo/src/store.py',
    functionName: 'load',
    className: 'Store',
    codeHash: sha256('def load(): pass'),
    snippetPath: ok.relPath,
    gitCommit: ok.commit,
    docType: 'function_doc',
  });
  const crashed = await devlog.writeAndCommit('snippets/python/2026-03-02_store-save.md', renderPage(page('save', 'def save(): pass')), 'Document Store.save');
  await devlog.writeAndCommit('snippets/python/2026-02-01_legacy.md', renderPage(page('legacy', 'def legacy(): pass', false)), 'Old page');
  return { dir, devlog, db, crashed };
}

test('a page committed without its row gets the row back, with its commit and identity', async () => {
  const { db, crashed, devlog } = await fixture();
  const res = await reconcileFromDevlog(db, devlog.root, { repoPaths: { demo: '/src/demo' } });
  assert.deepEqual(res, { added: 1, scanned: 3, withoutIdentity: 1 });
  const row = db.prepare('SELECT * FROM documented_snippets WHERE snippet_path = ?').get(crashed.relPath) as SnippetRow;
  assert.equal(row.git_commit, crashed.commit);
  assert.equal(row.source_file, '/src/demo/src/store.py');
  assert.deepEqual([row.source_repo, row.function_name, row.class_name, row.doc_type], ['demo', 'save', 'Store', 'function_doc']);
  assert.equal(row.code_hash, sha256('def save(): pass'));
  assert.equal(row.documented_at, '2026-03-02T09:34:12.500000');
});

test('the rebuilt row makes deduplication refuse the same code again', async () => {
  const { db, devlog } = await fixture();
  await reconcileFromDevlog(db, devlog.root, { repoPaths: { demo: '/src/demo' } });
  const store = new SnippetStore(db);
  assert.equal(store.isDuplicate({ docType: 'function_doc', codeHash: sha256('def save(): pass'), sourceFile: '/src/demo/src/store.py', functionName: 'save', className: 'Store' }, 90), true);
});

test('reconciling twice adds nothing the second time', async () => {
  const { db, devlog } = await fixture();
  await reconcileFromDevlog(db, devlog.root);
  assert.deepEqual(await reconcileFromDevlog(db, devlog.root), { added: 0, scanned: 3, withoutIdentity: 1 });
  assert.equal((db.prepare('SELECT COUNT(*) AS n FROM documented_snippets').get() as { n: number }).n, 2);
});

test('a row holding an absolute page path counts as the page', async () => {
  const { db, devlog, crashed } = await fixture();
  new SnippetStore(db).record({
    sourceRepo: 'demo',
    sourceFile: '/x/store.py',
    codeHash: sha256('def save(): pass'),
    snippetPath: path.join('/old/location/devlog', crashed.relPath),
    docType: 'function_doc',
  });
  assert.equal((await reconcileFromDevlog(db, devlog.root)).added, 0);
});

test('a directory that is not a git repository is reported as such', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-rebuild-'));
  const db = openStateDb(path.join(dir, 'data'));
  await assert.rejects(reconcileFromDevlog(db, dir), /is not a git repository/);
});

async function cli(configDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...CLI_ARGS, '--config', configDir, ...args], { env: process.env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test('codeworm state rebuild --json prints the counts as one JSON document', async () => {
  const { dir, db } = await fixture();
  db.close();
  const config = path.join(dir, 'config');
  await run('mkdir', ['-p', config]);
  await writeFile(path.join(config, 'config.yaml'), `data_dir: ${path.join(dir, 'data')}\ndevlog:\n  repo_path: ${path.join(dir, 'devlog')}\n`);
  const out = await cli(config, 'state', 'rebuild', '--json');
  assert.equal(out.code, 0, out.stderr);
  const json = JSON.parse(out.stdout) as { added: number; scanned: number };
  assert.deepEqual([json.added, json.scanned], [1, 3]);
  const again = await cli(config, 'state', 'rebuild');
  assert.match(again.stdout, /^scanned 3 pages in .*\nadded 0 rows to /);
});

test('codeworm state rebuild on a missing DevLog says so without a stack trace', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-rebuild-'));
  const out = await cli(dir, 'state', 'rebuild', '--devlog', path.join(dir, 'nope'));
  assert.equal(out.code, 1);
  assert.match(out.stderr, /^codeworm: error: .*nope is not a git repository/);
  assert.ok(!out.stderr.includes('    at '));
});

test('a forged identity in a page\'s code is never taken for the page\'s own: only the last line counts', async () => {
  const { db, devlog } = await fixture();
  const forged = `<!-- codeworm: {"repo":"other","file":"secret.py","symbol":null,"functionName":"steal","className":null,"docType":"function_doc","codeHash":"${'c'.repeat(64)}","sourceCommit":null,"version":"0.1.0","provider":"static"} -->`;
  const code = `def forged():\n    # ${forged}\n    pass`;
  // the real identity stays last even when the code holds a lookalike above it
  const withReal = renderPage({ ...page('forged', code), source: escapeIdentityMarks(code) });
  assert.ok(!withReal.slice(0, withReal.trimEnd().lastIndexOf('\n')).includes('<!-- codeworm:'), 'the lookalike in the code is escaped');
  await devlog.writeAndCommit('snippets/python/2026-03-02_forged.md', withReal, 'Document forged');
  // a page of the original (no identity) quoting an unescaped one: not a page of ours
  const quoting = `${renderPage(page('quoting', 'def quoting(): pass', false))}\n\nSee:\n\n${forged}\n\nend of page\n`;
  await devlog.writeAndCommit('snippets/python/2026-03-02_quoting.md', quoting, 'Quote');
  // an invalid identity last, a valid one earlier: nothing (the earlier one is not the page's)
  const invalidLast = `${renderPage(page('twice', 'def twice(): pass'))}<!-- codeworm: {"repo":"x"} -->\n`;
  await devlog.writeAndCommit('snippets/python/2026-03-02_twice.md', invalidLast, 'Twice');
  const res = await reconcileFromDevlog(db, devlog.root, { repoPaths: { demo: '/src/demo' } });
  assert.deepEqual(res, { added: 2, scanned: 6, withoutIdentity: 3 });
  const repos = db.prepare("SELECT DISTINCT source_repo FROM documented_snippets").all() as { source_repo: string }[];
  assert.deepEqual(repos.map((r) => r.source_repo), ['demo'], 'no row for the forged repository');
  assert.equal((db.prepare("SELECT function_name FROM documented_snippets WHERE snippet_path LIKE '%forged.md'").get() as { function_name: string }).function_name, 'forged');
});

test('escapeIdentityMarks makes every lookalike inert and leaves other comments alone', () => {
  const text = 'a <!-- codeworm: {} --> b <!--CODEWORM :{}--> c <!-- other: x -->';
  const out = escapeIdentityMarks(text);
  assert.equal(parseIdentity(`x\n${out.split(' b ')[0].slice(2)}`), null);
  assert.equal((out.match(/\u200b/g) ?? []).length, 2);
  assert.ok(out.includes('<!-- other: x -->'));
});

test('a FIFO in place of a page is skipped, not waited on (regular-file reads with a deadline)', async () => {
  const { db, devlog, crashed } = await fixture();
  const file = path.join(devlog.root, crashed.relPath);
  await rm(file);
  await run('mkfifo', [file]);
  const started = Date.now();
  const res = await reconcileFromDevlog(db, devlog.root);
  assert.ok(Date.now() - started < 5_000);
  assert.deepEqual(res, { added: 0, scanned: 3, withoutIdentity: 2 });
  await assert.rejects(readRegularFile(file), (e: Error) => e instanceof UnsafeFileError && e.why === 'not a regular file');
});
