/**
 * A full disk under the DevLog (issue 11: at 26 KB free the commit failed and the rollback left
 * an `AD` index entry). A real tmpfs of 4 MiB is filled to leave a little less to a little more
 * than one page's commit needs, so git fails at each of its steps in turn (object, index, ref);
 * after every failure the tree and the index must be clean and HEAD unchanged.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { DevLogRepo } from '../../src/devlog/git.ts';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

test('a commit that fails on a full disk leaves a clean index and tree, at every amount of space left', { skip: isRoot ? false : 'mounting a tmpfs needs root (CI runs as root)' }, async () => {
  const mnt = mkdtempSync(path.join(tmpdir(), 'cw-full-'));
  const failedAt = new Set<string>();
  let committed = 0;
  try {
    for (let freeKb = 40; freeKb <= 100; freeKb += 4) {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mnt]);
      try {
        const repo = new DevLogRepo({ repoPath: path.join(mnt, 'devlog'), authorName: 'T', authorEmail: 't@example.com' });
        await repo.ensure();
        const head = await repo.headCommit();
        const st = statfsSync(mnt);
        writeFileSync(path.join(mnt, 'filler'), Buffer.alloc(Math.max(0, st.bavail * st.bsize - freeKb * 1024)));
        const page = `${randomBytes(15 * 1024).toString('base64')}\n`; // 20 KB, incompressible
        const git = (...args: string[]) => execFileSync('git', args, { cwd: repo.root, encoding: 'utf8' });
        try {
          await repo.writeAndCommit('til/2026-01-01_full.md', page, 'Add full');
          committed++;
          assert.equal(git('status', '--porcelain'), '', `${freeKb} KB free: committed, clean`);
        } catch (err) {
          failedAt.add(/git (add|commit)/.exec((err as Error).message)?.[0] ?? 'write');
          assert.equal(git('status', '--porcelain', '--untracked-files=all'), '', `${freeKb} KB free: ${(err as Error).message.split('\n')[0]}`);
          assert.equal(git('diff', '--cached', '--name-only'), '');
          assert.equal(await repo.headCommit(), head, 'HEAD unchanged');
        }
      } finally {
        execFileSync('umount', [mnt]);
      }
    }
  } finally {
    rmSync(mnt, { recursive: true, force: true });
  }
  assert.ok(failedAt.has('git commit'), `some run failed in git commit after git add (failed at: ${[...failedAt].join(', ')})`);
  assert.ok(committed > 0, 'with enough space the page commits');
});
