/**
 * PHP: functions, methods, classes, interfaces, traits and enums; `use` declarations and
 * `require` / `include` as imports; PHPDoc (`/** … *\/` right above) as the doc comment and
 * `#[…]` attributes as decorators.
 *
 * Cyclomatic complexity follows PHPMD's `CyclomaticComplexity` rule, which reads PDepend's
 * extended CCN (`ccn2`, PDepend's CyclomaticComplexityAnalyzer): 1 per function or method, +1
 * for each `if`, `elseif` (`else if` too), `for`, `foreach`, `while`, `do … while`, `case`
 * (never `default`), `catch`, `?:` (short `?:` too), `&&`, `||`, `and`, `or`. `??`, `xor` and
 * `match` arms add nothing, as in PDepend. Closures and arrow functions are not functions of
 * their own: their decision points and calls count toward the function that contains them.
 */
import type { Node } from 'web-tree-sitter';
import type { ImportRef } from '../../index/types.ts';
import type { Extraction } from '../types.ts';
import { C_LEXER, collapse } from '../../index/metrics.ts';
import { commentAbove, extractScoped, textBeforeArguments, type ScopedSpec } from '../scoped.ts';

const QUERY = `
[(function_definition) (method_declaration body: (_))] @func
[(class_declaration) (interface_declaration) (trait_declaration) (enum_declaration)] @class
(if_statement) @if
(else_if_clause) @decision
[(for_statement) (foreach_statement) (while_statement) (do_statement)] @loop
[(switch_statement) (try_statement)] @block
[(case_statement) (catch_clause) (conditional_expression)] @decision
(binary_expression operator: ["&&" "||" "and" "or"]) @decision
[(function_call_expression) (member_call_expression) (nullsafe_member_call_expression) (scoped_call_expression) (object_creation_expression)] @call
[(namespace_use_declaration) (require_expression) (require_once_expression) (include_expression) (include_once_expression)] @import
(yield_expression) @yield
`;

/** The first child after the attributes: a declaration's own first line. */
function startOf(node: Node): Node {
  const attrs = node.childForFieldName('attributes');
  return attrs?.nextSibling ?? node;
}

function decorators(node: Node): string[] {
  const attrs = node.childForFieldName('attributes');
  return (attrs?.descendantsOfType('attribute') ?? []).filter((a): a is Node => !!a).map((a) => collapse(a.text));
}

function params(node: Node): string[] {
  const out: string[] = [];
  for (const p of node.childForFieldName('parameters')?.namedChildren ?? []) {
    const name = p?.childForFieldName('name')?.text;
    if (name) out.push(p!.type === 'variadic_parameter' ? `...${name}` : name);
  }
  return out;
}

function bases(node: Node): string[] {
  const out: string[] = [];
  for (const c of node.namedChildren) {
    if (c?.type === 'base_clause' || c?.type === 'class_interface_clause') for (const n of c.namedChildren) if (n) out.push(n.text);
  }
  return out;
}

function importsOf(node: Node): ImportRef[] {
  const line = node.startPosition.row + 1;
  if (node.type !== 'namespace_use_declaration') {
    const str = node.namedChildren.find((c) => c?.type === 'string' || c?.type === 'encapsed_string');
    if (!str || str.text.includes('$')) return [];
    const module = str.text.replace(/^['"]|['"]$/g, '');
    return [{ module, names: [{ local: module.slice(module.lastIndexOf('/') + 1).replace(/\.php$/, ''), imported: '*' }], line }];
  }
  const group = node.namedChildren.find((c) => c?.type === 'namespace_name');
  const prefix = group ? `${group.text}\\` : '';
  const out: ImportRef[] = [];
  for (const clause of node.descendantsOfType('namespace_use_clause')) {
    if (!clause) continue;
    const target = clause.namedChildren.find((c) => c?.type === 'qualified_name' || c?.type === 'name');
    if (!target) continue;
    const full = prefix + target.text.replace(/^\\/, '');
    const cut = full.lastIndexOf('\\');
    const name = full.slice(cut + 1);
    out.push({ module: cut > 0 ? full.slice(0, cut) : full, names: [{ local: clause.childForFieldName('alias')?.text ?? name, imported: name }], line });
  }
  return out;
}

export const PHP_SPEC: ScopedSpec = {
  query: QUERY,
  lexer: C_LEXER,
  functionName: (node) => node.childForFieldName('name')?.text ?? null,
  params,
  className: (node) => node.childForFieldName('name')?.text ?? null,
  bases,
  startOf,
  decorators,
  docstring: (node) => commentAbove(node, /^\/\*\*(?!\/)/, null),
  callee(node, source) {
    if (node.type === 'object_creation_expression') return `new ${collapse(node.namedChildren.find((c) => c?.type === 'name' || c?.type === 'qualified_name')?.text ?? 'class')}`;
    return textBeforeArguments(node, source);
  },
  imports: importsOf,
};

/** PHP extraction (PHPMD / PDepend rules, see the module comment). */
export function extractPhp(root: Node, source: string): Extraction {
  return extractScoped(root, source, PHP_SPEC);
}
