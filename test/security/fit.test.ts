import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitFinding, inputKinds, statementAt } from '../../src/analysis/security/fit.ts';

test('statementAt joins a call spread over lines and a triple-quoted string', () => {
  const src = 'def f(x):\n    cur.execute(\n        """SELECT *\n        FROM t WHERE a = ?""",\n        (x,),\n    )\n    return 1';
  assert.equal(statementAt(src, 10, 13), 'cur.execute( """SELECT * FROM t WHERE a = ?""", (x,), )');
  assert.equal(statementAt(src, 10, 16), 'return 1');
});

test('B108: a persistent DevLog path given to the settings loader gets a data-directory fix, not tempfile', () => {
  const src = 'def main() -> int:\n    settings = load_settings(\n        devlog = {"repo_path": Path("/tmp/devlog")},\n    )\n    return 0';
  const fit = fitFinding({ rule: 'B108', line: 3, code: '"/tmp/devlog"' }, src, 1, []);
  assert.ok(fit);
  assert.equal(fit.lowRisk, true);
  assert.match(fit.input, /no caller or request reaches it/);
  assert.match(fit.input, /`repo_path`, where data is kept between runs, not a scratch file: tempfile would[^\n]*lost\. It is handed to `load_settings` as a literal/);
  assert.match(fit.fix, /data directory/);
  assert.match(fit.fix, /drop the literal from the `load_settings` call/);
  assert.doesNotMatch(fit.fix, /mkstemp|tempfile/);
});

test('B108: a log path and a scratch file get different fixes', () => {
  const log = fitFinding({ rule: 'B108', line: 2, code: '"/tmp/codeworm.log"' }, 'def tail(self):\n    log_path = Path("/tmp/codeworm.log")\n    return log_path.read_text()', 1, []);
  assert.match(log!.input, /is a log file \(`log_path`\)/);
  assert.match(log!.fix, /state directory/);
  const scratch = fitFinding({ rule: 'B108', line: 2, code: '"/tmp/out.json"' }, 'def dump(x):\n    with open("/tmp/out.json", "w") as fh:\n        fh.write(x)', 1, ['x']);
  assert.match(scratch!.fix, /tempfile\.mkstemp/);
});

test('B602: a literal command is said to be no injection point; an f-string from a parameter is', () => {
  const lit = fitFinding({ rule: 'B602', line: 2, code: 'subprocess.run("git status", shell=True)' }, 'def st():\n    subprocess.run("git status", shell=True)', 1, []);
  assert.equal(lit!.lowRisk, true);
  assert.match(lit!.input, /fixed string `git status`: no input reaches the shell/);
  assert.match(lit!.fix, /optional: pass it as a list/);
  const piped = fitFinding({ rule: 'B602', line: 2, code: '' }, 'def st():\n    subprocess.run("ps aux | grep x", shell=True)', 1, []);
  assert.match(piped!.fix, /shell's own syntax \(\|\)/);
  const src = 'def clone(url, dest):\n    cmd = f"git clone {url} {dest}"\n    subprocess.run(cmd, shell=True)';
  const built = fitFinding({ rule: 'B602', line: 3, code: 'subprocess.run(cmd, shell=True)' }, src, 1, ['url', 'dest']);
  assert.equal(built!.lowRisk, false);
  assert.match(built!.input, /`cmd` \(from `url`\) and `cmd` \(from `dest`\) from the function's parameters/);
  assert.match(built!.fix, /shlex\.quote/);
});

test('B602: a command from the configuration is low risk, one from a request is not', () => {
  const cfg = fitFinding({ rule: 'B602', line: 2, code: '' }, 'def hook(self):\n    subprocess.run(f"{self.settings.hook} --now", shell=True)', 1, []);
  assert.equal(cfg!.lowRisk, true);
  assert.match(cfg!.input, /`self\.settings\.hook` from the configuration/);
  const req = fitFinding({ rule: 'B602', line: 2, code: '' }, 'def hook():\n    subprocess.run("ping " + request.args["host"], shell=True)', 1, []);
  assert.equal(req!.lowRisk, false);
  assert.match(req!.input, /from the request/);
});

test('B608: placeholders built from ? marks are no injection; a parameter in the text is, and a column name needs an allow list', () => {
  const safe = 'def get(self, ids):\n    marks = ",".join("?" * len(ids))\n    return self.conn.execute(f"SELECT * FROM t WHERE id IN ({marks})", ids)';
  const a = fitFinding({ rule: 'B608', line: 3, code: '' }, safe, 1, ['ids']);
  assert.equal(a!.lowRisk, true);
  assert.match(a!.input, /`marks`, which holds only placeholder marks/);
  assert.match(a!.input, /parameter binding/);
  const bad = 'def find(self, name):\n    return self.conn.execute("SELECT * FROM t WHERE name = \'%s\'" % name)';
  const b = fitFinding({ rule: 'B608', line: 2, code: '' }, bad, 1, ['name']);
  assert.equal(b!.lowRisk, false);
  assert.match(b!.fix, /put a placeholder/);
  const col = 'def sort(self, order_by, limit):\n    return self.conn.execute(f"SELECT * FROM t ORDER BY {order_by} LIMIT ?", (limit,))';
  const c = fitFinding({ rule: 'B608', line: 2, code: '' }, col, 1, ['order_by', 'limit']);
  assert.match(c!.fix, /`order_by` names a table or column, which placeholders cannot bind/);
  assert.match(c!.fix, /keep the values bound/);
});

test('B104: a host default says configuration can change it and gives 127.0.0.1', () => {
  const fit = fitFinding({ rule: 'B104', line: 1, code: '"0.0.0.0"' }, 'def serve(host: str = "0.0.0.0"):\n    app.run(host=host)', 1, ['host']);
  assert.match(fit!.input, /default of `host`/);
  assert.match(fit!.fix, /127\.0\.0\.1/);
});

test('inputKinds follows a local through two assignments and reads call results as their own values', () => {
  const src = 'def f(self, a):\n    b = a.strip()\n    c = b + SUFFIX\n    d = self._tail_log(3)\n    run(c, d, os.environ["X"])';
  const k = inputKinds('c, d, os.environ["X"]', src, 1, 5, ['a']);
  assert.deepEqual([...k.keys()].sort(), ['constant', 'environment', 'parameter', 'state']);
});

test('rules without a context reading give null (the rule text stands)', () => {
  assert.equal(fitFinding({ rule: 'B311', line: 2, code: 'random.random()' }, 'def f():\n    return random.random()', 1, []), null);
});

test('py-html-message: the value in the markup is traced and the fix escapes that value; a constant in the markup is low risk', () => {
  const src = 'async def alert(self):\n    log_tail = self._tail_log(20)\n    await self.notifier.send_alert("x", details = f"<pre>{log_tail}</pre>")';
  const fit = fitFinding({ rule: 'py-html-message', line: 3, code: 'f"<pre>{log_tail}</pre>"' }, src, 1, []);
  assert.equal(fit!.lowRisk, false);
  assert.match(fit!.input, /`log_tail` \(from `self\._tail_log\(\)`\) from the object's state/);
  assert.equal(fit!.fix, 'write `{html.escape(log_tail)}` in the f-string, so a < or & in the value arrives as text');
  const fixed = fitFinding({ rule: 'py-html-message', line: 2, code: 'f"<b>{TITLE}</b>"' }, 'def a(n):\n    n.send_alert(f"<b>{TITLE}</b>")', 1, ['n']);
  assert.equal(fixed!.lowRisk, true);
});
