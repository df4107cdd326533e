/**
 * DevLog page → HTML that is safe to insert into the dashboard. Page bodies are LLM output and
 * therefore untrusted: Markdown is rendered by `marked`, then every tag and attribute outside a
 * small allow-list is removed by js-xss (`xss`). What survives: headings, paragraphs, lists,
 * code, tables, quotes, emphasis and links to http(s)/mailto/#anchors. No script or style
 * element, no event handler, no `javascript:`/`data:` URL, no image, no form, no iframe. The
 * page's HTML identity comment is dropped with all other comments.
 */
import { Marked } from 'marked';
import { FilterXSS, type IWhiteList } from 'xss';

const marked = new Marked({ gfm: true, breaks: false, async: false });

const ALLOWED: IWhiteList = {
  a: ['href', 'title'],
  p: [],
  br: [],
  hr: [],
  h1: [],
  h2: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  strong: [],
  b: [],
  em: [],
  i: [],
  del: [],
  s: [],
  code: ['class'],
  pre: [],
  blockquote: [],
  ul: [],
  ol: ['start'],
  li: [],
  input: ['type', 'checked', 'disabled'], // GFM task lists
  table: [],
  thead: [],
  tbody: [],
  tr: [],
  th: ['align'],
  td: ['align'],
  sup: [],
  sub: [],
  details: [],
  summary: [],
  kbd: [],
};

/** http(s), mailto and in-page anchors only; everything else (javascript:, data:, relative) is dropped. */
export function isSafeHref(value: string): boolean {
  // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:").
  // eslint-disable-next-line no-control-regex
  const v = value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
  return v.startsWith('https://') || v.startsWith('http://') || v.startsWith('mailto:') || /^#[\w-]*$/.test(v);
}

const attr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const filter = new FilterXSS({
  whiteList: ALLOWED,
  stripIgnoreTag: true,
  stripIgnoreTagBody: ['script', 'style', 'iframe', 'object', 'embed', 'template', 'noscript', 'svg', 'math'],
  allowCommentTag: false,
  css: false,
  onTagAttr(tag, name, value) {
    if (tag === 'a' && name === 'href') {
      const unescaped = value.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'");
      return isSafeHref(unescaped) ? `href="${attr(unescaped.trim())}"` : '';
    }
    if (tag === 'input' && name === 'type') return value === 'checkbox' ? 'type="checkbox"' : '';
    if (tag === 'code' && name === 'class') {
      return /^language-[\w+#.-]{1,40}$/.test(value) ? `class="${value}"` : '';
    }
    return undefined; // the allow-list and js-xss's escaping decide
  },
});

/** Sanitise an HTML fragment with the dashboard's allow-list (see the module comment). */
export function sanitizeHtml(html: string): string {
  return filter.process(html);
}

/**
 * The page header (`**Type:** …`, `**Repository:** …`, one per line, SPEC section 3) would
 * run together into one paragraph; a Markdown hard break keeps one field per line.
 */
function keepHeaderLines(markdown: string): string {
  const end = markdown.search(/^---\s*$/m);
  const head = end < 0 ? markdown : markdown.slice(0, end);
  const fixed = head.replace(/^(\*\*[^*\n]{1,40}:\*\*[^\n]*?)[ \t]*\n(?=\*\*[^*\n]{1,40}:\*\*)/gm, '$1  \n');
  return end < 0 ? fixed : fixed + markdown.slice(end);
}

/**
 * Render one DevLog page (Markdown, possibly containing raw HTML written by an LLM) to
 * sanitised HTML.
 */
export function renderPage(markdown: string): string {
  const html = marked.parse(keepHeaderLines(markdown)) as string;
  return sanitizeHtml(html);
}
