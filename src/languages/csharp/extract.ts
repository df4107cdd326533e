/**
 * C#: classes, structs, interfaces, records and enums as classes; methods, constructors,
 * destructors, operators and local functions; `using` directives as imports; XML doc comments
 * (`///` lines right above) and attributes as decorators; `async` methods and awaited calls.
 *
 * No cyclomatic-complexity peer runs here, so the rule is the one the .NET code-metrics
 * documentation describes (learn.microsoft.com/visualstudio/code-quality/code-metrics-cyclomatic-complexity:
 * "the number of different code paths", one for the method plus one per decision): 1 per
 * method, +1 for each `if` (`else if` too), `?:`, `while`, `do`, `for`, `foreach`, `case` label
 * (never `default`), switch-expression arm other than the discard `_`, `catch`, `&&`, `||`,
 * `??`, `??=` and `?.`. Lambdas and anonymous methods are not methods of their own: their
 * decision points and calls count toward the method that contains them; a local function is a
 * function of its own. Property accessors are not symbols.
 */
import type { Node } from 'web-tree-sitter';
import type { ImportRef } from '../../index/types.ts';
import type { Extraction } from '../types.ts';
import { C_LEXER, collapse } from '../../index/metrics.ts';
import { commentAbove, extractScoped, textBeforeArguments, type ScopedSpec } from '../scoped.ts';

const QUERY = `
(method_declaration body: (_)) @func
[(constructor_declaration) (destructor_declaration) (local_function_statement) (operator_declaration) (conversion_operator_declaration)] @func
(accessor_declaration body: (_)) @func
[(class_declaration) (struct_declaration) (interface_declaration) (record_declaration) (enum_declaration)] @class
(if_statement) @if
[(for_statement) (foreach_statement) (while_statement) (do_statement)] @loop
[(switch_statement) (try_statement)] @block
(switch_section "case" @decision)
[(switch_expression_arm) (catch_clause) (conditional_expression) (conditional_access_expression)] @decision
(binary_expression operator: ["&&" "||" "??"]) @decision
(assignment_expression operator: "??=") @decision
[(invocation_expression) (object_creation_expression)] @call
(await_expression) @await
(yield_statement) @yield
(using_directive) @import
`;

const NOT_HEAD = new Set(['attribute_list', 'comment']);

/** The first child after the attributes: a declaration's own first line. */
function startOf(node: Node): Node {
  for (const c of node.children) if (c && !NOT_HEAD.has(c.type)) return c;
  return node;
}

function decorators(node: Node): string[] {
  const out: string[] = [];
  for (const list of node.namedChildren) {
    if (list?.type !== 'attribute_list') continue;
    for (const a of list.namedChildren) if (a?.type === 'attribute') out.push(collapse(a.text));
  }
  return out;
}

function params(node: Node): string[] {
  const out: string[] = [];
  for (const p of node.childForFieldName('parameters')?.namedChildren ?? []) {
    if (p?.type === 'parameter') out.push(p.childForFieldName('name')?.text ?? '_');
    // `params string[] rest`: the grammar puts the type and the name right in the list.
    else if (p?.type === 'identifier') out.push(`...${p.text}`);
  }
  return out;
}

function bases(node: Node): string[] {
  const list = node.namedChildren.find((c) => c?.type === 'base_list');
  return (list?.namedChildren ?? []).filter((c): c is Node => !!c && c.type !== 'argument_list').map((c) => collapse(c.text));
}

function importsOf(node: Node): ImportRef[] {
  const named = node.namedChildren.filter((c): c is Node => !!c);
  const target = named.at(-1);
  if (!target) return [];
  const alias = node.children.some((c) => c?.type === '=') ? named[0]?.text : null;
  const full = collapse(target.text);
  const isStatic = node.children.some((c) => c?.type === 'static');
  const local = alias ?? (isStatic ? full.slice(full.lastIndexOf('.') + 1) : '*');
  return [{ module: full, names: [{ local, imported: alias ? '*' : local }], line: node.startPosition.row + 1 }];
}

/** XML doc text of `///` lines: the lines with `<summary>`-style wrapper tags removed. */
function xmlDoc(node: Node): string | null {
  const text = commentAbove(node, /^\/\*\*(?!\/)/, /^\/\/\/\s?/);
  if (!text) return null;
  const clean = text.replace(/<\/?(summary|remarks|para)>/g, '').replace(/\n{2,}/g, '\n').trim();
  return clean || null;
}

function functionName(node: Node): string | null {
  if (node.type === 'accessor_declaration') return null;
  if (node.type === 'operator_declaration') return `operator ${node.childForFieldName('operator')?.text ?? ''}`.trim();
  if (node.type === 'conversion_operator_declaration') return `operator ${collapse(node.childForFieldName('type')?.text ?? '')}`.trim();
  const name = node.childForFieldName('name')?.text ?? null;
  return name && node.type === 'destructor_declaration' ? `~${name}` : name;
}

export const CSHARP_SPEC: ScopedSpec = {
  query: QUERY,
  lexer: C_LEXER,
  functionName,
  params,
  className: (node) => node.childForFieldName('name')?.text ?? null,
  bases,
  startOf,
  decorators,
  docstring: xmlDoc,
  isAsync: (node) => node.children.some((c) => c?.type === 'modifier' && c.text === 'async'),
  callee(node, source) {
    if (node.type === 'object_creation_expression') return `new ${collapse(node.childForFieldName('type')?.text ?? '')}`;
    return textBeforeArguments(node, source);
  },
  imports: importsOf,
  counts: (node) => node.type !== 'switch_expression_arm' || node.firstNamedChild?.type !== 'discard',
};

/** C# extraction (.NET code-metrics rule, see the module comment). */
export function extractCSharp(root: Node, source: string): Extraction {
  return extractScoped(root, source, CSHARP_SPEC);
}
