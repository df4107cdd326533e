/**
 * Cross-file resolution for the blocking analysis: which repository file a module reference
 * names (Python absolute / relative imports and package re-exports, JS/TS relative imports with
 * extension resolution, Rust `crate::` / `super::` / child modules), and which function of the
 * repository a reference from the collector's facts is. What does not resolve into the
 * repository is an external API with a canonical name (`time.sleep`), matched against the rules.
 */
import { canonicalOf, canonicalType, factoryType, own } from './collect-common.ts';
import type { RuleFamily } from './rules.ts';
import type { BlockingFileFacts, FunctionFacts, Ref, TypeRef } from './types.ts';
import { LANGUAGES } from '../../languages/registry.ts';
import { blockingFamily } from '../../languages/lookup.ts';

/** What the resolution and the graph pass read of a function's facts (no calls, no display name). */
export type FunctionMeta = Pick<FunctionFacts, 'name' | 'line' | 'async' | 'ev' | 'handler' | 'prop' | 'ret'>;

/** A file's blocking facts as the resolver reads them: the functions without their calls. */
export type ResolvableFacts = Omit<BlockingFileFacts, 'functions'> & { functions: FunctionMeta[] };

/** A file the resolver knows: repo-relative path, rule family and its blocking facts. */
export interface ResolvableFile {
  path: string;
  family: RuleFamily;
  facts: ResolvableFacts;
  /** Global id of `facts.functions[0]`; function `i` of this file is `base + i`. */
  base: number;
}

/** A resolved reference: a repository function, a class (constructor / type), or an external name. */
export type Resolution = { fn: number } | { cls: { file: number; name: string } } | { api: string; /** receiver made outside the calling function */ via?: boolean } | null;

type NameHit = { fn: number } | { cls: { file: number; name: string }; rest: string[] } | { inst: { file: number; type: TypeRef }; name: string } | null;

/** Extensions an extension-less JS/TS import may resolve to: those of the languages of the `js` rule family. */
const JS_EXTS = LANGUAGES.filter((l) => l.facts.blocking?.family === 'js').flatMap((l) => l.extensions);
const MAX_DEPTH = 8;

export class RepoResolver {
  private readonly byPath = new Map<string, number>();
  /** Python dotted module name → file (names rooted at package roots and the repo root). */
  private readonly pyStrong = new Map<string, number>();
  /** Python module names by other path suffixes (used when nothing strong matches). */
  private readonly pyWeak = new Map<string, number>();
  private readonly memo = new Map<string, NameHit | 'ext'>();
  /** `self.x` read as a type, per file, class and attribute (many reads share one): see `concreteType`. */
  private readonly selfReads = new Map<string, { file: number; type: Exclude<TypeRef, { k: 'ret' }> } | null>();
  /** Families whose types are visible by simple name (`BlockingSupport.typesByName`): `family\0Class` → files declaring it. */
  private readonly typeFiles = new Map<string, number[]>();

  constructor(readonly files: ResolvableFile[]) {
    files.forEach((f, i) => this.byPath.set(f.path, i));
    files.forEach((f, i) => {
      if (!blockingFamily(f.family)?.typesByName) return;
      for (const cls of Object.keys(f.facts.classes)) {
        const key = `${f.family}\u0000${cls}`;
        const list = this.typeFiles.get(key);
        if (list) list.push(i);
        else this.typeFiles.set(key, [i]);
      }
    });
    const initDirs = new Set<string>();
    for (const f of files) if (f.family === 'python' && f.path.endsWith('__init__.py')) initDirs.add(dirOf(f.path));
    files.forEach((f, i) => {
      if (f.family !== 'python' || !f.path.endsWith('.py')) return;
      const parts = f.path.slice(0, -3).split('/');
      if (parts[parts.length - 1] === '__init__') parts.pop();
      if (!parts.length) return;
      // package root: the highest directory of an unbroken chain of `__init__.py` directories
      let r = parts.length - 1;
      while (r > 0 && initDirs.has(parts.slice(0, r).join('/'))) r--;
      const strong = new Set([parts.join('.'), parts.slice(r).join('.')]);
      if (parts[0] === 'src' || parts[0] === 'lib') strong.add(parts.slice(1).join('.'));
      for (const s of strong) if (s && !this.pyStrong.has(s)) this.pyStrong.set(s, i);
      for (let k = 1; k < parts.length; k++) {
        const s = parts.slice(k).join('.');
        if (!this.pyWeak.has(s)) this.pyWeak.set(s, i);
      }
    });
  }

