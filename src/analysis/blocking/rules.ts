/**
 * Blocking-call rules as data, one table per language family: canonical API pattern →
 * category, base severity and the recommended async alternative. Also the factories that give
 * call results a type (so `conn = sqlite3.connect(p); conn.execute(q)` is recognised), the
 * offload wrappers whose closures run off the event loop, and the handler hints.
 *
 * Canonical names: module path + member (`time.sleep`, `fs.readFileSync`, `std::fs::read`);
 * a method on an instance of a known type is `Type#method` (`sqlite3.Connection#execute`).
 * Python builtins have no module (`open`, `input`); JS `node:` prefixes are dropped and a
 * default import is the module itself. A pattern's `*` matches any run of characters; the first
 * matching rule wins, so specific rules come before broad ones.
 *
 * Synchronous third-party packages (PyPI, npm) live in the catalogue (`catalogue.ts`), one entry
 * per package with its source; their rules follow the standard library's here.
 *
 * Sources: the operation lists of issue 5 / SPEC section 9; flake8-async (ASYNC210-251) and
 * eslint-plugin-n `no-sync` for what counts as blocking; the asyncio, Node and tokio docs for
 * the alternatives.
 *
 * Decisions worth knowing:
 * - `logging` file handlers (`logging.FileHandler`, rotating handlers, `basicConfig`) created in
 *   async code are file I/O at most `low` (`cap`): logger calls themselves are never findings,
 *   since which handlers are attached is not visible statically.
 * - Metadata calls are findings at `low` (`medium` at most on a hot path), in every language:
 *   Python `os.path.exists`, `os.stat`, `Path.is_file` (ruff's ASYNC240; maintainers fix them),
 *   JS `existsSync` / `statSync`, Rust `std::fs::metadata`. Other JS `fs.*Sync` and Rust
 *   `std::fs::*` calls are findings in full; directory walks and mutations are `low`.
 * - Locking a `threading.Lock` / `RLock` is not a finding (short critical sections by design);
 *   waiting on an event, a thread, a queue, a future or a semaphore is.
 * - `os.sendfile` is not a finding: async code uses it on non-blocking sockets; socket method
 *   calls are not findings in a file that puts sockets in non-blocking mode (`setblocking(False)`).
 * - `queue.Queue.put` is not a finding (it only blocks on a bounded, full queue); `get` is.
 * - Methods on a file / socket object opened in the same function are covered by the `open` /
 *   `connect` finding (`via` restriction); when the object comes from an attribute or a
 *   parameter (`self._log.write(...)`), the method call itself is the finding.
 */
import { catalogueOf, type Registry } from './catalogue.ts';
import type { BlockingCategory, Severity } from './types.ts';
import { blockingFamily } from '../../languages/lookup.ts';

/** The built-in rule families; a language folder may bring its own (`BlockingSupport.rules`). */
export type BuiltinFamily = 'python' | 'js' | 'rust';
/** A rule family: a built-in one, or one a language descriptor brings (`csharp`). */
export type RuleFamily = BuiltinFamily | (string & {});

export interface BlockingRule {
  pattern: string;
  category: BlockingCategory;
  severity: Severity;
  /** The recommended async alternative, in that language's terms; `{async}` = the API name without `Sync`. */
  rec: string;
  /** Only a finding when the receiver came from an attribute or a parameter. */
  via?: boolean;
  /** Severity never rises above this (hot-path raises stop here). */
  cap?: Severity;
  /** A match that is explicitly not a finding (an exception to a broader rule below it). */
  ignore?: boolean;
  /** No finding when the call passes a callback (the API then runs asynchronously). */
  syncWithoutCallback?: boolean;
  /** The catalogue entry (package name) the rule comes from, for third-party libraries. */
  library?: string;
}

export interface LanguageRules {
  /** Separator of canonical names. */
  sep: string;
  rules: BlockingRule[];
  /** Canonical callee (or `Type#member`, `Type#*` for any member) → canonical type of the result. */
  factories: Record<string, string>;
  /** Methods on a receiver of unknown type that are unambiguous enough to be rules. */
  anyMethod: Record<string, string>;
  /**
   * Attributes of external types that are properties doing I/O when read (`git.Repo#active_branch`
   * reads `.git/HEAD`): a plain attribute read of one is a call, matched against `rules` as usual.
   */
  properties?: Record<string, true>;
}

type RuleOpts = Pick<BlockingRule, 'via' | 'cap' | 'ignore'>;

