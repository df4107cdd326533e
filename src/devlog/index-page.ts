/**
 * The DevLog's README as an index (issue 12, item 6): counts by doc type and by repository and
 * the latest pages with links relative to the README, so the DevLog reads well on a git host.
 * Rewritten and committed together with each page. Pure: data in, Markdown out.
 */
import { DOC_TYPES, type DocType } from '../config/schema.ts';
import { DOC_TYPE_INFO } from '../core/doctypes.ts';
import type { IndexData, IndexPage } from '../state/devlog-index.ts';
import { footerTime } from './render.ts';

/** The README's path inside the DevLog. */
export const INDEX_PATH = 'README.md';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

/** A link target relative to the DevLog root, or null for a path outside it (an absolute path of the original). */
function relativeLink(snippetPath: string, root: string): string | null {
  let p = snippetPath.replace(/\\/g, '/');
  const r = root.replace(/\\/g, '/').replace(/\/+$/, '');
  if (r && p.startsWith(`${r}/`)) p = p.slice(r.length + 1);
  if (p.startsWith('/') || p.split('/').includes('..')) return null;
  return p.split('/').map(encodeURIComponent).join('/');
}

function label(docType: string): string {
  return (DOC_TYPES as readonly string[]).includes(docType) ? DOC_TYPE_INFO[docType as DocType].label : docType;
}

/** The folder a doc type's pages are in, for the link of its row (`snippets/` for function docs). */
function folderOf(docType: string): string | null {
  if (!(DOC_TYPES as readonly string[]).includes(docType)) return null;
  return `${DOC_TYPE_INFO[docType as DocType].folder.replace(/\/\{language\}$/, '')}/`;
}

/**
 * Render the index.
 * @param data counts and the latest pages (`devlogIndexData`), the new page included
 * @param root the DevLog's absolute path (to turn stored absolute paths into relative links)
 * @param at when the index was written (UTC in the text, like page footers)
 */
export function renderDevlogIndex(data: IndexData, root: string, at: Date): string {
  const out = [
    '# DevLog',
    '',
    'Pages CodeWorm wrote about source code: function and class docs, file and module overviews, security, performance and async reviews, TIL notes, code evolution, design patterns, weekly and monthly summaries. This index is rewritten with every page.',
    '',
    `**${data.total} page${data.total === 1 ? '' : 's'}** · updated ${footerTime(at)}`,
    '',
    '## By doc type',
    '',
    '| Doc type | Pages | Folder |',
    '|---|---:|---|',
  ];
  for (const [t, n] of Object.entries(data.byDocType).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
    const folder = folderOf(t);
    out.push(`| ${cell(label(t))} | ${n} | ${folder ? `[${folder}](${folder})` : '—'} |`);
  }
  out.push('', '## By repository', '', '| Repository | Pages |', '|---|---:|');
  for (const [r, n] of Object.entries(data.byRepo).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) out.push(`| ${cell(r)} | ${n} |`);
  out.push('', '## Latest pages', '', '| Date | Page | Type | Repository |', '|---|---|---|---|');
  for (const p of data.latest) {
    const link = relativeLink(p.snippetPath, root);
    const title = cell(p.title).replace(/([[\]])/g, '\\$1');
    out.push(`| ${p.documentedAt.slice(0, 10)} | ${link ? `[${title}](${link})` : title} | ${cell(label(p.docType))} | ${cell(p.repo)} |`);
  }
  return `${out.join('\n')}\n`;
}

/** `data` with one more page (the one being committed, not yet in the database) counted and listed first. */
export function withNewPage(data: IndexData, page: IndexPage, limit = 20): IndexData {
  return {
    total: data.total + 1,
    byDocType: { ...data.byDocType, [page.docType]: (data.byDocType[page.docType] ?? 0) + 1 },
    byRepo: { ...data.byRepo, [page.repo]: (data.byRepo[page.repo] ?? 0) + 1 },
    latest: [page, ...data.latest].slice(0, limit),
  };
}
