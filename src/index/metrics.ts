/**
 * Counting helpers shared by the language modules: one regex pass over a file's text (no tree
 * walk, which would cost half a parse in web-tree-sitter) gives the lines that hold code (for
 * nloc) and the token positions, so each function's nloc and token count are O(log n) look-ups.
 */
import type { Node } from 'web-tree-sitter';

/** Per-file token and line profile. */
export interface FileProfile {
  /** Number of lines of the file (a trailing newline does not open a new line). */
  lines: number;
  /** Lines holding at least one non-comment token. */
  nloc: number;
  /** Offset (JS string index) where each 0-based row starts. */
  lineStarts: number[];
  /** prefix[r] = number of code lines among rows 0..r-1. */
  codePrefix: Int32Array;
  /** Start offsets of every non-comment lexical token, in source order. */
  tokenStarts: Int32Array;
  tokenCount: number;
}

/**
 * A lexer for token and code-line counting: a global regex whose first capture group matches a
 * comment (skipped); every other match is one token. A string literal is one token, an
 * identifier or number one token, any other non-space character one token. Identifiers
 * take letters beyond ASCII but not the byte-order mark U+FEFF.
 */
export type Lexer = RegExp;

/** Python: `#` comments, prefixed and triple-quoted strings. */
export const PYTHON_LEXER: Lexer =
  /(#[^\n]*)|[rRbBuUfF]{0,2}(?:"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\[\s\S]|[^"\\\n])*"|'(?:\\[\s\S]|[^'\\\n])*')|[A-Za-z_\u00C0-\uFEFE\uFF00-\uFFFF][\w\u00C0-\uFEFE\uFF00-\uFFFF]*|\d[\w.]*|\S/g;

/** C family (JS, TS, Go): line and block comments, quoted strings, template / raw strings. */
export const C_LEXER: Lexer =
  /(\/\/[^\n]*|\/\*[\s\S]*?\*\/)|"(?:\\[\s\S]|[^"\\\n])*"|'(?:\\[\s\S]|[^'\\\n])*'|`(?:\\[\s\S]|[^`\\])*`|[A-Za-z_$\u00C0-\uFEFE\uFF00-\uFFFF][\w$\u00C0-\uFEFE\uFF00-\uFFFF]*|\d[\w.]*|\S/g;

/** Rust: comments, multi-line and raw strings, one-character char literals (not lifetimes). */
export const RUST_LEXER: Lexer =
  /(\/\/[^\n]*|\/\*[\s\S]*?\*\/)|b?r(#*)"[\s\S]*?"\2|b?"(?:\\[\s\S]|[^"\\])*"|b?'(?:\\[^'\n]+|[^'\\\n])'|[A-Za-z_\u00C0-\uFEFE\uFF00-\uFFFF][\w\u00C0-\uFEFE\uFF00-\uFFFF]*|\d[\w.]*|\S/g;

/** 0-based row start offsets of `source` (handles `\n` and `\r\n`). */
export function lineStartsOf(source: string): number[] {
  const starts = [0];
  let i = source.indexOf('\n');
  while (i !== -1) {
    starts.push(i + 1);
    i = source.indexOf('\n', i + 1);
  }
  return starts;
}

/** Number of lines as editors count them: `a\nb\n` has 2, `a\nb` has 2, `` has 0. */
export function countLines(source: string, lineStarts = lineStartsOf(source)): number {
  if (source.length === 0) return 0;
  return source.endsWith('\n') ? lineStarts.length - 1 : lineStarts.length;
}

/**
 * Scan `source` once with `lexer` and record code lines and token starts. A line is code when
 * a non-comment token touches it (a multi-line string marks all its lines).
 */
export function buildProfile(source: string, lexer: Lexer): FileProfile {
  const lineStarts = lineStartsOf(source);
  const lines = countLines(source, lineStarts);
  const rows = lineStarts.length;
  const code = new Uint8Array(rows + 1);
  let tokenStarts = new Int32Array(Math.max(64, source.length >> 2));
  let tokenCount = 0;
  const re = new RegExp(lexer.source, 'g');
  let row = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(source)) !== null) {
    if (m[1] !== undefined) continue;
    const start = m.index;
    if (tokenCount === tokenStarts.length) {
      const grown = new Int32Array(tokenStarts.length * 2);
      grown.set(tokenStarts);
      tokenStarts = grown;
    }
    tokenStarts[tokenCount++] = start;
    while (row + 1 < rows && lineStarts[row + 1] <= start) row++;
    code[row] = 1;
    const last = start + m[0].length - 1;
    if (row + 1 < rows && last >= lineStarts[row + 1]) {
      let r = row;
      while (r + 1 < rows && lineStarts[r + 1] <= last) code[++r] = 1;
    }
  }
  const codePrefix = new Int32Array(rows + 1);
  for (let r = 0; r < rows; r++) codePrefix[r + 1] = codePrefix[r] + code[r];
  return { lines, nloc: codePrefix[rows], lineStarts, codePrefix, tokenStarts, tokenCount };
}

