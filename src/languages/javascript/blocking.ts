/**
 * Blocking facts of one JavaScript / TypeScript file: functions (declarations, methods, arrow
 * functions and function expressions bound to a name or class field, async callbacks) with the
 * calls of their bodies resolved through ES imports and `require` (`import { readFileSync } from
 * 'node:fs'`, `import * as cp from 'child_process'`, `const fs = require('fs')`, destructuring),
 * `this.method()` within a class, typed receivers (`new Database(p)`, `db.prepare(q)`, class
 * fields and constructor parameters with a type annotation), exports (ES and CommonJS) and
 * worker-thread entry files.
 *
 * A synchronous anonymous callback (`items.forEach((x) => fs.readFileSync(x))`, a `new
 * Promise` executor) is part of its enclosing function: in Node every callback runs on the same
 * event loop. Async callbacks are functions of their own (and handlers when given to
 * `app.get(...)`-style calls), and so are synchronous callbacks the loop runs later (event
 * listeners, `.then` reactions, timers, route handlers): entry points like async functions.
 */
import type { Node } from 'web-tree-sitter';
import {
  canonicalOf,
  canonicalType,
  collapse,
  endLine1,
  BlockingCollector,
  own,
  setOwn,
  factoryType,
  kids,
  line1,
  OPAQUE,
  qualify,
  Scope,
  type Binding,
  type Typed,
  type WalkCtx,
} from '../../analysis/blocking/collect-common.ts';
import { HANDLER_NAME, JS_COROUTINE_RUNNER, JS_HANDLER_CALLEE, JS_LOOP_CALLBACK, RULES, TS_HANDLER_DECORATOR } from '../../analysis/blocking/rules.ts';
import type { BlockingFileFacts, CallFact, Ref, TypeRef } from '../../analysis/blocking/types.ts';

