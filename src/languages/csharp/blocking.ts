/**
 * Blocking facts of one C# file (the `csharp` rule family, rules in `blocking-rules.ts`).
 *
 * Entries: `async` methods, lambdas and local functions, and methods returning `Task` /
 * `ValueTask` without `async` — VSTHRD103 speaks of "a Task-returning method": its synchronous
 * part runs on the caller's thread before the task is returned. Calls are resolved by what one
 * file can tell:
 * - static calls by type name (`File.ReadAllText`, `Thread.Sleep`, `System.IO.File.Exists` →
 *   `File.Exists`); a repository class of that name anywhere wins (`typesByName`);
 * - instance calls on a receiver of a known type: a declared local, parameter, field or property
 *   type (`SqlCommand cmd`, `private readonly HttpClient _http`), `var x = new T(...)`, a factory
 *   (`File.OpenRead` → `FileStream`), a method of this class (its declared return type), and the
 *   TAP convention: a call to a method named `…Async` returns a task;
 * - `this.M()`, `base.M()` and bare `M()` as methods of the enclosing class; local functions;
 * - `.Result`, `.Wait()`, `.GetAwaiter().GetResult()` on tasks (VSTHRD002); `.Result` of a task
 *   the method awaited before (`await t`, `await Task.WhenAll(t, …)`) is left out (CA1849: the
 *   task has completed); `Task.FromResult(...)` / `Task.CompletedTask` are `CompletedTask`;
 * - EF Core terminal operators (`ToList`, `FirstOrDefault`, …) on a query whose chain starts at a
 *   `…Context` / `DbSet` / `IQueryable` receiver, unless the chain went in-memory first
 *   (`AsEnumerable`, `ToList`).
 * Lambdas handed to `Task.Run`, `Task.Factory.StartNew`, `ThreadPool.QueueUserWorkItem`,
 * `new Thread(...)` or `new Timer(...)` run off the caller's thread (offloaded); other non-async
 * lambdas are part of the method that holds them (LINQ callbacks count as a loop).
 */
import type { Node } from 'web-tree-sitter';
import { collapse, FactsBuilder, factoryType, kids, line1, endLine1, OPAQUE, own, qualify, Scope, setOwn, type WalkCtx } from '../../analysis/blocking/collect-common.ts';
import type { BlockingFileFacts, CallFact, Ref, TypeRef } from '../../analysis/blocking/types.ts';
import { EF_TERMINALS } from './blocking-rules.ts';

const FAMILY = 'csharp';
const CLASS_TYPES = new Set(['class_declaration', 'struct_declaration', 'record_declaration', 'record_struct_declaration', 'interface_declaration']);
const METHOD_TYPES = new Set(['method_declaration', 'constructor_declaration', 'operator_declaration', 'conversion_operator_declaration', 'destructor_declaration']);
const LOOPS = new Set(['for_statement', 'foreach_statement', 'while_statement', 'do_statement']);
const LAMBDAS = new Set(['lambda_expression', 'anonymous_method_expression']);
const TASK_TYPES = new Set(['Task', 'ValueTask', 'CompletedTask']);
/** Callees whose delegate arguments run on another thread. */
const OFFLOAD = /(^|\.)(Task\.Run|Factory\.StartNew|StartNew|QueueUserWorkItem|UnsafeQueueUserWorkItem|new Thread|new Timer|new System\.Threading\.Timer)$/;
/** LINQ and collection callbacks run once per item (a loop). */
const PER_ITEM = /(^|\.)(Select|SelectMany|Where|ForEach|Any|All|Count|First|FirstOrDefault|Single|SingleOrDefault|OrderBy|OrderByDescending|ThenBy|GroupBy|ToDictionary|ToLookup|Sum|Min|Max|Aggregate|TakeWhile|SkipWhile|Zip)$/;
/** Handlers by attribute: ASP.NET Core actions, Azure Functions, gRPC / SignalR hubs. */
const HANDLER_ATTRIBUTE = /^(Http(Get|Post|Put|Patch|Delete|Head|Options)|Route|AcceptVerbs|FunctionName|Function|HubMethodName)\b/;
/** Handlers by name: MediatR / MassTransit `Handle` / `Consume`, middleware `Invoke`, Razor page handlers. */
const HANDLER_NAME = /^(Handle|Invoke|Consume)(Async)?$|^On(Get|Post|Put|Patch|Delete)\w*$/;
/** Types a query chain may start at: a `…Context` (then a `DbSet` property follows), a `DbSet`, an `IQueryable`. */
const EF_QUERY_ROOT = /Context$|^DbSet$|^IQueryable$/;
const IN_MEMORY = new Set(['AsEnumerable', 'ToList', 'ToArray', 'ToDictionary', 'ToHashSet', 'ToLookup']);

