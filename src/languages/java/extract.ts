/**
 * Java: classes, interfaces, enums, records and annotation types as classes; methods and
 * constructors (record compact constructors too); imports; Javadoc; annotations as decorators.
 *
 * Cyclomatic complexity follows Checkstyle's `CyclomaticComplexity` check with its defaults
 * (checkstyle.org/checks/metrics/cyclomaticcomplexity.html): 1 per method or constructor, +1
 * for each `if`, `while`, `do`, `for` (enhanced `for` too), `case` label (each `case` keyword;
 * never `default`; `switchBlockAsSingleDecisionPoint` is false), `when` guard, `catch`, `?:`,
 * `&&` and `||`. Lambdas are not methods to Checkstyle: their decision points count toward the
 * method that contains them, and so do their calls here. Methods of an anonymous class are
 * methods of their own (functions nested in the enclosing method). Static and instance
 * initialiser blocks are code paths of their own but not symbols. A method without a body
 * (abstract, interface) is not a symbol. Max nesting counts `if` (an `else if` stays at its
 * chain's level), loops, `switch` and `try`.
 */
import type { Node } from 'web-tree-sitter';
import type { ImportRef } from '../../index/types.ts';
import type { Extraction } from '../types.ts';
import { C_LEXER, collapse } from '../../index/metrics.ts';
import { commentAbove, extractScoped, textBeforeArguments, type ScopedSpec } from '../scoped.ts';

const QUERY = `
(method_declaration body: (_)) @func
[(constructor_declaration) (compact_constructor_declaration) (static_initializer)] @func
(class_body (block) @func)
[(class_declaration) (interface_declaration) (enum_declaration) (record_declaration) (annotation_type_declaration)] @class
(object_creation_expression (class_body) @class)
(enum_constant (class_body) @class)
(if_statement) @if
[(while_statement) (do_statement) (for_statement) (enhanced_for_statement)] @loop
[(switch_expression) (try_statement) (try_with_resources_statement)] @block
(switch_label "case" @decision)
[(guard) (catch_clause) (ternary_expression)] @decision
(binary_expression operator: ["&&" "||"]) @decision
[(method_invocation) (object_creation_expression) (explicit_constructor_invocation)] @call
(import_declaration) @import
`;

const ANNOTATIONS = new Set(['annotation', 'marker_annotation']);

function modifiersOf(node: Node): Node | null {
  const first = node.firstNamedChild;
  return first?.type === 'modifiers' ? first : null;
}

/** The first token after the annotations: a declaration's own first line. */
function startOf(node: Node): Node {
  const mods = modifiersOf(node);
  if (!mods) return node;
  for (const c of mods.children) if (c && !ANNOTATIONS.has(c.type) && !c.type.includes('comment')) return c;
  return mods.nextSibling ?? node;
}

function decorators(node: Node): string[] {
  const mods = modifiersOf(node);
  if (!mods) return [];
  return mods.namedChildren.filter((c): c is Node => !!c && ANNOTATIONS.has(c.type)).map((c) => collapse(c.text.replace(/^@\s*/, '')));
}

function params(node: Node): string[] {
  const list = node.childForFieldName('parameters');
  if (!list) return [];
  const out: string[] = [];
  for (const p of list.namedChildren) {
    if (p?.type === 'formal_parameter') out.push(p.childForFieldName('name')?.text ?? '_');
    else if (p?.type === 'spread_parameter') out.push(`...${p.namedChildren.find((c) => c?.type === 'variable_declarator')?.childForFieldName('name')?.text ?? '_'}`);
  }
  return out;
}

function bases(node: Node): string[] {
  const out: string[] = [];
  const sup = node.childForFieldName('superclass');
  if (sup) for (const c of sup.namedChildren) if (c) out.push(collapse(c.text));
  const ifaces = node.childForFieldName('interfaces') ?? node.namedChildren.find((c) => c?.type === 'extends_interfaces') ?? null;
  for (const list of ifaces?.namedChildren ?? []) for (const c of list?.namedChildren ?? []) if (c) out.push(collapse(c.text));
  return out;
}

function importsOf(node: Node): ImportRef[] {
  const path = node.namedChildren.find((c) => c?.type === 'scoped_identifier' || c?.type === 'identifier');
  if (!path) return [];
  const star = node.namedChildren.some((c) => c?.type === 'asterisk');
  const full = path.text.replace(/\s+/g, '');
  const line = node.startPosition.row + 1;
  if (star) return [{ module: full, names: [{ local: '*', imported: '*' }], line }];
  const cut = full.lastIndexOf('.');
  const name = full.slice(cut + 1);
  return [{ module: cut > 0 ? full.slice(0, cut) : full, names: [{ local: name, imported: name }], line }];
}

export const JAVA_SPEC: ScopedSpec = {
  query: QUERY,
  lexer: C_LEXER,
  functionName: (node) => (node.type === 'static_initializer' || node.type === 'block' ? null : (node.childForFieldName('name')?.text ?? null)),
  params,
  className: (node) => (node.type === 'class_body' ? null : (node.childForFieldName('name')?.text ?? null)),
  bases,
  startOf,
  decorators,
  docstring: (node) => commentAbove(node, /^\/\*\*(?!\/)/, null),
  callee(node, source) {
    if (node.type === 'object_creation_expression') return `new ${collapse(node.childForFieldName('type')?.text ?? '')}`;
    if (node.type === 'explicit_constructor_invocation') return node.childForFieldName('constructor')?.text ?? null;
    return textBeforeArguments(node, source);
  },
  imports: importsOf,
};

/** Java extraction (Checkstyle rules, see the module comment). */
export function extractJava(root: Node, source: string): Extraction {
  return extractScoped(root, source, JAVA_SPEC);
}
