/**
 * How a repository's code is started: its entry points, read from what packaging and service
 * managers read. A function that is one is "called" by a command, not by the repository's code,
 * so its page says so instead of "nothing calls it", and its frequency is "once per process start".
 *
 * Sources (each rule is the tool's own):
 * - `pyproject.toml`: `[project.scripts]` and `[project.gui-scripts]` (PEP 621, "name = module:attr"),
 *   `[tool.poetry.scripts]` (a string or `{ reference = … }`); parsed with smol-toml.
 * - `setup.cfg` `[options.entry_points]` `console_scripts` / `gui_scripts` (setuptools), and the
 *   same strings in `setup.py`'s `entry_points={'console_scripts': [...]}`.
 * - Python files with an `if __name__ == "__main__":` block (`python path/file.py`), and a
 *   package's `__main__.py` (`python -m package`): the bare calls in them (structure facts).
 * - systemd units (`*.service`): `ExecStart=` naming one of the scripts above (with its first
 *   argument as a click/argparse subcommand when a function of that name is decorated as a
 *   command) or `python -m module`.
 * - `package.json`: `bin` (string or map) and `scripts` running `node`/`tsx`/`ts-node` on a file.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse as parseToml } from 'smol-toml';
import type { CodeSymbol, FileRecord } from '../index/types.ts';
import { isStructureFacts } from './structure.ts';
import { languageById } from '../languages/registry.ts';

const run = promisify(execFile);

export interface EntryPoint {
  /** What starts it. */
  kind: 'script' | 'main-block' | 'main-module' | 'service' | 'npm-bin' | 'npm-script';
  /** What a user or a service manager runs: `codeworm`, `codeworm run`, `python -m codeworm`, `npm run build`. */
  command: string;
  /** Where it is declared, for the page: `pyproject.toml [project.scripts]`, `systemd/codeworm.service (ExecStart)`. */
  declaredIn: string;
  /** The repository file it starts (repo-relative, indexed), or null when it is not in the index. */
  file: string | null;
  /** The function it calls in `file` (`main`, `cli.main` for `module:obj.attr`), or null for a whole file. */
  func: string | null;
}

/** Files that declare entry points, at most this many bytes each are read. */
const MAX_BYTES = 512 * 1024;

async function readSmall(root: string, rel: string): Promise<string | null> {
  try {
    const text = await readFile(path.join(root, rel), 'utf8');
    return text.length > MAX_BYTES ? null : text;
  } catch {
    return null;
  }
}

