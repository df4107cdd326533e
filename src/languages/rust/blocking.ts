/**
 * Blocking facts of one Rust file: `fn` items (free, in `impl` / `trait` blocks, in inline
 * modules) with the calls of their bodies resolved through `use` declarations (`use std::fs;`,
 * `use std::{fs, thread::sleep as nap}`) and absolute paths, `self.method()` / `Self::f()`,
 * typed receivers (`let f = File::open(p)?`, struct fields, annotated parameters and `let`s,
 * builder chains such as `Command::new(..).arg(..).output()`), `.await`, async blocks inside
 * sync functions, and closures handed to `spawn_blocking` / `block_in_place` / `std::thread::spawn`
 * (offloaded). Other closures are part of their enclosing function.
 */
import type { Node } from 'web-tree-sitter';
import {
  canonicalOf,
  canonicalType,
  collapse,
  endLine1,
  BlockingCollector,
  setOwn,
  factoryType,
  isCapitalized,
  kids,
  line1,
  OPAQUE,
  qualify,
  Scope,
  type Typed,
  type WalkCtx,
} from '../../analysis/blocking/collect-common.ts';
import { HANDLER_NAME, isOffloadCall } from '../../analysis/blocking/rules.ts';
import type { BlockingFileFacts, CallFact, Ref, TypeRef } from '../../analysis/blocking/types.ts';

const LOOPS = new Set(['for_expression', 'while_expression', 'loop_expression']);
const PASSTHROUGH = new Set(['unwrap', 'expect', 'unwrap_or_default', 'unwrap_or_else', 'context', 'with_context', 'map_err', 'as_ref', 'as_mut', 'borrow', 'borrow_mut', 'lock', 'clone']);
const CONSTRUCTORS = new Set(['new', 'default', 'with_capacity', 'open', 'create', 'connect', 'bind', 'builder']);

/** Collect the blocking facts of a parsed Rust source file. Pure. */
export function collectRust(root: Node): BlockingFileFacts {
  return new RustCollector().run(root);
}

class RustCollector extends BlockingCollector {
  private readonly module = new Scope(null);
  private readonly types = new Set<string>();
  private readonly fieldTypes = new Map<string, Map<string, TypeRef>>();

  run(root: Node): BlockingFileFacts {
    this.prescan(root, this.module, true);
    const ctx: WalkCtx = { fn: -1, scope: this.module, selfName: null, selfCls: null, classBody: null, prefix: '', loop: false, off: false, asyncBlock: false };
    this.walkItems(root, ctx);
    return this.b.facts;
  }

  /** Depth-guarded (`MAX_SYNTAX_DEPTH`): deeper subtrees are skipped, the facts say `partial`. */
  private prescan(block: Node, scope: Scope, top: boolean): void {
    if (!this.b.enter(block)) return;
    this.prescanInner(block, scope, top);
    this.b.leave();
  }

  private prescanInner(block: Node, scope: Scope, top: boolean): void {
    const ctx: WalkCtx = { fn: -1, scope, selfName: null, selfCls: null, classBody: null, prefix: '', loop: false, off: false, asyncBlock: false };
    for (const it of kids(block)) {
      if (it.type === 'use_declaration') {
        const arg = it.childForFieldName('argument');
        if (arg) this.bindUse(arg, [], scope, top);
      } else if (it.type === 'function_item') {
        const name = it.childForFieldName('name')?.text;
        if (name && top) scope.bind(name, { ref: { k: 'top', path: [name] } });
      } else if (it.type === 'struct_item' || it.type === 'enum_item') {
        const name = it.childForFieldName('name')?.text;
        if (!name) continue;
        this.types.add(name);
        if (top) scope.bind(name, { ref: { k: 'top', path: [name] } });
        const fields = new Map<string, TypeRef>();
        for (const f of it.descendantsOfType('field_declaration')) {
          const fname = f?.childForFieldName('name')?.text;
          const t = this.typeOfTypeNode(f?.childForFieldName('type') ?? null, ctx);
          if (fname && t) fields.set(fname, t);
        }
        this.fieldTypes.set(name, fields);
      }
    }
  }

  /** `use a::b::{c, d as e, self}` → bindings with module paths. Depth-guarded (`MAX_SYNTAX_DEPTH`): deeper subtrees are skipped, the facts say `partial`. */
  private bindUse(n: Node, prefix: string[], scope: Scope, top: boolean): void {
    if (!this.b.enter(n)) return;
    this.bindUseInner(n, prefix, scope, top);
    this.b.leave();
  }