/** Collect the blocking facts of a parsed C# source file. Pure. */
export function collectCSharp(root: Node): BlockingFileFacts {
  return new CSharpCollector().run(root);
}

interface Ctx extends WalkCtx {
  /** Variables this function awaited so far (`await t`): their `.Result` does not wait. */
  awaited: Set<string>;
}

const mod = (...path: string[]): TypeRef => ({ k: 'mod', mod: '', path });

/** The simple name of a type node (`System.Net.Http.HttpClient` → `HttpClient`, `Task<int>` → `Task`), or null for predefined / array / tuple types. */
export function typeName(n: Node | null | undefined): string | null {
  if (!n) return null;
  switch (n.type) {
    case 'identifier':
      return n.text;
    case 'generic_name':
      return n.namedChildren.find((c) => c?.type === 'identifier')?.text ?? null;
    case 'qualified_name':
      return typeName(n.childForFieldName('name') ?? n.namedChildren.at(-1));
    case 'alias_qualified_name':
      return typeName(n.childForFieldName('name') ?? n.namedChildren.at(-1));
    case 'nullable_type':
      return typeName(n.childForFieldName('type') ?? n.namedChildren[0]);
    default:
      return null;
  }
}

/**
 * Whether `node` sits under a check that task `name` has completed (`if (t.IsCompleted)`,
 * `t.IsCompletedSuccessfully ? t.Result : …`, `t.Status == TaskStatus.RanToCompletion`): CA1849
 * says reading the result there is safe.
 */
function checkedCompleted(node: Node, name: string): boolean {
  const check = new RegExp(`\\b${name}\\s*\\.\\s*(?:IsCompleted\\w*|Status\\s*==\\s*TaskStatus\\.RanToCompletion)`);
  for (let p = node.parent, child: Node = node; p; child = p, p = p.parent) {
    if (METHOD_TYPES.has(p.type) || LAMBDAS.has(p.type) || p.type === 'local_function_statement') return false;
    if (p.type !== 'if_statement' && p.type !== 'conditional_expression') continue;
    const cond = p.childForFieldName('condition');
    // only the branch the check guards (`if (t.IsCompleted) … t.Result`), not the else branch
    if (cond && p.childForFieldName('consequence')?.id === child.id && check.test(cond.text)) return true;
  }
  return false;
}

/** The first line of a declaration past its attributes (the extractor's symbol line). */
function headLine(node: Node): number {
  for (const c of node.children) if (c && c.type !== 'attribute_list' && c.type !== 'comment') return line1(c);
  return line1(node);
}

function attributes(node: Node): string[] {
  const out: string[] = [];
  for (const list of node.namedChildren) {
    if (list?.type !== 'attribute_list') continue;
    for (const a of list.namedChildren) if (a?.type === 'attribute') out.push(a.childForFieldName('name')?.text ?? a.text);
  }
  return out;
}

function hasModifier(node: Node, word: string): boolean {
  return node.children.some((c) => c?.type === 'modifier' && c.text === word);
}

/** The member name of a `name` field (`Get<T>` → `Get`). */
function memberName(n: Node | null): string | null {
  if (!n) return null;
  return n.type === 'generic_name' ? (n.namedChildren.find((c) => c?.type === 'identifier')?.text ?? null) : n.text;
}

/** `this` / `base` receiver of a member access, or null. */
function selfReceiver(access: Node): 'this' | 'base' | null {
  const first = access.child(0);
  if (first?.type === 'this' || first?.type === 'this_expression') return 'this';
  if (first?.type === 'base' || first?.type === 'base_expression') return 'base';
  return null;
}

/** A dotted path of capitalized names (`System.IO.File`, `Task.Factory`), as its segments, or null. */
function staticPath(n: Node): string[] | null {
  const text = n.text.replace(/\s+/g, '');
  if (!/^(global::)?[A-Z_][\w]*(\.[A-Z_][\w]*)*$/.test(text)) return null;
  return text.replace(/^global::/, '').split('.');
}