const FUNCTION_NODES = new Set(['function_declaration', 'generator_function_declaration', 'function_expression', 'function', 'arrow_function', 'generator_function', 'method_definition']);
const LOOPS = new Set(['for_statement', 'for_in_statement', 'while_statement', 'do_statement']);
const PER_ITEM = new Set(['forEach', 'map', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast', 'flatMap', 'sort']);
const WRAPPERS = new Set(['parenthesized_expression', 'as_expression', 'non_null_expression', 'satisfies_expression', 'type_assertion']);
const NODE_BUILTINS = new Set([
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises', 'http', 'http2', 'https', 'net', 'os', 'path',
  'perf_hooks', 'process', 'querystring', 'readline', 'sqlite', 'stream', 'timers', 'tls', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib',
]);

/** Collect the blocking facts of a parsed JS / TS / TSX module. Pure. */
export function collectJs(root: Node): BlockingFileFacts {
  return new JsCollector().run(root);
}

function normalizeSpec(spec: string): string {
  return spec.startsWith('node:') ? spec.slice(5) : spec;
}

function stringValue(n: Node | null | undefined): string | null {
  if (!n || (n.type !== 'string' && n.type !== 'template_string')) return null;
  const t = n.text;
  return t.length >= 2 ? t.slice(1, -1) : null;
}

function unwrap(n: Node): Node {
  let x = n;
  while (WRAPPERS.has(x.type) && x.firstNamedChild) x = x.firstNamedChild;
  return x;
}

class JsCollector extends BlockingCollector {
  private readonly module = new Scope(null);
  private readonly classNames = new Set<string>();
  private readonly classAttrs = new Map<string, Map<string, TypeRef>>();
  private readonly workerImports = new Set<string>();
  /** Generator functions run as coroutines: a call they `yield` is awaited. */
  private readonly coroutines = new Set<number>();

  run(root: Node): BlockingFileFacts {
    this.prescan(root);
    const ctx: WalkCtx = { fn: -1, scope: this.module, selfName: null, selfCls: null, classBody: null, prefix: '', loop: false, off: false, asyncBlock: false };
    this.walkChildren(root, ctx);
    if ((this.workerImports.has('parentPort') || this.workerImports.has('workerData')) && !this.workerImports.has('isMainThread')) this.b.facts.worker = true;
    return this.b.facts;
  }

  private exportName(exported: string, local: string): void {
    setOwn((this.b.facts.exports ??= {}), exported, local);
  }

  // ------------------------------------------------------------ module prescan

  /** Depth-guarded (`MAX_SYNTAX_DEPTH`): deeper subtrees are skipped, the facts say `partial`. */
  private prescan(root: Node): void {
    if (!this.b.enter(root)) return;
    this.prescanInner(root);
    this.b.leave();
  }

  private prescanInner(root: Node): void {
    const ctx: WalkCtx = { fn: -1, scope: this.module, selfName: null, selfCls: null, classBody: null, prefix: '', loop: false, off: false, asyncBlock: false };
    for (let st of kids(root)) {
      if (st.type === 'export_statement') {
        this.prescanExport(st);
        const decl = st.childForFieldName('declaration');
        if (!decl) continue;
        st = decl;
      }
      switch (st.type) {
        case 'import_statement':
          this.bindImport(st);
          break;
        case 'function_declaration':
        case 'generator_function_declaration':
        case 'class_declaration':
        case 'abstract_class_declaration': {
          const name = st.childForFieldName('name')?.text;
          if (name) {
            this.module.bind(name, { ref: { k: 'top', path: [name] } });
            if (st.type.includes('class')) this.classNames.add(name);
          }
          break;
        }
        case 'lexical_declaration':
        case 'variable_declaration':
          for (const d of kids(st)) if (d.type === 'variable_declarator') this.bindDeclarator(d, this.module, ctx, true);
          break;
      }
    }
  }

  private prescanExport(st: Node): void {
    const decl = st.childForFieldName('declaration');
    const isDefault = st.children.some((c) => c?.type === 'default');
    const source = stringValue(st.childForFieldName('source'));
    if (decl) {
      const name = decl.childForFieldName('name')?.text;
      if (name) this.exportName(isDefault ? 'default' : name, name);
      if (decl.type === 'lexical_declaration' || decl.type === 'variable_declaration') {
        for (const d of kids(decl)) {
          const n = d.childForFieldName('name');
          if (n?.type === 'identifier') this.exportName(n.text, n.text);
        }
      }
      return;
    }
    const value = st.childForFieldName('value');
    if (value) {
      if (value.type === 'identifier') this.exportName('default', value.text);
      else {
        const n = value.childForFieldName('name')?.text;
        this.exportName('default', n ?? 'default');
      }
      return;
    }
    for (const c of kids(st)) {
      if (c.type === 'export_clause') {
        for (const s of kids(c)) {
          if (s.type !== 'export_specifier') continue;
          const name = s.childForFieldName('name')?.text;
          const alias = s.childForFieldName('alias')?.text ?? name;
          if (!name || !alias) continue;
          if (source) setOwn(this.b.facts.imports, alias, { mod: normalizeSpec(source), path: [name] });
          this.exportName(alias, source ? alias : name);
        }
      } else if (c.type === 'namespace_export' && source) {
        const alias = c.namedChildren.find((x) => x?.type === 'identifier')?.text;
        if (alias) setOwn(this.b.facts.imports, alias, { mod: normalizeSpec(source), path: [] });
      }
    }
    if (source && st.children.some((c) => c?.type === '*') && !kids(st).some((c) => c.type === 'namespace_export')) (this.b.facts.star ??= []).push(normalizeSpec(source));
  }

  private bindImport(st: Node): void {
    if (st.children.some((c) => c?.type === 'type')) return; // `import type`
    const req = kids(st).find((c) => c.type === 'import_require_clause');
    if (req) {
      // TS `import fs = require('fs')`
      const local = req.namedChildren.find((c) => c?.type === 'identifier')?.text;
      const spec = stringValue(req.childForFieldName('source'));
      if (local && spec) {
        this.module.bind(local, { ref: { k: 'mod', mod: normalizeSpec(spec), path: [] } });
        setOwn(this.b.facts.imports, local, { mod: normalizeSpec(spec), path: [] });
      }
      return;
    }
    const source = stringValue(st.childForFieldName('source'));
    if (!source) return;
    const mod = normalizeSpec(source);
    const clause = kids(st).find((c) => c.type === 'import_clause');
    if (!clause) return;
    const bind = (local: string, path: string[]) => {
      this.module.bind(local, { ref: { k: 'mod', mod, path } });
      setOwn(this.b.facts.imports, local, { mod, path });
      if (mod === 'worker_threads') this.workerImports.add(path[0] ?? local);
    };
    for (const c of kids(clause)) {
      if (c.type === 'identifier') bind(c.text, NODE_BUILTINS.has(mod) ? [] : ['default']);
      else if (c.type === 'namespace_import') {
        const id = c.namedChildren.find((x) => x?.type === 'identifier');
        if (id) bind(id.text, []);
      } else if (c.type === 'named_imports') {
        for (const s of kids(c)) {
          if (s.type !== 'import_specifier' || s.children.some((x) => x?.type === 'type')) continue;
          const name = s.childForFieldName('name')?.text;
          const alias = s.childForFieldName('alias')?.text ?? name;
          if (name && alias) bind(alias, [name]);
        }
      }
    }
  }

  /** `const x = <value>` / `const { a, b: c } = require('m')`: bind names; function values become functions. */
  private bindDeclarator(d: Node, scope: Scope, ctx: WalkCtx, prescan: boolean): void {
    const name = d.childForFieldName('name');
    const value = d.childForFieldName('value');
    if (!name) return;
    if (name.type === 'identifier') {
      const v = value ? unwrap(value) : null;
      if (v && (v.type === 'arrow_function' || v.type === 'function_expression' || v.type === 'function')) {
        if (prescan) scope.bind(name.text, { ref: { k: 'top', path: [name.text] } });
        return;
      }
      if (v?.type === 'class') {
        if (prescan) {
          scope.bind(name.text, { ref: { k: 'top', path: [name.text] } });
          this.classNames.add(name.text);
        }
        return;
      }
      let b: Binding = v ? this.valueBinding(v, ctx) : OPAQUE;
      if (!b.type && !b.ref) {
        const t = this.annotationType(d.childForFieldName('type'), ctx);
        if (t) b = { type: t };
      }
      if (prescan && b.type) {
        b = { type: b.type, via: 'attr' };
        setOwn((this.b.facts.vars ??= {}), name.text, b.type!);
      }
      scope.bind(name.text, b);
      if (prescan && b.ref?.k === 'mod') {
        setOwn(this.b.facts.imports, name.text, { mod: b.ref.mod, path: b.ref.path });
        if (b.ref.mod === 'worker_threads') this.workerImports.add(b.ref.path[0] ?? name.text);
      }
      return;
    }
    if (name.type === 'object_pattern') {
      const base = value ? this.staticRef(unwrap(value), ctx) : null;
      for (const p of kids(name)) {
        let key: string | undefined;
        let local: string | undefined;
        if (p.type === 'shorthand_property_identifier_pattern') key = local = p.text;
        else if (p.type === 'pair_pattern') {
          key = p.childForFieldName('key')?.text;
          const v = p.childForFieldName('value');
          local = v?.type === 'identifier' ? v.text : undefined;
        }
        if (!local) continue;
        if (base?.k === 'mod' && key) {
          scope.bind(local, { ref: { k: 'mod', mod: base.mod, path: [...base.path, key] } });
          if (prescan) {
            setOwn(this.b.facts.imports, local, { mod: base.mod, path: [...base.path, key] });
            if (base.mod === 'worker_threads') this.workerImports.add(key);
          }
        } else scope.bind(local, OPAQUE);
      }
      return;
    }
    this.bindPattern(name, scope);
  }

  /** Depth-guarded (`MAX_SYNTAX_DEPTH`): deeper subtrees are skipped, the facts say `partial`. */
  private bindPattern(n: Node, scope: Scope): void {
    if (!this.b.enter(n)) return;
    this.bindPatternInner(n, scope);
    this.b.leave();
  }

  private bindPatternInner(n: Node, scope: Scope): void {
    if (n.type === 'identifier' || n.type === 'shorthand_property_identifier_pattern') scope.bind(n.text, OPAQUE);
    else for (const c of kids(n)) this.bindPattern(c, scope);
  }

  // ------------------------------------------------------------ walk

  protected walkNode(node: Node, ctx: WalkCtx): void {
    const t = node.type;
    if (FUNCTION_NODES.has(t)) {
      this.onFunctionNode(node, ctx, null);
      return;
    }
    switch (t) {
      case 'class_declaration':
      case 'abstract_class_declaration':
      case 'class':
        this.onClass(node, ctx, null);
        return;
      case 'call_expression':
      case 'new_expression':
        this.onCall(node, ctx);
        return;
      case 'lexical_declaration':
      case 'variable_declaration':
        for (const d of kids(node)) if (d.type === 'variable_declarator') this.onDeclarator(d, ctx);
        return;
      case 'assignment_expression':
        this.onAssignment(node, ctx);
        return;
      case 'export_statement': {
        const decl = node.childForFieldName('declaration');
        const value = node.childForFieldName('value');
        if (decl) this.walk(decl, ctx);
        else if (value) {
          const v = unwrap(value);
          if (FUNCTION_NODES.has(v.type) && !v.childForFieldName('name')) this.onFunctionNode(v, ctx, 'default');
          else this.walk(value, ctx);
        }
        return;
      }
      case 'template_string':
        for (const c of kids(node)) if (c.type === 'template_substitution') this.walkChildren(c, ctx);
        return;
      case 'import_statement':
      case 'comment':
      case 'string':
      case 'type_annotation':
      case 'interface_declaration':
      case 'type_alias_declaration':
        return;
      case 'pair': {
        const value = node.childForFieldName('value');
        const key = node.childForFieldName('key')?.text;
        if (value && FUNCTION_NODES.has(unwrap(value).type) && key) this.onFunctionNode(unwrap(value), ctx, key.replace(/^['"]|['"]$/g, ''));
        else this.walkChildren(node, ctx);
        return;
      }
      default:
        if (LOOPS.has(t)) {
          const body = node.childForFieldName('body');
          for (const c of kids(node)) this.walk(c, c === body || c.id === body?.id || t !== 'for_in_statement' ? { ...ctx, loop: true } : ctx);
          return;
        }
        this.walkChildren(node, ctx);
    }
  }

  /**
   * A function node met during the walk. Named ones (declarations, methods, values bound to a
   * name) and async ones become functions; a sync anonymous callback is walked as part of the
   * enclosing function.
   */
  private onFunctionNode(node: Node, ctx: WalkCtx, given: string | null, opts: { loop?: boolean; handler?: boolean; callee?: string; bind?: boolean; syncOnly?: boolean } = {}): void {
    // a generator run as a coroutine (`co(function* …)`, `coroutine(function* …)`) is async code
    const coroutine = (node.type === 'generator_function' || node.type === 'generator_function_declaration') && !!opts.callee && JS_COROUTINE_RUNNER.test(opts.callee);
    const isAsync = coroutine || node.children.some((c) => c?.type === 'async');
    const own = node.type === 'method_definition' ? node.childForFieldName('name')?.text : node.childForFieldName('name')?.text;
    const name = given ?? own ?? null;
    const isArrow = node.type === 'arrow_function';
    // a sync callback the event loop runs later (listener, `.then`, timer) is an entry of its own
    const loopEntry = !isAsync && !opts.syncOnly && !!opts.callee && JS_LOOP_CALLBACK.test(opts.callee);
    if (!name && !isAsync && ctx.fn >= 0 && !loopEntry) {
      // merged callback: its params shadow, `this` is lexical only for arrows
      const scope = new Scope(ctx.scope);
      this.bindParams(node, scope, ctx);
      const body = node.childForFieldName('body');
      const inner: WalkCtx = { ...ctx, scope, loop: ctx.loop || !!opts.loop, ...(isArrow ? {} : { selfName: null, selfCls: null }) };
      if (body) this.walk(body, inner);
      return;
    }
    const inClass = node.type === 'method_definition' ? ctx.classBody : null;
    const display = name ? qualify(ctx.prefix, name) : `${ctx.prefix ? `${ctx.prefix} > ` : ''}${opts.callee ?? 'anonymous'} callback`;
    const fname = name ?? '<anonymous>';
    const handler = (isAsync || loopEntry) && (!!opts.handler || (!!name && HANDLER_NAME.test(name)));
    const id = this.b.addFunction({
      name: fname,
      display,
      cls: inClass ?? (ctx.classBody && given ? ctx.classBody : null),
      line: line1(node),
      end: endLine1(node),
      async: isAsync,
      ...(handler ? { handler: true } : {}),
      ...(loopEntry ? { ev: 1 as const } : {}),
    });
    if (coroutine) this.coroutines.add(id);
    const cls = inClass ?? (ctx.classBody && given ? ctx.classBody : null);
    if (cls && name) setOwn(this.b.classFacts(cls, line1(node)).methods, name, id, true);
    else if (name && ctx.fn < 0 && ctx.prefix === '' && !ctx.classBody && node.parent?.type !== 'object' && node.parent?.type !== 'pair') setOwn(this.b.facts.top, name, id, true);
    else if (name && ctx.fn >= 0 && (!given || opts.bind)) ctx.scope.bind(name, { ref: { k: 'fn', id } });

    const scope = new Scope(ctx.scope);
    const selfCls = cls ?? (isArrow ? ctx.selfCls : null);
    this.bindParams(node, scope, { ...ctx, selfCls }, cls);
    const body = node.childForFieldName('body');
    if (body) this.walk(body, { fn: id, scope, selfName: selfCls ? 'this' : null, selfCls, classBody: null, prefix: name ? display : ctx.prefix, loop: false, off: false, asyncBlock: false });
  }

  private bindParams(fn: Node, scope: Scope, ctx: WalkCtx, cls: string | null = null): void {
    const ps = fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter');
    if (!ps) return;
    if (ps.type === 'identifier') {
      scope.bind(ps.text, OPAQUE);
      return;
    }
    for (const p of kids(ps)) {
      const pattern = p.childForFieldName('pattern') ?? (p.type === 'identifier' ? p : null);
      if (!pattern) {
        this.bindPattern(p, scope);
        continue;
      }
      if (pattern.type !== 'identifier') {
        this.bindPattern(pattern, scope);
        continue;
      }
      const t = this.annotationType(p.childForFieldName('type'), ctx);
      scope.bind(pattern.text, t ? { type: t, via: 'param' } : OPAQUE);
      // TS parameter properties: `constructor(private db: Database)`
      if (cls && t && p.children.some((c) => c?.type === 'accessibility_modifier' || c?.type === 'readonly')) this.attrs(cls).set(pattern.text, t);
    }
  }

  private attrs(cls: string): Map<string, TypeRef> {
    let m = this.classAttrs.get(cls);
    if (!m) {
      m = new Map();
      this.classAttrs.set(cls, m);
    }
    return m;
  }

  private onClass(node: Node, ctx: WalkCtx, given: string | null): void {
    const name = node.childForFieldName('name')?.text ?? given;
    const body = node.childForFieldName('body');
    if (!name || !body) {
      if (body) this.walkChildren(body, ctx);
      return;
    }
    const cf = this.b.classFacts(name, line1(node));
    const heritage = kids(node).find((c) => c.type === 'class_heritage');
    const ext = heritage ? (kids(heritage).find((c) => c.type === 'extends_clause')?.childForFieldName('value') ?? heritage.firstNamedChild) : null;
    if (ext) {
      const r = this.staticRef(unwrap(ext), ctx);
      if (r && (r.k === 'mod' || r.k === 'top') && !(r.k === 'mod' && r.mod === '' && !this.classNames.has(r.path[0]))) cf.bases.push(r);
    }
    this.scanClassAttrs(body, name, ctx);
    const known = this.classAttrs.get(name);
    if (known?.size) cf.attrs = Object.fromEntries([...known].filter(([k]) => k !== '__proto__'));
    const inner: WalkCtx = { ...ctx, classBody: name, prefix: qualify(ctx.prefix, name) };
    let decorators: string[] = [];
    for (const m of kids(body)) {
      if (m.type === 'decorator') {
        decorators.push(collapse(m.text.replace(/^@\s*/, '')));
        continue;
      }
      const routed = decorators.some((d) => TS_HANDLER_DECORATOR.test(d));
      decorators = [];
      if (m.type === 'method_definition') this.onFunctionNode(m, inner, null, { handler: routed });
      else if (m.type === 'public_field_definition' || m.type === 'field_definition') {
        const v = m.childForFieldName('value');
        const key = (m.childForFieldName('name') ?? m.childForFieldName('property'))?.text;
        if (v && key && FUNCTION_NODES.has(unwrap(v).type)) this.onFunctionNode(unwrap(v), inner, key);
      }
    }
  }

  /** Field types: annotations, `= new X()` initialisers and `this.x = <typed>` in any method. */
  private scanClassAttrs(body: Node, cls: string, ctx: WalkCtx): void {
    const attrs = this.attrs(cls);
    const mctx: WalkCtx = { ...ctx, selfName: 'this', selfCls: cls };
    for (const m of kids(body)) {
      if (m.type === 'public_field_definition' || m.type === 'field_definition') {
        const key = (m.childForFieldName('name') ?? m.childForFieldName('property'))?.text;
        const v = m.childForFieldName('value');
        const t = this.annotationType(m.childForFieldName('type'), ctx) ?? (v ? this.typeOf(unwrap(v), mctx)?.type : null);
        if (key && t) attrs.set(key, t);
      } else if (m.type === 'method_definition') {
        const scope = new Scope(ctx.scope);
        const ictx = { ...mctx, scope };
        this.bindParams(m, scope, ictx, cls);
        const b = m.childForFieldName('body');
        if (!b) continue;
        for (const a of b.descendantsOfType('assignment_expression')) {
          const left = a?.childForFieldName('left');
          const right = a?.childForFieldName('right');
          if (left?.type !== 'member_expression' || left.childForFieldName('object')?.type !== 'this' || !right) continue;
          const key = left.childForFieldName('property')?.text;
          const r = unwrap(right);
          const t = this.typeOf(r, ictx) ?? (r.type === 'identifier' ? ((b2) => (b2?.type ? { type: b2.type } : null))(scope.lookup(r.text)) : null);
          if (key && t && !attrs.has(key)) attrs.set(key, t.type);
        }
      }
    }
  }

  private onDeclarator(d: Node, ctx: WalkCtx): void {
    const name = d.childForFieldName('name');
    const value = d.childForFieldName('value');
    const v = value ? unwrap(value) : null;
    if (name?.type === 'identifier' && v && FUNCTION_NODES.has(v.type)) {
      this.onFunctionNode(v, ctx, name.text, { bind: true });
      return;
    }
    if (name?.type === 'identifier' && v?.type === 'class') {
      this.onClass(v, ctx, name.text);
      return;
    }
    if (value) this.walk(value, ctx);
    if (ctx.fn >= 0) this.bindDeclarator(d, ctx.scope, ctx, false);
  }

  private onAssignment(node: Node, ctx: WalkCtx): void {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (!left || !right) return;
    const r = unwrap(right);
    const lt = collapse(left.text);
    // CommonJS exports
    if (ctx.fn < 0 && (lt === 'module.exports' || lt.startsWith('module.exports.') || lt.startsWith('exports.'))) {
      const key = lt === 'module.exports' ? 'default' : lt.slice(lt.lastIndexOf('.') + 1);
      if (FUNCTION_NODES.has(r.type)) {
        const fname = lt === 'module.exports' ? (r.childForFieldName('name')?.text ?? 'default') : key;
        this.onFunctionNode(r, ctx, fname);
        this.exportName(key, fname);
        return;
      }
      if (r.type === 'identifier') this.exportName(key, r.text);
      if (r.type === 'object' && lt === 'module.exports') {
        for (const p of kids(r)) {
          if (p.type === 'shorthand_property_identifier') this.exportName(p.text, p.text);
          else if (p.type === 'pair' && p.childForFieldName('value')?.type === 'identifier') this.exportName(p.childForFieldName('key')!.text, p.childForFieldName('value')!.text);
        }
      }
    }
    if (FUNCTION_NODES.has(r.type) && left.type === 'member_expression') {
      this.onFunctionNode(r, ctx, left.childForFieldName('property')?.text ?? null);
      return;
    }
    this.walk(right, ctx);
    if (ctx.fn >= 0 && left.type === 'identifier') ctx.scope.bind(left.text, this.valueBinding(r, ctx));
  }

  private onCall(node: Node, ctx: WalkCtx): void {
    const isNew = node.type === 'new_expression';
    const fnNode = node.childForFieldName(isNew ? 'constructor' : 'function');
    const args = node.childForFieldName('arguments');
    if (!fnNode) return;
    const text = collapse(fnNode.text);
    if (ctx.fn >= 0 && !(fnNode.type === 'identifier' && (fnNode.text === 'require' || fnNode.text === 'import'))) {
      const target = this.refOfCallee(unwrap(fnNode), ctx);
      let m: string | undefined;
      if (!target && fnNode.type === 'member_expression') m = fnNode.childForFieldName('property')?.text;
      if (target ? !(target.k === 'mod' && target.mod === '' && !this.globalWorthKeeping(target.path)) : !!m && own(RULES.js.anyMethod, m) !== undefined) {
        let p = node.parent;
        while (p && WRAPPERS.has(p.type)) p = p.parent;
        const fact: CallFact = { c: isNew ? `new ${text}` : text, l: line1(node), e: endLine1(node) };
        if (target) fact.t = target;
        else fact.m = m;
        if (p?.type === 'await_expression' || (p?.type === 'yield_expression' && this.coroutines.has(ctx.fn))) fact.aw = 1;
        if (ctx.loop) fact.lp = 1;
        if (args && kids(args).some((a) => FUNCTION_NODES.has(unwrap(a).type) || (a.type === 'object' && /\basync\s*:\s*true\b/.test(a.text)))) fact.cb = 1;
        this.b.addCall(ctx.fn, fact);
      }
    }
    this.walk(fnNode, ctx);
    if (!args) return;
    const calleeName = fnNode.type === 'member_expression' ? fnNode.childForFieldName('property')?.text : fnNode.text;
    const perItem = !!calleeName && PER_ITEM.has(calleeName);
    const argNodes = kids(args);
    // `process.on('exit', …)` listeners can only do synchronous work: sync calls there are right
    const syncOnly = /^process\.(on|once|addListener|prependListener)$/.test(text) && /^['"`]exit['"`]$/.test(argNodes[0]?.text ?? '');
    for (const a of argNodes) {
      const u = unwrap(a);
      if (perItem && ctx.fn >= 0 && (u.type === 'identifier' || u.type === 'member_expression')) {
        // `items.forEach(helper)`: the named function runs here, once per item
        const target = this.refOfCallee(u, ctx);
        if (target && (target.k === 'fn' || target.k === 'top' || target.k === 'self' || (target.k === 'mod' && target.mod !== ''))) {
          this.b.addCall(ctx.fn, { c: collapse(u.text), t: target, l: line1(u), e: endLine1(u), lp: 1 });
        }
      }
      if (FUNCTION_NODES.has(u.type) && (!u.childForFieldName('name') || JS_LOOP_CALLBACK.test(text))) {
        this.onFunctionNode(u, ctx, null, { loop: !!calleeName && PER_ITEM.has(calleeName), handler: JS_HANDLER_CALLEE.test(text), callee: text, syncOnly });
      } else this.walk(a, ctx);
    }
  }

  private globalWorthKeeping(path: string[]): boolean {
    return path[0] === 'Atomics';
  }

  // ------------------------------------------------------------ resolution

  private valueBinding(v: Node, ctx: WalkCtx): Binding {
    const t = this.typeOf(v, ctx);
    if (t) return { type: t.type, ...(t.via ? { via: t.via } : {}) };
    const r = this.staticRef(v, ctx);
    return r ? { ref: r } : OPAQUE;
  }

  /** Static reference: names, member chains, `require('m')`, `await import('m')`. Depth-guarded (`MAX_SYNTAX_DEPTH`): deeper subtrees are skipped, the facts say `partial`. */
  private staticRef(n: Node, ctx: WalkCtx): Ref | null {
    if (!this.b.enter(n)) return null;
    const out = this.staticRefInner(n, ctx);
    this.b.leave();
    return out;
  }

  private staticRefInner(n: Node, ctx: WalkCtx): Ref | null {
    const e = unwrap(n);
    if (e.type === 'identifier') {
      const b = ctx.scope.lookup(e.text);
      if (b) return b.ref ?? null;
      return { k: 'mod', mod: '', path: [e.text] };
    }
    if (e.type === 'member_expression') {
      const obj = e.childForFieldName('object');
      const prop = e.childForFieldName('property')?.text;
      if (!obj || !prop || obj.type === 'this') return null;
      const base = this.staticRef(obj, ctx);
      if (base?.k === 'mod') return { k: 'mod', mod: base.mod, path: [...base.path, prop] };
      if (base?.k === 'top') return { k: 'top', path: [...base.path, prop] };
      return null;
    }
    if (e.type === 'call_expression') {
      const f = e.childForFieldName('function');
      const arg = e.childForFieldName('arguments')?.firstNamedChild;
      const spec = stringValue(arg);
      if (f && (f.text === 'require' || f.type === 'import') && spec) return { k: 'mod', mod: normalizeSpec(spec), path: [] };
      return null;
    }
    if (e.type === 'await_expression') {
      const inner = e.firstNamedChild;
      if (inner?.type === 'call_expression' && inner.childForFieldName('function')?.type === 'import') return this.staticRef(inner, ctx);
    }
    return null;
  }

  private refOfCallee(fn: Node, ctx: WalkCtx): Ref | null {
    if (fn.type === 'identifier') return this.staticRef(fn, ctx);
    if (fn.type !== 'member_expression') return null;
    const obj = fn.childForFieldName('object');
    const prop = fn.childForFieldName('property')?.text;
    if (!obj || !prop) return null;
    if (obj.type === 'super' && ctx.selfCls) return { k: 'self', cls: ctx.selfCls, name: prop, sup: 1 };
    if (obj.type === 'this') {
      if (!ctx.selfCls || this.classAttrs.get(ctx.selfCls)?.has(prop)) return null;
      return { k: 'self', cls: ctx.selfCls, name: prop };
    }
    const base = this.staticRef(obj, ctx);
    if (base?.k === 'mod') return { k: 'mod', mod: base.mod, path: [...base.path, prop] };
    if (base?.k === 'top') return { k: 'top', path: [...base.path, prop] };
    const t = this.typeOf(unwrap(obj), ctx);
    if (t) return { k: 'inst', type: t.type, name: prop, ...(t.via ? { via: t.via } : {}) };
    // `this.db.exec()` with `db` typed in a base class (resolved by the graph pass)
    if (obj.type === 'member_expression' && ctx.selfCls && obj.childForFieldName('object')?.type === 'this') {
      const a = obj.childForFieldName('property')?.text;
      if (a) return { k: 'sattr', cls: ctx.selfCls, attr: a, name: prop };
    }
    return null;
  }

  protected typeOfNode(e: Node, ctx: WalkCtx): Typed | null {
    switch (e.type) {
      case 'member_expression': {
        const obj = e.childForFieldName('object');
        const prop = e.childForFieldName('property')?.text;
        if (!obj || !prop) return null;
        if (obj.type === 'this') {
          const t = ctx.selfCls ? this.classAttrs.get(ctx.selfCls)?.get(prop) : undefined;
          return t ? { type: t, via: 'attr' } : null;
        }
        const inner = this.typeOf(unwrap(obj), ctx);
        const c = inner ? canonicalType(inner.type, 'js') : null;
        const f = c ? factoryType(`${c}#${prop}`, 'js') : null;
        return f ? { type: f, via: inner!.via } : null;
      }
      case 'new_expression': {
        const ctor = e.childForFieldName('constructor');
        const r = ctor ? this.staticRef(ctor, ctx) : null;
        if (r?.k === 'mod' && (r.mod !== '' || this.classNames.has(r.path[0]))) {
          const f = factoryType(canonicalOf(r.mod, r.path, 'js'), 'js');
          return { type: f ?? { k: 'mod', mod: r.mod, path: r.path } };
        }
        if (r?.k === 'top') return { type: { k: 'top', path: r.path } };
        return null;
      }
      case 'call_expression': {
        const fn = e.childForFieldName('function');
        const r = fn ? this.refOfCallee(unwrap(fn), ctx) : null;
        if (r?.k === 'mod') {
          const f = factoryType(canonicalOf(r.mod, r.path, 'js'), 'js');
          return f ? { type: f } : null;
        }
        if (r?.k === 'inst') {
          const c = canonicalType(r.type, 'js');
          const f = c ? factoryType(`${c}#${r.name}`, 'js') : null;
          return f ? { type: f, via: r.via } : null;
        }
        return null;
      }
      default:
        return WRAPPERS.has(e.type) && e.firstNamedChild ? this.typeOf(e.firstNamedChild, ctx) : null;
    }
  }

  /** A TS type annotation naming an imported or local class (`Database`, `sqlite.DatabaseSync`, `X | null`). */
  private annotationType(ann: Node | null, ctx: WalkCtx): TypeRef | null {
    let n: Node | null = ann?.type === 'type_annotation' ? ann.firstNamedChild : ann;
    for (let guard = 0; n && guard < 5; guard++) {
      if (n.type === 'type_identifier' || n.type === 'identifier') {
        const b = ctx.scope.lookup(n.text);
        const r = b?.ref;
        if (r?.k === 'top') return r;
        if (r?.k === 'mod') return factoryType(canonicalOf(r.mod, r.path, 'js'), 'js') ?? r;
        return null;
      }
      if (n.type === 'nested_type_identifier') {
        const parts = n.text.split('.');
        const b = ctx.scope.lookup(parts[0]);
        if (b?.ref?.k !== 'mod') return null;
        const r = { k: 'mod' as const, mod: b.ref.mod, path: [...b.ref.path, ...parts.slice(1)] };
        return factoryType(canonicalOf(r.mod, r.path, 'js'), 'js') ?? r;
      }
      if (n.type === 'union_type') n = kids(n).find((c) => c.type !== 'literal_type' && c.text !== 'null' && c.text !== 'undefined') ?? null;
      else if (n.type === 'generic_type') n = n.firstNamedChild;
      else return null;
    }
    return null;
  }
}
