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
}

export interface LanguageRules {
  /** Separator of canonical names. */
  sep: string;
  rules: BlockingRule[];
  /** Canonical callee (or `Type#member`, `Type#*` for any member) → canonical type of the result. */
  factories: Record<string, string>;
  /** Methods on a receiver of unknown type that are unambiguous enough to be rules. */
  anyMethod: Record<string, string>;
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

// ---------------------------------------------------------------- Python

const PY_HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'];
const PY_FILE = 'use `aiofiles.open(...)` (`async with aiofiles.open(...) as f: await f.write(...)`) or move the file work into `await asyncio.to_thread(...)`';
const PY_FILE_METHOD = 'write through `aiofiles`, or hand the write to `await asyncio.to_thread(...)` / a `logging.handlers.QueueHandler`';
const PY_FS = 'run it in `await asyncio.to_thread(...)` (or use `aiofiles.os` / `anyio.Path`)';
const PY_SUBPROCESS = 'use `await asyncio.create_subprocess_exec(...)` and `await proc.communicate()`';
const PY_HTTP = 'use an async client (`httpx.AsyncClient`, `aiohttp.ClientSession`) with `await`, or `await asyncio.to_thread(...)`';
const PY_SOCKET = 'use `asyncio.open_connection(...)` streams or the `loop.sock_*` coroutines';
const PY_SQLITE = 'use `aiosqlite`, or run the query in `await asyncio.to_thread(...)`';
const PY_DB = 'use the async driver (`asyncpg`, `psycopg` async connection, `aiomysql`, `redis.asyncio`), or `await asyncio.to_thread(...)`';
const PY_LOCK = 'use `asyncio.Lock` / `asyncio.Event` / `asyncio.Queue`, or wait in `await asyncio.to_thread(...)`';
const PY_CPU = 'run it in `await asyncio.to_thread(...)` or a process pool via `loop.run_in_executor(...)`';

const PYTHON: LanguageRules = {
  sep: '.',
  rules: [
    ...rules(['time.sleep'], 'sleep', 'high', 'use `await asyncio.sleep(...)`'),
    // file I/O
    ...rules(['open', 'io.open', 'codecs.open', 'gzip.open', 'bz2.open', 'lzma.open', 'tarfile.open', 'zipfile.ZipFile', 'os.fdopen'], 'file_io', 'medium', PY_FILE),
    ...rules(each('pathlib.Path#', ['open', 'read_text', 'read_bytes', 'write_text', 'write_bytes', 'touch']), 'file_io', 'medium', PY_FILE),
    ...rules(each('io.TextIOWrapper#', ['read', 'readline', 'readlines', 'write', 'writelines', 'flush', 'truncate']), 'file_io', 'medium', PY_FILE_METHOD, { via: true }),
    ...rules(['os.fsync'], 'file_io', 'medium', PY_FS),
    ...rules(each('shutil.', ['copy', 'copy2', 'copyfile', 'copytree', 'move', 'rmtree', 'make_archive', 'unpack_archive', 'copyfileobj']), 'file_io', 'medium', PY_FS),
    ...rules(each('pandas.', ['read_csv', 'read_json', 'read_parquet', 'read_excel', 'read_table', 'read_pickle', 'read_feather', 'read_sql']), 'file_io', 'medium', PY_FS),
    ...rules(['os.walk', 'os.listdir', 'os.scandir', 'glob.glob', 'glob.iglob', 'os.makedirs', 'os.mkdir', 'os.remove', 'os.unlink', 'os.rename', 'os.replace', 'os.rmdir', 'os.removedirs'], 'file_io', 'low', PY_FS),
    ...rules(each('pathlib.Path#', ['iterdir', 'glob', 'rglob', 'mkdir', 'unlink', 'rmdir', 'rename', 'replace', 'walk']), 'file_io', 'low', PY_FS),
    // metadata: a stat() each, fast on a local disk but not on a network one; ruff's ASYNC240 and
    // maintainers' fixes treat them as blocking, so they are findings, `low` (a hot path: `medium`)
    ...rules(
      [
        ...each('os.path.', ['exists', 'lexists', 'isfile', 'isdir', 'islink', 'ismount', 'getsize', 'getmtime', 'getatime', 'getctime', 'samefile', 'realpath']),
        ...each('os.', ['stat', 'lstat', 'access', 'chmod', 'chown', 'utime']),
        ...each('pathlib.Path#', ['exists', 'is_file', 'is_dir', 'is_symlink', 'is_mount', 'stat', 'lstat', 'owner', 'group', 'samefile', 'chmod']),
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
    ...rules(each('requests.', PY_HTTP_VERBS), 'network', 'high', PY_HTTP),
    ...rules(each('requests.Session#', [...PY_HTTP_VERBS, 'send']), 'network', 'high', PY_HTTP),
    ...rules(each('httpx.', [...PY_HTTP_VERBS, 'stream']), 'network', 'high', 'use `httpx.AsyncClient` (`async with httpx.AsyncClient() as c: await c.get(...)`)'),
    ...rules(each('httpx.Client#', [...PY_HTTP_VERBS, 'send', 'stream']), 'network', 'high', 'use `httpx.AsyncClient` and `await` its methods'),
    ...rules(['urllib.request.urlopen', 'urllib.request.urlretrieve', 'urllib.request.OpenerDirector#open', 'urllib3.request'], 'network', 'high', PY_HTTP),
    ...rules(each('urllib3.PoolManager#', ['request', 'urlopen', 'request_encode_url', 'request_encode_body']), 'network', 'high', PY_HTTP),
    ...rules([...each('http.client.HTTPConnection#', ['request', 'getresponse', 'connect']), ...each('http.client.HTTPSConnection#', ['request', 'getresponse', 'connect'])], 'network', 'high', PY_HTTP),
    ...rules(['socket.create_connection', ...each('socket.socket#', ['connect', 'accept', 'recv', 'recv_into', 'recvfrom', 'recvfrom_into', 'send', 'sendall', 'sendto', 'sendfile', 'makefile'])], 'network', 'high', PY_SOCKET),
    ...rules(['socket.getaddrinfo', 'socket.gethostbyname', 'socket.gethostbyname_ex', 'socket.gethostbyaddr', 'socket.getfqdn'], 'network', 'medium', 'use `await loop.getaddrinfo(...)`'),
    ...rules(['smtplib.SMTP', 'smtplib.SMTP_SSL', ...each('smtplib.SMTP#', ['sendmail', 'send_message', 'login', 'connect', 'starttls', 'ehlo', 'quit'])], 'network', 'high', 'use `aiosmtplib`, or send in `await asyncio.to_thread(...)`'),
    ...rules(['websocket.create_connection'], 'network', 'high', 'use an async websocket client (`websockets`, `aiohttp`)'),
    // database
    ...rules(['sqlite3.connect', ...each('sqlite3.Connection#', ['execute', 'executemany', 'executescript', 'commit', 'rollback', 'backup']), ...each('sqlite3.Cursor#', ['execute', 'executemany', 'executescript', 'fetchone', 'fetchmany', 'fetchall'])], 'database', 'medium', PY_SQLITE),
    ...rules(['psycopg2.connect', 'psycopg.connect', 'pymysql.connect', 'MySQLdb.connect', 'mysql.connector.connect'], 'database', 'high', PY_DB),
    ...rules(
      [
        ...each('psycopg2.connection#', ['commit', 'rollback']),
        ...each('psycopg2.cursor#', ['execute', 'executemany', 'fetchone', 'fetchmany', 'fetchall', 'callproc', 'copy_from', 'copy_to', 'copy_expert']),
        ...each('psycopg.Connection#', ['execute', 'commit', 'rollback']),
        ...each('psycopg.Cursor#', ['execute', 'executemany', 'fetchone', 'fetchmany', 'fetchall']),
        ...each('pymysql.Connection#', ['commit', 'rollback', 'query']),
        ...each('pymysql.Cursor#', ['execute', 'executemany', 'fetchone', 'fetchmany', 'fetchall']),
      ],
      'database',
      'high',
      PY_DB,
    ),
    ...rules(['redis.Redis#pipeline', 'redis.Redis#pubsub', 'redis.Redis#lock', 'redis.Redis#register_script'], 'database', 'low', PY_DB, { ignore: true }),
    ...rules(['redis.Redis#*'], 'database', 'medium', 'use `redis.asyncio.Redis` and `await` its commands'),
    ...rules(['pymongo.collection.Collection#*'], 'database', 'high', 'use `motor` (`AsyncIOMotorClient`) or PyMongo\'s `AsyncMongoClient` and `await` the operations', {}),
    ...rules(['boto3.client#get_paginator', 'boto3.client#get_waiter', 'boto3.client#can_paginate', 'boto3.client#close'], 'network', 'low', '', { ignore: true }),
    ...rules(['boto3.client#*'], 'network', 'high', 'use `aioboto3` / `aiobotocore`, or `await asyncio.to_thread(...)`'),
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
    // Synchronous third-party libraries (issue 13): each group names its async alternative; the
    // source says why it blocks (the library's docs: a synchronous call that waits on a
    // subprocess, a socket or the disk).
    // GitPython: every repository operation runs `git` in a subprocess or reads the object store
    // (gitpython.readthedocs.io, "GitPython is not suited for long-running processes"; its `Git`
    // command wrapper calls `subprocess.Popen` and waits).
    ...rules(['git.Repo#close', 'git.Repo#remote'], 'subprocess', 'low', '', { ignore: true }),
    ...rules(['git.Repo.clone_from', 'git.Remote#fetch', 'git.Remote#pull', 'git.Remote#push', 'git.cmd.Git#fetch', 'git.cmd.Git#pull', 'git.cmd.Git#push', 'git.cmd.Git#clone', 'git.cmd.Git#ls_remote'], 'network', 'high', 'run it in `await asyncio.to_thread(...)`, or call `git` through `await asyncio.create_subprocess_exec(\'git\', ...)`'),
    ...rules(['git.cmd.Git#*', 'git.Repo#*', 'git.Repo.init', 'git.Git#*'], 'subprocess', 'medium', 'run the GitPython work in `await asyncio.to_thread(...)`, or call `git` through `await asyncio.create_subprocess_exec(\'git\', ...)`'),
    // pygit2 (libgit2 bindings): synchronous C calls holding the GIL-free but loop-blocking thread (pygit2.org docs)
    ...rules(['pygit2.clone_repository', 'pygit2.Remote#fetch', 'pygit2.Remote#push'], 'network', 'high', 'run it in `await asyncio.to_thread(...)`'),
    ...rules(['pygit2.Repository', 'pygit2.init_repository', 'pygit2.discover_repository', ...each('pygit2.Repository#', ['status', 'checkout', 'create_commit', 'walk', 'diff', 'merge', 'reset', 'stash', 'apply'])], 'file_io', 'medium', 'run it in `await asyncio.to_thread(...)`'),
    // paramiko (SSH/SFTP): blocking sockets by design (paramiko.org docs: "a blocking API"); asyncssh is the asyncio alternative
    ...rules([...each('paramiko.SSHClient#', ['connect', 'exec_command', 'open_sftp', 'invoke_shell']), 'paramiko.Transport', ...each('paramiko.Transport#', ['connect', 'open_session', 'start_client']), 'paramiko.SFTPClient.from_transport', 'paramiko.SFTPClient#*', 'paramiko.Channel#recv', 'paramiko.Channel#recv_exit_status', 'paramiko.Channel#sendall', 'paramiko.ChannelFile#read'], 'network', 'high', 'use `asyncssh` (`async with asyncssh.connect(...)`), or run the SSH work in `await asyncio.to_thread(...)`'),
    // stdlib FTP / IMAP / POP3 / telnet clients: blocking sockets (Python docs); aioftp, aioimaplib
    ...rules(['ftplib.FTP', 'ftplib.FTP_TLS', 'ftplib.FTP#*', 'imaplib.IMAP4', 'imaplib.IMAP4_SSL', 'imaplib.IMAP4#*', 'poplib.POP3', 'poplib.POP3_SSL', 'poplib.POP3#*'], 'network', 'high', 'use an asyncio client (`aioftp`, `aioimaplib`), or run it in `await asyncio.to_thread(...)`'),
    // Docker SDK (docker-py): synchronous HTTP over the Docker socket (docker-py docs); aiodocker is the asyncio client
    ...rules(['docker.DockerClient#close'], 'network', 'low', '', { ignore: true }),
    // a client made with the default `version="auto"` asks the daemon for its API version at once
    ...rules(['docker.from_env', 'docker.DockerClient', 'docker.APIClient'], 'network', 'medium', 'create the Docker client once at start-up (or in `await asyncio.to_thread(docker.from_env)`), or use `aiodocker`'),
    ...rules(['docker.DockerClient#*', 'docker.APIClient#*', 'docker.Collection#*', 'docker.Model#*'], 'network', 'high', 'use `aiodocker`, or run the Docker SDK call in `await asyncio.to_thread(...)`'),
    // Kafka / RabbitMQ / Elasticsearch / Google Cloud Storage clients: synchronous network calls (their docs name the async client)
    ...rules([...each('kafka.KafkaProducer#', ['send', 'flush', 'close']), ...each('kafka.KafkaConsumer#', ['poll', 'commit', '__next__']), ...each('confluent_kafka.Producer#', ['flush', 'poll']), ...each('confluent_kafka.Consumer#', ['poll', 'consume', 'commit'])], 'network', 'high', 'use `aiokafka`, or run it in `await asyncio.to_thread(...)`'),
    ...rules(['pika.BlockingConnection', 'pika.BlockingConnection#*', 'pika.adapters.blocking_connection.BlockingChannel#*'], 'network', 'high', 'use `aio-pika`, or run it in `await asyncio.to_thread(...)`'),
    ...rules(['elasticsearch.Elasticsearch#*'], 'network', 'high', 'use `elasticsearch.AsyncElasticsearch` and `await` its methods'),
    ...rules([...each('google.cloud.storage.Blob#', ['upload_from_filename', 'upload_from_string', 'upload_from_file', 'download_to_filename', 'download_as_bytes', 'download_as_text', 'download_to_file', 'exists', 'delete', 'reload']), ...each('google.cloud.storage.Client#', ['list_blobs', 'get_bucket', 'create_bucket', 'list_buckets'])], 'network', 'high', 'use `gcloud-aio-storage`, or run it in `await asyncio.to_thread(...)`'),
    ...rules([...each('httplib2.Http#', ['request']), 'pycurl.Curl#perform'], 'network', 'high', PY_HTTP),
    // processes through wrappers (pexpect, sh, pypandoc call a subprocess and wait)
    ...rules(['pexpect.run', 'pexpect.spawn', 'pexpect.spawn#expect', 'pypandoc.convert_file', 'pypandoc.convert_text', 'pdfkit.from_url', 'pdfkit.from_file', 'pdfkit.from_string'], 'subprocess', 'high', PY_SUBPROCESS + ', or run the conversion in `await asyncio.to_thread(...)`'),
    // images and documents: file I/O plus CPU-heavy decoding (Pillow, python-docx, openpyxl, pypdf, PyMuPDF docs)
    ...rules(['PIL.Image.open', 'PIL.Image.Image#save', 'docx.Document', 'docx.document.Document#save', 'openpyxl.load_workbook', 'openpyxl.Workbook#save', 'pypdf.PdfReader', 'pypdf.PdfWriter#write', 'PyPDF2.PdfReader', 'PyPDF2.PdfFileReader', 'fitz.open', 'pymupdf.open', 'cv2.imread', 'cv2.imwrite', 'cv2.VideoCapture', 'soundfile.read', 'soundfile.write'], 'file_io', 'medium', 'run the decoding and file work in `await asyncio.to_thread(...)`'),
    ...rules([...each('PIL.Image.Image#', ['thumbnail', 'resize', 'convert', 'rotate', 'transpose', 'filter']), 'weasyprint.HTML#write_pdf', 'reportlab.pdfgen.canvas.Canvas#save'], 'cpu', 'medium', PY_CPU),
    // CPU-bound
    ...rules(['hashlib.pbkdf2_hmac', 'hashlib.scrypt', 'bcrypt.hashpw', 'bcrypt.checkpw', 'bcrypt.kdf', 'argon2.PasswordHasher#hash', 'argon2.PasswordHasher#verify'], 'cpu', 'medium', PY_CPU),
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
    'requests.session': 'requests.Session',
    'requests.sessions.Session': 'requests.Session',
    'sqlite3.connect': 'sqlite3.Connection',
    'sqlite3.dbapi2.connect': 'sqlite3.Connection',
    'sqlite3.Connection#cursor': 'sqlite3.Cursor',
    'sqlite3.Connection#execute': 'sqlite3.Cursor',
    'sqlite3.Connection#executemany': 'sqlite3.Cursor',
    'sqlite3.Cursor#execute': 'sqlite3.Cursor',
    'psycopg2.connect': 'psycopg2.connection',
    'psycopg2.connection#cursor': 'psycopg2.cursor',
    'psycopg.connect': 'psycopg.Connection',
    'psycopg.Connection.connect': 'psycopg.Connection',
    'psycopg.Connection#cursor': 'psycopg.Cursor',
    'psycopg.Connection#execute': 'psycopg.Cursor',
    'pymysql.connect': 'pymysql.Connection',
    'MySQLdb.connect': 'pymysql.Connection',
    'mysql.connector.connect': 'pymysql.Connection',
    'pymysql.Connection#cursor': 'pymysql.Cursor',
    'redis.StrictRedis': 'redis.Redis',
    'redis.from_url': 'redis.Redis',
    'redis.Redis.from_url': 'redis.Redis',
    'redis.client.Redis': 'redis.Redis',
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
    'boto3.client': 'boto3.client',
    'boto3.session.Session#client': 'boto3.client',
    'boto3.Session#client': 'boto3.client',
    // GitPython: `repo.remotes.origin`, `repo.remote()`, `repo.git` (the command wrapper)
    'git.Repo.clone_from': 'git.Repo',
    'git.Repo.init': 'git.Repo',
    'git.Repo#remotes': 'git.RemoteList',
    'git.RemoteList#*': 'git.Remote',
    'git.Repo#remote': 'git.Remote',
    'git.Repo#create_remote': 'git.Remote',
    'git.Repo#git': 'git.cmd.Git',
    'git.Git': 'git.cmd.Git',
    'pygit2.clone_repository': 'pygit2.Repository',
    'pygit2.init_repository': 'pygit2.Repository',
    'pygit2.Repository#remotes': 'pygit2.RemoteCollection',
    'pygit2.RemoteCollection#*': 'pygit2.Remote',
    'paramiko.client.SSHClient': 'paramiko.SSHClient',
    'paramiko.SSHClient#open_sftp': 'paramiko.SFTPClient',
    'paramiko.SFTPClient.from_transport': 'paramiko.SFTPClient',
    'paramiko.SSHClient#get_transport': 'paramiko.Transport',
    'docker.from_env': 'docker.DockerClient',
    'docker.client.DockerClient': 'docker.DockerClient',
    'docker.client.from_env': 'docker.DockerClient',
    ...Object.fromEntries(['containers', 'images', 'volumes', 'networks', 'services', 'nodes', 'secrets', 'configs', 'plugins', 'swarm'].map((m) => [`docker.DockerClient#${m}`, 'docker.Collection'])),
    ...Object.fromEntries(['get', 'run', 'create', 'pull', 'build', 'load'].map((m) => [`docker.Collection#${m}`, 'docker.Model'])),
    'docker.DockerClient#api': 'docker.APIClient',
    'pika.BlockingConnection#channel': 'pika.adapters.blocking_connection.BlockingChannel',
    'google.cloud.storage.Client#bucket': 'google.cloud.storage.Bucket',
    'google.cloud.storage.Client#get_bucket': 'google.cloud.storage.Bucket',
    'google.cloud.storage.Bucket#blob': 'google.cloud.storage.Blob',
    'google.cloud.storage.Bucket#get_blob': 'google.cloud.storage.Blob',
    'PIL.Image.open': 'PIL.Image.Image',
    'PIL.Image.new': 'PIL.Image.Image',
    'PIL.Image.Image#convert': 'PIL.Image.Image',
    'PIL.Image.Image#resize': 'PIL.Image.Image',
    'openpyxl.load_workbook': 'openpyxl.Workbook',
    'docx.Document': 'docx.document.Document',
    // `client.db.coll` / `client["db"]["coll"]`: any attribute of a client is a database, of a database a collection
    'pymongo.MongoClient#*': 'pymongo.database.Database',
    'pymongo.database.Database#*': 'pymongo.collection.Collection',
  },
  anyMethod: {
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
const JS_FS_FAMILIES = ['fs', 'fs-extra', 'graceful-fs', 'original-fs'];

const JS: LanguageRules = {
  sep: '.',
  rules: [
    ...rules(JS_FS_FAMILIES.flatMap((f) => each(`${f}.`, ['existsSync', 'statSync', 'lstatSync', 'accessSync', 'realpathSync', 'fstatSync'])), 'file_io', 'low', JS_FS, { cap: 'medium' }),
    ...rules(JS_FS_FAMILIES.flatMap((f) => each(`${f}.`, ['readdirSync', 'mkdirSync', 'mkdtempSync', 'rmSync', 'rmdirSync', 'unlinkSync', 'renameSync', 'chmodSync', 'chownSync', 'utimesSync', 'symlinkSync', 'linkSync', 'opendirSync', 'ensureDirSync', 'mkdirpSync', 'removeSync', 'emptyDirSync', 'pathExistsSync'])), 'file_io', 'low', JS_FS),
    ...rules(JS_FS_FAMILIES.map((f) => `${f}.*Sync`), 'file_io', 'medium', JS_FS),
    ...rules(['child_process.execSync', 'child_process.execFileSync', 'child_process.spawnSync', 'execa.execaSync', 'execa.execaCommandSync', 'execa.sync', 'execa.commandSync', 'cross-spawn.sync'], 'subprocess', 'high', JS_CP),
    ...rules(['zlib.*Sync'], 'cpu', 'medium', 'use the callback / promisified form (`await util.promisify(zlib.gzip)(buf)`), which runs on the libuv thread pool'),
    ...rules(['crypto.*Sync'], 'cpu', 'medium', 'use the async form (`crypto.pbkdf2`, `crypto.scrypt`, `crypto.generateKeyPair` with a callback or promisified), which runs on the libuv thread pool'),
    ...rules(['bcrypt.hashSync', 'bcrypt.compareSync', 'bcrypt.genSaltSync', 'bcryptjs.hashSync', 'bcryptjs.compareSync', 'bcryptjs.genSaltSync'], 'cpu', 'medium', 'use `await bcrypt.hash(...)` / `await bcrypt.compare(...)`'),
    ...rules(['Atomics.wait'], 'lock', 'high', 'use `await Atomics.waitAsync(...).value`'),
    ...rules(['better-sqlite3', ...each('better-sqlite3#', ['exec', 'pragma', 'backup', 'loadExtension']), ...each('better-sqlite3.Statement#', ['run', 'get', 'all', 'iterate'])], 'database', 'medium', JS_SQLITE),
    ...rules(['sqlite.DatabaseSync', ...each('sqlite.DatabaseSync#', ['exec', 'open']), ...each('sqlite.StatementSync#', ['run', 'get', 'all', 'iterate'])], 'database', 'medium', JS_SQLITE),
    ...rules(['sync-request', 'sync-fetch'], 'network', 'high', 'use `await fetch(...)`'),
    ...rules(['readline-sync.*'], 'input', 'high', 'use `readline/promises` (`await rl.question(...)`)'),
  ],
  factories: {
    'better-sqlite3': 'better-sqlite3',
    'better-sqlite3.Database': 'better-sqlite3',
    'better-sqlite3#prepare': 'better-sqlite3.Statement',
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
