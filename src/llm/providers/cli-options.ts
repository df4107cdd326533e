/**
 * Parameters a CLI framework fills in (issue 12, blind review): a Click command's parameters get
 * their defaults from its `@click.option` / `@click.argument` decorators, not from the signature,
 * and a Typer command's from `typer.Option(…)` / `typer.Argument(…)` default values. A page that
 * reads only the signature calls every Click option "required"; these rules are the frameworks'
 * own:
 *
 * - Click (`click.core.Option` / `Argument`): the parameter's name is the declaration without
 *   dashes (`'name'`), else the longest `--long` name (else the short one), dashes stripped,
 *   `-` → `_`, lower case; `'--flag/--no-flag'` names it by its first half. An option is optional
 *   with default `None` unless it says `default=` or `required=True`; `is_flag=True` defaults to
 *   `False`, `multiple=True` to an empty tuple, `count=True` to `0`. An argument is required
 *   unless it has a `default=`, `required=False` or `nargs=-1`. `@click.pass_context` /
 *   `@pass_obj` pass the context (or its `obj`) as the first parameter.
 * - Typer: `typer.Option(default, …)` / `typer.Argument(default, …)` as the parameter's default:
 *   the first positional argument (or `default=`) is the default; `...` (Ellipsis) or none at
 *   all makes it required.
 */
import { splitTopLevel } from '../../core/code-text.ts';

/** How a CLI framework fills one parameter. */
export interface CliParameter {
  /** What the framework declares it as. */
  kind: 'option' | 'argument' | 'context';
  /** The default as code (`3`, `None`, `False`), or null when the parameter is required. */
  default: string | null;
  /** Why the default is what it is, when the code does not write it: `Click's default for a flag`. */
  implied: string | null;
  /** The command-line names as written (`--dry-run`), for options and arguments. */
  names: string[];
  /** The decorator or call it comes from (`@click.option`, `typer.Option`). */
  from: string;
}