  private bindUseInner(n: Node, prefix: string[], scope: Scope, top: boolean): void {
    const record = (local: string, segs: string[]) => {
      if (!segs.length) return;
      const ref: Ref = { k: 'mod', mod: segs.slice(0, -1).join('::'), path: [segs[segs.length - 1]] };
      if (ref.mod === '') {
        ref.mod = segs[0];
        ref.path = [];
      }
      scope.bind(local, { ref });
      if (top) setOwn(this.b.facts.imports, local, { mod: ref.mod, path: ref.path });
    };
    switch (n.type) {
      case 'identifier':
      case 'scoped_identifier':
      case 'crate':
      case 'self':
      case 'super': {
        const segs = [...prefix, ...n.text.split('::').map((s) => s.trim())];
        if (segs[segs.length - 1] === 'self') segs.pop();
        record(segs[segs.length - 1], segs);
        return;
      }
      case 'use_as_clause': {
        const path = n.childForFieldName('path');
        const alias = n.childForFieldName('alias')?.text;
        if (path && alias) record(alias, [...prefix, ...path.text.split('::').map((s) => s.trim())]);
        return;
      }
      case 'scoped_use_list': {
        const path = n.childForFieldName('path');
        const list = n.childForFieldName('list');
        const p = path ? [...prefix, ...path.text.split('::').map((s) => s.trim())] : prefix;
        if (list) for (const c of kids(list)) this.bindUse(c, p, scope, top);
        return;
      }
      case 'use_list':
        for (const c of kids(n)) this.bindUse(c, prefix, scope, top);
        return;
      case 'use_wildcard': {
        const segs = [...prefix, ...n.text.replace(/::\*$/, '').split('::').map((s) => s.trim())].filter((s) => s && s !== '*');
        if (top && segs.length) (this.b.facts.star ??= []).push(segs.join('::'));
        return;
      }
    }
  }

  /** Depth-guarded (`MAX_SYNTAX_DEPTH`): deeper subtrees are skipped, the facts say `partial`. */
  private walkItems(block: Node, ctx: WalkCtx): void {
    if (!this.b.enter(block)) return;
    this.walkItemsInner(block, ctx);
    this.b.leave();
  }

  private walkItemsInner(block: Node, ctx: WalkCtx): void {
    for (const it of kids(block)) {
      switch (it.type) {
        case 'function_item':
          this.onFunction(it, ctx, null);
          break;
        case 'impl_item':
        case 'trait_item': {
          const tn = it.childForFieldName(it.type === 'impl_item' ? 'type' : 'name');
          const cls = tn ? tn.text.replace(/<.*$/s, '').split('::').pop()!.trim() : null;
          const body = it.childForFieldName('body');
          if (!cls || !body) break;
          this.b.classFacts(cls, line1(it));
          for (const f of kids(body)) if (f.type === 'function_item') this.onFunction(f, { ...ctx, prefix: qualify(ctx.prefix, cls) }, cls);
          break;
        }
        case 'mod_item': {
          const name = it.childForFieldName('name')?.text;
          const body = it.childForFieldName('body');
          if (!name || !body) break;
          const scope = new Scope(null);
          this.prescan(body, scope, false);
          this.walkItems(body, { ...ctx, scope, prefix: qualify(ctx.prefix, name) });
          break;
        }
      }
    }
  }

  private onFunction(node: Node, ctx: WalkCtx, cls: string | null): void {
    const name = node.childForFieldName('name')?.text ?? '<anonymous>';
    const mods = kids(node).find((c) => c.type === 'function_modifiers');
    const isAsync = !!mods && mods.text.split(/\s+/).includes('async');
    const display = qualify(ctx.prefix, name);
    const handler = isAsync && HANDLER_NAME.test(name);
    const id = this.b.addFunction({ name, display, cls, line: line1(node), end: endLine1(node), async: isAsync, ...(handler ? { handler: true } : {}) });
    if (cls) setOwn(this.b.classFacts(cls, line1(node)).methods, name, id, true);
    else if (ctx.fn < 0 && ctx.prefix === '') setOwn(this.b.facts.top, name, id);
    else if (ctx.fn >= 0) ctx.scope.bind(name, { ref: { k: 'fn', id } });
    const scope = new Scope(ctx.scope);
    let hasSelf = false;
    const ps = node.childForFieldName('parameters');
    if (ps) {
      for (const p of kids(ps)) {
        if (p.type === 'self_parameter') hasSelf = true;
        else if (p.type === 'parameter') {
          const pat = p.childForFieldName('pattern');
          const t = this.typeOfTypeNode(p.childForFieldName('type'), ctx);
          if (pat?.type === 'identifier') scope.bind(pat.text, t ? { type: t, via: 'param' } : OPAQUE);
        }
      }
    }
    const body = node.childForFieldName('body');
    if (body) this.walk(body, { fn: id, scope, selfName: hasSelf ? 'self' : null, selfCls: cls, classBody: null, prefix: display, loop: false, off: false, asyncBlock: false });
  }

