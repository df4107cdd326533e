/**
 * Building blocks shared by the language modules. Extraction runs one tree-sitter query per
 * file (the walk happens inside wasm, which is several times cheaper than visiting nodes from
 * JS) and replays its captures in source order against a stack of open ranges: scopes
 * (functions, classes) and control-flow blocks. A `Frame` keeps the books of one scope.
 */
import { Query, type Language, type Node, type QueryCapture, type Tree } from 'web-tree-sitter';
import type { CallSite, CodeSymbol, SymbolKind } from '../index/types.ts';
import { collapse, endLineOf, linesText, nlocBetween, tokensBetween, type FileProfile } from '../index/metrics.ts';

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

/** One query capture. `end` is resolved only for the capture names that open a range. */
export interface Capture {
  name: string;
  node: Node;
  start: number;
  /** End offset for captures named in `withEnd`, else -1 (reading it costs a wasm call). */
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

/** What `sortedCaptures` needs of a query: a compiled `Query` or a `SharedQueries` member. */
export interface CaptureSource {
  captures(node: Node): QueryCapture[];
}

/**
 * Queries of one language family (the index's extraction and its fact collectors) that share one
 * pass of tree-sitter's query cursor over a file. Each pass walks the whole tree inside wasm, and
 * on the Python standard library four passes cost about as much as the parse itself (issue 14): one
 * pass with every pattern costs about one. Captures are renamed `q<i>_<name>` in the combined
 * query and handed back to each member under their own names, in the order the member's query
 * alone gives: tree-sitter orders captures by node start, then by pattern index, and a member's
 * patterns keep their relative order in the combined query. A query on a node other than the
 * tree's root runs alone.
 */
export class SharedQueries {
  private readonly sources: string[] = [];
  private readonly compiled = new WeakMap<Language, { query: Query; count: number }>();
  /** The split captures of each tree, kept no longer than the tree object (a file's captures go with it). */
  private readonly byTree = new WeakMap<Tree, { count: number; byMember: QueryCapture[][] }>();

  /** Add a query (tree-sitter query syntax); its captures come from the shared pass. */
  add(source: string): CaptureSource {
    const member = this.sources.length;
    this.sources.push(source);
    return { captures: (node) => this.capturesOf(node, member) };
  }

  private combined(language: Language): Query {
    const c = this.compiled.get(language);
    if (c && c.count === this.sources.length) return c.query;
    const query = new Query(language, this.sources.map((s, i) => renameCaptures(s, `q${i}_`)).join('\n'));
    this.compiled.set(language, { query, count: this.sources.length });
    return query;
  }

  private capturesOf(node: Node, member: number): QueryCapture[] {
    const tree = node.tree;
    if (node.parent !== null) return queryFor(tree.language, this.sources[member]).captures(node);
    let split = this.byTree.get(tree);
    if (!split || split.count !== this.sources.length) {
      const byMember: QueryCapture[][] = this.sources.map(() => []);
      for (const c of this.combined(tree.language).captures(node)) {
        const cut = c.name.indexOf('_');
        const i = Number(c.name.slice(1, cut));
        c.name = c.name.slice(cut + 1);
        byMember[i].push(c);
      }
      split = { count: this.sources.length, byMember };
      this.byTree.set(tree, split);
    }
    return split.byMember[member];
  }
}

/** `source` with every capture name (`@name`, in patterns and predicates) prefixed; string literals are left alone. */
function renameCaptures(source: string, prefix: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '"') {
      let j = i + 1;
      while (j < source.length && source[j] !== '"') j += source[j] === '\\' ? 2 : 1;
      out += source.slice(i, j + 1);
      i = j;
    } else if (ch === ';') {
      // a comment runs to the end of the line
      const nl = source.indexOf('\n', i);
      const j = nl < 0 ? source.length : nl;
      out += source.slice(i, j);
      i = j - 1;
    } else if (ch === '@') out += `@${prefix}`;
    else out += ch;
  }
  return out;
}

/**
 * Captures of `query` under `root` in source order (tree-sitter returns them by start). The
 * ranges that open scopes or blocks start with a keyword, so nothing they contain shares their
 * start; where that is not so (Rust's postfix `.await`), name both in `withEnd` and equal
 * starts are ordered by end, enclosing first. Captures named in `withEnd` get their end
 * offset and are dropped when zero-width (MISSING nodes of error recovery).
 */