/** The last segments that name a static member: `Type.Member`, or `Task.Factory.StartNew`. */
function trimNamespace(path: string[]): string[] {
  if (path.length >= 3 && path[path.length - 2] === 'Factory') return path.slice(-3);
  return path.slice(-2);
}

class CSharpCollector {
  private readonly b = new FactsBuilder();
  /** Field and property types per class (this file). */
  private readonly fields = new Map<string, Map<string, TypeRef>>();
  /** Declared return types of methods per class (`Cls\0name`). */
  private readonly returns = new Map<string, TypeRef>();
  /** Local functions by declaration node id → function index (assigned before the body walk). */
  private readonly localFns = new Map<number, number>();

  run(root: Node): BlockingFileFacts {
    this.prescanTypes(root);
    this.walkDecls(root, null, '');
    return this.b.facts;
  }

  // ------------------------------------------------------------------ declarations

  /** Fields, properties and method return types of every class, before any body is walked. */
  private prescanTypes(node: Node): void {
    if (!this.b.enter(node)) return;
    for (const c of kids(node)) {
      if (CLASS_TYPES.has(c.type)) {
        const name = c.childForFieldName('name')?.text;
        const body = c.childForFieldName('body');
        if (name) {
          const map = this.fields.get(name) ?? new Map<string, TypeRef>();
          this.fields.set(name, map);
          // primary-constructor parameters are fields of the class (C# 12, records)
          for (const p of c.namedChildren.find((x) => x?.type === 'parameter_list')?.namedChildren ?? []) {
            const t = typeName(p?.childForFieldName('type'));
            const pn = p?.childForFieldName('name')?.text;
            if (t && pn) map.set(pn, mod(t));
          }
          for (const m of body ? kids(body) : []) {
            if (m.type === 'field_declaration') {
              const decl = m.namedChildren.find((x) => x?.type === 'variable_declaration');
              const t = typeName(decl?.childForFieldName('type'));
              for (const v of decl?.namedChildren ?? []) {
                if (v?.type !== 'variable_declarator') continue;
                const vn = v.childForFieldName('name')?.text ?? v.namedChildren[0]?.text;
                const init = v.namedChildren.find((x) => x?.type === 'object_creation_expression');
                const tt = t ?? typeName(init?.childForFieldName('type'));
                if (vn && tt) map.set(vn, mod(tt));
              }
            } else if (m.type === 'property_declaration') {
              const t = typeName(m.childForFieldName('type'));
              const pn = m.childForFieldName('name')?.text;
              if (t && pn) map.set(pn, mod(t));
            } else if (m.type === 'method_declaration') {
              const t = typeName(m.childForFieldName('returns') ?? m.childForFieldName('type'));
              const mn = m.childForFieldName('name')?.text;
              if (t && mn) this.returns.set(`${name}\u0000${mn}`, mod(TASK_TYPES.has(t) ? 'Task' : t));
            }
          }
        }
      }
      if (c.type !== 'block' && !METHOD_TYPES.has(c.type)) this.prescanTypes(c);
    }
    this.b.leave();
  }

  private walkDecls(node: Node, cls: string | null, prefix: string): void {
    if (!this.b.enter(node)) return;
    for (const c of kids(node)) {
      if (CLASS_TYPES.has(c.type)) {
        const name = c.childForFieldName('name')?.text;
        if (!name) continue;
        const facts = this.b.classFacts(name, headLine(c));
        const baseList = c.namedChildren.find((x) => x?.type === 'base_list');
        for (const bn of baseList?.namedChildren ?? []) {
          const t = typeName(bn);
          if (t) facts.bases.push(mod(t));
        }
        const attrs = this.fields.get(name);
        if (attrs && attrs.size) {
          facts.attrs ??= {};
          for (const [k, v] of attrs) setOwn(facts.attrs, k, v, true);
        }
        const body = c.childForFieldName('body');
        if (body) this.walkDecls(body, name, qualify(prefix, name));
      } else if (METHOD_TYPES.has(c.type) && cls) {
        this.method(c, cls, prefix);
      } else if (c.type === 'namespace_declaration' || c.type === 'file_scoped_namespace_declaration' || c.type === 'declaration_list') {
        this.walkDecls(c, cls, prefix);
      } else if (c.type === 'global_statement') {
        // top-level statements (Program.cs): the implicit Main is async when it awaits
        this.topLevel(c);
      }
    }
    this.b.leave();
  }