  protected walkNode(node: Node, ctx: WalkCtx): void {
    switch (node.type) {
      case 'function_item':
        this.onFunction(node, ctx, null);
        return;
      case 'call_expression':
        this.onCall(node, ctx);
        return;
      case 'let_declaration': {
        const value = node.childForFieldName('value');
        if (value) this.walk(value, ctx);
        const pat = node.childForFieldName('pattern');
        const name = pat?.type === 'identifier' ? pat.text : pat?.type === 'mut_pattern' ? pat.lastNamedChild?.text : null;
        if (name) {
          const annotated = this.typeOfTypeNode(node.childForFieldName('type'), ctx);
          const t: Typed | null = (value && this.typeOf(value, ctx)) || (annotated ? { type: annotated } : null);
          ctx.scope.bind(name, t ? { type: t.type, ...(t.via ? { via: t.via } : {}) } : OPAQUE);
        } else if (pat) this.bindPattern(pat, ctx.scope);
        return;
      }
      case 'async_block':
        this.walkChildren(node, { ...ctx, asyncBlock: true, loop: false });
        return;
      case 'closure_expression': {
        const scope = new Scope(ctx.scope);
        const ps = node.childForFieldName('parameters');
        if (ps) this.bindPattern(ps, scope);
        const isAsync = node.children.some((c) => c?.type === 'async');
        const body = node.childForFieldName('body');
        if (body) this.walk(body, { ...ctx, scope, ...(isAsync ? { asyncBlock: true } : {}) });
        return;
      }
      case 'line_comment':
      case 'block_comment':
      case 'string_literal':
      case 'raw_string_literal':
      case 'macro_invocation':
      case 'attribute_item':
        return;
      default:
        if (LOOPS.has(node.type)) this.walkChildren(node, { ...ctx, loop: true });
        else this.walkChildren(node, ctx);
    }
  }

  /** Depth-guarded (`MAX_SYNTAX_DEPTH`): deeper subtrees are skipped, the facts say `partial`. */
  private bindPattern(n: Node, scope: Scope): void {
    if (!this.b.enter(n)) return;
    this.bindPatternInner(n, scope);
    this.b.leave();
  }

  private bindPatternInner(n: Node, scope: Scope): void {
    if (n.type === 'identifier') scope.bind(n.text, OPAQUE);
    else for (const c of kids(n)) this.bindPattern(c, scope);
  }

  private onCall(node: Node, ctx: WalkCtx): void {
    let fnNode = node.childForFieldName('function');
    const args = node.childForFieldName('arguments');
    if (!fnNode) return;
    if (fnNode.type === 'generic_function') fnNode = fnNode.childForFieldName('function') ?? fnNode;
    const text = collapse(fnNode.text);
    if (ctx.fn >= 0) {
      const target = this.refOfCallee(fnNode, ctx);
      if (target && !(target.k === 'mod' && target.mod === '')) {
        let p = node.parent;
        while (p?.type === 'try_expression') p = p.parent;
        const fact: CallFact = { c: text, t: target, l: line1(node), e: endLine1(node) };
        if (p?.type === 'await_expression') fact.aw = 1;
        if (ctx.off) fact.off = 1;
        if (ctx.loop) fact.lp = 1;
        if (ctx.asyncBlock) fact.ax = 1;
        this.b.addCall(ctx.fn, fact);
      }
    }
    this.walk(fnNode, ctx);
    if (!args) return;
    const offload = isOffloadCall('rust', text);
    for (const a of kids(args)) {
      if (offload && a.type === 'closure_expression') this.walk(a, { ...ctx, off: true, asyncBlock: false });
      else this.walk(a, ctx);
    }
  }

