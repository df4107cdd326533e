/**
 * Agreement of our cyclomatic complexity with the standard tools on real code:
 * radon `cc` on the Python standard library, ESLint's `complexity` rule on TS and JS code
 * from node_modules. Prints functions compared, agreement %, coverage and the top
 * disagreements; then extraction throughput (CPU time of one thread: parse only, and parse +
 * extract with metrics) on the same corpora.
 * Run: `node --import tsx bench/cc-agreement.ts [--limit N] [--no-python] [--speed-only]`.
 */
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compare, compareEslint, eslintBlocks, hasRadon, ourSymbols, radonBlocks, type Agreement } from './cc-peers.ts';
import { extractFromTree, languageForPath } from '../src/index/extract.ts';
import { parseSource } from '../src/index/parser.ts';

const limitArg = process.argv.indexOf('--limit');
const limit = limitArg > 0 ? Number(process.argv[limitArg + 1]) : Infinity;

async function walk(dir: string, accept: (p: string) => boolean, skip: (p: string) => boolean, out: string[] = []): Promise<string[]> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!skip(p)) await walk(p, accept, skip, out);
    } else if (e.isFile() && accept(p)) out.push(p);
  }
  return out;
}

function report(title: string, a: Agreement, extra = ''): void {
  const pct = a.compared ? ((100 * a.agreed) / a.compared).toFixed(2) : 'n/a';
  console.log(`\n== ${title}`);
  console.log(`peer blocks: ${a.peerTotal}, compared (matched by file+line): ${a.compared}, agreement: ${a.agreed}/${a.compared} = ${pct}%${extra}`);
  console.log(`peer blocks without a symbol of ours: ${a.missing.length}`);
  const kinds = new Map<string, number>();
  for (const d of a.disagreements) {
    const k = `${d.block.kind} ours-peer=${d.ours - d.block.complexity > 0 ? '+' : ''}${d.ours - d.block.complexity}`;
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
  }
  console.log('top disagreement kinds:', [...kinds].sort((x, y) => y[1] - x[1]).slice(0, 8).map(([k, n]) => `${k}: ${n}`).join('; ') || 'none');
  for (const d of a.disagreements.slice(0, 12)) {
    console.log(`  ${d.block.file}:${d.block.line} ${d.block.name} peer=${d.block.complexity} ours=${d.ours}`);
  }
  for (const m of a.missing.slice(0, 8)) console.log(`  missing: ${m.file}:${m.line} ${m.kind} ${m.name}`);
}

async function pythonStdlib(): Promise<void> {
  if (!(await hasRadon())) {
    console.log('radon not installed: skipping the Python comparison (apt-get install radon)');
    return;
  }
  const stdlib = execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' }).trim();
  const files = (await walk(stdlib, (p) => p.endsWith('.py'), (p) => p.endsWith('site-packages'))).sort().slice(0, limit);
  let t = performance.now();
  const { blocks, failed } = await radonBlocks(files);
  const radonMs = performance.now() - t;
  const ok = files.filter((f) => !failed.includes(f));
  t = performance.now();
  const ours = await ourSymbols(ok);
  const oursMs = performance.now() - t;
  report(`radon cc vs ours: Python stdlib ${stdlib} (${ok.length} files, ${failed.length} radon could not parse)`, compare(blocks, ours),
    `\nradon ${(radonMs / 1000).toFixed(1)} s, ours (read+parse+extract, one thread) ${(oursMs / 1000).toFixed(1)} s`);
}


