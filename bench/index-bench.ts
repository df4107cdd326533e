/**
 * Index benchmark (issue 2): on one directory (default: this machine's Python standard library)
 * print files and MB, cold index time, warm time (nothing changed: from the SQLite cache in a
 * fresh indexer, and from a warm in-memory CodeIndex), the parse-only floor over the same
 * files, the other per-file stages of a parse worker on one thread (extraction, each fact collector,
 * serialisation), `radon cc` over the same files, peak RSS, and the event loop's p99 delay during
 * the cold index. Goals: cold ≥ 3× faster than radon, warm ≥ 20× faster than cold, p99 < 50 ms.
 *
 * Run: node --import tsx bench/index-bench.ts [PATH] [--json] [--nice=N]
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { FACT_COLLECTORS } from '../src/analysis/facts.ts';
import { languageById } from '../src/languages/registry.ts';
import { extractFromTree, languageForPath } from '../src/index/extract.ts';
import { parseSource } from '../src/index/parser.ts';
import { CodeIndex, indexRepository } from '../src/index/indexer.ts';
import { defaultPoolSize, ParsePool } from '../src/index/pool.ts';
import { scanRepository } from '../src/index/scan.ts';
import { compactJson, IndexStore } from '../src/index/store.ts';

/** Nice offset of the parse threads during the cold index (`--nice N`; default 10 as in `CodeIndex`). */
const NICE = Number(process.argv.find((a) => a.startsWith('--nice='))?.slice(7) ?? 10);

function pythonStdlib(): string {
  return execFileSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' }).trim();
}

const ms = (t0: number): number => performance.now() - t0;
const fmt = (x: number): string => `${x.toFixed(0)} ms`;

