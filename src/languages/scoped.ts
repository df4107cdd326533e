/**
 * One extractor for the languages whose code lives in classes and functions with braces or
 * `end` (Java, C, C++, C#, Ruby, PHP): a language gives a tree-sitter query and a few node
 * readers (`ScopedSpec`), this module replays the captures against a stack of scopes exactly as
 * the Go and JS extractors do (`common.ts`).
 *
 * Capture names of a spec's query:
 * - `@func` a function, method or constructor (a symbol; its decision points are its own);
 * - `@class` a class-like type (class, interface, enum, record, struct, module, trait);
 * - `@if`, `@loop`, `@block`, `@decision` counted by `countBranch` (the language's peer rule
 *   decides what is captured); lambdas and blocks are not captured as scopes, so their decision
 *   points and calls count toward the enclosing function, as Checkstyle, pmccabe, RuboCop,
 *   PHPMD and the .NET metrics count them;
 * - `@call` a call (`ScopedSpec.callee` reads the called expression), `@await` an awaited
 *   expression, `@import` an import (`ScopedSpec.imports`);
 * - `@skip` a range whose decision points do not count (pmccabe reads only the first branch of
 *   a preprocessor conditional, so C and C++ skip `#else` / `#elif` branches).
 */
import type { Node } from 'web-tree-sitter';
import type { CodeSymbol, ImportRef } from '../index/types.ts';
import type { Extraction } from './types.ts';
import { collapse, profileOf, type FileProfile, type Lexer } from '../index/metrics.ts';
import { classParts, countBranch, enclosingFunction, functionFigures, makeSymbol, methodFigures, newFrame, OpenAwaits, OpenRanges, qualify, queryFor, recordCall, sortedCaptures, type Frame } from './common.ts';

/** What a language tells the scoped extractor. */
export interface ScopedSpec {
  query: string;
  lexer: Lexer;
  /** Name of a `@func` node, or null for one without a name (it is then a hidden code path). */
  functionName(node: Node, source: string): string | null;
  /**
   * The class a function is declared in when the declaration says so itself (C++
   * `void Server::start()`, Ruby `def self.x` aside), or null.
   */
  ownerOf?(node: Node): string | null;
  /** Parameter names of a `@func` node. */
  params(node: Node): string[];
  /** Name of a `@class` node, or null (an anonymous class is a hidden scope). */
  className(node: Node): string | null;
  /** Base classes / interfaces / mixins of a `@class` node. */
  bases(node: Node): string[];
  /** Node whose first line is the symbol's start line (after annotations / attributes). */
  startOf?(node: Node): Node;
  /** Annotations / attributes of a declaration, without `@` / brackets. */
  decorators?(node: Node): string[];
  /** The doc comment of a declaration, markers stripped, or null. */
  docstring(node: Node, source: string): string | null;
  isAsync?(node: Node): boolean;
  /** The called expression's text of a `@call` node, or null to skip it. */
  callee(node: Node, source: string): string | null;
  /** Imports of an `@import` node (none when it is not one after all). */
  imports(node: Node, source: string): ImportRef[];
  /** Whether a `@decision` capture counts (RuboCop counts a block only on an iterating method); all count when absent. */
  counts?(node: Node): boolean;
}

const RANGES: ReadonlySet<string> = new Set(['func', 'class', 'if', 'loop', 'block', 'await', 'skip']);

