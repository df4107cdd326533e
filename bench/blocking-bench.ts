/**
 * Blocking analysis on a warm index (issue 5: "under 2 s on the Python standard library"):
 * index a code base once (cold, facts collected in the parse workers), refresh it (warm), then
 * time `analyzeBlocking` over the warm index and print the counts.
 * Run: node --import tsx bench/blocking-bench.ts [PATH] (default: this machine's Python stdlib).
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { analyzeBlocking } from '../src/analysis/blocking/index.ts';
import { CodeIndex } from '../src/index/indexer.ts';

const root = process.argv[2] ?? execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' }).trim();
const index = new CodeIndex({ store: null });

let t = performance.now();
await index.get(root, { churn: false });
const cold = performance.now() - t;
t = performance.now();
const repoIndex = await index.get(root, { churn: false });
const warm = performance.now() - t;
console.log(`code base: ${root}`);
console.log(`files ${repoIndex.files.length}; cold index ${(cold / 1000).toFixed(1)} s, warm refresh ${warm.toFixed(0)} ms`);

const runs: number[] = [];
let report = analyzeBlocking(repoIndex);
for (let i = 0; i < 5; i++) {
  const s = performance.now();
  report = analyzeBlocking(repoIndex);
  runs.push(performance.now() - s);
}
runs.sort((a, b) => a - b);
const by = (k: string, v: string) => report.findings.filter((f) => (f as unknown as Record<string, string>)[k] === v).length;
console.log(`analysed files ${report.files} (without facts: ${report.filesWithoutFacts}), async functions ${report.async_functions}`);
console.log(`findings ${report.findings.length}: direct ${by('kind', 'direct')}, indirect ${by('kind', 'indirect')}; high ${by('severity', 'high')}, medium ${by('severity', 'medium')}, low ${by('severity', 'low')}`);
const cats = new Map<string, number>();
for (const f of report.findings) cats.set(f.category, (cats.get(f.category) ?? 0) + 1);
console.log(`by category: ${[...cats].map(([c, n]) => `${c} ${n}`).join(', ')}`);
console.log(`analysis on the warm index: median ${runs[2].toFixed(0)} ms, min ${runs[0].toFixed(0)} ms, max ${runs[4].toFixed(0)} ms (goal < 2000 ms)`);
await index.close();
