/**
 * Gotchas a blind reader of the original CodeWorm's pages missed (issue 12): mixed local and UTC
 * clocks, sqlite3's context manager that does not close, counters that only grow. Each detector
 * with code that has the shape and code that does not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countersNeverReset, isLongRunning, mixedClocks, rankGotchas } from '../../src/analysis/gotchas.ts';
import { sqliteWithNotClosing } from '../../src/languages/python/resources.ts';

const STATE = [
  'class StateStore:',
  '    def record(self, name):',
  '        now = datetime.now()',
  '        with self._get_conn() as conn:',
  '            conn.execute("INSERT INTO docs (name, at) VALUES (?, ?)", (name, now.isoformat()))',
  '',
  '    def recent(self):',
  '        with self._get_conn() as conn:',
  '            return conn.execute("SELECT COUNT(*) FROM docs WHERE at > datetime(\'now\', \'-7 days\')").fetchone()',
  '',
  '    def _get_conn(self):',
  '        conn = sqlite3.connect(self.db_path, timeout = 10)',
  '        conn.row_factory = sqlite3.Row',
  '        return conn',
].join('\n');

test('mixed clocks: naive datetime.now() stored beside SQLite\'s UTC datetime(\'now\') is a gotcha, with the isoformat T', () => {
  const g = mixedClocks(STATE, 40);
  assert.equal(g.length, 1);
  assert.equal(g[0].line, 42);
  assert.match(g[0].note, /`datetime\.now\(\)` \(line 42\) is local time without a time zone, while SQLite's `'now'`, which is UTC, at line 48/);
  assert.match(g[0].note, /writes a `T` between date and time where SQLite writes a space/);
  assert.match(g[0].note, /passing the UTC time zone to `datetime\.now` on the Python side keeps one clock$/);
  // utcnow beside now() is mixed as well
  assert.equal(mixedClocks('a = datetime.now()\nb = datetime.utcnow()', 1).length, 1);
});

test('mixed clocks: one clock only, an aware now(), or SQL with localtime is no gotcha', () => {
  assert.deepEqual(mixedClocks('a = datetime.now()\nb = a - timedelta(days=1)', 1), []);
  assert.deepEqual(mixedClocks('a = datetime.now(timezone.utc)\nq = "SELECT * FROM t WHERE at > datetime(\'now\')"', 1), []);
  assert.deepEqual(mixedClocks('a = datetime.now()\nq = "SELECT * FROM t WHERE at > datetime(\'now\', \'localtime\')"', 1), []);
  assert.deepEqual(mixedClocks('# datetime.now() vs CURRENT_TIMESTAMP\nq = "SELECT CURRENT_TIMESTAMP"', 1), []);
});

test('sqlite3 connection context manager: a with block over connect() or a helper returning it is a gotcha; closing() and close() are not', () => {
  const g = sqliteWithNotClosing(STATE, 40);
  assert.equal(g.length, 1);
  assert.equal(g[0].line, 43);
  assert.match(g[0].note, /`with self\._get_conn\(\) as conn:` and the 1 other block like it \(line 47\)/);
  assert.match(g[0].note, /commits or rolls back when the block ends but does not close the connection \(Python docs, sqlite3, “How to use the connection context manager”\)/);
  assert.equal(sqliteWithNotClosing('def init(p):\n    with sqlite3.connect(p) as conn:\n        conn.executescript(S)', 1)[0]?.line, 2);
  const lit = sqliteWithNotClosing('def init():\n    with sqlite3.connect("state.db") as db:  # the store\n        db.executescript(S)', 1)[0];
  assert.match(lit.note, /^`with sqlite3\.connect\("state\.db"\) as db:`: /);
  assert.match(lit.note, /`with contextlib\.closing\(…\) as db:` closes it, and so does closing it in a `finally` block$/);
  assert.deepEqual(sqliteWithNotClosing('def init(p):\n    with closing(sqlite3.connect(p)) as conn:\n        conn.executescript(S)', 1), []);
  assert.deepEqual(sqliteWithNotClosing('def init(p):\n    with sqlite3.connect(p) as conn:\n        conn.executescript(S)\n        conn.close()', 1), []);
  assert.deepEqual(sqliteWithNotClosing('def f(p):\n    with open(p) as fh:\n        return fh.read()', 1), []);
  // a helper that closes before returning is not a connection handed out
  assert.deepEqual(sqliteWithNotClosing('def _c(self):\n    conn = sqlite3.connect(x)\n    conn.close()\n    return conn\n\ndef g(self):\n    with self._c() as conn:\n        pass', 1), []);
});

const STATS = [
  '@dataclass',
  'class DaemonStats:',
  '    total_cycles: int = 0',
  '    failed_cycles: int = 0',
  '    consecutive_failures: int = 0',
  '    repos_exhausted: set = field(default_factory = set)',
  '    seen: list = field(default_factory = list)',
  '',
  '    def record_success(self):',
  '        self.total_cycles += 1',
  '        self.consecutive_failures = 0',
  '        self.repos_exhausted.clear()',
  '',
  '    def record_failure(self, reason):',
  '        self.total_cycles += 1',
  '        self.failed_cycles += 1',
  '        self.consecutive_failures += 1',
  '        self.repos_exhausted.add(reason)',
  '        self.seen.append(reason)',
].join('\n');

test('counters only incremented in a long-running process count since start; reset ones and cleared sets are no gotcha; a growing list is', () => {
  const g = countersNeverReset(STATS, 50, true);
  const counter = g.find((x) => x.kind === 'counter never reset')!;
  assert.equal(counter.line, 59);
  assert.match(counter.note, /^`total_cycles` and `failed_cycles` are only ever incremented \(first at line 59\) and never set back/);
  assert.match(counter.note, /they count since the process started, not per day or per cycle/);
  assert.doesNotMatch(counter.note, /consecutive_failures/);
  const grows = g.filter((x) => x.kind === 'collection only grows');
  assert.deepEqual(grows.map((x) => x.line), [68]);
  assert.match(grows[0].note, /`self\.seen` is added to \(line 68\) and never cleared[^\n]*grows for as long as it runs/);
  // not long-running: nothing to say
  assert.deepEqual(countersNeverReset(STATS, 50, false), []);
  // a bounded deque and a counter set back are no gotcha
  assert.deepEqual(countersNeverReset('class A:\n    def __init__(self):\n        self.n = 0\n        self.q = deque(maxlen = 10)\n    def tick(self):\n        self.n += 1\n        self.q.append(1)\n    def reset(self):\n        self.n = 0', 1, true), []);
});

test('long-running: a while loop over a flag, while True or serve_forever; a plain script is not', () => {
  assert.equal(isLongRunning('def run(self):\n    while self.running:\n        step()'), true);
  assert.equal(isLongRunning('while True:\n    poll()'), true);
  assert.equal(isLongRunning('server.serve_forever()'), true);
  assert.equal(isLongRunning('for x in xs:\n    while x > 0:\n        x -= 1'), false);
});

test('the new gotchas rank with the others: medium before low, then by line', () => {
  const all = [...countersNeverReset(STATS, 50, true), ...sqliteWithNotClosing(STATE, 10), ...mixedClocks(STATE, 10)];
  assert.deepEqual(rankGotchas(all).map((g) => `${g.severity}:${g.kind}`), ['medium:mixed clocks', 'medium:connection not closed', 'medium:collection only grows', 'low:counter never reset']);
});
