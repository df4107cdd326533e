/**
 * Finding a page's file for `GET /api/docs/:id`. The id is only ever a database key: the path
 * comes from `documented_snippets.snippet_path` and must resolve, after following symlinks, to a
 * Markdown file inside the DevLog (and outside its `.git`). Anything else is "not found".
 */
import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import path from 'node:path';
import { DEVLOG_FOLDERS } from '../core/doctypes.ts';

/** Largest page the dashboard will read and render (bytes). */
export const MAX_PAGE_BYTES = 2 * 1024 * 1024;

/** Why a page cannot be served; the HTTP layer maps every reason to 404. */
export class PageNotServable extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'PageNotServable';
  }
}

/** First path segments of the DevLog's folders (`snippets`, `classes`, `reviews`, …). */
const TOP_FOLDERS = new Set(DEVLOG_FOLDERS.map((f) => f.split('/')[0]));

/**
 * Where a stored `snippet_path` may point inside the DevLog: as written (relative to the DevLog,
 * or absolute), and, for an absolute path from a DevLog that has since moved, the part from its
 * first DevLog folder on (`/old/devlog/snippets/python/x.md` → `snippets/python/x.md`).
 */
function candidates(snippetPath: string): string[] {
  const out = [snippetPath];
  const parts = snippetPath.split(/[\\/]/);
  const at = parts.findIndex((p) => TOP_FOLDERS.has(p));
  if (at > 0) out.push(parts.slice(at).join('/'));
  return out;
}

async function readInside(root: string, snippetPath: string): Promise<string> {
  let real: string;
  try {
    real = await realpath(path.resolve(root, snippetPath));
  } catch {
    throw new PageNotServable('page file missing');
  }
  const rel = path.relative(root, real);
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) throw new PageNotServable('outside the DevLog');
  if (rel.split(path.sep).includes('.git')) throw new PageNotServable('inside .git');
  if (path.extname(real).toLowerCase() !== '.md') throw new PageNotServable('not a Markdown page');
  // O_NONBLOCK: a FIFO named *.md opens at once (and is refused below) instead of blocking a pool thread
  const fh = await open(real, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new PageNotServable('not a regular file');
    if (st.size > MAX_PAGE_BYTES) throw new PageNotServable('page too large');
    return await fh.readFile({ encoding: 'utf8' });
  } finally {
    await fh.close();
  }
}

/**
 * Read the page at `snippetPath` (relative to `devlogRoot`, or absolute inside it; an absolute
 * path of a moved DevLog is also tried from its first DevLog folder on). Every candidate must
 * pass the same checks after symlinks are resolved.
 * @returns the file's text (UTF-8).
 * @throws PageNotServable when the path escapes the DevLog (`..`, an absolute path elsewhere,
 *   a symlink pointing out), is not a `.md` regular file, lies under `.git`, is missing or is
 *   larger than {@link MAX_PAGE_BYTES}.
 */
export async function readDevlogPage(devlogRoot: string, snippetPath: string): Promise<string> {
  if (typeof snippetPath !== 'string' || snippetPath.length === 0 || snippetPath.includes('\0')) {
    throw new PageNotServable('empty or malformed snippet_path');
  }
  let root: string;
  try {
    root = await realpath(devlogRoot);
  } catch {
    throw new PageNotServable('DevLog folder does not exist');
  }
  let first: unknown;
  for (const c of candidates(snippetPath)) {
    try {
      return await readInside(root, c);
    } catch (err) {
      first ??= err;
    }
  }
  throw first;
}
