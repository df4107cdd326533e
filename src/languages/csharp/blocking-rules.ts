/**
 * Blocking-call rules of C# (the `csharp` rule family): what blocks a thread inside an `async`
 * method (or a `Task`-returning one), with the async alternative. The rules are the ones the
 * Visual Studio threading analyzers describe (microsoft.github.io/vs-threading/analyzers):
 *
 * - **VSTHRD002** "Avoid problematic synchronous waits": `Task.Wait()`, `Task<T>.Result`,
 *   `GetAwaiter().GetResult()` (and `Task.WaitAll` / `WaitAny`) — sync-over-async, which can
 *   deadlock under a synchronisation context and starves the thread pool otherwise. The analyzer
 *   documents no exception for an already-completed task, so `Task.FromResult(x).Result` is still
 *   reported, at `low` (it never waits). CA1849's "when to suppress" (a check that the task has
 *   completed) is followed: `.Result` of a task the method awaited before (`await t`,
 *   `await Task.WhenAll(t, …)`), or read under a check that it completed (`if (t.IsCompleted)`,
 *   `t.Status == TaskStatus.RanToCompletion`), is not a finding — the collector leaves it out.
 * - **VSTHRD103** "Call async methods when in an async method": a call that has an
 *   `Async`-suffixed equivalent (`File.ReadAllText` → `File.ReadAllTextAsync`,
 *   `Stream.Read` → `ReadAsync`, `HttpClient.Send` → `SendAsync`, `DbCommand.ExecuteReader` →
 *   `ExecuteReaderAsync`, `DbContext.SaveChanges` → `SaveChangesAsync`, EF Core's `ToList` on a
 *   query → `ToListAsync`), and `Thread.Sleep` → `Task.Delay`.
 *
 * Beyond the analyzers, like the other languages: calls without an async equivalent that still
 * wait on the disk or the network (`File.Exists`, `Directory.GetFiles`, `Dns.GetHostEntry`) are
 * `low`; `MemoryStream` / `StringReader` / `StringWriter` methods are not findings (no I/O).
 *
 * Canonical names use the simple type name, without namespace or type arguments:
 * `File.ReadAllText` (static), `HttpClient#Send` (instance), `Task#Result` (property).
 */
import type { BlockingRule, LanguageRules } from '../../analysis/blocking/rules.ts';
import type { BlockingCategory, Severity } from '../../analysis/blocking/types.ts';

type Opts = Pick<BlockingRule, 'cap' | 'ignore'>;

function rules(patterns: string[], category: BlockingCategory, severity: Severity, rec: string, opts: Opts = {}): BlockingRule[] {
  return patterns.map((pattern) => ({ pattern, category, severity, rec, ...opts }));
}

const each = (prefix: string, names: string[]): string[] => names.map((n) => prefix + n);

const WAIT = 'await the task instead of blocking on it (`await t`; for several, `await Task.WhenAll(...)`) — VSTHRD002: a synchronous wait on a task can deadlock under a synchronisation context and holds a thread-pool thread';
const FILE = 'use the async file API (`await File.{async}Async(...)`) — VSTHRD103';
const STREAM = 'use the stream\'s async method (`await stream.{async}Async(...)`) — VSTHRD103';
const READER = 'use the async reader / writer method (`await reader.{async}Async(...)`) — VSTHRD103';
const FS_NO_ASYNC = 'no async version exists: move the file-system work into `await Task.Run(() => ...)` if it can be slow (network drives), or do it once at start-up';
const HTTP = 'use `HttpClient` and await it (`await client.SendAsync(...)`, `GetStringAsync`) — VSTHRD103';
const WEBCLIENT = 'replace `WebClient` / `WebRequest` with `HttpClient` and await it (`await client.GetStringAsync(url)`) — VSTHRD103';
const DB = 'await the async ADO.NET method (`await cmd.{async}Async(...)`) — VSTHRD103';
const DAPPER = 'use Dapper\'s async method (`await conn.{async}Async(...)`) — VSTHRD103';
const EF_SAVE = 'use `await context.SaveChangesAsync()` — VSTHRD103';
const EF_QUERY = 'use EF Core\'s async operator (`await query.{async}Async()`) — VSTHRD103';
const SOCKET = 'use the socket\'s async method (`await socket.{async}Async(...)`) — VSTHRD103';

