/**
 * Cyclomatic-complexity agreement of the languages added in issue 15 with each language's
 * standard tool, run as a peer on a real corpus. Prints per language and corpus: the peer's
 * functions, those we compare (both report), agreement (equal complexity) and found (share of
 * the peer's functions we have a symbol for). Goals: agreement >= 98%, found >= 95%.
 *
 * Peers (Debian packages): Checkstyle `CyclomaticComplexity` (max 0) for Java on the JDK
 * sources (the Temurin JDK's `lib/src.zip`); pmccabe for C (the SQLite amalgamation inside
 * better-sqlite3) and C++ (`--cpp DIR`, a real code base); RuboCop `Metrics/CyclomaticComplexity`
 * (Max 0) for Ruby on Debian's Ruby standard library; PHPMD `CyclomaticComplexity`
 * (reportLevel 1) for PHP (`--php DIR`). A language whose peer or corpus is missing prints why.
 *
 * Matching: a peer function matches our function of the same file that starts on the peer's
 * line or within the annotation / attribute lines after it (Checkstyle reports a method at its
 * first annotation). Peer entries that are not functions by our rules are counted apart and
 * named: Java methods without a body and initialiser blocks.
 *
 * Run: node --import tsx bench/lang-agreement-bench.ts [--only=java,c,cpp,ruby,php] [--limit=N]
 *      [--cpp=DIR] [--php=DIR]
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { CodeSymbol } from '../src/index/types.ts';
import { ourSymbols, type PeerBlock } from './cc-peers.ts';

const run = promisify(execFile);
const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const only = arg('only')?.split(',');
const limit = Number(arg('limit') ?? 1500);

async function walk(dir: string, accept: (p: string) => boolean, out: string[] = []): Promise<string[]> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!/^(\.git|node_modules|vendor|tests?|spec|fixtures)$/.test(e.name)) await walk(p, accept, out);
    } else if (e.isFile() && accept(p)) out.push(p);
  }
  return out.sort();
}

async function has(cmd: string): Promise<boolean> {
  try {
    await run('sh', ['-c', `command -v ${cmd}`]);
    return true;
  } catch {
    return false;
  }
}

/** Run a peer that exits non-zero when it reports anything; its stdout either way. */
async function peerOutput(cmd: string, args: string[], cwd?: string): Promise<string> {
  try {
    return (await run(cmd, args, { maxBuffer: 1 << 30, cwd })).stdout;
  } catch (e) {
    const err = e as { stdout?: string; message: string };
    if (typeof err.stdout === 'string' && err.stdout.length > 0) return err.stdout;
    throw e;
  }
}

interface Result {
  peer: number;
  excluded: Map<string, number>;
  compared: number;
  agreed: number;
  missing: PeerBlock[];
  disagreements: { block: PeerBlock; ours: number; symbol: CodeSymbol }[];
}

/**
 * Match each peer function to our function in its file starting at its line or up to `slack`
 * lines after it (annotations, attributes, a return type on its own line), the nearest first.
 */
function compare(blocks: PeerBlock[], ours: Map<string, CodeSymbol[]>, slack: number, exclude: (b: PeerBlock) => string | null, back = 0): Result {
  const r: Result = { peer: 0, excluded: new Map(), compared: 0, agreed: 0, missing: [], disagreements: [] };
  const taken = new Set<CodeSymbol>();
  for (const b of blocks) {
    const why = exclude(b);
    if (why) {
      r.excluded.set(why, (r.excluded.get(why) ?? 0) + 1);
      continue;
    }
    r.peer++;
    const fns = (ours.get(b.file) ?? []).filter((s) => s.kind !== 'class' && !taken.has(s) && s.startLine >= b.line - back && s.startLine <= b.line + slack);
    fns.sort((x, y) => Math.abs(x.startLine - b.line) - Math.abs(y.startLine - b.line) || Number(y.name === b.name) - Number(x.name === b.name));
    const s = fns.find((f) => !b.name || f.name === b.name || b.name.endsWith(`::${f.name}`) || b.name.endsWith(`.${f.name}`) || b.name.endsWith(`#${f.name}`)) ?? (b.name ? undefined : fns[0]);
    if (!s) {
      r.missing.push(b);
      continue;
    }
    taken.add(s);
    r.compared++;
    if (s.metrics.cyclomatic === b.complexity) r.agreed++;
    else r.disagreements.push({ block: b, ours: s.metrics.cyclomatic, symbol: s });
  }
  return r;
}