  /** Path expression `a::b::c` → reference, resolving the head through `use` bindings. */
  private pathRef(n: Node, ctx: WalkCtx): Ref | null {
    const segs = n.text.split('::').map((s) => s.replace(/<.*$/s, '').trim());
    const head = segs[0];
    if (segs.length === 1) {
      const b = ctx.scope.lookup(head) ?? this.module.lookup(head);
      if (b) return b.ref ?? null;
      return { k: 'mod', mod: '', path: [head] };
    }
    if (head === 'Self' && ctx.selfCls && segs.length === 2) return { k: 'self', cls: ctx.selfCls, name: segs[1] };
    if (head === 'crate' || head === 'super' || head === 'self') return { k: 'mod', mod: segs.slice(0, -1).join('::'), path: [segs[segs.length - 1]] };
    const b = ctx.scope.lookup(head) ?? this.module.lookup(head);
    if (b?.ref?.k === 'mod') return { k: 'mod', mod: b.ref.mod, path: [...b.ref.path, ...segs.slice(1)] };
    if (b?.ref?.k === 'top') return { k: 'top', path: [...b.ref.path, ...segs.slice(1)] };
    if (b) return null;
    return { k: 'mod', mod: head, path: segs.slice(1) };
  }

  private refOfCallee(fn: Node, ctx: WalkCtx): Ref | null {
    if (fn.type === 'identifier' || fn.type === 'scoped_identifier') return this.pathRef(fn, ctx);
    if (fn.type !== 'field_expression') return null;
    const value = fn.childForFieldName('value');
    const field = fn.childForFieldName('field')?.text;
    if (!value || !field) return null;
    if (value.type === 'self' && ctx.selfCls) {
      if (this.fieldTypes.get(ctx.selfCls)?.has(field)) return null;
      return { k: 'self', cls: ctx.selfCls, name: field };
    }
    const t = this.typeOf(value, ctx);
    if (t) return { k: 'inst', type: t.type, name: field, ...(t.via ? { via: t.via } : {}) };
    return null;
  }

  protected typeOfNode(e: Node, ctx: WalkCtx): Typed | null {
    switch (e.type) {
      case 'try_expression':
      case 'parenthesized_expression':
      case 'reference_expression': {
        const inner = e.type === 'reference_expression' ? e.childForFieldName('value') : e.firstNamedChild;
        return inner ? this.typeOf(inner, ctx) : null;
      }
      case 'field_expression': {
        const value = e.childForFieldName('value');
        const field = e.childForFieldName('field')?.text;
        if (value?.type === 'self' && ctx.selfCls && field) {
          const t = this.fieldTypes.get(ctx.selfCls)?.get(field);
          return t ? { type: t, via: 'attr' } : null;
        }
        return null;
      }
      case 'call_expression': {
        let fn = e.childForFieldName('function');
        if (fn?.type === 'generic_function') fn = fn.childForFieldName('function');
        if (!fn) return null;
        if (fn.type === 'field_expression') {
          const value = fn.childForFieldName('value');
          const field = fn.childForFieldName('field')?.text;
          if (!value || !field) return null;
          const recv = this.typeOf(value, ctx);
          if (!recv) return null;
          if (PASSTHROUGH.has(field)) return recv;
          const c = canonicalType(recv.type, 'rust');
          const f = c ? factoryType(`${c}#${field}`, 'rust') : null;
          return f ? { type: f, via: recv.via } : null;
        }
        const r = this.refOfCallee(fn, ctx);
        if (r?.k === 'mod') {
          const f = factoryType(canonicalOf(r.mod, r.path, 'rust'), 'rust');
          if (f) return { type: f };
          const last = r.path[r.path.length - 1];
          const owner = r.path.length >= 2 ? r.path[r.path.length - 2] : r.mod.split('::').pop();
          if (CONSTRUCTORS.has(last) && isCapitalized(owner)) {
            const full = [...r.mod.split('::'), ...r.path.slice(0, -1)];
            return { type: { k: 'mod', mod: full.slice(0, -1).join('::'), path: [full[full.length - 1]] } };
          }
        }
        if (r?.k === 'top' && r.path.length === 2 && this.types.has(r.path[0])) return { type: { k: 'top', path: [r.path[0]] } };
        return null;
      }
      default:
        return null;
    }
  }

  private typeOfTypeNode(t: Node | null, ctx: WalkCtx): TypeRef | null {
    let n = t;
    for (let guard = 0; n && guard < 4; guard++) {
      if (n.type === 'reference_type') n = n.childForFieldName('type');
      else if (n.type === 'generic_type') n = n.childForFieldName('type');
      else break;
    }
    if (!n || (n.type !== 'type_identifier' && n.type !== 'scoped_type_identifier')) return null;
    const r = this.pathRef(n, ctx);
    if (r?.k === 'top') return r;
    if (r?.k === 'mod' && r.mod !== '') return factoryType(canonicalOf(r.mod, r.path, 'rust'), 'rust') ?? { k: 'mod', mod: r.mod, path: r.path };
    return null;
  }
}
