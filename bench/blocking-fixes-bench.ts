/**
 * Real-fix benchmark for the blocking analysis (issue 13): commits of public async Python and
 * Node.js projects that moved a blocking call off the event loop (`run_in_executor`, `to_thread`,
 * `async_add_executor_job`, `aiofiles`, …; `fs.readFileSync` → `fs.promises.readFile`). For each case the analysis runs on the fix's parent
 * commit and we ask: is the line the maintainers fixed flagged? ruff's flake8-async rules
 * (`@astral-sh/ruff-wasm-nodejs`, `lint.select = ["ASYNC"]`) answer the same question beside us.
 *
 * The cases are data (`bench/cases/blocking-fixes.json`: repository, fix commit, parent, file,
 * parent line, the line's text); they were collected with `--collect` (the heuristic below) and
 * reviewed by hand; a case the review found not to be a blocking fix keeps its place with an
 * `excluded` note saying why (it is run and reported apart, never scored). Repositories are read
 * from git mirrors without work trees (the parent's tree is extracted with `git archive`).
 *
 * Run:     node --import tsx bench/blocking-fixes-bench.ts [--mirrors DIR] [--verbose]
 * Collect: node --import tsx bench/blocking-fixes-bench.ts --collect [--by-diff | --js] GIT_DIR [GIT_DIR …]
 * (DIR holds `<owner>+<name>/repo` git directories; default /work/.mirror.)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { analyzeBlocking } from '../src/analysis/blocking/index.ts';
import { indexRepository } from '../src/index/indexer.ts';
import { IndexStore } from '../src/index/store.ts';

/** One fixed line: where it was in the parent commit. */
export interface FixCase {
  repo: string;
  commit: string;
  parent: string;
  file: string;
  line: number;
  text: string;
  /**
   * Why a collected case is not a blocking fix after all (read from the commit's diff: the line
   * already ran off the event loop in the parent, or the fix kept it synchronous). Excluded cases
   * still run, and are reported apart from the score.
   */
  excluded?: string;
}

