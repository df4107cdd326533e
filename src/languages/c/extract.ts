/**
 * C: functions, structs and unions with a body as classes, `#include`s, doc comments (a block
 * comment or `//` lines right above).
 *
 * Cyclomatic complexity follows pmccabe's "traditional McCabe" figure (its second column;
 * pmccabe(1)): 1 per function, +1 for each `if`, `for`, `while` (`do … while` too), `case`
 * label (not `default`), `&&`, `||` and `?:`. pmccabe's first column counts a whole `switch`
 * as one instead of its cases; we follow the second, the one other tools report. Like pmccabe,
 * only the first branch of a preprocessor conditional counts: decision points under `#else`
 * and `#elif` add nothing (the code of one configuration is measured), nor do the conditions
 * of `#if` lines. Max nesting
 * counts `if` (an `else if` stays at its chain's level), loops and `switch`.
 */
import type { Node } from 'web-tree-sitter';
import type { ImportRef } from '../../index/types.ts';
import type { Extraction } from '../types.ts';
import { C_LEXER, collapse } from '../../index/metrics.ts';
import { commentAbove, extractScoped, type ScopedSpec } from '../scoped.ts';

/** The decision points C and C++ share (pmccabe's rules). */
export const C_BRANCHES = `
(preproc_if condition: (_) @skip)
(preproc_elif condition: (_) @skip)
[(preproc_else) (preproc_elif)] @skip
(if_statement) @if
[(for_statement) (while_statement) (do_statement)] @loop
(switch_statement) @block
(case_statement value: (_)) @decision
(conditional_expression) @decision
(binary_expression operator: ["&&" "||"]) @decision
(call_expression) @call
(preproc_include) @import
`;

const QUERY = `
(function_definition body: (_)) @func
[(struct_specifier name: (_) body: (_)) (union_specifier name: (_) body: (_))] @class
${C_BRANCHES}`;

/** The `function_declarator` inside a definition's declarator (through pointers, references, parentheses). */
export function functionDeclarator(node: Node): Node | null {
  let d = node.childForFieldName('declarator');
  for (let i = 0; d && i < 8; i++) {
    // `void f(int x) LOCKS_EXCLUDED(mu)`: an attribute macro after the parameters wraps the real declarator.
    if (d.type === 'function_declarator' && d.childForFieldName('declarator')?.type !== 'function_declarator') return d;
    d = d.childForFieldName('declarator') ?? d.namedChildren.find((c) => c?.type.endsWith('declarator')) ?? null;
  }
  return null;
}

/** The innermost name of a declarator (`*p` → `p`, `a[3]` → `a`), or null. */
function declaredName(d: Node | null): string | null {
  for (let i = 0; d && i < 8; i++) {
    if (d.type === 'identifier' || d.type === 'field_identifier') return d.text;
    d = d.childForFieldName('declarator') ?? d.namedChildren.find((c) => !!c && (c.type.endsWith('declarator') || c.type === 'identifier')) ?? null;
  }
  return null;
}

/** Parameter names of a function definition (`void` alone is none; an unnamed parameter is `_`). */
export function cParams(node: Node): string[] {
  const list = functionDeclarator(node)?.childForFieldName('parameters');
  const out: string[] = [];
  for (const p of list?.namedChildren ?? []) {
    if (!p) continue;
    if (p.type === 'variadic_parameter' || p.text === '...') out.push('...');
    else if (p.type === 'parameter_declaration' || p.type === 'optional_parameter_declaration') {
      if (p.text === 'void') continue;
      out.push(declaredName(p.childForFieldName('declarator')) ?? '_');
    } else if (p.type === 'variadic_parameter_declaration') out.push(`...${declaredName(p.childForFieldName('declarator')) ?? ''}`);
  }
  return out;
}

/** A C or C++ doc comment: the block comment or the `//` lines right above (a template's comment is above `template`). */
export function cDocstring(node: Node): string | null {
  const anchor = node.parent?.type === 'template_declaration' ? node.parent : node;
  return commentAbove(anchor, /^\/\*/, /^\/\/[/!]?\s?/);
}

export function cImports(node: Node): ImportRef[] {
  const p = node.childForFieldName('path');
  if (!p) return [];
  const module = p.text.replace(/^[<"]|[>"]$/g, '');
  const stem = module.slice(module.lastIndexOf('/') + 1).replace(/\.\w+$/, '');
  return [{ module, names: [{ local: stem, imported: '*' }], line: node.startPosition.row + 1 }];
}

export const C_SPEC: ScopedSpec = {
  query: QUERY,
  lexer: C_LEXER,
  functionName: (node) => declaredName(functionDeclarator(node)?.childForFieldName('declarator') ?? null),
  params: cParams,
  className: (node) => node.childForFieldName('name')?.text ?? null,
  bases: () => [],
  docstring: cDocstring,
  callee: (node) => {
    const fn = node.childForFieldName('function');
    return fn ? collapse(fn.text) : null;
  },
  imports: cImports,
};

/** C extraction (pmccabe rules, see the module comment). */
export function extractC(root: Node, source: string): Extraction {
  return extractScoped(root, source, C_SPEC);
}
