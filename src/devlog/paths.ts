/**
 * Where a page goes in the DevLog (SPEC section 3): the doc type's folder
 * (`snippets/<language>/` for function docs), file name `YYYY-MM-DD_<slug>.md`, and a numeric
 * suffix (`-2`, `-3`, …) instead of ever overwriting an existing page.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import type { DocType } from '../config/schema.ts';
import { DOC_TYPE_INFO } from '../core/doctypes.ts';
import { languageById } from '../languages/registry.ts';

/**
 * Longest slug. A qualified name up to this length is kept whole (a nested
 * `Class.method.inner` keeps its last part); a longer one is cut and given a hash of the whole
 * name, so two long names that share a prefix never share a file name.
 */
export const MAX_SLUG_LENGTH = 100;

/** Hex digits of the name's hash appended to a cut slug. */
const SLUG_HASH_LENGTH = 8;

/**
 * Slug of a display name: lower-cased, accents dropped, every run of characters other than
 * `a-z0-9` turned into one `-`, trimmed of `-`. A slug longer than `maxLength` is cut at a `-`
 * (a single long word at the limit) to leave room for `-<8 hex of sha1(displayName)>`, so the
 * result is at most `maxLength` characters and distinct long names stay distinct. Empty names
 * give `page`.
 */
export function slugify(displayName: string, maxLength = MAX_SLUG_LENGTH): string {
  let slug = displayName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length > maxLength) {
    const room = maxLength - SLUG_HASH_LENGTH - 1;
    let head = slug.slice(0, room);
    if (slug[room] !== '-') {
      const cut = head.lastIndexOf('-');
      if (cut > 0) head = head.slice(0, cut);
    }
    const hash = createHash('sha1').update(displayName).digest('hex').slice(0, SLUG_HASH_LENGTH);
    slug = `${head.replace(/-+$/, '')}-${hash}`;
  }
  return slug === '' ? 'page' : slug;
}

/**
 * The folder of a doc type inside the DevLog, POSIX-style (`snippets/python`, `reviews/security`).
 * A registered language's folder is its descriptor's `devlogFolder`; another name is slugified
 * so it is always a safe single folder name.
 */
export function docFolder(docType: DocType, language: string): string {
  const lang = languageById(language)?.devlogFolder ?? slugify(language || 'unknown');
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
