/**
 * The loop rules of `src/analysis/performance.ts` for the languages added in issue 15 (Java, C,
 * C++, C#, Ruby, PHP), shared the way `scoped.ts` shares their extractor: each language folder
 * gives a `LoopSpec` (what a loop, a call, a string variable and a concatenation look like in
 * its grammar, and its I/O, regex and query APIs), and `collectLoopPerformance` walks the tree
 * once. Rules (ids of `PERF_RULES`):
 * - `perf-nested-loop`: a loop over the same collection text as a loop around it;
 * - `perf-io-in-loop`: a file open, request or process start inside a loop;
 * - `perf-regex-in-loop`: a regular expression compiled inside a loop (`Pattern.compile`,
 *   `new Regex`, `regcomp`, `std::regex`, `Regexp.new`, Java's `String.matches`);
 * - `perf-query-in-loop`: a database call inside a loop whose arguments use a loop variable;
 * - `perf-string-concat`: a string variable grown with `+=` inside a loop (C: `strcat`).
 * A nested function, lambda or class starts afresh (its loops are its own).
 */
import type { Node } from 'web-tree-sitter';
import type { PerfHit } from '../analysis/performance.ts';

export interface LoopSpec {
  /** The loop a node is, with its body, loop variables and iterated collection (text), or null. */
  loopOf(n: Node): { vars: string[]; iter: string | null } | null;
  /** Node types that start a new function scope (methods, lambdas, blocks passed as closures are NOT here: they run per item). */
  functions: ReadonlySet<string>;
  /** A call's callee text (`Pattern.compile`, `new Regex`, `$db->query`) and argument text, or null. */
  callOf(n: Node): { callee: string; args: string } | null;
  /** The variable a node declares or assigns as a string (`String s = ""`, `s = ""`), or null. */
  stringVar?(n: Node): string | null;
  /** The variable a node grows by concatenation (`s += x`), or null. */
  concatOf?(n: Node): string | null;
  io: RegExp;
  regex: RegExp;
  /** Database calls (matched against the whole callee text, receiver included). */
  query: RegExp;
  /** Calls that copy the whole string each time (C `strcat`): a string built in a loop. */
  concatCall?: RegExp;
}

const MAX_DEPTH = 400;

function collapse(text: string, max = 100): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function usesAny(text: string, names: string[]): boolean {
  return names.some((n) => new RegExp(`(?<![\\w$@])[$@]?${n.replace(/[$@]/g, '')}(?![\\w])`).test(text));
}

interface Frame {
  vars: string[];
  iter: string | null;
}

/** Performance hits of one file by the loop rules (unsorted; the collector sorts and dedups). */
export function collectLoopPerformance(root: Node, spec: LoopSpec): PerfHit[] {
  const out: PerfHit[] = [];
  const add = (n: Node, r: string) => out.push({ l: n.startPosition.row + 1, r, c: collapse(n.text) });
  const walk = (n: Node, loops: Frame[], strings: Set<string>, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    if (depth > 0 && spec.functions.has(n.type)) {
      loops = [];
      strings = new Set();
    }
    const s = spec.stringVar?.(n);
    if (s) strings.add(s);
    if (loops.length) {
      const call = spec.callOf(n);
      if (call) {
        if (spec.io.test(call.callee)) add(n, 'perf-io-in-loop');
        else if (spec.regex.test(call.callee)) add(n, 'perf-regex-in-loop');
        else if (spec.concatCall?.test(call.callee)) add(n, 'perf-string-concat');
        else if (spec.query.test(call.callee) && loops.some((l) => l.vars.length > 0 && usesAny(call.args, l.vars))) add(n, 'perf-query-in-loop');
      }
      const grown = spec.concatOf?.(n);
      if (grown && strings.has(grown)) add(n, 'perf-string-concat');
    }
    const loop = spec.loopOf(n);
    if (loop) {
      if (loop.iter && loops.some((l) => l.iter === loop.iter)) add(n, 'perf-nested-loop');
      loops = [...loops, loop];
    }
    for (const c of n.namedChildren) if (c) walk(c, loops, strings, depth + 1);
  };
  walk(root, [], new Set(), 0);
  return out;
}

/** Identifier texts of a pattern node (`x`, `(k, v)`, `|a, b|`). */
export function namesIn(n: Node | null | undefined, idTypes: ReadonlySet<string> = new Set(['identifier'])): string[] {
  if (!n) return [];
  if (idTypes.has(n.type)) return [n.text];
  return n.descendantsOfType([...idTypes]).flatMap((x) => (x ? [x.text] : []));
}
