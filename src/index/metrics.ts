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

/** Row bookkeeping shared by both scanners: token starts and code-line marks. */
class ProfileBuilder {
  readonly lineStarts: number[];
  readonly rows: number;
  readonly code: Uint8Array;
  tokenStarts: Int32Array;
  tokenCount = 0;
  private row = 0;

  constructor(readonly source: string) {
    this.lineStarts = lineStartsOf(source);
    this.rows = this.lineStarts.length;
    this.code = new Uint8Array(this.rows + 1);
    this.tokenStarts = new Int32Array(Math.max(64, source.length >> 2));
  }

  /** A token covering [start, end); tokens arrive in source order. */
  token(start: number, end: number): void {
    if (this.tokenCount === this.tokenStarts.length) {
      const grown = new Int32Array(this.tokenStarts.length * 2);
      grown.set(this.tokenStarts);
      this.tokenStarts = grown;
    }
    this.tokenStarts[this.tokenCount++] = start;
    const { lineStarts, rows, code } = this;
    let row = this.row;
    while (row + 1 < rows && lineStarts[row + 1] <= start) row++;
    this.row = row;
    code[row] = 1;
    const last = end - 1;
    if (row + 1 < rows && last >= lineStarts[row + 1]) {
      let r = row;
      while (r + 1 < rows && lineStarts[r + 1] <= last) code[++r] = 1;
    }
  }

  finish(): FileProfile {
    const { rows, code } = this;
    const codePrefix = new Int32Array(rows + 1);
    for (let r = 0; r < rows; r++) codePrefix[r + 1] = codePrefix[r] + code[r];
    const lines = countLines(this.source, this.lineStarts);
    return { lines, nloc: codePrefix[rows], lineStarts: this.lineStarts, codePrefix, tokenStarts: this.tokenStarts, tokenCount: this.tokenCount };
  }
}

/**
 * Scan `source` once with `lexer` (a regex, see `Lexer`) and record code lines and token
 * starts. A line is code when a non-comment token touches it (a multi-line string marks all
 * its lines). This is the definition; `buildProfile` uses an equivalent hand-written scanner
 * for the built-in lexers.
 */
export function buildProfileWithRegex(source: string, lexer: Lexer): FileProfile {
  const b = new ProfileBuilder(source);
  const re = new RegExp(lexer.source, 'g');
  let m: RegExpExecArray | null;
  while ((m = re.exec(source)) !== null) {
    if (m[1] === undefined) b.token(m.index, m.index + m[0].length);
  }
  return b.finish();
}

type Dialect = 'python' | 'c' | 'rust';

const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0xfeff;
const isLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 0xc0 && c <= 0xfefe) || c >= 0xff00;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** Python string prefix letters r, b, u, f in either case. */
const isPrefix = (c: number): boolean => c === 114 || c === 82 || c === 98 || c === 66 || c === 117 || c === 85 || c === 102 || c === 70;

/** End of a quoted string opened at `q` (escapes skip one char), or -1; `multiline` allows newlines. */
function quoted(s: string, q: number, multiline: boolean): number {
  const quote = s.charCodeAt(q);
  const n = s.length;
  for (let i = q + 1; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 92) i++;
    else if (c === quote) return i + 1;
    else if (c === 10 && !multiline) return -1;
  }
  return -1;
}

/** Python string at quote `q`: triple-quoted when it closes, else single-line (so `"""` unclosed is `""`). */
function pythonString(s: string, q: number): number {
  const quote = s.charCodeAt(q);
  if (s.charCodeAt(q + 1) === quote && s.charCodeAt(q + 2) === quote) {
    const close = s.indexOf(s[q].repeat(3), q + 3);
    if (close >= 0) return close + 3;
  }
  return quoted(s, q, false);
}

/** Rust raw string `b?r#*"…"#*` at `i`, or -1. */
function rustRaw(s: string, i: number): number {
  let j = i;
  if (s.charCodeAt(j) === 98) j++;
  if (s.charCodeAt(j) !== 114) return -1;
  let h = j + 1;
  while (s.charCodeAt(h) === 35) h++;
  if (s.charCodeAt(h) !== 34) return -1;
  const close = s.indexOf('"' + '#'.repeat(h - j - 1), h + 1);
  return close < 0 ? -1 : close + 1 + (h - j - 1);
}