  private method(node: Node, cls: string, prefix: string): void {
    const body = node.childForFieldName('body') ?? node.namedChildren.find((x) => x?.type === 'arrow_expression_clause');
    if (!body) return;
    const isCtor = node.type === 'constructor_declaration';
    const name = isCtor ? '.ctor' : (node.childForFieldName('name')?.text ?? node.type);
    const returns = typeName(node.childForFieldName('returns') ?? node.childForFieldName('type'));
    const isAsync = hasModifier(node, 'async') || (!!returns && (returns === 'Task' || returns === 'ValueTask'));
    const handler = attributes(node).some((a) => HANDLER_ATTRIBUTE.test(a)) || HANDLER_NAME.test(name) || (/Controller$/.test(cls) && hasModifier(node, 'public') && !isCtor && !hasModifier(node, 'static'));
    const ret = this.returns.get(`${cls}\u0000${name}`);
    const display = qualify(prefix, isCtor ? cls : name);
    const fn = this.b.addFunction({ name: isCtor ? cls : name, display, cls, line: headLine(node), end: endLine1(node), async: isAsync, ...(handler ? { handler: true } : {}), ...(ret && !isAsync ? { ret } : {}) });
    const facts = this.b.classFacts(cls, line1(node));
    setOwn(facts.methods, name, fn, true);
    const scope = new Scope(null);
    this.bindParams(node.childForFieldName('parameters'), scope);
    const ctx: Ctx = { fn, scope, selfName: 'this', selfCls: cls, classBody: null, prefix: display, loop: false, off: false, asyncBlock: false, awaited: new Set() };
    this.walk(body, ctx);
  }

  /** Top-level statements: one implicit `Main`, async when it awaits anything. */
  private topLevel(stmt: Node): void {
    let fn = own(this.b.facts.top, '<Main>$');
    if (fn === undefined) {
      fn = this.b.addFunction({ name: '<Main>$', display: 'Program.<Main>$', cls: null, line: line1(stmt), end: endLine1(stmt), async: false });
      setOwn(this.b.facts.top, '<Main>$', fn);
      this.mainScope = new Scope(null);
    }
    const f = this.b.facts.functions[fn];
    f.end = Math.max(f.end, endLine1(stmt));
    if (stmt.descendantsOfType('await_expression').length) f.async = true;
    this.walk(stmt, { fn, scope: this.mainScope!, selfName: null, selfCls: null, classBody: null, prefix: 'Program', loop: false, off: false, asyncBlock: false, awaited: new Set() });
  }

  private mainScope: Scope | null = null;

  private bindParams(list: Node | null | undefined, scope: Scope): void {
    for (const p of list?.namedChildren ?? []) {
      if (!p) continue;
      const name = p.type === 'parameter' ? p.childForFieldName('name')?.text : p.type === 'identifier' ? p.text : null;
      if (!name) continue;
      const t = p.type === 'parameter' ? typeName(p.childForFieldName('type')) : null;
      scope.bind(name, t ? { type: mod(t), via: 'param' } : OPAQUE);
    }
  }

  // ------------------------------------------------------------------ bodies

  private walk(node: Node, ctx: Ctx): void {
    if (!this.b.enter(node)) return;
    this.walkInner(node, ctx);
    this.b.leave();
  }

  private walkInner(node: Node, ctx: Ctx): void {
    switch (node.type) {
      case 'block': {
        // local functions may be called before their declaration
        const scope = new Scope(ctx.scope);
        for (const c of kids(node)) if (c.type === 'local_function_statement') this.declareLocal(c, scope, ctx);
        const inner = { ...ctx, scope };
        for (const c of kids(node)) this.walk(c, inner);
        return;
      }
      case 'local_function_statement':
        return this.localFunction(node, ctx);
      case 'variable_declaration':
        return this.declaration(node, ctx);
      case 'foreach_statement': {
        const scope = new Scope(ctx.scope);
        const left = node.childForFieldName('left');
        for (const id of left ? (left.type === 'identifier' ? [left] : left.descendantsOfType('identifier')) : []) if (id) scope.bind(id.text, OPAQUE);
        const right = node.childForFieldName('right');
        if (right) this.walk(right, ctx);
        const body = node.childForFieldName('body');
        if (body) this.walk(body, { ...ctx, scope, loop: true });
        return;
      }
      case 'lambda_expression':
      case 'anonymous_method_expression':
        return this.lambda(node, ctx, false, false);
      case 'await_expression':
        return this.awaitExpr(node, ctx);
      case 'invocation_expression':
        return this.invocation(node, ctx, false);
      case 'object_creation_expression':
        return this.creation(node, ctx);
      case 'member_access_expression':
        return this.propertyAccess(node, ctx);
      case 'class_declaration':
      case 'struct_declaration':
      case 'record_declaration':
      case 'interface_declaration':
        return;
    }
    const loop = ctx.loop || LOOPS.has(node.type);
    const inner = loop === ctx.loop ? ctx : { ...ctx, loop };
    for (const c of kids(node)) this.walk(c, inner);
  }

