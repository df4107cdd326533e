/**
 * Declaration heads and parameter lists read from a function's source text (Python, TS/JS, Go,
 * Rust). Its own module because both the facts builder (src/llm/facts.ts) and the static
 * provider's code readers (src/llm/providers/static-code.ts, which facts.ts reaches through
 * static-purpose.ts) need it: kept in facts.ts, the two imported each other.
 */
import { matchParen, scanOutsideStrings, splitTopLevel } from '../core/code-text.ts';

/** Receiver parameters that a reader does not count as arguments. */
const RECEIVERS = new Set(['self', 'cls', 'this', '&self', '&mut self', 'mut self']);

/** One parameter of a signature, as written between the parentheses. */
export interface ParamInfo {
  name: string;
  /** Has a default value or is marked optional (`x=1`, `x?: T`, `x: T = 1`). */
  optional: boolean;
  /** `*args`, `**kwargs`, `...rest`, `args ...T`. */
  variadic: boolean;
  /** `self` / `cls` / `this` / Rust `&self`. */
  receiver: boolean;
}

/** `text` with everything inside brackets and string literals removed (top level only). */
function topLevelText(text: string): string {
  let depth = 0;
  let out = '';
  scanOutsideStrings(text, 0, (ch, i) => {
    if ('([{<'.includes(ch)) depth++;
    else if (')]}'.includes(ch) || (ch === '>' && text[i - 1] !== '=')) depth = Math.max(0, depth - 1);
    else if (depth === 0) out += ch;
  });
  return out;
}

/**
 * The declaration head of a function: from the start of its source to the end of the parameter
 * list plus the return annotation (`async def f(a, b) -> int`, `async function f(a: T): Promise<U>`,
 * `fn f(&self) -> R`), whitespace collapsed; null when no parameter list follows `name`.
 * Also returns the raw parameter-list text.
 */
export function declarationHead(source: string, name: string): { head: string; paramText: string } | null {
  const esc = name.replace(/[$]/g, '\\$');
  // The name followed by optional generics and the opening parenthesis of the parameter list.
  const re = new RegExp(`(?:^|[^\\w$])${esc}\\s*(?:<[^()]*>)?\\s*\\(`, 'g');
  // Go receivers come before the name, so the first match after the name is the parameter list.
  const m = re.exec(source.slice(0, 4000));
  let open: number;
  if (m) open = m.index + m[0].length - 1;
  else {
    // Arrow functions and function expressions (`async (a, b) => {`, `function (a) {`): the first
    // parenthesis before the arrow or body is the parameter list.
    const anon = /^[^\n(]*?(?:\basync\s*|\bfunction\s*\*?\s*)?\(/.exec(source);
    if (!anon || !/=>|\bfunction\b/.test(source.slice(0, 400))) return null;
    open = anon[0].length - 1;
  }
  const close = matchParen(source, open);
  if (close < 0) return null;
  const paramText = source.slice(open + 1, close);
  let end = close + 1;
  // Return annotation up to the body opener (`:` ending a Python header, `{`, `=>`), one line at most.
  const rest = source.slice(end, end + 200);
  const stop = rest.search(/:\s*(?:#.*)?(?:\n|$)|\{|=>|\n/);
  if (stop > 0) end += stop;
  // A multi-line parameter list reads as one line: `def find(self, repo: RepoEntry, limit: int = 10)`,
  // not `def find( self, repo: RepoEntry, limit: int = 10, )` (comments and the trailing comma dropped).
  const params = splitTopLevel(stripLineComments(paramText), true).map((p) => p.replace(/\s+/g, ' '));
  const before = source.slice(0, open).replace(/\s+/g, ' ').trim();
  const after = source.slice(close + 1, end).replace(/\s+/g, ' ').trimEnd();
  const head = `${before}(${params.join(', ')})${after}`.trim();
  return { head, paramText };
}

/** `text` without `# …` and `// …` comments that start outside string literals (line by line). */
function stripLineComments(text: string): string {
  if (!text.includes('#') && !text.includes('//')) return text;
  return text
    .split('\n')
    .map((line) => {
      const at = scanOutsideStrings(line, 0, (ch, i) => ch === '#' || (ch === '/' && line[i + 1] === '/'));
      return at < 0 ? line : line.slice(0, at);
    })
    .join('\n');
}

/**
 * Parameters of a function from its source text (Python, TS/JS, Go, Rust): names in order
 * with optional / variadic / receiver flags. Python's bare `*` and `/` markers are dropped.
 * Returns null when the parameter list cannot be found.
 */
export function parseParameters(source: string, name: string): ParamInfo[] | null {
  const decl = declarationHead(source, name);
  if (!decl) return null;
  const out: ParamInfo[] = [];
  for (const raw of splitTopLevel(decl.paramText, true)) {
    const p = raw.replace(/^(?:public|private|protected|readonly|override)\s+/g, '').trim();
    if (p === '*' || p === '/') continue;
    const variadic = /^(\*{1,2}|\.\.\.)/.test(p) || /^\w+\s+\.\.\./.test(p);
    const receiver = RECEIVERS.has(p.replace(/:.*$/, '').trim()) && out.length === 0;
    // Name: the first identifier (after `*`, `...`, `&`, `mut`); destructuring keeps its text.
    const nameMatch = /^(?:\*{1,2}|\.\.\.|&\s*(?:mut\s+)?|mut\s+)?([A-Za-z_$][\w$]*)/.exec(p);
    const pname = receiver ? p.replace(/:.*$/, '').trim() : nameMatch ? nameMatch[1] : p;
    // Optional: a top-level `=` default or a TS `?` marker.
    const optional = /^[\w$]+\?\s*:?/.test(p) || /(^|[^=!<>])=(?![=>])/.test(topLevelText(p));
    out.push({ name: pname, optional: optional && !variadic, variadic, receiver });
  }
  return out;
}
