import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cartPage, checkFixture, checkPage, inventoryPage, invoicePage, profilePage, renderPage } from './helpers.ts';

const ids = (r: { contradictions: { identifier: string }[] }): string[] => r.contradictions.map((c) => c.identifier).sort();

// --- an awaited call described as blocking / synchronous / not awaited -----------------------

test('an awaited Python call described as blocking the event loop is a contradiction with its file line', async () => {
  const r = await checkPage(inventoryPage('`fetch_stock()` blocks the event loop until the stock service answers.'));
  assert.deepEqual(r.contradictions, [
    { identifier: 'fetch_stock', claim: '`fetch_stock()` blocks the event loop until the stock service answers.', fact: 'awaited at line 44' },
  ]);
});

test('an awaited TypeScript call described as a blocking call is a contradiction', async () => {
  const r = await checkPage(profilePage('**Fetching:** `fetchUser()` is a blocking HTTP call, so the server stalls until the user arrives.'));
  assert.deepEqual(ids(r), ['fetchUser']);
  assert.equal(r.contradictions[0].fact, 'awaited at line 15');
});

test('every awaited call in a list of subjects is reported, each with its own line', async () => {
  const r = await checkPage(inventoryPage('- **Blocking calls:** `fetch_stock()` and `session.commit()` are blocking operations inside an async function.'));
  assert.deepEqual(
    r.contradictions.map((c) => [c.identifier, c.fact]),
    [
      ['fetch_stock', 'awaited at line 44'],
      ['session.commit', 'awaited at line 53'],
    ],
  );
});

test('a hedged blocking claim ("may block") about an awaited call counts as a claim', async () => {
  const r = await checkPage(inventoryPage('`fetch_stock()` may block the event loop while it waits for the network.'));
  assert.deepEqual(ids(r), ['fetch_stock']);
});

test('an awaited call said to be "not awaited" or called "without await" is a contradiction', async () => {
  const r1 = await checkPage(inventoryPage('`session.commit()` is not awaited, so the transaction may never be flushed.'));
  assert.deepEqual(ids(r1), ['session.commit']);
  const r2 = await checkPage(profilePage('The profile is written with `cache.set()` without `await`, so a later read may miss it.'));
  assert.deepEqual(ids(r2), ['cache.set']);
});

test('a blocking claim about a call the code does not await is not a contradiction', async () => {
  const r = await checkPage(
    inventoryPage(
      'The retry path calls `time.sleep(2 ** attempt)`, which blocks the event loop. `open()` and `write_report()` are synchronous and stall the loop while the CSV is written.',
    ),
  );
  assert.deepEqual(r.contradictions, []);
});

test('negations of blocking are not claims', async () => {
  const body = [
    '- `fetch_stock()` does not block the event loop because it is awaited.',
    '- Awaiting `fetch_stock()` is non-blocking.',
    "- `session.commit()` is awaited, so it doesn't stall other tasks.",
    '- To avoid blocking the loop, `session.commit()` is awaited once.',
    '',
    '| Call | Blocking | Async |',
    '|---|---|---|',
    '| `fetch_stock()` | no | yes |',
    '| `session.commit()` | blocking: no | ✅ |',
  ].join('\n');
  assert.deepEqual((await checkPage(inventoryPage(body))).contradictions, []);
});

test('counterfactual sentences are not claims about the code', async () => {
  const r = await checkPage(inventoryPage('If `fetch_stock` were a plain synchronous call, it would stall every other task.'));
  assert.deepEqual(r.contradictions, []);
});

test('a blocking word about another call in the same sentence is not pinned on the awaited one', async () => {
  const body = [
    'Unlike `fetch_stock()`, the `time.sleep()` call blocks the event loop.',
    'While `fetch_stock()` is awaited, `time.sleep()` blocks the whole loop.',
    'Use `asyncio.sleep` instead of the blocking `time.sleep`.',
    'The `try` block wraps `fetch_stock()` so transient errors are retried.',
  ].join(' ');
  assert.deepEqual((await checkPage(inventoryPage(body))).contradictions, []);
});

test('"blocks until" describes the awaiting coroutine, "blocks the event loop until" is a claim', async () => {
  assert.deepEqual((await checkPage(profilePage('`await fetchUser(userId)` blocks until the response arrives.'))).contradictions, []);
  assert.deepEqual(ids(await checkPage(profilePage('`fetchUser()` blocks the event loop until the response arrives.'))), ['fetchUser']);
});

// --- async / synchronous claims about a function of the code ---------------------------------

test('a synchronous function called asynchronous is a contradiction', async () => {
  const r = await checkPage(invoicePage('`formatInvoice` is an asynchronous function that resolves to the formatted total.'));
  assert.deepEqual(r.contradictions.map((c) => [c.identifier, c.fact]), [['formatInvoice', 'declared without async at line 30']]);
});

test('an async function called synchronous is a contradiction, also through "this function"', async () => {
  const r1 = await checkPage(profilePage('`loadProfile` is synchronous.'));
  assert.deepEqual(r1.contradictions.map((c) => c.fact), ['declared async at line 12']);
  const r2 = await checkPage(inventoryPage('This function is synchronous and returns the number of SKUs.'));
  assert.deepEqual(ids(r2), ['sync_inventory']);
});

