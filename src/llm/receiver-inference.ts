/**
 * Method calls on receivers whose type the resolver cannot read (issue 12, file pages missed the
 * live `TargetRouter` path: `self.analyzer.find_candidates(…)` where `analyzer: object`, and
 * `extractor.extract_functions()` on a local of unknown type). The rule is the one a reader
 * applies by hand, kept deterministic and cheap:
 *
 * - a receiver whose type *is* known (an import or module, a class name, an attribute or local
 *   built from a class, a parameter annotated with a class) resolves by that type only;
 * - otherwise the call binds to the one class of the repository whose name the receiver names
 *   (`daemon` → `CodeWormDaemon`, `self.target_router` → `TargetRouter`: the receiver's words
 *   end the class name's words) if that class defines the method;
 * - otherwise, when exactly one class of the repository defines a method of that name and the
 *   name is not a common one (`run`, `get`, `close`, … which library objects also have), and the
 *   receiver does not name another class, it binds to that class.
 *
 * Callers found by the last two rules are `inferred`: pages mark them where precision matters.
 * Cost: one pass over the index's symbols per index (cached), then string tests per call.
 */
import type { CodeSymbol, FileRecord, RepoIndex } from '../index/types.ts';
import { isStructureFacts } from '../analysis/structure.ts';
import { splitTopLevel } from '../core/code-text.ts';

/**
 * Method names that library and standard objects share (containers, files, sockets, loggers,
 * futures, threads, HTTP clients): a call of one of them on an untyped receiver says nothing
 * about which class it reaches unless the receiver's name names the class.
 */
const COMMON_METHODS = new Set([
  'run', 'get', 'set', 'close', 'open', 'start', 'stop', 'read', 'write', 'update', 'append', 'add', 'remove', 'pop', 'clear',
  'copy', 'items', 'keys', 'values', 'send', 'put', 'join', 'split', 'format', 'load', 'loads', 'dump', 'dumps', 'save',
  'connect', 'disconnect', 'execute', 'fetch', 'find', 'parse', 'process', 'handle', 'call', 'reset', 'flush', 'wait',
  'cancel', 'submit', 'result', 'done', 'next', 'publish', 'emit', 'info', 'debug', 'warning', 'warn', 'error', 'exception',
  'critical', 'log', 'sleep', 'create', 'delete', 'list', 'count', 'index', 'sort', 'encode', 'decode', 'match', 'search',
  'sub', 'replace', 'strip', 'lower', 'upper', 'extend', 'insert', 'setdefault', 'commit', 'rollback', 'cursor', 'query',
  'filter', 'map', 'reduce', 'apply', 'init', 'setup', 'teardown', 'build', 'render', 'validate', 'check', 'health_check',
  'to_dict', 'from_dict', 'model_copy', 'model_dump', 'json', 'text', 'post', 'patch', 'head', 'options', 'listen', 'accept',
  'bind', 'recv', 'acquire', 'release', 'lock', 'unlock', 'notify', 'notify_all', 'is_set', 'shutdown', 'terminate', 'kill',
  'then', 'catch', 'finally', 'on', 'off', 'once', 'has', 'push', 'shift', 'unshift', 'slice', 'splice', 'forEach', 'some',
  'every', 'includes', 'toString', 'valueOf', 'end', 'destroy', 'pipe', 'resume', 'pause', 'subscribe', 'unsubscribe',
  'register', 'unregister', 'schedule', 'exists', 'mkdir', 'unlink', 'rename', 'resolve', 'reject', 'generate', 'transform',
  'evaluate', 'compute', 'size', 'length', 'name', 'str', 'repr', 'hash', 'eq', 'compare', 'iter', 'enter', 'exit', 'main',
]);

/** Annotation words that say nothing about the class (`object`, `Any`, `Optional[…]` wrappers). */
const VAGUE_TYPES = new Set(['object', 'Any', 'Optional', 'Union', 'None', 'unknown', 'any', 'Object', 'Self', 'T', 'TYPE_CHECKING']);

/** Lower-case words of an identifier: `CodeWormDaemon` → code, worm, daemon; `_target_router` → target, router. */
function words(id: string): string[] {
  return id.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w.toLowerCase());
}

/**
 * Whether the receiver's last name names the class: its words end the class name's words
 * (`extractor` ↔ `CodeExtractor`, `target_router` ↔ `TargetRouter`), or it is the class name run
 * together (`codewormdaemon`). One-letter receivers name nothing.
 */
