/**
 * Catalogue of synchronous third-party I/O libraries (issue 13), as data: one entry per package
 * of PyPI or npm, with its category, the async alternative maintainers move to, a source saying
 * why its calls block (the library's own documentation where it says so, else the peer rule that
 * reports it), and the canonical API patterns and result types the rule tables take from it
 * (`rules.ts` splices them in after the standard library's rules, in catalogue order).
 *
 * Patterns use the canonical names of `rules.ts` (`module.member`, `Type#method`, `*` for any run
 * of characters). Within an entry the order matters: `ignore` patterns come before broad ones.
 *
 * Left out on purpose (checked, they are asynchronous): npm `nodemailer`, `sharp`, `ssh2-sftp-client`,
 * `node-sqlite3`, `argon2`, `jimp`, `archiver`, `unzipper`; PyPI `aiohttp`, `asyncpg`, `motor`,
 * `aiobotocore`, `asyncssh`.
 */
import type { BlockingCategory, Severity } from './types.ts';

export type Registry = 'pypi' | 'npm';

/** One API pattern of a library; category, severity and advice default to the entry's. */
export interface CataloguePattern {
  pattern: string;
  severity?: Severity;
  category?: BlockingCategory;
  /** Advice for this pattern instead of the entry's alternative. */
  rec?: string;
  /** Severity never rises above this. */
  cap?: Severity;
  /** A cheap call of the library that is explicitly no finding (an exception to a broader pattern after it). */
  ignore?: boolean;
  /** No finding when the call passes a callback (`jwt.sign(p, k, cb)` runs the work asynchronously). */
  syncWithoutCallback?: boolean;
}

export interface LibraryEntry {
  /** The package name on its registry. */
  library: string;
  registry: Registry;
  category: BlockingCategory;
  severity: Severity;
  /** The async alternative: what to use instead, in that language's terms (the finding's advice). */
  alternative: string;
  /** Where it says the calls block: a documentation URL (or the peer rule's page). */
  source: string;
  patterns: (string | CataloguePattern)[];
  /** Canonical callee (or `Type#member`, `Type#*`) → canonical type of the result. */
  factories?: Record<string, string>;
  /**
   * Attributes of the library's types that are properties doing I/O (`git.Repo#active_branch`):
   * reading one is a call, reported when a pattern matches it.
   */
  properties?: string[];
  /** Method names so particular to the library that a receiver of unknown type still means it → canonical API. */
  anyMethod?: Record<string, string>;
}

const each = (prefix: string, names: string[]): string[] => names.map((n) => prefix + n);
const cheap = (patterns: string[]): CataloguePattern[] => patterns.map((pattern) => ({ pattern, ignore: true }));

const PY_THREAD = 'run it in `await asyncio.to_thread(...)`';
const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'];
const PY_HTTP = 'use an async client (`httpx.AsyncClient`, `aiohttp.ClientSession`) with `await`, or `await asyncio.to_thread(...)`';
const PY_DB = 'use the async driver (`asyncpg`, `psycopg` async connection, `aiomysql`, `redis.asyncio`), or `await asyncio.to_thread(...)`';
const PY_DOC = 'run the decoding and file work in `await asyncio.to_thread(...)`';
const JS_FS = 'use the promise API (`await fs.promises.{async}(...)` from `node:fs/promises`)';
const JS_CP = 'use `execFile` / `spawn` with a callback or `await util.promisify(execFile)(...)`';

/** The three tiers of an `fs`-compatible module: metadata (low), walks and mutations (low), the rest. */
function fsFamily(mod: string, extraLow: string[] = []): (string | CataloguePattern)[] {
  return [
    ...each(`${mod}.`, ['existsSync', 'statSync', 'lstatSync', 'accessSync', 'realpathSync', 'fstatSync', 'pathExistsSync']).map((pattern) => ({ pattern, severity: 'low' as const, cap: 'medium' as const })),
    ...each(`${mod}.`, ['readdirSync', 'mkdirSync', 'mkdtempSync', 'rmSync', 'rmdirSync', 'unlinkSync', 'renameSync', 'chmodSync', 'chownSync', 'utimesSync', 'symlinkSync', 'linkSync', 'opendirSync', ...extraLow]).map((pattern) => ({ pattern, severity: 'low' as const })),
    `${mod}.*Sync`,
  ];
}

