/**
 * JavaScript, TypeScript and TSX: one extractor over three grammars. Functions (declarations,
 * expressions, arrows, generators), methods, object-literal members, classes (declarations and
 * class expressions bound to a name) and imports (`import`, `require`, dynamic `import()`).
 *
 * Names: a function expression or arrow takes the name it is bound to (`const handler = …`,
 * `obj.prop = …`, `{ key: … }`, class field `foo = () => …`), else its own name; anonymous
 * callbacks are not symbols but keep their own complexity, like ESLint's code paths.
 *
 * Cyclomatic complexity is ESLint's core `complexity` rule with default options ("classic"):
 * 1 per function, +1 for each `if`, `for`, `for…in/of`, `while`, `do…while`, `catch`,
 * `case` with a test (not `default`), `?:`, `&&`, `||`, `??`, `&&=`, `||=`, `??=`, optional
 * link `?.` (member or call), and default value (parameter or destructuring). Nested functions,
 * class field initialisers and static blocks are separate code paths and add nothing to the
 * enclosing function. Max nesting counts `if` (an `else if` stays at its chain's level),
 * loops, `switch` and `try`.
 */
import type { Node } from 'web-tree-sitter';
import type { CodeSymbol, ImportRef } from '../../index/types.ts';
import type { Extraction } from '../types.ts';
import { C_LEXER, collapse, profileOf, type FileProfile } from '../../index/metrics.ts';
import { classParts, countBranch, enclosingFunction, functionFigures, makeSymbol, methodFigures, newFrame, OpenAwaits, OpenRanges, qualify, queryFor, recordCall, sortedCaptures, type Frame } from '../common.ts';

const COMMON = `
[(function_declaration) (generator_function_declaration) (function_expression) (generator_function) (arrow_function) (method_definition)] @func
(class_static_block) @hidden
(if_statement) @if
[(for_statement) (for_in_statement) (while_statement) (do_statement)] @loop
[(switch_statement) (try_statement)] @block
[(switch_case) (catch_clause) (ternary_expression) (assignment_pattern) (object_assignment_pattern)] @decision
(binary_expression operator: ["&&" "||" "??"]) @decision
(augmented_assignment_expression operator: ["&&=" "||=" "??="]) @decision
(call_expression) @call
(await_expression) @await
[(yield_expression)] @yield
(import_statement) @import
`;

const JS_QUERY = `${COMMON}
[(class_declaration) (class)] @class
(field_definition value: (_) @hidden)
(optional_chain) @decision
`;

const TS_QUERY = `${COMMON}
[(class_declaration) (class) (abstract_class_declaration)] @class
(public_field_definition value: (_) @hidden)
(required_parameter value: (_)) @decision
"?." @decision
`;

const FUNCTION_TYPES = new Set(['function_declaration', 'generator_function_declaration', 'function_expression', 'generator_function', 'arrow_function', 'method_definition']);

