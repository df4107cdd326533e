/**
 * Python: functions, methods, nested functions, classes and imports from tree-sitter-python,
 * with cyclomatic complexity computed by radon's `cc` rules (radon 5.1, `ComplexityVisitor`):
 *
 * - a function is 1 + the decision points of its body; decorators, default values and
 *   annotations are not looked at, and nested functions and classes are their own blocks;
 * - `if` and each `elif` +1; a conditional expression +1; each `and`/`or` +1;
 * - `for` / `async for` / `while` +1, and +1 more when they have an `else`;
 * - `try` +1 per `except` clause and +1 for its `else` (an `except*` try, radon's `TryStar`,
 *   counts nothing); `with`, `match`/`case` and `finally` count nothing;
 * - each comprehension `for` +1 and each comprehension `if` +1 (lambdas belong to the
 *   enclosing function);
 * - `assert` +1, and nothing inside the assert statement is counted;
 * - a class is radon's class figure: real = 1 + its body's own decisions + the sum of its
 *   methods' complexities, reported as floor(real / methods) + (methods > 1), or real when it
 *   has no methods.
 *
 * Max nesting counts `if`, `for`, `while`, `try`, `with` and `match` blocks.
 */
import type { Node } from 'web-tree-sitter';
import type { CodeSymbol, ImportRef } from '../../index/types.ts';
import type { Extraction } from '../types.ts';
import { cleandoc, collapse, profileOf, PYTHON_LEXER, type FileProfile } from '../../index/metrics.ts';
import { classParts, enclosingFunction, enterBlock, functionFigures, makeSymbol, newFrame, OpenAwaits, OpenRanges, qualify, recordCall, sortedCaptures, type Frame } from '../common.ts';
import { PYTHON_QUERIES } from './queries.ts';

const QUERY = `
(function_definition) @func
(class_definition) @class
(decorator) @decorator
(if_statement) @if
[(for_statement) (while_statement)] @loop
(try_statement) @try
[(with_statement) (match_statement)] @block
(except_clause) @except
(else_clause) @else
[(elif_clause) (boolean_operator) (conditional_expression) (for_in_clause)] @decision
(if_clause) @ifclause
(assert_statement) @assert
(call) @call
(await) @await
(yield) @yield
[(import_statement) (import_from_statement) (future_import_statement)] @import
`;
const SHARED = PYTHON_QUERIES.add(QUERY);


