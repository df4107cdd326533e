/**
 * The `structure` fact collector: what a module declares it exports and what a class holds,
 * read from the syntax tree in the index workers and stored in `FileRecord.facts.structure`.
 *
 * - Python: `__all__` (a list or tuple of strings, `+=` / `.extend` of one, or a sum of
 *   submodules' `__all__`, as `asyncio/__init__.py` writes it); class attributes: class-level
 *   assignments and annotations (fields of a dataclass / attrs / pydantic model), and
 *   `self.x = …` / `self.x: T = …` in any method (first assignment wins, `__init__` first).
 * - TypeScript / JavaScript: exported names (`export function/class/const/…`, `export { a as b }`,
 *   `export default`, `export * from`), class properties (fields) and `this.x = …` in methods.
 *
 * Go and Rust need no collector: their visibility is in the symbol itself (capitalised name,
 * `pub`).
 */
import type { Node } from 'web-tree-sitter';
import { queryFor } from '../languages/common.ts';
import { PYTHON_QUERIES } from '../languages/python/queries.ts';
import type { LanguageDescriptor } from '../languages/types.ts';
import { descriptorOf } from '../languages/lookup.ts';
import type { FactCollector } from './facts.ts';

export const STRUCTURE_FACTS_VERSION = 2;

/** One attribute of a class. */
export interface AttributeFact {
  name: string;
  line: number;
  /** `instance`: assigned on self/this in a method; `class`: a class-level variable; `field`: a declared field (annotation, dataclass/attrs/pydantic field, TS property). */
  kind: 'instance' | 'class' | 'field';
  /** The annotation as written, or null. */
  type: string | null;
  /** The assigned value as written (collapsed, ≤ 60 chars), or null. */
  value: string | null;
}

export interface StructureFileFacts {
  v: number;
  /**
   * Names the module declares it exports (`__all__`, `export` lists), in source order, or null
   * when it declares none (then the convention applies: names without a leading `_`).
   */
  exports: string[] | null;
  /** Modules whose `__all__` this one re-exports (`__all__ = (a.__all__ + b.__all__)`), or `export * from` specifiers. */
  reexports?: string[];
  /** Class name → attributes (top-level and nested classes by plain name; the first class of a name wins). */
  classes: Record<string, AttributeFact[]>;
  /**
   * Python: bare-name calls run when the file is executed as a program: those in its
   * `if __name__ == "__main__":` block (`sys.exit(main())` gives `main`), and for any file the
   * module-level ones (`main()` at column 0, what a package's `__main__.py` runs), first 20 each.
   */
  mainCalls?: { name: string; line: number }[];
  topCalls?: { name: string; line: number }[];
}

function short(text: string, max = 60): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

const line1 = (n: Node) => n.startPosition.row + 1;