  /** Resolve a collector reference made in file `fi` (`depth` bounds `ret` types followed through other functions). */
  resolve(fi: number, ref: Ref, depth = 0): Resolution {
    const f = this.files[fi];
    switch (ref.k) {
      case 'fn':
        return { fn: f.base + ref.id };
      case 'self': {
        const m = ref.sup ? this.baseMethod(fi, ref.cls, ref.name) : this.method(fi, ref.cls, ref.name, 0);
        return m === null ? null : { fn: m };
      }
      case 'top':
        return this.callable(this.name(fi, ref.path, 0), ref.path, f.family, '');
      case 'mod': {
        const hit = this.modRef(fi, ref.mod, ref.path, 0);
        if (hit === 'ext') return { api: canonicalOf(ref.mod, ref.path, f.family) };
        return this.callable(hit, ref.path, f.family, ref.mod);
      }
      case 'sattr': {
        const found = this.attrType(fi, ref.cls, ref.attr, 0);
        if (found) return this.resolve(found.file, { k: 'inst', type: found.type, name: ref.name, via: 'attr' }, depth + 1);
        // `self.hosts.unlink()` with `hosts` a property (here or in a base class): its getter's result type
        if (depth > MAX_DEPTH) return null;
        return this.resolve(fi, { k: 'inst', type: { k: 'ret', of: { k: 'self', cls: ref.cls, name: ref.attr, get: 1 } }, name: ref.name, via: 'attr' }, depth + 1);
      }
      case 'inst': {
        if (ref.type.k === 'ret') {
          const t = this.concreteType(fi, ref.type, depth + 1);
          return t ? this.resolve(t.file, { ...ref, type: t.type }, depth + 1) : null;
        }
        const cls = this.typeClass(fi, ref.type);
        if (cls) {
          const m = this.method(cls.file, cls.name, ref.name, 0);
          if (m !== null) return { fn: m };
          const inherited = this.inheritedApi(cls.file, cls.name, ref.name, 0);
          return inherited ? { api: inherited } : null;
        }
        const c = canonicalType(ref.type, f.family);
        return c ? { api: `${c}#${ref.name}` } : null;
      }
    }
  }

  /**
   * The class type (`mod` / `top`) a type stands for, with the file whose names it uses: a `ret`
   * type is followed to the called repository function's `ret` (in that function's file), a
   * factory's result type (`sqlite3.Connection#cursor`) or a repository class; null when unknown.
   */
  concreteType(fi: number, t: TypeRef, depth = 0): { file: number; type: Exclude<TypeRef, { k: 'ret' }> } | null {
    if (t.k !== 'ret') return { file: fi, type: t };
    if (depth > MAX_DEPTH) return null;
    if (t.of.k === 'self' && t.of.get) {
      const key = `${fi}\u0000${t.of.cls}\u0000${t.of.name}`;
      if (this.selfReads.has(key)) return this.selfReads.get(key)!;
      this.selfReads.set(key, null); // cycle guard
      const out = this.selfRead(fi, t.of.cls, t.of.name, depth);
      this.selfReads.set(key, out);
      return out;
    }
    if (t.of.k === 'inst') {
      // `docker.info` with `info` an instance attribute of a repository class (`self.info = Info()`), not a method
      const owner = this.typeClass(fi, t.of.type, depth + 1);
      if (owner && this.method(owner.file, owner.name, t.of.name, 0) === null) {
        const a = this.attrType(owner.file, owner.name, t.of.name, 0);
        return a ? this.concreteType(a.file, a.type, depth + 1) : null;
      }
    }
    const r = this.resolve(fi, t.of, depth + 1);
    if (!r) return null;
    if ('fn' in r) {
      const at = this.fileOfFunction(r.fn);
      const ret = at < 0 ? undefined : this.files[at].facts.functions[r.fn - this.files[at].base]?.ret;
      return ret ? this.concreteType(at, ret, depth + 1) : null;
    }
    if ('cls' in r) return { file: r.cls.file, type: { k: 'top', path: [r.cls.name] } };
    const f = factoryType(r.api, this.files[fi].family);
    return f && f.k !== 'ret' ? { file: fi, type: f } : null;
  }