  private declareLocal(node: Node, scope: Scope, ctx: Ctx): void {
    const name = node.childForFieldName('name')?.text;
    if (!name) return;
    const returns = typeName(node.childForFieldName('type') ?? node.childForFieldName('returns'));
    const isAsync = hasModifier(node, 'async') || returns === 'Task' || returns === 'ValueTask';
    const fn = this.b.addFunction({ name, display: qualify(ctx.prefix, name), cls: ctx.selfCls, line: line1(node), end: endLine1(node), async: isAsync });
    this.localFns.set(node.id, fn);
    scope.bind(name, { ref: { k: 'fn', id: fn } });
  }

  private localFunction(node: Node, ctx: Ctx): void {
    let fn = this.localFns.get(node.id);
    if (fn === undefined) {
      // outside a block (an expression-bodied member): declare it here
      this.declareLocal(node, ctx.scope, ctx);
      fn = this.localFns.get(node.id);
      if (fn === undefined) return;
    }
    const scope = new Scope(ctx.scope);
    this.bindParams(node.childForFieldName('parameters'), scope);
    const body = node.childForFieldName('body') ?? node.namedChildren.find((x) => x?.type === 'arrow_expression_clause');
    const f = this.b.facts.functions[fn];
    if (body) this.walk(body, { ...ctx, fn, scope, prefix: f.display, loop: false, off: false, awaited: new Set() });
  }

  private declaration(node: Node, ctx: Ctx): void {
    const declared = typeName(node.childForFieldName('type'));
    for (const v of kids(node)) {
      if (v.type !== 'variable_declarator') {
        if (v.type !== 'implicit_type' && v.id !== node.childForFieldName('type')?.id) this.walk(v, ctx);
        continue;
      }
      const name = v.childForFieldName('name')?.text ?? v.namedChildren.find((x) => x?.type === 'identifier')?.text;
      const init = v.namedChildren.find((x) => !!x && x.type !== 'identifier' && x.type !== 'bracketed_argument_list' && x.id !== v.childForFieldName('name')?.id) ?? null;
      if (init) this.walk(init, ctx);
      if (!name) continue;
      const t = declared ? mod(declared) : init ? this.typeOf(init, ctx) : null;
      ctx.scope.bind(name, t ? { type: t } : OPAQUE);
    }
  }

  private lambda(node: Node, ctx: Ctx, offloaded: boolean, perItem: boolean): void {
    const isAsync = hasModifier(node, 'async') || node.children.some((c) => c?.type === 'async');
    const scope = new Scope(ctx.scope);
    const params = node.childForFieldName('parameters');
    if (params) this.bindParams(params, scope);
    else for (const c of node.namedChildren) if (c?.type === 'identifier' && c.id !== node.childForFieldName('body')?.id) scope.bind(c.text, OPAQUE);
    const body = node.childForFieldName('body') ?? node.namedChildren.at(-1);
    if (!body) return;
    if (isAsync) {
      // an async lambda is an entry of its own (its blocking calls block whoever runs it)
      const display = qualify(ctx.prefix, '<lambda>');
      const fn = this.b.addFunction({ name: '<lambda>', display, cls: ctx.selfCls, line: line1(node), end: endLine1(node), async: true });
      this.walk(body, { ...ctx, fn, scope, prefix: display, loop: false, off: false, awaited: new Set() });
      return;
    }
    this.walk(body, { ...ctx, scope, off: ctx.off || offloaded, loop: ctx.loop || perItem });
  }