function report(language: string, corpus: string, files: number, failed: number, r: Result, ms: number): void {
  const pct = (a: number, b: number) => (b ? ((100 * a) / b).toFixed(2) + '%' : 'n/a');
  console.log(`\n== ${language}: ${corpus} (${files} files, ${failed} the peer could not parse)`);
  console.log(`functions: peer ${r.peer}, compared ${r.compared}, agreement ${r.agreed}/${r.compared} = ${pct(r.agreed, r.compared)}, found ${r.compared}/${r.peer} = ${pct(r.compared, r.peer)}   [${(ms / 1000).toFixed(1)} s]`);
  if (r.excluded.size) console.log(`not functions by our rules (left out): ${[...r.excluded].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  const kinds = new Map<string, number>();
  for (const d of r.disagreements) {
    const k = `ours-peer=${d.ours - d.block.complexity > 0 ? '+' : ''}${d.ours - d.block.complexity}`;
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
  }
  if (kinds.size) console.log('disagreements:', [...kinds].sort((x, y) => y[1] - x[1]).slice(0, 6).map(([k, n]) => `${k}: ${n}`).join('; '));
  for (const d of r.disagreements.slice(0, 6)) console.log(`  ${d.block.file}:${d.block.line} ${d.block.name || d.symbol.displayName} peer=${d.block.complexity} ours=${d.ours}`);
  for (const m of r.missing.slice(0, 6)) console.log(`  missing: ${m.file}:${m.line} ${m.name}`);
}

async function lines(file: string, cache: Map<string, string[]>): Promise<string[]> {
  let l = cache.get(file);
  if (!l) cache.set(file, (l = (await readFile(file, 'utf8')).split('\n')));
  return l;
}

/** A declaration at `line` ends at `;` before any `{`: an abstract or interface method. */
function bodyless(text: string[], line: number): boolean {
  for (let i = line - 1; i < Math.min(text.length, line + 30); i++) {
    const code = text[i].replace(/\/\/.*$/, '').replace(/"(?:\\.|[^"\\])*"/g, '""').replace(/'(?:\\.|[^'\\])*'/g, "''").replace(/[@#]\[?\w+(\([^)]*\))?\]?/g, '');
    const brace = code.indexOf('{');
    const semi = code.indexOf(';');
    if (semi >= 0 && (brace < 0 || semi < brace)) return true;
    if (brace >= 0) return false;
  }
  return false;
}

// ---- Java: Checkstyle ----

const CHECKSTYLE_CONFIG = `<?xml version="1.0"?>
<!DOCTYPE module PUBLIC "-//Checkstyle//DTD Checkstyle Configuration 1.3//EN" "https://checkstyle.org/dtds/configuration_1_3.dtd">
<module name="Checker"><property name="haltOnException" value="false"/>
<module name="TreeWalker"><module name="CyclomaticComplexity"><property name="max" value="0"/></module></module></module>`;

async function java(): Promise<void> {
  if (!(await has('checkstyle'))) return console.log('\n== java: checkstyle not installed (apt-get install checkstyle)');
  const zip = ['/usr/lib/jvm/temurin-25-jdk-amd64/lib/src.zip', ...(process.env.JAVA_HOME ? [path.join(process.env.JAVA_HOME, 'lib/src.zip')] : [])].find((p) => existsSync(p));
  if (!zip) return console.log('\n== java: no JDK lib/src.zip found');
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-jdk-'));
  try {
    await run('unzip', ['-q', '-o', zip, 'java.base/java/util/*', 'java.base/java/lang/*', 'java.base/java/io/*', 'java.base/java/net/*', '-d', dir], { maxBuffer: 1 << 26 });
    const files = (await walk(dir, (p) => p.endsWith('.java'))).slice(0, limit);
    const config = path.join(dir, 'checkstyle.xml');
    await writeFile(config, CHECKSTYLE_CONFIG);
    const t = performance.now();
    const blocks: PeerBlock[] = [];
    const failed = new Set<string>();
    for (let i = 0; i < files.length; i += 300) {
      const out = await peerOutput('checkstyle', ['-c', config, ...files.slice(i, i + 300)]);
      for (const line of out.split('\n')) {
        const m = /^\[\w+\] (.+?):(\d+):\d+: Cyclomatic Complexity is (\d+)/.exec(line);
        if (m) blocks.push({ file: m[1], line: Number(m[2]), kind: 'function', name: '', complexity: Number(m[3]) });
        const f = /^\[\w+\] (.+?):\d+: Got an exception/.exec(line);
        if (f) failed.add(f[1]);
      }
    }
    const ok = files.filter((f) => !failed.has(f));
    const ours = await ourSymbols(ok);
    const cache = new Map<string, string[]>();
    for (const f of ok) await lines(f, cache);
    const exclude = (b: PeerBlock): string | null => {
      const text = cache.get(b.file) ?? [];
      if (/^\s*(static\s*)?\{/.test(text[b.line - 1] ?? '')) return 'initialiser blocks';
      return bodyless(text, b.line) ? 'methods without a body' : null;
    };
    report('java', `JDK sources ${zip} (java.base: java.util, java.lang, java.io, java.net)`, files.length, failed.size, compare(blocks, ours, 12, exclude), performance.now() - t);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ---- C and C++: pmccabe ----

/**
 * pmccabe's functions of `files` (second column: traditional McCabe, each `case` counted). Its
 * line is the line of the function's name; a file it cannot parse is reported on stderr.
 */
async function pmccabeBlocks(files: string[]): Promise<{ blocks: PeerBlock[]; failed: Set<string> }> {
  const blocks: PeerBlock[] = [];
  const failed = new Set<string>();
  for (const file of files) {
    let out: { stdout: string; stderr: string };
    try {
      out = await run('pmccabe', [file], { maxBuffer: 1 << 28 });
    } catch (e) {
      out = e as { stdout: string; stderr: string };
    }
    const before = blocks.length;
    for (const line of out.stdout.split('\n')) {
      const m = /^(\d+)\t(\d+)\t\d+\t\d+\t\d+\t(.+)\((\d+)\): (.+)$/.exec(line);
      if (m) blocks.push({ file: m[3], line: Number(m[4]), kind: 'function', name: m[5].trim(), complexity: Number(m[2]) });
    }
    // pmccabe warns about constructs it misreads and goes on; a file with no function is one it could not read.
    if (blocks.length === before && out.stderr) failed.add(file);
  }
  return { blocks, failed };
}

async function cFamily(language: string, corpus: string, files: string[]): Promise<void> {
  if (!(await has('pmccabe'))) return console.log(`\n== ${language}: pmccabe not installed (apt-get install pmccabe)`);
  const t = performance.now();
  const { blocks, failed } = await pmccabeBlocks(files);
  const ok = files.filter((f) => !failed.has(f));
  const ours = await ourSymbols(ok);
  // pmccabe names a `catch` handler of a function-try-block as a function of its own.
  // and misreads a statement as a function now and then (`leveldb::if`): neither is a function.
  const exclude = (b: PeerBlock): string | null => (b.name === 'catch' ? 'catch handlers' : /(^|::)(if|while|for|switch|return|do|else)$/.test(b.name) ? 'statements pmccabe misread as functions' : null);
  report(language, corpus, files.length, failed.size, compare(blocks.filter((b) => !failed.has(b.file)), ours, 2, exclude, 4), performance.now() - t);
}

async function cLang(): Promise<void> {
  const sqlite = path.resolve('node_modules/better-sqlite3/deps/sqlite3/sqlite3.c');
  if (!existsSync(sqlite)) return console.log('\n== c: the SQLite amalgamation is not in node_modules/better-sqlite3/deps');
  await cFamily('c', 'SQLite amalgamation (better-sqlite3)', [sqlite]);
}

async function cppLang(): Promise<void> {
  const dir = arg('cpp');
  if (!dir || !existsSync(dir)) return console.log('\n== cpp: give a C++ code base with --cpp=DIR');
  const files = (await walk(dir, (p) => /\.(cpp|cc|cxx|hpp|hh|h)$/.test(p) && !/\.h$/.test(p))).slice(0, limit);
  await cFamily('cpp', dir, files);
}

// ---- Ruby: RuboCop ----

const RUBOCOP_CONFIG = `AllCops:
  DisabledByDefault: true
  NewCops: disable
  SuggestExtensions: false
Metrics/CyclomaticComplexity:
  Enabled: true
  Max: 0
`;

interface RubocopJson {
  files: { path: string; offenses: { message: string; cop_name: string; location: { start_line: number } }[] }[];
}

async function rubyLang(): Promise<void> {
  if (!(await has('rubocop'))) return console.log('\n== ruby: rubocop not installed (apt-get install rubocop)');
  const root = ['/usr/lib/ruby/3.1.0', '/usr/lib/ruby/3.3.0', '/usr/lib/ruby/3.2.0'].find((d) => existsSync(d));
  if (!root) return console.log('\n== ruby: no Ruby standard library under /usr/lib/ruby');
  const files = (await walk(root, (p) => p.endsWith('.rb'))).slice(0, limit);
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-rubocop-'));
  try {
    const config = path.join(dir, 'rubocop.yml');
    await writeFile(config, RUBOCOP_CONFIG);
    const t = performance.now();
    const blocks: PeerBlock[] = [];
    const failed = new Set<string>();
    for (let i = 0; i < files.length; i += 200) {
      const out = await peerOutput('rubocop', ['--cache', 'false', '-c', config, '--format', 'json', ...files.slice(i, i + 200)]);
      const json = JSON.parse(out) as RubocopJson;
      for (const f of json.files) {
        const file = path.isAbsolute(f.path) ? f.path : path.resolve(f.path);
        for (const o of f.offenses) {
          if (o.cop_name === 'Lint/Syntax') failed.add(file);
          const m = /^Cyclomatic complexity for (.+?) is too high\. \[(\d+)\/0\]/.exec(o.message);
          if (m) blocks.push({ file, line: o.location.start_line, kind: 'function', name: m[1], complexity: Number(m[2]) });
        }
      }
    }
    const ok = files.filter((f) => !failed.has(f));
    const ours = await ourSymbols(ok);
    // `define_method(:name) do … end` blocks are methods to RuboCop; to us they are blocks inside the code that defines them.
    const exclude = (b: PeerBlock): string | null => ((ours.get(b.file) ?? []).some((s) => s.startLine === b.line && s.kind !== 'class') ? null : /define_method/.test(cacheLine(b)) ? 'define_method blocks' : null);
    const cacheLine = (b: PeerBlock): string => lineCache.get(b.file)?.[b.line - 1] ?? '';
    const lineCache = new Map<string, string[]>();
    for (const b of blocks) await lines(b.file, lineCache);
    report('ruby', `Ruby standard library ${root}`, files.length, failed.size, compare(blocks.filter((b) => !failed.has(b.file)), ours, 0, exclude), performance.now() - t);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ---- PHP: PHPMD ----

const PHPMD_RULESET = `<?xml version="1.0"?>
<ruleset name="cc" xmlns="http://pmd.sf.net/ruleset/1.0.0">
  <description>cyclomatic complexity of every function and method</description>
  <rule ref="rulesets/codesize.xml/CyclomaticComplexity">
    <properties><property name="reportLevel" value="1"/><property name="showClassesComplexity" value="false"/></properties>
  </rule>
</ruleset>`;

interface PhpmdJson {
  files: { file: string; violations: { beginLine: number; method: string | null; function: string | null; description: string }[] }[];
  errors?: { fileName: string; message: string }[];
}

async function phpLang(): Promise<void> {
  if (!(await has('phpmd'))) return console.log('\n== php: phpmd not installed (apt-get install phpmd)');
  const dir = arg('php');
  if (!dir || !existsSync(dir)) return console.log('\n== php: give a PHP code base with --php=DIR');
  const files = (await walk(dir, (p) => p.endsWith('.php'))).slice(0, limit);
  const tmp = await mkdtemp(path.join(tmpdir(), 'cw-phpmd-'));
  try {
    const ruleset = path.join(tmp, 'ruleset.xml');
    await writeFile(ruleset, PHPMD_RULESET);
    const t = performance.now();
    const out = await peerOutput('phpmd', [files.join(','), 'json', ruleset]);
    const json = JSON.parse(out) as PhpmdJson;
    const blocks: PeerBlock[] = [];
    const failed = new Set((json.errors ?? []).map((e) => e.fileName));
    for (const f of json.files) {
      for (const v of f.violations) {
        const m = /Cyclomatic Complexity of (\d+)/.exec(v.description);
        if (m) blocks.push({ file: f.file, line: v.beginLine, kind: 'function', name: v.method ?? v.function ?? '', complexity: Number(m[1]) });
      }
    }
    const ok = files.filter((f) => !failed.has(f));
    const ours = await ourSymbols(ok);
    const cache = new Map<string, string[]>();
    for (const b of blocks) await lines(b.file, cache);
    const exclude = (b: PeerBlock): string | null => (bodyless(cache.get(b.file) ?? [], b.line) ? 'methods without a body' : null);
    report('php', dir, files.length, failed.size, compare(blocks, ours, 3, exclude, 3), performance.now() - t);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

const LANGS: Record<string, () => Promise<void>> = { java, c: cLang, cpp: cppLang, ruby: rubyLang, php: phpLang };

for (const [name, fn] of Object.entries(LANGS)) {
  if (only && !only.includes(name)) continue;
  await fn();
}
