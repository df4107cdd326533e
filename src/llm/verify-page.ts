/**
 * Checking a DevLog page against its code, as `codeworm verify` does (issue 12, item 5): every
 * page CodeWorm writes — function, class, file and module pages, reviews, TILs, code evolution
 * (a diff), pattern analyses, summaries and async reports (plain text) — gives a verdict, never
 * "unknown language".
 *
 * What counts as the code:
 * - code pages: lines a-b of the file the header names (with a repository), plus the decorator
 *   lines right above line a (the page's range starts at `def`/`class`, its decorators belong
 *   to it); without a repository, the page's Source Code block.
 * - diff pages (`Language: diff`): the diff on the page plus, with a repository, the file.
 * - summaries and async reports (`Language: text`, `File: .`): the page's data block.
 * With a repository, every repository file the page names (a module listing, a report's
 * findings, a location) adds its identifiers to the context, and the page's references (commit
 * hashes, caller and test locations) are looked up in git and in the files.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import type { LanguageId } from '../index/types.ts';
import { languageByExtension, languageByName } from '../languages/registry.ts';
import { parsePage, type ParsedPage } from '../devlog/render.ts';
import { readRegularFile } from '../devlog/safe-read.ts';
import { checkGrounding, type GroundingResult } from './grounding.ts';
import type { PageLanguage } from './grounding-lexicon.ts';
import { checkLocation, type PageReference } from './page-references.ts';

/** A page that cannot be checked: the message names the part (exit code 2 in the CLI). */
export class VerifyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerifyInputError';
  }
}

/** The code language of a page: its `Language:` field, else its `File:` extension; null for text pages. */
export function codeLanguageOf(page: Pick<ParsedPage, 'language' | 'file'>): LanguageId | null {
  return (languageByName(page.language) ?? languageByExtension(path.extname(page.file).toLowerCase()))?.id ?? null;
}

/** What kind of code a page shows: parseable code, a diff, or text (summaries, reports). */
export function pageKind(page: Pick<ParsedPage, 'language' | 'file'>): 'code' | 'diff' | 'text' {
  const lang = page.language.trim().toLowerCase();
  if (lang === 'diff' || lang === 'patch') return 'diff';
  if (languageByName(lang)) return 'code';
  if (lang === 'text' || lang === 'markdown' || lang === 'md' || lang === 'json' || page.file === '.' || page.file === '') return 'text';
  return languageByExtension(path.extname(page.file).toLowerCase()) ? 'code' : 'text';
}

/** Read a repository file, or null when it does not exist or lies outside the root. */
async function repoFile(root: string, rel: string): Promise<string | null> {
  const abs = path.resolve(root, rel);
  if (abs !== root && !abs.startsWith(root + path.sep)) return null;
  try {
    return await readRegularFile(abs); // a FIFO or a huge file in a hostile repository is refused, not waited on
  } catch {
    return null;
  }
}

/**
 * The decorator lines right above `start` (1-based): `@name(…)` lines at the definition's
 * indentation and their continuation lines, as the page's own range leaves them out.
 * Returns the 1-based first line of the decorators (== start when there are none).
 */
export function decoratorStart(lines: string[], start: number): number {
  const def = lines[start - 1];
  if (def === undefined) return start;
  const indent = def.length - def.trimStart().length;
  let top = start;
  for (let i = start - 2; i >= 0; i--) {
    const l = lines[i];
    if (l.trim() === '') break;
    const ind = l.length - l.trimStart().length;
    if (ind < indent) break;
    if (ind === indent) {
      if (l.trimStart().startsWith('@')) top = i + 1;
      else if (!/^[)\]}]/.test(l.trimStart())) break;
    }
  }
  return top;
}

/** Repository-relative paths of existing files the page names in code spans or plain text. */
async function namedFiles(root: string, markdown: string): Promise<string[]> {
  const out = new Set<string>();
  for (const m of markdown.matchAll(/(?<![\w./-])((?:[\w.-]+\/)*[\w.-]+\.(?:py|pyi|ts|tsx|mts|cts|js|jsx|mjs|cjs|go|rs))(?::\d+)?(?![\w/-])/g)) {
    const rel = m[1];
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    out.add(rel);
  }
  const found: string[] = [];
  for (const rel of out) if ((await repoFile(root, rel)) !== null) found.push(rel);
  return found.sort();
}