/** Declaration files of the repository: from `git ls-files` (any depth), else the root and `systemd/`. */
async function declarationFiles(root: string, isGitRepo: boolean): Promise<string[]> {
  const names = ['pyproject.toml', 'setup.cfg', 'setup.py', 'package.json'];
  if (isGitRepo) {
    try {
      const { stdout } = await run('git', ['-C', root, 'ls-files', '-z', '--', ...names.flatMap((n) => [n, `*/${n}`]), '*.service'], { maxBuffer: 16 << 20 });
      return stdout
        .split('\0')
        .filter((p) => p.length > 0 && !/(^|\/)node_modules\//.test(p))
        .slice(0, 200);
    } catch {
      // not a work tree after all: fall through
    }
  }
  const out: string[] = [];
  const { readdir } = await import('node:fs/promises');
  for (const dir of ['', 'systemd']) {
    try {
      for (const n of await readdir(path.join(root, dir))) if (names.includes(n) || n.endsWith('.service')) out.push(dir ? `${dir}/${n}` : n);
    } catch {
      // no such directory
    }
  }
  return out;
}

/** The indexed file of a dotted module (`codeworm.cli`) next to `base` (a declaration file's directory), trying `src/` layouts. */
function moduleFile(module: string, base: string, indexed: Set<string>): string | null {
  const rel = module.replace(/\./g, '/');
  for (const prefix of [base, base ? `${base}/src` : 'src']) {
    for (const cand of [`${rel}.py`, `${rel}/__init__.py`, `${rel}/__main__.py`]) {
      const p = prefix ? `${prefix}/${cand}` : cand;
      if (indexed.has(p)) return p;
    }
  }
  return null;
}

/** `name = module:attr [extras]` → its parts, or null. */
function scriptSpec(spec: string): { module: string; attr: string | null } | null {
  const m = /^\s*([A-Za-z_][\w.]*)\s*(?::\s*([A-Za-z_][\w.]*))?\s*(?:\[.*\])?\s*$/.exec(spec);
  return m ? { module: m[1], attr: m[2] ?? null } : null;
}

function scriptEntries(scripts: Record<string, string>, declaredIn: string, base: string, indexed: Set<string>): EntryPoint[] {
  const out: EntryPoint[] = [];
  for (const [name, spec] of Object.entries(scripts)) {
    const s = scriptSpec(spec);
    if (!s) continue;
    out.push({ kind: 'script', command: name, declaredIn, file: moduleFile(s.module, base, indexed), func: s.attr });
  }
  return out;
}

function asStringMap(v: unknown, key?: string): Record<string, string> {
  if (!v || typeof v !== 'object') return {};
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (typeof x === 'string') out[k] = x;
    else if (key && x && typeof x === 'object' && typeof (x as Record<string, unknown>)[key] === 'string') out[k] = (x as Record<string, string>)[key];
  }
  return out;
}

function fromPyproject(text: string, rel: string, indexed: Set<string>): EntryPoint[] {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch {
    return []; // a broken pyproject.toml declares nothing we can trust
  }
  const base = path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel);
  const project = (doc.project ?? {}) as Record<string, unknown>;
  const poetry = ((doc.tool as Record<string, unknown> | undefined)?.poetry ?? {}) as Record<string, unknown>;
  return [
    ...scriptEntries(asStringMap(project.scripts), `${rel} [project.scripts]`, base, indexed),
    ...scriptEntries(asStringMap(project['gui-scripts']), `${rel} [project.gui-scripts]`, base, indexed),
    ...scriptEntries(asStringMap(poetry.scripts, 'reference'), `${rel} [tool.poetry.scripts]`, base, indexed),
  ];
}

/** `console_scripts` / `gui_scripts` lines of setup.cfg's `[options.entry_points]`. */
function fromSetupCfg(text: string, rel: string, indexed: Set<string>): EntryPoint[] {
  const base = path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel);
  const out: Record<string, string> = {};
  let inSection = false;
  let inKey = false;
  for (const line of text.split(/\r?\n/)) {
    const sec = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (sec) {
      inSection = sec[1].trim() === 'options.entry_points';
      inKey = false;
      continue;
    }
    if (!inSection) continue;
    const key = /^(\S[^=]*?)\s*=\s*(.*)$/.exec(line);
    if (key && !/^\s/.test(line)) {
      inKey = key[1] === 'console_scripts' || key[1] === 'gui_scripts';
      if (inKey && key[2].includes('=')) addCfgLine(key[2], out);
      continue;
    }
    if (inKey && /^\s+\S/.test(line)) addCfgLine(line, out);
  }
  return scriptEntries(out, `${rel} [options.entry_points] console_scripts`, base, indexed);
}

function addCfgLine(line: string, out: Record<string, string>): void {
  const m = /^\s*([\w.-]+)\s*=\s*(.+?)\s*$/.exec(line);
  if (m) out[m[1]] = m[2];
}

