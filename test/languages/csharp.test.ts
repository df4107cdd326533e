/**
 * C# extraction: classes, methods, async and awaited calls, XML doc comments, attributes and
 * `using` directives, and the cyclomatic complexity rule of the .NET code-metrics
 * documentation, counted by hand (no peer runs on this machine).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extract } from './helpers.ts';

const CONTROLLER = `using System.IO;
using Http = System.Net.Http;
using static System.Math;

namespace Shop.Api;

/// <summary>
/// Serves the orders of a customer.
/// </summary>
[ApiController]
public sealed class OrdersController : ControllerBase, IDisposable
{
    private readonly HttpClient _http;

    public OrdersController(HttpClient http) : base() { _http = http; }

    /// <summary>Loads one order.</summary>
    [HttpGet("{id}")]
    public async Task<Order?> GetAsync(int id, CancellationToken token = default)
    {
        if (id <= 0 || token.IsCancellationRequested) return null;
        var body = await _http.GetStringAsync($"/orders/{id}", token).ConfigureAwait(false);
        var order = Parse(body);
        return order?.Lines.Count > 0 ? order : null;
    }

    public string Describe(Order order, params string[] tags) =>
        order.Status switch
        {
            Status.Open => "open",
            Status.Paid when order.Total > 100 => "big",
            _ => "other",
        };

    public int Count(IEnumerable<Order> orders)
    {
        var n = 0;
        foreach (var o in orders)
        {
            switch (o.Status)
            {
                case Status.Open:
                case Status.Paid:
                    n++;
                    break;
                default:
                    break;
            }
        }
        try { File.ReadAllText("x"); } catch (IOException) { n = -1; }
        int Twice(int x) => x * 2;
        return Twice(n) ?? orders.Where(x => x.Total > 0 && x.Open).Count();
    }

    public void Dispose() { }
}
`;

test('C# classes, methods, async methods with awaited calls, XML doc, attributes and usings', async () => {
  const r = await extract('csharp', CONTROLLER);
  const cls = r.by('OrdersController');
  assert.equal(cls.kind, 'class');
  assert.equal(cls.docstring, 'Serves the orders of a customer.');
  assert.deepEqual(cls.decorators, ['ApiController']);
  assert.deepEqual(cls.bases, ['ControllerBase', 'IDisposable']);
  assert.equal(cls.methodCount, 5);
  const get = r.by('OrdersController.GetAsync');
  assert.equal(get.isAsync, true);
  assert.equal(get.startLine, 19, 'starts at its declaration, after the attributes');
  assert.deepEqual(get.decorators, ['HttpGet("{id}")']);
  assert.equal(get.docstring, 'Loads one order.');
  assert.deepEqual(get.params, ['id', 'token']);
  const awaited = get.calls.filter((c) => c.awaited).map((c) => c.callee);
  assert.deepEqual(awaited, ['_http.GetStringAsync($"/orders/{id}", token).ConfigureAwait']);
  assert.deepEqual(r.by('OrdersController.Describe').params, ['order', '...tags']);
  assert.equal(r.by('OrdersController.Count.Twice').parent, 'OrdersController.Count', 'a local function is a nested function');
  assert.equal(r.by('OrdersController.Describe').isAsync, false);
  assert.deepEqual(
    r.imports.map((i) => `${i.module}:${i.names[0].local}`),
    ['System.IO:*', 'System.Net.Http:Http', 'System.Math:Math'],
  );
  assert.equal(r.hasSyntaxErrors, false);
});

test('C# cyclomatic complexity follows the .NET code-metrics rule', async () => {
  const r = await extract('csharp', CONTROLLER);
  assert.equal(r.by('OrdersController.OrdersController').metrics.cyclomatic, 1);
  assert.equal(r.by('OrdersController.GetAsync').metrics.cyclomatic, 5); // if, ||, ?., ?:
  assert.equal(r.by('OrdersController.Describe').metrics.cyclomatic, 3, 'two arms; the discard adds nothing');
  assert.equal(r.by('OrdersController.Count').metrics.cyclomatic, 7, "foreach, case, case, catch, ??, the lambda's &&");
  assert.equal(r.by('OrdersController.Count.Twice').metrics.cyclomatic, 1);
});
