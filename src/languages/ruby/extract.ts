/**
 * Ruby: methods (`def`, `def self.x`, and those of `class << self`), classes and modules,
 * `require` / `require_relative` / `load` as imports, and the `#` comment lines right above a
 * definition as its doc comment (RDoc's convention).
 *
 * Cyclomatic complexity follows RuboCop's `Metrics/CyclomaticComplexity` (RuboCop 1.39,
 * docs.rubocop.org/rubocop/cops_metrics.html): 1 per method, +1 for each `if`, `unless`,
 * `elsif`, `?:` and modifier `if`/`unless`, `while`, `until` (modifiers too), `for`, `when`, a
 * `rescue` group (several `rescue` clauses of one `begin` count once, as one node of Ruby's
 * AST), `&&`, `||`, `and`, `or`, `||=`, `&&=`, safe navigation `&.`, and a block or
 * `&:symbol` given to a known iterating method (`each`, `map`, `select`, … RuboCop's
 * `KNOWN_ITERATING_METHODS`). Other blocks and lambdas add nothing of their own: their
 * decision points count toward the method, as RuboCop counts them. RuboCop discounts a
 * repeated `&.` on the same local variable; we count each.
 */
import type { Node } from 'web-tree-sitter';
import type { ImportRef } from '../../index/types.ts';
import type { Extraction } from '../types.ts';
import { collapse, PYTHON_LEXER } from '../../index/metrics.ts';
import { commentAbove, extractScoped, type ScopedSpec } from '../scoped.ts';

const QUERY = `
[(method) (singleton_method)] @func
[(class) (module)] @class
[(if) (unless)] @if
[(elsif) (if_modifier) (unless_modifier) (conditional)] @decision
[(while) (until) (for)] @loop
[(while_modifier) (until_modifier)] @decision
(case) @block
[(when) (rescue) (rescue_modifier)] @decision
(binary operator: ["&&" "||" "and" "or"]) @decision
(operator_assignment operator: ["||=" "&&="]) @decision
(call operator: "&.") @decision
(call block: (_) @decision)
(block_argument) @decision
(call) @call
(yield) @yield
`;

/** RuboCop's `KNOWN_ITERATING_METHODS` (metrics/utils/iterating_block.rb, RuboCop 1.39). */
const ITERATING = new Set(
  `all? any? chain chunk chunk_while collect collect_concat count cycle detect drop drop_while each each_cons each_entry
each_slice each_with_index each_with_object entries filter filter_map find find_all find_index flat_map grep grep_v
group_by inject lazy map max max_by min min_by minmax minmax_by none? one? partition reduce reject reverse_each select
slice_after slice_before slice_when sort sort_by sum take take_while tally to_h uniq zip with_index with_object bsearch
bsearch_index collect! combination d_permutation delete_if each_index keep_if map! permutation product reject! repeat
repeated_combination select! sort! sort_by! each_key each_pair each_value fetch fetch_values has_key? merge merge!
transform_keys transform_keys! transform_values transform_values!`.split(/\s+/),
);

const IMPORT_METHODS = new Set(['require', 'require_relative', 'load', 'autoload']);

function counts(node: Node): boolean {
  switch (node.type) {
    case 'block':
    case 'do_block':
      return ITERATING.has(node.parent?.childForFieldName('method')?.text ?? '');
    case 'block_argument':
      return ITERATING.has(node.parent?.parent?.childForFieldName('method')?.text ?? '');
    case 'rescue':
      // One `rescue` node of Ruby's AST holds every clause of a `begin`: count the first clause only.
      return node.previousNamedSibling?.type !== 'rescue';
    default:
      return true;
  }
}

function params(node: Node): string[] {
  const list = node.childForFieldName('parameters');
  const out: string[] = [];
  for (const p of list?.namedChildren ?? []) {
    if (!p) continue;
    const name = p.type === 'identifier' ? p.text : p.childForFieldName('name')?.text;
    const prefix = p.type === 'splat_parameter' ? '*' : p.type === 'hash_splat_parameter' ? '**' : p.type === 'block_parameter' ? '&' : '';
    if (name) out.push(prefix + name);
    else if (prefix) out.push(prefix);
  }
  return out;
}

function importsOf(node: Node): ImportRef[] {
  const method = node.childForFieldName('method')?.text;
  if (!method || !IMPORT_METHODS.has(method) || node.childForFieldName('receiver')) return [];
  const args = node.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => !!a) ?? [];
  const str = args.find((a) => a.type === 'string');
  if (!str || str.namedChildren.some((c) => c?.type === 'interpolation')) return [];
  const module = str.text.replace(/^['"]|['"]$/g, '');
  const stem = module.slice(module.lastIndexOf('/') + 1).replace(/\.rb$/, '');
  return [{ module, names: [{ local: stem, imported: '*' }], line: node.startPosition.row + 1 }];
}

export const RUBY_SPEC: ScopedSpec = {
  query: `${QUERY}\n(call) @import`,
  lexer: PYTHON_LEXER,
  functionName: (node) => node.childForFieldName('name')?.text ?? null,
  params,
  className: (node) => {
    const name = node.childForFieldName('name');
    return name ? (name.childForFieldName('name')?.text ?? name.text) : null;
  },
  bases: (node) => {
    const sup = node.childForFieldName('superclass');
    return sup ? [collapse(sup.text.replace(/^<\s*/, ''))] : [];
  },
  docstring: (node) => commentAbove(node, null, /^#(?!!)\s?/),
  callee: (node) => {
    const method = node.childForFieldName('method');
    if (!method) return null;
    const recv = node.childForFieldName('receiver');
    return recv ? `${collapse(recv.text)}.${method.text}` : method.text;
  },
  imports: importsOf,
  counts,
};

/** Ruby extraction (RuboCop rules, see the module comment). */
export function extractRuby(root: Node, source: string): Extraction {
  return extractScoped(root, source, RUBY_SPEC);
}