let cached: { source: string; lexer: Lexer; profile: FileProfile } | null = null;

/** The profile of a file, memoised for the last source so extraction and callers share it. */
export function profileOf(source: string, lexer: Lexer): FileProfile {
  if (cached && cached.lexer === lexer && cached.source === source) return cached.profile;
  const profile = buildProfile(source, lexer);
  cached = { source, lexer, profile };
  return profile;
}

function lowerBound(a: Int32Array, n: number, value: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Non-comment tokens whose start lies in [start, end) (JS string offsets). */
export function tokensBetween(p: FileProfile, start: number, end: number): number {
  return lowerBound(p.tokenStarts, p.tokenCount, end) - lowerBound(p.tokenStarts, p.tokenCount, start);
}

/** Code lines among 1-based lines startLine..endLine inclusive. */
export function nlocBetween(p: FileProfile, startLine: number, endLine: number): number {
  const a = Math.max(0, startLine - 1);
  const b = Math.min(p.codePrefix.length - 1, endLine);
  return b > a ? p.codePrefix[b] - p.codePrefix[a] : 0;
}

/** 1-based last line of a node: a node ending at column 0 ends on the previous line. */
export function endLineOf(node: Node): number {
  const end = node.endPosition;
  const startRow = node.startPosition.row;
  return end.column === 0 && end.row > startRow ? end.row : end.row + 1;
}

/** Whole lines startLine..endLine (1-based, inclusive) without the final line terminator. */
export function linesText(p: FileProfile, source: string, startLine: number, endLine: number): string {
  const from = p.lineStarts[startLine - 1] ?? source.length;
  let to = endLine < p.lineStarts.length ? p.lineStarts[endLine] - 1 : source.length;
  if (to > from && source.charCodeAt(to - 1) === 13) to--;
  return source.slice(from, Math.max(from, to));
}

/** Collapse runs of whitespace to one space (callee and decorator texts). */
export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Docstring clean-up following Python's `inspect.cleandoc`: strip the first line, remove the
 * common indentation of the following lines, drop leading and trailing blank lines.
 */
export function cleandoc(text: string): string {
  const lines = text.replace(/\t/g, '        ').split(/\r?\n/);
  let margin = Infinity;
  for (let i = 1; i < lines.length; i++) {
    const stripped = lines[i].trimStart();
    if (stripped.length) margin = Math.min(margin, lines[i].length - stripped.length);
  }
  const out = [lines[0].trimStart()];
  for (let i = 1; i < lines.length; i++) out.push(margin === Infinity ? lines[i] : lines[i].slice(margin));
  while (out.length && !out[0].trim()) out.shift();
  while (out.length && !out[out.length - 1].trim()) out.pop();
  return out.map((l) => l.trimEnd()).join('\n');
}