function rules(
  patterns: string[],
  category: BlockingCategory,
  severity: Severity,
  rec: string,
  opts: RuleOpts = {},
): BlockingRule[] {
  return patterns.map((pattern) => ({ pattern, category, severity, rec, ...opts }));
}

const each = (prefix: string, names: string[]): string[] => names.map((n) => prefix + n);

/** The rules of the catalogue's entries of one registry, in catalogue order. */
function catalogueRules(registry: Registry): BlockingRule[] {
  return catalogueOf(registry).flatMap((e) =>
    e.patterns.map((p) => {
      const o = typeof p === 'string' ? { pattern: p } : p;
      const rule: BlockingRule = { pattern: o.pattern, category: o.category ?? e.category, severity: o.severity ?? e.severity, rec: o.rec ?? e.alternative, library: e.library };
      if (o.cap) rule.cap = o.cap;
      if (o.ignore) rule.ignore = true;
      if (o.syncWithoutCallback) rule.syncWithoutCallback = true;
      return rule;
    }),
  );
}

/** The result types of the catalogue's entries of one registry. */
function catalogueFactories(registry: Registry): Record<string, string> {
  return Object.assign({}, ...catalogueOf(registry).map((e) => e.factories ?? {}));
}

/** The catalogue's I/O properties of one registry's types. */
function catalogueProperties(registry: Registry): Record<string, true> {
  return Object.fromEntries(catalogueOf(registry).flatMap((e) => (e.properties ?? []).map((p) => [p, true as const])));
}

/** The catalogue's method names that are unambiguous on a receiver of unknown type. */
function catalogueAnyMethod(registry: Registry): Record<string, string> {
  return Object.assign({}, ...catalogueOf(registry).map((e) => e.anyMethod ?? {}));
}

// ---------------------------------------------------------------- Python

const PY_FILE = 'use `aiofiles.open(...)` (`async with aiofiles.open(...) as f:`, then `await f.read()` or `await f.write(...)`) or move the file work into `await asyncio.to_thread(...)`';
/** A read: the fix reads (issue 12, review: a read's fix showed `await f.write(...)`). */
const PY_FILE_READ = 'read it in a thread with `await asyncio.to_thread(...)`, or with `aiofiles` (`async with aiofiles.open(...) as f: data = await f.read()`)';
const PY_FILE_WRITE = 'write it in a thread with `await asyncio.to_thread(...)`, or with `aiofiles` (`async with aiofiles.open(..., \'w\') as f: await f.write(...)`)';
const PY_FILE_METHOD = 'write through `aiofiles`, or hand the write to `await asyncio.to_thread(...)` / a `logging.handlers.QueueHandler`';
const PY_FS = 'run it in `await asyncio.to_thread(...)` (or use `aiofiles.os` / `anyio.Path`)';
const PY_SUBPROCESS = 'use `await asyncio.create_subprocess_exec(...)` and `await proc.communicate()`';
const PY_HTTP = 'use an async client (`httpx.AsyncClient`, `aiohttp.ClientSession`) with `await`, or `await asyncio.to_thread(...)`';
const PY_SOCKET = 'use `asyncio.open_connection(...)` streams or the `loop.sock_*` coroutines';
const PY_SQLITE = 'use `aiosqlite`, or run the query in `await asyncio.to_thread(...)`';
const PY_LOCK = 'use `asyncio.Lock` / `asyncio.Event` / `asyncio.Queue`, or wait in `await asyncio.to_thread(...)`';
const PY_CPU = 'run it in `await asyncio.to_thread(...)` or a process pool via `loop.run_in_executor(...)`';

