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

/** Inline Markdown code, whitespace collapsed; a double fence when the text holds a backtick. */
export function code(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.includes('`') ? `\`\` ${t} \`\`` : `\`${t}\``;
}

/** `a`, `a and b`, `a, b and c`: every item named (a reader can check each; "and 4 more" names nothing to check). */
export function and(items: string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}` : (items[0] ?? '');
}

/** Operations on the language's own strings and collections: their names tell a reader nothing about the purpose. */
const VALUE_OP = /\.(?:append|add|extend|insert|pop|remove|discard|update|setdefault|decode|encode|count|lower|upper|strip|lstrip|rstrip|split|rsplit|replace|startswith|endswith|format|items|keys|values|get|copy|sort|index|find|push|slice|trim|toLowerCase|toUpperCase|includes|indexOf|map|filter|forEach|reduce|concat|has|set|delete)$/;
/** Printing to the console. */
const OUTPUT = /^(?:print|console\.\w+|(?:sys\.)?std(?:out|err)\.write|process\.std(?:out|err)\.write)$/;

/**
 * The calls of a sentence (`callees` as written, in order): up to `max + 1` all named; past
 * that, the calls that do the work (into other objects, constructors, the module's and the
 * class's own functions) named and the rest summarised by kind — "2 string or collection
 * operations", "3 console prints" — never "and N more".
 */
export function callList(callees: string[], max = 3): string {
  if (callees.length <= max + 1) return and(callees.map(code));
  const named = callees.filter((c) => !VALUE_OP.test(c) && !OUTPUT.test(c));
  const values = callees.filter((c) => VALUE_OP.test(c) && !OUTPUT.test(c)).length;
  const prints = callees.filter((c) => OUTPUT.test(c)).length;
  const kinds = [
    ...(values > 0 ? [`${values} string or collection operation${values > 1 ? 's' : ''}`] : []),
    ...(prints > 0 ? [`${prints} console print${prints > 1 ? 's' : ''}`] : []),
  ];
  return and([...named.map(code), ...kinds]);
}