export interface VerifyOptions {
  /** The repository the page is about; without it the page's own Source Code block is the code. */
  repo?: string;
}

export interface VerifyOutcome {
  result: GroundingResult;
  /** Remarks for the user (a cut source checked without a repository, references not checked). */
  notes: string[];
  page: ParsedPage;
}

/**
 * Check one page.
 * @throws VerifyInputError when the text is not a CodeWorm page, or the page's file lies outside
 *   the repository, or its line range is beyond the file's end
 */
export async function verifyPage(markdown: string, opts: VerifyOptions = {}): Promise<VerifyOutcome> {
  let page: ParsedPage;
  try {
    page = parsePage(markdown);
  } catch (err) {
    throw new VerifyInputError(`not a CodeWorm page: ${(err as Error).message}`);
  }
  const notes: string[] = [];
  const kind = pageKind(page);
  const language: PageLanguage = kind === 'code' ? (codeLanguageOf(page) as LanguageId) : 'text';
  const root = opts.repo ? path.resolve(opts.repo) : null;
  const context: string[] = [];
  let source = page.source;

  if (root && page.file !== '.' && page.file !== '') {
    const abs = path.resolve(root, page.file);
    if (abs !== root && !abs.startsWith(root + path.sep)) throw new VerifyInputError(`the page's file ${page.file} lies outside the repository ${root}`);
    const text = await repoFile(root, page.file);
    if (text === null) throw new VerifyInputError(`cannot read source file ${abs}: no such file`);
    const all = text.split('\n');
    if (page.lines.start > all.length) throw new VerifyInputError(`the page says lines ${page.lines.start}-${page.lines.end}, but ${page.file} has ${all.length} lines`);
    if (kind === 'code' && page.lines.start >= 1) {
      source = all.slice(page.lines.start - 1, page.lines.end).join('\n');
      const top = decoratorStart(all, page.lines.start);
      if (top < page.lines.start) context.push(all.slice(top - 1, page.lines.start - 1).join('\n'));
    } else {
      // a diff or text page about a file: the file's identifiers are its context
      context.push(text);
    }
  } else if (!root && page.omittedLines > 0) {
    notes.push(`the page shows a cut source (${page.omittedLines} lines left out); pass --repo PATH to check against the whole code`);
  }
  if (kind !== 'code') context.push(page.source);

  let resolveReference: ((ref: PageReference) => Promise<string | null>) | undefined;
  if (root) {
    // A module page is about its directory: every source file directly in it is its code.
    if (page.docType === 'module_doc' && page.file !== '.') {
      const dir = path.posix.dirname(page.file);
      for (const name of await readdir(path.resolve(root, dir)).catch(() => [] as string[])) {
        if (!languageByExtension(path.extname(name).toLowerCase())) continue;
        const text = await repoFile(root, path.posix.join(dir, name));
        if (text !== null) context.push(text);
      }
    }
    for (const rel of await namedFiles(root, page.body)) {
      const text = await repoFile(root, rel);
      if (text !== null) context.push(text);
    }
    const git = simpleGit({ baseDir: root });
    const commits = new Map<string, string | null>();
    const files = new Map<string, string | null>();
    resolveReference = async (ref) => {
      if (ref.kind === 'commit') {
        if (!commits.has(ref.hash)) {
          const ok = await git.raw(['cat-file', '-e', `${ref.hash}^{commit}`]).then(
            () => true,
            () => false,
          );
          commits.set(ref.hash, ok ? null : `no commit ${ref.hash} in ${root}`);
        }
        return commits.get(ref.hash) ?? null;
      }
      if (!files.has(ref.file)) files.set(ref.file, await repoFile(root, ref.file));
      return checkLocation(ref, files.get(ref.file) ?? null);
    };
  }

  const result = await checkGrounding({ markdown, source, language, context, resolveReference });
  if (!root && (result.references?.found ?? 0) > 0) notes.push('commit hashes and caller/test locations were not looked up; pass --repo PATH to check them');
  return { result, notes, page };
}