/** String literal values of a list / tuple node (`['a', "b"]`). */
function stringItems(node: Node): string[] {
  const out: string[] = [];
  for (const c of node.namedChildren) {
    if (c?.type !== 'string') continue;
    const m = /^[rRuU]?(['"])(.*)\1$/s.exec(c.text);
    if (m) out.push(m[2]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Python

function pythonAll(root: Node, facts: StructureFileFacts): void {
  for (const st of root.namedChildren) {
    if (st?.type !== 'expression_statement') continue;
    const e = st.firstNamedChild;
    if (!e) continue;
    if (e.type === 'assignment' || e.type === 'augmented_assignment') {
      if (e.childForFieldName('left')?.text !== '__all__') continue;
      let right = e.childForFieldName('right');
      while (right?.type === 'parenthesized_expression') right = right.firstNamedChild;
      if (!right) continue;
      if (e.type === 'assignment') facts.exports = [];
      facts.exports ??= [];
      if (right.type === 'list' || right.type === 'tuple') facts.exports.push(...stringItems(right));
      else {
        // `a.__all__ + b.__all__ + [...]`
        for (const m of right.text.matchAll(/([\w.]+)\.__all__/g)) (facts.reexports ??= []).push(m[1]);
        for (const lst of right.descendantsOfType(['list', 'tuple'])) if (lst) facts.exports.push(...stringItems(lst));
      }
    } else if (e.type === 'call' && e.childForFieldName('function')?.text === '__all__.extend') {
      const arg = e.childForFieldName('arguments')?.firstNamedChild;
      if (arg && (arg.type === 'list' || arg.type === 'tuple')) (facts.exports ??= []).push(...stringItems(arg));
    }
  }
}

/** Classes with a plain name and a body block; their name and body are read from the node (one capture: the shared pass hands back captures, not matches). */
const PY_CLASS_QUERY = PYTHON_QUERIES.add(`(class_definition name: (identifier) body: (block)) @class`);
const FIELD_DECORATOR = /^@(?:dataclasses\.)?dataclass\b|^@(?:attr\.)?(?:s|attrs|define|frozen|mutable)\b|^@(?:attr\.)?dataclass/;

function pythonClasses(root: Node, source: string, facts: StructureFileFacts): void {
  for (const c of PY_CLASS_QUERY.captures(root)) {
    const cls = c.node;
    const name = cls.childForFieldName('name')?.text;
    const body = cls.childForFieldName('body');
    if (!cls || !name || !body || facts.classes[name]) continue;
    const decorated = cls.parent?.type === 'decorated_definition' ? cls.parent.namedChildren.filter((d) => d?.type === 'decorator').map((d) => d!.text) : [];
    const supers = cls.childForFieldName('superclasses')?.text ?? '';
    const declaresFields = decorated.some((d) => FIELD_DECORATOR.test(d)) || /\b(BaseModel|BaseSettings|NamedTuple|TypedDict|Struct)\b/.test(supers);
    const attrs: AttributeFact[] = [];
    const seen = new Set<string>();
    const add = (a: AttributeFact) => {
      if (seen.has(a.name)) return;
      seen.add(a.name);
      attrs.push(a);
    };
    const methods: Node[] = [];
    for (const st of body.namedChildren) {
      if (!st) continue;
      if (st.type === 'expression_statement') {
        const e = st.firstNamedChild;
        if (e?.type !== 'assignment') continue;
        const left = e.childForFieldName('left');
        if (left?.type !== 'identifier') continue;
        const type = e.childForFieldName('type')?.text ?? null;
        const value = e.childForFieldName('right')?.text ?? null;
        add({ name: left.text, line: line1(e), kind: type && declaresFields ? 'field' : type && !value ? 'field' : 'class', type: type ? short(type) : null, value: value ? short(value) : null });
      } else if (st.type === 'function_definition') methods.push(st);
      else if (st.type === 'decorated_definition') {
        const def = st.childForFieldName('definition');
        if (def?.type === 'function_definition') methods.push(def);
      }
    }
    // `__init__` first: where a reader expects an attribute to be introduced.
    methods.sort((a, b) => Number(b.childForFieldName('name')?.text === '__init__') - Number(a.childForFieldName('name')?.text === '__init__'));
    for (const fn of methods) {
      const self = fn.childForFieldName('parameters')?.namedChildren[0];
      const selfName = self?.type === 'identifier' ? self.text : 'self';
      const fnBody = fn.childForFieldName('body');
      if (!fnBody || !fnBody.text.includes(`${selfName}.`)) continue;
      for (const a of fnBody.descendantsOfType('assignment')) {
        if (!a) continue;
        const left = a.childForFieldName('left');
        const targets = left?.type === 'pattern_list' || left?.type === 'tuple_pattern' ? left.namedChildren : [left];
        for (const t of targets) {
          if (t?.type !== 'attribute' || t.childForFieldName('object')?.text !== selfName) continue;
          const attr = t.childForFieldName('attribute')?.text;
          if (!attr) continue;
          const type = a.childForFieldName('type')?.text ?? null;
          const value = targets.length === 1 ? (a.childForFieldName('right')?.text ?? null) : null;
          add({ name: attr, line: line1(a), kind: 'instance', type: type ? short(type) : null, value: value ? short(value) : null });
        }
      }
    }
    void source;
    facts.classes[name] = attrs.sort((a, b) => a.line - b.line);
  }
}

// ---------------------------------------------------------------------------------------------
// TypeScript / JavaScript

const JS_EXPORT_QUERY = `(export_statement) @export`;
/** Class nodes by grammar: only TypeScript's has abstract classes. */
const JS_CLASS_QUERY: Record<string, string> = {
  javascript: `[(class_declaration) (class)] @class`,
  typescript: `[(class_declaration) (class) (abstract_class_declaration)] @class`,
};

function jsExports(root: Node, facts: StructureFileFacts): void {
  const names: string[] = [];
  for (const c of queryFor(root.tree.language, JS_EXPORT_QUERY).captures(root)) {
    const n = c.node;
    if (n.parent?.type !== 'program') continue;
    const decl = n.childForFieldName('declaration');
    const src = n.childForFieldName('source');
    if (decl) {
      const named = decl.childForFieldName('name');
      if (named) names.push(named.text);
      else for (const d of decl.descendantsOfType('variable_declarator')) {
        const id = d?.childForFieldName('name');
        if (id?.type === 'identifier') names.push(id.text);
      }
      continue;
    }
    if (/^export\s+default\b/.test(n.text)) {
      names.push('default');
      continue;
    }
    const clause = n.namedChildren.find((x) => x?.type === 'export_clause');
    if (clause) {
      for (const spec of clause.namedChildren) {
        if (spec?.type !== 'export_specifier') continue;
        names.push((spec.childForFieldName('alias') ?? spec.childForFieldName('name'))?.text ?? spec.text);
      }
    } else if (src) {
      // `export * from './x'` / `export * as ns from './x'`
      const ns = n.namedChildren.find((x) => x?.type === 'namespace_export');
      if (ns) names.push(ns.text.replace(/^\*\s*as\s+/, ''));
      else (facts.reexports ??= []).push(src.text.replace(/^['"`]|['"`]$/g, ''));
    }
  }
  facts.exports = names.length > 0 || facts.reexports ? names : null;
}

function jsClasses(root: Node, dialect: 'javascript' | 'typescript', facts: StructureFileFacts): void {
  for (const c of queryFor(root.tree.language, JS_CLASS_QUERY[dialect]).captures(root)) {
    const cls = c.node;
    const name = cls.childForFieldName('name')?.text;
    const body = cls.childForFieldName('body');
    if (!name || !body || facts.classes[name]) continue;
    const attrs: AttributeFact[] = [];
    const seen = new Set<string>();
    const add = (a: AttributeFact) => {
      if (!seen.has(a.name)) {
        seen.add(a.name);
        attrs.push(a);
      }
    };
    const methods: Node[] = [];
    for (const m of body.namedChildren) {
      if (!m) continue;
      if (m.type === 'public_field_definition' || m.type === 'field_definition') {
        const prop = m.childForFieldName('name') ?? m.childForFieldName('property');
        if (!prop) continue;
        const type = m.childForFieldName('type')?.text.replace(/^:\s*/, '') ?? null;
        const value = m.childForFieldName('value')?.text ?? null;
        add({ name: prop.text, line: line1(m), kind: /^\s*(?:\w+\s+)*static\b/.test(m.text.slice(0, m.text.indexOf(prop.text))) ? 'class' : 'field', type: type ? short(type) : null, value: value ? short(value) : null });
      } else if (m.type === 'method_definition') {
        methods.push(m);
        // Constructor parameter properties: `constructor(private readonly db: Db)`.
        if (m.childForFieldName('name')?.text === 'constructor') {
          for (const p of m.childForFieldName('parameters')?.namedChildren ?? []) {
            if (!p || !/^(?:public|private|protected|readonly)\b/.test(p.text)) continue;
            const id = p.childForFieldName('pattern') ?? p.descendantsOfType('identifier')[0];
            const type = p.childForFieldName('type')?.text.replace(/^:\s*/, '') ?? null;
            if (id) add({ name: id.text, line: line1(p), kind: 'field', type: type ? short(type) : null, value: null });
          }
        }
      }
    }
    methods.sort((a, b) => Number(b.childForFieldName('name')?.text === 'constructor') - Number(a.childForFieldName('name')?.text === 'constructor'));
    for (const m of methods) {
      const fnBody = m.childForFieldName('body');
      if (!fnBody || !fnBody.text.includes('this.')) continue;
      for (const a of fnBody.descendantsOfType('assignment_expression')) {
        const left = a?.childForFieldName('left');
        if (left?.type !== 'member_expression' || left.childForFieldName('object')?.type !== 'this') continue;
        const prop = left.childForFieldName('property')?.text;
        const value = a!.childForFieldName('right')?.text ?? null;
        if (prop) add({ name: prop, line: line1(a!), kind: 'instance', type: null, value: value ? short(value) : null });
      }
    }
    facts.classes[name] = attrs.sort((a, b) => a.line - b.line);
  }
}

/** Bare-name calls (`main(…)`, `sys.exit(main())` gives `main`) under `node`, first `limit`, not inside functions or classes. */
function bareCalls(node: Node, source: string, limit = 20): { name: string; line: number }[] {
  const out: { name: string; line: number }[] = [];
  const walk = (n: Node): void => {
    for (const c of n.namedChildren) {
      if (!c || out.length >= limit) return;
      if (c.type === 'function_definition' || c.type === 'class_definition' || c.type === 'decorated_definition' || c.type === 'lambda') continue;
      // a call's arguments open with `(`: a subtree without one holds none (data tables, docstrings)
      const paren = source.indexOf('(', c.startIndex);
      if (paren === -1 || paren >= c.endIndex) continue;
      if (c.type === 'call') {
        const fn = c.childForFieldName('function');
        if (fn?.type === 'identifier') out.push({ name: fn.text, line: line1(c) });
      }
      walk(c);
    }
  };
  walk(node);
  return out;
}

/** `if __name__ == "__main__":` (either operand order, either quote). */
const MAIN_TEST = /^__name__\s*==\s*(['"])__main__\1$|^(['"])__main__\2\s*==\s*__name__$/;

/** The calls of a module's `__main__` block and its other module-level calls. */
function pythonMain(root: Node, facts: StructureFileFacts, source: string): void {
  const main: { name: string; line: number }[] = [];
  for (const st of root.namedChildren) {
    if (st?.type !== 'if_statement') continue;
    const cond = st.childForFieldName('condition')?.text.replace(/\s+/g, ' ').trim() ?? '';
    if (!MAIN_TEST.test(cond)) continue;
    const body = st.childForFieldName('consequence');
    if (body) main.push(...bareCalls(body, source));
  }
  if (main.length > 0) facts.mainCalls = main;
  const top = bareCalls(root, source).filter((c) => !main.some((m) => m.line === c.line && m.name === c.name));
  if (top.length > 0) facts.topCalls = top;
}

/** Python structure facts: `__all__`, class attributes, and what runs when the file is executed. */
export function collectPythonStructure(root: Node, source: string): StructureFileFacts {
  const facts: StructureFileFacts = { v: STRUCTURE_FACTS_VERSION, exports: null, classes: {} };
  pythonAll(root, facts);
  pythonClasses(root, source, facts);
  pythonMain(root, facts, source);
  return facts;
}

/** TS/JS structure facts: exports and class properties (`dialect` picks the class query). */
export function collectJsStructure(root: Node, dialect: 'javascript' | 'typescript'): StructureFileFacts {
  const facts: StructureFileFacts = { v: STRUCTURE_FACTS_VERSION, exports: null, classes: {} };
  jsExports(root, facts);
  jsClasses(root, dialect, facts);
  return facts;
}

/** Structure facts of one parsed file, or null for a language without a collector (Go, Rust: see the module comment). */
export function collectStructure(root: Node, language: LanguageDescriptor | string, source: string): StructureFileFacts | null {
  const collect = descriptorOf(language).facts.structure;
  return collect ? (collect(root, source) as StructureFileFacts) : null;
}

export const structureCollector: FactCollector = {
  name: 'structure',
  version: STRUCTURE_FACTS_VERSION,
  collect: (root, language, source) => collectStructure(root, language, source),
};

/** Whether a facts value is usable structure facts of the current version. */
export function isStructureFacts(v: unknown): v is StructureFileFacts {
  return !!v && typeof v === 'object' && (v as StructureFileFacts).v === STRUCTURE_FACTS_VERSION && typeof (v as StructureFileFacts).classes === 'object';
}
