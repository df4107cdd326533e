/**
 * Go: functions, methods (with their receiver type), types as classes, imports.
 *
 * Cyclomatic complexity follows gocyclo (github.com/fzipp/gocyclo): 1 per function, +1 for
 * each `if`, `for` (also `range`), `case` of a switch or type switch and `case` of a `select`
 * (never `default`), `&&` and `||`. Like gocyclo, function literals count toward the function
 * that contains them (and their calls are listed with it); they are not symbols.
 *
 * Classes: every struct or interface type, and any other named type that has methods in the
 * same file; a class spans its type declaration, `methodCount` and the class complexity (the
 * sum of its methods') count the methods declared in this file, `bases` are embedded types.
 * Max nesting counts `if` (an `else if` stays at its chain's level), `for`, `switch`, `select`.
 */
import type { Node } from 'web-tree-sitter';
import type { CodeSymbol, ImportRef } from '../../index/types.ts';
import type { Extraction } from '../types.ts';
import { C_LEXER, collapse, profileOf, type FileProfile } from '../../index/metrics.ts';
import { applyMethodFigures, classParts, countBranch, functionFigures, makeSymbol, methodsOfClass, newFrame, OpenRanges, queryFor, recordCall, sortedCaptures, type Frame } from '../common.ts';

const QUERY = `
[(function_declaration) (method_declaration)] @func
(type_spec) @type
(if_statement) @if
(for_statement) @loop
[(expression_switch_statement) (type_switch_statement) (select_statement)] @block
[(expression_case) (type_case) (communication_case)] @decision
(binary_expression operator: ["&&" "||"]) @decision
(call_expression) @call
(import_spec) @import
`;


/** Capture names that open a range (scope or block); only these need their end offset. */
const RANGES: ReadonlySet<string> = new Set(['func', 'if', 'loop', 'block']);
/** `// line` comments directly above `node`, markers stripped, or null. */
export function lineCommentsAbove(node: Node, marker: RegExp): string | null {
  const lines: string[] = [];
  let row = node.startPosition.row;
  for (let p = node.previousSibling; p && p.endPosition.row === row - 1; p = p.previousSibling) {
    if (p.type !== 'comment' && p.type !== 'line_comment') break;
    const text = p.text;
    if (!marker.test(text)) break;
    lines.unshift(text.replace(marker, '').replace(/^ /, '').trimEnd());
    row = p.startPosition.row;
  }
  while (lines.length && !lines[0].trim()) lines.shift();
  return lines.length ? lines.join('\n') : null;
}

/** Base type name of a receiver or type expression: `*Server[T]` → `Server`. */
function baseTypeName(text: string): string {
  const m = /([A-Za-z_]\w*)\s*(?:\[.*\])?\s*$/.exec(text.replace(/^[\s*&(]+|[\s)]+$/g, ''));
  return m ? m[1] : text;
}

function paramsOf(list: Node | null): string[] {
  const out: string[] = [];
  if (!list) return out;
  for (const p of list.namedChildren) {
    if (!p || (p.type !== 'parameter_declaration' && p.type !== 'variadic_parameter_declaration')) continue;
    const names = p.childrenForFieldName('name');
    if (names.length === 0) out.push('_');
    for (const n of names) if (n) out.push(p.type === 'variadic_parameter_declaration' ? `...${n.text}` : n.text);
  }
  return out;
}

function importOf(spec: Node): ImportRef {
  const path = spec.childForFieldName('path')?.text.replace(/^["`]|["`]$/g, '') ?? '';
  const alias = spec.childForFieldName('name')?.text;
  const local = alias ?? path.slice(path.lastIndexOf('/') + 1);
  return { module: path, names: [{ local, imported: '*' }], line: spec.startPosition.row + 1 };
}

export function extractGo(root: Node, source: string): Extraction {
  const profile: FileProfile = profileOf(source, C_LEXER);
  const symbols: CodeSymbol[] = [];
  const imports: ImportRef[] = [];
  const types: { symbol: CodeSymbol; always: boolean }[] = [];
  const open = new OpenRanges();
  let frame: Frame = newFrame('module', '', '', null);

  for (const cap of sortedCaptures(queryFor(root.tree.language, QUERY), root, RANGES)) {
    open.closeUntil(cap.start);
    const node = cap.node;
    switch (cap.name) {
      case 'func': {
        const name = node.childForFieldName('name')?.text ?? '<anonymous>';
        const receiver = node.childForFieldName('receiver');
        const recvType = receiver?.namedChildren.find((c) => c?.type === 'parameter_declaration')?.childForFieldName('type');
        const className = recvType ? baseTypeName(recvType.text) : null;
        const display = className ? `${className}.${name}` : name;
        const outer = frame;
        const inner = newFrame('function', display, name, outer);
        frame = inner;
        open.push(cap.end, () => {
          frame = outer;
          symbols.push(
            makeSymbol(profile, source, {
              kind: className ? 'method' : 'function',
              name,
              className,
              displayName: display,
              startNode: node,
              endNode: node,
              params: paramsOf(node.childForFieldName('parameters')),
              decorators: [],
              isAsync: false,
              isGenerator: false,
              docstring: lineCommentsAbove(node, /^\/\/\s?/),
              ...functionFigures(inner),
              parent: null,
            }),
          );
        });
        break;
      }
      case 'type': {
        const nameNode = node.childForFieldName('name');
        const typeNode = node.childForFieldName('type');
        if (!nameNode || !typeNode) break;
        const decl = node.parent?.type === 'type_declaration' && node.parent.namedChildCount === 1 ? node.parent : node;
        const bases: string[] = [];
        // Embedded fields of a struct, embedded interfaces of an interface.
        const members = typeNode.type === 'struct_type' ? (typeNode.firstNamedChild?.namedChildren ?? []) : typeNode.type === 'interface_type' ? typeNode.namedChildren : [];
        for (const f of members) {
          if (f?.type === 'field_declaration' && f.childrenForFieldName('name').length === 0) bases.push(collapse(f.text));
          else if (f?.type === 'type_elem') bases.push(collapse(f.text));
        }
        const symbol = makeSymbol(profile, source, {
          ...classParts(),
          name: nameNode.text,
          displayName: nameNode.text,
          startNode: decl,
          endNode: decl,
          decorators: [],
          docstring: lineCommentsAbove(decl, /^\/\/\s?/),
          cyclomatic: 1,
          maxNesting: 0,
          parent: null,
          bases,
          methodCount: 0,
        });
        types.push({ symbol, always: typeNode.type === 'struct_type' || typeNode.type === 'interface_type' });
        break;
      }
      default: // if, loop, block, decision
        countBranch(cap, frame, open, source);
        break;
      case 'call': {
        if (frame.kind !== 'function') break;
        const fn = node.childForFieldName('function');
        if (!fn || fn.type === 'func_literal') break;
        recordCall(frame, source.slice(fn.startIndex, fn.endIndex), node, false);
        break;
      }
      case 'import':
        imports.push(importOf(node));
        break;
    }
  }
  open.closeAll();
  for (const { symbol, always } of types) {
    const methods = methodsOfClass(symbols, symbol.name);
    if (!always && methods.length === 0) continue;
    applyMethodFigures(symbol, methods);
    symbols.push(symbol);
  }
  return { symbols, imports };
}

