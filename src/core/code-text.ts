/**
 * Scanning source text outside string literals: the one place that knows how to skip quoted
 * text ('…', "…", `…`, with backslash escapes) while counting brackets. Used to split parameter
 * and argument lists, find a call's closing parenthesis and find comments, in every language.
 */

/**
 * Visit each character of `text` from `from` that lies outside a string literal; stop at the
 * first one for which `visit` returns true and return its index, or -1 when none does.
 */
export function scanOutsideStrings(text: string, from: number, visit: (ch: string, i: number) => boolean | void): number {
  let quote: string | null = null;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (visit(ch, i)) return i;
  }
  return -1;
}

/**
 * Split a top-level comma-separated list, ignoring commas nested in (), [], {}, <> and strings;
 * parts are trimmed, empty ones dropped. `<`/`>` count as brackets only when `angles` is set
 * (TS/Rust/Java generics; Python has none), and never the `>` of `=>` or `->`. An unbalanced
 * closing bracket (a comparison) does not push the depth below zero.
 */
export function splitTopLevel(text: string, angles: boolean): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  scanOutsideStrings(text, 0, (ch, i) => {
    if ('([{'.includes(ch) || (angles && ch === '<')) depth++;
    else if (')]}'.includes(ch) || (angles && ch === '>' && text[i - 1] !== '=' && text[i - 1] !== '-')) depth = Math.max(0, depth - 1);
    else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  });
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

/** Index of the parenthesis closing the one at `open`, or -1 (strings are skipped). */
export function matchParen(text: string, open: number): number {
  let depth = 0;
  return scanOutsideStrings(text, open, (ch) => {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return true;
    return false;
  });
}

/**
 * Code shortened to `max` characters with `…`, never inside an identifier (a half name in a
 * code span would read as a name the code does not have). Whitespace is collapsed.
 */
export function cutCode(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  let end = max - 1;
  while (end > 0 && /[\w$]/.test(t[end]) && /[\w$]/.test(t[end - 1])) end--;
  return `${t.slice(0, end).trimEnd()}…`;
}
