/**
 * Recent per-file changes of a source repository, for the code_evolution doc type: one
 * `git log --numstat --summary` pass over the last N commits, and the diff of one file in one commit
 * once a target is chosen. Never one git call per function.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import type { FileChange } from '../targets/types.ts';

const SEP = '\x1e';
/** Between the subject and the body, and after the body (the body may hold any line). */
const BODY = '\x1f';
const END = '\x1d';

/**
 * Per-file changes of the last `commits` commits (merges excluded), newest first, each with
 * its commit's subject and body.
 * A directory that is not a git repository (or has no commits) yields [].
 * Binary files (numstat `-`) count as 0 added / 0 deleted.
 */
export async function recentFileChanges(root: string, commits = 20): Promise<FileChange[]> {
  const git = simpleGit({ baseDir: root });
  let out: string;
  try {
    out = await git.raw([
      '-c',
      'core.quotepath=off',
      'log',
      '--relative',
      `-${commits}`,
      '--no-merges',
      '--numstat',
      '--summary',
      '--diff-filter=AMR',
      `--format=${SEP}%h%x09%ct%x09%an%x09%s${BODY}%b${END}`,
    ]);
  } catch {
    return [];
  }
  const changes: FileChange[] = [];
  for (const block of out.split(SEP)) {
    const end = block.indexOf(END);
    if (end < 0) continue;
    const [head, body = ''] = block.slice(0, end).split(BODY);
    const lines = ['', ...block.slice(end + 1).split('\n').filter((l) => l.length > 0)];
    const [commit, ct, author, ...subj] = head.split('\t');
    // `--summary` lists the files a commit created: ` create mode 100644 path`
    const created = new Set(lines.filter((l) => l.startsWith(' create mode ')).map((l) => l.replace(/^ create mode \d+ /, '')));
    for (const l of lines.slice(1)) {
      if (l.startsWith(' ')) continue; // summary lines
      const [a, d, ...rest] = l.split('\t');
      const filePath = renamedTarget(rest.join('\t'));
      if (!filePath) continue;
      changes.push({
        commit,
        date: Number(ct) * 1000,
        author,
        subject: subj.join('\t'),
        body: body.trim(),
        path: filePath,
        added: a === '-' ? 0 : Number(a),
        deleted: d === '-' ? 0 : Number(d),
        isNew: created.has(filePath),
      });
    }
  }
  return changes;
}

/** `{a => b}` and `a => b` rename notations of numstat → the new path. */
function renamedTarget(p: string): string {
  const brace = /^(.*)\{(.*) => (.*)\}(.*)$/.exec(p);
  if (brace) return `${brace[1]}${brace[3]}${brace[4]}`.replace(/\/\//g, '/');
  const arrow = / => /.exec(p);
  return arrow ? p.slice(arrow.index + 4) : p;
}

/** The unified diff of one file in one commit (`git show`), or '' when unavailable. */
/**
 * Git's built-in diff drivers by extension (gitattributes(5), "Defining a custom hunk-header"):
 * with them each hunk header names the enclosing function (`@@ … @@ async def _wait_for_ollama`)
 * instead of the last unindented line (`class CodeWormDaemon:`), so a reader (and the static
 * provider) knows which function a change is in. The repository's own attributes still win.
 */
const DIFF_DRIVERS = '*.py diff=python\n*.pyi diff=python\n*.go diff=golang\n*.rs diff=rust\n*.java diff=java\n*.kt diff=kotlin\n*.rb diff=ruby\n*.php diff=php\n*.cs diff=csharp\n*.c diff=cpp\n*.h diff=cpp\n*.cc diff=cpp\n*.cpp diff=cpp\n*.hpp diff=cpp\n';
let driversFile: Promise<string | null> | null = null;

/** A gitattributes file naming the drivers (written once per process), or null when it cannot be written. */
function diffDrivers(): Promise<string | null> {
  driversFile ??= (async () => {
    try {
      const dir = await mkdtemp(path.join(tmpdir(), 'codeworm-attr-'));
      const file = path.join(dir, 'attributes');
      await writeFile(file, DIFF_DRIVERS);
      return file;
    } catch {
      return null;
    }
  })();
  return driversFile;
}

export async function fileDiff(root: string, commit: string, relPath: string): Promise<string> {
  try {
    const attrs = await diffDrivers();
    return await simpleGit({ baseDir: root }).raw([...(attrs ? ['-c', `core.attributesFile=${attrs}`] : []), 'show', '--relative', '--format=', '--no-color', '--unified=3', commit, '--', relPath]);
  } catch {
    return '';
  }
}

/** (commit, path) → whether that change was formatting only; commits never change, so it is kept (bounded). */
const reformatCache = new Map<string, boolean>();
const REFORMAT_CACHE_MAX = 5000;

/**
 * Mark the changes a code_evolution page would be written about — per file, its newest changes
 * that `meaningful` accepts, up to `perFile` of them — whose diff is formatting only
 * (`reformatOnly(diff)`, e.g. the static provider's reading of a diff), so the finder passes over
 * them to the file's last change in behaviour. One `git show` per change examined, remembered
 * per (commit, path). Mutates `changes` (sets `reformat`).
 */
export async function markReformats(root: string, changes: FileChange[], meaningful: (c: FileChange) => boolean, reformatOnly: (diff: string) => boolean, perFile = 3): Promise<void> {
  const examined = new Map<string, number>();
  for (const c of changes) {
    if (!meaningful(c)) continue;
    const n = examined.get(c.path) ?? 0;
    if (n >= perFile) continue;
    const key = `${root}\0${c.commit}\0${c.path}`;
    let reformat = reformatCache.get(key);
    if (reformat === undefined) {
      const diff = await fileDiff(root, c.commit, c.path);
      reformat = diff !== '' && reformatOnly(diff);
      if (reformatCache.size >= REFORMAT_CACHE_MAX) reformatCache.delete(reformatCache.keys().next().value!);
      reformatCache.set(key, reformat);
    }
    c.reformat = reformat;
    // a change in behaviour found: older changes of this file are never chosen
    examined.set(c.path, reformat ? n + 1 : perFile);
  }
}
