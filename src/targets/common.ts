/**
 * Helpers shared by the target finders: building a `Target` from an index entry with the
 * fields every doc type fills the same way.
 */
import path from 'node:path';
import { sha256 } from '../core/hash.ts';
import type { DocType } from '../config/schema.ts';
import type { CodeSymbol, FileRecord } from '../index/types.ts';
import type { FinderInput, Target } from './types.ts';

/** Where a target of `file` is: its doc type, repository, absolute and repo-relative path, language. */
function placeOf(docType: DocType, input: FinderInput, file: FileRecord): Pick<Target, 'docType' | 'repo' | 'absPath' | 'relPath' | 'language'> {
  return { docType, repo: input.repo, absPath: absPathOf(input.index.root, file), relPath: file.path, language: file.language };
}

/** The absolute path of each file record, per repository root (records live across cycles). */
const absPaths = new WeakMap<FileRecord, { root: string; absPath: string }>();

/** `path.join(root, file.path)`, once per record and root: finders place thousands of targets per cycle. */
function absPathOf(root: string, file: FileRecord): string {
  const known = absPaths.get(file);
  if (known?.root === root) return known.absPath;
  const absPath = path.join(root, file.path);
  absPaths.set(file, { root, absPath });
  return absPath;
}

/** A target for one function or class symbol; `source` is the symbol's exact source. */
export function symbolTarget(
  docType: DocType,
  input: FinderInput,
  file: FileRecord,
  symbol: CodeSymbol,
  score: number,
  extra: Partial<Target> = {},
): Target {
  const target = {
    ...placeOf(docType, input, file),
    displayName: symbol.displayName,
    functionName: symbol.kind === 'class' ? null : symbol.name,
    className: symbol.kind === 'class' ? symbol.name : symbol.className,
    startLine: symbol.startLine,
    endLine: symbol.endLine,
    // a class: the mean of its methods' complexity, the figure its page explains (classComplexity)
    cyclomatic: symbol.kind === 'class' && classMethods(file, symbol).length > 0 ? classComplexity(classMethods(file, symbol)).average : symbol.metrics.cyclomatic,
    score,
    symbol,
    file,
    context: {},
  } as Target;
  Object.defineProperty(target, LAZY, { value: { symbol } satisfies LazySource });
  Object.defineProperties(target, LAZY_ACCESSORS);
  return Object.assign(target, extra);
}

/** What a symbol target computes on first read (see `LAZY_ACCESSORS`). */
interface LazySource {
  symbol: CodeSymbol;
  source?: string;
  codeHash?: string;
}

/** The hidden key of a symbol target's lazy state (not enumerable: spreads and JSON skip it). */
const LAZY = Symbol('lazySource');

/**
 * `source` and `codeHash` of a symbol target, computed on first read: a finder ranks every
 * candidate (~1,900 functions on the Python standard library) and the cycle reads the first
 * few, while each source is cut from its file's deflated text in the daemon's index. One pair
 * of functions for every target (the state is under `LAZY`); assigning stores the value. The
 * hash is always that of the symbol's own source (a redacted `source` does not change it).
 */
const LAZY_ACCESSORS: PropertyDescriptorMap = {
  source: {
    enumerable: true,
    configurable: true,
    get(this: { [LAZY]: LazySource }): string {
      const s = this[LAZY];
      return (s.source ??= s.symbol.source);
    },
    set(this: { [LAZY]: LazySource }, v: string): void {
      this[LAZY].source = v;
    },
  },
  codeHash: {
    enumerable: true,
    configurable: true,
    get(this: { [LAZY]: LazySource }): string {
      const s = this[LAZY];
      return (s.codeHash ??= sha256(s.symbol.source));
    },
    set(this: { [LAZY]: LazySource }, v: string): void {
      this[LAZY].codeHash = v;
    },
  },
};

/**
 * A target for a whole file: lines 1..`file.lines`, titled by the file stem, complexity summed
 * over the file's functions, no inline source (the cycle reads the file), dedup key the file's
 * content hash. `extra` overrides any field and must give the `score`.
 */