const PYTHON: LanguageRules = {
  sep: '.',
  rules: [
    ...rules(['time.sleep'], 'sleep', 'high', 'use `await asyncio.sleep(...)`'),
    // file I/O
    ...rules(['open', 'io.open', 'codecs.open', 'gzip.open', 'bz2.open', 'lzma.open', 'tarfile.open', 'zipfile.ZipFile', 'os.fdopen'], 'file_io', 'medium', PY_FILE),
    ...rules(each('pathlib.Path#', ['open']), 'file_io', 'medium', PY_FILE),
    ...rules(each('pathlib.Path#', ['read_text', 'read_bytes']), 'file_io', 'medium', PY_FILE_READ),
    ...rules(each('pathlib.Path#', ['write_text', 'write_bytes', 'touch']), 'file_io', 'medium', PY_FILE_WRITE),
    ...rules(each('io.TextIOWrapper#', ['read', 'readline', 'readlines', 'write', 'writelines', 'flush', 'truncate']), 'file_io', 'medium', PY_FILE_METHOD, { via: true }),
    ...rules(['os.fsync'], 'file_io', 'medium', PY_FS),
    ...rules(each('shutil.', ['copy', 'copy2', 'copyfile', 'copytree', 'move', 'rmtree', 'make_archive', 'unpack_archive', 'copyfileobj']), 'file_io', 'medium', PY_FS),
    ...rules(['os.walk', 'os.listdir', 'os.scandir', 'glob.glob', 'glob.iglob', 'os.makedirs', 'os.mkdir', 'os.remove', 'os.unlink', 'os.rename', 'os.replace', 'os.rmdir', 'os.removedirs'], 'file_io', 'low', PY_FS),
    // temporary files and directories: created on disk, removed (a whole tree) on exit; Supervisor moved them off the loop (825ff415e, 606db3585)
    ...rules(['tempfile.NamedTemporaryFile', 'tempfile.TemporaryFile', 'tempfile.mkstemp'], 'file_io', 'medium', PY_FILE),
    ...rules(['tempfile.TemporaryDirectory', 'tempfile.mkdtemp'], 'file_io', 'low', PY_FS),
    ...rules(each('pathlib.Path#', ['iterdir', 'glob', 'rglob', 'mkdir', 'unlink', 'rmdir', 'rename', 'replace', 'walk']), 'file_io', 'low', PY_FS),
    // metadata: a stat() each, fast on a local disk but not on a network one; ruff's ASYNC240 and
    // maintainers' fixes treat them as blocking, so they are findings, `low` (a hot path: `medium`)
    ...rules(
      [
        ...each('os.path.', ['exists', 'lexists', 'isfile', 'isdir', 'islink', 'ismount', 'getsize', 'getmtime', 'getatime', 'getctime', 'samefile', 'realpath']),
        ...each('os.', ['stat', 'lstat', 'access', 'chmod', 'chown', 'utime']),
        ...each('pathlib.Path#', ['exists', 'is_file', 'is_dir', 'is_symlink', 'is_mount', 'stat', 'lstat', 'owner', 'group', 'samefile', 'chmod']),
        // path resolution asks the OS too (getcwd, lstat per component, the passwd database): ruff's ASYNC240 lists them
        ...each('os.path.', ['abspath', 'expanduser']),
        ...each('pathlib.Path#', ['resolve', 'absolute', 'expanduser']),
      ],
      'file_io',
      'low',
      PY_FS,
      { cap: 'medium' },
    ),
    ...rules(['logging.FileHandler', 'logging.handlers.RotatingFileHandler', 'logging.handlers.TimedRotatingFileHandler', 'logging.handlers.WatchedFileHandler', 'logging.basicConfig'], 'file_io', 'low', 'create file handlers at start-up, outside async code; log through a `logging.handlers.QueueHandler` so writes happen on a listener thread', { cap: 'low' }),
    // subprocess
    ...rules(each('subprocess.', ['run', 'call', 'check_call', 'check_output', 'getoutput', 'getstatusoutput', 'Popen']), 'subprocess', 'high', PY_SUBPROCESS),
    ...rules(each('subprocess.Popen#', ['wait', 'communicate']), 'subprocess', 'high', 'await an `asyncio.subprocess.Process` (`await proc.wait()` / `await proc.communicate()`) instead'),
    ...rules(['os.system', 'os.popen', 'os.spawn*', 'os.posix_spawn*', 'os.wait', 'os.waitpid', 'os.wait3', 'os.wait4', 'os.waitid'], 'subprocess', 'high', PY_SUBPROCESS),
    // network
    ...rules(['urllib.request.urlopen', 'urllib.request.urlretrieve', 'urllib.request.OpenerDirector#open'], 'network', 'high', PY_HTTP),
    ...rules([...each('http.client.HTTPConnection#', ['request', 'getresponse', 'connect']), ...each('http.client.HTTPSConnection#', ['request', 'getresponse', 'connect'])], 'network', 'high', PY_HTTP),
    ...rules(['socket.create_connection', ...each('socket.socket#', ['connect', 'accept', 'recv', 'recv_into', 'recvfrom', 'recvfrom_into', 'send', 'sendall', 'sendto', 'sendfile', 'makefile'])], 'network', 'high', PY_SOCKET),
    ...rules(['socket.getaddrinfo', 'socket.gethostbyname', 'socket.gethostbyname_ex', 'socket.gethostbyaddr', 'socket.getfqdn'], 'network', 'medium', 'use `await loop.getaddrinfo(...)`'),
    ...rules(['smtplib.SMTP', 'smtplib.SMTP_SSL', ...each('smtplib.SMTP#', ['sendmail', 'send_message', 'login', 'connect', 'starttls', 'ehlo', 'quit'])], 'network', 'high', 'use `aiosmtplib`, or send in `await asyncio.to_thread(...)`'),
    // database
    ...rules(['sqlite3.connect', ...each('sqlite3.Connection#', ['execute', 'executemany', 'executescript', 'commit', 'rollback', 'backup']), ...each('sqlite3.Cursor#', ['execute', 'executemany', 'executescript', 'fetchone', 'fetchmany', 'fetchall'])], 'database', 'medium', PY_SQLITE),
    // input
    ...rules(['input', 'getpass.getpass', 'sys.stdin.read', 'sys.stdin.readline', 'sys.stdin.readlines'], 'input', 'high', 'read stdin asynchronously (`loop.connect_read_pipe`, `aioconsole.ainput`) or in `await asyncio.to_thread(input, ...)`'),
    // locks and waits
    ...rules(
      [
        ...each('threading.Event#', ['wait']),
        ...each('threading.Condition#', ['wait', 'wait_for']),
        ...each('threading.Barrier#', ['wait']),
        ...each('threading.Thread#', ['join']),
        ...each('multiprocessing.Process#', ['join']),
        ...each('queue.Queue#', ['get', 'join']),
        ...each('multiprocessing.Queue#', ['get']),
        'concurrent.futures.Future#result',
        'concurrent.futures.Future#exception',
        'concurrent.futures.wait',
        'concurrent.futures.as_completed',
        // waiting for a pool's results: the work runs elsewhere, the wait runs on the loop
        ...each('concurrent.futures.ThreadPoolExecutor#', ['map', 'shutdown']),
        ...each('concurrent.futures.ProcessPoolExecutor#', ['map', 'shutdown']),
        ...each('multiprocessing.Pool#', ['map', 'starmap', 'apply', 'imap', 'imap_unordered', 'join']),
        ...each('multiprocessing.pool.ThreadPool#', ['map', 'starmap', 'apply', 'imap', 'imap_unordered', 'join']),
      ],
      'lock',
      'medium',
      PY_LOCK + ' (for a future: `await asyncio.wrap_future(fut)`)',
    ),
    // plain `threading.Lock` / `RLock` sections are short by design and not findings; a
    // semaphore limits concurrency, so waiting on it can take long
    ...rules([...each('threading.Semaphore#', ['acquire', '__enter__']), ...each('threading.BoundedSemaphore#', ['acquire', '__enter__'])], 'lock', 'low', PY_LOCK),
    // synchronous third-party libraries: the catalogue (catalogue.ts), after the standard library
    ...catalogueRules('pypi'),
    // CPU-bound
    ...rules(['hashlib.pbkdf2_hmac', 'hashlib.scrypt'], 'cpu', 'medium', PY_CPU),
  ],
  factories: {
    open: 'io.TextIOWrapper',
    'io.open': 'io.TextIOWrapper',
    'codecs.open': 'io.TextIOWrapper',
    'gzip.open': 'io.TextIOWrapper',
    'bz2.open': 'io.TextIOWrapper',
    'lzma.open': 'io.TextIOWrapper',
    'os.fdopen': 'io.TextIOWrapper',
    'pathlib.Path#open': 'io.TextIOWrapper',
    'pathlib.PosixPath': 'pathlib.Path',
    'pathlib.WindowsPath': 'pathlib.Path',
    'pathlib.Path.home': 'pathlib.Path',
    'pathlib.Path.cwd': 'pathlib.Path',
    ...Object.fromEntries(['parent', 'with_name', 'with_suffix', 'with_stem', 'joinpath', 'resolve', 'absolute', 'expanduser', 'relative_to', '/'].map((m) => [`pathlib.Path#${m}`, 'pathlib.Path'])),
    'sqlite3.connect': 'sqlite3.Connection',
    'sqlite3.dbapi2.connect': 'sqlite3.Connection',
    'sqlite3.Connection#cursor': 'sqlite3.Cursor',
    'sqlite3.Connection#execute': 'sqlite3.Cursor',
    'sqlite3.Connection#executemany': 'sqlite3.Cursor',
    'sqlite3.Cursor#execute': 'sqlite3.Cursor',
    'socket.socket': 'socket.socket',
    'socket.create_connection': 'socket.socket',
    'socket.fromfd': 'socket.socket',
    'concurrent.futures.ThreadPoolExecutor#submit': 'concurrent.futures.Future',
    'concurrent.futures.ProcessPoolExecutor#submit': 'concurrent.futures.Future',
    'asyncio.run_coroutine_threadsafe': 'concurrent.futures.Future',
    'urllib.request.build_opener': 'urllib.request.OpenerDirector',
    'multiprocessing.Queue': 'multiprocessing.Queue',
    'multiprocessing.Pool': 'multiprocessing.Pool',
    'multiprocessing.pool.Pool': 'multiprocessing.Pool',
    'multiprocessing.pool.ThreadPool': 'multiprocessing.pool.ThreadPool',
    ...catalogueFactories('pypi'),
  },
  properties: catalogueProperties('pypi'),
  anyMethod: {
    ...catalogueAnyMethod('pypi'),
    // pathlib-only names: on a receiver of unknown type they are still a path's file I/O
    read_text: 'pathlib.Path#read_text',
    write_text: 'pathlib.Path#write_text',
    read_bytes: 'pathlib.Path#read_bytes',
    write_bytes: 'pathlib.Path#write_bytes',
  },
};

