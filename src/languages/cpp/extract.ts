/**
 * C++: functions, methods (in the class body or defined out of line as `Class::name`),
 * constructors and destructors; classes, structs and unions with a body; `#include`s; doc
 * comments (`///`, `/** … *\/` or `//` lines right above, above `template` for templates).
 *
 * Cyclomatic complexity follows pmccabe's "traditional McCabe" figure, like C (see
 * `../c/extract.ts`): 1 + `if`, `for` (range-`for` too), `while`, `do`, `case`, `&&`, `||`,
 * `?:`. Lambdas are not functions to pmccabe: their decision points count toward the function
 * that contains them, and so do their calls here. `catch` adds nothing, as in pmccabe.
 */
import type { Node } from 'web-tree-sitter';
import type { Extraction } from '../types.ts';
import { C_LEXER, collapse } from '../../index/metrics.ts';
import { extractScoped, type ScopedSpec } from '../scoped.ts';
import { C_BRANCHES, cDocstring, cImports, cParams, functionDeclarator } from '../c/extract.ts';

const QUERY = `
(function_definition body: (_)) @func
[(class_specifier name: (_) body: (_)) (struct_specifier name: (_) body: (_)) (union_specifier name: (_) body: (_))] @class
(for_range_loop) @loop
(binary_expression operator: ["and" "or"]) @decision
${C_BRANCHES}`;

/** The declarator naming a function: `f`, `A::f`, `~A`, `operator==`. */
function nameNode(node: Node): Node | null {
  return functionDeclarator(node)?.childForFieldName('declarator') ?? null;
}

function functionName(node: Node): string | null {
  const d = nameNode(node);
  if (!d) return null;
  const name = d.type === 'qualified_identifier' ? (d.childForFieldName('name') ?? d) : d;
  // `ns::A::f`: the last segment; `operator ()`: collapsed.
  return collapse(name.text).split('::').pop() ?? null;
}

/**
 * `A` of an out-of-line `A::f` / `ns::A<T>::f` definition, or null for a namespaced function:
 * a scope that is all lower case (`detail::f`) reads as a namespace unless `f` is its
 * constructor or destructor.
 */
function ownerOf(node: Node): string | null {
  const d = nameNode(node);
  if (d?.type !== 'qualified_identifier') return null;
  const scope = d.childForFieldName('scope');
  if (!scope) return null;
  const owner = collapse(scope.text).replace(/<.*>$/, '').split('::').pop() ?? '';
  const name = collapse(d.childForFieldName('name')?.text ?? '').replace(/^~/, '');
  if (!/[A-Z]/.test(owner) && !/<|>/.test(scope.text) && name !== owner) return null;
  return owner || null;
}

function bases(node: Node): string[] {
  const clause = node.namedChildren.find((c) => c?.type === 'base_class_clause');
  return (clause?.namedChildren ?? []).filter((c): c is Node => !!c && c.type !== 'access_specifier' && c.type !== 'virtual').map((c) => collapse(c.text));
}

export const CPP_SPEC: ScopedSpec = {
  query: QUERY,
  lexer: C_LEXER,
  functionName,
  ownerOf,
  params: cParams,
  className: (node) => node.childForFieldName('name')?.text ?? null,
  bases,
  docstring: cDocstring,
  callee: (node) => {
    const fn = node.childForFieldName('function');
    return fn ? collapse(fn.text) : null;
  },
  imports: cImports,
};

/** C++ extraction (pmccabe rules, see the module comment). */
export function extractCpp(root: Node, source: string): Extraction {
  return extractScoped(root, source, CPP_SPEC);
}