export function fileTarget(
  docType: DocType,
  input: FinderInput,
  file: FileRecord,
  extra: Partial<Target> & Pick<Target, 'score'>,
): Target {
  const { score, ...rest } = extra;
  return {
    ...placeOf(docType, input, file),
    displayName: fileStem(file.path),
    functionName: null,
    className: null,
    startLine: 1,
    endLine: file.lines,
    cyclomatic: fileComplexity(file),
    source: '',
    codeHash: file.hash,
    score,
    file,
    context: {},
    ...rest,
  };
}

/** The file stem used as a page title for file-level targets (`daemon` for `codeworm/daemon.py`). */
export function fileStem(relPath: string): string {
  const base = path.posix.basename(relPath);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** The methods of class `symbol` in `file`: its direct members (not functions nested in them). */
export function classMethods(file: FileRecord, symbol: CodeSymbol): CodeSymbol[] {
  return file.symbols.filter((s) => s.kind !== 'class' && s.className === symbol.name && s.parent === null && s.startLine >= symbol.startLine && s.endLine <= symbol.endLine);
}

/** How complex a class is, from its methods (`extra.classComplexity`): not one figure for 500 lines. */
export interface ClassComplexityFact {
  methods: number;
  /** Mean cyclomatic complexity of the methods, one decimal. */
  average: number;
  max: number;
  total: number;
  /** The most complex method and its complexity, or null without methods. */
  worst: { name: string; line: number; cyclomatic: number } | null;
  /**
   * Functions nested in the methods (`_extract.visit`), most complex first, with their own
   * complexity: counted apart from the method that defines them, as radon does, so a method whose
   * work is in a closure shows 1 and the closure carries the figure.
   */
  nested?: { name: string; line: number; cyclomatic: number }[];
}

/**
 * Average, max and total cyclomatic complexity of a class's methods, with the worst one named.
 * The average is the class's one complexity figure: the page header shows it (`symbolTarget`)
 * and the class page's Complexity section names it, so a page never shows two figures.
 *
 * Nested functions follow radon (5.x, `ComplexityVisitor.visit_FunctionDef`, radon issue #68):
 * a closure's decisions are not added to the method that defines it nor to the class; radon
 * reports it as the method's closure with its own figure. `nested` (functions inside the
 * methods, `outer.inner` names) lists those figures so a page can name where the branching is.
 */
export function classComplexity(methods: CodeSymbol[], nested: CodeSymbol[] = []): ClassComplexityFact {
  const total = methods.reduce((n, m) => n + m.metrics.cyclomatic, 0);
  let worst: CodeSymbol | null = null;
  for (const m of methods) if (!worst || m.metrics.cyclomatic > worst.metrics.cyclomatic) worst = m;
  return {
    methods: methods.length,
    average: methods.length ? Math.round((10 * total) / methods.length) / 10 : 0,
    max: worst ? worst.metrics.cyclomatic : 0,
    total,
    worst: worst ? { name: worst.name, line: worst.startLine, cyclomatic: worst.metrics.cyclomatic } : null,
    ...(nested.length > 0
      ? {
          nested: [...nested]
            .sort((a, b) => b.metrics.cyclomatic - a.metrics.cyclomatic || a.startLine - b.startLine)
            .map((n) => ({ name: n.displayName.split('.').slice(-2).join('.'), line: n.startLine, cyclomatic: n.metrics.cyclomatic })),
        }
      : {}),
  };
}

/** Functions nested (at any depth) in the methods of class `symbol` in `file`. */
export function classNestedFunctions(file: FileRecord, symbol: CodeSymbol): CodeSymbol[] {
  return file.symbols.filter((s) => s.kind !== 'class' && s.parent !== null && s.parent.startsWith(`${symbol.displayName}.`) && s.startLine > symbol.startLine && s.endLine <= symbol.endLine);
}

/** Sum of cyclomatic complexity over a file's functions (0 when none). */
export function fileComplexity(file: FileRecord): number {
  return file.symbols.filter((s) => s.kind !== 'class').reduce((n, s) => n + s.metrics.cyclomatic, 0);
}

/** ms in one day. */
export const DAY_MS = 86_400_000;
