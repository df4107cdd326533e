/**
 * Shapes of the blocking-in-async analysis, declared once: the per-file facts the collector
 * stores in `FileRecord.facts.blocking` (JSON, cached with the file), the report of the graph
 * pass, and the `codeworm blocking --json` document.
 */

/** Bumped whenever the facts shape or the collector's meaning changes; older facts are ignored. */
export const BLOCKING_FACTS_VERSION = 12;

/**
 * A static reference to something callable, as far as one file can tell. The graph pass turns
 * it into a function of the repository or an external API name (`time.sleep`).
 * - `mod`: a member of a module reached through an import, a builtin (`mod: ''`) or an absolute
 *   path (`std::fs::read`): `{ mod: 'subprocess', path: ['run'] }`, `{ mod: '.util', path: ['helper'] }`.
 * - `top`: a top-level definition of this file: `['helper']`, `['Store', 'save']`.
 * - `self`: a method of the enclosing class through `self` / `cls` / `this` / `Self` (or `super()`).
 * - `fn`: a function of this file by its index in `functions` (nested functions).
 * - `inst`: a method called on an instance of a known type (`client.get` with `client = httpx.Client()`).
 * - `sattr`: a method on an attribute of `self` / `this` whose type this class does not set
 *   (`self.session.get()` with `self.session` assigned in a base class): typed from the bases.
 */
export type Ref =
  | { k: 'mod'; mod: string; path: string[] }
  | { k: 'top'; path: string[] }
  | {
      k: 'self';
      cls: string;
      name: string;
      /** `super().name(...)`: look up from the base classes */
      sup?: 1;
      /** Python: the attribute read `self.name` (as a type: a property getter's result, else the attribute's type in a base class), not a call */
      get?: 1;
    }
  | { k: 'fn'; id: number }
  | { k: 'inst'; type: TypeRef; name: string; /** receiver's origin: local variable / call result, or attribute / parameter */ via?: 'attr' | 'param' }
  | { k: 'sattr'; cls: string; attr: string; name: string };

/**
 * The type of an instance: a class reached through an import / builtin, a class of this file,
 * or (`ret`) whatever calling `of` returns: a repository function's return annotation or
 * inferred return (`yield` for a `@contextmanager`), or a factory's result type; the graph pass
 * resolves it (`conn = get_conn()`, `with _get_conn() as conn`, `self.db = make_db()`).
 */
export type TypeRef = { k: 'mod'; mod: string; path: string[] } | { k: 'top'; path: string[] } | { k: 'ret'; of: Ref };

/** One call (or blocking context-manager entry) inside a function body. Short keys: cached per file. */
export interface CallFact {
  /** Callee as written, whitespace collapsed (`open`, `sp.run`, `self._append`). */
  c: string;
  /** What the callee refers to; absent when the receiver is unknown (then `m` may be set). */
  t?: Ref;
  /** Method name called on a receiver of unknown type (for the few unambiguous method rules); beside `t` when `t` may not resolve. */
  m?: string;
  /** 1-based line of the call; for a `with` item, the `with` line. */
  l: number;
  /** Last line: the call's, or the end of the `with` block for a `with open(...)` item. */
  e: number;
  /** Operand of `await` / `.await` (or an `async with` item). */
  aw?: 1;
  /** Runs off the event loop: inside a lambda / closure passed to an offload wrapper. */
  off?: 1;
  /** Inside a loop (or a per-item callback) of its function. */
  lp?: 1;
  /** Inside an async block / async closure of a sync function (Rust `async move {}`). */
  ax?: 1;
  /** An attribute read that is a call only if it resolves to a `@property` getter of the repository (`addon.long_description`). */
  pa?: 1;
  /** JS: passes a function (a callback) or `{ async: true }`, so a `syncWithoutCallback` API runs asynchronously. */
  cb?: 1;
}

export interface FunctionFacts {
  /** Plain name (`<anonymous>` for unnamed callbacks). */
  name: string;
  /** `Class.method`, `outer.inner`, or a description of an anonymous callback. */
  display: string;
  /** Enclosing class / impl type for methods. */
  cls: string | null;
  /** 1-based line of the `def` / `function` / `fn` keyword; end line. */
  line: number;
  end: number;
  async: boolean;
  /** Looks like an entry point that runs per request / event (route decorator, handler name or callback). */
  handler?: boolean;
  /**
   * Type of the value a call returns (Python: the return annotation, else the first typed
   * `return`; the first typed `yield` of a `@contextmanager`, which is what `with … as x` binds;
   * an `async def`'s value once awaited).
   */
  ret?: TypeRef;
  /**
   * A synchronous callback the event loop itself runs (an event listener, a promise reaction, a
   * timer, a route handler): an entry point like an async function, since what it blocks, it
   * blocks for every other task.
   */
  ev?: 1;
  /** A `@property` / `cached_property` getter: reading the attribute runs it. */
  prop?: 1;
  calls: CallFact[];
}

export interface ClassFacts {
  /** Method name → index in `functions`. */
  methods: Record<string, number>;
  /** Instance attributes of a known type (`self.http = httpx.Client()`, typed fields). */
  attrs?: Record<string, TypeRef>;
  /** Base classes that could be resolved to a reference. */
  bases: TypeRef[];
  line: number;
}

