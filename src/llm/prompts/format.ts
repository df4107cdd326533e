/**
 * Text shapes shared by the prompts and the static pages: data fenced so that nothing inside
 * can close the fence (issue 10, item 5), decorators trimmed to their name and short arguments,
 * and signatures as the source writes them (issue 12, item 4).
 */
import { fenceFor } from '../../devlog/render.ts';
import { declarationHead } from '../declaration.ts';
import { splitTopLevel } from '../../core/code-text.ts';

/** `text` in a fenced block longer than any backtick run inside it (at least three backticks). */
export function fenced(text: string, info = ''): string {
  const body = text.replace(/\n+$/, '');
  const fence = fenceFor(body);
  return `${fence}${info}\n${body}\n${fence}`;
}

/**
 * A block that starts with a `## Heading` line (the facts block, the context): the heading stays
 * outside, the rest goes into a fence. '' stays ''.
 */
export function fencedSection(block: string): string {
  if (!block.trim()) return '';
  const nl = block.indexOf('\n');
  const first = nl < 0 ? block : block.slice(0, nl);
  if (!/^#{1,6}\s/.test(first)) return fenced(block, 'text');
  const rest = nl < 0 ? '' : block.slice(nl + 1).replace(/^\n+/, '');
  return rest ? `${first}\n\n${fenced(rest, 'text')}` : first;
}

/** Arguments longer than this are left out of a trimmed decorator. */
const SHORT_ARG = 24;

/**
 * A decorator as a reader needs it: its name and its short arguments, `…` for the rest.
 * `click.option( "--devlog", type = click.Path(path_type = Path), help = "…long…", )` →
 * `click.option("--devlog", …)`; `app.get("/api/stats")` stays; `property` stays.
 * The leading `@` is dropped (callers add it where they show decorators).
 */
export function trimDecorator(decorator: string): string {
  const d = decorator.replace(/^@/, '').replace(/\s+/g, ' ').trim();
  const open = d.indexOf('(');
  if (open < 0 || !d.endsWith(')')) return d;
  const name = d.slice(0, open).trim();
  const args = splitTopLevel(d.slice(open + 1, -1), false);
  const kept = args.filter((a) => a.length <= SHORT_ARG && !/^help\s*=/.test(a)).map((a) => a.replace(/\s*=\s*/, '='));
  if (kept.length < args.length) kept.push('…');
  return `${name}(${kept.join(', ')})`;
}

/**
 * The declaration head of a function exactly as its source writes it (a multi-line parameter
 * list stays multi-line): the source up to the end of the head `declarationHead` finds, with
 * the definition's own indentation removed (a method's first line is already cut from its
 * class; its continuation lines are shifted to match). Falls back to the first line.
 */
export function signatureAsWritten(source: string, name: string): string {
  const decl = declarationHead(source, name);
  const firstLine = source.split('\n', 1)[0].trim();
  if (!decl) return firstLine;
  // the head drops comments and a trailing comma, so its length cannot locate the end: find the
  // parameter list in the source and stop where declarationHead stops (before the body opener)
  const at = source.indexOf(`(${decl.paramText})`);
  let end: number;
  if (at >= 0) {
    const close = at + decl.paramText.length + 1;
    const stop = source.slice(close + 1, close + 201).search(/:\s*(?:#.*)?(?:\n|$)|\{|=>|\n/);
    end = close + 1 + Math.max(0, stop);
  } else {
    const want = decl.head.replace(/\s+/g, '').length;
    let seen = 0;
    end = 0;
    while (end < source.length && seen < want) {
      if (!/\s/.test(source[end])) seen++;
      end++;
    }
  }
  const lines = source.slice(0, end).split('\n');
  if (lines.length === 1) return lines[0].trim();
  const indent = (l: string): number => l.length - l.trimStart().length;
  const rest = lines.slice(1);
  const nonBlank = rest.filter((l) => l.trim().length > 0);
  if (nonBlank.length === 0) return lines[0].trim();
  // The line closing the parameter list sits at the definition's own indentation.
  const closing = nonBlank.find((l) => /^[)\]]/.test(l.trimStart()));
  // continuation lines aligned under the parenthesis: their alignment was relative to the cut
  // first line, so one line is closer to what the source shows
  if (!closing) return decl.head;
  const base = indent(closing);
  return [lines[0].trim(), ...rest.map((l) => (l.trim() === '' ? '' : l.slice(Math.min(base, indent(l))).trimEnd()))].join('\n');
}
