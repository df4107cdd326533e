import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, stat, writeFile, mkdir, rm } from 'node:fs/promises';
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

/**
 * A live git process holding the DevLog's index.lock for about `seconds`: `git add` of a file
 * whose clean filter sleeps (git keeps the lock while the filter runs). Resolves once the lock
 * exists; `done` when git has finished (and the file it added is unstaged again).
 */
async function holdIndexLock(root: string, seconds: number): Promise<{ done: Promise<void>; pid: number }> {
  await writeFile(path.join(root, '.git', 'info', 'attributes'), '*.slow filter=slow\n');
  await writeFile(path.join(root, 'held.slow'), 'x\n');
  const child = execFile('git', ['-c', `filter.slow.clean=sleep ${seconds}; cat`, 'add', 'held.slow'], { cwd: root });
  const done = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const lock = path.join(root, '.git', 'index.lock');
  while (!(await exists(lock))) await new Promise((r) => setTimeout(r, 20));
  return {
    pid: child.pid!,
    done: done.then(async () => {
      await git(root, 'rm', '-q', '--cached', 'held.slow');
      await rm(path.join(root, 'held.slow'));
    }),
  };
}

test('an index.lock no git process holds is removed at once, however young', async () => {
  const repo = await newDevlog({ lockWaitMs: 10_000 });
  const lock = path.join(repo.root, '.git', 'index.lock');
  await writeFile(lock, '');
  const started = Date.now();
  await repo.writeAndCommit('til/2026-01-01_lock.md', 'x\n', 'Add');
  assert.ok(Date.now() - started < 5_000, 'no waiting for an orphan lock to age');
  assert.equal(await exists(lock), false);
  assert.equal(await git(repo.root, 'log', '-1', '--format=%s'), 'Add');
});

test('an index.lock held by a live git process is respected: the operation fails after the wait naming its pid', async () => {
  const repo = await newDevlog({ lockWaitMs: 300, lockPollMs: 50 });
  const held = await holdIndexLock(repo.root, 3);
  await assert.rejects(repo.writeAndCommit('til/2026-01-01_busy.md', 'x\n', 'Add'), new RegExp(`index\\.lock is held by git process pid \\d+`));
  assert.equal(await exists(path.join(repo.root, 'til/2026-01-01_busy.md')), false);
  await held.done;
  assert.equal(await git(repo.root, 'status', '--porcelain'), '');
});