// ---------------------------------------------------------------- JS / TS

const JS_FS = 'use the promise API (`await fs.promises.{async}(...)` from `node:fs/promises`)';
const JS_CP = 'use `execFile` / `spawn` with a callback or `await util.promisify(execFile)(...)`';
const JS_SQLITE = 'move the synchronous SQLite work to a `worker_threads` worker, or use an async driver';
const JS_FS_FAMILIES = ['fs'];

const JS: LanguageRules = {
  sep: '.',
  rules: [
    ...rules(JS_FS_FAMILIES.flatMap((f) => each(`${f}.`, ['existsSync', 'statSync', 'lstatSync', 'accessSync', 'realpathSync', 'fstatSync'])), 'file_io', 'low', JS_FS, { cap: 'medium' }),
    ...rules(JS_FS_FAMILIES.flatMap((f) => each(`${f}.`, ['readdirSync', 'mkdirSync', 'mkdtempSync', 'rmSync', 'rmdirSync', 'unlinkSync', 'renameSync', 'chmodSync', 'chownSync', 'utimesSync', 'symlinkSync', 'linkSync', 'opendirSync', 'ensureDirSync', 'mkdirpSync', 'removeSync', 'emptyDirSync', 'pathExistsSync'])), 'file_io', 'low', JS_FS),
    ...rules(JS_FS_FAMILIES.map((f) => `${f}.*Sync`), 'file_io', 'medium', JS_FS),
    ...rules(['child_process.execSync', 'child_process.execFileSync', 'child_process.spawnSync'], 'subprocess', 'high', JS_CP),
    ...rules(['zlib.*Sync'], 'cpu', 'medium', 'use the callback / promisified form (`await util.promisify(zlib.gzip)(buf)`), which runs on the libuv thread pool'),
    ...rules(['crypto.*Sync'], 'cpu', 'medium', 'use the async form (`crypto.pbkdf2`, `crypto.scrypt`, `crypto.generateKeyPair` with a callback or promisified), which runs on the libuv thread pool'),
    ...rules(['Atomics.wait'], 'lock', 'high', 'use `await Atomics.waitAsync(...).value`'),
    ...rules(['sqlite.DatabaseSync', ...each('sqlite.DatabaseSync#', ['exec', 'open']), ...each('sqlite.StatementSync#', ['run', 'get', 'all', 'iterate'])], 'database', 'medium', JS_SQLITE),
    // synchronous npm packages: the catalogue (catalogue.ts)
    ...catalogueRules('npm'),
  ],
  factories: {
    ...catalogueFactories('npm'),
    'sqlite.DatabaseSync': 'sqlite.DatabaseSync',
    'sqlite.DatabaseSync#prepare': 'sqlite.StatementSync',
  },
  anyMethod: Object.fromEntries([
    ...['readFileSync', 'writeFileSync', 'appendFileSync', 'copyFileSync', 'readdirSync', 'mkdirSync', 'rmSync'].map((m) => [m, `fs.${m}`]),
    ...['execSync', 'execFileSync', 'spawnSync'].map((m) => [m, `child_process.${m}`]),
    ...['pbkdf2Sync', 'scryptSync'].map((m) => [m, `crypto.${m}`]),
    ...['gzipSync', 'gunzipSync', 'inflateSync', 'deflateSync', 'brotliCompressSync', 'brotliDecompressSync'].map((m) => [m, `zlib.${m}`]),
  ]),
};

