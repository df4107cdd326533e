/**
 * Cost of the facts block and of the grounding check, as a cycle pays them: index a code base
 * once, then time `buildFacts` + `renderFactsBlock` for many function targets on the warm index
 * (callers are found by one pass over every call site), and `checkGrounding` on the test
 * fixture pages. Run: node --import tsx bench/grounding-bench.ts [PATH]
 * (default: the Python standard library of this machine).
 */
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { indexRepository } from '../src/index/indexer.ts';
import type { LanguageId } from '../src/index/types.ts';
import type { Target } from '../src/targets/types.ts';
import { buildFacts, renderFactsBlock } from '../src/llm/facts.ts';
import { checkGrounding, parsePageParts } from '../src/llm/grounding.ts';

const root = process.argv[2] ?? execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' }).trim();
const started = performance.now();
const index = await indexRepository(root);
const symbols = index.files.flatMap((f) => f.symbols.filter((s) => s.kind !== 'class').map((s) => ({ f, s })));
const calls = symbols.reduce((n, x) => n + x.s.calls.length, 0);
console.log(`code base: ${root}: ${index.files.length} files, ${symbols.length} functions, ${calls} call sites; indexed in ${((performance.now() - started) / 1000).toFixed(1)} s`);

const step = Math.max(1, Math.floor(symbols.length / 200));
const sample = symbols.filter((_, i) => i % step === 0);

/** Build and render the facts block for every sampled function; ms per target and callers found. */
function measure(): { times: number[]; callers: number } {
  const times: number[] = [];
  let callers = 0;
  for (const { f, s } of sample) {
    const target: Target = {
      docType: 'function_doc',
      repo: { name: 'bench', path: root, weight: 5, enabled: true },
      absPath: path.join(root, f.path),
      relPath: f.path,
      language: f.language,
      displayName: s.displayName,
      functionName: s.name,
      className: s.className,
      startLine: s.startLine,
      endLine: s.endLine,
      cyclomatic: s.metrics.cyclomatic,
      source: s.source,
      codeHash: '',
      score: 0,
      symbol: s,
      file: f,
      context: {},
    };
    const t = performance.now();
    const facts = buildFacts(target, index, { now: Date.now() });
    renderFactsBlock(facts);
    times.push(performance.now() - t);
    callers += facts.callers.length;
  }
  return { times, callers };
}

measure(); // warms the JIT
const { times, callers } = measure();
times.sort((a, b) => a - b);
const pct = (p: number): string => times[Math.min(times.length - 1, Math.floor(times.length * p))].toFixed(2);
console.log(`facts block for ${times.length} functions: median ${pct(0.5)} ms, p95 ${pct(0.95)} ms, max ${pct(1)} ms; ${callers} callers found`);

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../test/grounding/fixtures');
const checkTimes: number[] = [];
for (const name of (await readdir(fixtures)).filter((n) => n.endsWith('.md'))) {
  const markdown = await readFile(path.join(fixtures, name), 'utf8');
  const page = parsePageParts(markdown);
  const t = performance.now();
  const r = await checkGrounding({ markdown, source: page.source ?? '', language: page.language as LanguageId });
  checkTimes.push(performance.now() - t);
  console.log(`  ${name.padEnd(22)} ${String(r.contradictions.length).padStart(2)} contradictions, ${String(r.ungrounded.length).padStart(2)} ungrounded, ${checkTimes[checkTimes.length - 1].toFixed(1)} ms`);
}
console.log(`checkGrounding per page (first includes grammar loading): ${checkTimes.map((t) => t.toFixed(1)).join(', ')} ms`);
