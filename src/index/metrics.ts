/**
 * Counting helpers shared by the language modules: one pass over a file's leaf tokens gives
 * the lines that hold code (for nloc) and the token positions (for per-function token counts),
 * so each function's nloc and tokens are O(log n) look-ups instead of re-walks.
 */
import type { Node, Tree } from 'web-tree-sitter';

/** Per-file token and line profile computed from the syntax tree. */
export interface FileProfile {
  /** Number of lines of the file (a trailing newline does not open a new line). */
  lines: number;
  /** Lines holding at least one non-comment token. */
  nloc: number;
  /** Offset (JS string index) where each 0-based row starts. */
  lineStarts: number[];
  /** prefix[r] = number of code lines among rows 0..r-1. */
  codePrefix: Int32Array;
  /** Start offsets of every non-comment leaf token, in source order. */
  tokenStarts: Int32Array;
  tokenCount: number;
}

/** Node types that are comments in the supported grammars (their subtrees are skipped). */
function isComment(type: string): boolean {
  return type === 'comment' || type === 'line_comment' || type === 'block_comment' || type === 'html_comment';
}

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
 * Walk every leaf of the tree once (tree cursor, no node allocation) and record code lines and
 * token starts. Comments are excluded from both; zero-width (MISSING) tokens are ignored.
 */
export function buildProfile(root: Node, source: string): FileProfile {
  const lineStarts = lineStartsOf(source);
  const lines = countLines(source, lineStarts);
  const rows = lineStarts.length;
  const code = new Uint8Array(rows + 1);
  let tokenStarts = new Int32Array(1024);
  let tokenCount = 0;
  const cursor = root.walk();
  try {
    let descend = true;
    for (;;) {
      if (descend) {
        const type = cursor.nodeType;
        if (isComment(type)) {
          descend = false;
          continue;
        }
        if (cursor.gotoFirstChild()) continue;
        const start = cursor.startIndex;
        const end = cursor.endIndex;
        if (end > start) {
          if (tokenCount === tokenStarts.length) {
            const grown = new Int32Array(tokenStarts.length * 2);
            grown.set(tokenStarts);
            tokenStarts = grown;
          }
          tokenStarts[tokenCount++] = start;
          const r0 = cursor.startPosition.row;
          const r1 = cursor.endPosition.row;
          for (let r = r0; r <= r1 && r < rows; r++) code[r] = 1;
        }
      }
      if (cursor.gotoNextSibling()) {
        descend = true;
        continue;
      }
      if (!cursor.gotoParent()) break;
      descend = false;
    }
  } finally {
    cursor.delete();
  }
  const codePrefix = new Int32Array(rows + 1);
  for (let r = 0; r < rows; r++) codePrefix[r + 1] = codePrefix[r] + code[r];
  return { lines, nloc: codePrefix[rows], lineStarts, codePrefix, tokenStarts, tokenCount };
}

let cached: { tree: Tree; source: string; profile: FileProfile } | null = null;

/** The profile of a parsed file, memoised for the last tree so extract and facts share it. */
export function profileOf(root: Node, source: string): FileProfile {
  const tree = root.tree;
  if (cached && cached.tree === tree && cached.source === source) return cached.profile;
  const profile = buildProfile(tree.rootNode, source);
  cached = { tree, source, profile };
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

/** Non-comment leaf tokens whose start lies in [start, end) (JS string offsets). */
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