// ---------------------------------------------------------------- Rust

const RS_FS = 'use `tokio::fs` (`tokio::fs::read_to_string(p).await`) or wrap the work in `tokio::task::spawn_blocking`';
const RS_NET = 'use `tokio::net` types, or `tokio::task::spawn_blocking`';
const RS_HTTP = 'use the async `reqwest::Client` and `.send().await`';
const RS_CMD = 'use `tokio::process::Command` and `.output().await`';
const RS_DB = 'run the query in `tokio::task::spawn_blocking` or use an async driver (`tokio-rusqlite`, `tokio-postgres`, `sqlx`)';

const RUST: LanguageRules = {
  sep: '::',
  rules: [
    ...rules(['std::thread::sleep'], 'sleep', 'high', 'use `tokio::time::sleep(d).await`'),
    ...rules(each('std::fs::File#', ['read_to_string', 'read_to_end', 'read', 'read_exact', 'write', 'write_all', 'flush', 'sync_all', 'sync_data', 'set_len']), 'file_io', 'medium', RS_FS, { via: true }),
    ...rules(['std::fs::metadata', 'std::fs::symlink_metadata', 'std::fs::canonicalize', 'std::fs::File#metadata'], 'file_io', 'low', RS_FS, { cap: 'medium' }),
    ...rules(['std::fs::read_dir', 'std::fs::create_dir', 'std::fs::create_dir_all', 'std::fs::remove_file', 'std::fs::remove_dir', 'std::fs::remove_dir_all', 'std::fs::rename'], 'file_io', 'low', RS_FS),
    // building open options does no I/O; `open` does
    ...rules(['std::fs::OpenOptions::new', ...each('std::fs::OpenOptions#', ['read', 'write', 'append', 'create', 'truncate', 'create_new', 'mode', 'custom_flags'])], 'file_io', 'low', RS_FS, { ignore: true }),
    ...rules(['std::fs::*'], 'file_io', 'medium', RS_FS),
    ...rules(['reqwest::blocking::RequestBuilder#send', 'reqwest::blocking::Client#execute'], 'network', 'high', RS_HTTP),
    // building a client or a request does no I/O; `send` / `execute` / the module functions do
    ...rules(['reqwest::blocking::RequestBuilder#*', 'reqwest::blocking::Client#*', 'reqwest::blocking::ClientBuilder#*', 'reqwest::blocking::Client::*', 'reqwest::blocking::ClientBuilder::*', 'reqwest::blocking::Response#*'], 'network', 'low', RS_HTTP, { ignore: true }),
    ...rules(['reqwest::blocking::*'], 'network', 'high', RS_HTTP),
    ...rules(['ureq::Request#call', 'ureq::Request#send_string', 'ureq::Request#send_json', 'ureq::Request#send_bytes'], 'network', 'high', RS_HTTP),
    ...rules(['std::net::TcpStream::connect', 'std::net::TcpStream::connect_timeout', ...each('std::net::TcpListener#', ['accept', 'incoming']), ...each('std::net::UdpSocket#', ['recv', 'recv_from', 'send', 'send_to'])], 'network', 'high', RS_NET),
    ...rules(each('std::net::TcpStream#', ['read', 'read_exact', 'read_to_end', 'read_to_string', 'write', 'write_all', 'flush']), 'network', 'high', RS_NET, { via: true }),
    ...rules(['std::net::TcpListener::bind', 'std::net::UdpSocket::bind'], 'network', 'medium', RS_NET),
    ...rules([...each('std::process::Command#', ['output', 'status']), ...each('std::process::Child#', ['wait', 'wait_with_output'])], 'subprocess', 'high', RS_CMD),
    ...rules(each('std::io::Stdin#', ['read_line', 'read_to_string', 'read_to_end', 'lines']), 'input', 'high', 'read with `tokio::io::stdin()` and `AsyncBufReadExt`'),
    ...rules(['std::thread::JoinHandle#join'], 'lock', 'medium', 'await a `tokio::task::JoinHandle`, or join in `spawn_blocking`'),
    ...rules(['rusqlite::Connection::open', 'rusqlite::Connection::open_in_memory', ...each('rusqlite::Connection#', ['execute', 'execute_batch', 'query_row', 'prepare', 'backup'])], 'database', 'medium', RS_DB),
    ...rules(['postgres::Client::connect', ...each('postgres::Client#', ['query', 'query_one', 'query_opt', 'execute', 'batch_execute', 'transaction'])], 'database', 'high', RS_DB),
  ],
  factories: {
    'std::fs::File::open': 'std::fs::File',
    'std::fs::File::create': 'std::fs::File',
    'std::fs::File::create_new': 'std::fs::File',
    'std::fs::OpenOptions::new': 'std::fs::OpenOptions',
    ...Object.fromEntries(['read', 'write', 'append', 'create', 'truncate', 'create_new'].map((m) => [`std::fs::OpenOptions#${m}`, 'std::fs::OpenOptions'])),
    'std::fs::OpenOptions#open': 'std::fs::File',
    'std::process::Command::new': 'std::process::Command',
    ...Object.fromEntries(['arg', 'args', 'env', 'envs', 'env_remove', 'env_clear', 'current_dir', 'stdin', 'stdout', 'stderr'].map((m) => [`std::process::Command#${m}`, 'std::process::Command'])),
    'std::process::Command#spawn': 'std::process::Child',
    'std::io::stdin': 'std::io::Stdin',
    'std::thread::spawn': 'std::thread::JoinHandle',
    'std::net::TcpStream::connect': 'std::net::TcpStream',
    'std::net::TcpListener::bind': 'std::net::TcpListener',
    'std::net::UdpSocket::bind': 'std::net::UdpSocket',
    'reqwest::blocking::Client::new': 'reqwest::blocking::Client',
    'reqwest::blocking::Client::builder': 'reqwest::blocking::ClientBuilder',
    'reqwest::blocking::ClientBuilder#build': 'reqwest::blocking::Client',
    ...Object.fromEntries(['get', 'post', 'put', 'delete', 'patch', 'head', 'request'].map((m) => [`reqwest::blocking::Client#${m}`, 'reqwest::blocking::RequestBuilder'])),
    ...Object.fromEntries(['header', 'headers', 'json', 'body', 'query', 'form', 'timeout', 'bearer_auth', 'basic_auth', 'multipart'].map((m) => [`reqwest::blocking::RequestBuilder#${m}`, 'reqwest::blocking::RequestBuilder'])),
    'rusqlite::Connection::open': 'rusqlite::Connection',
    'rusqlite::Connection::open_in_memory': 'rusqlite::Connection',
    'postgres::Client::connect': 'postgres::Client',
    ...Object.fromEntries(['get', 'post', 'put', 'delete', 'patch', 'head', 'request'].map((m) => [`ureq::${m}`, 'ureq::Request'])),
    ...Object.fromEntries(['set', 'query', 'timeout'].map((m) => [`ureq::Request#${m}`, 'ureq::Request'])),
  },
  anyMethod: {},
};