/** CPU ms of this process (every thread: main and parse workers) since `from`. */
function cpuSince(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

// Runs `radon cc` over the files given on stdin (one per line, in batches) and prints the
// children's CPU seconds, so radon's cost is known even on a busy machine.
const RADON_DRIVER = `
import resource, subprocess, sys
files = [l for l in sys.stdin.read().split("\\n") if l]
for i in range(0, len(files), 500):
    subprocess.run(["radon", "cc", *files[i:i + 500]], stdout=subprocess.DEVNULL, check=True)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(r.ru_utime + r.ru_stime)
`;

/** `radon cc` over the given files: wall and CPU ms, or null when radon is not installed. */
async function radonTime(files: string[]): Promise<{ wall: number; cpu: number } | null> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = execFile('python3', ['-c', RADON_DRIVER], { maxBuffer: 1024 * 1024 }, (err, stdout) => {
      if (err) {
        process.stderr.write(`index-bench: radon cc failed: ${err.message.split('\n')[0]}\n`);
        resolve(null);
        return;
      }
      resolve({ wall: ms(t0), cpu: Number(stdout.trim()) * 1000 });
    });
    child.stdin?.end(files.join('\n'));
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const target = path.resolve(args.find((a) => !a.startsWith('--')) ?? pythonStdlib());
  const cores = availableParallelism();
  const cacheDir = await mkdtemp(path.join(tmpdir(), 'cw-bench-cache-'));

  const scan = await scanRepository(target, { languageFor: languageForPath });
  const bytes = scan.files.reduce((a, f) => a + f.size, 0);

  // Cold: empty cache, workers started inside the timed region.
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const store = await IndexStore.open(cacheDir);
  const load0 = loadavg()[0];
  loop.enable();
  let c0 = process.cpuUsage();
  let t0 = performance.now();
  // Parse threads at a lower priority, as the daemon's CodeIndex runs them (the pool starts inside the timed region).
  const pool = new ParsePool({ nice: NICE });
  const cold = await indexRepository(target, { store, pool });
  await pool.close();
  const coldMs = ms(t0);
  const coldCpu = cpuSince(c0);
  loop.disable();
  const p99 = loop.percentile(99) / 1e6;
  const maxDelay = loop.max / 1e6;
  store.close();

  // Warm, as `codeworm analyze` runs it the second time: a new store handle, records from SQLite.
  const store2 = await IndexStore.open(cacheDir);
  c0 = process.cpuUsage();
  t0 = performance.now();
  const warm = await indexRepository(target, { store: store2 });
  const warmMs = ms(t0);
  const warmCpu = cpuSince(c0);
  store2.close();

  // Warm in memory, as the daemon's CodeIndex serves each cycle.
  const code = new CodeIndex();
  await code.get(target);
  c0 = process.cpuUsage();
  t0 = performance.now();
  const hot = await code.get(target);
  const hotMs = ms(t0);
  const hotCpu = cpuSince(c0);
  await code.close();

  // Parse-only floor: tree-sitter parse of the same sources on one thread (reads excluded).
  const sources = await Promise.all(scan.files.map(async (f) => ({ f, text: await readFile(f.absPath, 'utf8') })));
  await parseSource('python', 'x = 1\n').then((t) => t.delete());
  c0 = process.cpuUsage();
  t0 = performance.now();
  for (const { f, text } of sources) (await parseSource(f.language, text)).delete();
  const parseMs = ms(t0);
  const parseCpu = cpuSince(c0);

  // What a parse worker does per file after the parse, stage by stage on one thread (the parse is
  // the floor above): extraction, the fact collectors, serialisation for the cache.
  const stage = { extract: 0, facts: 0, serialise: 0 };
  // each collector apart (as collectFileFacts runs them), so a profile names the expensive one
  const byCollector: Record<string, number> = Object.fromEntries(FACT_COLLECTORS.map((c) => [c.name, 0]));
  for (const { f, text } of sources) {
    const tree = await parseSource(f.language, text);
    try {
      let t = performance.now();
      const ex = extractFromTree(tree, f.language, text);
      stage.extract += ms(t);
      const facts: Record<string, unknown> = {};
      const descriptor = languageById(f.language)!;
      for (const c of FACT_COLLECTORS) {
        t = performance.now();
        try {
          facts[c.name] = c.collect(tree.rootNode, descriptor, text);
        } catch {
          // counted by the index run; here only the time matters
        }
        const dt = ms(t);
        byCollector[c.name] += dt;
        stage.facts += dt;
      }
      t = performance.now();
      compactJson({ lines: ex.lines, nloc: ex.nloc, imports: ex.imports, symbols: ex.symbols, hasSyntaxErrors: ex.hasSyntaxErrors, facts }, text);
      stage.serialise += ms(t);
    } finally {
      tree.delete();
    }
  }

  const radon = await radonTime(scan.files.filter((f) => f.language === 'python').map((f) => f.absPath));
  const load1 = loadavg()[0];
  await rm(cacheDir, { recursive: true, force: true });

  const symbols = cold.files.reduce((a, f) => a + f.symbols.length, 0);
  const workers = defaultPoolSize();
  const usable = Math.min(cores, workers + 1);
  // On an idle machine the cold index needs about its CPU time spread over the usable cores;
  // on a shared one the wall times below include waiting for a core (see the load average).
  const coldIdle = coldCpu / usable;
  const figures = {
    path: target,
    files: cold.files.length,
    mb: +(bytes / 1024 / 1024).toFixed(2),
    symbols,
    skipped: cold.skipped,
    cores,
    workers,
    load_average: [+load0.toFixed(2), +load1.toFixed(2)],
    cold: { wall_ms: Math.round(coldMs), cpu_ms: Math.round(coldCpu), idle_estimate_ms: Math.round(coldIdle) },
    warm_sqlite: { wall_ms: Math.round(warmMs), cpu_ms: Math.round(warmCpu), parsed: warm.parsed },
    warm_memory: { wall_ms: Math.round(hotMs), cpu_ms: Math.round(hotCpu), parsed: hot.parsed },
    parse_only_1_thread: { wall_ms: Math.round(parseMs), cpu_ms: Math.round(parseCpu) },
    stages_1_thread_ms: { extract: Math.round(stage.extract), facts: Math.round(stage.facts), serialise: Math.round(stage.serialise) },
    fact_collectors_1_thread_ms: Object.fromEntries(Object.entries(byCollector).map(([k, v]) => [k, Math.round(v)])),
    radon_cc: radon === null ? null : { wall_ms: Math.round(radon.wall), cpu_ms: Math.round(radon.cpu) },
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    event_loop_p99_ms: +p99.toFixed(1),
    event_loop_max_ms: +maxDelay.toFixed(1),
  };
  const ratio = (a: number, b: number): number => +(a / b).toFixed(2);
  const goals = {
    cold_vs_radon_wall: radon === null ? null : ratio(radon.wall, coldMs),
    cold_vs_radon_idle_estimate: radon === null ? null : ratio(radon.cpu, coldIdle),
    warm_vs_cold_sqlite_wall: ratio(coldMs, warmMs),
    warm_vs_cold_sqlite_cpu: ratio(coldCpu, warmCpu),
    warm_vs_cold_memory_wall: ratio(coldMs, hotMs),
  };
  if (json) {
    process.stdout.write(`${JSON.stringify({ ...figures, goals }, null, 2)}\n`);
    return;
  }
  const wc = (w: number, c: number): string => `${fmt(w)} wall, ${fmt(c)} CPU`;
  const met = (x: number | null, goal: number): string => (x === null ? 'n/a' : `${x}x ${x >= goal ? 'MET' : 'NOT MET'}`);
  const lines = [
    `path:                 ${target}`,
    `files:                ${figures.files} (${figures.mb} MB, ${symbols} symbols; skipped ${JSON.stringify(cold.skipped)})`,
    `machine:              ${cores} cores, ${workers} parse workers at nice +${NICE}, load average ${load0.toFixed(1)} -> ${load1.toFixed(1)}`,
    `cold index:           ${wc(coldMs, coldCpu)} (idle-machine estimate ${fmt(coldIdle)})`,
    `warm (SQLite cache):  ${wc(warmMs, warmCpu)}, parsed ${warm.parsed}`,
    `warm (in memory):     ${wc(hotMs, hotCpu)}, parsed ${hot.parsed}`,
    `parse-only, 1 thread: ${wc(parseMs, parseCpu)}`,
    `after the parse, 1 thread: extract ${fmt(stage.extract)}, fact collectors ${fmt(stage.facts)} (${Object.entries(byCollector).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}), serialise ${fmt(stage.serialise)}`,
    `floor (parse + extract over ${usable} cores): ${fmt((parseCpu + stage.extract) / usable)}; radon CPU / 3: ${radon === null ? 'n/a' : fmt(radon.cpu / 3)}`,
    `radon cc:             ${radon === null ? 'radon not installed' : wc(radon.wall, radon.cpu)}`,
    `peak RSS:             ${figures.peak_rss_mb} MB`,
    `event loop (cold):    p99 ${figures.event_loop_p99_ms} ms, max ${figures.event_loop_max_ms} ms`,
    '',
    `goal cold >= 3x faster than radon:  wall ${met(goals.cold_vs_radon_wall, 3)}; idle estimate (radon CPU / cold CPU per core) ${met(goals.cold_vs_radon_idle_estimate, 3)}`,
    `goal warm >= 20x faster than cold:  SQLite wall ${met(goals.warm_vs_cold_sqlite_wall, 20)}, CPU ${met(goals.warm_vs_cold_sqlite_cpu, 20)}; in memory wall ${met(goals.warm_vs_cold_memory_wall, 20)}`,
    `goal event loop p99 < 50 ms:        ${figures.event_loop_p99_ms} ms ${figures.event_loop_p99_ms < 50 ? 'MET' : 'NOT MET'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`index-bench: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
