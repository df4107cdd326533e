/**
 * Rust: functions, methods of `impl` and `trait` blocks, structs / enums / unions / traits as
 * classes, `use` imports; attributes (`#[tokio::main]`) are the decorators, `///` comments
 * the doc.
 *
 * Cyclomatic complexity, on gocyclo's principle (1 + each branching construct):
 * 1 per function, +1 for each `if` / `if let` (every `else if` too), `while` / `while let`,
 * `for`, `&&`, `||`, match guard and `let … else`; a `match` adds its arms minus one (n arms
 * are n paths, like a `switch` whose last arm is the default). `loop` (no condition; its exits
 * are the counted `if`s) and the `?` operator (an early return, like `return`) add nothing.
 * Closures count toward the function that contains them and their calls are listed with it,
 * as gocyclo does for Go function literals; nested `fn` items are their own symbols.
 *
 * Classes: a struct, enum, union or trait spans its item; its methods are those of the
 * `impl` blocks for that type in the same file (a trait: its provided methods), `bases` the
 * traits implemented, complexity the sum of the methods'. Max nesting counts `if` (an
 * `else if` stays at its chain's level), `while`, `for`, `loop` and `match`.
 */
import type { Node } from 'web-tree-sitter';
import type { CodeSymbol, ImportRef } from '../../index/types.ts';
import type { Extraction } from '../types.ts';
import { collapse, profileOf, RUST_LEXER, type FileProfile } from '../../index/metrics.ts';
import { applyMethodFigures, classParts, countBranch, enclosingFunction, enterBlock, functionFigures, makeSymbol, methodFigures, methodsOfClass, newFrame, OpenAwaits, OpenRanges, qualify, queryFor, recordCall, sortedCaptures, type Frame } from '../common.ts';

const QUERY = `
(function_item) @func
(impl_item) @impl
(trait_item) @trait
[(struct_item) (enum_item) (union_item)] @type
(if_expression) @if
[(while_expression) (for_expression)] @loop
(loop_expression) @block
(match_expression) @match
(match_arm) @arm
(match_pattern condition: (_)) @decision
(binary_expression operator: ["&&" "||"]) @decision
(let_declaration alternative: (_)) @decision
(call_expression) @call
(await_expression) @await
(use_declaration) @import
`;


/** Capture names that open a range (scope or block); only these need their end offset. */
const RANGES: ReadonlySet<string> = new Set(['func', 'impl', 'trait', 'if', 'loop', 'block', 'match', 'await', 'call']);
/** Base name of a type expression: `S<T>`, `&mut a::S` → `S`. */
function typeName(node: Node | null): string | null {
  if (!node) return null;
  const text = node.text.replace(/<[\s\S]*>$/, '').replace(/^[&\s]*(?:mut\s+)?/, '');
  const m = /([A-Za-z_]\w*)\s*$/.exec(text);
  return m ? m[1] : null;
}