/** Symbols and imports of one parsed file by `spec` (see the module comment). Pure. */
export function extractScoped(root: Node, source: string, spec: ScopedSpec): Extraction {
  const profile: FileProfile = profileOf(source, spec.lexer);
  const symbols: CodeSymbol[] = [];
  const imports: ImportRef[] = [];
  const open = new OpenRanges();
  const awaits = new OpenAwaits();
  let frame: Frame = newFrame('module', '', '', null);
  let skipping = 0;

  const enter = (inner: Frame, end: number, onClose: (f: Frame) => void): void => {
    const outer = frame;
    frame = inner;
    open.push(end, () => {
      frame = outer;
      onClose(inner);
    });
  };
  const hidden = (kind: Frame['kind'], end: number): void => {
    const f = newFrame(kind, frame.display, frame.name, frame);
    f.hidden = true;
    enter(f, end, () => {});
  };

  const openFunction = (node: Node, end: number): void => {
    const name = spec.functionName(node, source);
    if (!name) {
      hidden('function', end);
      return;
    }
    const outer = frame;
    const owner = spec.ownerOf?.(node) ?? null;
    const classFrame = !owner && outer.kind === 'class' && !outer.hidden ? outer : null;
    const className = owner ?? classFrame?.name ?? null;
    const display = owner ? qualify(qualify(outer.display, owner), name) : qualify(outer.display, name);
    enter(newFrame('function', display, name, outer), end, (inner) => {
      const symbol = makeSymbol(profile, source, {
        kind: className ? 'method' : 'function',
        name,
        className,
        displayName: display,
        startNode: spec.startOf?.(node) ?? node,
        endNode: node,
        params: spec.params(node),
        decorators: spec.decorators?.(node) ?? [],
        isAsync: spec.isAsync?.(node) ?? false,
        isGenerator: inner.yields,
        docstring: spec.docstring(node, source),
        ...functionFigures(inner),
        parent: className ? null : enclosingFunction(outer),
      });
      symbols.push(symbol);
      if (classFrame) classFrame.methods.push(symbol);
    });
  };

  const openClass = (node: Node, end: number): void => {
    const name = spec.className(node);
    if (!name) {
      hidden('class', end);
      return;
    }
    const outer = frame;
    const display = qualify(outer.display, name);
    enter(newFrame('class', display, name, outer), end, (inner) => {
      symbols.push(
        makeSymbol(profile, source, {
          ...classParts(),
          name,
          displayName: display,
          startNode: spec.startOf?.(node) ?? node,
          endNode: node,
          decorators: spec.decorators?.(node) ?? [],
          docstring: spec.docstring(node, source),
          ...methodFigures(inner.methods),
          parent: enclosingFunction(outer),
          bases: spec.bases(node),
        }),
      );
    });
  };

  for (const cap of sortedCaptures(queryFor(root.tree.language, spec.query), root, RANGES)) {
    open.closeUntil(cap.start);
    switch (cap.name) {
      case 'func':
        openFunction(cap.node, cap.end);
        break;
      case 'class':
        openClass(cap.node, cap.end);
        break;
      case 'await':
        awaits.enter(open, cap.end);
        break;
      case 'yield':
        frame.yields = true;
        break;
      case 'call': {
        if (frame.kind !== 'function' || frame.hidden) break;
        const text = spec.callee(cap.node, source);
        if (text) recordCall(frame, text, cap.node, awaits.innermostEndsAt(cap.node.endIndex));
        break;
      }
      case 'import':
        imports.push(...spec.imports(cap.node, source));
        break;
      case 'skip':
        skipping++;
        open.push(cap.end, () => skipping--);
        break;
      default: // if, loop, block, decision
        if (skipping === 0 && (cap.name !== 'decision' || !spec.counts || spec.counts(cap.node))) countBranch(cap, frame, open, source);
        break;
    }
  }
  open.closeAll();
  return { symbols, imports };
}

/** Clean the text of a `/** … *\/`, `/*! … *\/` or plain block comment: markers and leading `*` stripped. */
export function blockCommentText(comment: string): string | null {
  const body = comment.replace(/^\/\*[*!]?/, '').replace(/\*\/$/, '');
    const lines = body.split(/\r?\n/).map((l) => l.replace(/^\s*\*+ ?|^\s+/, '').trimEnd());
  while (lines.length && !lines[0].trim()) lines.shift();
  while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
  return lines.length ? lines.join('\n') : null;
}

/**
 * The doc comment right above `node` (no blank line between): a block comment accepted by
 * `block` (its text cleaned), or a run of line comments each matching `line` (markers
 * stripped). Null when there is none.
 */
export function commentAbove(node: Node, block: RegExp | null, line: RegExp | null): string | null {
  let prev = node.previousSibling;
  let row = node.startPosition.row;
  if (!prev || !prev.type.includes('comment') || prev.endPosition.row < row - 1) return null;
  const text = prev.text;
  if (block && text.startsWith('/*')) return block.test(text) ? blockCommentText(text) : null;
  if (!line) return null;
  const lines: string[] = [];
  while (prev && prev.type.includes('comment') && prev.endPosition.row >= row - 1 && line.test(prev.text)) {
    lines.unshift(prev.text.replace(line, '').replace(/^ /, '').trimEnd());
    row = prev.startPosition.row;
    prev = prev.previousSibling;
  }
  while (lines.length && !lines[0].trim()) lines.shift();
  while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
  return lines.length ? lines.join('\n') : null;
}

/** The called expression of a call node: its text up to the arguments, whitespace collapsed. */
export function textBeforeArguments(node: Node, source: string, field = 'arguments'): string {
  const args = node.childForFieldName(field);
  return collapse(source.slice(node.startIndex, args ? args.startIndex : node.endIndex));
}
