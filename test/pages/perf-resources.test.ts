/**
 * Performance pages say what a function holds on to and how many round trips it makes (issue 12,
 * the reviewer's list on `get_stats`): a sqlite3 connection used as a context manager is never
 * closed (Python's `resourceLeaks` rule), and several aggregate queries on one table could be one
 * query with conditional aggregation (any language). Real code from test/fixtures/cw:
 * `StateManager.get_stats` (codeworm/core/state.py) and the dashboard's `get_stats`
 * (dashboard/backend/api.py).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { cwFixture } from '../support/cw-repo.ts';
import { lineIn, originalCodeworm, staticPage, symbolPage, targetFor, type Fixture } from './support.ts';
import { repeatedAggregates } from '../../src/analysis/sql-aggregates.ts';
import { languageById } from '../../src/languages/registry.ts';

let fx: Fixture;
let state: string;
let api: string;
before(async () => {
  fx = await originalCodeworm();
  state = await cwFixture('state.py');
  api = await cwFixture('dashboard_api.py');
});

/** The source of the function starting at the line containing `head`, to its next top-level or same-level `def`. */
function functionAt(text: string, head: string): { source: string; start: number } {
  const lines = text.split('\n');
  const start = lineIn(text, head);
  const indent = /^\s*/.exec(lines[start - 1])![0].length;
  let end = start;
  while (end < lines.length && (lines[end].trim() === '' || /^\s*/.exec(lines[end])![0].length > indent)) end++;
  return { source: lines.slice(start - 1, end).join('\n'), start };
}

const section = (body: string, title: string) => new RegExp(`### ${title}\\n\\n([\\s\\S]*?)(?:\\n### |$)`).exec(body)?.[1] ?? '';

test('aggregate queries on one table: the four scalar COUNT(*) of the dashboard get_stats become one query; GROUP BY queries stay apart', () => {
  const fn = functionAt(api, 'async def get_stats(');
  const found = repeatedAggregates(fn.source, fn.start);
  assert.equal(found.length, 1);
  assert.equal(found[0].table, 'documented_snippets');
  // each query's line is the line its SQL starts on
  assert.deepEqual(found[0].queries.map((q) => q.line), [
    lineIn(api, '"SELECT COUNT(*) FROM documented_snippets"', 'async def get_stats('),
    lineIn(api, '"SELECT COUNT(*) FROM documented_snippets "', 'last_7 = conn.execute('),
    lineIn(api, '"SELECT COUNT(*) FROM documented_snippets "', 'last_30 = conn.execute('),
    lineIn(api, '"SELECT COUNT(*) FROM documented_snippets "', 'today = conn.execute('),
  ]);
  assert.deepEqual(found[0].queries.map((q) => q.where), [null, "documented_at > datetime('now', '-7 days')", "documented_at > datetime('now', '-30 days')", "date(documented_at) = date('now')"]);
  assert.equal(found[0].merged, [
    'SELECT',
    '  COUNT(*),',
    "  SUM(CASE WHEN documented_at > datetime('now', '-7 days') THEN 1 ELSE 0 END),",
    "  SUM(CASE WHEN documented_at > datetime('now', '-30 days') THEN 1 ELSE 0 END),",
    "  SUM(CASE WHEN date(documented_at) = date('now') THEN 1 ELSE 0 END)",
    'FROM documented_snippets',
  ].join('\n'));
  // a triple-quoted query (StateManager.get_stats) is read too, at the line its SQL starts on
  const st = functionAt(state, 'def get_stats(');
  assert.deepEqual(repeatedAggregates(st.source, st.start)[0].queries.map((q) => q.line), [lineIn(state, 'total = conn.execute("SELECT COUNT(*)'), lineIn(state, 'SELECT COUNT(*) FROM documented_snippets', 'recent = conn.execute(')]);
  // one query per table, grouped queries, placeholders: nothing to merge
  assert.deepEqual(repeatedAggregates('def f(c):\n    a = c.execute("SELECT COUNT(*) FROM a").fetchone()\n    b = c.execute("SELECT COUNT(*) FROM b").fetchone()\n', 1), []);
  assert.deepEqual(repeatedAggregates('def f(c):\n    a = c.execute("SELECT COUNT(*) FROM a").fetchone()\n    b = c.execute("SELECT k, COUNT(*) FROM a GROUP BY k").fetchall()\n', 1), []);
  assert.deepEqual(repeatedAggregates('def f(c, x):\n    a = c.execute("SELECT COUNT(*) FROM a").fetchone()\n    b = c.execute("SELECT COUNT(*) FROM a WHERE k = ?", (x,)).fetchone()\n', 1), []);
  // JavaScript template literals and `+` between literals count as one query
  assert.equal(repeatedAggregates('async function f(db) {\n  const a = await db.get(`SELECT COUNT(*) FROM users`);\n  const b = await db.get("SELECT COUNT(*) FROM users " +\n    "WHERE active = 1");\n}\n', 1)[0]?.queries.length, 2);
});