/** `'name = module:func'` strings after `console_scripts` in setup.py. */
function fromSetupPy(text: string, rel: string, indexed: Set<string>): EntryPoint[] {
  const base = path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel);
  const at = text.search(/['"](?:console|gui)_scripts['"]/);
  if (at < 0) return [];
  const list = /\[([^\]]*)\]/s.exec(text.slice(at));
  const out: Record<string, string> = {};
  for (const m of (list?.[1] ?? '').matchAll(/['"]([^'"=]+?)\s*=\s*([^'"]+)['"]/g)) out[m[1].trim()] = m[2].trim();
  return scriptEntries(out, `${rel} entry_points console_scripts`, base, indexed);
}

/** `bin` and `node`/`tsx` scripts of a package.json. */
function fromPackageJson(text: string, rel: string, indexed: Set<string>): EntryPoint[] {
  let pkg: Record<string, unknown>;
  try {
    pkg = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return [];
  }
  const base = path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel);
  const resolve = (p: string): string | null => {
    const norm = path.posix.normalize(path.posix.join(base, p));
    if (indexed.has(norm)) return norm;
    // a built file (`dist/cli.js`) stands for its source (`src/cli.ts`)
    const src = norm.replace(/^((?:.*\/)?)(?:dist|build|lib|out)\//, '$1src/').replace(/\.[cm]?js$/, '');
    for (const ext of ['.ts', '.mts', '.js', '.mjs']) if (indexed.has(src + ext)) return src + ext;
    return null;
  };
  const out: EntryPoint[] = [];
  const bin = typeof pkg.bin === 'string' && typeof pkg.name === 'string' ? { [pkg.name.replace(/^@[^/]+\//, '')]: pkg.bin } : asStringMap(pkg.bin);
  for (const [name, p] of Object.entries(bin)) out.push({ kind: 'npm-bin', command: name, declaredIn: `${rel} "bin"`, file: resolve(p), func: null });
  for (const [name, cmd] of Object.entries(asStringMap(pkg.scripts))) {
    const m = /(?:^|&&\s*|\s)(?:node|tsx|ts-node)(?:\s+--?[\w-]+(?:[= ]\S+)?)*\s+([\w./-]+\.[cm]?[jt]s)\b/.exec(cmd);
    if (!m) continue;
    const file = resolve(m[1]);
    if (file) out.push({ kind: 'npm-script', command: name === 'start' || name === 'test' ? `npm ${name}` : `npm run ${name}`, declaredIn: `${rel} "scripts"`, file, func: null });
  }
  return out;
}

/** `ExecStart=` lines of a unit (a `-`/`@`/`+`/`!` prefix dropped), as argument lists. */
function execStarts(text: string): string[][] {
  const out: string[][] = [];
  for (const m of text.matchAll(/^\s*ExecStart\s*=\s*[-@+!:]*(.+?)\s*$/gm)) out.push(m[1].split(/\s+/).filter(Boolean));
  return out;
}

/** Whether `s` is decorated as a CLI command (`@cli.command()`, `@app.command`, `@click.command`, `@main.command("run")`). */
function isCommand(s: CodeSymbol): boolean {
  return s.decorators.some((d) => /(?:^|\.)command\b|(?:^|\.)group\b/.test(d));
}

function fromUnit(text: string, rel: string, scripts: EntryPoint[], files: Map<string, FileRecord>, indexed: Set<string>): EntryPoint[] {
  const out: EntryPoint[] = [];
  for (const argv of execStarts(text)) {
    const prog = path.posix.basename(argv[0]);
    const declaredIn = `${rel} ExecStart=`;
    const script = scripts.find((e) => e.command === prog);
    if (script) {
      const sub = argv[1] && /^[a-z][\w-]*$/.test(argv[1]) ? argv[1] : null;
      out.push({ ...script, kind: 'service', command: argv.slice(0, sub ? 2 : 1).map((a, i) => (i === 0 ? prog : a)).join(' '), declaredIn });
      const cmd = sub && script.file ? files.get(script.file)?.symbols.find((s) => s.kind !== 'class' && s.parent === null && s.className === null && (s.name === sub || s.name === sub.replace(/-/g, '_')) && isCommand(s)) : undefined;
      if (cmd && script.file) out.push({ kind: 'service', command: `${prog} ${sub}`, declaredIn, file: script.file, func: cmd.name });
      continue;
    }
    const dashM = argv.indexOf('-m');
    if (/^python[\d.]*$/.test(prog) && dashM > 0 && argv[dashM + 1]) {
      const file = moduleFile(argv[dashM + 1], '', indexed);
      if (file) out.push({ kind: 'service', command: `python -m ${argv[dashM + 1]}`, declaredIn, file, func: null });
    }
  }
  return out;
}

/** Entry points from `__main__` blocks and `__main__.py` files (their bare calls of the file's own functions). */
function fromMainBlocks(files: FileRecord[], indexed: Set<string>): EntryPoint[] {
  const out: EntryPoint[] = [];
  const byPath = new Map(files.map((f) => [f.path, f]));
  for (const f of files) {
    const st = f.facts?.structure;
    // `__main__` blocks and modules are Python's rule family's
    if (languageById(f.language)?.facts.blocking?.family !== 'python' || !isStructureFacts(st)) continue;
    const isMainModule = path.posix.basename(f.path) === '__main__.py';
    const calls = [...(st.mainCalls ?? []), ...(isMainModule ? (st.topCalls ?? []) : [])];
    if (calls.length === 0 && !isMainModule) continue;
    const pkg = path.posix.dirname(f.path).replace(/^src\//, '').replace(/\//g, '.');
    const command = isMainModule ? `python -m ${pkg}` : `python ${f.path}`;
    const kind: EntryPoint['kind'] = isMainModule ? 'main-module' : 'main-block';
    const declaredIn = isMainModule ? `${f.path}` : `its \`if __name__ == "__main__"\` block`;
    const own = new Set(f.symbols.filter((s) => s.parent === null && s.className === null).map((s) => s.name));
    const started: EntryPoint[] = [];
    for (const n of new Set(calls.map((c) => c.name))) {
      if (own.has(n)) {
        started.push({ kind, command, declaredIn, file: f.path, func: n });
        continue;
      }
      // `from tool.cli import main` then `main()`: the imported module's function
      const imp = f.imports.find((i) => i.names.some((x) => x.local === n));
      const name = imp?.names.find((x) => x.local === n)?.imported ?? n;
      const modPath = imp ? (imp.module.startsWith('.') ? relativeModule(f.path, imp.module) : imp.module) : null;
      const file = modPath ? moduleFile(modPath, '', indexed) : null;
      if (file && byPath.get(file)?.symbols.some((s) => s.parent === null && s.className === null && s.name === name)) started.push({ kind, command, declaredIn, file, func: name });
    }
    out.push(...(started.length > 0 ? started : [{ kind, command, declaredIn, file: f.path, func: null }]));
  }
  return out;
}

/** `.cli` imported from `tool/__main__.py` → `tool.cli`; `..x` goes one package up. */
function relativeModule(fromFile: string, spec: string): string {
  const dots = /^\.+/.exec(spec)![0].length;
  const parts = path.posix.dirname(fromFile).split('/').filter((p) => p !== '.');
  const base = parts.slice(0, Math.max(0, parts.length - (dots - 1)));
  return [...base, ...(spec.slice(dots) ? [spec.slice(dots)] : [])].join('.');
}

/**
 * The entry points of a repository (see the module comment for the sources and rules).
 * `files` are the indexed files (their structure facts give the `__main__` blocks); declaration
 * files are found with `git ls-files` in a work tree, else at the root and in `systemd/`.
 * Never throws: an unreadable or malformed declaration file declares nothing.
 * Cost: one `git ls-files` and a read of each declaration file (≤ 512 KB each).
 */
export async function readEntryPoints(root: string, files: FileRecord[], isGitRepo: boolean): Promise<EntryPoint[]> {
  const indexed = new Set(files.map((f) => f.path));
  const byPath = new Map(files.map((f) => [f.path, f]));
  const decl = await declarationFiles(root, isGitRepo);
  const texts = new Map<string, string>();
  await Promise.all(
    decl.map(async (p) => {
      const t = await readSmall(root, p);
      if (t !== null) texts.set(p, t);
    }),
  );
  const scripts: EntryPoint[] = [];
  const npm: EntryPoint[] = [];
  for (const [p, t] of [...texts].sort(([a], [b]) => a.localeCompare(b))) {
    const base = path.posix.basename(p);
    if (base === 'pyproject.toml') scripts.push(...fromPyproject(t, p, indexed));
    else if (base === 'setup.cfg') scripts.push(...fromSetupCfg(t, p, indexed));
    else if (base === 'setup.py') scripts.push(...fromSetupPy(t, p, indexed));
    else if (base === 'package.json') npm.push(...fromPackageJson(t, p, indexed));
  }
  const units = [...texts].filter(([p]) => p.endsWith('.service')).flatMap(([p, t]) => fromUnit(t, p, scripts, byPath, indexed));
  return [...scripts, ...subcommands(scripts, byPath), ...units, ...fromMainBlocks(files, indexed), ...npm];
}

/**
 * The subcommands of a console script whose module defines CLI commands (`@cli.command("run-once")`
 * → `codeworm run-once`): the name is the decorator's first string argument (or `name=`), else the
 * function name with `_` as `-`, as click (≥ 7) and typer name commands.
 */
function subcommands(scripts: EntryPoint[], files: Map<string, FileRecord>): EntryPoint[] {
  const out: EntryPoint[] = [];
  for (const sc of scripts) {
    if (!sc.file) continue;
    for (const s of files.get(sc.file)?.symbols ?? []) {
      if (s.kind === 'class' || s.parent !== null || s.className !== null) continue;
      const dec = s.decorators.find((d) => /^[\w.]*\.command\b/.test(d));
      if (!dec) continue;
      const named = /\.command\(\s*(?:name\s*=\s*)?(['"])([\w-]+)\1/.exec(dec)?.[2];
      const sub = named ?? s.name.replace(/_/g, '-');
      out.push({ kind: 'script', command: `${sc.command} ${sub}`, declaredIn: `${sc.declaredIn}, \`@${dec.replace(/\s+/g, ' ').slice(0, 40)}\``, file: sc.file, func: s.name });
    }
  }
  return out;
}

/**
 * The entry points that start `symbol` (a function: its own; a class: none here, see
 * `entryCreators`) or, for a file target (`symbol` null), those that run the file.
 */
export function entryPointsOf(eps: EntryPoint[] | undefined, relPath: string, symbol: CodeSymbol | null): EntryPoint[] {
  if (!eps) return [];
  if (!symbol) return eps.filter((e) => e.file === relPath);
  if (symbol.kind === 'class' || symbol.parent !== null) return [];
  return eps.filter((e) => e.file === relPath && e.func !== null && (e.func === symbol.displayName || (symbol.className === null && e.func === symbol.name)));
}

/**
 * How a page names entry points, one phrase per command with every place declaring it:
 * "the `codeworm` command (pyproject.toml [project.scripts])", "the `codeworm run` command
 * (systemd/a.service ExecStart=, systemd/b.service ExecStart=)", "`python codeworm/daemon.py`
 * (its `if __name__ == "__main__"` block)".
 */
export function describeEntryPoints(list: EntryPoint[]): string[] {
  const byCommand = new Map<string, { e: EntryPoint; where: string[] }>();
  for (const e of list) {
    const g = byCommand.get(e.command) ?? { e, where: [] };
    if (!g.where.includes(e.declaredIn)) g.where.push(e.declaredIn);
    byCommand.set(e.command, g);
  }
  return [...byCommand.values()].map(({ e, where }) => {
    const what = e.kind === 'script' || e.kind === 'service' || e.kind === 'npm-bin' ? `the \`${e.command}\` command` : `\`${e.command}\``;
    return `${what} (${where.join(', ')})`;
  });
}
