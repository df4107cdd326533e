/**
 * Shapes of the code index, declared once and imported everywhere: what a language module
 * extracts from a file, what the store caches, and what target finders and analyses read.
 */

/** A registered language's id, derived from `src/languages/registry.ts`. */
export type { LanguageId } from '../languages/registry.ts';
import type { LanguageId } from '../languages/registry.ts';
export type SymbolKind = 'function' | 'method' | 'class';

/** Per-function metrics. Cyclomatic complexity follows each language's standard tool. */
export interface FunctionMetrics {
  /** radon cc (Python), ESLint `complexity` (JS/TS), gocyclo (Go), same principle for Rust. */
  cyclomatic: number;
  /** Non-comment, non-blank source lines. */
  nloc: number;
  /** Lexical tokens, comments excluded; a string literal is one token (`src/index/metrics.ts`). */
  tokens: number;
  params: number;
  /** Deepest nesting of control-flow blocks inside the body (0 = flat). */
  maxNesting: number;
}

/** One call expression inside a function body (nested functions' calls excluded). */
export interface CallSite {
  /** Callee as written, whitespace collapsed: `open`, `self._append`, `fs.readFileSync`, `std::fs::read`. */
  callee: string;
  /** Last segment of the callee: `_append`, `readFileSync`. */
  name: string;
  line: number;
  /** The call is the operand of `await` (or `.await` in Rust). */
  awaited: boolean;
}

export interface CodeSymbol {
  kind: SymbolKind;
  name: string;
  /** Enclosing class / impl type / Go receiver type, or null. */
  className: string | null;
  /** `Class.method`, `outer.inner` for nested functions, or the plain name. */
  displayName: string;
  /** 1-based line of the `def` / `function` / `fn` / `class` keyword (not the decorator). */
  startLine: number;
  endLine: number;
  /** Parameter names in order (`self`/`cls` included for Python, as radon counts them). */
  params: string[];
  /** Decorator texts without `@`, e.g. `property`, `app.get("/")`. */
  decorators: string[];
  isAsync: boolean;
  isGenerator: boolean;
  /** Existing docstring / JSDoc / doc comment text, without comment markers, or null. */
  docstring: string | null;
  /** Exact source text from the start line (decorators excluded) to the end line. */
  source: string;
  /** Metrics; for classes, cyclomatic is the sum over methods as radon reports it. */
  metrics: FunctionMetrics;
  /** Calls made in the body (functions only; empty for classes). */
  calls: CallSite[];
  /** For a nested function, the display name of the enclosing function. */
  parent: string | null;
  /** For classes: names of base classes / implemented traits / embedded types. */
  bases?: string[];
  /** For classes: number of methods. */
  methodCount?: number;
}

export interface ImportRef {
  /** Module specifier as written: `os.path`, `./util`, `github.com/x/y`, `crate::a::b`. */
  module: string;
  /** Names bound locally: `{ local: 'sleep', imported: 'sleep' }`; `imported: '*'` for namespace. */
  names: { local: string; imported: string }[];
  line: number;
  /** For type checkers only, never run (`if TYPE_CHECKING:` in Python, `import type` in TypeScript). */
  typeOnly?: true;
}

/** What the index knows about one file. `path` is repo-relative, POSIX separators. */
export interface FileRecord {
  path: string;
  language: LanguageId;
  size: number;
  mtimeMs: number;
  /** SHA-256 hex of the file content. */
  hash: string;
  lines: number;
  nloc: number;
  imports: ImportRef[];
  symbols: CodeSymbol[];
  /** Tree-sitter reported ERROR/MISSING nodes; symbols are what it recovered. */
  hasSyntaxErrors: boolean;
  /** Per-file facts of other analyses computed on the same syntax tree (e.g. `blocking`). */
  facts: Record<string, unknown>;
}

/** Commit activity of one file from one `git log` pass. */
export interface FileChurn {
  commits30d: number;
  commits90d: number;
  /** ms since epoch of the last commit touching the file, or null. */
  lastModified: number | null;
  authors: string[];
}

export interface CommitInfo {
  hash: string;
  /** ms since epoch */
  date: number;
  /** Author name as .mailmap maps it. */
  author: string;
  /** Author e-mail as .mailmap maps it: one person under two names counts once. Absent in old caches. */
  authorEmail?: string;
  /** A merge commit (two or more parents): it lists no files and is nobody's change of its own. */
  merge?: boolean;
  subject: string;
  files: string[];
}

export type SkipReason = 'binary' | 'too_large' | 'empty' | 'unreadable' | 'invalid_utf8' | 'symlink_outside' | 'parse_failed';

/** The index of one repository. */
export interface RepoIndex {
  /** Absolute path of the repository root. */
  root: string;
  files: FileRecord[];
  churn: Map<string, FileChurn>;
  /** Recent commits, newest first (at most a few hundred). */
  commits: CommitInfo[];
  isGitRepo: boolean;
  skipped: Partial<Record<SkipReason, number>>;
  /** Files actually parsed in this run (0 on a warm cache with nothing changed). */
  parsed: number;
  durationMs: number;
  /** What was skipped or failed and why (parse failures, fact collector errors, git problems), one line each. */
  warnings?: string[];
  /** How the code is started (console scripts, `__main__` blocks, systemd units, package.json), see `readEntryPoints`. */
  entryPoints?: import('../analysis/entry-points.ts').EntryPoint[];
}

export interface ScoreBreakdown {
  complexity: number;
  length: number;
  nesting: number;
  parameters: number;
  churn: number;
  novelty: number;
  pattern_bonus: number;
}