  private awaitExpr(node: Node, ctx: Ctx): void {
    const operand = node.namedChildren[0];
    if (!operand) return;
    let target: Node | null = operand;
    // `await x.ConfigureAwait(false)` awaits `x`
    if (operand.type === 'invocation_expression') {
      const f = operand.childForFieldName('function');
      if (f?.type === 'member_access_expression' && memberName(f.childForFieldName('name')) === 'ConfigureAwait') target = f.childForFieldName('expression');
    }
    if (target?.type === 'identifier') ctx.awaited.add(target.text);
    if (target?.type === 'invocation_expression') {
      const callee = collapse(target.childForFieldName('function')?.text ?? '');
      // `await Task.WhenAll(a, b)`: a and b have completed
      if (/(^|\.)Task\.WhenAll$/.test(callee)) for (const a of target.childForFieldName('arguments')?.namedChildren ?? []) if (a?.namedChildren[0]?.type === 'identifier') ctx.awaited.add(a.namedChildren[0].text);
    }
    if (operand.type === 'invocation_expression') {
      if (target && target !== operand && target.type === 'invocation_expression') {
        this.invocation(target, ctx, true);
        // the ConfigureAwait call itself: its arguments only
        for (const a of operand.childForFieldName('arguments')?.namedChildren ?? []) if (a) this.walk(a, ctx);
        return;
      }
      return this.invocation(operand, ctx, true);
    }
    this.walk(operand, ctx);
  }

  private add(ctx: Ctx, node: Node, fact: Omit<CallFact, 'l' | 'e'>): void {
    if (ctx.fn < 0) return;
    const call: CallFact = { ...fact, l: line1(node), e: endLine1(node) };
    if (ctx.off) call.off = 1;
    if (ctx.loop) call.lp = 1;
    this.b.addCall(ctx.fn, call);
  }

  private invocation(node: Node, ctx: Ctx, awaited: boolean): void {
    const fnNode = node.childForFieldName('function');
    const args = node.childForFieldName('arguments');
    const calleeText = collapse(fnNode?.text ?? '');
    const target = fnNode ? this.target(fnNode, ctx) : null;
    if (target) this.add(ctx, node, { c: calleeText, ...target, ...(awaited ? { aw: 1 as const } : {}) });
    // the receiver chain (`a.B().C()`: `a.B()` is a call of its own)
    if (fnNode?.type === 'member_access_expression') {
      const recv = fnNode.childForFieldName('expression');
      if (recv) this.walk(recv, ctx);
    }
    const offloaded = OFFLOAD.test(calleeText);
    const perItem = PER_ITEM.test(calleeText);
    for (const a of args?.namedChildren ?? []) {
      if (!a) continue;
      const e = a.type === 'argument' ? a.namedChildren.at(-1) : a;
      if (e && LAMBDAS.has(e.type)) this.lambda(e, ctx, offloaded, perItem);
      else this.walk(a, ctx);
    }
  }

  private creation(node: Node, ctx: Ctx): void {
    const t = typeName(node.childForFieldName('type'));
    const offloaded = t === 'Thread' || t === 'Timer';
    if (t) this.add(ctx, node, { c: `new ${t}`, t: { k: 'mod', mod: '', path: [t, '.ctor'] } });
    for (const a of node.childForFieldName('arguments')?.namedChildren ?? []) {
      if (!a) continue;
      const e = a.type === 'argument' ? a.namedChildren.at(-1) : a;
      if (e && LAMBDAS.has(e.type)) this.lambda(e, ctx, offloaded, false);
      else this.walk(a, ctx);
    }
    const init = node.childForFieldName('initializer') ?? node.namedChildren.find((x) => x?.type === 'initializer_expression');
    if (init) this.walk(init, ctx);
  }

  /** `.Result` (a property, not a call) on a task. */
  private propertyAccess(node: Node, ctx: Ctx): void {
    const recv = node.childForFieldName('expression');
    const name = memberName(node.childForFieldName('name'));
    if (recv && name === 'Result') {
      const awaitedVar = recv.type === 'identifier' && (ctx.awaited.has(recv.text) || checkedCompleted(node, recv.text));
      const t = awaitedVar ? null : this.typeOf(recv, ctx);
      const tn = t?.k === 'mod' ? t.path[0] : null;
      if (tn && TASK_TYPES.has(tn)) this.add(ctx, node, { c: collapse(node.text), t: { k: 'inst', type: t!, name: 'Result' } });
    }
    if (recv) this.walk(recv, ctx);
  }

