/**
 * Where a page goes in the DevLog (SPEC section 3): the doc type's folder
 * (`snippets/<language>/` for function docs), file name `YYYY-MM-DD_<slug>.md`, and a numeric
 * suffix (`-2`, `-3`, …) instead of ever overwriting an existing page.
 */
import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import type { DocType } from '../config/schema.ts';
import { DOC_TYPE_INFO } from '../core/doctypes.ts';

/** Longest slug; longer ones are cut at a `-` (SPEC section 3). */
export const MAX_SLUG_LENGTH = 40;

/**
 * Slug of a display name: lower-cased, accents dropped, every run of characters other than
 * `a-z0-9` turned into one `-`, trimmed of `-`, at most 40 characters cut at a `-` (a single
 * word longer than 40 is cut at 40). Empty names give `page`.
 */
export function slugify(displayName: string, maxLength = MAX_SLUG_LENGTH): string {
  let slug = displayName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length > maxLength) {
    const head = slug.slice(0, maxLength);
    if (slug[maxLength] === '-') slug = head;
    else {
      const cut = head.lastIndexOf('-');
      slug = cut > 0 ? head.slice(0, cut) : head;
    }
    slug = slug.replace(/-+$/, '');
  }
  return slug === '' ? 'page' : slug;
}

/**
 * The folder of a doc type inside the DevLog, POSIX-style (`snippets/python`, `reviews/security`).
 * The language is slugified so it is always a safe single folder name.
 */
export function docFolder(docType: DocType, language: string): string {
  const lang = slugify(language || 'unknown');
  return DOC_TYPE_INFO[docType].folder.replace('{language}', lang);
}

/** `YYYY-MM-DD` in local time. */
export function localDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** `YYYY-MM-DD_<slug>.md`, with `-N` before `.md` when `suffix` ≥ 2. */
export function pageFileName(displayName: string, date: Date, suffix = 1): string {
  return `${localDate(date)}_${slugify(displayName)}${suffix >= 2 ? `-${suffix}` : ''}.md`;
}

/** The page's path relative to the DevLog root, POSIX separators, without a suffix. */
export function pageRelPath(docType: DocType, language: string, displayName: string, date: Date): string {
  return `${docFolder(docType, language)}/${pageFileName(displayName, date)}`;
}

/** `dir/name.md` → `dir/name-N.md`. */
export function withSuffix(relPath: string, n: number): string {
  return n < 2 ? relPath : relPath.replace(/(\.md)?$/, (ext) => `-${n}${ext}`);
}

/** Most suffixes tried before giving up; far beyond any real day's pages of one name. */
const MAX_SUFFIX = 1000;

/**
 * Write `content` at `root/relPath` with exclusive create (`wx`), so an existing page is never
 * overwritten: when the name is taken, `-2`, `-3`, … are tried. Creates the folder.
 * @returns the relative path actually written (POSIX separators).
 * @throws the fs error for anything other than "exists" (permissions, disk full), or an Error
 *   when 1000 names are taken.
 */
export async function writePageExclusive(root: string, relPath: string, content: string): Promise<string> {
  await mkdir(path.join(root, path.dirname(relPath)), { recursive: true });
  for (let n = 1; n <= MAX_SUFFIX; n++) {
    const candidate = withSuffix(relPath, n);
    let handle;
    try {
      handle = await open(path.join(root, candidate), 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw err;
    }
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } catch (err) {
      // a half-written page must not stay behind (disk full, I/O error)
      await handle.close();
      await rm(path.join(root, candidate), { force: true });
      throw err;
    }
    await handle.close();
    return candidate;
  }
  throw new Error(`${relPath}: ${MAX_SUFFIX} pages of this name already exist in ${root}`);
}
