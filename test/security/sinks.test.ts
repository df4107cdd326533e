import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseSource } from '../../src/index/parser.ts';
import type { LanguageId } from '../../src/index/types.ts';
import { collectSecuritySinks, SECURITY_RULES, type SecuritySink } from '../../src/analysis/security/index.ts';
import { languageById } from '../../src/languages/registry.ts';
import { pythonStdlib } from '../support/real-repo.ts';
import { REPO_ROOT } from '../support/cli.ts';

const run = promisify(execFile);

async function sinksOf(language: LanguageId, source: string): Promise<SecuritySink[]> {
  const tree = await parseSource(language, source);
  try {
    return collectSecuritySinks(tree.rootNode, languageById(language)!, source)?.f ?? [];
  } finally {
    tree.delete();
  }
}

const at = (sinks: SecuritySink[]) => sinks.map((s) => `${s.l}:${s.r}`);

test('Python stdlib: every sink bandit reports (of the rules we share) is found on the same line', async () => {
  const stdlib = pythonStdlib();
  const files = ['os.py', 'pydoc.py', 'webbrowser.py', 'platform.py', 'shelve.py', 'pdb.py', 'ctypes/util.py', 'logging/config.py', 'tempfile.py'].map((f) => path.join(stdlib, f));
  const out = path.join(await mkdtemp(path.join(tmpdir(), 'cw-bandit-')), 'b.json');
  // bandit exits 1 when it reports something; the JSON file is the result.
  await run('bandit', ['-f', 'json', '-o', out, '-q', ...files]).catch(() => undefined);
  const results = (JSON.parse(await readFile(out, 'utf8')) as { results: { filename: string; line_number: number; test_id: string }[] }).results;
  const shared = results.filter((r) => SECURITY_RULES[r.test_id] !== undefined);
  assert.ok(shared.length >= 25, `bandit reported ${shared.length} shared-rule results`);
  const missing: string[] = [];
  for (const file of files) {
    const ours = new Set(at(await sinksOf('python', await readFile(file, 'utf8'))));
    for (const r of shared.filter((x) => x.filename === file)) {
      if (!ours.has(`${r.line_number}:${r.test_id}`)) missing.push(`${path.relative(stdlib, file)}:${r.line_number} ${r.test_id}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('Python: arguments decide (shell=True, verify=False, safe YAML loaders), imports resolve aliases, a local name is not a module', async () => {
  const src = [
    'import subprocess as sp',
    'from os import system',
    'import yaml, requests, hashlib, random, tempfile',
    'def f(cmd, url, q, name):',
    '    sp.run(cmd, shell=True)',
    '    sp.run(["ls", "-l"])',
    '    system("echo " + cmd)',
    '    requests.get(url, verify=False)',
    '    requests.get(url)',
    '    yaml.load(q)',
    '    yaml.load(q, Loader=yaml.SafeLoader)',
    '    hashlib.new("md5")',
    '    hashlib.sha256(b"x")',
    '    tempfile.mktemp()',
    '    cur.execute("SELECT * FROM t WHERE name = \'%s\'" % name)',
    '    cur.execute("SELECT * FROM t WHERE name = ?", (name,))',
    '    cur.execute(f"DELETE FROM t WHERE id = {q}")',
    '    srv.bind(("0.0.0.0", 80))',
    '    commands = []',
    '    commands.append(cmd)',
    '    eval(q)',
    '    random.choice("abc")',
  ].join('\n');
  assert.deepEqual(at(await sinksOf('python', src)), [
    '5:B602', '6:B603', '6:B607', '7:B605', '8:B501', '10:B506', '12:B324', '14:B306', '15:B608', '17:B608', '18:B104', '21:B307', '22:B311',
  ]);
});

test('JS/TS in node_modules: a built execSync command, the Function constructor, a template-literal shell command', async () => {
  const typings = await readFile(path.join(REPO_ROOT, 'node_modules/typescript/lib/_typingsInstaller.js'), 'utf8');
  const line = typings.split('\n').findIndex((l) => l.includes('import_child_process.execSync)(command')) + 1;
  assert.ok(line > 0);
  assert.ok(at(await sinksOf('javascript', typings)).includes(`${line}:js-exec-built`));
  const realRequire = await readFile(path.join(REPO_ROOT, 'node_modules/real-require/src/index.js'), 'utf8');
  assert.deepEqual(at(await sinksOf('javascript', realRequire)), ['4:js-function']);
  const bench = await readFile(path.join(REPO_ROOT, 'node_modules/pino/benchmarks/utils/generate-benchmark-doc.js'), 'utf8');
  assert.deepEqual(at(await sinksOf('javascript', bench)), ['7:js-exec-built']);
});

test('TS: innerHTML from data, disabled TLS checks, Math.random for a token, weak hashes, SQL and paths from the request', async () => {
  const src = [
    "import { exec } from 'node:child_process';",
    'export function render(el: HTMLElement, html: string, req: any, db: any) {',
    '  el.innerHTML = html;',
    "  el.innerHTML = '<b>fixed</b>';",
    '  const agent = { rejectUnauthorized: false };',
    '  const token = Math.random().toString(36);',
    '  const jitter = Math.random() * 10;',
    "  crypto.createHash('md5').update(html);",
    '  db.query(`SELECT * FROM users WHERE id = ${req.params.id}`);',
    "  db.query('SELECT * FROM users WHERE id = ?', [req.params.id]);",
    '  fs.readFileSync(req.query.file);',
    "  exec('ls -l');",
    '  exec(`git log ${html}`);',
    '  /x/.exec(html);',
    '}',
  ].join('\n');
  assert.deepEqual(at(await sinksOf('typescript', src)), ['3:js-inner-html', '5:js-tls-off', '6:js-random-token', '8:js-weak-hash', '9:js-sql-built', '11:js-request-path', '12:js-exec', '13:js-exec-built']);
});

test('Go and Rust: the cheap line rules', async () => {
  const go = ['package main', 'import (', '\t"math/rand"', '\t"os/exec"', ')', 'func f(s string) {', '\texec.Command("sh", "-c", s).Run()', '\t_ = rand.Intn(10)', '\tc := &tls.Config{InsecureSkipVerify: true}', '\t// exec.Command("sh", "-c", s)', '}'].join('\n');
  assert.deepEqual(at(await sinksOf('go', go)), ['7:go-shell', '8:go-math-rand', '9:go-tls-off']);
  const rs = ['fn f(p: *const u8) -> u8 {', '    unsafe { *p }', '}', 'fn g() { std::process::Command::new("sh").arg("-c").arg("x"); }'].join('\n');
  assert.deepEqual(at(await sinksOf('rust', rs)), ['2:rust-unsafe', '4:rust-shell']);
});

test('a file of a language without rules has no security facts', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-sec-'));
  await writeFile(path.join(dir, 'x.py'), 'x = 1\n');
  assert.deepEqual(await sinksOf('python', 'x = 1\n'), []);
});

test('Python: hard-coded credentials in assignments, keyword arguments and defaults (bandit B105-B107), not empty ones', async () => {
  const src = ['def connect(host, password="hunter2", token=""):', '    db_password = "Tr0ub4dor"', '    api_token = ""', '    s = Session(aws_secret="abc")', '    return s'].join('\n');
  assert.deepEqual(at(await sinksOf('python', src)), ['1:B107', '2:B105', '4:B106']);
});