  /** What a callee refers to: a reference (`t`) and / or a method name for the unknown-receiver rules (`m`). */
  private target(fnNode: Node, ctx: Ctx): { t?: Ref; m?: string } | null {
    if (fnNode.type === 'identifier' || fnNode.type === 'generic_name') {
      const name = memberName(fnNode);
      if (!name) return null;
      const b = ctx.scope.lookup(name);
      if (b?.ref) return { t: b.ref };
      if (b) return null;
      if (ctx.selfCls) return { t: { k: 'self', cls: ctx.selfCls, name } };
      return null;
    }
    if (fnNode.type !== 'member_access_expression') return null;
    const name = memberName(fnNode.childForFieldName('name'));
    if (!name) return null;
    const self = selfReceiver(fnNode);
    if (self) return ctx.selfCls ? { t: { k: 'self', cls: ctx.selfCls, name, ...(self === 'base' ? { sup: 1 as const } : {}) } } : null;
    const recv = fnNode.childForFieldName('expression');
    if (!recv) return null;
    // `x.GetAwaiter().GetResult()`: a synchronous wait on whatever x is (an awaitable)
    if (name === 'GetResult' && recv.type === 'invocation_expression') {
      const inner = recv.childForFieldName('function');
      if (inner?.type === 'member_access_expression' && memberName(inner.childForFieldName('name')) === 'GetAwaiter') {
        const of = inner.childForFieldName('expression');
        if (of?.type === 'identifier' && ctx.awaited.has(of.text)) return null;
        const t = of ? this.typeOf(of, ctx) : null;
        const tn = t?.k === 'mod' && TASK_TYPES.has(t.path[0]) ? t.path[0] : 'Task';
        return { t: { k: 'inst', type: mod(tn), name: 'GetAwaiter().GetResult' } };
      }
    }
    // EF Core: a terminal operator on a query that starts at a context / DbSet
    if (EF_TERMINALS.includes(name) && this.isQuery(recv, ctx)) return { t: { k: 'inst', type: mod('IQueryable'), name } };
    if (recv.type === 'identifier') {
      const b = ctx.scope.lookup(recv.text);
      if (b?.type) return { t: { k: 'inst', type: b.type, name, ...(b.via ? { via: b.via } : {}) }, m: name };
      if (b) return { m: name };
      const field = ctx.selfCls ? this.fields.get(ctx.selfCls)?.get(recv.text) : undefined;
      if (field) return { t: { k: 'inst', type: field, name, via: 'attr' }, m: name };
      if (/^[A-Z]/.test(recv.text)) {
        // a static call, or a property of a base class: the type by name
        return { t: { k: 'mod', mod: '', path: [recv.text, name] }, m: name };
      }
      if (ctx.selfCls) return { t: { k: 'sattr', cls: ctx.selfCls, attr: recv.text, name }, m: name };
      return { m: name };
    }
    if (recv.type === 'member_access_expression') {
      const self = selfReceiver(recv);
      const attr = memberName(recv.childForFieldName('name'));
      if (self && attr && ctx.selfCls) {
        const field = this.fields.get(ctx.selfCls)?.get(attr);
        if (field) return { t: { k: 'inst', type: field, name, via: 'attr' }, m: name };
        return { t: { k: 'sattr', cls: ctx.selfCls, attr, name }, m: name };
      }
      const path = staticPath(recv);
      if (path && path.length > 1) {
        const full = trimNamespace([...path, name]);
        return { t: { k: 'mod', mod: '', path: full }, m: name };
      }
    }
    const t = this.typeOf(recv, ctx);
    if (t) return { t: { k: 'inst', type: t, name }, m: name };
    return { m: name };
  }

