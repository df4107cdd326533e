/**
 * Agreement of our cyclomatic complexity with the standard tools on real code:
 * radon `cc` on the Python standard library, ESLint's `complexity` rule on TS and JS code
 * from node_modules. Prints functions compared, agreement %, coverage and the top
 * disagreements. Run: `node --import tsx bench/cc-agreement.ts [--limit N]`.
 */
import { execFileSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { compare, compareEslint, eslintBlocks, hasRadon, ourSymbols, radonBlocks, type Agreement } from './cc-peers.ts';

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

if (!process.argv.includes("--no-python")) await pythonStdlib();

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

const nm = join(import.meta.dirname, '..', 'node_modules');
await eslintOn('TypeScript', join(nm, 'openai', 'src'), (p) => /\.tsx?$/.test(p) && !p.endsWith('.d.ts'));
await eslintOn('JavaScript', join(nm, 'eslint', 'lib'), (p) => /\.[cm]?js$/.test(p));