function unquote(text: string): string {
  return /^(['"`]).*\1$/s.test(text) ? text.slice(1, -1) : text;
}


/** Capture names that open a range (scope or block); only these need their end offset. */
const RANGES: ReadonlySet<string> = new Set(['func', 'class', 'hidden', 'if', 'loop', 'block', 'await']);
/** JSDoc text without comment markers, or null. */
function jsdocText(comment: string): string | null {
  if (!comment.startsWith('/**') || comment === '/**/') return null;
  const body = comment.slice(3, -2);
  const lines = body.split(/\r?\n/).map((l) => l.replace(/^\s*\*? ?/, '').trimEnd());
  while (lines.length && !lines[0].trim()) lines.shift();
  while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
  return lines.length ? lines.join('\n') : null;
}

/** The JSDoc comment right before `stmt` (skipping decorators), or null. */
function docstringBefore(stmt: Node): string | null {
  let top = stmt;
  let prev = stmt.previousSibling;
  while (prev && prev.type === 'decorator') {
    top = prev;
    prev = prev.previousSibling;
  }
  if (!prev || prev.type !== 'comment') return null;
  if (top.startPosition.row - prev.endPosition.row > 1) return null;
  return jsdocText(prev.text);
}

function paramText(p: Node): string | null {
  switch (p.type) {
    case 'identifier':
      return p.text;
    case 'this':
      return null;
    case 'assignment_pattern': {
      const left = p.childForFieldName('left');
      return left ? paramText(left) : null;
    }
    case 'required_parameter':
    case 'optional_parameter': {
      const pattern = p.childForFieldName('pattern');
      return pattern ? paramText(pattern) : null;
    }
    case 'comment':
    case 'decorator':
    case 'accessibility_modifier':
    case 'override_modifier':
      return null;
    default:
      return collapse(p.text);
  }
}

function paramsOf(fn: Node): string[] {
  const single = fn.childForFieldName('parameter');
  if (single) return [single.text];
  const params = fn.childForFieldName('parameters');
  const out: string[] = [];
  if (!params) return out;
  for (const p of params.namedChildren) {
    const name = p && paramText(p);
    if (name) out.push(name);
  }
  return out;
}

function esImport(node: Node): ImportRef | null {
  const source = node.childForFieldName('source');
  if (!source) return null;
  const names: ImportRef['names'] = [];
  for (const c of node.namedChildren) {
    if (c?.type !== 'import_clause') continue;
    for (const part of c.namedChildren) {
      if (!part) continue;
      if (part.type === 'identifier') names.push({ local: part.text, imported: 'default' });
      else if (part.type === 'namespace_import') {
        const id = part.namedChildren.find((x) => x?.type === 'identifier');
        if (id) names.push({ local: id.text, imported: '*' });
      } else if (part.type === 'named_imports') {
        for (const spec of part.namedChildren) {
          if (spec?.type !== 'import_specifier') continue;
          const imported = unquote(spec.childForFieldName('name')?.text ?? '');
          names.push({ local: spec.childForFieldName('alias')?.text ?? imported, imported });
        }
      }
    }
  }
  // `import type { X } from './x'`: erased by the compiler, no run-time import
  const typeOnly = node.children.some((c) => c?.type === 'type');
  return { module: unquote(source.text), names, line: node.startPosition.row + 1, ...(typeOnly ? { typeOnly: true as const } : {}) };
}

/** `require('m')` / `import('m')`: the module and the names bound by the enclosing declarator. */
function requireImport(call: Node): ImportRef | null {
  const arg = call.childForFieldName('arguments')?.firstNamedChild;
  if (!arg || arg.type !== 'string') return null;
  const names: ImportRef['names'] = [];
  const declarator = call.parent?.type === 'variable_declarator' ? call.parent : null;
  const target = declarator?.childForFieldName('name');
  if (target?.type === 'identifier') names.push({ local: target.text, imported: '*' });
  else if (target?.type === 'object_pattern') {
    for (const p of target.namedChildren) {
      if (p?.type === 'shorthand_property_identifier_pattern') names.push({ local: p.text, imported: p.text });
      else if (p?.type === 'pair_pattern') {
        names.push({ local: p.childForFieldName('value')?.text ?? '', imported: unquote(p.childForFieldName('key')?.text ?? '') });
      }
    }
  }
  return { module: unquote(arg.text), names, line: call.startPosition.row + 1 };
}

/** How a function or class is named and where its symbol starts. */
interface Binding {
  name: string | null;
  /** Qualifier for object members bound to a variable (`api` in `api.get`), or null. */
  owner: string | null;
  /** First node of the symbol's text (the declaration holding the name). */
  start: Node;
  /** Node the doc comment precedes. */
  docAnchor: Node;
  /** Bound as a class member (method or field). */
  member: boolean;
}

function memberName(node: Node | null): string | null {
  if (!node) return null;
  if (node.type === 'computed_property_name') return null;
  return unquote(node.text);
}

function objectOwner(object: Node | null): string | null {
  const holder = object?.parent;
  if (holder?.type === 'variable_declarator') return holder.childForFieldName('name')?.text ?? null;
  if (holder?.type === 'assignment_expression') return collapse(holder.childForFieldName('left')?.text ?? '') || null;
  return null;
}

/** Statement that carries the declaration's doc comment (`export …` wraps declarations). */
function statementOf(node: Node): Node {
  const p = node.parent;
  return p && (p.type === 'export_statement' || p.type === 'expression_statement') ? p : node;
}

function bindingOf(node: Node): Binding {
  const type = node.type;
  const own = node.childForFieldName('name');
  const parent = node.parent;
  if (type === 'method_definition') {
    const start = own && node.text.startsWith('@') ? own : node;
    const inClass = parent?.type === 'class_body';
    return { name: memberName(own), owner: inClass ? null : objectOwner(parent), start, docAnchor: node, member: inClass };
  }
  if (type === 'function_declaration' || type === 'generator_function_declaration' || type.endsWith('class_declaration')) {
    const start = own && node.text.startsWith('@') ? own : node;
    return { name: own?.text ?? null, owner: null, start, docAnchor: statementOf(node), member: false };
  }
  switch (parent?.type) {
    case 'variable_declarator': {
      const id = parent.childForFieldName('name');
      const decl = parent.parent ?? parent;
      if (id?.type === 'identifier') return { name: id.text, owner: null, start: decl, docAnchor: statementOf(decl), member: false };
      break;
    }
    case 'assignment_expression': {
      const left = parent.childForFieldName('left');
      if (left && (left.type === 'identifier' || left.type === 'member_expression')) {
        const text = collapse(left.text);
        // `module.exports = class PushInteractor {…}`: the module is the binding, the class's own
        // name is what readers and callers (`new PushInteractor`) know it by
        if ((text === 'module.exports' || text === 'exports') && own) {
          return { name: own.text, owner: null, start: parent, docAnchor: statementOf(parent), member: false };
        }
        // `var API = module.exports = function (opts) {…}`: the code calls it `API` (`API.prototype.x`)
        const declarator = parent.parent?.type === 'variable_declarator' ? parent.parent.childForFieldName('name') : null;
        if ((text === 'module.exports' || text === 'exports') && declarator?.type === 'identifier') {
          const decl = parent.parent!.parent ?? parent.parent!;
          return { name: declarator.text, owner: null, start: decl, docAnchor: statementOf(decl), member: false };
        }
        const dot = text.lastIndexOf('.');
        return { name: dot >= 0 ? text.slice(dot + 1) : text, owner: dot >= 0 ? text.slice(0, dot) : null, start: parent, docAnchor: statementOf(parent), member: false };
      }
      break;
    }
    case 'pair': {
      const key = memberName(parent.childForFieldName('key'));
      if (key) return { name: key, owner: objectOwner(parent.parent), start: parent, docAnchor: parent, member: false };
      break;
    }
    case 'field_definition':
    case 'public_field_definition': {
      const key = parent.childForFieldName('property') ?? parent.childForFieldName('name');
      const name = memberName(key);
      if (name && key) return { name, owner: null, start: key, docAnchor: parent, member: true };
      break;
    }
  }
  return { name: own?.text ?? null, owner: null, start: node, docAnchor: statementOf(node), member: false };
}

function extractJs(root: Node, source: string, query: string): Extraction {
  const profile: FileProfile = profileOf(source, C_LEXER);
  const symbols: CodeSymbol[] = [];
  const imports: ImportRef[] = [];
  const open = new OpenRanges();
  let frame: Frame = newFrame('module', '', '', null);
  const awaits = new OpenAwaits();

  const enter = (inner: Frame, end: number, onClose: (f: Frame) => void): void => {
    const outer = frame;
    frame = inner;
    open.push(end, () => {
      frame = outer;
      onClose(inner);
    });
  };
  /**
   * A code path that is not a symbol: anonymous function, field initialiser, static block. Its
   * calls belong to the enclosing function (`.then(function () { return pspawn(cmd) })` is how
   * `dockerMode` calls `pspawn`); its branches stay its own, as ESLint counts them.
   */
  const hidden = (end: number): void => {
    const f = newFrame('function', frame.display, frame.name, frame);
    f.hidden = true;
    enter(f, end, (inner) => {
      if (inner.parent?.kind === 'function') inner.parent.calls.push(...inner.calls);
    });
  };

  const openFunction = (node: Node, end: number): void => {
    const b = bindingOf(node);
    if (!b.name) {
      hidden(end);
      return;
    }
    const outer = frame;
    const classFrame = b.member && outer.kind === 'class' ? outer : null;
    // `CLI.prototype.m = function…` names a method of CLI wherever it is written (pm2 adds them
    // inside `module.exports = function (CLI) {…}` mixins)
    const scope = b.owner && /^[\w$]+\.prototype$/.test(b.owner) ? b.owner : b.owner ? qualify(outer.display, b.owner) : outer.display;
    const display = qualify(scope, b.name);
    const name = b.name;
    enter(newFrame('function', display, name, outer), end, (inner) => {
      const nameNode = node.childForFieldName('name') ?? node.childForFieldName('parameters') ?? node.childForFieldName('parameter');
      const head = source.slice(node.startIndex, nameNode ? nameNode.startIndex : node.startIndex + 40);
      const symbol = makeSymbol(profile, source, {
        kind: classFrame ? 'method' : 'function',
        name,
        className: classFrame ? classFrame.name : null,
        displayName: display,
        startNode: b.start,
        endNode: node,
        params: paramsOf(node),
        decorators: decoratorsOf(node.type === 'method_definition' ? node : b.member && b.start.parent ? b.start.parent : node, source),
        isAsync: /^(?:@[^\n]*\n\s*)*(?:[\w\s]*\s)?async\b/.test(head) && !/^function\b/.test(head.trimStart()),
        isGenerator: node.type.startsWith('generator') || (node.type === 'method_definition' && /\*/.test(head.replace(/@[^\n]*\n/g, ''))),
        docstring: docstringBefore(b.docAnchor),
        ...functionFigures(inner),
        parent: classFrame ? null : enclosingFunction(outer),
      });
      symbols.push(symbol);
      if (classFrame) classFrame.methods.push(symbol);
    });
  };

  const openClass = (node: Node, end: number): void => {
    const b = bindingOf(node);
    if (!b.name) {
      hidden(end);
      return;
    }
    const outer = frame;
    const display = qualify(outer.display, b.name);
    const name = b.name;
    enter(newFrame('class', display, name, outer), end, (inner) => {
      const methods = inner.methods;
      const bases: string[] = [];
      for (const c of node.namedChildren) {
        if (c?.type !== 'class_heritage') continue;
        for (const h of c.namedChildren) {
          if (!h) continue;
          if (h.type === 'extends_clause' || h.type === 'implements_clause') {
            for (const v of h.namedChildren) if (v && v.type !== 'type_arguments') bases.push(collapse(v.text));
          } else bases.push(collapse(h.text));
        }
      }
      symbols.push(
        makeSymbol(profile, source, {
          ...classParts(),
          name,
          displayName: display,
          startNode: b.start,
          endNode: node,
          decorators: decoratorsOf(node, source),
          docstring: docstringBefore(b.docAnchor),
          ...methodFigures(methods),
          parent: enclosingFunction(outer),
          bases,
        }),
      );
    });
  };

  for (const cap of sortedCaptures(queryFor(root.tree.language, query), root, RANGES)) {
    open.closeUntil(cap.start);
    switch (cap.name) {
      case 'func':
        openFunction(cap.node, cap.end);
        break;
      case 'class':
        openClass(cap.node, cap.end);
        break;
      case 'hidden':
        // A function-valued field is its own function (captured as @func too), not an initialiser.
        if (!FUNCTION_TYPES.has(cap.node.type)) hidden(cap.end);
        break;
      default: // if, loop, block, decision
        countBranch(cap, frame, open, source);
        break;
      case 'await':
        awaits.enter(open, cap.end);
        break;
      case 'yield':
        frame.yields = true;
        break;
      case 'call': {
        const fn = cap.node.childForFieldName('function');
        if (!fn) break;
        const text = source.slice(fn.startIndex, fn.endIndex);
        if (text === 'require' || fn.type === 'import') {
          const ref = requireImport(cap.node);
          if (ref) imports.push(ref);
        }
        if (frame.kind !== 'function') break; // a hidden frame hands its calls to its function on close
        recordCall(frame, text, cap.node, awaits.innermostEndsAt(cap.node.endIndex));
        break;
      }
      case 'import': {
        const ref = esImport(cap.node);
        if (ref) imports.push(ref);
        break;
      }
    }
  }
  open.closeAll();
  return { symbols, imports };
}

/** Previous non-whitespace character before `index`, or '' at the start. */
function charBefore(source: string, index: number): string {
  let i = index - 1;
  while (i >= 0 && /\s/.test(source[i])) i--;
  return i >= 0 ? source[i] : '';
}

/**
 * Decorator texts (without `@`) of a class, method or field; nothing for other nodes (only
 * these can be decorated). Children are read only when a decorator can be there, since
 * listing a node's children costs a wasm round trip per child.
 */
function decoratorsOf(node: Node, source: string): string[] {
  const out: string[] = [];
  const type = node.type;
  const member = type === 'method_definition' || type === 'field_definition' || type === 'public_field_definition';
  if (!member && !type.includes('class')) return out;
  const text = (c: Node): string => collapse(c.text.replace(/^@\s*/, ''));
  if (member && !';{},'.includes(charBefore(source, node.startIndex) || ';')) {
    // TypeScript keeps a member's decorators as siblings before it in the class body.
    for (let p = node.previousSibling; p?.type === 'decorator'; p = p.previousSibling) out.unshift(text(p));
  }
  if (source.charCodeAt(node.startIndex) === 64) for (const c of node.children) if (c?.type === 'decorator') out.push(text(c));
  const wrapper = node.parent;
  if (wrapper?.type === 'export_statement' && source.charCodeAt(wrapper.startIndex) === 64) {
    for (const c of wrapper.children) if (c?.type === 'decorator') out.push(text(c));
  }
  return out;
}

/** JavaScript extraction (`.js .jsx .mjs .cjs`, JSX included in the grammar). */
export function extractJavaScript(root: Node, source: string): Extraction {
  return extractJs(root, source, JS_QUERY);
}

/** TypeScript and TSX extraction (the TSX grammar is TypeScript's with JSX). */
export function extractTypeScript(root: Node, source: string): Extraction {
  return extractJs(root, source, TS_QUERY);
}