  /** Whether `recv` is an EF Core query: its chain starts at a `…Context` / `DbSet` / `IQueryable` value, with a member access after it and no in-memory step. */
  private isQuery(recv: Node, ctx: Ctx): boolean {
    let n: Node | null = recv;
    let steps = 0;
    while (n) {
      if (n.type === 'invocation_expression') {
        const f = n.childForFieldName('function');
        if (f?.type !== 'member_access_expression') return false;
        if (IN_MEMORY.has(memberName(f.childForFieldName('name')) ?? '')) return false;
        n = f.childForFieldName('expression');
        steps++;
        continue;
      }
      if (n.type === 'member_access_expression') {
        const self = selfReceiver(n);
        if (self) {
          const attr = memberName(n.childForFieldName('name'));
          const t = attr && ctx.selfCls ? this.fields.get(ctx.selfCls)?.get(attr) : undefined;
          return !!t && t.k === 'mod' && EF_QUERY_ROOT.test(t.path[0]);
        }
        n = n.childForFieldName('expression');
        steps++;
        continue;
      }
      if (n.type === 'identifier') {
        const b = ctx.scope.lookup(n.text);
        const t = b?.type ?? (ctx.selfCls ? this.fields.get(ctx.selfCls)?.get(n.text) : undefined);
        if (!t || t.k !== 'mod') return false;
        const tn = t.path[0];
        // a context needs a DbSet step (`_db.Orders.ToList()`); a DbSet / IQueryable is a query itself
        return EF_QUERY_ROOT.test(tn) && (steps > 0 || tn === 'DbSet' || tn === 'IQueryable');
      }
      return false;
    }
    return false;
  }

  /** The type of an expression's value, as far as this file tells (see the module comment), or null. */
  private typeOf(n: Node, ctx: Ctx): TypeRef | null {
    switch (n.type) {
      case 'parenthesized_expression':
        return n.namedChildren[0] ? this.typeOf(n.namedChildren[0], ctx) : null;
      case 'cast_expression': {
        const t = typeName(n.childForFieldName('type'));
        return t ? mod(t) : null;
      }
      case 'object_creation_expression': {
        const t = typeName(n.childForFieldName('type'));
        return t ? mod(t) : null;
      }
      case 'identifier': {
        const b = ctx.scope.lookup(n.text);
        if (b) return b.type ?? null;
        return (ctx.selfCls ? this.fields.get(ctx.selfCls)?.get(n.text) : undefined) ?? null;
      }
      case 'member_access_expression': {
        const name = memberName(n.childForFieldName('name'));
        if (!name) return null;
        const self = selfReceiver(n);
        if (self) return (ctx.selfCls ? this.fields.get(ctx.selfCls)?.get(name) : undefined) ?? null;
        const path = staticPath(n);
        if (path && (path.join('.').endsWith('Task.CompletedTask') || path.join('.').endsWith('ValueTask.CompletedTask'))) return mod('CompletedTask');
        const recv = n.childForFieldName('expression');
        const rt = recv ? this.typeOf(recv, ctx) : null;
        const f = rt?.k === 'mod' ? factoryType(`${rt.path[0]}#${name}`, FAMILY) : null;
        return f;
      }
      case 'invocation_expression': {
        const f = n.childForFieldName('function');
        if (!f) return null;
        const name = memberName(f.type === 'member_access_expression' ? f.childForFieldName('name') : f);
        if (!name) return null;
        if (f.type === 'member_access_expression') {
          const recv = f.childForFieldName('expression');
          const path = recv ? staticPath(recv) : null;
          if (path && (name === 'FromResult' || name === 'FromException' || name === 'FromCanceled') && /^(Task|ValueTask)$/.test(path.at(-1)!)) return mod('CompletedTask');
          if (path && !(recv?.type === 'identifier' && (ctx.scope.lookup(recv.text) || this.fields.get(ctx.selfCls ?? '')?.has(recv.text)))) {
            const fac = factoryType(trimNamespace([...path, name]).join('.'), FAMILY);
            if (fac) return fac;
          } else if (recv) {
            const rt = this.typeOf(recv, ctx);
            const fac = rt?.k === 'mod' ? factoryType(`${rt.path[0]}#${name}`, FAMILY) : null;
            if (fac) return fac;
          }
          if (/Async$/.test(name)) return mod('Task');
          if (recv && selfReceiver(f) && ctx.selfCls) return this.returns.get(`${ctx.selfCls}\u0000${name}`) ?? null;
          return null;
        }
        if (/Async$/.test(name)) return mod('Task');
        const b = ctx.scope.lookup(name);
        if (b?.ref) return { k: 'ret', of: b.ref };
        if (!b && ctx.selfCls) return this.returns.get(`${ctx.selfCls}\u0000${name}`) ?? { k: 'ret', of: { k: 'self', cls: ctx.selfCls, name } };
        return null;
      }
      default:
        return null;
    }
  }
}