/** What the collector stores for one file in `FileRecord.facts.blocking`. */
export interface BlockingFileFacts {
  v: number;
  functions: FunctionFacts[];
  /** Top-level function name → index in `functions`. */
  top: Record<string, number>;
  /** Top-level classes (Rust: structs/enums with impls in this file) by name. */
  classes: Record<string, ClassFacts>;
  /** Names bound at module level by imports (followed for re-exports). */
  imports: Record<string, { mod: string; path: string[] }>;
  /** Python: module-level type aliases (`AnyAddon = Union[Addon, AddonStore]` → `Addon`, the first member). */
  aliases?: Record<string, TypeRef>;
  /** Module-level variables holding an instance of a known type (`session = requests.Session()`). */
  vars?: Record<string, TypeRef>;
  /** Modules imported with `*` (Python `from m import *`), in order. */
  star?: string[];
  /** JS/TS: exported name → local top-level name (`default` included). */
  exports?: Record<string, string>;
  /** Python: the file puts sockets in non-blocking mode (`sock.setblocking(False)`). */
  nonBlockingSockets?: boolean;
  /** JS/TS: the file is a worker-thread entry (its code runs off the main event loop). */
  worker?: boolean;
  /**
   * Set when the collector did not see the whole tree (a syntax tree nested too deep to walk):
   * why, the first line it left out and how many subtrees it skipped. Everything else of the
   * file is collected as usual.
   */
  partial?: { reason: string; line: number; cut: number };
}

export type BlockingCategory = 'file_io' | 'subprocess' | 'sleep' | 'network' | 'database' | 'input' | 'lock' | 'cpu';
export type Severity = 'high' | 'medium' | 'low';

/** One finding of the report; the JSON document carries exactly these keys (see `toBlockingJson`). */
export interface BlockingFinding {
  /** Repo-relative POSIX path. */
  file: string;
  line: number;
  end_line: number;
  /** Display name of the function holding the blocking line. */
  function: string;
  kind: 'direct' | 'indirect';
  category: BlockingCategory;
  /** The blocking call as written (`open`, `subprocess.run`, `fs.readFileSync`). */
  call: string;
  /** From the async function to the function holding the blocking line (length 1 for direct). */
  chain: string[];
  severity: Severity;
  recommendation: string;
}

/** Extra facts the JSON does not carry but the Markdown report and the facts block use. */
export interface FindingDetail {
  /** Canonical API name (`time.sleep`, `sqlite3.Connection#execute`). */
  api: string;
  language: string;
  /** Files of the chain's functions, parallel to `chain`. */
  chainFiles: string[];
  /** Lines of the chain's call sites: `chainLines[i]` is where `chain[i]` calls `chain[i+1]`. */
  chainLines: number[];
  /** The async caller looked hot (loop or request/event handler). */
  hot: boolean;
  /** Number of async functions from which this line is reached (capped at 99). */
  reachedFrom: number;
  /** What runs the chain's first function: an async function, a sync callback the event loop runs, an async block of a sync function. */
  entry?: 'async' | 'callback' | 'async-block';
  /** How often the blocking line runs, from the evidence the index has (see `Frequency`). */
  frequency?: Frequency;
}

/**
 * How often a blocking line runs, as the code shows it (issue 12: never "hot path" without
 * evidence), first match wins:
 * - `request`: the chain starts at a request / event handler (route decorator, handler name);
 * - `loop`: a call of the chain (or, for a start-up chain, none; else the line itself) sits in a
 *   loop: once per iteration; `cycle` when that loop sleeps between iterations (a periodic check);
 * - `startup`: only start-up code reaches the chain's first function (an entry point, `main`,
 *   `__init__`, setup or lifespan code, or functions only those call, outside loops);
 * - `hot-caller`: the async function is awaited inside a loop or by a handler;
 * - `call`: none of these: once each time the chain's first function runs.
 */
export interface Frequency {
  kind: 'request' | 'loop' | 'cycle' | 'startup' | 'hot-caller' | 'call';
  /** Display name of the function whose loop or start-up role is the evidence. */
  fn: string;
  /** Its file (repo-relative). */
  file: string;
  /** The line of the call inside the loop (`loop` / `cycle`), or of the function. */
  line: number;
  /** For `startup`: the line also sits in a loop of its own function (once per item, at start-up). */
  ownLoop?: boolean;
  /** For `call`: the chain starts in start-up code, but other async functions (not start-up) reach the line too. */
  alsoLater?: boolean;
  /**
   * The call lines of the chain, from its entry down to the operation's own line, each in its
   * function's file: an `if` around any of them means the operation runs only when it holds.
   */
  guards?: { file: string; line: number }[];
}

export interface ComponentStats {
  /** Directory, repo-relative (`.` for the root). */
  path: string;
  async_functions: number;
  with_findings: number;
  /** Share of async functions free of blocking calls, 0-100 (rounded). */
  adoption_pct: number;
}

/** Result of `analyzeBlocking`. */
export interface BlockingReport {
  root: string;
  files: number;
  async_functions: number;
  findings: BlockingFinding[];
  components: ComponentStats[];
  /** Parallel to `findings`. */
  details: FindingDetail[];
  /** Files without usable blocking facts (not collected, collector error, or an older facts version). */
  filesWithoutFacts: number;
  /** Files analysed only in part (see `BlockingFileFacts.partial`), by path. */
  partialFiles: { file: string; reason: string; line: number; cut: number }[];
}

/** The `codeworm blocking --json` document. */
export interface BlockingJson {
  root: string;
  files: number;
  async_functions: number;
  findings: BlockingFinding[];
  components: ComponentStats[];
}