export const RULES: Record<BuiltinFamily, LanguageRules> = { python: PYTHON, js: JS, rust: RUST };

const NO_RULES: LanguageRules = { sep: '.', rules: [], factories: {}, anyMethod: {} };

/** The rule table of a family: built in, or the one its language descriptor brings (empty when neither). */
export function rulesOf(family: RuleFamily): LanguageRules {
  return Object.hasOwn(RULES, family) ? RULES[family as BuiltinFamily] : (blockingFamily(family)?.rules ?? NO_RULES);
}

/**
 * Callee names (last segment) whose function arguments run off the event loop: a lambda /
 * closure passed to them is offloaded. `run_sync` counts only under a `to_thread` receiver
 * (`anyio.to_thread.run_sync`, `trio.to_thread.run_sync`; `from_thread.run_sync` is the opposite).
 */
export const OFFLOAD_CALLEES: Record<BuiltinFamily, Set<string>> = {
  python: new Set(['to_thread', 'run_in_executor', 'run_in_threadpool', 'sync_to_async', 'deferToThread', 'asyncify', 'submit', 'Thread', 'Process', 'Timer', 'run_sync']),
  js: new Set([]),
  rust: new Set(['spawn_blocking', 'block_in_place', 'spawn', 'scope']),
};

/**
 * Callees whose closure arguments run when a file descriptor is ready (`loop.add_reader`), where
 * socket and pipe operations do not block; treated like offloaded code.
 */