/** Rust char literal `b?'x'` / `b?'\…'` at `i` (not a lifetime), or -1. */
function rustChar(s: string, i: number): number {
  const q = s.charCodeAt(i) === 98 ? i + 1 : i;
  if (s.charCodeAt(q) !== 39) return -1;
  const c = s.charCodeAt(q + 1);
  if (c === 92) {
    let k = q + 2;
    while (k < s.length && s.charCodeAt(k) !== 39 && s.charCodeAt(k) !== 10) k++;
    return k > q + 2 && s.charCodeAt(k) === 39 ? k + 1 : -1;
  }
  if (Number.isNaN(c) || c === 39 || c === 10) return -1;
  return s.charCodeAt(q + 2) === 39 ? q + 3 : -1;
}

/** The hand-written equivalent of a built-in lexer regex (same tokens, same comments). */
function scan(source: string, dialect: Dialect): FileProfile {
  const b = new ProfileBuilder(source);
  const s = source;
  const n = s.length;
  const dollar = dialect === 'c';
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    // Comments.
    if (dialect === 'python') {
      if (c === 35) {
        const nl = s.indexOf('\n', i);
        i = nl < 0 ? n : nl;
        continue;
      }
    } else if (c === 47) {
      const d = s.charCodeAt(i + 1);
      if (d === 47) {
        const nl = s.indexOf('\n', i);
        i = nl < 0 ? n : nl;
        continue;
      }
      if (d === 42) {
        const close = s.indexOf('*/', i + 2);
        if (close >= 0) {
          i = close + 2;
          continue;
        }
      }
    }
    // Strings.
    let end = -1;
    if (dialect === 'python') {
      if (c === 34 || c === 39) end = pythonString(s, i);
      else if (isPrefix(c)) {
        const d = s.charCodeAt(i + 1);
        const e = s.charCodeAt(i + 2);
        if (isPrefix(d) && (e === 34 || e === 39)) end = pythonString(s, i + 2);
        if (end < 0 && (d === 34 || d === 39)) end = pythonString(s, i + 1);
      }
    } else if (dialect === 'c') {
      if (c === 34 || c === 39) end = quoted(s, i, false);
      else if (c === 96) end = quoted(s, i, true);
    } else if (c === 98 || c === 114 || c === 34 || c === 39) {
      end = rustRaw(s, i);
      if (end < 0) {
        const q = c === 98 ? i + 1 : i;
        if (s.charCodeAt(q) === 34) end = quoted(s, q, true);
      }
      if (end < 0) end = rustChar(s, i);
    }
    if (end < 0) {
      if (isLetter(c) || (dollar && c === 36)) {
        end = i + 1;
        for (let d = s.charCodeAt(end); isLetter(d) || isDigit(d) || (dollar && d === 36); d = s.charCodeAt(++end));
      } else if (isDigit(c)) {
        end = i + 1;
        for (let d = s.charCodeAt(end); isLetter(d) ? d < 0xc0 : isDigit(d) || d === 46; d = s.charCodeAt(++end));
      } else end = i + 1;
    }
    b.token(i, end);
    i = end;
  }
  return b.finish();
}

const DIALECTS = new Map<Lexer, Dialect>([
  [PYTHON_LEXER, 'python'],
  [C_LEXER, 'c'],
  [RUST_LEXER, 'rust'],
]);

/**
 * Scan `source` once with `lexer` and record code lines and token starts (see
 * `buildProfileWithRegex` for the definition). The built-in lexers run a hand-written scanner
 * that produces the same profile several times faster; other regexes run as they are.
 */
export function buildProfile(source: string, lexer: Lexer): FileProfile {
  const dialect = DIALECTS.get(lexer);
  return dialect ? scan(source, dialect) : buildProfileWithRegex(source, lexer);
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
