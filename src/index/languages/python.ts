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
 */
import type { Node } from 'web-tree-sitter';
import type { CodeSymbol, ImportRef } from '../types.ts';
import type { Extraction, LanguageModule } from './types.ts';
import { cleandoc, collapse, profileOf, type FileProfile } from '../metrics.ts';
import { calleeOf, enclosingFunction, enterBlock, makeSymbol, newFrame, qualify, type Frame } from './common.ts';

const BLOCKS = new Set(['if_statement', 'for_statement', 'while_statement', 'try_statement', 'with_statement', 'match_statement']);
const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

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

/** The docstring of a function/class body block, cleaned like `inspect.cleandoc`. */
function docstringOf(body: Node | null): string | null {
  const first = body?.firstNamedChild;
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

function paramsOf(fn: Node): string[] {
  const params = fn.childForFieldName('parameters');
  const out: string[] = [];
  if (!params) return out;
  for (const p of params.namedChildren) {
    if (!p) continue;
    const name = paramName(p);
    if (name) out.push(name);
  }
  return out;
}

function importsOf(node: Node, imports: ImportRef[]): void {
  const line = node.startPosition.row + 1;
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
  const moduleNode = node.type === 'future_import_statement' ? null : node.childForFieldName('module_name');
  const module = node.type === 'future_import_statement' ? '__future__' : (moduleNode?.text ?? '');
  const names: ImportRef['names'] = [];
  for (const c of node.namedChildren) {
    if (!c || c === moduleNode || (moduleNode && c.startIndex === moduleNode.startIndex)) continue;
    if (c.type === 'wildcard_import') names.push({ local: '*', imported: '*' });
    else if (c.type === 'aliased_import') {
      const imported = c.childForFieldName('name')?.text ?? '';
      names.push({ local: c.childForFieldName('alias')?.text ?? imported, imported });
    } else if (c.type === 'dotted_name' || c.type === 'identifier') names.push({ local: c.text, imported: c.text });
  }
  imports.push({ module, names, line });
}

class PythonWalker {
  readonly symbols: CodeSymbol[] = [];
  readonly imports: ImportRef[] = [];
  /** > 0 inside an `assert` statement, whose content radon does not visit. */
  private muted = 0;

  constructor(
    private readonly profile: FileProfile,
    private readonly source: string,
  ) {}

  private count(frame: Frame, n: number): void {
    if (this.muted === 0) frame.decisions += n;
  }

  visit(node: Node, frame: Frame): void {
    switch (node.type) {
      case 'decorated_definition': {
        const decorators: string[] = [];
        for (const c of node.namedChildren) {
          if (c?.type === 'decorator') decorators.push(collapse(c.text.replace(/^@\s*/, '')));
        }
        const def = node.childForFieldName('definition');
        if (def?.type === 'function_definition') this.func(def, frame, decorators);
        else if (def?.type === 'class_definition') this.cls(def, frame, decorators);
        return;
      }
      case 'function_definition':
        this.func(node, frame, []);
        return;
      case 'class_definition':
        this.cls(node, frame, []);
        return;
      case 'import_statement':
      case 'import_from_statement':
      case 'future_import_statement':
        importsOf(node, this.imports);
        return;
      case 'assert_statement':
        this.count(frame, 1);
        this.muted++;
        this.children(node, frame);
        this.muted--;
        return;
      case 'if_statement': {
        let elifs = 0;
        for (const c of node.children) if (c?.type === 'elif_clause') elifs++;
        this.count(frame, 1 + elifs);
        break;
      }
      case 'for_statement':
      case 'while_statement': {
        const alt = node.childForFieldName('alternative');
        this.count(frame, 1 + (alt ? 1 : 0));
        break;
      }
      case 'try_statement': {
        let handlers = 0;
        let orelse = 0;
        let star = false;
        for (const c of node.children) {
          if (c?.type === 'except_clause') handlers++;
          else if (c?.type === 'except_group_clause') star = true;
          else if (c?.type === 'else_clause') orelse = 1;
        }
        if (!star) this.count(frame, handlers + orelse);
        break;
      }
      case 'conditional_expression':
      case 'boolean_operator':
        this.count(frame, 1);
        break;
      case 'call': {
        const fn = node.childForFieldName('function');
        if (fn && frame.kind === 'function') {
          const { callee, name } = calleeOf(fn);
          frame.calls.push({ callee, name, line: node.startPosition.row + 1, awaited: node.parent?.type === 'await' });
        }
        break;
      }
      case 'yield':
        frame.yields = true;
        break;
      default:
        if (COMPREHENSIONS.has(node.type)) {
          let n = 0;
          for (const c of node.namedChildren) if (c?.type === 'for_in_clause' || c?.type === 'if_clause') n++;
          this.count(frame, n);
        }
    }
    if (BLOCKS.has(node.type)) {
      enterBlock(frame);
      this.children(node, frame);
      frame.depth--;
    } else {
      this.children(node, frame);
    }
  }

  private children(node: Node, frame: Frame): void {
    if (node.childCount === 0) return;
    for (const c of node.children) if (c) this.visit(c, frame);
  }

  private func(def: Node, outer: Frame, decorators: string[]): void {
    const name = def.childForFieldName('name')?.text ?? '<anonymous>';
    const isMethod = outer.kind === 'class';
    const parent = enclosingFunction(outer);
    const display = qualify(outer.display, name);
    const frame = newFrame('function', display, name, outer);
    const body = def.childForFieldName('body');
    const savedMute = this.muted;
    this.muted = 0;
    if (body) this.children(body, frame);
    this.muted = savedMute;
    const symbol = makeSymbol(this.profile, this.source, {
      kind: isMethod ? 'method' : 'function',
      name,
      className: isMethod ? outer.name : null,
      displayName: display,
      startNode: def,
      endNode: def,
      params: paramsOf(def),
      decorators,
      isAsync: def.firstChild?.type === 'async',
      isGenerator: frame.yields,
      docstring: docstringOf(body),
      cyclomatic: 1 + frame.decisions,
      maxNesting: frame.maxNesting,
      calls: frame.calls,
      parent: isMethod ? null : parent,
    });
    this.symbols.push(symbol);
    if (isMethod) outer.methods.push(symbol);
  }

  private cls(def: Node, outer: Frame, decorators: string[]): void {
    const name = def.childForFieldName('name')?.text ?? '<anonymous>';
    const display = qualify(outer.display, name);
    const frame = newFrame('class', display, name, outer);
    const body = def.childForFieldName('body');
    const savedMute = this.muted;
    this.muted = 0;
    if (body) this.children(body, frame);
    this.muted = savedMute;
    const methods = frame.methods;
    const real = 1 + frame.decisions + methods.reduce((s, m) => s + m.metrics.cyclomatic, 0);
    const cyclomatic = methods.length ? Math.floor(real / methods.length) + (methods.length > 1 ? 1 : 0) : real;
    const bases: string[] = [];
    const supers = def.childForFieldName('superclasses');
    if (supers) for (const b of supers.namedChildren) if (b && b.type !== 'keyword_argument' && b.type !== 'comment') bases.push(collapse(b.text));
    const symbol = makeSymbol(this.profile, this.source, {
      kind: 'class',
      name,
      className: null,
      displayName: display,
      startNode: def,
      endNode: def,
      params: [],
      decorators,
      isAsync: false,
      isGenerator: false,
      docstring: docstringOf(body),
      cyclomatic,
      maxNesting: Math.max(frame.maxNesting, ...methods.map((m) => m.metrics.maxNesting)),
      calls: [],
      parent: enclosingFunction(outer),
      bases,
      methodCount: methods.length,
    });
    this.symbols.push(symbol);
  }
}

/** Python extraction (radon cc rules, see the module comment). */
export const python: LanguageModule = {
  id: 'python',
  extensions: ['.py'],
  grammar: 'tree-sitter-python/tree-sitter-python.wasm',
  extract(root: Node, source: string): Extraction {
    const walker = new PythonWalker(profileOf(root, source), source);
    walker.visit(root, newFrame('module', '', '', null));
    return { symbols: walker.symbols, imports: walker.imports };
  },
};
