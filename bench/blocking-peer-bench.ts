/**
 * Peer benchmark of the blocking analysis (issue 13): ruff's flake8-async rules
 * (`@astral-sh/ruff-wasm-nodejs`, `lint.select = ["ASYNC"]`) as the peer on real async Python
 * code bases, each at a pinned commit read from a git mirror without a work tree.
 *
 * It prints, per code base and in total:
 * - the share of ruff's ASYNC2xx lines outside tests that CodeWorm reports (a finding's line, or
 *   the async caller's call site of a reported chain);
 * - the precision of a hand-labelled sample of CodeWorm's own findings outside tests: the labels
 *   are data (`bench/cases/blocking-peer-labels.json`: repository, commit, file, line, call,
 *   label `tp` / `fp`, a note). The sample is the first findings per code base by a stable hash of
 *   `file:line`, so it stays the same while the code does; a sampled finding without a label is
 *   listed (`--unlabelled` prints them as JSON to label).
 *
 * Run: node --import tsx bench/blocking-peer-bench.ts [--mirrors DIR] [--per-repo N] [--unlabelled] [--verbose]
 * (DIR holds `<owner>+<name>/repo` git directories; default /work/.mirror; a missing mirror is skipped with a message.)
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { analyzeBlocking, type BlockingFinding, type FindingDetail } from '../src/analysis/blocking/index.ts';
import { isTestFinding } from '../src/analysis/blocking/analyze.ts';
import { indexRepository } from '../src/index/indexer.ts';

/** The code bases: public async Python projects, pinned. */
export const CODE_BASES: { repo: string; commit: string }[] = JSON.parse(readFileSync(path.join(import.meta.dirname, 'cases', 'blocking-peer-repos.json'), 'utf8'));

export interface PeerLabel {
  repo: string;
  commit: string;
  file: string;
  line: number;
  call: string;
  label: 'tp' | 'fp';
  note: string;
}

const LABELS = path.join(import.meta.dirname, 'cases', 'blocking-peer-labels.json');
const TEST_PATH = /(^|\/)(tests?|__tests__|testing|spec)\/|(^|\/)(test_[^/]*|[^/]*_tests?|conftest)\.py$/;

function walkPy(dir: string, root = dir, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walkPy(p, root, out);
    else if (name.endsWith('.py')) out.push(path.relative(root, p));
  }
  return out;
}

let ruffWs: import('@astral-sh/ruff-wasm-nodejs').Workspace | undefined;
/** ruff's ASYNC2xx diagnostics of one source: the first line of each. */
async function ruffAsync2(source: string): Promise<{ line: number; code: string }[]> {
  const { Workspace, PositionEncoding } = await import('@astral-sh/ruff-wasm-nodejs');
  ruffWs ??= new Workspace({ lint: { select: ['ASYNC'] } }, PositionEncoding.Utf16);
  return (ruffWs.check(source) as { code: string | null; start_location: { row: number } }[])
    .filter((d) => /^ASYNC2\d\d$/.test(d.code ?? ''))
    .map((d) => ({ line: d.start_location.row, code: d.code! }));
}