const DATA = path.join(import.meta.dirname, 'cases', 'blocking-fixes.json');
/** What a fix adds: a call that moves work off the event loop. */
const OFFLOAD = /run_in_executor|to_thread|add_executor_job|run_sync\(|aiofiles|create_subprocess_(?:exec|shell)|anyio\.Path|sync_to_async|\bexecutor\.submit\(/;
const TEST_PATH = /(^|\/)(tests?|testing)\/|(^|\/)test_[^/]*\.py$|_test\.py$|conftest\.py$/;
const STOP = new Set(
  'self cls print str int len dict list set tuple super isinstance format get join append items keys values partial lambda None True False logger _LOGGER log debug info warning error exception await async return not for with and bool float repr type getattr setattr hasattr sorted range enumerate zip map filter min max sum any all strip split replace lower upper startswith endswith encode decode update pop copy loads dumps cast'.split(' '),
);

function git(gitDir: string, args: string[]): string {
  return execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

/** Names a line calls or reads as attributes (`path.read_text()` → read_text, path). */
function namesOf(line: string): string[] {
  const out = new Set<string>();
  for (const m of line.matchAll(/([A-Za-z_]\w*)\s*\(/g)) out.add(m[1]);
  for (const m of line.matchAll(/\.([A-Za-z_]\w*)\b/g)) out.add(m[1]);
  return [...out].filter((n) => n.length >= 3 && !STOP.has(n));
}

/**
 * Candidate cases of one repository: in commits whose message or diff mentions moving work off the
 * loop, a removed line of a non-test Python file qualifies when it holds a call and one of the names
 * it calls reappears in a hunk that adds an offload call (the call moved into the executor).
 */
export function collectCases(gitDir: string, repo: string, maxPerCommit = 2, byDiff = false): FixCase[] {
  // by message, or (`--by-diff`) every commit whose diff adds or removes an offload call
  const select = byDiff ? ['-G', 'run_in_executor|to_thread|add_executor_job|run_sync[(]|aiofiles|create_subprocess_|sync_to_async|executor[.]submit[(]', '--', '*.py'] : ['-i', '-E', '--grep=run_in_executor|to_thread|executor|blocking|event loop|aiofiles'];
  const log = git(gitDir, ['log', '--no-merges', '--format=%H %P', ...(byDiff ? ['HEAD', ...select] : [...select, 'HEAD'])]);
  const cases: FixCase[] = [];
  for (const row of log.trim().split('\n')) {
    const [commit, parent, extra] = row.split(' ');
    if (!commit || !parent || extra) continue;
    const diff = git(gitDir, ['show', '--format=', '--unified=0', '--no-renames', commit, '--', '*.py']);
    const found: FixCase[] = [];
    for (const fileDiff of diff.split(/^diff --git /m).slice(1)) {
      const file = /^--- a\/(.+)$/m.exec(fileDiff)?.[1];
      if (!file || TEST_PATH.test(file) || !/^\+\+\+ b\//m.test(fileDiff)) continue;
      const hunks = fileDiff.split(/^@@ /m).slice(1);
      const offloadText = hunks.filter((h) => h.split('\n').some((l) => l.startsWith('+') && OFFLOAD.test(l))).map((h) => h.split('\n').filter((l) => l.startsWith('+')).join('\n')).join('\n');
      if (!offloadText) continue;
      for (const h of hunks) {
        const start = Number(/^-(\d+)/.exec(h)?.[1] ?? 0);
        let ln = start;
        for (const l of h.split('\n').slice(1)) {
          if (!l.startsWith('-')) continue;
          const text = l.slice(1);
          const here = ln++;
          const code = text.trim();
          if (!code.includes('(') && !/\.\w+\s*$/.test(code)) continue;
          if (/^(#|def |async def |class |import |from |@|"""|')/.test(code) || OFFLOAD.test(code) || /\bawait\b/.test(code)) continue;
          if (namesOf(code).some((n) => new RegExp(`\\b${n}\\b`).test(offloadText))) found.push({ repo, commit, parent, file, line: here, text: code });
        }
      }
    }
    cases.push(...found.slice(0, maxPerCommit));
  }
  return cases;
}

const JS_TEST_PATH = /(^|\/)(tests?|__tests__|spec|fixtures?)\/|\.(test|spec)\.[cm]?[jt]sx?$/;

/**
 * Candidate JS/TS cases: in commits whose message speaks of sync calls, blocking or promises, a
 * removed line of a non-test JS/TS file that calls `xSync(` where the commit adds the async form
 * (`x(` / `promises.x(`) in the same file.
 */
export function collectJsCases(gitDir: string, repo: string, maxPerCommit = 3): FixCase[] {
  const log = git(gitDir, ['log', '--no-merges', '--format=%H %P', '-i', '-E', '--grep=sync|block|event loop|promises|non-blocking|async fs', 'HEAD']);
  const cases: FixCase[] = [];
  for (const row of log.trim().split('\n')) {
    const [commit, parent, extra] = row.split(' ');
    if (!commit || !parent || extra) continue;
    const diff = git(gitDir, ['show', '--format=', '--unified=0', '--no-renames', commit, '--', '*.js', '*.ts', '*.mjs', '*.cjs', '*.tsx', '*.jsx']);
    const found: FixCase[] = [];
    for (const fileDiff of diff.split(/^diff --git /m).slice(1)) {
      const file = /^--- a\/(.+)$/m.exec(fileDiff)?.[1];
      if (!file || JS_TEST_PATH.test(file) || /(^|\/)(dist|build|node_modules)\//.test(file) || !/^\+\+\+ b\//m.test(fileDiff)) continue;
      const added = fileDiff.split('\n').filter((l) => l.startsWith('+')).join('\n');
      for (const h of fileDiff.split(/^@@ /m).slice(1)) {
        let ln = Number(/^-(\d+)/.exec(h)?.[1] ?? 0);
        for (const l of h.split('\n').slice(1)) {
          if (!l.startsWith('-')) continue;
          const here = ln++;
          const code = l.slice(1).trim();
          if (/^(import|\/\/|\*|const \{[^}]*\} = require)/.test(code)) continue;
          const m = /\b(\w+)Sync\s*\(/.exec(code);
          if (m && new RegExp(`\\b${m[1]}\\s*\\(|promises\\.${m[1]}\\b`).test(added)) found.push({ repo, commit, parent, file, line: here, text: code });
        }
      }
    }
    cases.push(...found.slice(0, maxPerCommit));
  }
  return cases;
}

/** Lines ruff's flake8-async rules flag in `source` (1-based, each diagnostic's row span). */
async function ruffLines(source: string): Promise<Set<number>> {
  const { Workspace, PositionEncoding } = await import('@astral-sh/ruff-wasm-nodejs');
  ruffWs ??= new Workspace({ lint: { select: ['ASYNC'] } }, PositionEncoding.Utf16);
  const out = new Set<number>();
  for (const d of ruffWs.check(source) as { code: string | null; start_location: { row: number }; end_location: { row: number } }[]) {
    if (!d.code?.startsWith('ASYNC')) continue;
    for (let r = d.start_location.row; r <= d.end_location.row; r++) out.add(r);
  }
  return out;
}
let ruffWs: import('@astral-sh/ruff-wasm-nodejs').Workspace | undefined;

async function run(mirrors: string, verbose: boolean): Promise<void> {
  const cases = JSON.parse(readFileSync(DATA, 'utf8')) as FixCase[];
  const byParent = new Map<string, FixCase[]>();
  for (const c of cases) {
    const k = `${c.repo} ${c.parent}`;
    byParent.set(k, [...(byParent.get(k) ?? []), c]);
  }
  let ours = 0;
  let ruff = 0;
  let either = 0;
  let onChain = 0;
  let skipped = 0;
  let excludedHits = 0;
  // per language: Python cases (ruff's domain) and JS/TS cases
  const byLang = { py: { n: 0, ours: 0, ruff: 0 }, js: { n: 0, ours: 0, ruff: 0 } };
  const perRepo = new Map<string, { n: number; ours: number; ruff: number }>();
  // one directory per repository and an index cache: parents share most files, parsed once
  const work = mkdtempSync(path.join(tmpdir(), 'cw-fixes-'));
  const store = await IndexStore.open(path.join(work, 'cache'));
  try {
  for (const [k, group] of byParent) {
    const [repo, parent] = k.split(' ');
    const gitDir = path.join(mirrors, repo.replace('/', '+'), 'repo');
    if (!existsSync(gitDir)) {
      console.log(`skip ${repo}: no mirror at ${gitDir} (fetch it into ${mirrors}/<owner>+<name>/repo)`);
      skipped += group.length;
      continue;
    }
    const dir = path.join(work, repo.replace('/', '+'));
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    {
      // only the Python sources: the parent's tree without docs, assets and vendored blobs
      // (a pathspec, so blobs a partial mirror lacks, like bundled frontends, are never read)
      // a pathspec that matches nothing fails `git archive`: only the extensions the tree has
      const exts = group.some((c) => c.file.endsWith('.py')) ? ['py'] : ['js', 'ts', 'mjs', 'cjs', 'jsx', 'tsx'];
      const names = git(gitDir, ['ls-tree', '-r', '--name-only', parent]).split('\n');
      const specs = [...exts.filter((e) => names.some((n) => n.endsWith(`.${e}`))).map((e) => `'*.${e}'`), ...(exts[0] === 'py' ? [] : ["':!:*.min.js'"])].join(' ');
      execFileSync('sh', ['-c', `git --git-dir "$1" archive "$2" -- ${specs} | tar -x -C "$3"`, 'sh', gitDir, parent, dir], { stdio: ['ignore', 'ignore', 'pipe'] });
      const report = analyzeBlocking(await indexRepository(dir, { churn: false, store }));
      for (const c of group) {
        const hitLine = report.findings.some((f) => f.file === c.file && f.line <= c.line && c.line <= f.end_line);
        // an indirect finding names the async caller's call site of the helper that blocks: the line fixed then
        const hitOurs = hitLine || report.details.some((d) => d.chainLines.some((l, i) => l === c.line && d.chainFiles[i] === c.file));
        if (c.excluded) {
          excludedHits += hitOurs ? 1 : 0;
          console.log(`excl ${hitOurs ? 'hit ' : 'miss'} ${repo} ${c.commit.slice(0, 9)} ${c.file}:${c.line}  (not scored: ${c.excluded.slice(0, 70)}…)`);
          continue;
        }
        onChain += hitOurs && !hitLine ? 1 : 0;
        const isPy = c.file.endsWith('.py');
        const hitRuff = isPy && (await ruffLines(readFileSync(path.join(dir, c.file), 'utf8'))).has(c.line);
        const lang = byLang[isPy ? 'py' : 'js'];
        lang.n++;
        lang.ours += hitOurs ? 1 : 0;
        lang.ruff += hitRuff ? 1 : 0;
        ours += hitOurs ? 1 : 0;
        ruff += hitRuff ? 1 : 0;
        either += hitOurs || hitRuff ? 1 : 0;
        const r = perRepo.get(repo) ?? { n: 0, ours: 0, ruff: 0 };
        r.n++;
        r.ours += hitOurs ? 1 : 0;
        r.ruff += hitRuff ? 1 : 0;
        perRepo.set(repo, r);
        if (verbose || !hitOurs) console.log(`${hitOurs ? 'HIT ' : 'miss'} ruff:${hitRuff ? 'hit ' : 'miss'} ${repo} ${c.commit.slice(0, 9)} ${c.file}:${c.line}  ${c.text.slice(0, 90)}`);
      }
    }
  }
  } finally {
    store.close();
    rmSync(work, { recursive: true, force: true });
  }
  const excluded = cases.filter((c) => c.excluded && perRepo.has(c.repo)).length;
  const total = cases.length - skipped - excluded;
  const pct = (n: number, of = total) => `${((100 * n) / Math.max(1, of)).toFixed(1)}%`;
  console.log('');
  for (const [repo, r] of [...perRepo].sort()) console.log(`${repo.padEnd(36)} cases ${String(r.n).padStart(3)}  codeworm ${String(r.ours).padStart(3)}  ruff ${String(r.ruff).padStart(3)}`);
  const ran = cases.filter((c) => perRepo.has(c.repo) && !c.excluded);
  console.log(`cases ${total} (commits ${new Set(ran.map((c) => c.commit)).size}, repositories ${perRepo.size}; Python ${byLang.py.n}, JS/TS ${byLang.js.n})${skipped ? `; ${skipped} skipped without a mirror` : ''}${excluded ? `; ${excluded} more excluded as not blocking fixes (notes in the data)` : ''}`);
  console.log(`codeworm flags the fixed line: ${ours}/${total} = ${pct(ours)} (${ours - onChain} as the blocking line, ${onChain} as the call site of a reported chain)`);
  console.log(`ruff ASYNC flags the fixed line: ${ruff}/${total} = ${pct(ruff)} (ruff reads Python only)`);
  console.log(`either: ${either}/${total} = ${pct(either)}`);
  if (excluded) console.log(`with the excluded cases counted: codeworm ${ours + excludedHits}/${total + excluded} = ${pct(ours + excludedHits, total + excluded)}`);
  console.log(`Python cases: codeworm ${byLang.py.ours}/${byLang.py.n} = ${pct(byLang.py.ours, byLang.py.n)}, ruff ${byLang.py.ruff}/${byLang.py.n} = ${pct(byLang.py.ruff, byLang.py.n)}; JS/TS cases: codeworm ${byLang.js.ours}/${byLang.js.n} = ${pct(byLang.js.ours, byLang.js.n)}`);
}

const args = process.argv.slice(2);
if (args[0] === '--collect') {
  const all: FixCase[] = [];
  for (const gitDir of args.slice(1).filter((a) => !a.startsWith('--'))) {
    const repo = path.basename(path.dirname(path.resolve(gitDir))).replace('+', '/');
    all.push(...(args.includes('--js') ? collectJsCases(gitDir, repo) : collectCases(gitDir, repo, 2, args.includes('--by-diff'))));
  }
  console.log(JSON.stringify(all, null, 1));
} else {
  const m = args.indexOf('--mirrors');
  await run(m >= 0 ? args[m + 1] : '/work/.mirror', args.includes('--verbose'));
}