export function receiverNamesClass(receiver: string, className: string): boolean {
  const last = receiver.split('.').pop() ?? '';
  const r = words(last);
  const c = words(className);
  if (r.length === 0 || r.join('').length < 2) return false;
  if (r.join('') === c.join('')) return true;
  return r.length <= c.length && r.every((w, i) => w === c[c.length - r.length + i]);
}

interface Definers {
  /** Method name → the classes (`file::Class`) that define it. */
  methods: Map<string, Set<string>>;
  /** Class name → how many classes of that name the repository holds. */
  classes: Map<string, number>;
  /** Module paths of the repository and their packages (`codeworm/core/events`, `codeworm/core`). */
  modules: Set<string>;
}

const CACHE = new WeakMap<RepoIndex, Definers>();

function definersOf(index: RepoIndex): Definers {
  let d = CACHE.get(index);
  if (d) return d;
  d = { methods: new Map(), classes: new Map(), modules: new Set() };
  for (const f of index.files) {
    const parts = f.path.replace(/\.[^./]+$/, '').split('/');
    for (let i = 1; i <= parts.length; i++) d.modules.add(parts.slice(0, i).join('/'));
    for (const s of f.symbols) {
      if (s.kind === 'class') d.classes.set(s.name, (d.classes.get(s.name) ?? 0) + 1);
      else if (s.className !== null && s.displayName === `${s.className}.${s.name}`) {
        const set = d.methods.get(s.name) ?? new Set<string>();
        set.add(`${f.path}::${s.className}`);
        d.methods.set(s.name, set);
      }
    }
  }
  CACHE.set(index, d);
  return d;
}