const sampleKey = (f: BlockingFinding) => createHash('sha1').update(`${f.file}:${f.line}`).digest('hex');

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const mirrors = args.includes('--mirrors') ? args[args.indexOf('--mirrors') + 1] : '/work/.mirror';
  const perRepo = args.includes('--per-repo') ? Number(args[args.indexOf('--per-repo') + 1]) : 16;
  const verbose = args.includes('--verbose');
  const labels: PeerLabel[] = existsSync(LABELS) ? JSON.parse(readFileSync(LABELS, 'utf8')) : [];
  const labelOf = new Map(labels.map((l) => [`${l.repo} ${l.commit} ${l.file}:${l.line}`, l]));
  const unlabelled: (Omit<PeerLabel, 'label' | 'note'> & { chain: string[]; chainLines: string[] })[] = [];
  let ruffTotal = 0;
  let ruffCovered = 0;
  let tp = 0;
  let fp = 0;
  let findingsOutside = 0;
  const work = mkdtempSync(path.join(tmpdir(), 'cw-peer-'));
  try {
    for (const { repo, commit } of CODE_BASES) {
      const gitDir = path.join(mirrors, repo.replace('/', '+'), 'repo');
      if (!existsSync(gitDir)) {
        console.log(`skip ${repo}: no mirror at ${gitDir}`);
        continue;
      }
      const dir = path.join(work, repo.replace('/', '+'));
      mkdirSync(dir, { recursive: true });
      execFileSync('sh', ['-c', `git --git-dir "$1" archive "$2" -- '*.py' | tar -x -C "$3"`, 'sh', gitDir, commit, dir], { stdio: ['ignore', 'ignore', 'pipe'] });
      const report = analyzeBlocking(await indexRepository(dir, { churn: false }));
      const detailOf = new Map<BlockingFinding, FindingDetail>(report.findings.map((f, i) => [f, report.details[i]]));
      const outside = report.findings.filter((f) => !isTestFinding(f, detailOf.get(f)));
      findingsOutside += outside.length;
      // lines CodeWorm points at: each finding's span, and the call sites along its chain
      const covered = new Set<string>();
      for (const f of outside) {
        for (let l = f.line; l <= f.end_line; l++) covered.add(`${f.file}:${l}`);
        const d = detailOf.get(f);
        d?.chainLines.forEach((l, i) => covered.add(`${d.chainFiles[i]}:${l}`));
      }
      let rTotal = 0;
      let rCovered = 0;
      for (const file of walkPy(dir)) {
        if (TEST_PATH.test(file)) continue;
        for (const d of await ruffAsync2(readFileSync(path.join(dir, file), 'utf8'))) {
          rTotal++;
          const hit = covered.has(`${file}:${d.line}`);
          rCovered += hit ? 1 : 0;
          if (!hit && verbose) console.log(`  ruff only ${d.code} ${repo} ${file}:${d.line}`);
        }
      }
      ruffTotal += rTotal;
      ruffCovered += rCovered;
      // the labelled sample
      const sample = [...outside].sort((a, b) => sampleKey(a).localeCompare(sampleKey(b))).slice(0, perRepo);
      let rtp = 0;
      let rfp = 0;
      for (const f of sample) {
        const l = labelOf.get(`${repo} ${commit} ${f.file}:${f.line}`);
        const d = detailOf.get(f);
        if (!l) unlabelled.push({ repo, commit, file: f.file, line: f.line, call: f.call, chain: f.chain, chainLines: d ? d.chainLines.map((n, i) => `${d.chainFiles[i]}:${n}`) : [] });
        else if (l.label === 'tp') rtp++;
        else {
          rfp++;
          if (verbose) console.log(`  fp ${repo} ${f.file}:${f.line} ${f.call}: ${l.note}`);
        }
      }
      tp += rtp;
      fp += rfp;
      console.log(`${repo.padEnd(34)} findings outside tests ${String(outside.length).padStart(4)}  ruff ASYNC2xx lines ${String(rTotal).padStart(3)}, reported by codeworm ${String(rCovered).padStart(3)}  sample ${rtp + rfp}: tp ${rtp}, fp ${rfp}`);
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const pct = (n: number, d: number) => `${((100 * n) / Math.max(1, d)).toFixed(1)}%`;
  console.log('');
  console.log(`code bases ${CODE_BASES.length}; codeworm findings outside tests ${findingsOutside}`);
  console.log(`ruff ASYNC2xx lines outside tests reported by codeworm: ${ruffCovered}/${ruffTotal} = ${pct(ruffCovered, ruffTotal)} (goal ≥ 95%)`);
  console.log(`labelled sample precision: ${tp}/${tp + fp} = ${pct(tp, tp + fp)} (goal ≥ 90%, sample ≥ 60)`);
  if (unlabelled.length) {
    console.log(`unlabelled sampled findings: ${unlabelled.length}`);
    if (args.includes('--unlabelled')) console.log(JSON.stringify(unlabelled, null, 1));
  }
}

await main();