/** Capture names that open a range (scope or block); only these need their end offset. */
const RANGES: ReadonlySet<string> = new Set(['func', 'class', 'decorator', 'if', 'loop', 'try', 'block', 'assert', 'await']);
/** Text of a docstring node (`string` or implicitly concatenated strings) or null (f-strings). */
function stringLiteralText(node: Node): string | null {
  const parts = node.type === 'concatenated_string' ? node.namedChildren : [node];
  let out = '';
  for (const part of parts) {
    if (!part || part.type !== 'string') return null;
    const m = /^([rRbBuU]*)("""|'''|"|')([\s\S]*?)(?:\2)?$/.exec(part.text);
    if (!m) return null;
    out += m[3];
  }
  return out;
}

/** `def name` / `async def name` / `class name` at a definition's start. */
const HEAD = /(?:async\s+)?(?:def|class)\s+([^\s(:[]+)/y;
/** A string literal opening a body: prefix and quote. */
const DOC_OPEN = /([rRbBuU]{0,2})("""|'''|"|')/y;
/** What may follow a docstring on its line: nothing, a comment, or `;`. */
const DOC_AFTER = /[ \t]*(?:[;#\r\n]|$)/y;

/**
 * The docstring of a function/class body block, cleaned like `inspect.cleandoc`. Read from
 * the text at the block's start (no node walk); unusual forms (implicitly concatenated
 * strings) fall back to the syntax tree.
 */
function docstringOf(body: Node | null, source: string): string | null {
  if (!body) return null;
  const start = body.startIndex;
  DOC_OPEN.lastIndex = start;
  const open = DOC_OPEN.exec(source);
  if (!open) return null;
  const quote = open[2];
  const from = start + open[0].length;
  let close = -1;
  if (quote.length === 3) close = source.indexOf(quote, from);
  else {
    for (let i = from; i < source.length; i++) {
      const c = source[i];
      if (c === '\\') i++;
      else if (c === quote) {
        close = i;
        break;
      } else if (c === '\n') break;
    }
  }
  if (close < 0) return docstringFromTree(body);
  DOC_AFTER.lastIndex = close + quote.length;
  if (!DOC_AFTER.test(source)) return docstringFromTree(body);
  return cleandoc(source.slice(from, close));
}

function docstringFromTree(body: Node): string | null {
  const first = body.firstNamedChild;
  if (!first || first.type !== 'expression_statement' || first.namedChildCount !== 1) return null;
  const expr = first.firstNamedChild;
  if (!expr || (expr.type !== 'string' && expr.type !== 'concatenated_string')) return null;
  const text = stringLiteralText(expr);
  return text === null ? null : cleandoc(text);
}

function paramName(p: Node): string | null {
  switch (p.type) {
    case 'identifier':
      return p.text;
    case 'list_splat_pattern':
    case 'dictionary_splat_pattern':
      return collapse(p.text);
    case 'default_parameter':
    case 'typed_default_parameter':
      return p.childForFieldName('name')?.text ?? null;
    case 'typed_parameter': {
      const inner = p.firstNamedChild;
      return inner && inner.type !== 'type' ? paramName(inner) : null;
    }
    default:
      return null; // `*` and `/` separators
  }
}

const PARAM = /^(\*{0,2})\s*([A-Za-z_\u00C0-\uFFFF][\w\u00C0-\uFFFF]*)/;

/**
 * Parameter names from the text of a parameter list: split at top-level commas (brackets,
 * strings and comments respected), `*`/`/` separators dropped, stars kept (`*args`).
 * Returns null when the text is not a plain `( … )` list or holds a lambda, so the caller
 * asks the tree.
 */
function paramsFromText(text: string): string[] | null {
  // A lambda default has commas of its own at depth 0: leave those lists to the tree.
  if (!text.startsWith('(') || !text.endsWith(')') || text.includes('lambda')) return null;
  const out: string[] = [];
  let depth = 0;
  let piece = 1;
  const flush = (end: number): boolean => {
    const p = text.slice(piece, end).replace(/#[^\n]*/g, '').trim();
    piece = end + 1;
    if (!p || p === '*' || p === '/') return true;
    const m = PARAM.exec(p);
    if (!m) return false;
    out.push(m[1] + m[2]);
    return true;
  };
  for (let i = 1; i < text.length - 1; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === '#') {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return null;
      i = nl;
    } else if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      const close = triple ? text.indexOf(c.repeat(3), i + 3) : text.indexOf(c, i + 1);
      if (close < 0 || (!triple && text.slice(i + 1, close).includes('\\'))) return null;
      i = triple ? close + 2 : close;
    } else if (c === ',' && depth === 0 && !flush(i)) return null;
  }
  return flush(text.length - 1) ? out : null;
}

function paramsOf(fn: Node, source: string): string[] {
  const params = fn.childForFieldName('parameters');
  const out: string[] = [];
  if (!params) return out;
  const fromText = paramsFromText(source.slice(params.startIndex, params.endIndex));
  if (fromText) return fromText;
  for (const p of params.namedChildren) {
    const name = p && paramName(p);
    if (name) out.push(name);
  }
  return out;
}

/** Whether an import statement sits in the body of `if TYPE_CHECKING:` (typing.TYPE_CHECKING): type checkers read it, Python never runs it. */
function underTypeChecking(node: Node): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'if_statement') return /^(?:typing\.)?TYPE_CHECKING$/.test(n.childForFieldName('condition')?.text ?? '');
    if (n.type !== 'block') return false;
  }
  return false;
}

function importsOf(node: Node, imports: ImportRef[]): void {
  const line = node.startPosition.row + 1;
  const start = imports.length;
  importsOfInner(node, imports, line);
  if (underTypeChecking(node)) for (let i = start; i < imports.length; i++) imports[i].typeOnly = true;
}

function importsOfInner(node: Node, imports: ImportRef[], line: number): void {
  if (node.type === 'import_statement') {
    for (const n of node.childrenForFieldName('name')) {
      if (!n) continue;
      if (n.type === 'aliased_import') {
        const mod = n.childForFieldName('name')?.text ?? '';
        imports.push({ module: mod, names: [{ local: n.childForFieldName('alias')?.text ?? mod, imported: mod }], line });
      } else {
        const mod = n.text;
        imports.push({ module: mod, names: [{ local: mod.split('.')[0], imported: mod }], line });
      }
    }
    return;
  }
  const future = node.type === 'future_import_statement';
  const moduleNode = future ? null : node.childForFieldName('module_name');
  const names: ImportRef['names'] = [];
  for (const c of node.namedChildren) {
    if (!c || (moduleNode && c.startIndex === moduleNode.startIndex)) continue;
    if (c.type === 'wildcard_import') names.push({ local: '*', imported: '*' });
    else if (c.type === 'aliased_import') {
      const imported = c.childForFieldName('name')?.text ?? '';
      names.push({ local: c.childForFieldName('alias')?.text ?? imported, imported });
    } else if (c.type === 'dotted_name' || c.type === 'identifier') names.push({ local: c.text, imported: c.text });
  }
  imports.push({ module: future ? '__future__' : (moduleNode?.text ?? ''), names, line });
}

/** An open control-flow block of the replay. */
interface Block {
  kind: 'if' | 'loop' | 'try' | 'other';
  frame: Frame;
  handlers: number;
  orelse: boolean;
  star: boolean;
}

export function extractPython(root: Node, source: string): Extraction {
  const profile: FileProfile = profileOf(source, PYTHON_LEXER);
  const symbols: CodeSymbol[] = [];
  const imports: ImportRef[] = [];
  const open = new OpenRanges();
  const blocks: Block[] = [];
  let frame = newFrame('module', '', '', null);
  /** Decisions (assert bodies) and decisions + calls (decorators, def headers) not counted. */
  let mutedDecisions = 0;
  let mutedAll = 0;
  /** End offset of the innermost `await` expression: a call ending there is awaited. */
  const awaits = new OpenAwaits();

  /** Decorators seen since the last definition; the next `def`/`class` owns them. */
  let pendingDecorators: { text: string; end: number }[] = [];
  const takeDecorators = (defStart: number): string[] => {
    const pending = pendingDecorators;
    pendingDecorators = [];
    if (pending.length === 0) return [];
    // Only blank lines and comments may separate the last decorator from its definition.
    if (!/^(?:\s|#[^\n]*)*$/.test(source.slice(pending[pending.length - 1].end, defStart))) return [];
    return pending.map((d) => collapse(d.text.replace(/^@\s*/, '')));
  };
  const count = (n: number): void => {
    if (mutedDecisions === 0 && mutedAll === 0) frame.decisions += n;
  };
  const mute = (end: number, all: boolean): void => {
    if (all) mutedAll++;
    else mutedDecisions++;
    open.push(end, () => (all ? mutedAll-- : mutedDecisions--));
  };
  const openBlock = (end: number, kind: Block['kind']): void => {
    const block: Block = { kind, frame, handlers: 0, orelse: false, star: false };
    enterBlock(frame);
    blocks.push(block);
    const muted = mutedDecisions + mutedAll > 0;
    open.push(end, () => {
      blocks.pop();
      block.frame.depth--;
      if (kind === 'try' && !block.star && !muted) block.frame.decisions += block.handlers + (block.orelse ? 1 : 0);
    });
  };

  const openScope = (node: Node, kind: 'function' | 'class'): void => {
    const outer = frame;
    HEAD.lastIndex = node.startIndex;
    const head = HEAD.exec(source);
    const name = head ? head[1] : (node.childForFieldName('name')?.text ?? '<anonymous>');
    const body = node.childForFieldName('body');
    const display = qualify(outer.display, name);
    const inner = newFrame(kind, display, name, outer);
    const decorators = takeDecorators(node.startIndex);
    const saved = { mutedDecisions, mutedAll, blocks: blocks.length };
    // The header (name, parameters, defaults, annotations) is not part of the body radon visits.
    mutedDecisions = 0;
    mutedAll = body ? 1 : 0;
    frame = inner;
    open.push(node.endIndex, () => {
      frame = outer;
      mutedDecisions = saved.mutedDecisions;
      mutedAll = saved.mutedAll;
      blocks.length = saved.blocks;
      if (kind === 'function') {
        const isMethod = outer.kind === 'class';
        const symbol = makeSymbol(profile, source, {
          kind: isMethod ? 'method' : 'function',
          name,
          className: isMethod ? outer.name : null,
          displayName: display,
          startNode: node,
          endNode: node,
          params: paramsOf(node, source),
          decorators,
          isAsync: source.startsWith('async', node.startIndex),
          isGenerator: inner.yields,
          docstring: docstringOf(body, source),
          ...functionFigures(inner),
          parent: isMethod ? null : enclosingFunction(outer),
        });
        symbols.push(symbol);
        if (isMethod) outer.methods.push(symbol);
      } else {
        const methods = inner.methods;
        const real = 1 + inner.decisions + methods.reduce((s, m) => s + m.metrics.cyclomatic, 0);
        const bases: string[] = [];
        const supers = node.childForFieldName('superclasses');
        if (supers) {
          for (const b of supers.namedChildren) if (b && b.type !== 'keyword_argument' && b.type !== 'comment') bases.push(collapse(b.text));
        }
        symbols.push(
          makeSymbol(profile, source, {
            ...classParts(),
            name,
            displayName: display,
            startNode: node,
            endNode: node,
            decorators,
            docstring: docstringOf(body, source),
            cyclomatic: methods.length ? Math.floor(real / methods.length) + (methods.length > 1 ? 1 : 0) : real,
            maxNesting: Math.max(inner.maxNesting, ...methods.map((m) => m.metrics.maxNesting)),
            parent: enclosingFunction(outer),
            bases,
            methodCount: methods.length,
          }),
        );
      }
    });
    // Pushed after the scope so it closes first (the stack is ordered by end offset).
    if (body) open.push(body.startIndex, () => mutedAll--);
  };

  for (const cap of sortedCaptures(SHARED, root, RANGES)) {
    open.closeUntil(cap.start);
    switch (cap.name) {
      case 'func':
        openScope(cap.node, 'function');
        break;
      case 'class':
        openScope(cap.node, 'class');
        break;
      case 'decorator':
        pendingDecorators.push({ text: source.slice(cap.start, cap.end), end: cap.end });
        mute(cap.end, true);
        break;
      case 'if':
        count(1);
        openBlock(cap.end, 'if');
        break;
      case 'loop':
        count(1);
        openBlock(cap.end, 'loop');
        break;
      case 'try':
        openBlock(cap.end, 'try');
        break;
      case 'block':
        openBlock(cap.end, 'other');
        break;
      case 'except': {
        const b = blocks[blocks.length - 1];
        if (b?.kind === 'try') {
          b.handlers++;
          if (/^except\s*\*/.test(source.slice(cap.start, cap.start + 12))) b.star = true;
        }
        break;
      }
      case 'else': {
        const b = blocks[blocks.length - 1];
        if (b?.kind === 'loop') count(1);
        else if (b?.kind === 'try') b.orelse = true;
        break;
      }
      case 'decision':
        count(1);
        break;
      case 'ifclause':
        // A comprehension `if`; the same node type is a `case` guard, which radon ignores.
        if (cap.node.parent?.type !== 'case_clause') count(1);
        break;
      case 'assert':
        count(1);
        mute(cap.end, false);
        break;
      case 'await':
        awaits.enter(open, cap.end);
        break;
      case 'yield':
        if (mutedAll === 0) frame.yields = true;
        break;
      case 'call': {
        if (frame.kind !== 'function' || mutedAll > 0) break;
        const fn = cap.node.childForFieldName('function');
        if (!fn) break;
        recordCall(frame, source.slice(fn.startIndex, fn.endIndex), cap.node, awaits.innermostEndsAt(cap.node.endIndex));
        break;
      }
      case 'import':
        importsOf(cap.node, imports);
        break;
    }
  }
  open.closeAll();
  return { symbols, imports };
}

