/**
 * Cleaning of LLM answers before they become a page body: models wrap the answer in a code
 * fence, open with "Here is the documentation:", repeat the page title as a heading and close
 * with "Let me know if…". Code blocks inside the body are kept byte for byte.
 */

export interface CleanOptions {
  /** The page's display name (`Class.method`): a leading heading that only repeats it goes. */
  title?: string;
  /** The doc type's label (`Performance Analysis`): likewise. */
  label?: string;
}

const FENCE = /^\s{0,3}(`{3,}|~{3,})\s*([\w+-]*)\s*$/;
/** Wrapper fences whose content is the Markdown answer itself (not a code answer). */
const WRAPPER_LANGS = new Set(['', 'markdown', 'md', 'text', 'plaintext', 'txt']);

const PREAMBLE =
  /^\s*(?:(?:sure|certainly|absolutely|of course|okay|ok|great)\b[^\n]*?[!.,:]\s*)?(?:here(?:'s| is| are)|below is|below are|the following is)\b[^\n]*[:.]\s*$/i;
const BARE_ACK = /^\s*(?:sure|certainly|absolutely|of course|okay|ok|great)\s*[!.,]?\s*$/i;
const CHATTER =
  /^\s*(?:let me know\b|i hope (?:this|that)\b|hope (?:this|that) helps\b|feel free to\b|if you (?:have|need) any\b|please let me know\b|is there anything else\b|would you like me to\b|happy to help\b|i can also\b)/i;
const FILLER = /\b(?:of|for|the|a|an|on|in|to|and|function|method|class|code|snippet|file|module)\b/gi;

/** Lines of `text` with, for each, whether it sits inside a fenced code block (fence lines count as inside). */
function fenceMap(lines: string[]): boolean[] {
  const inside: boolean[] = [];
  let open: string | null = null;
  for (const line of lines) {
    const m = FENCE.exec(line);
    if (open === null) {
      if (m) {
        open = m[1][0].repeat(m[1].length);
        inside.push(true);
      } else inside.push(false);
    } else {
      inside.push(true);
      if (m && m[1][0] === open[0] && m[1].length >= open.length && m[2] === '') open = null;
    }
  }
  return inside;
}

/**
 * Remove one fence wrapping the whole answer. Models nest fences inside the wrapper
 * (```` ```markdown ```` … ```` ```python ```` … ```` ``` ```` … ```` ``` ````), so an inner fence with an info
 * string counts as opening a nested block; the wrapper is only removed when the fence opened on
 * the first line closes on the last one.
 */
function unwrapFence(text: string): string {
  const lines = text.split('\n');
  if (lines.length < 2) return text;
  const first = FENCE.exec(lines[0]);
  if (!first || !WRAPPER_LANGS.has(first[2].toLowerCase())) return text;
  const marker = first[1][0];
  let depth = 1;
  for (let i = 1; i < lines.length; i++) {
    const m = FENCE.exec(lines[i]);
    if (!m || m[1][0] !== marker) continue;
    if (m[2] !== '') depth++;
    else depth--;
    if (depth === 0) return i === lines.length - 1 ? lines.slice(1, -1).join('\n') : text;
  }
  return text;
}

function normaliseHeading(s: string): string {
  return s
    .replace(/[`*_"'“”:()\-–—.,!?]/g, ' ')
    .replace(FILLER, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** Whether a heading only repeats the title and/or label ("Performance Analysis of `X`"). */
function isDuplicateHeading(heading: string, opts: CleanOptions): boolean {
  let rest = ` ${heading.toLowerCase()} `;
  for (const s of [opts.title, opts.label, 'documentation', 'overview', 'analysis', 'review']) {
    if (s) rest = rest.split(s.toLowerCase()).join(' ');
  }
  return normaliseHeading(rest) === '';
}

/**
 * Clean an LLM answer into a page body.
 *
 * Steps: CRLF → LF; a code fence wrapping the whole answer (```` ```markdown ````, bare, or
 * `text`) is removed; "Here is …:" / "Sure! Here's …:" preamble lines go; a leading H1 goes,
 * and a leading H2/H3 that only repeats `opts.title` / `opts.label`; trailing chatter
 * paragraphs ("Let me know if…", "I hope this helps") and trailing `---` rules go; outside
 * code blocks trailing spaces are trimmed and blank-line runs collapse to one. Text inside
 * code blocks is unchanged. Returns '' when nothing is left.
 */
export function cleanGeneratedText(text: string, opts: CleanOptions = {}): string {
  let lines = text.replace(/\r\n?/g, '\n').replace(/^\uFEFF/, '').trim().split('\n');

  // Preamble, trailing chatter and a wrapper fence come in any combination
  // ("Here is …:" + ```markdown … ``` + "Let me know…"): peel until nothing changes.
  for (let round = 0; round < 4; round++) {
    const before = lines.join('\n');
    lines = stripPreamble(lines);
    lines = stripChatter(lines);
    lines = unwrapFence(lines.join('\n').trim()).split('\n');
    if (lines.join('\n') === before) break;
  }

  // Leading duplicated title.
  const head = /^\s{0,3}(#{1,3})\s+(.*?)\s*#*\s*$/.exec(lines[0] ?? '');
  if (head && (head[1] === '#' || isDuplicateHeading(head[2], opts))) {
    lines.shift();
    while (lines.length > 0 && lines[0].trim() === '') lines.shift();
  }

  // Whitespace outside code blocks.
  const map = fenceMap(lines);
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (map[i]) {
      out.push(lines[i]);
      continue;
    }
    const l = lines[i].replace(/[ \t]+$/, '');
    if (l === '' && out.length > 0 && out[out.length - 1] === '' && !map[i - 1]) continue;
    out.push(l);
  }
  return out.join('\n').trim();
}

/** Acknowledgement and/or "Here is …:" lines before the content. */
function stripPreamble(input: string[]): string[] {
  const lines = [...input];
  while (lines.length > 0 && lines[0].trim() === '') lines.shift();
  for (let guard = 0; guard < 3 && lines.length > 0; guard++) {
    const l = lines[0];
    if (!((PREAMBLE.test(l) || BARE_ACK.test(l)) && l.length < 200)) break;
    lines.shift();
    while (lines.length > 0 && lines[0].trim() === '') lines.shift();
  }
  return lines;
}

/**
 * Trailing chatter paragraphs and horizontal rules. A paragraph counts only when it holds no
 * fence line and sits outside any code block (nesting-aware, as in `unwrapFence`).
 */
function stripChatter(input: string[]): string[] {
  let lines = [...input];
  for (;;) {
    while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
    if (lines.length === 0) return lines;
    // The last paragraph: back to a blank line or to a fence line (chatter often follows ``` directly).
    let start = lines.length - 1;
    while (start > 0 && lines[start - 1].trim() !== '' && !FENCE.test(lines[start - 1])) start--;
    const para = lines.slice(start);
    if (para.some((l) => FENCE.test(l)) || fenceDepth(lines, start) !== 0) return lines;
    const text = para.join(' ');
    if (CHATTER.test(text) || /^\s*(?:-{3,}|\*{3,}|_{3,})\s*$/.test(text)) lines = lines.slice(0, start);
    else return lines;
  }
}

/** Open code blocks before line `end`: a fence with an info string opens, a bare one closes (or opens at depth 0). */
function fenceDepth(lines: string[], end: number): number {
  let depth = 0;
  for (let i = 0; i < end; i++) {
    const m = FENCE.exec(lines[i]);
    if (!m) continue;
    if (m[2] !== '') depth++;
    else depth = depth > 0 ? depth - 1 : 1;
  }
  return depth;
}
