/**
 * Plumbing shared by the per-language blocking collectors: name scopes with what a name is
 * bound to (an import, a definition of this file, a typed instance, or something opaque that
 * merely shadows outer names), canonical names, and the facts builder.
 */
import type { Node } from 'web-tree-sitter';
import { rulesOf, type RuleFamily } from './rules.ts';
import { BLOCKING_FACTS_VERSION, type BlockingFileFacts, type CallFact, type FunctionFacts, type Ref, type TypeRef } from './types.ts';

/** What a name stands for inside a scope. */
export interface Binding {
  /** A static reference (import alias, definition, `run = subprocess.run`). */
  ref?: Ref;
  /** An instance of a known type (`client = httpx.Client()`). */
  type?: TypeRef;
  /** Where the instance came from when it is not a local construction. */
  via?: 'attr' | 'param';
}

/** One lexical scope; lookups walk outwards. An empty binding is opaque: it shadows, resolves to nothing. */
export class Scope {
  readonly vars = new Map<string, Binding>();
  constructor(readonly parent: Scope | null) {}

  lookup(name: string): Binding | undefined {
    return this.vars.get(name) ?? this.parent?.lookup(name);
  }

  bind(name: string, b: Binding): void {
    this.vars.set(name, b);
  }
}

/** A typed value: its type and where it came from. */
export interface Typed {
  type: TypeRef;
  via?: 'attr' | 'param';
}

export const OPAQUE: Binding = Object.freeze({});

/** Collapse whitespace, so multi-line callees read as one line; long ones are cut. */
export function collapse(text: string): string {
  let t = text.replace(/\s+/g, ' ').replace(/\s*\.\s*/g, '.');
  // argument lists inside a callee chain read as `(...)`: `db.prepare(...).run`
  for (let prev = ''; prev !== t; ) {
    prev = t;
    t = t.replace(/\((?:[^()]|\(\.\.\.\))*[^()]*\)/g, (m) => (m === '(...)' ? m : '(...)'));
  }
  return t.length > 120 ? `${t.slice(0, 117)}...` : t;
}

/** Canonical name of a module reference (`time` + [`sleep`] → `time.sleep`). */
export function canonicalOf(mod: string, path: string[], family: RuleFamily): string {
  const sep = rulesOf(family).sep;
  let p = path;
  // JS: a default import is the module itself (`import Database from 'better-sqlite3'`).
  if (family === 'js' && p[0] === 'default') p = p.slice(1);
  if (!mod) return p.join(sep);
  return p.length ? mod + sep + p.join(sep) : mod;
}

/** Canonical type name of a TypeRef from an import (`top` refs have none: they are classes of this file). */
export function canonicalType(t: TypeRef, family: RuleFamily): string | null {
  return t.k === 'mod' ? canonicalOf(t.mod, t.path, family) : null;
}

/** The external type a call produces per the factory table, or null. */
export function factoryType(canonical: string, family: RuleFamily): TypeRef | null {
  const table = rulesOf(family).factories;
  const hash = canonical.indexOf('#');
  const t = own(table, canonical) ?? (hash > 0 ? own(table, `${canonical.slice(0, hash)}#*`) : undefined);
  return t ? { k: 'mod', mod: t, path: [] } : null;
}

/**
 * Own-property read of a facts map: names like `constructor` or `toString` must not hit
 * `Object.prototype` (facts come back from JSON as plain objects).
 */
export function own<T>(o: Record<string, T> | undefined, key: string): T | undefined {
  return o && Object.hasOwn(o, key) ? o[key] : undefined;
}

/** Own-property write (first writer wins with `keep`); `__proto__` is never a key. */
export function setOwn<T>(o: Record<string, T>, key: string, value: T, keep = false): void {
  if (key === '__proto__' || (keep && Object.hasOwn(o, key))) return;
  o[key] = value;
}

export function isCapitalized(name: string | undefined): boolean {
  return !!name && /^[A-Z]/.test(name);
}

/**
 * How deep the collectors' recursive walks may go into one syntax tree (nested expressions,
 * blocks, callbacks, receiver chains all count). Real code stays far below; a generated file
 * with thousands of nested calls would overflow the stack and lose every fact of the file, so
 * the walk stops descending there and the facts say `partial` (issue 11). At this depth the
 * deepest walk uses well under half of Node's default 984 KB main-thread stack (measured).
 */
export const MAX_SYNTAX_DEPTH = 500;