const READY_CALLBACKS = /(^|\.)(add_reader|add_writer)$/;
/** Callee names of project-specific offload helpers (`run_in_thread`, `run_blocking`, `in_executor`). */
const OFFLOAD_NAME = /(^|[._])(to_thread|in_thread|in_executor|run_in_executor|threadpool|run_blocking|blocking_call|offload)/i;

/** Whether a call with this callee text offloads its closure arguments. */
export function isOffloadCall(family: RuleFamily, calleeText: string): boolean {
  const last = calleeText.slice(Math.max(calleeText.lastIndexOf('.'), calleeText.lastIndexOf(':')) + 1);
  if (family === 'python' && (READY_CALLBACKS.test(calleeText) || OFFLOAD_NAME.test(last))) return true;
  if (!Object.hasOwn(OFFLOAD_CALLEES, family) || !OFFLOAD_CALLEES[family as BuiltinFamily].has(last)) return false;
  if (family === 'python' && last === 'run_sync') return /to_thread/.test(calleeText);
  // Rust `spawn` is offloading only for OS threads / rayon (`tokio::spawn` runs on the runtime).
  if (family === 'rust' && (last === 'spawn' || last === 'scope')) return /(^|::)(thread|rayon)(::|$)|Builder/.test(calleeText);
  return true;
}