/** Attributes (decorators) and outer doc comments (line or block) directly above an item. */
function attributesAndDoc(node: Node): { decorators: string[]; doc: string | null } {
  const decorators: string[] = [];
  const doc: string[] = [];
  let row = node.startPosition.row;
  for (let p = node.previousSibling; p && p.endPosition.row >= row - 1; p = p.previousSibling) {
    const text = p.text;
    if (p.type === 'attribute_item') decorators.unshift(collapse(text.replace(/^#\s*\[|\]$/g, '')));
    else if (p.type === 'line_comment' && /^\/\/\/(?!\/)/.test(text)) doc.unshift(text.replace(/^\/\/\/ ?/, '').trimEnd());
    else if (p.type === 'block_comment' && text.startsWith('/**')) {
      doc.unshift(...text.slice(3, -2).split(/\r?\n/).map((l) => l.replace(/^\s*\*? ?/, '').trimEnd()));
    } else break;
    row = p.startPosition.row;
  }
  while (doc.length && !doc[0].trim()) doc.shift();
  while (doc.length && !doc[doc.length - 1].trim()) doc.pop();
  return { decorators, doc: doc.length ? doc.join('\n') : null };
}

function paramsOf(fn: Node): string[] {
  const out: string[] = [];
  const params = fn.childForFieldName('parameters');
  if (!params) return out;
  for (const p of params.namedChildren) {
    if (!p) continue;
    if (p.type === 'self_parameter') out.push('self');
    else if (p.type === 'parameter') out.push(collapse(p.childForFieldName('pattern')?.text ?? '_'));
    else if (p.type === 'variadic_parameter') out.push('...');
  }
  return out;
}

/** Flatten a `use` tree into one import per used path. */
function usesOf(node: Node | null, prefix: string[], line: number, out: ImportRef[]): void {
  if (!node) return;
  const push = (segments: string[], alias: string | null): void => {
    const last = segments[segments.length - 1];
    if (last === '*') out.push({ module: segments.slice(0, -1).join('::'), names: [{ local: '*', imported: '*' }], line });
    else if (last === 'self') {
      const mod = segments.slice(0, -1);
      out.push({ module: mod.join('::'), names: [{ local: alias ?? mod[mod.length - 1] ?? 'self', imported: '*' }], line });
    } else out.push({ module: segments.slice(0, -1).join('::'), names: [{ local: alias ?? last, imported: last }], line });
  };
  const split = (n: Node | null): string[] => (n ? n.text.split('::').map((s) => s.trim()).filter(Boolean) : []);
  switch (node.type) {
    case 'use_as_clause':
      push([...prefix, ...split(node.childForFieldName('path'))], node.childForFieldName('alias')?.text ?? null);
      break;
    case 'use_wildcard':
      push([...prefix, ...split(node.firstNamedChild), '*'], null);
      break;
    case 'scoped_use_list': {
      const path = [...prefix, ...split(node.childForFieldName('path'))];
      usesOf(node.childForFieldName('list'), path, line, out);
      break;
    }
    case 'use_list':
      for (const c of node.namedChildren) usesOf(c, prefix, line, out);
      break;
    default:
      push([...prefix, ...split(node)], null);
  }
}

interface MatchBlock {
  frame: Frame;
  arms: number;
}

export function extractRust(root: Node, source: string): Extraction {
  const profile: FileProfile = profileOf(source, RUST_LEXER);
  const symbols: CodeSymbol[] = [];
  const imports: ImportRef[] = [];
  const types: CodeSymbol[] = [];
  const traitsOf = new Map<string, string[]>();
  const open = new OpenRanges();
  const matches: MatchBlock[] = [];
  const awaits = new OpenAwaits();
  let frame: Frame = newFrame('module', '', '', null);
  const classSymbol = (node: Node, name: string, methods: CodeSymbol[], bases: string[]): CodeSymbol => {
    const { decorators, doc } = attributesAndDoc(node);
    return makeSymbol(profile, source, {
      ...classParts(),
      name,
      displayName: qualify(frame.kind === 'function' ? frame.display : '', name),
      startNode: node,
      endNode: node,
      decorators,
      docstring: doc,
      ...methodFigures(methods),
      parent: enclosingFunction(frame),
      bases,
    });
  };

  for (const cap of sortedCaptures(queryFor(root.tree.language, QUERY), root, RANGES)) {
    open.closeUntil(cap.start);
    const node = cap.node;
    switch (cap.name) {
      case 'func': {
        const name = node.childForFieldName('name')?.text ?? '<anonymous>';
        const outer = frame;
        const owner = outer.kind === 'class' ? outer : null;
        const display = owner ? `${owner.name}.${name}` : qualify(outer.kind === 'function' ? outer.display : '', name);
        const inner = newFrame('function', display, name, outer);
        frame = inner;
        open.push(cap.end, () => {
          frame = outer;
          if (!node.childForFieldName('body')) return;
          const { decorators, doc } = attributesAndDoc(node);
          const nameNode = node.childForFieldName('name');
          const head = source.slice(node.startIndex, nameNode ? nameNode.startIndex : node.startIndex);
          const symbol = makeSymbol(profile, source, {
            kind: owner ? 'method' : 'function',
            name,
            className: owner ? owner.name : null,
            displayName: display,
            startNode: node,
            endNode: node,
            params: paramsOf(node),
            decorators,
            isAsync: /\basync\b/.test(head),
            isGenerator: false,
            docstring: doc,
            ...functionFigures(inner),
            parent: owner ? null : enclosingFunction(outer),
          });
          symbols.push(symbol);
          if (owner) owner.methods.push(symbol);
        });
        break;
      }
      case 'impl': {
        const name = typeName(node.childForFieldName('type')) ?? '<impl>';
        const trait = node.childForFieldName('trait');
        if (trait) {
          const list = traitsOf.get(name) ?? [];
          list.push(collapse(trait.text));
          traitsOf.set(name, list);
        }
        const outer = frame;
        frame = newFrame('class', name, name, outer);
        open.push(cap.end, () => (frame = outer));
        break;
      }
      case 'trait': {
        const name = node.childForFieldName('name')?.text ?? '<trait>';
        const outer = frame;
        const inner = newFrame('class', name, name, outer);
        frame = inner;
        open.push(cap.end, () => {
          frame = outer;
          const bounds = node.childForFieldName('bounds');
          const bases = bounds ? bounds.namedChildren.filter((b) => b !== null).map((b) => collapse(b.text)) : [];
          symbols.push(classSymbol(node, name, inner.methods, bases));
        });
        break;
      }
      case 'type': {
        const name = node.childForFieldName('name')?.text;
        if (name) types.push(classSymbol(node, name, [], []));
        break;
      }
      default: // if, loop, block, decision
        countBranch(cap, frame, open, source);
        break;
      case 'match': {
        const m: MatchBlock = { frame, arms: 0 };
        matches.push(m);
        enterBlock(frame);
        open.push(cap.end, () => {
          matches.pop();
          m.frame.depth--;
          m.frame.decisions += Math.max(0, m.arms - 1);
        });
        break;
      }
      case 'arm': {
        const m = matches[matches.length - 1];
        if (m) m.arms++;
        break;
      }
      case 'await':
        awaits.enter(open, cap.end);
        break;
      case 'call': {
        if (frame.kind !== 'function') break;
        const fn = node.childForFieldName('function');
        if (!fn) break;
        let awaited = false;
        for (let i = awaits.ends.length - 1; i >= 0 && !awaited; i--) awaited = /^\s*\.\s*await$/.test(source.slice(cap.end, awaits.ends[i]));
        recordCall(frame, source.slice(fn.startIndex, fn.endIndex), node, awaited);
        break;
      }
      case 'import':
        usesOf(node.childForFieldName('argument'), [], node.startPosition.row + 1, imports);
        break;
    }
  }
  open.closeAll();
  for (const t of types) {
    const methods = methodsOfClass(symbols, t.name);
    applyMethodFigures(t, methods);
    t.bases = traitsOf.get(t.name) ?? [];
    symbols.push(t);
  }
  return { symbols, imports };
}

