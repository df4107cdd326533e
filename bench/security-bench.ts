/**
 * security_review targets against the Python security linter bandit (issue 12): index each
 * Python corpus, take the security_review finder's top 20 targets, and count how many contain
 * a line bandit also reports (same file, a reported line inside the target's lines). Goal:
 * at least 90%. Printed twice: against every bandit result, and against bandit's sink results
 * only (leaving out B101 assert, B110/B112 try-except-pass/continue and the B4xx import
 * warnings, which are not sinks). Also prints the recall of bandit's sink lines inside
 * functions (how many of them lie in some security_review target).
 *
 * Run: node --import tsx bench/security-bench.ts [CORPUS ...]
 * (default: the standard library of the system Python, /usr/bin/python3 — Debian ships it
 * without its test suite — and /usr/lib/python3/dist-packages: pip, setuptools, GitPython,
 * cryptography, PyYAML, bandit, …). Needs `bandit` on PATH (Debian package `bandit`).
 * With BANDIT_CACHE=DIR, bandit's JSON for a corpus is kept in DIR and reused.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { CodeIndex } from '../src/index/indexer.ts';
import { loadSettings } from '../src/config/load.ts';
import { FINDERS } from '../src/targets/registry.ts';
import type { FinderInput } from '../src/targets/types.ts';

const run = promisify(execFile);
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const stdlib = execFileSync(python, ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' }).trim();
const corpora = process.argv.length > 2 ? process.argv.slice(2) : [stdlib, '/usr/lib/python3/dist-packages'];
const NOT_SINKS = /^(B101|B110|B112|B4\d\d)$/;
const TOP = 20;

interface BanditResult {
  filename: string;
  line_number: number;
  line_range: number[];
  test_id: string;
  issue_severity: string;
}

async function bandit(root: string): Promise<BanditResult[]> {
  const cache = process.env.BANDIT_CACHE;
  const out = cache
    ? path.join(cache, `bandit-${createHash('sha256').update(root).digest('hex').slice(0, 12)}.json`)
    : path.join(await mkdtemp(path.join(tmpdir(), 'cw-bandit-')), 'bandit.json');
  if (cache) await mkdir(cache, { recursive: true });
  if (cache && existsSync(out)) return (JSON.parse(await readFile(out, 'utf8')) as { results: BanditResult[] }).results;
  // bandit exits 1 when it finds something; the JSON file is what counts.
  await run('bandit', ['-r', root, '-f', 'json', '-o', out, '-q'], { maxBuffer: 64 << 20 }).catch(() => undefined);
  if (!existsSync(out)) throw new Error(`bandit wrote no report for ${root} (is the Debian package bandit installed?)`);
  const doc = JSON.parse(await readFile(out, 'utf8')) as { results: BanditResult[] };
  return doc.results;
}

const settings = await loadSettings(await mkdtemp(path.join(tmpdir(), 'cw-bench-sec-')));
let allOk = true;
for (const root of corpora) {
  const index = new CodeIndex({ store: null });
  let t = performance.now();
  const repoIndex = await index.get(root, { analyzer: settings.analyzer });
  const indexMs = performance.now() - t;
  await index.close();
  t = performance.now();
  const results = await bandit(root);
  const banditMs = performance.now() - t;
  const input: FinderInput = { repo: { name: path.basename(root), path: root, weight: 5, enabled: true }, index: repoIndex, settings, now: Date.now() };
  t = performance.now();
  const targets = FINDERS.security_review.find(input);
  const findMs = performance.now() - t;

  const byFile = new Map<string, BanditResult[]>();
  for (const r of results) {
    const rel = path.relative(root, r.filename).split(path.sep).join('/');
    (byFile.get(rel) ?? byFile.set(rel, []).get(rel)!).push(r);
  }
  const hits = (relPath: string, from: number, to: number, sinksOnly: boolean) =>
    (byFile.get(relPath) ?? []).filter((r) => (!sinksOnly || !NOT_SINKS.test(r.test_id)) && r.line_number >= from && r.line_number <= to);

  const top = targets.slice(0, TOP);
  console.log(`\ncorpus: ${root}`);
  console.log(`files ${repoIndex.files.length}; index ${(indexMs / 1000).toFixed(1)} s; bandit ${(banditMs / 1000).toFixed(1)} s (${results.length} results); finder ${findMs.toFixed(0)} ms, ${targets.length} security_review targets`);
  console.log('rank  target                                             our rules                 bandit (sinks) in range');
  let agreeAll = 0;
  let agreeSinks = 0;
  top.forEach((tg, i) => {
    const ours = [...new Set((tg.context.securityFindings as { rule: string }[]).map((f) => f.rule))].join(',');
    const any = hits(tg.relPath, tg.startLine, tg.endLine, false);
    const sinks = hits(tg.relPath, tg.startLine, tg.endLine, true);
    if (any.length > 0) agreeAll++;
    if (sinks.length > 0) agreeSinks++;
    const name = `${tg.relPath}:${tg.startLine} ${tg.displayName}`;
    console.log(`${String(i + 1).padStart(4)}  ${name.slice(0, 50).padEnd(50)} ${ours.slice(0, 24).padEnd(24)}  ${[...new Set(sinks.map((r) => r.test_id))].join(',') || '-'}`);
  });
  const n = Math.max(1, top.length);
  console.log(`top ${top.length}: ${agreeSinks}/${top.length} = ${((100 * agreeSinks) / n).toFixed(0)}% contain a bandit sink line; ${agreeAll}/${top.length} = ${((100 * agreeAll) / n).toFixed(0)}% contain any bandit line (goal ≥ 90%)`);

  // Recall: bandit sink lines inside some function of the index, covered by a target.
  const fnRanges = new Map<string, [number, number][]>();
  for (const f of repoIndex.files) fnRanges.set(f.path, f.symbols.filter((s) => s.kind !== 'class').map((s) => [s.startLine, s.endLine]));
  const targetRanges = new Map<string, [number, number][]>();
  for (const tg of targets) (targetRanges.get(tg.relPath) ?? targetRanges.set(tg.relPath, []).get(tg.relPath)!).push([tg.startLine, tg.endLine]);
  let inFunctions = 0;
  let covered = 0;
  for (const [rel, rs] of byFile) {
    for (const r of rs) {
      if (NOT_SINKS.test(r.test_id)) continue;
      if (!(fnRanges.get(rel) ?? []).some(([a, b]) => r.line_number >= a && r.line_number <= b)) continue;
      inFunctions++;
      if ((targetRanges.get(rel) ?? []).some(([a, b]) => r.line_number >= a && r.line_number <= b)) covered++;
    }
  }
  console.log(`recall: ${covered}/${inFunctions} bandit sink lines inside functions lie in a security_review target (${((100 * covered) / Math.max(1, inFunctions)).toFixed(0)}%)`);
  if (top.length === 0 || agreeSinks / n < 0.9) allOk = false;
}
console.log(`\ngoal (≥ 90% of the top ${TOP} contain a bandit sink line on every corpus): ${allOk ? 'met' : 'NOT met'}`);
