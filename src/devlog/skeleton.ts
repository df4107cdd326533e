/**
 * The skeleton of a class or file for its page (issue 12, blind review): pages about many
 * members list them with their lines in the analysis, so the Source Code block needs only the
 * outline — the class line, decorators, fields and constants, and each member's signature with
 * its body left out — not 80 lines of the first methods' bodies. Pure: text in, text out.
 */
import { languageById } from '../languages/registry.ts';

/** A member whose body the skeleton leaves out: its file lines (1-based, `def`/`function` line first). */
export interface SkeletonMember {
  startLine: number;
  endLine: number;
}

export interface Skeleton {
  /** The outline, at most `maxLines` lines. */
  text: string;
  /** Source lines the outline leaves out (bodies, docstrings, imports, comments, blank lines). */
  omitted: number;
}

/** The default length of a skeleton: about a screen. */
export const SKELETON_LINES = 30;

function depthChange(code: string, brackets = '([{', closers = ')]}'): number {
  let d = 0;
  for (const ch of code) d += brackets.includes(ch) ? 1 : closers.includes(ch) ? -1 : 0;
  return d;
}

/**
 * For each line: whether it starts inside a multi-line string (Python triple quotes, JS template
 * literals, C block comments), and its code with strings and comments blanked.
 */
function scanLines(lines: string[], python: boolean): { inside: boolean; code: string }[] {
  const out: { inside: boolean; code: string }[] = [];
  let open: string | null = null;
  for (const line of lines) {
    const inside = open !== null;
    let code = '';
    for (let k = 0; k < line.length; k++) {
      if (open) {
        if (line[k] === '\\') k++;
        else if (line.startsWith(open, k)) {
          k += open.length - 1;
          open = null;
          code += '""';
        }
        continue;
      }
      const ch = line[k];
      if ((python && ch === '#') || (!python && line.startsWith('//', k))) break;
      const triple = python && (line.startsWith('"""', k) || line.startsWith("'''", k)) ? line.slice(k, k + 3) : null;
      if (triple) {
        open = triple;
        k += 2;
      } else if (!python && line.startsWith('/*', k)) {
        open = '*/';
        k++;
      } else if (!python && ch === '`') open = '`';
      else if (ch === '"' || ch === "'") {
        let e = k + 1;
        while (e < line.length && line[e] !== ch) e += line[e] === '\\' ? 2 : 1;
        k = e;
        code += '""';
      } else code += ch;
    }
    out.push({ inside, code });
  }
  return out;
}

/**
 * The outline of `source` (file lines from `startLine`): every member in `members` becomes its
 * signature with the body left out (`...` in Python, `{ … }` in brace languages), each marked
 * with its file line; outside the members the class and field lines stay, and imports,
 * docstrings, comments and blank lines go. Null when the outline would not be shorter than the
 * source. Members are the outermost functions/methods (nested ones go with their parent's body).
 */