export const CATALOGUE: LibraryEntry[] = [
  // ------------------------------------------------------------ PyPI: HTTP clients
  {
    library: 'requests', registry: 'pypi', category: 'network', severity: 'high', alternative: PY_HTTP,
    source: 'https://docs.astral.sh/ruff/rules/blocking-http-call-in-async-function/ (ASYNC210); requests is synchronous (https://requests.readthedocs.io/en/latest/user/advanced/#blocking-or-non-blocking)',
    patterns: [...each('requests.', HTTP_VERBS), ...each('requests.Session#', [...HTTP_VERBS, 'send'])],
    factories: { 'requests.session': 'requests.Session', 'requests.sessions.Session': 'requests.Session' },
  },
  {
    library: 'httpx', registry: 'pypi', category: 'network', severity: 'high',
    alternative: 'use `httpx.AsyncClient` (`async with httpx.AsyncClient() as c: await c.get(...)`)',
    source: 'https://www.python-httpx.org/async/ ("the default client is synchronous")',
    patterns: [...each('httpx.', [...HTTP_VERBS, 'stream']), ...each('httpx.Client#', [...HTTP_VERBS, 'send', 'stream'])],
  },
  {
    library: 'urllib3', registry: 'pypi', category: 'network', severity: 'high', alternative: PY_HTTP,
    source: 'https://docs.astral.sh/ruff/rules/blocking-http-call-in-async-function/ (ASYNC210 lists urllib3)',
    patterns: ['urllib3.request', ...each('urllib3.PoolManager#', ['request', 'urlopen', 'request_encode_url', 'request_encode_body'])],
  },
  {
    library: 'httplib2', registry: 'pypi', category: 'network', severity: 'high', alternative: PY_HTTP,
    source: 'https://httplib2.readthedocs.io/en/latest/libhttplib2.html (Http.request sends and waits for the response)',
    patterns: ['httplib2.Http#request'],
  },
  {
    library: 'pycurl', registry: 'pypi', category: 'network', severity: 'high', alternative: PY_HTTP,
    source: 'http://pycurl.io/docs/latest/curlobject.html (perform() "performs a file transfer", blocking until done; CurlMulti is the non-blocking API)',
    patterns: ['pycurl.Curl#perform'],
  },
  {
    library: 'websocket-client', registry: 'pypi', category: 'network', severity: 'high',
    alternative: 'use an async websocket client (`websockets`, `aiohttp`)',
    source: 'https://websocket-client.readthedocs.io/en/latest/examples.html (create_connection opens a blocking socket)',
    patterns: ['websocket.create_connection', ...each('websocket.WebSocket#', ['connect', 'send', 'recv', 'ping'])],
    factories: { 'websocket.create_connection': 'websocket.WebSocket', 'websocket.WebSocket': 'websocket.WebSocket' },
  },
  // ------------------------------------------------------------ PyPI: API SDKs over HTTP
  {
    library: 'openai', registry: 'pypi', category: 'network', severity: 'high',
    alternative: 'use `openai.AsyncOpenAI` and `await client.chat.completions.create(...)`',
    source: 'https://github.com/openai/openai-python#async-usage ("Simply import AsyncOpenAI instead of OpenAI and use await with each API call")',
    patterns: [
      ...each('openai.resources.Sync#', ['create', 'retrieve', 'list', 'delete', 'update', 'parse', 'stream', 'cancel', 'content']),
      ...each('openai.', ['ChatCompletion.create', 'Completion.create', 'Embedding.create', 'Image.create', 'Moderation.create', 'Audio.transcribe']),
    ],
    factories: { 'openai.OpenAI': 'openai.OpenAI', 'openai.AzureOpenAI': 'openai.OpenAI', 'openai.OpenAI#*': 'openai.resources.Sync', 'openai.resources.Sync#*': 'openai.resources.Sync' },
  },
  {
    library: 'anthropic', registry: 'pypi', category: 'network', severity: 'high',
    alternative: 'use `anthropic.AsyncAnthropic` and `await client.messages.create(...)`',
    source: 'https://github.com/anthropics/anthropic-sdk-python#async-usage ("import AsyncAnthropic instead of Anthropic and use await with each API call")',
    patterns: each('anthropic.resources.Sync#', ['create', 'retrieve', 'list', 'delete', 'stream', 'count_tokens']),
    factories: { 'anthropic.Anthropic': 'anthropic.Anthropic', 'anthropic.Anthropic#*': 'anthropic.resources.Sync', 'anthropic.resources.Sync#*': 'anthropic.resources.Sync' },
  },
  {
    library: 'slack_sdk', registry: 'pypi', category: 'network', severity: 'high',
    alternative: 'use `slack_sdk.web.async_client.AsyncWebClient` and `await` its methods',
    source: 'https://slack.dev/python-slack-sdk/web/index.html#asyncwebclient (WebClient is the synchronous client)',
    patterns: [...cheap(['slack_sdk.WebClient#close']), 'slack_sdk.WebClient#*', 'slack_sdk.webhook.WebhookClient#send'],
    factories: { 'slack_sdk.web.WebClient': 'slack_sdk.WebClient', 'slack_sdk.web.client.WebClient': 'slack_sdk.WebClient', 'slack.WebClient': 'slack_sdk.WebClient', 'slack_sdk.webhook.client.WebhookClient': 'slack_sdk.webhook.WebhookClient' },
  },
  {
    library: 'stripe', registry: 'pypi', category: 'network', severity: 'high',
    alternative: 'use the `_async` methods (`await stripe.Customer.create_async(...)`) or `await asyncio.to_thread(...)`',
    source: 'https://github.com/stripe/stripe-python#async (the default methods use a synchronous HTTP client)',
    patterns: each('stripe.*.', ['create', 'retrieve', 'modify', 'list', 'delete', 'cancel', 'capture', 'confirm']),
  },
  {
    library: 'kubernetes', registry: 'pypi', category: 'network', severity: 'high',
    alternative: 'use `kubernetes_asyncio` (same API, `await` each call), or `await asyncio.to_thread(...)`',
    source: 'https://github.com/kubernetes-client/python (generated synchronous urllib3 client; kubernetes_asyncio is the asyncio port)',
    patterns: ['kubernetes.client.*Api#*', 'kubernetes.config.load_kube_config'],
  },
  {
    library: 'pytube', registry: 'pypi', category: 'network', severity: 'high', alternative: PY_THREAD,
    source: 'https://pytube.io/en/latest/api.html#module-pytube.request (urllib.request.urlopen under the hood; Stream.download writes the file)',
    patterns: [...each('pytube.request.', ['get', 'post', 'head', 'stream', 'filesize', 'seq_filesize']), 'pytube.Stream#download', 'pytube.YouTube#streams'],
  },
  {
    library: 'ytmusicapi', registry: 'pypi', category: 'network', severity: 'high', alternative: PY_THREAD,
    source: 'https://ytmusicapi.readthedocs.io/en/stable/reference.html (each method sends a `requests` call and waits)',
    patterns: [...cheap(['ytmusicapi.YTMusic#parse_*']), 'ytmusicapi.YTMusic#*'],
  },
  // ------------------------------------------------------------ PyPI: cloud storage
  {
    library: 'boto3', registry: 'pypi', category: 'network', severity: 'high',
    alternative: 'use `aioboto3` / `aiobotocore`, or `await asyncio.to_thread(...)`',
    source: 'https://aioboto3.readthedocs.io/en/latest/ ("boto3 … blocks the event loop"); botocore sends with urllib3',
    patterns: [...cheap(['boto3.client#get_paginator', 'boto3.client#get_waiter', 'boto3.client#can_paginate', 'boto3.client#close']), 'boto3.client#*'],
    factories: { 'boto3.client': 'boto3.client', 'boto3.session.Session#client': 'boto3.client', 'boto3.Session#client': 'boto3.client' },
  },
  {
    library: 'google-cloud-storage', registry: 'pypi', category: 'network', severity: 'high',
    alternative: 'use `gcloud-aio-storage`, or run it in `await asyncio.to_thread(...)`',
    source: 'https://cloud.google.com/python/docs/reference/storage/latest (synchronous client over requests); https://github.com/talkiq/gcloud-aio',
    patterns: [
      ...each('google.cloud.storage.Blob#', ['upload_from_filename', 'upload_from_string', 'upload_from_file', 'download_to_filename', 'download_as_bytes', 'download_as_text', 'download_to_file', 'exists', 'delete', 'reload']),
      ...each('google.cloud.storage.Client#', ['list_blobs', 'get_bucket', 'create_bucket', 'list_buckets']),
    ],
    factories: {
      'google.cloud.storage.Client#bucket': 'google.cloud.storage.Bucket',
      'google.cloud.storage.Client#get_bucket': 'google.cloud.storage.Bucket',
      'google.cloud.storage.Bucket#blob': 'google.cloud.storage.Blob',
      'google.cloud.storage.Bucket#get_blob': 'google.cloud.storage.Blob',
    },
  },
  {
    library: 'azure-storage-blob', registry: 'pypi', category: 'network', severity: 'high',
    alternative: 'use the `azure.storage.blob.aio` clients (same names) and `await` their methods',
    source: 'https://learn.microsoft.com/en-us/python/api/overview/azure/storage-blob-readme#async-client (the `aio` package is the async one)',
    patterns: [
      ...each('azure.storage.blob.BlobClient#', ['upload_blob', 'download_blob', 'delete_blob', 'exists', 'get_blob_properties', 'set_blob_metadata']),
      ...each('azure.storage.blob.ContainerClient#', ['upload_blob', 'download_blob', 'delete_blob', 'list_blobs', 'create_container', 'delete_container', 'exists']),
      ...each('azure.storage.blob.BlobServiceClient#', ['create_container', 'delete_container', 'list_containers', 'get_service_properties']),
    ],
    factories: {
      'azure.storage.blob.BlobServiceClient.from_connection_string': 'azure.storage.blob.BlobServiceClient',
      'azure.storage.blob.BlobServiceClient#get_container_client': 'azure.storage.blob.ContainerClient',
      'azure.storage.blob.BlobServiceClient#get_blob_client': 'azure.storage.blob.BlobClient',
      'azure.storage.blob.ContainerClient#get_blob_client': 'azure.storage.blob.BlobClient',
      'azure.storage.blob.BlobClient.from_connection_string': 'azure.storage.blob.BlobClient',
    },
  },
  {
    library: 'minio', registry: 'pypi', category: 'network', severity: 'high',
    alternative: 'use `miniopy-async`, or run it in `await asyncio.to_thread(...)`',
    source: 'https://min.io/docs/minio/linux/developers/python/API.html (synchronous urllib3 client)',
    patterns: each('minio.Minio#', ['fput_object', 'put_object', 'fget_object', 'get_object', 'remove_object', 'stat_object', 'list_objects', 'bucket_exists', 'make_bucket', 'presigned_get_object', 'presigned_put_object', 'copy_object']),
  },
  // ------------------------------------------------------------ PyPI: database drivers and ORMs
  {
    library: 'psycopg2', registry: 'pypi', category: 'database', severity: 'high', alternative: PY_DB,
    source: 'https://www.psycopg.org/docs/advanced.html#asynchronous-support (blocking by default; async mode needs a wait callback)',
    patterns: ['psycopg2.connect', ...each('psycopg2.connection#', ['commit', 'rollback']), ...each('psycopg2.cursor#', ['execute', 'executemany', 'fetchone', 'fetchmany', 'fetchall', 'callproc', 'copy_from', 'copy_to', 'copy_expert'])],
    factories: { 'psycopg2.connect': 'psycopg2.connection', 'psycopg2.connection#cursor': 'psycopg2.cursor' },
  },
  {
    library: 'psycopg', registry: 'pypi', category: 'database', severity: 'high',
    alternative: 'use `psycopg.AsyncConnection` (`await psycopg.AsyncConnection.connect(...)`) and `await` its methods',
    source: 'https://www.psycopg.org/psycopg3/docs/advanced/async.html ("Connection … blocking; AsyncConnection … asyncio")',
    patterns: ['psycopg.connect', ...each('psycopg.Connection#', ['execute', 'commit', 'rollback']), ...each('psycopg.Cursor#', ['execute', 'executemany', 'fetchone', 'fetchmany', 'fetchall'])],
    factories: { 'psycopg.connect': 'psycopg.Connection', 'psycopg.Connection.connect': 'psycopg.Connection', 'psycopg.Connection#cursor': 'psycopg.Cursor', 'psycopg.Connection#execute': 'psycopg.Cursor' },
  },
  {
    library: 'PyMySQL', registry: 'pypi', category: 'database', severity: 'high', alternative: 'use `aiomysql` / `asyncmy`, or `await asyncio.to_thread(...)`',
    source: 'https://aiomysql.readthedocs.io/en/stable/ ("aiomysql … reuses most parts of PyMySQL", the async port of the blocking driver)',
    patterns: ['pymysql.connect', ...each('pymysql.Connection#', ['commit', 'rollback', 'query']), ...each('pymysql.Cursor#', ['execute', 'executemany', 'fetchone', 'fetchmany', 'fetchall'])],
    factories: { 'pymysql.connect': 'pymysql.Connection', 'pymysql.Connection#cursor': 'pymysql.Cursor' },
  },
  {
    library: 'mysqlclient', registry: 'pypi', category: 'database', severity: 'high', alternative: 'use `aiomysql` / `asyncmy`, or `await asyncio.to_thread(...)`',
    source: 'https://mysqlclient.readthedocs.io/user_guide.html (DB-API 2.0 driver: every call waits on the server)',
    patterns: ['MySQLdb.connect'],
    factories: { 'MySQLdb.connect': 'pymysql.Connection' },
  },
  {
    library: 'mysql-connector-python', registry: 'pypi', category: 'database', severity: 'high', alternative: 'use `mysql.connector.aio` (Connector/Python 9.x) or `aiomysql`',
    source: 'https://dev.mysql.com/doc/connector-python/en/connector-python-asyncio.html (asyncio support is the separate `mysql.connector.aio` package)',
    patterns: ['mysql.connector.connect'],
    factories: { 'mysql.connector.connect': 'pymysql.Connection' },
  },
  {
    library: 'pyodbc', registry: 'pypi', category: 'database', severity: 'high', alternative: 'use `aioodbc`, or run it in `await asyncio.to_thread(...)`',
    source: 'https://github.com/aio-libs/aioodbc ("aioodbc is a Python 3.7+ module that makes it possible to access ODBC databases with asyncio"; pyodbc calls block)',
    patterns: ['pyodbc.connect', ...each('pyodbc.Connection#', ['execute', 'commit', 'rollback']), ...each('pyodbc.Cursor#', ['execute', 'executemany', 'fetchone', 'fetchmany', 'fetchall', 'fetchval'])],
    factories: { 'pyodbc.connect': 'pyodbc.Connection', 'pyodbc.Connection#cursor': 'pyodbc.Cursor', 'pyodbc.Connection#execute': 'pyodbc.Cursor' },
  },
  {
    library: 'oracledb', registry: 'pypi', category: 'database', severity: 'high', alternative: 'use `await oracledb.connect_async(...)` and `await` its methods',
    source: 'https://python-oracledb.readthedocs.io/en/latest/user_guide/asyncio.html ("connect_async() … AsyncConnection"; connect() is synchronous)',
    patterns: ['oracledb.connect', 'cx_Oracle.connect', ...each('oracledb.Cursor#', ['execute', 'executemany', 'fetchone', 'fetchmany', 'fetchall']), ...each('oracledb.Connection#', ['commit', 'rollback'])],
    factories: { 'oracledb.connect': 'oracledb.Connection', 'cx_Oracle.connect': 'oracledb.Connection', 'oracledb.Connection#cursor': 'oracledb.Cursor' },
  },
  {
    library: 'SQLAlchemy', registry: 'pypi', category: 'database', severity: 'high',
    alternative: 'use `sqlalchemy.ext.asyncio` (`create_async_engine`, `AsyncSession`) and `await` the calls',
    source: 'https://docs.sqlalchemy.org/en/20/orm/extensions/asyncio.html (the asyncio extension; Engine and Session do blocking I/O)',
    patterns: [
      ...each('sqlalchemy.engine.Engine#', ['connect', 'begin', 'execute', 'dispose']),
      ...each('sqlalchemy.engine.Connection#', ['execute', 'exec_driver_sql', 'commit', 'rollback', 'scalar', 'scalars']),
      ...each('sqlalchemy.orm.Session#', ['execute', 'commit', 'rollback', 'flush', 'refresh', 'get', 'scalar', 'scalars', 'query', 'merge', 'delete']),
    ],
    factories: {
      'sqlalchemy.create_engine': 'sqlalchemy.engine.Engine',
      'sqlalchemy.engine.create_engine': 'sqlalchemy.engine.Engine',
      'sqlalchemy.engine.Engine#connect': 'sqlalchemy.engine.Connection',
      'sqlalchemy.engine.Engine#begin': 'sqlalchemy.engine.Connection',
      'sqlalchemy.orm.Session': 'sqlalchemy.orm.Session',
    },
  },
  {
    library: 'redis', registry: 'pypi', category: 'database', severity: 'medium',
    alternative: 'use `redis.asyncio.Redis` and `await` its commands',
    source: 'https://redis.readthedocs.io/en/stable/examples/asyncio_examples.html (redis.asyncio is the asyncio client; redis.Redis blocks on its socket)',
    patterns: [...cheap(['redis.Redis#pipeline', 'redis.Redis#pubsub', 'redis.Redis#lock', 'redis.Redis#register_script']), 'redis.Redis#*'],
    factories: { 'redis.StrictRedis': 'redis.Redis', 'redis.from_url': 'redis.Redis', 'redis.Redis.from_url': 'redis.Redis', 'redis.client.Redis': 'redis.Redis' },
  },
  {
    library: 'pymongo', registry: 'pypi', category: 'database', severity: 'high',
    alternative: 'use `motor` (`AsyncIOMotorClient`) or PyMongo\'s `AsyncMongoClient` and `await` the operations',
    source: 'https://pymongo.readthedocs.io/en/stable/async-tutorial.html (AsyncMongoClient is the asyncio API; MongoClient blocks)',
    patterns: ['pymongo.collection.Collection#*'],
    factories: { 'pymongo.MongoClient#*': 'pymongo.database.Database', 'pymongo.database.Database#*': 'pymongo.collection.Collection' },
  },
  {
    library: 'elasticsearch', registry: 'pypi', category: 'network', severity: 'high',
    alternative: 'use `elasticsearch.AsyncElasticsearch` and `await` its methods',
    source: 'https://elasticsearch-py.readthedocs.io/en/latest/async.html ("AsyncElasticsearch … for asyncio")',
    patterns: ['elasticsearch.Elasticsearch#*'],
  },
  {
    library: 'cassandra-driver', registry: 'pypi', category: 'database', severity: 'high',
    alternative: 'use `session.execute_async(...)` (a future; wrap it for asyncio) or `acsylla`',
    source: 'https://docs.datastax.com/en/developer/python-driver/latest/getting_started/ ("execute() … blocks until the result is received"; execute_async does not)',
    patterns: ['cassandra.cluster.Cluster#connect', 'cassandra.cluster.Session#execute'],
    factories: { 'cassandra.cluster.Cluster#connect': 'cassandra.cluster.Session' },
  },
  {
    library: 'clickhouse-driver', registry: 'pypi', category: 'database', severity: 'high',
    alternative: 'use `asynch` or `aiochclient`, or `await asyncio.to_thread(...)`',
    source: 'https://clickhouse-driver.readthedocs.io/en/latest/quickstart.html (a synchronous native-protocol client; `asynch` is its asyncio port)',
    patterns: each('clickhouse_driver.Client#', ['execute', 'execute_iter', 'query_dataframe', 'insert_dataframe']),
  },
  // ------------------------------------------------------------ PyPI: message queues, mail, directory
  {
    library: 'kafka-python', registry: 'pypi', category: 'network', severity: 'high', alternative: 'use `aiokafka`, or run it in `await asyncio.to_thread(...)`',
    source: 'https://aiokafka.readthedocs.io/en/stable/ ("asyncio client for Kafka … based on kafka-python"); KafkaProducer.flush/send and KafkaConsumer.poll block',
    patterns: [...each('kafka.KafkaProducer#', ['send', 'flush', 'close']), ...each('kafka.KafkaConsumer#', ['poll', 'commit', '__next__'])],
  },
  {
    library: 'confluent-kafka', registry: 'pypi', category: 'network', severity: 'high', alternative: 'use `aiokafka` or confluent-kafka\'s `AIOProducer`, or `await asyncio.to_thread(...)`',
    source: 'https://docs.confluent.io/platform/current/clients/confluent-kafka-python/html/index.html (poll/flush/consume block up to their timeout)',
    patterns: [...each('confluent_kafka.Producer#', ['flush', 'poll']), ...each('confluent_kafka.Consumer#', ['poll', 'consume', 'commit'])],
  },
  {
    library: 'pika', registry: 'pypi', category: 'network', severity: 'high', alternative: 'use `aio-pika`, or run it in `await asyncio.to_thread(...)`',
    source: 'https://pika.readthedocs.io/en/stable/modules/adapters/blocking.html ("BlockingConnection … blocking")',
    patterns: ['pika.BlockingConnection', 'pika.BlockingConnection#*', 'pika.adapters.blocking_connection.BlockingChannel#*'],
    factories: { 'pika.BlockingConnection#channel': 'pika.adapters.blocking_connection.BlockingChannel' },
  },
  {
    library: 'yagmail', registry: 'pypi', category: 'network', severity: 'high', alternative: 'use `aiosmtplib`, or send in `await asyncio.to_thread(...)`',
    source: 'https://github.com/kootenpv/yagmail (a wrapper of smtplib.SMTP: blocking socket calls)',
    patterns: ['yagmail.SMTP', 'yagmail.SMTP#send'],
  },
  {
    library: 'ldap3', registry: 'pypi', category: 'network', severity: 'high', alternative: 'use `bonsai` (asyncio LDAP), or run it in `await asyncio.to_thread(...)`',
    source: 'https://ldap3.readthedocs.io/en/latest/connection.html (SYNC strategy is the default: each operation waits for the server)',
    patterns: each('ldap3.Connection#', ['bind', 'search', 'add', 'modify', 'delete', 'extend', 'unbind', 'open', 'start_tls']),
  },
  // ------------------------------------------------------------ PyPI: VCS and SSH/SFTP
  {
    library: 'GitPython', registry: 'pypi', category: 'subprocess', severity: 'medium',
    alternative: 'run the GitPython work in `await asyncio.to_thread(...)`, or call `git` through `await asyncio.create_subprocess_exec(\'git\', ...)`',
    source: 'https://gitpython.readthedocs.io/en/stable/intro.html ("GitPython is not suited for long-running processes"; its `Git` command wrapper calls `subprocess.Popen` and waits)',
    patterns: [
      ...cheap(['git.Repo#close', 'git.Repo#remote']),
      ...each('', ['git.Repo.clone_from', 'git.Remote#fetch', 'git.Remote#pull', 'git.Remote#push', 'git.cmd.Git#fetch', 'git.cmd.Git#pull', 'git.cmd.Git#push', 'git.cmd.Git#clone', 'git.cmd.Git#ls_remote']).map((pattern) => ({ pattern, category: 'network' as const, severity: 'high' as const })),
      'git.cmd.Git#*', 'git.Repo#*', 'git.Repo.init', 'git.Git#*', 'git.HEAD#*', 'git.Head#*',
    ],
    // properties that read refs / the index from disk or run git (https://gitpython.readthedocs.io/en/stable/reference.html#module-git.repo.base:
    // `active_branch` resolves HEAD's symbolic reference, `untracked_files` runs `git status`, `head.commit` reads the ref and the object);
    // Supervisor moved `self.repo.active_branch` off the loop (abeee95eb)
    properties: [
      ...each('git.Repo#', ['active_branch', 'untracked_files', 'heads', 'branches', 'references', 'refs', 'tags', 'remotes']),
      ...each('git.HEAD#', ['commit', 'reference', 'ref', 'object']), ...each('git.Head#', ['commit', 'object']),
    ],
    factories: {
      'git.Repo.clone_from': 'git.Repo', 'git.Repo.init': 'git.Repo', 'git.Repo#remotes': 'git.RemoteList', 'git.RemoteList#*': 'git.Remote',
      'git.Repo#remote': 'git.Remote', 'git.Repo#create_remote': 'git.Remote', 'git.Repo#git': 'git.cmd.Git', 'git.Git': 'git.cmd.Git',
      'git.repo.Repo': 'git.Repo', 'git.repo.base.Repo': 'git.Repo', 'git.Repo#head': 'git.HEAD', 'git.Repo#active_branch': 'git.Head',
      'git.HEAD#reference': 'git.Head', 'git.HEAD#ref': 'git.Head',
    },
  },
  {
    library: 'pygit2', registry: 'pypi', category: 'file_io', severity: 'medium', alternative: PY_THREAD,
    source: 'https://www.pygit2.org/ (libgit2 bindings: synchronous C calls on the disk and, for remotes, the network)',
    patterns: [
      ...['pygit2.clone_repository', 'pygit2.Remote#fetch', 'pygit2.Remote#push'].map((pattern) => ({ pattern, category: 'network' as const, severity: 'high' as const })),
      'pygit2.Repository', 'pygit2.init_repository', 'pygit2.discover_repository', ...each('pygit2.Repository#', ['status', 'checkout', 'create_commit', 'walk', 'diff', 'merge', 'reset', 'stash', 'apply']),
    ],
    factories: { 'pygit2.clone_repository': 'pygit2.Repository', 'pygit2.init_repository': 'pygit2.Repository', 'pygit2.Repository#remotes': 'pygit2.RemoteCollection', 'pygit2.RemoteCollection#*': 'pygit2.Remote' },
  },
  {
    library: 'paramiko', registry: 'pypi', category: 'network', severity: 'high',
    alternative: 'use `asyncssh` (`async with asyncssh.connect(...)`), or run the SSH work in `await asyncio.to_thread(...)`',
    source: 'https://docs.paramiko.org/en/stable/api/client.html (blocking socket API; https://asyncssh.readthedocs.io is the asyncio implementation)',
    patterns: [...each('paramiko.SSHClient#', ['connect', 'exec_command', 'open_sftp', 'invoke_shell']), 'paramiko.Transport', ...each('paramiko.Transport#', ['connect', 'open_session', 'start_client']), 'paramiko.SFTPClient.from_transport', 'paramiko.SFTPClient#*', 'paramiko.Channel#recv', 'paramiko.Channel#recv_exit_status', 'paramiko.Channel#sendall', 'paramiko.ChannelFile#read'],
    factories: { 'paramiko.client.SSHClient': 'paramiko.SSHClient', 'paramiko.SSHClient#open_sftp': 'paramiko.SFTPClient', 'paramiko.SFTPClient.from_transport': 'paramiko.SFTPClient', 'paramiko.SSHClient#get_transport': 'paramiko.Transport' },
  },
  {
    library: 'pysftp', registry: 'pypi', category: 'network', severity: 'high', alternative: 'use `asyncssh` SFTP (`async with conn.start_sftp_client() as sftp`), or `await asyncio.to_thread(...)`',
    source: 'https://pysftp.readthedocs.io/en/release_0.2.9/ (a wrapper of paramiko\'s blocking SFTPClient)',
    patterns: ['pysftp.Connection', ...each('pysftp.Connection#', ['get', 'put', 'get_r', 'put_r', 'listdir', 'remove', 'rename', 'makedirs', 'mkdir', 'execute', 'exists', 'isfile', 'isdir', 'stat', 'open'])],
  },
  {
    library: 'fabric', registry: 'pypi', category: 'network', severity: 'high', alternative: 'use `asyncssh` (`await conn.run(...)`), or `await asyncio.to_thread(...)`',
    source: 'https://docs.fabfile.org/en/latest/api/connection.html (Connection.run executes remotely and waits, over paramiko)',
    patterns: each('fabric.Connection#', ['run', 'sudo', 'put', 'get', 'open', 'local']),
  },
  {
    library: 'docker', registry: 'pypi', category: 'network', severity: 'high', alternative: 'use `aiodocker`, or run the Docker SDK call in `await asyncio.to_thread(...)`',
    source: 'https://docker-py.readthedocs.io/en/stable/client.html (synchronous HTTP over the Docker socket; https://aiodocker.readthedocs.io is the asyncio client)',
    patterns: [
      ...cheap(['docker.DockerClient#close']),
      // a client made with the default `version="auto"` asks the daemon for its API version at once
      ...['docker.from_env', 'docker.DockerClient', 'docker.APIClient', 'docker.client.DockerClient', 'docker.client.from_env', 'docker.api.APIClient'].map((pattern) => ({ pattern, severity: 'medium' as const, rec: 'create the Docker client once at start-up (or in `await asyncio.to_thread(docker.from_env)`), or use `aiodocker`' })),
      'docker.DockerClient#*', 'docker.APIClient#*', 'docker.Collection#*', 'docker.Model#*',
    ],
    factories: {
      'docker.from_env': 'docker.DockerClient', 'docker.client.DockerClient': 'docker.DockerClient', 'docker.client.from_env': 'docker.DockerClient', 'docker.DockerClient#api': 'docker.APIClient',
      ...Object.fromEntries(['containers', 'images', 'volumes', 'networks', 'services', 'nodes', 'secrets', 'configs', 'plugins', 'swarm'].map((m) => [`docker.DockerClient#${m}`, 'docker.Collection'])),
      ...Object.fromEntries(['get', 'run', 'create', 'pull', 'build', 'load'].map((m) => [`docker.Collection#${m}`, 'docker.Model'])),
    },
  },
  {
    library: 'py-opensonic', registry: 'pypi', category: 'network', severity: 'high', alternative: 'use `libopensonic.AsyncConnection` (aiohttp, from 8.0) with `await`, or `await asyncio.to_thread(...)`',
    source: 'https://pypi.org/project/py-opensonic/ ("The Connection object will continue to use synchronous IO"; AsyncConnection is the asyncio client; Music Assistant moved `self._conn.ping()` off the loop, 5fe1b7c4c)',
    // making a Connection only stores the server's address and credentials; every method is a REST request
    patterns: ['libopensonic.Connection#*'],
    factories: { 'libopensonic.connection.Connection': 'libopensonic.Connection' },
  },
  // ------------------------------------------------------------ PyPI: processes, media and documents
  {
    library: 'debugpy', registry: 'pypi', category: 'network', severity: 'high', alternative: 'start the debug adapter before the event loop runs (or in `await asyncio.to_thread(...)`)',
    source: 'https://github.com/microsoft/debugpy/wiki/API-Reference ("wait_for_client() … blocks until a client connects"; listen() starts the adapter and waits for it)',
    patterns: ['debugpy.listen', 'debugpy.wait_for_client', 'debugpy.connect'],
  },
  {
    library: 'securetar', registry: 'pypi', category: 'file_io', severity: 'medium', alternative: 'run the archive work in `await asyncio.to_thread(...)` / the executor',
    source: 'https://github.com/pvizeli/securetar (tarfile-based: opening, adding and extracting read and write the archive synchronously; Supervisor moves it to the executor, 1f92ab42c)',
    // making a SecureTarFile only stores its arguments; entering it opens (and for a read, decrypts the header of) the archive
    patterns: ['securetar.SecureTarFile#__enter__', 'securetar.SecureTarFile#open', 'securetar.SecureTarFile#add', 'securetar.SecureTarFile#extractall', 'securetar.atomic_contents_add', 'securetar.secure_path'],
    // `tar_file.path` is the archive's `pathlib.Path` (`addon_file.path.exists()`, Supervisor e1c9c8b78)
    factories: { 'securetar.SecureTarFile#path': 'pathlib.Path' },
  },
  {
    library: 'pulsectl', registry: 'pypi', category: 'network', severity: 'high', alternative: 'use `pulsectl-asyncio` (`async with PulseAsync(...)`), or `await asyncio.to_thread(...)`',
    source: 'https://github.com/mk-fg/python-pulse-control ("blocking … libpulse" client; pulsectl-asyncio is the asyncio wrapper)',
    patterns: ['pulsectl.Pulse', ...cheap(['pulsectl.Pulse#close']), 'pulsectl.Pulse#*'],
  },
  {
    library: 'nbconvert', registry: 'pypi', category: 'cpu', severity: 'medium', alternative: 'run the export in `await asyncio.to_thread(...)` / the executor',
    source: 'https://nbconvert.readthedocs.io/en/latest/nbconvert_library.html (from_notebook_node renders templates and may run pandoc; get_export_names loads entry points from disk; jupyter_server moved both off the loop, f3b6340cd, 30f8d5b47)',
    patterns: ['nbconvert.exporters.base.get_export_names', 'nbconvert.exporters.base.get_exporter', 'nbconvert.get_export_names', 'nbconvert.get_exporter', 'nbconvert.exporters.get_export_names', 'nbconvert.exporters.get_exporter', 'nbconvert.Exporter#from_notebook_node', 'nbconvert.Exporter#from_filename'],
    anyMethod: { from_notebook_node: 'nbconvert.Exporter#from_notebook_node' },
  },
  {
    library: 'pexpect', registry: 'pypi', category: 'subprocess', severity: 'high', alternative: 'use `await asyncio.create_subprocess_exec(...)`, or pexpect\'s `expect(..., async_=True)`',
    source: 'https://pexpect.readthedocs.io/en/stable/api/pexpect.html (spawn/run wait for the child; `async_=True` is the asyncio form)',
    patterns: ['pexpect.run', 'pexpect.spawn', 'pexpect.spawn#expect', 'pexpect.spawn#read', 'pexpect.spawn#readline', 'pexpect.spawn#wait'],
    factories: { 'pexpect.spawn': 'pexpect.spawn' },
  },
  {
    library: 'pypandoc', registry: 'pypi', category: 'subprocess', severity: 'high', alternative: 'run the conversion in `await asyncio.to_thread(...)`, or call `pandoc` through `asyncio.create_subprocess_exec`',
    source: 'https://github.com/JessicaTegner/pypandoc (a wrapper that runs the `pandoc` binary and waits)',
    patterns: ['pypandoc.convert_file', 'pypandoc.convert_text'],
  },
  {
    library: 'pdfkit', registry: 'pypi', category: 'subprocess', severity: 'high', alternative: 'run the conversion in `await asyncio.to_thread(...)`',
    source: 'https://github.com/JazzCore/python-pdfkit (runs `wkhtmltopdf` in a subprocess and waits)',
    patterns: ['pdfkit.from_url', 'pdfkit.from_file', 'pdfkit.from_string'],
  },
  {
    library: 'ffmpeg-python', registry: 'pypi', category: 'subprocess', severity: 'high', alternative: 'run `ffmpeg` through `await asyncio.create_subprocess_exec(...)` (`ffmpeg.compile(...)` gives the arguments)',
    source: 'https://kkroening.github.io/ffmpeg-python/ (`run()` invokes ffmpeg and waits; `probe()` runs ffprobe)',
    patterns: ['ffmpeg.run', 'ffmpeg.probe', 'ffmpeg.Stream#run'],
    factories: { 'ffmpeg.input': 'ffmpeg.Stream', 'ffmpeg.Stream#*': 'ffmpeg.Stream', 'ffmpeg.output': 'ffmpeg.Stream' },
  },
  {
    library: 'pydub', registry: 'pypi', category: 'subprocess', severity: 'high', alternative: 'run the decoding / export in `await asyncio.to_thread(...)`',
    source: 'https://github.com/jiaaro/pydub/blob/master/API.markdown (from_file / export shell out to ffmpeg and wait)',
    patterns: ['pydub.AudioSegment.from_file', 'pydub.AudioSegment.from_mp3', 'pydub.AudioSegment.from_wav', 'pydub.AudioSegment#export'],
    factories: { 'pydub.AudioSegment.from_file': 'pydub.AudioSegment', 'pydub.AudioSegment.from_mp3': 'pydub.AudioSegment', 'pydub.AudioSegment.from_wav': 'pydub.AudioSegment' },
  },
  {
    library: 'Pillow', registry: 'pypi', category: 'file_io', severity: 'medium', alternative: PY_DOC,
    source: 'https://pillow.readthedocs.io/en/stable/reference/Image.html (open/save read and write files; resize/thumbnail decode and resample in C)',
    patterns: ['PIL.Image.open', 'PIL.Image.Image#save', ...each('PIL.Image.Image#', ['thumbnail', 'resize', 'convert', 'rotate', 'transpose', 'filter']).map((pattern) => ({ pattern, category: 'cpu' as const, rec: 'run it in `await asyncio.to_thread(...)` or a process pool via `loop.run_in_executor(...)`' }))],
    factories: { 'PIL.Image.open': 'PIL.Image.Image', 'PIL.Image.new': 'PIL.Image.Image', 'PIL.Image.Image#convert': 'PIL.Image.Image', 'PIL.Image.Image#resize': 'PIL.Image.Image' },
  },
  {
    library: 'opencv-python', registry: 'pypi', category: 'file_io', severity: 'medium', alternative: PY_DOC,
    source: 'https://docs.opencv.org/4.x/d4/da8/group__imgcodecs.html (imread/imwrite decode and write files synchronously)',
    patterns: ['cv2.imread', 'cv2.imwrite', 'cv2.VideoCapture'],
  },
  {
    library: 'imageio', registry: 'pypi', category: 'file_io', severity: 'medium', alternative: PY_DOC,
    source: 'https://imageio.readthedocs.io/en/stable/reference/index.html (imread/imwrite read and decode files synchronously)',
    patterns: ['imageio.imread', 'imageio.imwrite', 'imageio.mimread', 'imageio.mimwrite', 'imageio.v3.imread', 'imageio.v3.imwrite', 'imageio.v2.imread', 'imageio.v2.imwrite'],
  },
  {
    library: 'soundfile', registry: 'pypi', category: 'file_io', severity: 'medium', alternative: PY_DOC,
    source: 'https://python-soundfile.readthedocs.io/ (read/write are synchronous libsndfile calls)',
    patterns: ['soundfile.read', 'soundfile.write'],
  },
  {
    library: 'python-docx', registry: 'pypi', category: 'file_io', severity: 'medium', alternative: PY_DOC,
    source: 'https://python-docx.readthedocs.io/en/latest/api/document.html (Document(path) reads and parses the package; save writes it)',
    patterns: ['docx.Document', 'docx.document.Document#save'],
    factories: { 'docx.Document': 'docx.document.Document' },
  },
  {
    library: 'python-pptx', registry: 'pypi', category: 'file_io', severity: 'medium', alternative: PY_DOC,
    source: 'https://python-pptx.readthedocs.io/en/latest/api/presentation.html (Presentation(path) reads the package; save writes it)',
    patterns: ['pptx.Presentation', 'pptx.presentation.Presentation#save'],
    factories: { 'pptx.Presentation': 'pptx.presentation.Presentation' },
  },
  {
    library: 'openpyxl', registry: 'pypi', category: 'file_io', severity: 'medium', alternative: PY_DOC,
    source: 'https://openpyxl.readthedocs.io/en/stable/tutorial.html#loading-from-a-file (load_workbook reads and parses the whole file)',
    patterns: ['openpyxl.load_workbook', 'openpyxl.Workbook#save'],
    factories: { 'openpyxl.load_workbook': 'openpyxl.Workbook' },
  },
  {
    library: 'pypdf', registry: 'pypi', category: 'file_io', severity: 'medium', alternative: PY_DOC,
    source: 'https://pypdf.readthedocs.io/en/stable/user/reading-pdf.html (PdfReader parses the file synchronously)',
    patterns: ['pypdf.PdfReader', 'pypdf.PdfWriter#write', 'PyPDF2.PdfReader', 'PyPDF2.PdfFileReader'],
  },
  {
    library: 'PyMuPDF', registry: 'pypi', category: 'file_io', severity: 'medium', alternative: PY_DOC,
    source: 'https://pymupdf.readthedocs.io/en/latest/module.html (fitz.open reads the document synchronously)',
    patterns: ['fitz.open', 'pymupdf.open'],
  },
  {
    library: 'pdfplumber', registry: 'pypi', category: 'file_io', severity: 'medium', alternative: PY_DOC,
    source: 'https://github.com/jsvine/pdfplumber#python-library (pdfplumber.open parses the PDF synchronously)',
    patterns: ['pdfplumber.open'],
  },
  {
    library: 'weasyprint', registry: 'pypi', category: 'cpu', severity: 'medium', alternative: 'run it in `await asyncio.to_thread(...)` or a process pool',
    source: 'https://doc.courtbouillon.org/weasyprint/stable/api_reference.html (write_pdf lays out and renders synchronously)',
    patterns: ['weasyprint.HTML#write_pdf'],
  },
  {
    library: 'reportlab', registry: 'pypi', category: 'cpu', severity: 'medium', alternative: 'run it in `await asyncio.to_thread(...)` or a process pool',
    source: 'https://docs.reportlab.com/reportlab/userguide/ch2_graphics/ (Canvas.save renders and writes the file)',
    patterns: ['reportlab.pdfgen.canvas.Canvas#save'],
  },
  {
    library: 'pandas', registry: 'pypi', category: 'file_io', severity: 'medium', alternative: 'run it in `await asyncio.to_thread(...)` (or use `aiofiles` to read and parse from memory)',
    source: 'https://pandas.pydata.org/docs/user_guide/io.html (the readers open and parse files synchronously)',
    patterns: each('pandas.', ['read_csv', 'read_json', 'read_parquet', 'read_excel', 'read_table', 'read_pickle', 'read_feather', 'read_sql']),
  },
  // ------------------------------------------------------------ PyPI: CPU-bound password hashing
  {
    library: 'bcrypt', registry: 'pypi', category: 'cpu', severity: 'medium', alternative: 'run it in `await asyncio.to_thread(...)` (bcrypt releases the GIL)',
    source: 'https://github.com/pyca/bcrypt#adjustable-work-factor (hashpw/checkpw are deliberately slow key derivation)',
    patterns: ['bcrypt.hashpw', 'bcrypt.checkpw', 'bcrypt.kdf'],
  },
  {
    library: 'argon2-cffi', registry: 'pypi', category: 'cpu', severity: 'medium', alternative: 'run it in `await asyncio.to_thread(...)`',
    source: 'https://argon2-cffi.readthedocs.io/en/stable/parameters.html (hash/verify take tens of milliseconds by design)',
    patterns: ['argon2.PasswordHasher#hash', 'argon2.PasswordHasher#verify'],
  },
  // ------------------------------------------------------------ npm
  {
    library: 'fs-extra', registry: 'npm', category: 'file_io', severity: 'medium', alternative: JS_FS,
    source: 'https://github.com/jprichardson/node-fs-extra#sync-vs-async-vs-asyncawait ("Sync methods … block")',
    patterns: fsFamily('fs-extra', ['ensureDirSync', 'mkdirpSync', 'mkdirsSync', 'removeSync', 'emptyDirSync']),
  },
  {
    library: 'graceful-fs', registry: 'npm', category: 'file_io', severity: 'medium', alternative: JS_FS,
    source: 'https://github.com/isaacs/node-graceful-fs (a drop-in `fs`: its *Sync methods are Node\'s, https://nodejs.org/api/fs.html#synchronous-api)',
    patterns: fsFamily('graceful-fs'),
  },
  {
    library: 'fs-promise', registry: 'npm', category: 'file_io', severity: 'medium', alternative: 'use its promise form (`await fs.{async}(...)`), or `node:fs/promises`',
    source: 'https://github.com/kevinbeaty/fs-promise (fs-extra\'s methods with promises for the asynchronous ones; the *Sync methods are passed through: https://nodejs.org/api/fs.html#synchronous-api; serve moved `fs.existsSync` to `yield fs.exists`, f12e88853)',
    patterns: fsFamily('fs-promise'),
  },
  {
    library: 'mz', registry: 'npm', category: 'file_io', severity: 'medium', alternative: 'use the promise form of `mz/fs` (`await fs.{async}(...)`)',
    source: 'https://github.com/normalize/mz#usage ("wraps fs … with promises"; the *Sync methods are Node\'s own, https://nodejs.org/api/fs.html#synchronous-api)',
    patterns: [...fsFamily('mz/fs'), ...each('mz/child_process.', ['execSync', 'execFileSync', 'spawnSync']).map((pattern) => ({ pattern, category: 'subprocess' as const, severity: 'high' as const, rec: 'use `await execFile(...)` from `mz/child_process`' }))],
  },
  {
    library: 'original-fs', registry: 'npm', category: 'file_io', severity: 'medium', alternative: JS_FS,
    source: 'https://www.electronjs.org/docs/latest/tutorial/asar-archives#treating-an-asar-archive-as-a-normal-file (Node\'s `fs` without asar support: same *Sync methods)',
    patterns: fsFamily('original-fs'),
  },
  {
    library: 'path-type', registry: 'npm', category: 'file_io', severity: 'low', alternative: 'use `await isDirectory(p)` / `await isFile(p)` (the promise forms)',
    source: 'https://github.com/sindresorhus/path-type#isfilesyncpath ("Synchronously check whether the path is a file")',
    patterns: [{ pattern: 'path-type.*Sync', cap: 'medium' }],
  },
  {
    library: 'execa', registry: 'npm', category: 'subprocess', severity: 'high', alternative: 'use `await execa(...)` (the promise form)',
    source: 'https://github.com/sindresorhus/execa/blob/main/docs/execution.md#synchronous-execution ("blocks the current thread")',
    patterns: ['execa.execaSync', 'execa.execaCommandSync', 'execa.execaNodeSync', 'execa.sync', 'execa.commandSync'],
  },
  {
    library: 'cross-spawn', registry: 'npm', category: 'subprocess', severity: 'high', alternative: JS_CP,
    source: 'https://github.com/moxystudio/node-cross-spawn (`spawn.sync` is `child_process.spawnSync`)',
    patterns: ['cross-spawn.sync'],
  },
  {
    library: 'shelljs', registry: 'npm', category: 'subprocess', severity: 'high', alternative: 'use `child_process.execFile` / `fs.promises` (or `shell.exec(cmd, { async: true }, cb)`)',
    source: 'https://github.com/shelljs/shelljs#execcommand--options--callback ("synchronous by default"; the file commands are synchronous)',
    patterns: [
      { pattern: 'shelljs.exec', syncWithoutCallback: true },
      ...each('shelljs.', ['cp', 'mv', 'rm', 'mkdir', 'cat', 'ls', 'find', 'grep', 'sed', 'touch', 'chmod', 'which', 'test']).map((pattern) => ({ pattern, category: 'file_io' as const, severity: 'medium' as const, rec: JS_FS.replace('{async}', 'readFile') })),
    ],
  },
  {
    library: 'glob', registry: 'npm', category: 'file_io', severity: 'low', alternative: 'use `await glob(...)` (the promise form of glob ≥ 9)',
    source: 'https://github.com/isaacs/node-glob#globsyncpattern-string--string-options-globoptions--string--path ("Synchronous form of glob()")',
    patterns: ['glob.sync', 'glob.globSync', 'glob.glob.sync'],
  },
  {
    library: 'fast-glob', registry: 'npm', category: 'file_io', severity: 'low', alternative: 'use `await fg(...)` / `fg.async(...)`',
    source: 'https://github.com/mrmlnc/fast-glob#sync ("Synchronous API")',
    patterns: ['fast-glob.sync', 'fast-glob.globSync'],
  },
  {
    library: 'globby', registry: 'npm', category: 'file_io', severity: 'low', alternative: 'use `await globby(...)`',
    source: 'https://github.com/sindresorhus/globby#globbysyncpatterns-options ("Returns string[] of matching paths", the synchronous form)',
    patterns: ['globby.globbySync', 'globby.sync'],
  },
  {
    library: 'rimraf', registry: 'npm', category: 'file_io', severity: 'low', alternative: 'use `await rimraf(...)` or `await fs.promises.rm(p, { recursive: true })`',
    source: 'https://github.com/isaacs/rimraf#rimrafsyncf-opts ("Synchronous form")',
    patterns: ['rimraf.sync', 'rimraf.rimrafSync', 'rimraf.nativeSync'],
  },
  {
    library: 'mkdirp', registry: 'npm', category: 'file_io', severity: 'low', alternative: 'use `await mkdirp(...)` or `await fs.promises.mkdir(p, { recursive: true })`',
    source: 'https://github.com/isaacs/node-mkdirp#mkdirpsyncdir-opts--string--undefined ("Synchronously create a new directory")',
    patterns: ['mkdirp.sync', 'mkdirp.mkdirpSync', 'mkdirp.mkdirpNativeSync'],
  },
  {
    library: 'write-file-atomic', registry: 'npm', category: 'file_io', severity: 'medium', alternative: 'use `await writeFileAtomic(...)`',
    source: 'https://github.com/npm/write-file-atomic#writefileatomicsyncfilename-data-options ("The synchronous version")',
    patterns: ['write-file-atomic.sync'],
  },
  {
    library: 'tmp', registry: 'npm', category: 'file_io', severity: 'low', alternative: 'use `tmp.file` / `tmp.dir` with a callback, or `tmp-promise`',
    source: 'https://github.com/raszi/node-tmp#synchronous-file-creation ("Synchronous file creation")',
    patterns: ['tmp.fileSync', 'tmp.dirSync', 'tmp.tmpNameSync'],
  },
  {
    library: 'proper-lockfile', registry: 'npm', category: 'lock', severity: 'medium', alternative: 'use `await lockfile.lock(...)`',
    source: 'https://github.com/moxystudio/node-proper-lockfile#locksyncfile-options ("Sync version of .lock()")',
    patterns: ['proper-lockfile.lockSync', 'proper-lockfile.unlockSync', 'proper-lockfile.checkSync'],
  },
  {
    library: 'adm-zip', registry: 'npm', category: 'file_io', severity: 'medium',
    alternative: 'use adm-zip\'s async methods (`extractAllToAsync`, `writeZipPromise`, `readFileAsync`) or a streaming library (`yauzl` / `yazl`)',
    source: 'https://github.com/cthackers/adm-zip/wiki/ADM-ZIP (new AdmZip(path), extractAllTo, writeZip and toBuffer read, inflate and write synchronously)',
    patterns: ['adm-zip', ...each('adm-zip#', ['extractAllTo', 'extractEntryTo', 'writeZip', 'toBuffer', 'addLocalFile', 'addLocalFolder', 'readFile', 'readAsText'])],
    factories: { 'adm-zip': 'adm-zip' },
  },
  {
    library: 'xlsx', registry: 'npm', category: 'file_io', severity: 'medium',
    alternative: 'read the bytes with `await fs.promises.readFile(...)` and parse with `XLSX.read` in a worker thread; write with `XLSX.write` and `fs.promises`',
    source: 'https://docs.sheetjs.com/docs/api/parse-options#parsing-functions ("readFile attempts to read a file … synchronously")',
    patterns: ['xlsx.readFile', 'xlsx.writeFile', 'xlsx.writeFileXLSX', 'xlsx.readFileSync'],
  },
  {
    library: 'better-sqlite3', registry: 'npm', category: 'database', severity: 'medium',
    alternative: 'move the synchronous SQLite work to a `worker_threads` worker, or use an async driver',
    source: 'https://github.com/WiseLibs/better-sqlite3/blob/master/docs/api.md ("fully synchronous API")',
    patterns: ['better-sqlite3', ...each('better-sqlite3#', ['exec', 'pragma', 'backup', 'loadExtension']), ...each('better-sqlite3.Statement#', ['run', 'get', 'all', 'iterate'])],
    factories: { 'better-sqlite3': 'better-sqlite3', 'better-sqlite3.Database': 'better-sqlite3', 'better-sqlite3#prepare': 'better-sqlite3.Statement' },
  },
  {
    library: 'lowdb', registry: 'npm', category: 'file_io', severity: 'medium', alternative: 'use `Low` with the async `JSONFile` adapter and `await db.read()` / `await db.write()`',
    source: 'https://github.com/typicode/lowdb#sync-api ("LowSync … synchronous adapters")',
    patterns: ['lowdb.LowSync#read', 'lowdb.LowSync#write', 'lowdb.LowSync#update'],
    factories: { 'lowdb.LowSync': 'lowdb.LowSync', 'lowdb/node.LowSync': 'lowdb.LowSync', 'lowdb/node.JSONFileSyncPreset': 'lowdb.LowSync' },
  },
  {
    library: 'sync-request', registry: 'npm', category: 'network', severity: 'high', alternative: 'use `await fetch(...)`',
    source: 'https://github.com/ForbesLindesay/sync-request ("you should not be using this in a production application … it blocks")',
    patterns: ['sync-request'],
  },
  {
    library: 'sync-fetch', registry: 'npm', category: 'network', severity: 'high', alternative: 'use `await fetch(...)`',
    source: 'https://github.com/larsgw/sync-fetch ("Synchronous wrapper around the Fetch API"; it blocks until the response arrives)',
    patterns: ['sync-fetch'],
  },
  {
    library: 'readline-sync', registry: 'npm', category: 'input', severity: 'high', alternative: 'use `readline/promises` (`await rl.question(...)`)',
    source: 'https://github.com/anseki/readline-sync ("Synchronous Readline for interactively running")',
    patterns: ['readline-sync.*'],
  },
  {
    library: 'deasync', registry: 'npm', category: 'lock', severity: 'high', alternative: '`await` the promise instead of turning it synchronous',
    source: 'https://github.com/abbr/deasync ("block the event loop … until the async function returns")',
    patterns: ['deasync', 'deasync.sleep', 'deasync.loopWhile'],
  },
  {
    library: 'bcrypt', registry: 'npm', category: 'cpu', severity: 'medium', alternative: 'use `await bcrypt.hash(...)` / `await bcrypt.compare(...)`',
    source: 'https://github.com/kelektiv/node.bcrypt.js#a-note-on-timing-attacks ("the async version … does not block the event loop"; the *Sync forms do)',
    patterns: ['bcrypt.hashSync', 'bcrypt.compareSync', 'bcrypt.genSaltSync'],
  },
  {
    library: 'bcryptjs', registry: 'npm', category: 'cpu', severity: 'medium', alternative: 'use `await bcrypt.hash(...)` / `await bcrypt.compare(...)`',
    source: 'https://github.com/dcodeIO/bcrypt.js#usage---sync ("Usage - Sync"; the async forms yield to the event loop)',
    patterns: ['bcryptjs.hashSync', 'bcryptjs.compareSync', 'bcryptjs.genSaltSync'],
  },
  {
    library: 'jsonwebtoken', registry: 'npm', category: 'cpu', severity: 'low', alternative: 'pass a callback (`jwt.sign(payload, key, opts, cb)`) or use `jose` (promise API)',
    source: 'https://github.com/auth0/node-jsonwebtoken#jwtsignpayload-secretorprivatekey-options-callback ("(Synchronous) If a callback is not supplied, returns the JsonWebToken")',
    patterns: ['jsonwebtoken.sign', 'jsonwebtoken.verify'].map((pattern) => ({ pattern, syncWithoutCallback: true })),
  },
  {
    library: 'pngjs', registry: 'npm', category: 'cpu', severity: 'medium', alternative: 'use the streaming `new PNG().parse(buf, cb)` / `png.pack()`',
    source: 'https://github.com/pngjs/pngjs#sync-api ("PNG.sync.read(buffer) … synchronous")',
    patterns: ['pngjs.PNG.sync.read', 'pngjs.PNG.sync.write'],
  },
];

/** The catalogue's entries of one registry. */
export function catalogueOf(registry: Registry): LibraryEntry[] {
  return CATALOGUE.filter((e) => e.registry === registry);
}