/** Incrementally built facts of one file. */
export class FactsBuilder {
  readonly facts: BlockingFileFacts = { v: BLOCKING_FACTS_VERSION, functions: [], top: {}, classes: {}, imports: {} };
  /** Current nesting of the walk (see {@link MAX_SYNTAX_DEPTH}). */
  private depth = 0;

  /**
   * Step one level deeper into `node`; false when that would pass {@link MAX_SYNTAX_DEPTH}: the
   * caller skips the subtree and the facts record the cut (first line, count). Pair every true
   * answer with {@link leave}.
   */
  enter(node: Node): boolean {
    if (this.depth < MAX_SYNTAX_DEPTH) {
      this.depth++;
      return true;
    }
    const p = this.facts.partial;
    if (p) p.cut++;
    else this.facts.partial = { reason: `syntax nested deeper than ${MAX_SYNTAX_DEPTH} levels`, line: line1(node), cut: 1 };
    return false;
  }

  leave(): void {
    this.depth--;
  }

  addFunction(f: Omit<FunctionFacts, 'calls'>): number {
    this.facts.functions.push({ ...f, calls: [] });
    return this.facts.functions.length - 1;
  }

  addCall(fn: number, call: CallFact): void {
    this.facts.functions[fn].calls.push(call);
  }

  classFacts(name: string, line: number): BlockingFileFacts['classes'][string] {
    let c = own(this.facts.classes, name);
    if (!c) {
      c = { methods: {}, bases: [], line };
      setOwn(this.facts.classes, name, c);
    }
    return c;
  }
}

export const line1 = (n: Node): number => n.startPosition.row + 1;
export const endLine1 = (n: Node): number => n.endPosition.row + 1;

/** Named children without nulls. */
export function kids(n: Node): Node[] {
  // One call into wasm, leaves included (a `childCount` test first costs as much as the array read).
  const out: Node[] = [];
  for (const c of n.namedChildren) if (c) out.push(c);
  return out;
}

/** Context of the walk inside a function body. */
export interface WalkCtx {
  /** Index of the function collecting calls, or -1 at module / class level. */
  fn: number;
  scope: Scope;
  /** Name of the receiver parameter (`self`, `cls`) and its class, inherited by closures. */
  selfName: string | null;
  selfCls: string | null;
  /** Class whose body we are directly in (methods register there). */
  classBody: string | null;
  /** Display-name prefix for definitions here. */
  prefix: string;
  loop: boolean;
  off: boolean;
  /** Inside an async block of a sync function (Rust). */
  asyncBlock: boolean;
}

/**
 * Base of the per-language collectors (Python, JavaScript/TypeScript, Rust): the facts being built,
 * the depth-guarded walk, and the depth-guarded typing of an expression, whose identifier case (a
 * name bound in scope) is the same in every language. Subclasses handle one node in
 * {@link walkNode} and type the other node kinds in {@link typeOfNode}.
 */
export abstract class BlockingCollector {
  protected readonly b = new FactsBuilder();

  /** Walk `node` and its subtree. Depth-guarded ({@link MAX_SYNTAX_DEPTH}): a deeper subtree is skipped and the facts say `partial`. */
  protected walk(node: Node, ctx: WalkCtx): void {
    if (!this.b.enter(node)) return;
    this.walkNode(node, ctx);
    this.b.leave();
  }

  protected walkChildren(node: Node, ctx: WalkCtx): void {
    for (const c of kids(node)) this.walk(c, ctx);
  }

  /** One node of {@link walk}, inside the depth guard; recurses through {@link walk} / {@link walkChildren}. */
  protected abstract walkNode(node: Node, ctx: WalkCtx): void;

  /**
   * Type of an expression's value when it is an instance of a known class, else null.
   * Depth-guarded ({@link MAX_SYNTAX_DEPTH}): a deeper subtree is skipped and the facts say `partial`.
   */
  protected typeOf(e: Node, ctx: WalkCtx): Typed | null {
    if (!this.b.enter(e)) return null;
    let out: Typed | null;
    if (e.type === 'identifier') {
      const b = ctx.scope.lookup(e.text);
      out = b?.type ? { type: b.type, via: b.via } : null;
    } else {
      out = this.typeOfNode(e, ctx);
    }
    this.b.leave();
    return out;
  }

  /** {@link typeOf} of a node that is not an identifier; called inside the depth guard. */
  protected abstract typeOfNode(e: Node, ctx: WalkCtx): Typed | null;
}

export function qualify(prefix: string, name: string): string {
  return prefix ? `${prefix}.${name}` : name;
}