test('an index.lock released by its git process during the wait lets the commit go through', async () => {
  const repo = await newDevlog({ lockWaitMs: 10_000, lockPollMs: 50 });
  const held = await holdIndexLock(repo.root, 1);
  const out = await repo.writeAndCommit('til/2026-01-01_wait.md', 'x\n', 'Add after wait');
  await held.done;
  assert.equal(out.commit, await git(repo.root, 'rev-parse', '--short', 'HEAD'));
  assert.equal(await git(repo.root, 'show', '--name-only', '--format=', 'HEAD'), 'til/2026-01-01_wait.md');
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

/** A clone of `bare` that pushes one page-like commit to it; returns that commit's hash. */
async function pushFromElsewhere(bare: string, file = 'til/2026-01-01_elsewhere.md'): Promise<string> {
  const other = path.join(await tmp('cw-other-'), 'clone');
  await run('git', ['clone', '-q', bare, other]);
  await mkdir(path.dirname(path.join(other, file)), { recursive: true });
  await writeFile(path.join(other, file), 'from another machine\n');
  await git(other, 'add', file);
  await git(other, 'commit', '-q', '-m', 'from elsewhere');
  await git(other, 'push', '-q', 'origin', 'main');
  return git(other, 'rev-parse', 'HEAD');
}

for (const fetched of [false, true]) {
  test(`another machine's pushed commit stays on the remote; ours is rebased on top (${fetched ? 'after' : 'without'} a git fetch in the DevLog)`, async () => {
    const bare = await bareRemote();
    const repo = await newDevlog({ remote: bare });
    assert.equal((await repo.push()).status, 'pushed');
    const theirs = await pushFromElsewhere(bare);
    if (fetched) await git(repo.root, 'fetch', '-q', 'origin'); // what made --force-with-lease overwrite
    const ours = await repo.writeAndCommit('til/2026-01-01_ours.md', 'x\n', 'Add ours');
    const res = await repo.push();
    assert.equal(res.status, 'pushed', res.message);
    const log = (await git(bare, 'log', '--format=%H %s', 'main')).split('\n');
    assert.ok(log.some((l) => l.startsWith(theirs)), 'the other machine\'s commit is still on the remote');
    assert.match(log[0], / Add ours$/);
    assert.equal(await git(bare, 'rev-parse', 'main'), await git(repo.root, 'rev-parse', 'HEAD'));
    const [[oldHash, newHash]] = [...res.rewritten!];
    assert.ok(oldHash.startsWith(ours.commit));
    assert.equal(newHash, await git(repo.root, 'rev-parse', 'HEAD'));
    assert.equal(await git(repo.root, 'status', '--porcelain'), '');
  });
}

test('a real conflict with the remote is reported and left for the user, never forced', async () => {
  const bare = await bareRemote();
  const repo = await newDevlog({ remote: bare });
  await repo.writeAndCommit('til/2026-01-01_same.md', 'ours\n', 'Add same');
  assert.equal((await repo.push()).status, 'pushed');
  const other = path.join(await tmp('cw-other-'), 'clone');
  await run('git', ['clone', '-q', bare, other]);
  await writeFile(path.join(other, 'til/2026-01-01_same.md'), 'edited elsewhere\n');
  await git(other, 'commit', '-q', '-am', 'edit elsewhere');
  await git(other, 'push', '-q', 'origin', 'main');
  const theirs = await git(other, 'rev-parse', 'HEAD');
  // a local edit of the same page (by the user): a true conflict
  await writeFile(path.join(repo.root, 'til/2026-01-01_same.md'), 'edited here\n');
  await git(repo.root, 'commit', '-q', '-am', 'edit here');
  const before = await git(repo.root, 'rev-parse', 'HEAD');
  const res = await repo.push();
  assert.equal(res.status, 'rejected');
  assert.match(res.message, /conflict .*nothing was pushed or forced/);
  assert.equal(await git(bare, 'rev-parse', 'main'), theirs);
  assert.equal(await git(repo.root, 'rev-parse', 'HEAD'), before, 'the local branch is as it was');
  assert.equal(await repo.operationInProgress(), null, 'no rebase left half done');
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

test('ensure removes the journalled page of a write killed before its commit, even empty, and only it', async () => {
  const repo = await newDevlog();
  // what a kill -9 right after the page file appeared leaves: a 0-byte page named in the journal
  const half = path.join(repo.root, 'snippets', 'python', '2026-01-01_cut.md');
  await mkdir(path.dirname(half), { recursive: true });
  await writeFile(half, '');
  await writeFile(path.join(repo.root, '.git', 'codeworm-pending'), 'snippets/python/2026-01-01_cut.md\n');
  const userEmpty = path.join(repo.root, 'snippets', 'python', 'draft.md');
  await writeFile(userEmpty, '');
  const res = await repo.ensure();
  assert.deepEqual(res.abandonedPages, ['snippets/python/2026-01-01_cut.md']);
  assert.equal(await exists(half), false);
  assert.equal(await exists(userEmpty), true, 'a user file without our identity is never touched');
  assert.equal(await exists(path.join(repo.root, '.git', 'codeworm-pending')), false);
  // the name is free again: the next page takes it, not a -2
  assert.equal((await repo.writeAndCommit('snippets/python/2026-01-01_cut.md', 'x\n', 'Add')).relPath, 'snippets/python/2026-01-01_cut.md');
});

test('ensure reports a DevLog in the middle of a merge as wedged before any work', async () => {
  const repo = await newDevlog();
  await writeFile(path.join(repo.root, '.git', 'MERGE_HEAD'), `${await git(repo.root, 'rev-parse', 'HEAD')}\n`);
  await assert.rejects(repo.ensure(), (err: Error) => err instanceof DevLogError && /middle of a merge .*git wedged.*merge --abort/.test(err.message));
  await assert.rejects(repo.writeAndCommit('til/2026-01-01_m.md', 'x\n', 'Add'), /middle of a merge/);
  assert.equal(await exists(path.join(repo.root, 'til/2026-01-01_m.md')), false);
});

test('headCommit is null before the first commit', async () => {
  const root = await tmp('cw-empty-');
  await git(root, 'init', '-q', '-b', 'main');
  assert.equal(await new DevLogRepo({ repoPath: root }).headCommit(), null);
});