async function eslintOn(title: string, dir: string, accept: (p: string) => boolean): Promise<void> {
  const files = (await walk(dir, accept, (p) => /\/(node_modules|tests?|__tests__)$/.test(p))).sort().slice(0, limit);
  let t = performance.now();
  const blocks = await eslintBlocks(files);
  const eslintMs = performance.now() - t;
  t = performance.now();
  const ours = await ourSymbols(files);
  const oursMs = performance.now() - t;
  const a = compareEslint(blocks, ours);
  const pct = a.compared ? ((100 * a.agreed) / a.compared).toFixed(2) : 'n/a';
  const cover = a.named ? ((100 * a.namedFound) / a.named).toFixed(2) : 'n/a';
  console.log(`\n== ESLint complexity vs ours: ${title} (${files.length} files, ${dir})`);
  console.log(`ESLint functions: ${blocks.length} (${a.named} named); compared (both report): ${a.compared}, agreement: ${a.agreed}/${a.compared} = ${pct}%`);
  console.log(`ESLint named functions we extract: ${a.namedFound}/${a.named} = ${cover}%`);
  console.log(`ESLint ${(eslintMs / 1000).toFixed(1)} s, ours ${(oursMs / 1000).toFixed(1)} s`);
  const kinds = new Map<string, number>();
  for (const d of a.disagreements) {
    const k = `ours-eslint=${d.ours - d.eslint > 0 ? '+' : ''}${d.ours - d.eslint}`;
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
  }
  console.log('top disagreement kinds:', [...kinds].sort((x, y) => y[1] - x[1]).slice(0, 8).map(([k, n]) => `${k}: ${n}`).join('; ') || 'none');
  for (const d of a.disagreements.slice(0, 10)) console.log(`  ${d.file}:${d.symbol.startLine} ${d.symbol.displayName} eslint=${d.eslint} ours=${d.ours}`);
  for (const m of a.namedMissing.slice(0, 10)) console.log(`  missing named: ${m.file}:${m.line} ${m.name}`);
}

/**
 * CPU time of one thread to parse, and to parse and extract (symbols, metrics, calls,
 * imports), the files of a corpus; each file is processed twice and the second pass counts
 * (grammar loading and JIT warm-up excluded).
 */
async function throughput(title: string, files: string[]): Promise<void> {
  const sources: { language: NonNullable<ReturnType<typeof languageForPath>>; text: string }[] = [];
  for (const f of files) {
    const language = languageForPath(f);
    if (language) sources.push({ language, text: await readFile(f, 'utf8') });
  }
  const mb = sources.reduce((n, s) => n + Buffer.byteLength(s.text), 0) / 1e6;
  let parseUs = 0;
  let extractUs = 0;
  for (let pass = 0; pass < 2; pass++) {
    parseUs = 0;
    extractUs = 0;
    for (const s of sources) {
      let c = process.cpuUsage();
      const tree = await parseSource(s.language, s.text);
      parseUs += process.cpuUsage(c).user;
      c = process.cpuUsage();
      extractFromTree(tree, s.language, s.text);
      extractUs += process.cpuUsage(c).user;
      tree.delete();
    }
  }
  const rate = (us: number): string => (mb / (us / 1e6)).toFixed(2);
  console.log(`${title}: ${sources.length} files, ${mb.toFixed(1)} MB; parse ${(parseUs / 1e6).toFixed(2)} s (${rate(parseUs)} MB/s), extract ${(extractUs / 1e6).toFixed(2)} s; parse + extract ${rate(parseUs + extractUs)} MB/s per core`);
}

const nm = join(import.meta.dirname, '..', 'node_modules');
const tsDir = join(nm, 'openai', 'src');
const jsDir = join(nm, 'eslint', 'lib');
const isTs = (p: string): boolean => /\.tsx?$/.test(p) && !p.endsWith('.d.ts');
const isJs = (p: string): boolean => /\.[cm]?js$/.test(p);
const speedOnly = process.argv.includes('--speed-only');
if (!speedOnly) {
  if (!process.argv.includes('--no-python')) await pythonStdlib();
  await eslintOn('TypeScript', tsDir, isTs);
  await eslintOn('JavaScript', jsDir, isJs);
}
console.log('\n== Extraction throughput (CPU time, one thread, second pass)');
if (!process.argv.includes('--no-python')) {
  const stdlib = execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' }).trim();
  await throughput('Python stdlib', (await walk(stdlib, (p) => p.endsWith('.py'), (p) => p.endsWith('site-packages'))).sort().slice(0, limit));
}
await throughput('TypeScript openai/src', (await walk(tsDir, isTs, () => false)).sort().slice(0, limit));
await throughput('JavaScript eslint/lib', (await walk(jsDir, isJs, () => false)).sort().slice(0, limit));