/** Decorators marking a Python async function as a request / event handler (hot path). */
export const PY_HANDLER_DECORATOR = /(^|\.)(get|post|put|patch|delete|head|options|route|api_route|websocket|on_event|on|event|command|listener|handler|message_handler|callback_query_handler|exception_handler|middleware|subscribe|consumer|task|receiver)\b/;
/** Names that look like handlers in any language. */
export const HANDLER_NAME = /^(handle|handler|lambda_handler)$|^(handle|on)_|_handler$|^handle[A-Z]|^on[A-Z]|Handler$|^dispatch/;
/** TS method decorators of request / event handlers (NestJS, routing-controllers, TypeORM listeners). */
export const TS_HANDLER_DECORATOR = /^(Get|Post|Put|Patch|Delete|All|Head|Options|MessagePattern|EventPattern|SubscribeMessage|OnEvent|Cron|Interval|Process|Query|Mutation|Subscription)\b/;
/** JS calls whose function argument is a request / event handler (`app.get('/', async (req, res) => …)`). */
export const JS_HANDLER_CALLEE = /(^|\.)(get|post|put|patch|delete|del|all|use|route|on|once|handle|addListener|addEventListener|subscribe|listen|createServer|handler|register|command|action)$/;
/**
 * Calls whose callback argument the event loop runs later, on its own: event listeners, promise
 * reactions, timers and HTTP route registrations. A synchronous callback given to them is an
 * entry point of the blocking analysis (a callback to `forEach` runs inside its caller instead).
 */
/**
 * Calls that run a generator function as a coroutine on the event loop, `yield` standing for
 * `await`: `co(function* …)`, `co.wrap`, Bluebird's `Promise.coroutine` (serve before f12e88853),
 * and Koa 1 middleware (`app.use(function* …)`). Such a generator is an entry point like an
 * async function; any other generator is a plain function.
 */
export const JS_COROUTINE_RUNNER = /^(?:co|(?:co|\w+)\.wrap|(?:\w+\.)?coroutine|(?:\w+\.)?use)$/;
export const JS_LOOP_CALLBACK = /(^|\.)(on|once|addListener|prependListener|prependOnceListener|addEventListener|then|catch|finally|setTimeout|setInterval|setImmediate|nextTick|queueMicrotask|createServer|get|post|put|patch|delete|all|use)$/;

/** Compiled rule matching with a per-name memo: exact patterns by map, wildcard patterns in order. */
export class RuleMatcher {
  private readonly memo = new Map<string, BlockingRule | null>();
  private readonly compiled: { rule: BlockingRule; exact: string | null; re: RegExp | null }[];

  constructor(readonly table: LanguageRules) {
    this.compiled = table.rules.map((rule) =>
      rule.pattern.includes('*')
        ? { rule, exact: null, re: new RegExp(`^${rule.pattern.split('*').map(escapeRe).join('.*')}$`) }
        : { rule, exact: rule.pattern, re: null },
    );
  }

  /** The first rule matching a canonical name, or null (an `ignore` rule also yields null). */
  match(canonical: string): BlockingRule | null {
    let hit = this.memo.get(canonical);
    if (hit === undefined) {
      hit = null;
      for (const c of this.compiled) {
        if (c.exact !== null ? c.exact === canonical : c.re!.test(canonical)) {
          hit = c.rule;
          break;
        }
      }
      this.memo.set(canonical, hit);
    }
    return hit && !hit.ignore ? hit : null;
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