test('an ambiguous "It" or a named other function is not taken as the page function', async () => {
  const body = 'The function calls `time.sleep(2)`. It is synchronous and blocks the loop. The function `session.add` is synchronous.';
  assert.deepEqual((await checkPage(inventoryPage(body))).contradictions, []);
});

test('correct async and synchronous statements are quiet', async () => {
  assert.deepEqual((await checkPage(inventoryPage('`sync_inventory` is an async function. It awaits `session.commit()` once.'))).contradictions, []);
  assert.deepEqual((await checkPage(invoicePage('`formatInvoice` is a plain synchronous function; nothing in it is awaited.'))).contradictions, []);
});

test('"synchronous" attached to a call inside an async function is not a claim about the function', async () => {
  const r = await checkPage(profilePage('`loadProfile` is async, but `fs.readFileSync()` is a synchronous call that blocks the event loop.'));
  assert.deepEqual(r.contradictions, []);
});

test('async claims about methods of a class page are checked against each method', async () => {
  const wrong = await checkPage(cartPage('`add_item` is an async method, while `checkout` is a regular synchronous method.'));
  assert.deepEqual(
    wrong.contradictions.map((c) => [c.identifier, c.fact]),
    [
      ['add_item', 'declared without async at line 10'],
      ['checkout', 'declared async at line 13'],
    ],
  );
  const right = await checkPage(cartPage('`checkout` is an async method that awaits `gateway.charge()`; `add_item` is synchronous.'));
  assert.deepEqual(right.contradictions, []);
});

// --- parameters ------------------------------------------------------------------------------

test('a stated parameter count outside the signature is a contradiction', async () => {
  const r = await checkPage(profilePage('`loadProfile` accepts three arguments and returns the rendered profile.'));
  assert.deepEqual(r.contradictions.map((c) => [c.identifier, c.fact]), [['loadProfile', 'signature loadProfile(userId, cache) has 2 parameters']]);
});

test('parameter counts between required and total, with or without self, are accepted', async () => {
  for (const n of ['two', 'three', '2']) {
    assert.deepEqual((await checkPage(inventoryPage(`\`sync_inventory\` takes ${n} parameters.`))).contradictions, [], n);
  }
  assert.deepEqual((await checkPage(invoicePage('It takes one required argument.'))).contradictions, []);
  assert.deepEqual((await checkPage(cartPage('`add_item` takes two arguments, and three counting `self`.'))).contradictions, []);
  assert.equal((await checkPage(cartPage('`add_item` takes four arguments.'))).contradictions.length, 1);
});

test('a named parameter that the signature lacks is a contradiction', async () => {
  const r = await checkPage(inventoryPage('The `timeout` parameter bounds each attempt.'));
  assert.deepEqual(r.contradictions.map((c) => [c.identifier, c.fact]), [['timeout', 'no parameter named timeout; signature sync_inventory(session, store_id, retries?)']]);
});

test('named parameters that exist, and arguments of other calls, are quiet', async () => {
  const body = [
    'The `retries` parameter bounds the number of attempts.',
    'The `session` and `store_id` parameters are required.',
    'The `store_id` argument is passed to `fetch_stock()`.',
    'The `qty` keyword argument of `StockLevel` holds the count.',
  ].join(' ');
  assert.deepEqual((await checkPage(inventoryPage(body))).contradictions, []);
});

// --- whole pages -----------------------------------------------------------------------------

test('false pages about other code are flagged: Python and TypeScript fixtures', async () => {
  assert.deepEqual(ids(await checkFixture('inventory_false.md')), ['fetch_stock', 'session.commit', 'sync_inventory', 'timeout']);
  assert.deepEqual(ids(await checkFixture('profile_false.md')), ['cache.set', 'fetchUser', 'loadProfile']);
  assert.deepEqual(ids(await checkFixture('invoice_false.md')), ['currency', 'formatInvoice', 'formatInvoice']);
});

test('truthful pages, including ones that say a sync call blocks, are quiet', async () => {
  for (const name of ['inventory_true.md', 'profile_true.md', 'invoice_true.md', 'config_true.md']) {
    const r = await checkFixture(name);
    assert.deepEqual(r, { ungrounded: [], contradictions: [] }, name);
  }
});

test('Rust: a call with .await described as blocking is a contradiction; Go: "asynchronous" is not checked', async () => {
  const rust = 'pub async fn load_user(&self, id: u64) -> Result<User> {\n    let raw = self.client.get(id).await?;\n    std::thread::sleep(Duration::from_millis(5));\n    Ok(parse_user(&raw))\n}';
  const rs = await checkPage(renderPage({ title: 'Repo::load_user', file: 'src/repo.rs', language: 'rust', lines: [10, 14], source: rust, body: '`self.client.get(id)` blocks the executor, and so does `std::thread::sleep`.' }));
  assert.deepEqual(rs.contradictions.map((c) => [c.identifier, c.fact]), [['self.client.get', 'awaited at line 11']]);
  const go = 'func (s *Server) Start(addr string) error {\n\tgo s.serve(addr)\n\treturn nil\n}';
  const g = await checkPage(renderPage({ title: 'Server.Start', file: 'server.go', language: 'go', lines: [1, 4], source: go, body: '`Start` is asynchronous: it launches `s.serve` in a goroutine and returns. It takes one parameter.' }));
  assert.deepEqual(g.contradictions, []);
});