test('the sqlite3 rule is Python\'s own: the Python descriptor has it, TypeScript has none', () => {
  const fn = functionAt(state, 'def get_stats(');
  const leaks = languageById('python')!.resourceLeaks!(fn.source, fn.start, state);
  assert.deepEqual(leaks.map((g) => `${g.kind}:${g.line}`), [`connection not closed:${lineIn(state, 'with self._get_conn() as conn:', 'def get_stats(')}`]);
  assert.equal(languageById('typescript')!.resourceLeaks, undefined);
});

test('performance pages of both get_stats have a Resources section: the connection never closed and the aggregate queries, with lines, how often and the merged query', async () => {
  const st = await symbolPage(fx, 'performance_analysis', 'StateManager.get_stats', 'codeworm/core/state.py');
  const r = section(st.body, 'Resources');
  assert.match(r, new RegExp(`^- \\*\\*connection not closed\\*\\* at line ${lineIn(state, 'with self._get_conn() as conn:', 'def get_stats(')}: \`with self\\._get_conn\\(\\) as conn:\`: sqlite3's connection context manager commits or rolls back when the block ends but does not close the connection`));
  assert.match(r, /- \*\*2 aggregate queries on one table\*\* \(`documented_snippets`\): `COUNT\(\*\)` \(line \d+\), `COUNT\(\*\)` where `documented_at > datetime\('now', '-7 days'\)` \(line \d+\)\. Each is a round trip of its own/);
  assert.match(r, /```sql\n {4}SELECT\n {4} {2}COUNT\(\*\),\n {4} {2}SUM\(CASE WHEN documented_at > datetime\('now', '-7 days'\) THEN 1 ELSE 0 END\)\n {4}FROM documented_snippets\n {4}```/);
  assert.match(st.body, /`StateManager\.get_stats` has 2 concrete costs with a known fix, at 3 places\./);
  const dash = await symbolPage(fx, 'performance_analysis', 'get_stats', 'dashboard/backend/api.py');
  const d = section(dash.body, 'Resources');
  assert.match(d, new RegExp(`- \\*\\*connection not closed\\*\\* at line ${lineIn(api, 'with _get_conn() as conn:', 'async def get_stats(')}: \`with _get_conn\\(\\) as conn:\``));
  assert.match(d, /- \*\*4 aggregate queries on one table\*\* \(`documented_snippets`\)[^\n]*\n {2}- How often: it runs on every request \(`@router\.get\("\/stats", …\)`\)\./);
  // a function with neither gets no section
  const other = await symbolPage(fx, 'performance_analysis', 'CodeWormDaemon._execute_documentation_cycle', 'codeworm/daemon.py');
  assert.doesNotMatch(other.body, /### Resources/);
  for (const p of [st, dash, other]) assert.deepEqual([p.ungrounded, p.contradictions], [[], 0], p.t.displayName);
});

test('advice that holds for the whole function is said once: the dashboard get_repos page names the `def` fix above its four blocking calls, and its unclosed connection under Resources', async () => {
  // with the blocking facts the cycle gives a performance page
  const p = await staticPage(fx, await targetFor(fx, 'performance_analysis', 'get_repos'));
  const blocking = section(p.body, 'Blocking calls in async code');
  assert.equal(blocking.split('declare `get_repos` with `def` instead of `async def`').length - 1, 1, blocking);
  assert.match(blocking, /^Cheapest fix for all 4: declare `get_repos` with `def` instead of `async def` \(it awaits nothing\): [^\n]*Otherwise, call by call:\n\n- `repos_path\.exists`/);
  assert.match(blocking, /- `conn\.execute` at `dashboard\/backend\/api\.py:\d+`: database \(direct\)[^\n]*Fix: Use `aiosqlite`, or run the query in `await asyncio\.to_thread\(\.\.\.\)`\./);
  assert.match(section(p.body, 'Resources'), new RegExp(`- \\*\\*connection not closed\\*\\* at line ${lineIn(api, 'with _get_conn() as conn:', 'async def get_repos(')}: `));
  // two calls: "both"
  const langs = await staticPage(fx, await targetFor(fx, 'performance_analysis', 'get_languages'));
  assert.match(section(langs.body, 'Blocking calls in async code'), /^Cheapest fix for both: declare `get_languages` with `def`/);
  for (const x of [p, langs]) assert.deepEqual([x.ungrounded, x.contradictions], [[], 0]);
});