/** The class names a type annotation or constructor expression mentions (vague wrappers left out). */
function typeNames(text: string): string[] {
  return [...text.replace(/(["'])/g, ' ').matchAll(/\b([A-Z][A-Za-z0-9_]*)\b/g)].map((m) => m[1]).filter((n) => !VAGUE_TYPES.has(n));
}

/** The annotation of parameter `name` in `fn`'s declaration (`analyzer: object` → `object`), or null. */
function paramAnnotation(fn: CodeSymbol, name: string, head: (source: string, name: string) => { paramText: string } | null): string | null {
  const h = head(fn.source, fn.name);
  if (!h) return null;
  const p = splitTopLevel(h.paramText, true).map((x) => x.trim()).find((x) => new RegExp(`^(?:(?:private|public|protected|readonly)\\s+)*${name}\\??\\s*:`).test(x));
  return p ? p.slice(p.indexOf(':') + 1).replace(/=.*$/s, '').trim() : null;
}

/**
 * The type an assigned value shows: `Cls(…)` / `new Cls(…)` / `await Cls(…)` builds a `Cls`, and
 * a value reached through an import (`redis_lib.Redis.from_url(…)`) is that library's object
 * (known, with the class names it mentions). Null when the value does not show its type.
 */
function builtType(value: string, file: FileRecord, modules: Set<string>): string[] | null {
  const v = value.replace(/^\s*(?:await\s+)?(?:new\s+)?/, '');
  const built = /^([A-Z]\w*)\s*\(/.exec(v);
  if (built) return [built[1]];
  const root = /^([A-Za-z_$][\w$]*)\s*[.(]/.exec(v)?.[1];
  // a function of the repository returns what its code returns: not shown here
  if (root && isImported(root, file, modules)) return typeNames(v.replace(/\(.*$/s, ''));
  return null;
}

/** Whether `name` is bound by an import of `file` (`import os`, `from x import y as name`); `external`: only imports from outside the repository. */
function isImported(name: string, file: FileRecord, external?: Set<string>): boolean {
  return file.imports.some((i) => (i.names.length === 0 ? i.module.split('.')[0] === name : i.names.some((n) => n.local === name)) && !(external && isOwnModule(i.module, external)));
}

/** Whether an import specifier names a module of the repository (relative, or a path of `modules`, Python dotted from the root or `src/`). */
function isOwnModule(spec: string, modules: Set<string>): boolean {
  if (spec.startsWith('.')) return true;
  const p = spec.replace(/\./g, '/');
  return modules.has(p) || modules.has(`src/${p}`);
}

type ReceiverType = { known: true; names: string[] } | { known: false; opaque: boolean };

/**
 * What the code says of the receiver's type: `known` with the class names it mentions (empty for
 * a module or an import), or unknown. An unknown receiver is `opaque` when the code shows where
 * the value comes from but not its type (a parameter annotated `object`/`Any`, the result of a
 * call into the repository); otherwise (an unannotated parameter, a loop variable, a chain) it
 * may be anything, a library object included.
 */
function receiverType(qual: string, caller: CodeSymbol, file: FileRecord, line: number, modules: Set<string>, head: (source: string, name: string) => { paramText: string } | null): ReceiverType {
  const open: ReceiverType = { known: false, opaque: false };
  if (/[()[\]'"`]/.test(qual)) return open;
  const parts = qual.split(/\.|::|->/);
  const root = parts[0];
  const imported = isImported(root, file);
  if (imported || /^[A-Z]/.test(root) && parts.length === 1) return { known: true, names: imported ? [] : [root] };
  /** From an assigned value or a parameter annotation. */
  const fromValue = (value: string): ReceiverType => {
    const built = builtType(value, file, modules);
    if (built) return { known: true, names: built };
    return { known: false, opaque: /\(/.test(value) };
  };
  const fromAnnotation = (ann: string | null): ReceiverType | null => {
    if (ann === null) return null;
    const named = typeNames(ann);
    return named.length > 0 ? { known: true, names: named } : { known: false, opaque: true };
  };
  if ((root === 'self' || root === 'this') && parts.length === 2 && caller.className) {
    const st = file.facts?.structure;
    const attr = isStructureFacts(st) ? (st.classes[caller.className] ?? []).find((a) => a.name === parts[1]) : undefined;
    if (!attr) return open;
    const declared = typeNames(attr.type ?? '');
    if (declared.length > 0) return { known: true, names: declared };
    const param = /^[A-Za-z_]\w*$/.exec(attr.value ?? '')?.[0];
    if (!param) return fromValue(attr.value ?? '');
    const ctor = file.symbols.find((x) => x.className === caller.className && (x.name === '__init__' || x.name === 'constructor') && x.kind !== 'class');
    return (ctor ? fromAnnotation(paramAnnotation(ctor, param, head)) : null) ?? open;
  }
  if (parts.length === 1) {
    const ann = fromAnnotation(paramAnnotation(caller, root, head));
    if (ann) return ann;
    // the last assignment before the call
    const before = caller.source.split('\n').slice(0, Math.max(0, line - caller.startLine));
    const assign = new RegExp(`^\\s*(?:(?:const|let|var)\\s+)?${root.replace(/\$/g, '\\$')}\\s*(?::\\s*([^=]+))?=(?!=)\\s*(.*)$`);
    for (let i = before.length - 1; i >= 0; i--) {
      const m = assign.exec(before[i]);
      if (!m) continue;
      return fromAnnotation(m[1] ?? null) ?? fromValue(m[2]);
    }
  }
  return open;
}

/**
 * How the call `qual.method(…)` made in `caller` (file `file`, at `line`) binds to the method
 * `symbol` of class `symbol.className`: `declared` when the receiver's declared type names the
 * class (a parameter annotation the other rules do not read), `inferred` by the rules of this
 * module's header, or null. `head` reads a declaration's parameter text (facts.ts's
 * `declarationHead`, passed in to keep this module free of a cycle).
 */
export function inferredReceiverClass(
  qual: string,
  symbol: CodeSymbol,
  symbolFile: string,
  caller: CodeSymbol,
  file: FileRecord,
  line: number,
  index: RepoIndex,
  head: (source: string, name: string) => { paramText: string } | null,
): 'declared' | 'inferred' | null {
  const cls = symbol.className;
  if (!cls || qual === '' || /^(?:self|this|cls|super\(\))$/.test(qual) || /^__\w+__$/.test(symbol.name)) return null;
  const t = receiverType(qual, caller, file, line, definersOf(index).modules, head);
  if (t.known) return t.names.includes(cls) ? 'declared' : null;
  const d = definersOf(index);
  const definers = [...(d.methods.get(symbol.name) ?? [])];
  const own = `${symbolFile}::${cls}`;
  if (!definers.includes(own) || (d.classes.get(cls) ?? 0) > 1) return null;
  const receiver = qual.split(/\.|::|->/).pop() ?? '';
  const named = definers.filter((k) => receiverNamesClass(receiver, k.split('::')[1]));
  if (named.length === 1 && named[0] === own) return 'inferred';
  if (named.length > 0) return null;
  // the receiver names another class of the repository, one that does not define the method
  for (const name of d.classes.keys()) if (name !== cls && receiverNamesClass(receiver, name)) return null;
  // by the method name alone only where the code shows where the value comes from (not a bare parameter: that may be a library object)
  return t.opaque && definers.length === 1 && !COMMON_METHODS.has(symbol.name) ? 'inferred' : null;
}
