/**
 * Blocking facts of one Python file: every function (async or not) with the calls of its body,
 * each resolved through the file's imports and bindings (`from time import sleep` → `time.sleep`,
 * `import subprocess as sp` → `subprocess.*`, a local `def open` shadows the builtin, `self.x()`
 * is a method of the class), typed receivers (`client = httpx.Client()`, `conn =
 * sqlite3.connect()`, `cur = conn.cursor()`, `with open(p) as f`, `self.conn = ...` in any
 * method, annotated parameters), `with` items, loops, awaits, and lambdas passed to offload
 * wrappers (`asyncio.to_thread`, `run_in_executor`, `anyio.to_thread.run_sync`).
 *
 * Lambdas are part of their enclosing function (they run where they are called); nested `def`s
 * are functions of their own, reachable only by a call.
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
  isCapitalized,
  kids,
  line1,
  OPAQUE,
  qualify,
  Scope,
  type Binding,
  type Typed,
  type WalkCtx,
} from '../../analysis/blocking/collect-common.ts';
import { HANDLER_NAME, isOffloadCall, PY_HANDLER_DECORATOR, RULES, RuleMatcher } from '../../analysis/blocking/rules.ts';
import type { BlockingFileFacts, CallFact, Ref, TypeRef } from '../../analysis/blocking/types.ts';

const MATCHER = new RuleMatcher(RULES.python);
/** Types whose entering (`with T(...)`) is a rule of its own (`securetar.SecureTarFile#__enter__`): making one does no I/O, entering does. */
const ENTER_RULES = new Set(RULES.python.rules.filter((r) => !r.ignore && r.pattern.endsWith('#__enter__')).map((r) => r.pattern.slice(0, -'#__enter__'.length)));
/** Top-level modules with I/O properties in the rules (`git`): a file importing one reads attributes that may be calls. */
const PROPERTY_MODULES = new Set(Object.keys(RULES.python.properties ?? {}).map((p) => p.split(/[.#]/)[0]));
const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);
/**
 * Expression node types (and statements made of expressions only): they hold no statements, so their only facts come from calls below them,
 * and a subtree whose text has no `(` holds no call (skipped: docstrings, data tables, constants).
 */
const CALL_FREE_IF_NO_PAREN = new Set([
  'identifier', 'attribute', 'subscript', 'binary_operator', 'boolean_operator', 'comparison_operator', 'not_operator',
  'unary_operator', 'conditional_expression', 'list', 'tuple', 'set', 'dictionary', 'pair', 'parenthesized_expression',
  'string', 'concatenated_string', 'integer', 'float', 'true', 'false', 'none', 'ellipsis', 'keyword_argument',
  'expression_list', 'list_splat', 'dictionary_splat', 'slice', 'await', 'named_expression', 'type',
  'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression',
  // statements that hold only expressions
  'return_statement', 'raise_statement', 'assert_statement', 'delete_statement', 'pass_statement', 'break_statement',
  'continue_statement', 'global_statement', 'nonlocal_statement', 'print_statement', 'exec_statement', 'yield',
]);
const COMPOUND = new Set(['if_statement', 'elif_clause', 'else_clause', 'try_statement', 'except_clause', 'except_group_clause', 'finally_clause', 'with_statement', 'block', 'for_statement', 'while_statement', 'match_statement', 'case_clause']);

/**
 * Whether `body` may assign an attribute of `selfName` (`self.x = ...`, `self.x: T = ...`): true
 * for every such assignment (line continuations included) and for some other text; false only
 * when there is none.
 */
function mayAssignAttr(body: string, selfName: string): boolean {
  for (let i = body.indexOf(selfName); i !== -1; i = body.indexOf(selfName, i + 1)) {
    SELF_ATTR_ASSIGN.lastIndex = i + selfName.length;
    if (SELF_ATTR_ASSIGN.test(body)) return true;
  }
  return false;
}
const SELF_ATTR_ASSIGN = /[\s\\]*\.[\s\\]*[^\s\\.=:()[\]]+[\s\\]*(?:=(?!=)|:)/uy;

/** Decorators that make a method a property: reading the attribute calls it. */
const PROPERTY_DECORATOR = /^(?:property|(?:functools\.)?cached_property)$/;

/** `Iterator[X]`, `Generator[X, None, None]`, `AsyncIterator[X]`, `ContextManager[X]`: what a context manager yields. */
const YIELDING_GENERIC = /^(?:typing\.|collections\.abc\.|contextlib\.)?(?:Iterator|Generator|AsyncIterator|AsyncGenerator|ContextManager|AbstractContextManager|AsyncContextManager|AbstractAsyncContextManager)$/;

/** The `X` of a `@contextmanager`'s return annotation (see {@link YIELDING_GENERIC}), or null. */
function yieldedAnnotation(annotation: Node): Node | null {
  const g = annotation.type === 'type' ? annotation.firstNamedChild : annotation;
  if (g?.type !== 'generic_type' || !YIELDING_GENERIC.test(g.firstNamedChild?.text ?? '')) return null;
  return g.namedChildren.find((c) => c?.type === 'type_parameter')?.firstNamedChild ?? null;
}

/** Collect the blocking facts of a parsed Python module. Pure; never throws on odd syntax. */
export function collectPython(root: Node): BlockingFileFacts {
  return new PyCollector(suppressedLines(root.text)).run(root);
}

/** Archive and compression openers that also take an in-memory buffer (`fileobj=` or the first argument). */
const BUFFER_OPENERS = new Set(['zipfile.ZipFile', 'tarfile.open', 'tarfile.TarFile', 'gzip.GzipFile', 'gzip.open', 'bz2.open', 'bz2.BZ2File', 'lzma.open', 'lzma.LZMAFile']);
const BUFFER_ARG = /^\(\s*(?:io\.)?(?:BytesIO|StringIO)\s*\(|\bfileobj\s*=\s*(?:io\.)?(?:BytesIO|StringIO)\s*\(/;

/**
 * `zipfile.ZipFile(io.BytesIO(data))`: an opener given an in-memory buffer reads no file, so it
 * is no blocking call. Recognised when the buffer is built in the argument list itself.
 */
function opensBuffer(target: Ref, argsText: string): boolean {
  return target.k === 'mod' && BUFFER_OPENERS.has([target.mod, ...target.path].join('.')) && BUFFER_ARG.test(argsText);
}

/** `# noqa`, or `# noqa: <codes>` naming an ASYNC rule (ruff's flake8-async family) or ours. */
const NOQA = /#\s*noqa\b(?::\s*([A-Za-z0-9_, \t-]+))?/i;

/**
 * 1-based lines whose blocking calls the maintainers silenced: a bare `# noqa`, or a
 * `# noqa: …` listing an `ASYNC…` code (ruff's flake8-async rules, e.g. ASYNC230) or
 * `codeworm`. Other codes (`# noqa: E501`) silence nothing here, as in ruff.
 */
export function suppressedLines(text: string): Set<number> {
  const out = new Set<number>();
  if (!/noqa/i.test(text)) return out;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = NOQA.exec(lines[i]);
    if (!m) continue;
    const codes = m[1]?.split(/[\s,]+/).filter(Boolean) ?? [];
    if (codes.length === 0 || codes.some((c) => /^ASYNC\d*$/i.test(c) || c.toLowerCase() === 'codeworm')) out.add(i + 1);
  }
  return out;
}

class PyCollector extends BlockingCollector {
  private readonly module = new Scope(null);
  private readonly classNames = new Set<string>();
  /** Class name → attribute → type (from `self.x = ...`, class-level annotations). */
  private readonly classAttrs = new Map<string, Map<string, TypeRef>>();
  /** Class name → its `@property` (and `cached_property`) getters, and the names with a `@x.setter`. */
  private readonly classProps = new Map<string, { get: Set<string>; set: Set<string> }>();
  /** Functions decorated `@contextmanager` / `@asynccontextmanager`: their `yield` is what `with` binds. */
  private readonly cmFns = new Set<number>();
  /** The file imports classes (a capitalised name or a relative import): an attribute read on their instances may run a property of another file. */
  private crossProps = false;

  /** @param suppressed lines whose calls a `# noqa` comment silences (see {@link suppressedLines}) */
  constructor(private readonly suppressed: ReadonlySet<number> = new Set()) {
    super();
  }

  run(root: Node): BlockingFileFacts {
    this.prescan(root);
    this.crossProps = Object.values(this.b.facts.imports).some((i) => i.mod.startsWith('.') || /^[A-Z]/.test(i.path[i.path.length - 1] ?? i.mod) || PROPERTY_MODULES.has(i.mod.split('.')[0]));
    const ctx: WalkCtx = { fn: -1, scope: this.module, selfName: null, selfCls: null, classBody: null, prefix: '', loop: false, off: false, asyncBlock: false };
    this.walkChildren(root, ctx);
    return this.b.facts;
  }

  // ------------------------------------------------------------ module prescan

  /** Bind module-level names first: functions may call what is defined below them. Depth-guarded (`MAX_SYNTAX_DEPTH`): deeper subtrees are skipped, the facts say `partial`. */
  private prescan(block: Node): void {
    if (!this.b.enter(block)) return;
    this.prescanInner(block);
    this.b.leave();
  }

  private prescanInner(block: Node): void {
    const ctx: WalkCtx = { fn: -1, scope: this.module, selfName: null, selfCls: null, classBody: null, prefix: '', loop: false, off: false, asyncBlock: false };
    for (const st of kids(block)) {
      switch (st.type) {
        case 'import_statement':
        case 'import_from_statement':
          this.bindImport(st, this.module, true);
          break;
        case 'decorated_definition': {
          const def = st.childForFieldName('definition');
          if (def) this.prescanDef(def);
          break;
        }
        case 'function_definition':
        case 'class_definition':
          this.prescanDef(st);
          break;
        case 'expression_statement': {
          const a = st.firstNamedChild;
          if (a?.type === 'assignment') {
            const left = a.childForFieldName('left');
            const right = a.childForFieldName('right');
            const alias = left?.type === 'identifier' && right ? this.typeAlias(right, ctx) : null;
            if (alias) {
              // `AnyAddon = Union[Addon, AddonStore]`: annotations naming the alias name its first member
              this.module.bind(left!.text, { ref: alias });
              setOwn((this.b.facts.aliases ??= {}), left!.text, alias);
            } else if (left?.type === 'identifier') {
              const b = right ? this.valueBinding(right, ctx) : this.annotationBinding(a, ctx);
              // an instance made at import time is not "opened in the same function" where it is used
              if (b.type) {
                this.module.bind(left.text, { type: b.type, via: 'attr' });
                setOwn((this.b.facts.vars ??= {}), left.text, b.type);
              } else this.module.bind(left.text, b);
            }
          }
          break;
        }
        default:
          if (COMPOUND.has(st.type)) this.prescan(st);
      }
    }
  }

  /**
   * The first member of a module-level type alias's union (`Union[A, B]`, `Optional[A]`, `A | B`),
   * a class reached by name (`A`, `mod.A`), or null: which member an instance is, is not known
   * statically; union members usually share the interface the code calls.
   */
  private typeAlias(right: Node, ctx: WalkCtx): Extract<Ref, { k: 'mod' | 'top' }> | null {
    let n: Node | null = right;
    for (let guard = 0; n && guard < 4; guard++) {
      if (n.type === 'subscript' && /^(?:typing\.)?(?:Union|Optional)$/.test(n.childForFieldName('value')?.text ?? '')) n = n.childForFieldName('subscript');
      else if (n.type === 'binary_operator' && n.childForFieldName('operator')?.text === '|') n = n.childForFieldName('left');
      else break;
    }
    if (!n || n === right || (n.type !== 'identifier' && n.type !== 'attribute')) return null;
    const r = this.staticRef(n, ctx);
    if (r?.k === 'top' && r.path.length === 1 && this.classNames.has(r.path[0])) return r;
    return r?.k === 'mod' && r.mod !== '' && isCapitalized(r.path[r.path.length - 1] ?? '') ? r : null;
  }

  private prescanDef(def: Node): void {
    const name = def.childForFieldName('name')?.text;
    if (!name) return;
    this.module.bind(name, { ref: { k: 'top', path: [name] } });
    if (def.type === 'class_definition') this.classNames.add(name);
  }

  private bindImport(st: Node, scope: Scope, moduleLevel: boolean): void {
    const record = (local: string, mod: string, path: string[]) => {
      scope.bind(local, { ref: { k: 'mod', mod, path } });
      if (moduleLevel) setOwn(this.b.facts.imports, local, { mod, path });
    };
    if (st.type === 'import_statement') {
      for (const n of kids(st)) {
        if (n.type === 'dotted_name') {
          const first = n.firstNamedChild?.text;
          if (first) record(first, first, []);
        } else if (n.type === 'aliased_import') {
          const name = n.childForFieldName('name')?.text;
          const alias = n.childForFieldName('alias')?.text;
          if (name && alias) record(alias, name.replace(/\s+/g, ''), []);
        }
      }
      return;
    }
    const modNode = st.childForFieldName('module_name');
    if (!modNode) return;
    const mod = modNode.text.replace(/\s+/g, '');
    if (mod === '__future__') return;
    for (const n of kids(st)) {
      if (n === modNode || n.id === modNode.id) continue;
      if (n.type === 'wildcard_import') {
        if (moduleLevel) (this.b.facts.star ??= []).push(mod);
      } else if (n.type === 'dotted_name') {
        record(n.text, mod, [n.text]);
      } else if (n.type === 'aliased_import') {
        const name = n.childForFieldName('name')?.text;
        const alias = n.childForFieldName('alias')?.text;
        if (name && alias) record(alias, mod, [name]);
      }
    }
  }

  // ------------------------------------------------------------ walk

  protected walkNode(node: Node, ctx: WalkCtx): void {
    const type = node.type;
    if (type === 'attribute' && ctx.fn >= 0 && (this.classProps.size || this.crossProps)) this.onPropertyRead(node, ctx);
    if (type === 'return_statement') {
      if (ctx.fn >= 0 && !this.cmFns.has(ctx.fn)) this.noteReturn(node.firstNamedChild, ctx);
    } else if (type === 'expression_statement' && ctx.fn >= 0 && this.cmFns.has(ctx.fn)) {
      const y = node.firstNamedChild;
      if (y?.type === 'yield') this.noteReturn(y.firstNamedChild, ctx);
    }
    // with properties in this file, an attribute read may be a call (`return self.total`)
    const props = ctx.fn >= 0 && (this.classProps.size > 0 || this.crossProps);
    if (CALL_FREE_IF_NO_PAREN.has(type)) {
      const text = node.text;
      if (!text.includes('(') && !(props && text.includes('.'))) return;
    } else if (type === 'expression_statement') {
      // no call and no assignment (which binds a name): a docstring, a bare name
      const text = node.text;
      if (!text.includes('(') && !text.includes('=') && !(props && text.includes('.'))) return;
    }
    switch (type) {
      case 'function_definition':
        this.onFunction(node, ctx, []);
        return;
      case 'class_definition':
        this.onClass(node, ctx);
        return;
      case 'decorated_definition': {
        const def = node.childForFieldName('definition');
        const decorators = kids(node)
          .filter((d) => d.type === 'decorator')
          .map((d) => collapse(d.text.replace(/^@\s*/, '')));
        if (def?.type === 'function_definition') this.onFunction(def, ctx, decorators);
        else if (def?.type === 'class_definition') this.onClass(def, ctx);
        return;
      }
      case 'call':
        this.onCall(node, ctx, null);
        return;
      case 'await':
        // tells a call it is awaited without asking each call for its parent
        for (const c of kids(node)) {
          if (c.type === 'call') this.onCall(c, ctx, null, true);
          else this.walk(c, ctx);
        }
        return;
      case 'lambda':
        this.onLambda(node, ctx, false);
        return;
      case 'with_statement':
        this.onWith(node, ctx);
        return;
      case 'for_statement': {
        const right = node.childForFieldName('right');
        if (right) this.walk(right, ctx);
        const left = node.childForFieldName('left');
        if (left && ctx.fn >= 0) this.bindTargets(left, ctx.scope);
        const loopCtx = { ...ctx, loop: true };
        const body = node.childForFieldName('body');
        if (body) this.walk(body, loopCtx);
        const alt = node.childForFieldName('alternative');
        if (alt) this.walk(alt, ctx);
        return;
      }
      case 'while_statement':
        this.walkChildren(node, { ...ctx, loop: true });
        return;
      case 'assignment':
        this.onAssign(node, ctx);
        return;
      case 'import_statement':
      case 'import_from_statement':
        if (ctx.fn >= 0) this.bindImport(node, ctx.scope, false);
        return;
      case 'string':
        // f-string interpolations hold expressions (and calls)
        for (const c of kids(node)) if (c.type === 'interpolation') this.walkChildren(c, ctx);
        return;
      case 'comment':
        return;
      default:
        if (COMPREHENSIONS.has(type)) this.walkChildren(node, { ...ctx, loop: true });
        else this.walkChildren(node, ctx);
    }
  }

  /**
   * A class of a file that imports Tornado or Jupyter Server, with a base named like a request or
   * websocket handler (`RequestHandler`, `APIHandler`, a project's `BaseHandler`).
   */
  private tornadoHandlerClass(cls: string): boolean {
    const bases = own(this.b.facts.classes, cls)?.bases ?? [];
    if (!bases.some((b) => b.k !== 'ret' && /Handler$/.test(b.path[b.path.length - 1] ?? ''))) return false;
    return Object.values(this.b.facts.imports).some((i) => /^(tornado|jupyter_server|notebook)(\.|$)/.test(i.mod));
  }

  private onFunction(node: Node, ctx: WalkCtx, decorators: string[]): void {
    const name = node.childForFieldName('name')?.text ?? '<anonymous>';
    const isAsync = node.firstChild?.type === 'async';
    const display = qualify(ctx.prefix, name);
    const inClass = ctx.classBody;
    // class-based views (aiohttp `web.View`, Starlette `HTTPEndpoint`, Tornado handlers): async HTTP-verb methods
    const verbMethod = !!inClass && /^(get|post|put|patch|delete|head|options)$/.test(name) && (own(this.b.facts.classes, inClass)?.bases.length ?? 0) > 0;
    const handler = isAsync && (verbMethod || decorators.some((d) => PY_HANDLER_DECORATOR.test(d)) || HANDLER_NAME.test(name));
    // Tornado (and Jupyter Server, built on it) calls a handler's plain `def get(self)` on the IOLoop
    // itself: what it blocks, it blocks for every request (esphome 4e4fe3c26, jupyter_server f3b6340cd)
    const loopEntry = !isAsync && verbMethod && this.tornadoHandlerClass(inClass!);
    const isProp = !!inClass && decorators.some((d) => PROPERTY_DECORATOR.test(d));
    const id = this.b.addFunction({ name, display, cls: inClass, line: line1(node), end: endLine1(node), async: isAsync, ...(handler || loopEntry ? { handler: true } : {}), ...(loopEntry ? { ev: 1 as const } : {}), ...(isProp ? { prop: 1 as const } : {}) });
    const isCm = decorators.some((d) => /^(contextlib\.)?(async)?contextmanager$/.test(d));
    if (isCm) this.cmFns.add(id);
    // a property's setter is the method `name.setter` (the getter keeps the plain name)
    if (inClass) setOwn(this.b.classFacts(inClass, line1(node)).methods, decorators.includes(`${name}.setter`) ? `${name}.setter` : name, id, true);
    else if (ctx.fn < 0 && ctx.prefix === '') setOwn(this.b.facts.top, name, id);
    else ctx.scope.bind(name, { ref: { k: 'fn', id } });

    const scope = new Scope(ctx.scope);
    const params = this.params(node, scope, ctx);
    let selfName = ctx.selfName;
    let selfCls = ctx.selfCls;
    if (inClass) {
      const isStatic = decorators.includes('staticmethod');
      selfName = !isStatic && params.length ? params[0] : null;
      selfCls = selfName ? inClass : null;
    } else if (selfName && params.includes(selfName)) {
      selfName = null;
      selfCls = null;
    }
    const rt = node.childForFieldName('return_type');
    const ret = rt ? this.annotationType(isCm ? (yieldedAnnotation(rt) ?? rt) : rt, { ...ctx, scope }) : null;
    if (ret) this.b.facts.functions[id].ret = ret;
    const body = node.childForFieldName('body');
    if (body) this.walk(body, { fn: id, scope, selfName, selfCls, classBody: null, prefix: display, loop: false, off: false, asyncBlock: false });
  }

  /** A `return` (or a context manager's `yield`) value: the first typed one types the function's result. */
  private noteReturn(value: Node | null, ctx: WalkCtx): void {
    const fn = this.b.facts.functions[ctx.fn];
    if (!value || fn.ret) return;
    const t = this.typeOf(value, ctx);
    if (t) fn.ret = t.type;
  }

  /** Bind parameters (annotated ones typed, others opaque); returns their names in order. */
  private params(def: Node, scope: Scope, ctx: WalkCtx): string[] {
    const names: string[] = [];
    const ps = def.childForFieldName('parameters');
    if (!ps) return names;
    for (const p of kids(ps)) {
      let name: string | undefined;
      let typeNode: Node | null = null;
      if (p.type === 'identifier') name = p.text;
      else if (p.type === 'typed_parameter') {
        name = p.firstNamedChild?.type === 'identifier' ? p.firstNamedChild.text : undefined;
        typeNode = p.childForFieldName('type');
      } else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') {
        name = p.childForFieldName('name')?.text;
        typeNode = p.childForFieldName('type');
      } else if (p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern') {
        name = p.firstNamedChild?.text;
      }
      if (!name) continue;
      names.push(name);
      const t = typeNode ? this.annotationType(typeNode, ctx) : null;
      scope.bind(name, t ? { type: t, via: 'param' } : OPAQUE);
    }
    return names;
  }

  private onClass(node: Node, ctx: WalkCtx): void {
    const name = node.childForFieldName('name')?.text;
    if (!name) return;
    const cf = this.b.classFacts(name, line1(node));
    const supers = node.childForFieldName('superclasses');
    if (supers) {
      for (const s of kids(supers)) {
        if (s.type !== 'identifier' && s.type !== 'attribute') continue;
        const r = this.staticRef(s, ctx);
        if (r && (r.k === 'mod' || r.k === 'top')) cf.bases.push(r);
      }
    }
    this.scanClassAttrs(node, name, ctx);
    const known = this.classAttrs.get(name);
    if (known?.size) cf.attrs = Object.fromEntries([...known].filter(([k]) => k !== '__proto__'));
    const body = node.childForFieldName('body');
    if (body) this.walk(body, { ...ctx, classBody: name, prefix: qualify(ctx.prefix, name), loop: false });
  }

  /** Types of instance attributes: class-level annotations and `self.x = <typed>` in any method. */
  private scanClassAttrs(cls: Node, name: string, ctx: WalkCtx): void {
    const attrs = this.classAttrs.get(name) ?? new Map<string, TypeRef>();
    this.classAttrs.set(name, attrs);
    const body = cls.childForFieldName('body');
    if (!body) return;
    for (let st of kids(body)) {
      if (st.type === 'expression_statement' && st.firstNamedChild?.type === 'assignment') {
        const a = st.firstNamedChild;
        const left = a.childForFieldName('left');
        const tn = a.childForFieldName('type');
        const right = a.childForFieldName('right');
        if (left?.type === 'identifier') {
          const t = (tn && this.annotationType(tn, ctx)) || (right && this.typeOf(right, ctx)?.type);
          if (t) attrs.set(left.text, t);
        }
        continue;
      }
      if (st.type === 'decorated_definition') {
        const def = st.childForFieldName('definition');
        const pname = def?.type === 'function_definition' ? def.childForFieldName('name')?.text : undefined;
        if (pname) {
          for (const d of kids(st)) {
            if (d.type !== 'decorator') continue;
            const text = d.text.replace(/^@\s*/, '').trim();
            if (PROPERTY_DECORATOR.test(text)) this.props(name).get.add(pname);
            else if (text === `${pname}.setter`) this.props(name).set.add(pname);
          }
        }
        st = def ?? st;
      }
      if (st.type !== 'function_definition') continue;
      const mbody = st.childForFieldName('body');
      if (!mbody) continue;
      // Most methods assign no attribute of self: a text test on the body spares binding the
      // parameters and walking the statements (a plain first parameter is the receiver's name).
      const first = st.childForFieldName('parameters')?.firstNamedChild;
      if (first?.type === 'identifier' && !mayAssignAttr(mbody.text, first.text)) continue;
      const scope = new Scope(ctx.scope);
      const mctx: WalkCtx = { ...ctx, scope, selfName: null, selfCls: name, classBody: null };
      const params = this.params(st, scope, mctx);
      if (!params.length) continue;
      mctx.selfName = params[0];
      if (mayAssignAttr(mbody.text, params[0])) this.scanSelfAssigns(mbody, mctx, attrs);
    }
  }

  /** Depth-guarded (`MAX_SYNTAX_DEPTH`): deeper subtrees are skipped, the facts say `partial`. */
  private props(cls: string): { get: Set<string>; set: Set<string> } {
    let p = this.classProps.get(cls);
    if (!p) {
      p = { get: new Set(), set: new Set() };
      this.classProps.set(cls, p);
    }
    return p;
  }

  /**
   * `self.total` where `total` is a `@property` of this class (or `obj.total` with `obj` an
   * instance of a class of this file): reading it runs the getter, an implicit call.
   */
  private onPropertyRead(node: Node, ctx: WalkCtx): void {
    const obj = node.childForFieldName('object');
    const attr = node.childForFieldName('attribute')?.text;
    if (!obj || !attr) return;
    let target: Ref | null = null;
    if (obj.type === 'identifier' && obj.text === ctx.selfName && ctx.selfCls) {
      if (this.classProps.get(ctx.selfCls)?.get.has(attr)) target = { k: 'self', cls: ctx.selfCls, name: attr };
    } else if (obj.type === 'identifier' || obj.type === 'attribute') {
      // `addon.path_icon`, and down an attribute chain: `self.sys_docker.info.support_cpu_realtime`, `self.repo.active_branch`
      const t = obj.type === 'identifier' ? ctx.scope.lookup(obj.text)?.type : this.typeOf(obj, ctx)?.type;
      if (t?.k === 'top' && t.path.length === 1 && this.classProps.get(t.path[0])?.get.has(attr)) target = { k: 'inst', type: t, name: attr };
      else if (t && ((t.k === 'mod' && t.mod !== '') || t.k === 'ret') && /^[a-z_]/.test(attr)) {
        // an instance of a class of another file (`addon.long_description`): a property there runs its
        // getter; the graph pass keeps the read only when it resolves to a `@property` (`pa`)
        const parent = node.parent;
        const called = parent?.type === 'call' && parent.childForFieldName('function')?.id === node.id;
        const assigned = parent?.type === 'assignment' && parent.childForFieldName('left')?.id === node.id;
        if (!called && !assigned) {
          this.addCall(ctx, { c: collapse(node.text), t: { k: 'inst', type: t, name: attr }, l: line1(node), e: endLine1(node), pa: 1 });
          return;
        }
      }
    }
    if (target) this.addCall(ctx, { c: collapse(node.text), t: target, l: line1(node), e: endLine1(node) });
  }

  private scanSelfAssigns(block: Node, ctx: WalkCtx, attrs: Map<string, TypeRef>): void {
    if (!this.b.enter(block)) return;
    this.scanSelfAssignsInner(block, ctx, attrs);
    this.b.leave();
  }

  private scanSelfAssignsInner(block: Node, ctx: WalkCtx, attrs: Map<string, TypeRef>): void {
    for (const st of kids(block)) {
      if (st.type === 'expression_statement' && st.firstNamedChild?.type === 'assignment') {
        const a = st.firstNamedChild;
        const left = a.childForFieldName('left');
        const right = a.childForFieldName('right');
        if (!left || !right) continue;
        if (left.type === 'identifier') {
          const t = this.typeOf(right, ctx);
          ctx.scope.bind(left.text, t ? { type: t.type, via: t.via } : OPAQUE);
        } else if (left.type === 'attribute' && left.childForFieldName('object')?.text === ctx.selfName) {
          const attr = left.childForFieldName('attribute')?.text;
          const t = this.typeOf(right, ctx) ?? (a.childForFieldName('type') ? { type: this.annotationType(a.childForFieldName('type')!, ctx)! } : null);
          if (attr && t?.type && !attrs.has(attr)) attrs.set(attr, t.type);
        }
      } else if (st.type === 'with_statement') {
        for (const item of st.descendantsOfType('with_item')) {
          const v = item?.childForFieldName('value');
          if (v?.type !== 'as_pattern') continue;
          const alias = v.childForFieldName('alias')?.firstNamedChild;
          const expr = v.firstNamedChild;
          const t = expr && this.typeOf(expr, ctx);
          if (alias?.type === 'identifier' && t) ctx.scope.bind(alias.text, { type: t.type });
        }
        const body = st.childForFieldName('body');
        if (body) this.scanSelfAssigns(body, ctx, attrs);
      } else if (COMPOUND.has(st.type)) {
        this.scanSelfAssigns(st, ctx, attrs);
      }
    }
  }

  private onLambda(node: Node, ctx: WalkCtx, offloaded: boolean): void {
    const scope = new Scope(ctx.scope);
    const ps = node.childForFieldName('parameters');
    if (ps) for (const p of kids(ps)) {
      const n = p.type === 'identifier' ? p.text : p.childForFieldName('name')?.text ?? p.firstNamedChild?.text;
      if (n) scope.bind(n, OPAQUE);
    }
    const body = node.childForFieldName('body');
    if (body) this.walk(body, { ...ctx, scope, off: ctx.off || offloaded });
  }

  private onWith(node: Node, ctx: WalkCtx): void {
    const isAsync = node.firstChild?.type === 'async';
    const end = endLine1(node);
    const startLine = line1(node);
    // The items of this statement (`with_statement > with_clause > with_item`), not of nested ones:
    // grandchildren, read level by level rather than searching the whole body.
    const items: Node[] = [];
    for (const c of kids(node)) if (c.type !== 'block') for (const i of kids(c)) if (i.type === 'with_item') items.push(i);
    for (const item of items) {
      const value = item.childForFieldName('value');
      if (!value) continue;
      let expr: Node | null = value;
      let alias: Node | null = null;
      if (value.type === 'as_pattern') {
        expr = value.firstNamedChild;
        alias = value.childForFieldName('alias')?.firstNamedChild ?? null;
      }
      if (!expr) continue;
      const at = Math.max(startLine, line1(item));
      if (expr.type === 'call') {
        this.onCall(expr, ctx, { line: at, end, awaited: isAsync });
        const t = isAsync || !ENTER_RULES.size ? null : this.typeOf(expr, ctx);
        if (t && ctx.fn >= 0 && ENTER_RULES.has(canonicalType(t.type, 'python') ?? '')) this.addCall(ctx, { c: collapse(expr.text), t: { k: 'inst', type: t.type, name: '__enter__' }, l: at, e: end });
      } else {
        this.walk(expr, ctx);
        const t = isAsync ? null : this.typeOf(expr, ctx);
        if (t && ctx.fn >= 0) this.addCall(ctx, { c: collapse(expr.text), t: { k: 'inst', type: t.type, name: '__enter__', ...(t.via ? { via: t.via } : {}) }, l: at, e: end });
      }
      if (alias && ctx.fn >= 0) {
        if (alias.type === 'identifier') {
          const t = isAsync ? null : this.typeOf(expr, ctx);
          ctx.scope.bind(alias.text, t ? { type: t.type, via: t.via } : OPAQUE);
        } else this.bindTargets(alias, ctx.scope);
      }
    }
    const body = node.childForFieldName('body');
    if (body) this.walk(body, ctx);
  }

  private onAssign(node: Node, ctx: WalkCtx): void {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (right) this.walk(right, ctx);
    if (!left || ctx.fn < 0) return;
    if (left.type === 'attribute' && ctx.selfCls && this.classProps.get(ctx.selfCls)?.set.size) {
      // `self.total = v` with a `@total.setter`: the setter runs
      const attr = left.childForFieldName('attribute')?.text;
      if (attr && left.childForFieldName('object')?.text === ctx.selfName && this.classProps.get(ctx.selfCls)!.set.has(attr)) {
        this.addCall(ctx, { c: `${collapse(left.text)} =`, t: { k: 'self', cls: ctx.selfCls, name: `${attr}.setter` }, l: line1(left), e: endLine1(node) });
      }
    }
    if (left.type === 'identifier') {
      let b = right ? this.valueBinding(right, ctx) : OPAQUE;
      if (!b.type && !b.ref) b = this.annotationBinding(node, ctx);
      ctx.scope.bind(left.text, b);
    } else if (left.type !== 'attribute' && left.type !== 'subscript') {
      this.bindTargets(left, ctx.scope);
    }
  }

  private annotationBinding(assign: Node, ctx: WalkCtx): Binding {
    const tn = assign.childForFieldName('type');
    const t = tn ? this.annotationType(tn, ctx) : null;
    return t ? { type: t } : OPAQUE;
  }

  /** Depth-guarded (`MAX_SYNTAX_DEPTH`): deeper subtrees are skipped, the facts say `partial`. */
  private bindTargets(target: Node, scope: Scope): void {
    if (!this.b.enter(target)) return;
    this.bindTargetsInner(target, scope);
    this.b.leave();
  }

  private bindTargetsInner(target: Node, scope: Scope): void {
    if (target.type === 'identifier') scope.bind(target.text, OPAQUE);
    else for (const c of kids(target)) this.bindTargets(c, scope);
  }

  /** `awaitOperand`: the call is the operand of `await` (the `await` case of `walk` says so). */
  private onCall(node: Node, ctx: WalkCtx, withItem: { line: number; end: number; awaited: boolean } | null, awaitOperand = false): void {
    const fnNode = node.childForFieldName('function');
    const args = node.childForFieldName('arguments');
    if (!fnNode) return;
    const text = collapse(fnNode.text);
    if (ctx.fn >= 0) {
      const target = this.refOfCallee(fnNode, ctx);
      let m: string | undefined;
      // a receiver typed by another function's result may not resolve: the method name stays as a fallback
      const deferred = target?.k === 'inst' && target.type.k === 'ret';
      if ((!target || deferred) && fnNode.type === 'attribute') m = fnNode.childForFieldName('attribute')?.text;
      if (this.worthKeeping(target, m) && !(target && args && opensBuffer(target, args.text))) {
        const awaited = withItem ? withItem.awaited : awaitOperand;
        const fact: CallFact = { c: text, l: withItem?.line ?? line1(node), e: withItem?.end ?? endLine1(node) };
        if (target) {
          fact.t = target;
          if (m && own(RULES.python.anyMethod, m) !== undefined) fact.m = m;
        } else fact.m = m;
        if (awaited) fact.aw = 1;
        this.addCall(ctx, fact);
      }
    }
    this.walk(fnNode, ctx);
    if (!args) return;
    // Arguments without a call inside add no facts (a lambda or an offloaded closure needs a call to matter).
    const argText = args.text;
    const nestedCall = argText.indexOf('(', 1) !== -1;
    const recv = nestedCall && fnNode.type === 'attribute' ? fnNode.childForFieldName('object') : null;
    const recvType = recv ? this.typeOf(recv, ctx) : null;
    // closures given to an executor or a pool (`ex.submit(lambda: ...)`, `pool.map(lambda x: ..., xs)`) run on its workers
    const poolCall = !!recvType && /(Executor|Pool)$/.test(canonicalType(recvType.type, 'python') ?? '');
    if (ctx.fn >= 0 && /\.setblocking$/.test(text) && /^\(\s*(False|0)\s*\)$/.test(argText)) this.b.facts.nonBlockingSockets = true;
    if (ctx.fn >= 0 && (text === 'map' || text === 'filter' || text === 'sorted' || text === 'min' || text === 'max') && !ctx.scope.lookup(text)) {
      // `map(helper, items)`, `sorted(xs, key=helper)`: the named function runs here per item
      for (const a of kids(args)) {
        const fnArg = a.type === 'keyword_argument' ? (a.childForFieldName('name')?.text === 'key' ? a.childForFieldName('value') : null) : (text === 'map' || text === 'filter') && a.id === args.firstNamedChild?.id ? a : null;
        if (!fnArg || (fnArg.type !== 'identifier' && fnArg.type !== 'attribute')) continue;
        const target = this.refOfCallee(fnArg, ctx);
        if (target && !(target.k === 'mod' && target.mod === '')) this.addCall({ ...ctx, loop: true }, { c: collapse(fnArg.text), t: target, l: line1(fnArg), e: endLine1(fnArg) });
      }
    }
    if (!nestedCall) return;
    const argNodes = kids(args);
    const offload = poolCall || isOffloadCall('python', text) || argNodes.some((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'in_executor' && a.childForFieldName('value')?.text === 'True');
    for (const a of argNodes) {
      if (offload && a.type === 'lambda') this.onLambda(a, ctx, true);
      else if (offload && a.type === 'keyword_argument' && a.childForFieldName('value')?.type === 'lambda') this.onLambda(a.childForFieldName('value')!, ctx, true);
      else this.walk(a, ctx);
    }
  }

  private addCall(ctx: WalkCtx, fact: CallFact): void {
    // a silenced line is the maintainers' decision: the call is neither reported nor followed
    if (this.suppressed.size && (this.suppressed.has(fact.l) || this.suppressed.has(fact.e))) return;
    if (ctx.off) fact.off = 1;
    if (ctx.loop) fact.lp = 1;
    this.b.addCall(ctx.fn, fact);
  }

  /** Builtins that no rule names are dropped (`len`, `print`): they can neither block nor lead anywhere. */
  private worthKeeping(target: Ref | null, m: string | undefined): boolean {
    if (!target) return !!m && own(RULES.python.anyMethod, m) !== undefined;
    if (target.k === 'mod' && target.mod === '') {
      if (this.b.facts.star?.length) return true;
      const name = target.path.join('.');
      return MATCHER.match(name) !== null || own(RULES.python.factories, name) !== undefined;
    }
    return true;
  }

  // ------------------------------------------------------------ resolution

  private valueBinding(expr: Node, ctx: WalkCtx): Binding {
    const imported = this.runtimeImport(expr, ctx);
    if (imported) return { ref: { k: 'mod', mod: imported, path: [] } };
    const t = this.typeOf(expr, ctx);
    if (t) return { type: t.type, ...(t.via ? { via: t.via } : {}) };
    if (expr.type === 'identifier' || expr.type === 'attribute') {
      const r = this.staticRef(expr, ctx);
      if (r) return { ref: r };
    }
    return OPAQUE;
  }

  /**
   * The module a value is when it is imported at run time by a literal name:
   * `importlib.import_module("debugpy")`, `__import__("json")` (its top package), also through an
   * offload wrapper that is given `import_module` and the name (`await loop.run_in_executor(None,
   * import_module, "debugpy")`, Supervisor's `sys_run_in_executor(import_module, "debugpy")`,
   * 2e30eaa64). Null for computed names (`import_module(f"{pkg}.{name}")`) and relative ones.
   */
  private runtimeImport(expr: Node, ctx: WalkCtx): string | null {
    const call = expr.type === 'await' ? expr.firstNamedChild : expr;
    if (call?.type !== 'call') return null;
    const fn = call.childForFieldName('function');
    const args = call.childForFieldName('arguments');
    if (!fn || args?.type !== 'argument_list' || !/import/.test(args.text + fn.text)) return null;
    const positional = kids(args).filter((a) => a.type !== 'keyword_argument' && a.type !== 'comment');
    const importer = (n: Node | undefined): 'import_module' | '__import__' | null => {
      if (!n || (n.type !== 'identifier' && n.type !== 'attribute')) return null;
      const r = this.staticRef(n, ctx);
      if (r?.k !== 'mod' || r.path.length !== 1) return null;
      if (r.mod === 'importlib' && r.path[0] === 'import_module') return 'import_module';
      return r.mod === '' && r.path[0] === '__import__' ? '__import__' : null;
    };
    const literal = (n: Node | undefined): string | null => {
      if (n?.type !== 'string' || kids(n).some((c) => c.type === 'interpolation')) return null;
      const text = kids(n).find((c) => c.type === 'string_content')?.text ?? '';
      return /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/.test(text) ? text : null;
    };
    let kind = importer(fn);
    let name = kind ? literal(positional[0]) : null;
    for (let i = 0; !kind && i + 1 < positional.length; i++) {
      // `run_in_executor(None, import_module, "x")`: the importer and its argument, passed on
      kind = importer(positional[i]);
      name = kind ? literal(positional[i + 1]) : null;
    }
    if (!name) return null;
    return kind === '__import__' ? name.split('.')[0] : name;
  }

  /** Static reference of a name or dotted name (`sp.run`, `helper`, `Store.create`), or null. Depth-guarded (`MAX_SYNTAX_DEPTH`): deeper subtrees are skipped, the facts say `partial`. */
  private staticRef(expr: Node, ctx: WalkCtx): Ref | null {
    if (!this.b.enter(expr)) return null;
    const out = this.staticRefInner(expr, ctx);
    this.b.leave();
    return out;
  }

  private staticRefInner(expr: Node, ctx: WalkCtx): Ref | null {
    if (expr.type === 'identifier') {
      const b = ctx.scope.lookup(expr.text);
      if (b) return b.ref ?? null;
      return { k: 'mod', mod: '', path: [expr.text] };
    }
    if (expr.type === 'attribute') {
      const obj = expr.childForFieldName('object');
      const attr = expr.childForFieldName('attribute')?.text;
      if (!obj || !attr) return null;
      if (obj.type === 'identifier' && obj.text === ctx.selfName) return null;
      const base = this.staticRef(obj, ctx);
      if (base?.k === 'mod') return { k: 'mod', mod: base.mod, path: [...base.path, attr] };
      if (base?.k === 'top') return { k: 'top', path: [...base.path, attr] };
      return null;
    }
    return null;
  }

  private refOfCallee(fn: Node, ctx: WalkCtx): Ref | null {
    if (fn.type === 'identifier') return this.staticRef(fn, ctx);
    if (fn.type !== 'attribute') return null;
    const obj = fn.childForFieldName('object');
    const attr = fn.childForFieldName('attribute')?.text;
    if (!obj || !attr) return null;
    if (obj.type === 'call' && obj.childForFieldName('function')?.text === 'super' && ctx.selfCls) return { k: 'self', cls: ctx.selfCls, name: attr, sup: 1 };
    if (obj.type === 'identifier' && obj.text === ctx.selfName && ctx.selfCls) {
      // `self.client()` calls an attribute holding an instance, not a method
      if (this.classAttrs.get(ctx.selfCls)?.has(attr)) return null;
      return { k: 'self', cls: ctx.selfCls, name: attr };
    }
    const base = this.staticRef(obj, ctx);
    if (base?.k === 'mod') return { k: 'mod', mod: base.mod, path: [...base.path, attr] };
    if (base?.k === 'top') return { k: 'top', path: [...base.path, attr] };
    // `self.session.get()` with `session` typed in a base class (resolved by the graph pass)
    if (obj.type === 'attribute' && ctx.selfCls && obj.childForFieldName('object')?.text === ctx.selfName) {
      const a = obj.childForFieldName('attribute')?.text;
      if (a && !this.classAttrs.get(ctx.selfCls)?.has(a)) return { k: 'sattr', cls: ctx.selfCls, attr: a, name: attr };
    }
    const t = this.typeOf(obj, ctx);
    if (t) return { k: 'inst', type: t.type, name: attr, ...(t.via ? { via: t.via } : {}) };
    return null;
  }

  protected typeOfNode(expr: Node, ctx: WalkCtx): Typed | null {
    switch (expr.type) {
      case 'attribute': {
        const obj = expr.childForFieldName('object');
        const attr = expr.childForFieldName('attribute')?.text;
        if (!obj || !attr) return null;
        if (obj.type === 'identifier' && obj.text === ctx.selfName && ctx.selfCls) {
          const t = this.classAttrs.get(ctx.selfCls)?.get(attr);
          if (t) return { type: t, via: 'attr' };
          // set in a base class, or a property's result (`self.sys_config.path_x`): the graph pass looks it up
          return { type: { k: 'ret', of: { k: 'self', cls: ctx.selfCls, name: attr, get: 1 } }, via: 'attr' };
        }
        const inner = this.typeOf(obj, ctx);
        if (inner) {
          const c = canonicalType(inner.type, 'python');
          const f = c ? factoryType(`${c}#${attr}`, 'python') : null;
          // else a property of a repository class may declare its result (`backup.tarfile.unlink()`)
          return f ? { type: f, via: inner.via } : { type: { k: 'ret', of: { k: 'inst', type: inner.type, name: attr } }, via: inner.via };
        }
        return null;
      }
      case 'call': {
        const fn = expr.childForFieldName('function');
        const r = fn ? this.refOfCallee(fn, ctx) : null;
        if (!r) return null;
        if (r.k === 'mod') {
          const f = factoryType(canonicalOf(r.mod, r.path, 'python'), 'python');
          if (f) return { type: f };
          const last = r.path.length ? r.path[r.path.length - 1] : r.mod.slice(r.mod.lastIndexOf('.') + 1);
          if (isCapitalized(last)) return { type: { k: 'mod', mod: r.mod, path: r.path } };
          // builtins (`len`, `str`) return nothing the rules type; a module's function may be the repository's
          return r.mod === '' ? null : { type: { k: 'ret', of: r } };
        }
        if (r.k === 'top') return r.path.length === 1 && this.classNames.has(r.path[0]) ? { type: { k: 'top', path: r.path } } : { type: { k: 'ret', of: r } };
        if (r.k === 'inst') {
          const c = canonicalType(r.type, 'python');
          const f = c ? factoryType(`${c}#${r.name}`, 'python') : null;
          if (f) return { type: f, via: r.via };
          // a method of a repository class (or of a type the graph pass resolves) may declare its result
          return c ? null : { type: { k: 'ret', of: r }, via: r.via };
        }
        // what a function of this file, a method of this class or a function of another module returns
        return { type: { k: 'ret', of: r } };
      }
      case 'await': {
        // `await get_conn()`: an async repository function's result (external coroutines have no known type)
        const inner = expr.firstNamedChild;
        const t = inner ? this.typeOf(inner, ctx) : null;
        return t?.type.k === 'ret' ? t : null;
      }
      case 'parenthesized_expression': {
        const inner = expr.firstNamedChild;
        return inner ? this.typeOf(inner, ctx) : null;
      }
      case 'subscript': {
        // `client["db"]`: only types whose every member has one type (wildcard factories)
        const value = expr.childForFieldName('value');
        const inner = value ? this.typeOf(value, ctx) : null;
        const c = inner ? canonicalType(inner.type, 'python') : null;
        const f = c ? factoryType(`${c}#*`, 'python') : null;
        return f ? { type: f, via: inner!.via } : null;
      }
      case 'binary_operator': {
        const op = expr.childForFieldName('operator')?.text;
        const left = expr.childForFieldName('left');
        if (op !== '/' || !left) return null;
        const t = this.typeOf(left, ctx);
        if (!t) return null;
        // a type the graph pass resolves (`self.sys_config.path_homeassistant / "x.log"`): what its `/` gives
        if (t.type.k === 'ret') return { type: { k: 'ret', of: { k: 'inst', type: t.type, name: '/' } }, via: t.via };
        const c = canonicalType(t.type, 'python');
        const f = c ? factoryType(`${c}#/`, 'python') : null;
        return f ? { type: f, via: t.via } : null;
      }
      case 'conditional_expression': {
        const first = expr.firstNamedChild;
        return first ? this.typeOf(first, ctx) : null;
      }
      default:
        return null;
    }
  }

  /** Type named by an annotation: `httpx.Client`, `Optional[X]`, `X | None`; strings are skipped. */
  private annotationType(node: Node, ctx: WalkCtx): TypeRef | null {
    let n: Node | null = node.type === 'type' ? node.firstNamedChild : node;
    for (let guard = 0; n && guard < 5; guard++) {
      if (n.type === 'identifier' || n.type === 'attribute') {
        const r = this.staticRef(n, ctx);
        if (r && (r.k === 'mod' || r.k === 'top')) {
          if (r.k === 'mod' && r.mod === '') return null;
          const f = r.k === 'mod' ? factoryType(canonicalOf(r.mod, r.path, 'python'), 'python') : null;
          return f ?? r;
        }
        return null;
      }
      if (n.type === 'string') {
        // forward reference: `"httpx.Client"`
        const text = kids(n).find((c) => c.type === 'string_content')?.text ?? '';
        if (!/^[A-Za-z_][\w.]*$/.test(text)) return null;
        const [head, ...rest] = text.split('.');
        const b = ctx.scope.lookup(head);
        const r = b?.ref;
        if (r?.k === 'top') return { k: 'top', path: [...r.path, ...rest] };
        if (r?.k === 'mod') return factoryType(canonicalOf(r.mod, [...r.path, ...rest], 'python'), 'python') ?? { k: 'mod', mod: r.mod, path: [...r.path, ...rest] };
        return null;
      }
      if (n.type === 'generic_type') {
        const head = n.firstNamedChild?.text;
        if (head !== 'Optional' && head !== 'Union') return null;
        n = n.namedChildren.find((c) => c?.type === 'type_parameter')?.firstNamedChild ?? null;
      } else if (n.type === 'binary_operator') {
        n = n.childForFieldName('left');
      } else if (n.type === 'type') {
        n = n.firstNamedChild;
      } else return null;
    }
    return null;
  }
}
