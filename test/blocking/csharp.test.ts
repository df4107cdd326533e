/**
 * C# blocking analysis (issue 15): the rules of the Visual Studio threading analyzers VSTHRD002
 * (synchronous waits on tasks) and VSTHRD103 (a sync call with an async twin inside an async or
 * Task-returning method), direct and through the repository's own sync methods.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, brief } from './helpers.ts';

const cs = (body: string, usings = 'using System;\nusing System.IO;\nusing System.Threading;\nusing System.Threading.Tasks;\n') => `${usings}namespace Shop;\n${body}`;

describe('csharp: blocking calls in async methods', () => {
  it('reports the VSTHRD002 waits, Thread.Sleep and sync File calls inside an async method, each with its async alternative', async () => {
    const r = await analyze({
      'src/Jobs.cs': cs(`public class Jobs
{
    public async Task RunAsync(HttpClient client)
    {
        var t = client.GetStringAsync("/a");
        var body = t.Result;
        LoadAsync().Wait();
        LoadAsync().GetAwaiter().GetResult();
        Task.WaitAll(LoadAsync(), LoadAsync());
        Thread.Sleep(100);
        var text = File.ReadAllText("x.json");
        await Task.Delay(1);
    }
    private Task LoadAsync() => Task.Delay(1);
}
`),
    });
    assert.deepEqual(brief(r.findings), [
      'src/Jobs.cs:11 direct t.Result',
      'src/Jobs.cs:12 direct LoadAsync(...).Wait',
      'src/Jobs.cs:13 direct LoadAsync(...).GetAwaiter(...).GetResult',
      'src/Jobs.cs:14 direct Task.WaitAll',
      'src/Jobs.cs:15 direct Thread.Sleep',
      'src/Jobs.cs:16 direct File.ReadAllText',
    ]);
    const by = (line: number) => r.findings.find((f) => f.line === line)!;
    assert.equal(by(11).category, 'lock');
    assert.equal(by(11).severity, 'high');
    assert.match(by(11).recommendation, /await t.*VSTHRD002/);
    assert.match(by(15).recommendation, /await Task\.Delay\(\.\.\.\).*VSTHRD103/);
    assert.match(by(16).recommendation, /await File\.ReadAllTextAsync\(\.\.\.\).*VSTHRD103/);
    assert.equal(by(16).category, 'file_io');
  });

  it('awaited async versions, offloaded lambdas and a sync method nobody async calls are not findings', async () => {
    const r = await analyze({
      'src/Clean.cs': cs(`public class Clean
{
    private readonly HttpClient _http = new HttpClient();
    public async Task<string> GetAsync(string path)
    {
        var text = await File.ReadAllTextAsync(path);
        var response = await _http.SendAsync(new HttpRequestMessage()).ConfigureAwait(false);
        var fromPool = await Task.Run(() => File.ReadAllText(path));
        ThreadPool.QueueUserWorkItem(_ => Thread.Sleep(10));
        var names = new List<string> { "a" }.Where(n => n.Length > 0).ToList();
        using var ms = new MemoryStream();
        ms.Write(new byte[1], 0, 1);
        return text + fromPool;
    }
    public void Startup() { Thread.Sleep(1000); File.ReadAllText("config.json"); }
}
`),
    });
    assert.deepEqual(brief(r.findings), []);
  });

  it('.Result of a task the method awaited before, or under a completion check, is not a finding (CA1849: the task has completed); an unawaited one is', async () => {
    const r = await analyze({
      'src/Catalog.cs': cs(`public class Catalog
{
    public async Task<int> CountAsync(Api api)
    {
        var brands = api.BrandsAsync();
        var types = api.TypesAsync();
        var items = api.ItemsAsync();
        await Task.WhenAll(brands, types);
        var b = brands.Result;
        var t = types.Result;
        await items;
        var i = items.Result;
        var late = api.LateAsync();
        var ready = api.ReadyAsync();
        if (ready.Status == TaskStatus.RanToCompletion) return ready.Result;
        var quick = api.QuickAsync();
        var q = quick.IsCompleted ? quick.Result : await quick;
        return b + t + i + late.Result;
    }
}
`),
    });
    assert.deepEqual(brief(r.findings), ['src/Catalog.cs:23 direct late.Result']);
  });

  it('.Result of Task.FromResult is still reported, as VSTHRD002 documents no exception, but low: it never waits', async () => {
    const r = await analyze({ 'src/Cache.cs': cs('public class Cache\n{\n    public async Task<int> GetAsync() { await Task.Yield(); return Task.FromResult(1).Result; }\n}\n') });
    assert.deepEqual(brief(r.findings), ['src/Cache.cs:8 direct Task.FromResult(...).Result']);
    assert.equal(r.findings[0].severity, 'low');
  });

  it('ADO.NET, HttpClient.Send, WebClient and a sync Stream read on typed receivers; a Task-returning method without async counts (VSTHRD103)', async () => {
    const r = await analyze({
      'src/Orders.cs': cs(`public class Orders
{
    private readonly SqlConnection _conn;
    private readonly HttpClient _http;
    public Task<int> CountAsync(Stream input)
    {
        using var cmd = new SqlCommand("select count(*) from orders", _conn);
        _conn.Open();
        var n = (int)cmd.ExecuteScalar();
        _http.Send(new HttpRequestMessage());
        var page = new WebClient().DownloadString("http://x");
        input.Read(new byte[10], 0, 10);
        return Task.FromResult(n);
    }
}
`),
    });
    assert.deepEqual(brief(r.findings), [
      'src/Orders.cs:13 direct _conn.Open',
      'src/Orders.cs:14 direct cmd.ExecuteScalar',
      'src/Orders.cs:15 direct _http.Send',
      'src/Orders.cs:16 direct new WebClient(...).DownloadString',
      'src/Orders.cs:17 direct input.Read',
    ]);
    assert.deepEqual(r.findings.map((f) => f.category).sort(), ['database', 'database', 'file_io', 'network', 'network']);
    assert.match(r.findings.find((f) => f.line === 14)!.recommendation, /ExecuteScalarAsync/);
  });

  it('Entity Framework: SaveChanges on the repository\'s DbContext subclass (another file) and ToList on its query; ToList after AsEnumerable is in memory', async () => {
    const r = await analyze({
      'src/Data/ShopContext.cs': cs('public class ShopContext : DbContext\n{\n    public DbSet<Order> Orders { get; set; }\n}\n', 'using Microsoft.EntityFrameworkCore;\n'),
      'src/Services/OrderService.cs': cs(`public class OrderService
{
    private readonly ShopContext _db;
    public OrderService(ShopContext db) { _db = db; }
    public async Task CloseAsync(int id)
    {
        var open = _db.Orders.Where(o => o.Open).ToList();
        var local = _db.Orders.AsEnumerable().Where(o => o.Open).ToList();
        _db.SaveChanges();
        await _db.SaveChangesAsync();
    }
}
`),
    });
    assert.deepEqual(brief(r.findings), ['src/Services/OrderService.cs:12 direct _db.Orders.Where(...).ToList', 'src/Services/OrderService.cs:14 direct _db.SaveChanges']);
    assert.match(r.findings.find((f) => f.line === 12)!.recommendation, /ToListAsync/);
    assert.match(r.findings.find((f) => f.line === 14)!.recommendation, /SaveChangesAsync/);
  });

  it('a chain through the repository\'s own sync methods, across files, is an indirect finding with the offload hint', async () => {
    const r = await analyze({
      'src/Storage/FileStore.cs': cs(`public class FileStore
{
    public string Load(string key) => Read(key);
    private string Read(string key) { return File.ReadAllText(key); }
}
`),
      'src/Api/OrdersController.cs': cs(`public class OrdersController : ControllerBase
{
    private readonly FileStore _store;
    [HttpGet("{id}")]
    public async Task<string> Get(string id)
    {
        await Task.Yield();
        return _store.Load(id);
    }
}
`),
    });
    assert.deepEqual(brief(r.findings), ['src/Storage/FileStore.cs:9 indirect File.ReadAllText']);
    const f = r.findings[0];
    assert.deepEqual(f.chain, ['OrdersController.Get', 'FileStore.Load', 'FileStore.Read']);
    // a request handler (an [HttpGet] action) makes the path hot: medium file I/O rises to high
    assert.equal(f.severity, 'high');
    assert.match(f.recommendation, /make `FileStore\.Load` async and await it from `OrdersController\.Get`/);
  });

  it('async lambdas are entries of their own; a static call of a repository class and local functions resolve', async () => {
    const r = await analyze({
      'src/Worker.cs': cs(`public static class Disk
{
    public static void Flush() { Thread.Sleep(5); }
}
public class Worker
{
    public void Start(Bus bus)
    {
        bus.Subscribe(async msg => { Disk.Flush(); await Task.Yield(); });
    }
    public async Task TickAsync()
    {
        Local();
        void Local() { Console.ReadLine(); }
        await Task.Yield();
    }
}
`),
    });
    assert.deepEqual(brief(r.findings), ['src/Worker.cs:19 indirect Console.ReadLine', 'src/Worker.cs:8 indirect Thread.Sleep']);
    assert.deepEqual(r.findings.find((f) => f.line === 8)!.chain, ['Worker.Start.<lambda>', 'Disk.Flush']);
  });

  it('findings in .NET test projects are low', async () => {
    const r = await analyze({ 'test/Shop.UnitTests/OrderTests.cs': cs('public class OrderTests\n{\n    public async Task Saves() { Thread.Sleep(10); await Task.Yield(); }\n}\n'), 'Shop.Tests/Other.cs': cs('public class Other\n{\n    public async Task Saves() { Thread.Sleep(10); await Task.Yield(); }\n}\n') });
    assert.deepEqual(r.findings.map((f) => f.severity), ['low', 'low']);
  });
});

describe('csharp: ADO.NET interfaces without async methods', () => {
  it('IDataReader.Read in a Task-returning wrapper is low: the interface has no ReadAsync to await (Dapper\'s WrappedBasicReader shape)', async () => {
    const r = await analyze({
      'src/WrappedReader.cs': cs(`internal sealed class WrappedBasicReader : DbDataReader
{
    private readonly IDataReader _reader;
    public override Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_reader.Read());
    }
}
`),
    });
    assert.deepEqual(brief(r.findings), ['src/WrappedReader.cs:12 direct _reader.Read']);
    assert.equal(r.findings[0].severity, 'low');
    assert.match(r.findings[0].recommendation, /no async methods/);
  });
});

describe('csharp: a real source', () => {
  // MediatR (Apache-2.0), samples/MediatR.Examples.PublishStrategies/SyncPingedHandler.cs: a
  // Task-returning notification handler that sleeps on the calling thread.
  const SYNC_PINGED_HANDLER = `using System;
using System.Threading;
using System.Threading.Tasks;

namespace MediatR.Examples.PublishStrategies;

public class SyncPingedHandler : INotificationHandler<Pinged>
{
    public SyncPingedHandler(string name)
    {
        Name = name;
    }

    public string Name { get; set; }

    public Task Handle(Pinged notification, CancellationToken cancellationToken)
    {
        if (Name == "2")
        {
            throw new ArgumentException("Name cannot be '2'");
        }

        Console.WriteLine($"[SyncPingedHandler {Name}] {DateTime.Now:HH:mm:ss.fff} : Pinged");
        Thread.Sleep(100);
        Console.WriteLine($"[SyncPingedHandler {Name}] {DateTime.Now:HH:mm:ss.fff} : After pinged");
        return Task.CompletedTask;
    }
}
`;
  it('MediatR\'s SyncPingedHandler.Handle sleeps in a Task-returning handler', async () => {
    const r = await analyze({ 'samples/MediatR.Examples.PublishStrategies/SyncPingedHandler.cs': SYNC_PINGED_HANDLER });
    assert.deepEqual(brief(r.findings), ['samples/MediatR.Examples.PublishStrategies/SyncPingedHandler.cs:24 direct Thread.Sleep']);
    assert.equal(r.findings[0].function, 'SyncPingedHandler.Handle');
    assert.equal(r.findings[0].severity, 'high');
    assert.equal(r.async_functions, 1);
  });
});
