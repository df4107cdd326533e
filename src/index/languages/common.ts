/**
 * Building blocks shared by the language modules. Extraction runs one tree-sitter query per
 * file (the walk happens inside wasm, which is several times cheaper than visiting nodes from
 * JS) and replays its captures in source order against a stack of open ranges: scopes
 * (functions, classes) and control-flow blocks. A `Frame` keeps the books of one scope.
 */
import { Query, type Language, type Node } from 'web-tree-sitter';
import type { CallSite, CodeSymbol, SymbolKind } from '../types.ts';
import { collapse, endLineOf, linesText, nlocBetween, tokensBetween, type FileProfile } from '../metrics.ts';

/** Accumulator for one function, class or module scope. */
export interface Frame {
  kind: 'module' | 'class' | 'function';
  /** Display name of the scope ('' for the module). */
  display: string;
  /** Plain name of the scope. */
  name: string;
  /** Decision points found so far (cyclomatic = 1 + decisions). */
  decisions: number;
  /** Current depth of control-flow blocks and the deepest seen. */
  depth: number;
  maxNesting: number;
  calls: CallSite[];
  yields: boolean;
  /** Methods of a class frame, in the order found. */
  methods: CodeSymbol[];
  parent: Frame | null;
  /** A code path that is not a symbol (anonymous callback, field initialiser). */
  hidden?: boolean;
}

export function newFrame(kind: Frame['kind'], display: string, name: string, parent: Frame | null): Frame {
  return { kind, display, name, decisions: 0, depth: 0, maxNesting: 0, calls: [], yields: false, methods: [], parent };
}

/** Enter a control-flow block in `frame` (the caller decrements `depth` on leaving). */
export function enterBlock(frame: Frame): void {
  frame.depth++;
  if (frame.depth > frame.maxNesting) frame.maxNesting = frame.depth;
}

/** Display name of the nearest enclosing function frame, or null. */
export function enclosingFunction(frame: Frame | null): string | null {
  for (let f = frame; f; f = f.parent) if (f.kind === 'function' && !f.hidden) return f.display;
  return null;
}

/** Join a scope's display name and a member name. */
export function qualify(scope: string, name: string): string {
  return scope ? `${scope}.${name}` : name;
}

/** One query capture with its range resolved once. */
export interface Capture {
  name: string;
  node: Node;
  start: number;
  end: number;
}

const queries = new WeakMap<Language, Map<string, Query>>();

/** A compiled query for a grammar, cached per grammar and source text. */
export function queryFor(language: Language, source: string): Query {
  let byText = queries.get(language);
  if (!byText) queries.set(language, (byText = new Map()));
  let q = byText.get(source);
  if (!q) byText.set(source, (q = new Query(language, source)));
  return q;
}

/**
 * Captures of `query` under `root`, zero-width (MISSING) nodes dropped, ordered by start
 * ascending and end descending, so an enclosing node always comes before what it contains.
 */
export function sortedCaptures(query: Query, root: Node): Capture[] {
  const out: Capture[] = [];
  for (const c of query.captures(root)) {
    const start = c.node.startIndex;
    const end = c.node.endIndex;
    if (end > start) out.push({ name: c.name, node: c.node, start, end });
  }
  let sorted = true;
  for (let i = 1; i < out.length && sorted; i++) {
    const a = out[i - 1];
    const b = out[i];
    if (a.start > b.start || (a.start === b.start && a.end < b.end)) sorted = false;
  }
  if (!sorted) out.sort((a, b) => a.start - b.start || b.end - a.end);
  return out;
}

/** Ranges open at the current position of a replay; each closes with its callback. */
export class OpenRanges {
  private readonly ends: number[] = [];
  private readonly closers: (() => void)[] = [];

  push(end: number, close: () => void): void {
    this.ends.push(end);
    this.closers.push(close);
  }

  /** Close every open range that ends at or before `position`, innermost first. */
  closeUntil(position: number): void {
    while (this.ends.length && this.ends[this.ends.length - 1] <= position) {
      this.ends.pop();
      this.closers.pop()!();
    }
  }

  closeAll(): void {
    this.closeUntil(Infinity);
  }
}

export interface SymbolParts {
  kind: SymbolKind;
  name: string;
  className: string | null;
  displayName: string;
  /** Node whose first line is the symbol's start line (the `def`/`function`/`fn` line). */
  startNode: Node;
  /** Node whose last line is the symbol's end line. */
  endNode: Node;
  params: string[];
  decorators: string[];
  isAsync: boolean;
  isGenerator: boolean;
  docstring: string | null;
  cyclomatic: number;
  maxNesting: number;
  calls: CallSite[];
  parent: string | null;
  bases?: string[];
  methodCount?: number;
}

/** Assemble a symbol: exact whole-line source and nloc/tokens from the file profile. */
export function makeSymbol(p: FileProfile, source: string, parts: SymbolParts): CodeSymbol {
  const startLine = parts.startNode.startPosition.row + 1;
  const endLine = Math.max(startLine, endLineOf(parts.endNode));
  const symbol: CodeSymbol = {
    kind: parts.kind,
    name: parts.name,
    className: parts.className,
    displayName: parts.displayName,
    startLine,
    endLine,
    params: parts.params,
    decorators: parts.decorators,
    isAsync: parts.isAsync,
    isGenerator: parts.isGenerator,
    docstring: parts.docstring,
    source: linesText(p, source, startLine, endLine),
    metrics: {
      cyclomatic: parts.cyclomatic,
      nloc: nlocBetween(p, startLine, endLine),
      tokens: tokensBetween(p, parts.startNode.startIndex, parts.endNode.endIndex),
      params: parts.params.length,
      maxNesting: parts.maxNesting,
    },
    calls: parts.calls,
    parent: parts.parent,
  };
  if (parts.bases) symbol.bases = parts.bases;
  if (parts.methodCount !== undefined) symbol.methodCount = parts.methodCount;
  return symbol;
}

/** Callee text (whitespace collapsed, capped at 200 chars) and its last name segment. */
export function calleeOf(text: string): { callee: string; name: string } {
  let callee = /\s/.test(text) ? collapse(text) : text;
  if (callee.length > 200) callee = callee.slice(0, 200);
  const m = /([A-Za-z_$\u00C0-\uFFFF][\w$\u00C0-\uFFFF]*)[^\w$\u00C0-\uFFFF]*$/.exec(callee);
  return { callee, name: m ? m[1] : callee };
}