  /**
   * The type of `self.<name>` read in class `cls` of file `fi`: a property getter's result (here
   * or in a base class), else the attribute's type in a base class; a plain method read
   * (`self.save`) is a bound method, no instance (null).
   */
  private selfRead(fi: number, cls: string, name: string, depth: number): { file: number; type: Exclude<TypeRef, { k: 'ret' }> } | null {
    const m = this.method(fi, cls, name, 0);
    if (m !== null) {
      const at = this.fileOfFunction(m);
      const fn = at < 0 ? undefined : this.files[at].facts.functions[m - this.files[at].base];
      return fn?.prop && fn.ret ? this.concreteType(at, fn.ret, depth + 1) : null;
    }
    const a = this.attrType(fi, cls, name, 0);
    return a ? this.concreteType(a.file, a.type, depth + 1) : null;
  }

  /** The file holding global function id `g` (files are in `base` order), or -1. */
  private fileOfFunction(g: number): number {
    let lo = 0;
    let hi = this.files.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const f = this.files[mid];
      if (g < f.base) hi = mid - 1;
      else if (g >= f.base + f.facts.functions.length) lo = mid + 1;
      else return mid;
    }
    return -1;
  }

  /** The repository class a type names, or null when it is external / unknown. */
  typeClass(fi: number, t0: TypeRef, depth = 0): { file: number; name: string } | null {
    if (depth > MAX_DEPTH) return null;
    const c = this.concreteType(fi, t0, depth);
    if (!c) return null;
    const t = c.type;
    fi = c.file;
    const hit = t.k === 'top' ? this.name(fi, t.path, 0) : this.modRef(fi, t.mod, t.path, 0);
    return hit && hit !== 'ext' && 'cls' in hit && hit.rest.length === 0 ? hit.cls : null;
  }

  private callable(hit: NameHit | 'ext', path: string[], family: RuleFamily, mod: string): Resolution {
    if (hit === 'ext') return { api: canonicalOf(mod, path, family) };
    if (!hit) return null;
    if ('fn' in hit) return hit;
    if ('inst' in hit) {
      // a method on a module-level instance (`session.get` with `session = requests.Session()`)
      const cls = this.typeClass(hit.inst.file, hit.inst.type);
      if (cls) {
        const m = this.method(cls.file, cls.name, hit.name, 0);
        return m === null ? null : { fn: m };
      }
      const t = this.concreteType(hit.inst.file, hit.inst.type);
      const c = t ? canonicalType(t.type, this.files[t.file].family) : null;
      return c ? { api: `${c}#${hit.name}`, via: true } : null;
    }
    if (hit.rest.length === 0) {
      const ctor = this.method(hit.cls.file, hit.cls.name, family === 'js' ? 'constructor' : '__init__', 0);
      return ctor === null ? { cls: hit.cls } : { fn: ctor };
    }
    if (hit.rest.length === 1) {
      const m = this.method(hit.cls.file, hit.cls.name, hit.rest[0], 0);
      return m === null ? null : { fn: m };
    }
    return null;
  }

  /** Method `name` of class `cls` in file `fi`, following base classes inside the repository. */
  method(fi: number, cls: string, name: string, depth: number): number | null {
    const f = this.files[fi];
    const c = own(f.facts.classes, cls);
    if (!c || depth > MAX_DEPTH) return null;
    const mine = own(c.methods, name);
    if (mine !== undefined) return f.base + mine;
    for (const b of c.bases) {
      const bc = this.typeClass(fi, b);
      if (bc) {
        const m = this.method(bc.file, bc.name, name, depth + 1);
        if (m !== null) return m;
      }
    }
    return null;
  }

  /**
   * For a family with `typesByName`: the external API a repository class inherits `name` from
   * (its first base outside the repository: `AppDbContext : DbContext` → `DbContext#SaveChanges`),
   * or null (other families, or no external base).
   */
  private inheritedApi(fi: number, cls: string, name: string, depth: number): string | null {
    const f = this.files[fi];
    const c = own(f.facts.classes, cls);
    if (!c || depth > MAX_DEPTH || !blockingFamily(f.family)?.typesByName) return null;
    for (const b of c.bases) {
      const bc = this.typeClass(fi, b);
      if (bc) {
        const hit = this.inheritedApi(bc.file, bc.name, name, depth + 1);
        if (hit) return hit;
        continue;
      }
      const t = this.concreteType(fi, b);
      const canonical = t ? canonicalType(t.type, f.family) : null;
      if (canonical) return `${canonical}#${name}`;
    }
    return null;
  }

  /** Type of instance attribute `attr` of class `cls` or its repository bases, with the file that declares it. */
  private attrType(fi: number, cls: string, attr: string, depth: number): { file: number; type: TypeRef } | null {
    const c = own(this.files[fi].facts.classes, cls);
    if (!c || depth > MAX_DEPTH) return null;
    const t = own(c.attrs, attr);
    if (t) return { file: fi, type: t };
    for (const b of c.bases) {
      const bc = this.typeClass(fi, b);
      const hit = bc ? this.attrType(bc.file, bc.name, attr, depth + 1) : null;
      if (hit) return hit;
    }
    return null;
  }

  /** Method `name` as `super()` sees it from class `cls`: the first base (in order) that has it. */
  private baseMethod(fi: number, cls: string, name: string): number | null {
    const c = own(this.files[fi].facts.classes, cls);
    for (const b of c?.bases ?? []) {
      const bc = this.typeClass(fi, b);
      const m = bc ? this.method(bc.file, bc.name, name, 1) : null;
      if (m !== null) return m;
    }
    return null;
  }

  /** A name path looked up in a file: top-level function, class (+ member), export or re-export. */
  private name(fi: number, path: string[], depth: number): NameHit {
    if (!path.length || depth > MAX_DEPTH) return null;
    const f = this.files[fi];
    const [head, ...rest] = path;
    const fn = own(f.facts.top, head);
    if (fn !== undefined && rest.length === 0) return { fn: f.base + fn };
    if (own(f.facts.classes, head)) return { cls: { file: fi, name: head }, rest };
    const v = own(f.facts.vars, head);
    if (v && rest.length === 1) return { inst: { file: fi, type: v }, name: rest[0] };
    const alias = own(f.facts.aliases, head);
    if (alias?.k === 'top') return this.name(fi, [...alias.path, ...rest], depth + 1);
    if (alias?.k === 'mod') {
      const hit = this.modRef(fi, alias.mod, [...alias.path, ...rest], depth + 1);
      return hit === 'ext' ? null : hit;
    }
    const local = own(f.facts.exports, head);
    if (local && local !== head) return this.name(fi, [local, ...rest], depth + 1);
    const imp = own(f.facts.imports, head);
    if (imp) {
      const hit = this.modRef(fi, imp.mod, [...imp.path, ...rest], depth + 1);
      return hit === 'ext' ? null : hit;
    }
    for (const star of f.facts.star ?? []) {
      const hit = this.modRef(fi, star, path, depth + 1);
      if (hit && hit !== 'ext') return hit;
    }
    return null;
  }

  /** A module member: a repository hit, `'ext'` when the module is not in the repository, or null. */
  private modRef(fi: number, mod: string, path: string[], depth: number): NameHit | 'ext' {
    if (depth > MAX_DEPTH) return null;
    const key = `${fi}\u0000${mod}\u0000${path.join('\u0000')}`;
    if (this.memo.has(key)) return this.memo.get(key)!;
    this.memo.set(key, null); // cycle guard
    const result = this.modRefUncached(fi, mod, path, depth);
    this.memo.set(key, result);
    return result;
  }

  private modRefUncached(fi: number, mod: string, path: string[], depth: number): NameHit | 'ext' {
    const f = this.files[fi];
    if (mod === '') {
      // a type by its simple name anywhere in the repository (`typesByName`): the file whose class has the member
      const declaring = path.length ? this.typeFiles.get(`${f.family}\u0000${path[0]}`) : undefined;
      if (declaring) {
        let first: NameHit = null;
        for (const t of declaring) {
          const hit = this.name(t, path, depth + 1);
          if (!hit) continue;
          if (!('cls' in hit) || hit.rest.length !== 1 || this.method(t, hit.cls.name, hit.rest[0], 0) !== null) return hit;
          first ??= hit;
        }
        if (first) return first;
      }
      // a bare name: a builtin, or something a star import brought in
      for (const star of f.facts.star ?? []) {
        const hit = this.modRef(fi, star, path, depth + 1);
        if (hit && hit !== 'ext') return hit;
      }
      return 'ext';
    }
    const target = this.module(fi, mod);
    if (target >= 0) {
      const hit = this.name(target, path, depth + 1);
      if (hit) return hit;
      // CommonJS: `const X = require('./m')` is `module.exports`, which `module.exports = X` made the default export
      if (f.family === 'js' && path[0] !== 'default' && own(this.files[target].facts.exports, 'default')) {
        const viaDefault = this.name(target, ['default', ...path], depth + 1);
        if (viaDefault) return viaDefault;
      }
    }
    // `import pkg` then `pkg.sub.f()`, or `from . import sub` then `sub.f()`
    if (path.length > 1) {
      const sep = f.family === 'rust' ? '::' : f.family === 'js' ? '/' : '.';
      const sub = f.family === 'python' && /^\.+$/.test(mod) ? mod + path[0] : mod + sep + path[0];
      const hit = this.modRef(fi, sub, path.slice(1), depth + 1);
      if (hit && hit !== 'ext') return hit;
    }
    // not found in the repository (or only a weak module-name match): an external name
    return 'ext';
  }

  /** File index of a module reference made from file `fi`, or -1. */
  module(fi: number, mod: string): number {
    const f = this.files[fi];
    if (f.family === 'python') return this.pyModule(f.path, mod);
    if (f.family === 'js') return this.jsModule(f.path, mod);
    if (f.family === 'rust') return this.rustModule(f.path, mod);
    // other families name types, not modules (`typesByName`)
    return -1;
  }

  private pyModule(from: string, mod: string): number {
    if (mod.startsWith('.')) {
      const level = mod.match(/^\.+/)![0].length;
      let dir = dirOf(from);
      for (let i = 1; i < level; i++) dir = dirOf(dir);
      const rest = mod.slice(level).replace(/\./g, '/');
      const base = join(dir, rest);
      if (!rest) return this.byPath.get(join(dir, '__init__.py')) ?? -1;
      return this.byPath.get(`${base}.py`) ?? this.byPath.get(join(base, '__init__.py')) ?? -1;
    }
    return this.pyStrong.get(mod) ?? this.pyWeak.get(mod) ?? -1;
  }

  /**
   * A relative specifier from `from`, or a root alias (`@/utils/x`, `~/utils/x`): tsconfig
   * `paths` / bundler aliases that map to a `src` folder in nearly every project that uses them
   * (Vite's and Next.js's templates); tried against the nearest enclosing `src`, then the root.
   */
  private jsModule(from: string, spec: string): number {
    if (spec.startsWith('@/') || spec.startsWith('~/')) {
      const rest = spec.slice(2);
      for (let dir = dirOf(from); dir !== ''; dir = dirOf(dir)) {
        if (dir === 'src' || dir.endsWith('/src')) {
          const hit = this.jsFile(normalize(join(dir, rest)));
          if (hit >= 0) return hit;
        }
      }
      const hit = this.jsFile(normalize(join('src', rest)));
      return hit >= 0 ? hit : this.jsFile(normalize(rest));
    }
    if (!spec.startsWith('.')) return -1;
    return this.jsFile(normalize(join(dirOf(from), spec)));
  }

  /** The file a module path without extension (or with a `.js` one naming a `.ts` source) stands for, or -1. */
  private jsFile(base: string): number {
    const candidates = [base, ...JS_EXTS.map((e) => base + e), ...JS_EXTS.map((e) => `${base}/index${e}`)];
    const m = base.match(/\.(m|c)?js$/);
    if (m) {
      const stem = base.slice(0, -m[0].length);
      candidates.push(...JS_EXTS.map((e) => stem + e));
    }
    for (const c of candidates) {
      const i = this.byPath.get(c);
      if (i !== undefined) return i;
    }
    return -1;
  }

  private rustModule(from: string, mod: string): number {
    const segs = mod.split('::');
    const crateRoot = this.rustCrateRoot(from);
    let modPath: string[];
    if (segs[0] === 'crate') modPath = segs.slice(1);
    else if (segs[0] === 'self' || segs[0] === 'super') {
      modPath = rustModulePath(from, crateRoot);
      let i = 0;
      for (; segs[i] === 'self' || segs[i] === 'super'; i++) if (segs[i] === 'super') modPath = modPath.slice(0, -1);
      modPath = [...modPath, ...segs.slice(i)];
    } else {
      // a child module of this file, then a crate-root module (2015-style paths)
      const child = this.rustFile(crateRoot, [...rustModulePath(from, crateRoot), ...segs]);
      return child >= 0 ? child : this.rustFile(crateRoot, segs);
    }
    return this.rustFile(crateRoot, modPath);
  }

  private rustFile(crateRoot: string, modPath: string[]): number {
    if (!modPath.length) {
      return this.byPath.get(join(crateRoot, 'lib.rs')) ?? this.byPath.get(join(crateRoot, 'main.rs')) ?? -1;
    }
    const base = join(crateRoot, modPath.join('/'));
    return this.byPath.get(`${base}.rs`) ?? this.byPath.get(join(base, 'mod.rs')) ?? -1;
  }

  private rustCrateRoot(from: string): string {
    for (let dir = dirOf(from); ; dir = dirOf(dir)) {
      if (this.byPath.has(join(dir, 'lib.rs')) || this.byPath.has(join(dir, 'main.rs'))) return dir;
      if (dir === '') return '';
    }
  }
}

function rustModulePath(file: string, crateRoot: string): string[] {
  const rel = crateRoot ? file.slice(crateRoot.length + 1) : file;
  const parts = rel.replace(/\.rs$/, '').split('/');
  const last = parts[parts.length - 1];
  if (last === 'mod' || ((last === 'lib' || last === 'main') && parts.length === 1)) parts.pop();
  return parts;
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

function join(a: string, b: string): string {
  if (!a) return b;
  if (!b) return a;
  return `${a}/${b}`;
}

/** Resolve `.` and `..` segments of a POSIX path (no leading slash). */
function normalize(p: string): string {
  const out: string[] = [];
  for (const s of p.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') out.pop();
    else out.push(s);
  }
  return out.join('/');
}
