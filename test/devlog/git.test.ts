import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, stat, utimes, writeFile, mkdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { classifyPushError, DEFAULT_AUTHOR, DevLogError, DevLogRepo } from '../../src/devlog/git.ts';
import { DEVLOG_FOLDERS } from '../../src/core/doctypes.ts';

const run = promisify(execFile);
const ID = ['-c', 'user.name=Test Setup', '-c', 'user.email=setup@example.com'];

/** git in `cwd` with a fixed identity; returns trimmed stdout. */
async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await run('git', [...ID, ...args], { cwd })).stdout.trim();
}

before(async () => {
  // no global or system git config, no identity from the environment: tests set what they need
  const empty = path.join(await mkdtemp(path.join(tmpdir(), 'cw-gitcfg-')), 'gitconfig');
  await writeFile(empty, '');
  process.env.GIT_CONFIG_GLOBAL = empty;
  process.env.GIT_CONFIG_NOSYSTEM = '1';
  for (const k of ['GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL']) delete process.env[k];
  // the unreachable-remote test talks to 127.0.0.1 directly, never through a proxy
  for (const k of ['http_proxy', 'https_proxy', 'all_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY']) delete process.env[k];
});

async function tmp(prefix: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

async function newDevlog(opts: Partial<ConstructorParameters<typeof DevLogRepo>[0]> = {}): Promise<DevLogRepo> {
  const repo = new DevLogRepo({
    repoPath: path.join(await tmp('cw-devlog-'), 'devlog'),
    authorName: 'Worm Writer',
    authorEmail: 'worm@example.com',
    pushBackoffMs: 10,
    ...opts,
  });
  await repo.ensure();
  return repo;
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

test('ensure creates the repository on the configured branch with a README and the doc folders', async () => {
  const root = path.join(await tmp('cw-devlog-'), 'devlog');
  const repo = new DevLogRepo({ repoPath: root, branch: 'docs' });
  const res = await repo.ensure();
  assert.equal(res.created, true);
  assert.equal(await git(root, 'branch', '--show-current'), 'docs');
  assert.ok(await exists(path.join(root, 'README.md')));
  for (const f of DEVLOG_FOLDERS) assert.ok(await exists(path.join(root, f)), f);
  assert.equal(await git(root, 'log', '--format=%s'), 'Initialize DevLog');
  assert.equal(await repo.isClean(), true);
});

test('ensure on an existing DevLog adds nothing', async () => {
  const repo = await newDevlog();
  const before = await repo.headCommit();
  const res = await repo.ensure();
  assert.equal(res.created, false);
  assert.deepEqual(res.added, []);
  assert.equal(await repo.headCommit(), before);
});

test('writeAndCommit commits the page with the configured author and returns the short hash', async () => {
  const repo = await newDevlog();
  const out = await repo.writeAndCommit('snippets/python/2026-03-02_save.md', '# save\n', 'Document Store.save');
  assert.equal(out.relPath, 'snippets/python/2026-03-02_save.md');
  assert.equal(out.commit, await git(repo.root, 'rev-parse', '--short', 'HEAD'));
  assert.equal(await git(repo.root, 'log', '-1', '--format=%an <%ae>|%cn|%s'), 'Worm Writer <worm@example.com>|Worm Writer|Document Store.save');
  assert.equal(await git(repo.root, 'show', '--name-only', '--format=', 'HEAD'), 'snippets/python/2026-03-02_save.md');
  assert.equal(await repo.isClean(), true);
});

test('a commit holds only its page, not other changes a user has staged', async () => {
  const repo = await newDevlog();
  await writeFile(path.join(repo.root, 'README.md'), 'edited by hand\n');
  await git(repo.root, 'add', 'README.md');
  await repo.writeAndCommit('til/2026-01-01_only.md', 'x\n', 'Add only');
  assert.equal(await git(repo.root, 'show', '--name-only', '--format=', 'HEAD'), 'til/2026-01-01_only.md');
  assert.equal(await git(repo.root, 'status', '--porcelain'), 'M  README.md');
});

test('without an author in the settings the git config identity is used', async () => {
  const root = path.join(await tmp('cw-devlog-'), 'devlog');
  await mkdir(root, { recursive: true });
  await git(root, 'init', '-q', '-b', 'main');
  await run('git', ['config', 'user.name', 'Config Person'], { cwd: root });
  await run('git', ['config', 'user.email', 'config@example.com'], { cwd: root });
  const repo = new DevLogRepo({ repoPath: root });
  await repo.ensure();
  await repo.writeAndCommit('til/2026-01-01_x.md', 'x\n', 'Add TIL');
  assert.equal(await git(root, 'log', '-1', '--format=%an <%ae>'), 'Config Person <config@example.com>');
});

test('with no author anywhere the default identity commits', async () => {
  const repo = await newDevlog({ authorName: undefined, authorEmail: undefined });
  await repo.writeAndCommit('til/2026-01-01_y.md', 'y\n', 'Add TIL');
  assert.equal(await git(repo.root, 'log', '-1', '--format=%an <%ae>'), `${DEFAULT_AUTHOR.name} <${DEFAULT_AUTHOR.email}>`);
});

test('writing to a taken name commits under the next free name', async () => {
  const repo = await newDevlog();
  await repo.writeAndCommit('til/2026-01-01_z.md', 'one\n', 'Add one');
  const second = await repo.writeAndCommit('til/2026-01-01_z.md', 'two\n', 'Add two');
  assert.equal(second.relPath, 'til/2026-01-01_z-2.md');
  assert.equal(await readFile(path.join(repo.root, 'til/2026-01-01_z.md'), 'utf8'), 'one\n');
});

test('a failed commit removes the written page and leaves the index clean', async () => {
  const repo = await newDevlog();
  const hook = path.join(repo.root, '.git', 'hooks', 'pre-commit');
  await mkdir(path.dirname(hook), { recursive: true });
  await writeFile(hook, '#!/bin/sh\necho "refusing" >&2\nexit 1\n');
  await chmod(hook, 0o755);
  const head = await repo.headCommit();
  await assert.rejects(repo.writeAndCommit('til/2026-01-01_fail.md', 'x\n', 'Add'), DevLogError);
  assert.equal(await exists(path.join(repo.root, 'til/2026-01-01_fail.md')), false);
  assert.equal(await git(repo.root, 'status', '--porcelain'), '');
  assert.equal(await repo.headCommit(), head);
});

test('a stale index.lock (older than 60 s) is removed before committing', async () => {
  const repo = await newDevlog();
  const lock = path.join(repo.root, '.git', 'index.lock');
  await writeFile(lock, '');
  const old = new Date(Date.now() - 120_000);
  await utimes(lock, old, old);
  await repo.writeAndCommit('til/2026-01-01_lock.md', 'x\n', 'Add');
  assert.equal(await exists(lock), false);
  assert.equal(await git(repo.root, 'log', '-1', '--format=%s'), 'Add');
});

test('a fresh index.lock is respected: the operation fails after the wait and the lock stays', async () => {
  const repo = await newDevlog({ lockWaitMs: 300, lockPollMs: 50 });
  const lock = path.join(repo.root, '.git', 'index.lock');
  await writeFile(lock, '');
  await assert.rejects(repo.writeAndCommit('til/2026-01-01_busy.md', 'x\n', 'Add'), /index\.lock is held by another git process/);
  assert.equal(await exists(lock), true);
  assert.equal(await exists(path.join(repo.root, 'til/2026-01-01_busy.md')), false);
});

test('a fresh index.lock released during the wait lets the commit go through', async () => {
  const repo = await newDevlog({ lockWaitMs: 5_000, lockPollMs: 50 });
  const lock = path.join(repo.root, '.git', 'index.lock');
  await writeFile(lock, '');
  setTimeout(() => void rm(lock), 200);
  const out = await repo.writeAndCommit('til/2026-01-01_wait.md', 'x\n', 'Add after wait');
  assert.equal(out.commit, await git(repo.root, 'rev-parse', '--short', 'HEAD'));
});

test('a detached HEAD ahead of the branch is recovered onto the branch without losing its commit', async () => {
  const repo = await newDevlog();
  await git(repo.root, 'checkout', '-q', '--detach');
  await writeFile(path.join(repo.root, 'til', 'manual.md'), 'manual\n');
  await git(repo.root, 'add', 'til/manual.md');
  await git(repo.root, 'commit', '-q', '-m', 'made while detached');
  const detachedCommit = await git(repo.root, 'rev-parse', 'HEAD');
  await repo.writeAndCommit('til/2026-01-01_after.md', 'x\n', 'Add after detach');
  assert.equal(await git(repo.root, 'branch', '--show-current'), 'main');
  assert.equal(await git(repo.root, 'rev-parse', 'HEAD~1'), detachedCommit);
});

test('a detached HEAD that diverged from the branch is kept on a rescue branch', async () => {
  const repo = await newDevlog();
  await git(repo.root, 'checkout', '-q', '--detach');
  await writeFile(path.join(repo.root, 'til', 'side.md'), 'side\n');
  await git(repo.root, 'add', 'til/side.md');
  await git(repo.root, 'commit', '-q', '-m', 'side commit');
  const side = await git(repo.root, 'rev-parse', 'HEAD');
  await git(repo.root, 'commit', '-q', '--allow-empty', '-m', 'unused');
  await git(repo.root, 'checkout', '-q', 'main');
  await git(repo.root, 'commit', '-q', '--allow-empty', '-m', 'main moved on');
  await git(repo.root, 'checkout', '-q', side);
  const res = await repo.ensure();
  assert.equal(res.detached?.action, 'rescued');
  assert.equal(await git(repo.root, 'branch', '--show-current'), 'main');
  assert.equal(await git(repo.root, 'rev-parse', res.detached!.rescueBranch!), side);
});

async function bareRemote(): Promise<string> {
  const bare = path.join(await tmp('cw-remote-'), 'remote.git');
  await run('git', ['init', '-q', '--bare', '-b', 'main', bare]);
  return bare;
}

test('push sends the branch to a bare repository on disk, again after a new commit', async () => {
  const bare = await bareRemote();
  const repo = await newDevlog({ remote: bare });
  const first = await repo.push();
  assert.equal(first.status, 'pushed');
  await repo.writeAndCommit('til/2026-01-01_p.md', 'x\n', 'Add p');
  const second = await repo.push();
  assert.deepEqual([second.status, second.attempts], ['pushed', 1]);
  assert.equal(await git(bare, 'rev-parse', 'main'), await git(repo.root, 'rev-parse', 'HEAD'));
});

test('a push refused by a pre-receive hook (GH013) is rejected and not retried', async () => {
  const bare = await bareRemote();
  const hook = path.join(bare, 'hooks', 'pre-receive');
  await writeFile(hook, '#!/bin/sh\necho "error: GH013: Repository rule violations found for refs/heads/main." >&2\necho "- Push cannot contain secrets" >&2\nexit 1\n');
  await chmod(hook, 0o755);
  const repo = await newDevlog({ remote: bare });
  const res = await repo.push();
  assert.equal(res.status, 'rejected');
  assert.equal(res.attempts, 1);
  assert.match(res.message, /GH013/);
});

test('a push that would overwrite commits someone else pushed is rejected by the lease', async () => {
  const bare = await bareRemote();
  const repo = await newDevlog({ remote: bare });
  assert.equal((await repo.push()).status, 'pushed');
  const other = path.join(await tmp('cw-other-'), 'clone');
  await run('git', ['clone', '-q', bare, other]);
  await git(other, 'commit', '-q', '--allow-empty', '-m', 'from elsewhere');
  await git(other, 'push', '-q', 'origin', 'main');
  await git(repo.root, 'commit', '-q', '--amend', '--allow-empty', '-m', 'rewritten locally');
  const res = await repo.push();
  assert.equal(res.status, 'rejected');
  assert.match(await git(bare, 'log', '-1', '--format=%s', 'main'), /from elsewhere/);
});

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

test('an unreachable remote fails after the retries', async () => {
  const port = await closedPort();
  const repo = await newDevlog({ remote: `http://127.0.0.1:${port}/devlog.git`, pushRetries: 2, pushBackoffMs: 10 });
  const res = await repo.push();
  assert.equal(res.status, 'failed');
  assert.equal(res.attempts, 3);
  assert.match(res.message, /127\.0\.0\.1/);
});

test('without a remote the push is skipped', async () => {
  const repo = await newDevlog();
  assert.deepEqual(await repo.push(), { status: 'skipped', message: 'no devlog.remote configured', attempts: 0 });
});

test('a remote name that the DevLog does not have fails with a message saying what to do', async () => {
  const repo = await newDevlog({ remote: 'backup' });
  assert.match((await repo.ensure()).remoteError ?? '', /not a remote/);
  const res = await repo.push();
  assert.equal(res.status, 'failed');
  assert.match(res.message, /devlog\.remote "backup" is not a remote of .*remote add backup <url>/);
});

test('push errors are classified as rejected, transient or fatal', () => {
  assert.equal(classifyPushError(' ! [remote rejected] main -> main (pre-receive hook declined)'), 'rejected');
  assert.equal(classifyPushError('remote: error: GH006: Protected branch update failed'), 'rejected');
  assert.equal(classifyPushError(' ! [rejected]        main -> main (stale info)'), 'rejected');
  assert.equal(classifyPushError("ssh: Could not resolve hostname github.com: Temporary failure in name resolution\nfatal: Could not read from remote repository."), 'transient');
  assert.equal(classifyPushError('fatal: unable to access \'https://x/\': Failed to connect to x port 443: Connection refused'), 'transient');
  assert.equal(classifyPushError('remote: Invalid username or password.\nfatal: Authentication failed'), 'fatal');
});

test('listPages lists committed pages in the doc folders only', async () => {
  const repo = await newDevlog();
  await repo.writeAndCommit('snippets/go/2026-01-01_a.md', 'a\n', 'Add a');
  await repo.writeAndCommit('reviews/security/2026-01-01_b.md', 'b\n', 'Add b');
  await writeFile(path.join(repo.root, 'til', 'untracked.md'), 'u\n');
  assert.deepEqual(await repo.listPages(), ['reviews/security/2026-01-01_b.md', 'snippets/go/2026-01-01_a.md']);
});

test('ensure removes an uncommitted CodeWorm page left by an interrupted write, not a user file', async () => {
  const repo = await newDevlog();
  const ours = path.join(repo.root, 'til', '2026-01-01_half.md');
  const theirs = path.join(repo.root, 'til', 'notes.md');
  await writeFile(ours, `# half\n\n<!-- codeworm: {"repo":"r","file":"f","symbol":null,"functionName":null,"className":null,"docType":"til","codeHash":"${'b'.repeat(64)}","sourceCommit":null,"version":"0.1.0","provider":"static"} -->\n`);
  await writeFile(theirs, 'mine\n');
  const res = await repo.ensure();
  assert.deepEqual(res.abandonedPages, ['til/2026-01-01_half.md']);
  assert.equal(await exists(ours), false);
  assert.equal(await exists(theirs), true);
});

test('headCommit is null before the first commit', async () => {
  const root = await tmp('cw-empty-');
  await git(root, 'init', '-q', '-b', 'main');
  assert.equal(await new DevLogRepo({ repoPath: root }).headCommit(), null);
});