export function sortedCaptures(query: CaptureSource, root: Node, withEnd: ReadonlySet<string>): Capture[] {
  const out: Capture[] = [];
  let sorted = true;
  let last = -1;
  let lastEnd = -1;
  for (const c of query.captures(root)) {
    const start = c.node.startIndex;
    let end = -1;
    if (withEnd.has(c.name)) {
      end = c.node.endIndex;
      if (end <= start) continue;
    }
    if (start < last) sorted = false;
    else if (start > last) lastEnd = -1;
    // Same start: the enclosing range must come first (Rust's postfix `.await` wraps its call).
    if (end >= 0) {
      if (start === last && lastEnd >= 0 && lastEnd < end) sorted = false;
      lastEnd = end;
    }
    last = start;
    out.push({ name: c.name, node: c.node, start, end });
  }
  if (!sorted) {
    for (const c of out) if (c.end < 0) c.end = c.node.endIndex;
    out.sort((a, b) => a.start - b.start || b.end - a.end);
  }
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

const IDENT = /^[A-Za-z_$\u00C0-\uFFFF][\w$\u00C0-\uFFFF]*$/;
const LAST_NAME = /([A-Za-z_$\u00C0-\uFFFF][\w$\u00C0-\uFFFF]*)[^\w$\u00C0-\uFFFF]*$/;

/** Callee text (whitespace collapsed, capped at 200 chars) and its last name segment. */
export function calleeOf(text: string): { callee: string; name: string } {
  // Fast path: `name`, `a.b.name`, `a::b::name` (most calls).
  const cut = Math.max(text.lastIndexOf('.'), text.lastIndexOf(':'));
  const tail = cut >= 0 ? text.slice(cut + 1) : text;
  if (text.length <= 200 && IDENT.test(tail) && !/\s/.test(text)) return { callee: text, name: tail };
  let callee = /\s/.test(text) ? collapse(text) : text;
  if (callee.length > 200) callee = callee.slice(0, 200);
  const m = LAST_NAME.exec(callee);
  return { callee, name: m ? m[1] : callee };
}

/** Open a nesting block of `frame` that ends at offset `end` (closed by `open`). */
export function openNesting(frame: Frame, open: OpenRanges, end: number): void {
  enterBlock(frame);
  open.push(end, () => frame.depth--);
}

/**
 * The branch captures counted alike by the Go, Rust and JS/TS modules (gocyclo's and ESLint's
 * rules): `if` and `loop` add a decision and open a nesting block (an `else if` adds its
 * decision but stays at its chain's level), `block` only opens one, `decision` only counts.
 * Other capture names are left to the caller.
 */
export function countBranch(cap: Capture, frame: Frame, open: OpenRanges, source: string): void {
  switch (cap.name) {
    case 'if':
      frame.decisions++;
      // `else if` continues a chain: no deeper nesting.
      if (/else\s*$/.test(source.slice(Math.max(0, cap.start - 12), cap.start))) break;
      openNesting(frame, open, cap.end);
      break;
    case 'loop':
      frame.decisions++;
      openNesting(frame, open, cap.end);
      break;
    case 'block':
      openNesting(frame, open, cap.end);
      break;
    case 'decision':
      frame.decisions++;
      break;
  }
}

/** End offsets of the `await` expressions open at the replay position, innermost last. */
export class OpenAwaits {
  readonly ends: number[] = [];

  /** An `await` expression ending at offset `end`; it closes with the other open ranges. */
  enter(open: OpenRanges, end: number): void {
    this.ends.push(end);
    open.push(end, () => this.ends.pop());
  }

  /** Whether the innermost open `await` ends at offset `end` (a call ending there is awaited). */
  innermostEndsAt(end: number): boolean {
    return this.ends.length > 0 && this.ends[this.ends.length - 1] === end;
  }
}

/** Add a call to `frame`: callee from the called expression's text, line from the call `node`. */
export function recordCall(frame: Frame, calleeText: string, node: Node, awaited: boolean): void {
  const { callee, name } = calleeOf(calleeText);
  frame.calls.push({ callee, name, line: node.startPosition.row + 1, awaited });
}

/** A function's figures from its closed frame: cyclomatic 1 + decisions, deepest nesting, calls. */
export function functionFigures(inner: Frame): Pick<SymbolParts, 'cyclomatic' | 'maxNesting' | 'calls'> {
  return { cyclomatic: 1 + inner.decisions, maxNesting: inner.maxNesting, calls: inner.calls };
}

/**
 * A class's figures from its methods (Go, Rust and JS/TS rule): cyclomatic the sum of theirs
 * (1 when there are none), nesting the deepest of theirs, and their count.
 */
export function methodFigures(methods: CodeSymbol[]): { cyclomatic: number; maxNesting: number; methodCount: number } {
  return {
    cyclomatic: methods.reduce((s, m) => s + m.metrics.cyclomatic, 0) || 1,
    maxNesting: Math.max(0, ...methods.map((m) => m.metrics.maxNesting)),
    methodCount: methods.length,
  };
}

/** Set the `methodFigures` of a class symbol made before its methods were known. */
export function applyMethodFigures(cls: CodeSymbol, methods: CodeSymbol[]): void {
  const f = methodFigures(methods);
  cls.methodCount = f.methodCount;
  cls.metrics.cyclomatic = f.cyclomatic;
  cls.metrics.maxNesting = f.maxNesting;
}

/** The parts every class symbol has alike: no enclosing class, parameters or calls; not async, not a generator. */
export function classParts(): Pick<SymbolParts, 'kind' | 'className' | 'params' | 'isAsync' | 'isGenerator' | 'calls'> {
  return { kind: 'class', className: null, params: [], isAsync: false, isGenerator: false, calls: [] };
}

/** The methods among `symbols` that belong to class `className` (Go and Rust declare them apart from the type). */
export function methodsOfClass(symbols: CodeSymbol[], className: string): CodeSymbol[] {
  return symbols.filter((s) => s.kind === 'method' && s.className === className);
}
