/**
 * Building blocks shared by the language modules: the per-function accumulator (frame) that a
 * single tree walk fills with decision points, nesting, calls and yields, and the assembly of a
 * `CodeSymbol` from it. Each language decides what counts; this file only keeps the books.
 */
import type { Node } from 'web-tree-sitter';
import type { CallSite, CodeSymbol, SymbolKind } from '../types.ts';
import { collapse, endLineOf, linesText, nlocBetween, tokensBetween, type FileProfile } from '../metrics.ts';

/** Accumulator for one function, class or module scope during a walk. */
export interface Frame {
  kind: 'module' | 'class' | 'function';
  /** Display name of the scope ('' for the module). */
  display: string;
  /** Plain name of the class when kind = 'class'. */
  name: string;
  /** Decision points found so far (cyclomatic = base + decisions). */
  decisions: number;
  /** Current depth of control-flow blocks and the deepest seen. */
  depth: number;
  maxNesting: number;
  calls: CallSite[];
  yields: boolean;
  /** Functions defined directly in a class body (for class metrics). */
  methods: CodeSymbol[];
  parent: Frame | null;
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
  for (let f = frame; f; f = f.parent) if (f.kind === 'function') return f.display;
  return null;
}

/** Join a scope's display name and a member name. */
export function qualify(scope: string, name: string): string {
  return scope ? `${scope}.${name}` : name;
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
  const startOffset = p.lineStarts[startLine - 1] ?? 0;
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
      tokens: tokensBetween(p, Math.max(startOffset, parts.startNode.startIndex), parts.endNode.endIndex),
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

/** Callee text (whitespace collapsed, capped) and its last identifier-like segment. */
export function calleeOf(node: Node): { callee: string; name: string } {
  let callee = collapse(node.text);
  if (callee.length > 200) callee = callee.slice(0, 200);
  const m = /([A-Za-z_$][\w$]*)[^\w$]*$/.exec(callee);
  return { callee, name: m ? m[1] : callee };
}