/** Index of the `)` closing the `(` at `open` (strings skipped), or -1. */
function closeParen(text: string, open: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** A Python string literal's text (`'--x'`, `"name"`, with prefixes), or null for anything else. */
function literal(arg: string): string | null {
  const m = /^[rRuUbB]?(['"])(.*)\1$/s.exec(arg.trim());
  return m ? m[2] : null;
}

/** Positional and keyword arguments of a call's argument text. */
function callArgs(text: string): { positional: string[]; keywords: Map<string, string> } {
  const positional: string[] = [];
  const keywords = new Map<string, string>();
  for (const a of splitTopLevel(text, false)) {
    const m = /^([A-Za-z_]\w*)\s*=(?!=)\s*([\s\S]*)$/.exec(a);
    if (m) keywords.set(m[1], m[2].replace(/\s+/g, ' ').trim());
    else positional.push(a.replace(/\s+/g, ' ').trim());
  }
  return { positional, keywords };
}

/** Click's parameter name for declarations such as `'--dry-run'`, `'-n', '--name'`, `'dest'`. */
export function clickName(decls: string[]): string | null {
  const plain = decls.find((d) => /^[A-Za-z_]\w*$/.test(d));
  if (plain) return plain;
  const names = decls.flatMap((d) => d.split('/')[0].split(/\s+/)).filter((d) => d.startsWith('-'));
  if (names.length === 0) return null;
  const longest = [...names].sort((a, b) => (b.startsWith('--') ? 1 : 0) - (a.startsWith('--') ? 1 : 0) || b.length - a.length)[0];
  return longest.replace(/^-+/, '').replace(/-/g, '_').toLowerCase();
}

const TRUE = /^True$/;

/**
 * The parameters Click fills in for the function `name`, by parameter name, read from the
 * decorators above its `def` in `source` (a Click command's whole source, decorators first).
 * Empty when no Click decorator declares a parameter.
 */
export function clickParameters(source: string, name: string): Map<string, CliParameter> {
  const out = new Map<string, CliParameter>();
  const def = new RegExp(`^\\s*(?:async\\s+)?def\\s+${name}\\b`, 'm').exec(source);
  const head = def ? source.slice(0, def.index) : '';
  const deco = /@([A-Za-z_][\w.]*)\.(option|argument|pass_context|pass_obj)\b\s*(\()?/g;
  let passes = 0;
  for (let m = deco.exec(head); m; m = deco.exec(head)) {
    const [, owner, what, paren] = m;
    if (what === 'pass_context' || what === 'pass_obj') {
      passes++;
      continue;
    }
    if (!paren) continue;
    const open = m.index + m[0].length - 1;
    const close = closeParen(head, open);
    if (close < 0) continue;
    const { positional, keywords } = callArgs(head.slice(open + 1, close));
    const decls = positional.map(literal).filter((d): d is string => d !== null);
    const pname = clickName(decls);
    if (!pname) continue;
    const from = `@${owner}.${what}`;
    const names = decls.filter((d) => d.startsWith('-'));
    const given = keywords.get('default');
    if (what === 'argument') {
      const optional = given !== undefined || keywords.get('required') === 'False' || keywords.get('nargs') === '-1';
      out.set(pname, { kind: 'argument', default: given ?? (optional ? (keywords.get('nargs') === '-1' ? '()' : 'None') : null), implied: given === undefined && optional ? (keywords.get('nargs') === '-1' ? 'Click collects any number of values into a tuple' : "Click's default for an optional argument") : null, names, from });
      continue;
    }
    if (TRUE.test(keywords.get('required') ?? '') && given === undefined) {
      out.set(pname, { kind: 'option', default: null, implied: null, names, from });
      continue;
    }
    let implied: [string, string] = ['None', "Click's default for an option without one"];
    if (TRUE.test(keywords.get('is_flag') ?? '') || decls.some((d) => d.includes('/'))) implied = ['False', "Click's default for a flag"];
    else if (TRUE.test(keywords.get('multiple') ?? '')) implied = ['()', 'Click collects repeated options into a tuple, empty when none is given'];
    else if (TRUE.test(keywords.get('count') ?? '')) implied = ['0', "Click's default for a counting option"];
    out.set(pname, { kind: 'option', default: given ?? implied[0], implied: given === undefined ? implied[1] : null, names, from });
  }
  // `@click.pass_context` passes the context as the first parameter (before the options)
  if (passes > 0 && def) {
    const after = source.slice(def.index);
    const open = after.indexOf('(');
    const close = open >= 0 ? closeParen(after, open) : -1;
    if (close > 0) {
      const first = splitTopLevel(after.slice(open + 1, close), false).map((p) => p.split(/[:=]/)[0].trim()).filter((p) => p !== 'self' && p !== 'cls');
      for (const p of first.slice(0, passes)) if (!out.has(p)) out.set(p, { kind: 'context', default: null, implied: null, names: [], from: '@click.pass_context' });
    }
  }
  return out;
}

/**
 * A Typer parameter's default written as `typer.Option(…)` / `typer.Argument(…)` (`default`
 * as the signature gives it): the default value it declares, or null when it is required.
 * Returns undefined when `default` is not such a call.
 */
export function typerDefault(def: string): { value: string | null; from: string } | undefined {
  const m = /^([A-Za-z_][\w.]*\.)?(Option|Argument)\s*\(/.exec(def.trim());
  if (!m || m[1] !== 'typer.') return undefined;
  const text = def.trim();
  const open = text.indexOf('(');
  const close = closeParen(text, open);
  if (close < 0) return undefined;
  const { positional, keywords } = callArgs(text.slice(open + 1, close));
  const first = keywords.get('default') ?? (positional[0] !== undefined && literal(positional[0])?.startsWith('-') !== true ? positional[0] : undefined);
  const from = `${m[1]}${m[2]}`;
  if (first === undefined || first === '...' || first === 'Ellipsis') return { value: null, from };
  return { value: first, from };
}