/** Terminal LINQ operators with an EF Core `…Async` twin (`ToListAsync`, `FirstOrDefaultAsync`, …). */
export const EF_TERMINALS = ['ToList', 'ToArray', 'ToDictionary', 'ToHashSet', 'First', 'FirstOrDefault', 'Single', 'SingleOrDefault', 'Last', 'LastOrDefault', 'Count', 'LongCount', 'Any', 'All', 'Sum', 'Average', 'Min', 'Max', 'Contains', 'ElementAt', 'ElementAtOrDefault', 'ExecuteDelete', 'ExecuteUpdate', 'Load'];

const COMMANDS = ['DbCommand', 'IDbCommand', 'SqlCommand', 'NpgsqlCommand', 'MySqlCommand', 'SqliteCommand', 'SQLiteCommand', 'OracleCommand', 'OleDbCommand', 'OdbcCommand', 'FbCommand'];
const CONNECTIONS = ['DbConnection', 'IDbConnection', 'SqlConnection', 'NpgsqlConnection', 'MySqlConnection', 'SqliteConnection', 'SQLiteConnection', 'OracleConnection', 'OleDbConnection', 'OdbcConnection', 'FbConnection'];
const READERS = ['DbDataReader', 'IDataReader', 'SqlDataReader', 'NpgsqlDataReader', 'MySqlDataReader', 'SqliteDataReader', 'SQLiteDataReader', 'OracleDataReader'];
/** Local databases: a query waits on the disk, not the network (`medium`). */
const LOCAL_DB = /^(Sqlite|SQLite)/;

/** ADO.NET's interfaces (`IDbCommand`, `IDbConnection`, `IDataReader`) have no async methods: VSTHRD103 has nothing to offer, so a call on them is `low`. */
const NO_ASYNC = /^I(?:Db|Data)/;
const IFACE_DB = 'the `IDb*` / `IDataReader` interfaces have no async methods: type the value as `DbCommand` / `DbConnection` / `DbDataReader` and await `{async}Async(...)`, or run the work in `await Task.Run(...)`';
const dbSeverity = (type: string): Severity => (NO_ASYNC.test(type) ? 'low' : LOCAL_DB.test(type) ? 'medium' : 'high');
const dbRec = (type: string, rec: string): string => (NO_ASYNC.test(type) ? IFACE_DB : rec);

const dbRules: BlockingRule[] = [
  ...COMMANDS.flatMap((c) => rules(each(`${c}#`, ['ExecuteReader', 'ExecuteNonQuery', 'ExecuteScalar', 'ExecuteXmlReader']), 'database', dbSeverity(c), dbRec(c, DB))),
  ...CONNECTIONS.flatMap((c) => rules(each(`${c}#`, ['Open', 'BeginTransaction', 'ChangeDatabase']), 'database', dbSeverity(c), dbRec(c, 'await the async method (`await conn.{async}Async()`) — VSTHRD103'))),
  // Dapper's extension methods on a connection (Dapper has the async twins for any connection type)
  ...CONNECTIONS.flatMap((c) => rules(each(`${c}#`, ['Query', 'QueryFirst', 'QueryFirstOrDefault', 'QuerySingle', 'QuerySingleOrDefault', 'QueryMultiple', 'Execute', 'ExecuteScalar', 'ExecuteReader']), 'database', LOCAL_DB.test(c) ? 'medium' : 'high', DAPPER)),
  ...READERS.flatMap((r) => rules(each(`${r}#`, ['Read', 'NextResult']), 'database', NO_ASYNC.test(r) ? 'low' : 'medium', dbRec(r, 'await `reader.{async}Async()` — VSTHRD103'))),
  ...COMMANDS.flatMap((c) => rules([`${c}#Prepare`], 'database', 'low', dbRec(c, 'await `cmd.PrepareAsync()` — VSTHRD103'))),
];