export function sourceSkeleton(source: string, startLine: number, language: string, members: SkeletonMember[], maxLines = SKELETON_LINES, opts: { fields?: boolean } = {}): Skeleton | null {
  const fields = opts.fields ?? true;
  const lines = source.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n');
  // Python's rule family nests by indentation and comments with `#`; the others here use braces and `//`
  const python = languageById(language)?.facts.blocking?.family === 'python';
  const comment = python ? '#' : '//';
  const sorted = [...members].filter((m) => m.startLine >= startLine && m.startLine < startLine + lines.length).sort((a, b) => a.startLine - b.startLine);
  const outer = sorted.filter((m, i) => !sorted.slice(0, i).some((p) => m.startLine > p.startLine && m.endLine <= p.endLine));
  if (outer.length === 0) return null;
  const out: string[] = [];
  const scan = scanLines(lines, python);
  const memberAt = new Map(outer.map((m) => [m.startLine - startLine, m]));
  let i = 0;
  while (i < lines.length) {
    const raw = lines[i];
    const t = raw.trim();
    const m = memberAt.get(i);
    if (m) {
      // the signature: up to the line that opens the body (`:` in Python, `{` / `=>` / `;` elsewhere)
      const sig: string[] = [];
      let depth = 0;
      let j = i;
      for (; j < lines.length && j - i < 8; j++) {
        const c = scan[j].code.trimEnd();
        depth += python ? depthChange(c) : depthChange(c, '([', ')]');
        sig.push(lines[j].trimEnd());
        if (depth <= 0 && (python ? /:$/.test(c) : /\{$|=>$|;$/.test(c))) break;
      }
      const last = Math.min(sig.length - 1, j - i);
      const mark = `  ${comment} line ${m.startLine}`;
      if (python) {
        // `def f(...) -> T: ...` on the line that ends the signature; a body on that line stays as written
        if (/:$/.test(scan[i + last].code.trimEnd())) sig[last] = sig[last].replace(/(:)(\s*#.*)?$/, '$1 ...');
        sig[0] += mark;
      } else {
        sig[last] = sig[last].replace(/\{\s*$/, '{ … }');
        sig[0] += mark;
      }
      out.push(...sig);
      i = Math.max(j + 1, m.endLine - startLine + 1);
      continue;
    }
    const code = scan[i].code.trim();
    // string continuations, docstrings (a statement that is only a string), comments, imports, blank lines
    if (scan[i].inside || t === '' || code === '' || /^(?:""\s*)+;?$/.test(code)) {
      i++;
      continue;
    }
    if (/^(?:import\b|from\s+\S+\s+import\b|use\s|#include\b|package\s|require\s*\()|^export\s+(?:\*|\{[^}]*\}?)\s*from\b|^export\s+\{\s*$/.test(t) || /^(?:const|let|var)\s+[\w${}\s,]+=\s*require\(/.test(t)) {
      // an import over several lines goes whole
      let d = depthChange(scan[i].code);
      while (d > 0 && i + 1 < lines.length) d += depthChange(scan[++i].code);
      i++;
      continue;
    }
    const indent = raw.length - raw.trimStart().length;
    // a file's outline: module-level lines and members; a class's fields are on its own page
    if (!fields && indent > 0 && !/^(?:@|class\b|(?:export\s+)?(?:default\s+)?(?:abstract\s+)?(?:class|interface|struct|enum|trait|impl)\b)/.test(t)) {
      i++;
      continue;
    }
    // a block of imports only (`if TYPE_CHECKING:`, `try:` / `except ImportError:`) goes with its imports
    if (python && /:$/.test(code) && !/^(?:class|def|async\s+def)\b/.test(code)) {
      let k = i + 1;
      let onlyImports = true;
      for (; k < lines.length; k++) {
        const l = lines[k];
        if (l.trim() === '' || scan[k].inside) continue;
        if (l.length - l.trimStart().length <= indent) break;
        if (!/^\s*(?:import\b|from\s+\S+\s+import\b|pass\b|#)/.test(l)) onlyImports = false;
      }
      if (onlyImports) {
        i = k;
        continue;
      }
    }
    // a statement over several lines keeps its first line
    // (a block header such as `export class A {` opens the members' scope: not joined)
    const header = !python && /\{$/.test(code) && !/=/.test(code.replace(/=>/g, ''));
    let d = header ? 0 : depthChange(scan[i].code);
    let k = i;
    while ((d > 0 || scan[k + 1]?.inside) && k + 1 < lines.length && !memberAt.has(k + 1)) {
      k++;
      d += depthChange(scan[k].code);
    }
    out.push(k > i ? `${raw.trimEnd()} …` : raw.trimEnd());
    i = k + 1;
  }
  let text = out;
  let dropped = 0;
  if (text.length > maxLines) {
    dropped = text.length - (maxLines - 1);
    text = [...text.slice(0, maxLines - 1), `${comment} … ${dropped} more outline line${dropped === 1 ? '' : 's'}`];
  }
  if (text.length >= lines.length) return null;
  return { text: text.join('\n'), omitted: lines.length - (text.length - (dropped > 0 ? 1 : 0)) };
}