/** The `csharp` rule table (see the module comment for sources and decisions). */
export const CSHARP_RULES: LanguageRules = {
  sep: '.',
  rules: [
    // VSTHRD002: synchronous waits on tasks
    // `CompletedTask`: the collector's type of `Task.FromResult(...)`, `Task.CompletedTask`, `ValueTask.FromResult(...)`
    ...rules(['CompletedTask#Result', 'CompletedTask#GetAwaiter().GetResult', 'CompletedTask#Wait'], 'lock', 'low', 'the task has already completed, so this never waits; VSTHRD002 still asks for `await` (or use the value directly) so the code stays safe when the task stops being a completed one', { cap: 'low' }),
    ...rules([...each('Task#', ['Result', 'Wait', 'GetAwaiter().GetResult', 'RunSynchronously']), ...each('ValueTask#', ['Result', 'GetAwaiter().GetResult', 'AsTask().Wait', 'AsTask().Result']), 'Task.WaitAll', 'Task.WaitAny', 'TaskAwaiter#GetResult'], 'lock', 'high', WAIT),
    ...rules(['Thread.Sleep'], 'sleep', 'high', 'use `await Task.Delay(...)` — VSTHRD103 (`Thread.Sleep` holds the thread; `Task.Delay` frees it)'),
    ...rules(['SpinWait.SpinUntil'], 'sleep', 'medium', 'await a signal (`TaskCompletionSource`, `SemaphoreSlim.WaitAsync`) instead of spinning'),
    // other waits
    ...rules(['SemaphoreSlim#Wait'], 'lock', 'medium', 'use `await semaphore.WaitAsync()` — VSTHRD103'),
    ...rules([...each('WaitHandle#', ['WaitOne']), ...each('ManualResetEvent#', ['WaitOne']), ...each('AutoResetEvent#', ['WaitOne']), ...each('ManualResetEventSlim#', ['Wait']), ...each('CountdownEvent#', ['Wait']), ...each('Barrier#', ['SignalAndWait']), ...each('Thread#', ['Join']), 'Monitor.Wait', 'WaitHandle.WaitAll', 'WaitHandle.WaitAny'], 'lock', 'medium', 'wait asynchronously (`await semaphore.WaitAsync()`, a `TaskCompletionSource`, or `await Task.Run(() => handle.WaitOne())`)'),
    // files (VSTHRD103: these have Async twins)
    ...rules(each('File.', ['ReadAllText', 'ReadAllBytes', 'ReadAllLines', 'WriteAllText', 'WriteAllBytes', 'WriteAllLines', 'AppendAllText', 'AppendAllLines']), 'file_io', 'medium', FILE),
    ...rules(each('File.', ['ReadLines', 'Copy', 'Move', 'Replace', 'Delete', 'Open', 'OpenRead', 'OpenWrite', 'OpenText', 'Create', 'CreateText', 'AppendText', 'Encrypt', 'Decrypt']), 'file_io', 'low', FS_NO_ASYNC),
    ...rules([...each('File.', ['Exists', 'GetAttributes', 'GetLastWriteTime', 'GetLastWriteTimeUtc', 'GetCreationTime', 'SetAttributes', 'SetLastWriteTime']), ...each('Directory.', ['Exists']), ...each('FileInfo#', ['Exists', 'Length', 'Refresh'])], 'file_io', 'low', FS_NO_ASYNC, { cap: 'medium' }),
    ...rules(each('Directory.', ['GetFiles', 'GetDirectories', 'GetFileSystemEntries', 'EnumerateFiles', 'EnumerateDirectories', 'EnumerateFileSystemEntries', 'CreateDirectory', 'Delete', 'Move']), 'file_io', 'low', FS_NO_ASYNC),
    ...rules(each('DirectoryInfo#', ['GetFiles', 'GetDirectories', 'EnumerateFiles', 'EnumerateDirectories', 'Create', 'Delete']), 'file_io', 'low', FS_NO_ASYNC),
    // streams, readers and writers: no I/O on memory / string ones
    ...rules(['MemoryStream#*', 'StringReader#*', 'StringWriter#*', 'StringBuilder#*', 'BinaryReader#*', 'BinaryWriter#*'], 'file_io', 'low', '', { ignore: true }),
    ...rules(['*Stream#Read', '*Stream#Write', '*Stream#Flush', '*Stream#CopyTo', '*Stream#ReadByte', '*Stream#WriteByte', '*Stream#ReadExactly', '*Stream#ReadAtLeast'], 'file_io', 'medium', STREAM),
    ...rules([...each('StreamReader#', ['ReadToEnd', 'ReadLine', 'Read', 'ReadBlock']), ...each('TextReader#', ['ReadToEnd', 'ReadLine', 'ReadBlock']), ...each('StreamWriter#', ['Write', 'WriteLine', 'Flush']), ...each('TextWriter#', ['Flush'])], 'file_io', 'medium', READER),
    // network
    ...rules(['HttpClient#Send', 'HttpContent#ReadAsStream', 'HttpContent#CopyTo', 'HttpMessageInvoker#Send'], 'network', 'high', HTTP),
    ...rules([...each('WebClient#', ['DownloadString', 'DownloadData', 'DownloadFile', 'UploadString', 'UploadData', 'UploadFile', 'UploadValues', 'OpenRead', 'OpenWrite']), ...each('WebRequest#', ['GetResponse', 'GetRequestStream']), ...each('HttpWebRequest#', ['GetResponse', 'GetRequestStream'])], 'network', 'high', WEBCLIENT),
    ...rules([...each('Socket#', ['Connect', 'Accept', 'Receive', 'ReceiveFrom', 'Send', 'SendTo', 'SendFile']), ...each('TcpClient#', ['Connect']), ...each('TcpListener#', ['AcceptTcpClient', 'AcceptSocket']), ...each('UdpClient#', ['Receive', 'Send']), ...each('NetworkStream#', ['Read', 'Write'])], 'network', 'high', SOCKET),
    ...rules(['SmtpClient#Send'], 'network', 'high', 'use `await smtp.SendMailAsync(...)` — VSTHRD103'),
    ...rules(['Dns.GetHostEntry', 'Dns.GetHostAddresses', 'Dns.Resolve', 'Dns.GetHostByName'], 'network', 'medium', 'use `await Dns.GetHostAddressesAsync(...)` — VSTHRD103'),
    ...rules(['Ping#Send'], 'network', 'medium', 'use `await ping.SendPingAsync(...)` — VSTHRD103'),
    // databases: ADO.NET, Dapper, Entity Framework
    ...dbRules,
    ...rules(['DbContext#SaveChanges', 'ObjectContext#SaveChanges'], 'database', 'high', EF_SAVE),
    ...rules([...each('DbSet#', ['Find']), ...EF_TERMINALS.map((t) => `IQueryable#${t}`)], 'database', 'high', EF_QUERY),
    // processes and the console
    ...rules(['Process#WaitForExit'], 'subprocess', 'high', 'use `await process.WaitForExitAsync()` (.NET 5+) — VSTHRD103'),
    ...rules(['Process#StandardOutput.ReadToEnd', 'Process#StandardError.ReadToEnd'], 'subprocess', 'high', 'use `await process.StandardOutput.ReadToEndAsync()` — VSTHRD103'),
    ...rules(['Console.ReadLine', 'Console.ReadKey', 'Console.Read'], 'input', 'high', 'read the console in `await Task.Run(Console.ReadLine)`, or use `Console.In.ReadLineAsync()` — VSTHRD103'),
    // CPU-bound work waited for synchronously
    ...rules(['Parallel.For', 'Parallel.ForEach', 'Parallel.Invoke'], 'cpu', 'medium', 'the caller waits for every iteration: use `await Parallel.ForEachAsync(...)` (.NET 6+) or `await Task.Run(() => Parallel.ForEach(...))`'),
  ],
  factories: {
    'File.OpenRead': 'FileStream',
    'File.OpenWrite': 'FileStream',
    'File.Open': 'FileStream',
    'File.Create': 'FileStream',
    'File.OpenText': 'StreamReader',
    'File.CreateText': 'StreamWriter',
    'File.AppendText': 'StreamWriter',
    'Process.Start': 'Process',
    'Task.Run': 'Task',
    'Task.WhenAll': 'Task',
    'Task.WhenAny': 'Task',
    'Task.Delay': 'Task',
    'Task.Factory.StartNew': 'Task',
    'WebRequest.Create': 'WebRequest',
    'WebRequest.CreateHttp': 'HttpWebRequest',
    ...Object.fromEntries(CONNECTIONS.map((c) => [`${c}#CreateCommand`, 'DbCommand'])),
    ...Object.fromEntries(COMMANDS.map((c) => [`${c}#ExecuteReader`, 'DbDataReader'])),
    'HttpResponseMessage#Content': 'HttpContent',
  },
  anyMethod: {
    // names unambiguous enough on a receiver of unknown type
    ExecuteReader: 'DbCommand#ExecuteReader',
    ExecuteNonQuery: 'DbCommand#ExecuteNonQuery',
    ExecuteScalar: 'DbCommand#ExecuteScalar',
    SaveChanges: 'DbContext#SaveChanges',
    ReadToEnd: 'StreamReader#ReadToEnd',
    WaitForExit: 'Process#WaitForExit',
    DownloadString: 'WebClient#DownloadString',
    DownloadData: 'WebClient#DownloadData',
    DownloadFile: 'WebClient#DownloadFile',
    GetResponse: 'WebRequest#GetResponse',
    WaitOne: 'WaitHandle#WaitOne',
  },
};
