/**
 * Facts a new team member needs that the index alone cannot give, read from the repository with
 * git once a target is chosen (issue 12, the blind review beside the seeds):
 *
 * - `references`: where the code names the function without calling it (a callback, a
 *   `lifespan=lifespan` argument, a config entry), found with `git grep -w` over every tracked
 *   file, so a page never says "no caller" for code that is reached that way;
 * - `symbolHistory`: the commits that changed the symbol's own lines (`git log -L start,end:file`),
 *   with their subjects, newest first — behaviour changes, not the file's churn;
 * - `sharedPaths`: for each hard-coded path a security finding names, the other tracked files
 *   that read or write the same path (a shared contract such as a log file a start script
 *   writes), so the suggested fix does not break them.
 *
 * Each query is one git process with a time limit; a failure leaves the fact out (the page then
 * says less, never something wrong).
 */
import { addFitFacts } from './fit-facts.ts';
import { addSummaryFacts } from './summary-facts.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { RepoIndex } from '../index/types.ts';
import type { Target } from '../targets/types.ts';
import type { Facts } from './types.ts';
import { TEST_FILE, type CallSiteFact } from './doc-facts.ts';
import { cutCode } from './providers/static-code.ts';
import { addLifecycleFacts } from './lifecycle-facts.ts';
import { calleeFlagGotchas, repoCallees } from './callee-facts.ts';
import { rankGotchas, type StaticGotcha } from '../analysis/gotchas.ts';
import { languageById } from '../languages/registry.ts';
import { pageDate } from '../devlog/render.ts';

const run = promisify(execFile);
const GIT_TIMEOUT_MS = 15_000;

async function git(root: string, args: string[]): Promise<string | null> {
  try {
    const { stdout } = await run('git', ['-c', 'core.quotepath=off', ...args], { cwd: root, timeout: GIT_TIMEOUT_MS, maxBuffer: 8 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    // git grep exits 1 when nothing matches
    if ((err as { code?: number }).code === 1 && typeof (err as { stdout?: unknown }).stdout === 'string') return (err as { stdout: string }).stdout;
    return null;
  }
}

/** One line `git grep -n` printed: `path:line:text`. */
function grepLines(out: string): { file: string; line: number; text: string }[] {
  const rows: { file: string; line: number; text: string }[] = [];
  for (const l of out.split('\n')) {
    const m = /^(.+?):(\d+):(.*)$/.exec(l);
    if (m) rows.push({ file: m[1], line: Number(m[2]), text: m[3] });
  }
  return rows;
}

/** A commit that changed a symbol's lines. */
export interface SymbolCommit {
  hash: string;
  /** YYYY-MM-DD: the commit date’s UTC day (`pageDate`, the rule of every date on a page). */
  date: string;
  author: string;
  subject: string;
}

/**
 * Commits that changed lines `start..end` of `relPath` (`git log -L`), newest first, at most
 * `limit`. The oldest one listed is where the lines began when fewer than `limit` are found.
 */
export async function symbolHistory(root: string, relPath: string, start: number, end: number, limit = 6): Promise<SymbolCommit[]> {
  if (start < 1 || end < start) return [];
  const out = await git(root, ['log', `-L${start},${end}:${relPath}`, '--no-patch', `-${limit}`, '--format=%x1e%H%x09%ct%x09%an%x09%s']);
  if (!out) return [];
  return out
    .split('\x1e')
    .map((b) => b.trim().split('\n')[0])
    .filter((b) => b && b.includes('\t'))
    .map((b) => {
      // %ct (seconds since epoch, the commit date the index uses), not --date=short: that prints the author's own offset, so
      // one page would show another day than the file's History on the next
      const [hash, at, author, ...subject] = b.split('\t');
      return { hash, date: pageDate(Number(at) * 1000), author, subject: subject.join('\t').trim() };
    });
}

const DEFINITION = (name: string) => new RegExp(`\\b(?:def|class|function|func|fn)\\s+${name}\\b|\\b${name}\\s*[:=]\\s*(?:async\\s*)?(?:function\\b|\\()`);
const DOC_FILE = /\.(?:md|rst|txt|adoc)$/i;

/** Language family of a path by extension: Python, JS/TS, Go, Rust; null for anything else. */
function languageFamily(file: string): string | null {
  if (/\.pyi?$/.test(file)) return 'python';
  if (/\.(?:[cm]?[jt]sx?)$/.test(file)) return 'js';
  if (/\.go$/.test(file)) return 'go';
  if (/\.rs$/.test(file)) return 'rust';
  return null;
}

/**
 * Places outside the known call sites that name `name` as a whole word (callbacks, keyword
 * arguments, exports, config), code files first, at most `limit`. The definition line and the
 * lines in `known` are left out; documentation files are left out too. `target.within` (the lines
 * of a nested function's enclosing function) keeps only lines of the same file inside it.
 */
export async function references(
  root: string,
  name: string,
  target: { relPath: string; startLine: number; endLine: number; className?: string | null; within?: { startLine: number; endLine: number } },
  known: CallSiteFact[],
  limit = 6,
  classAt: (file: string, line: number) => string | null = () => null,
  definesName: (file: string) => boolean = () => false,
): Promise<CallSiteFact[]> {
  const family = languageFamily(target.relPath);
  if (!/^[A-Za-z_$][\w$]*$/.test(name) || name.length < 3) return [];
  const out = await git(root, ['grep', '-n', '-w', '-I', '-F', '-e', name]);
  if (out === null) return [];
  const seen = new Set(known.map((k) => `${k.file}:${k.line}`));
  const rows: CallSiteFact[] = [];
  for (const r of grepLines(out)) {
    if (DOC_FILE.test(r.file) || seen.has(`${r.file}:${r.line}`)) continue;
    // only code that could call it: files of the same language family (`main` in a stylesheet is not a use)
    if (family !== null && languageFamily(r.file) !== family) continue;
    if (r.file === target.relPath && r.line >= target.startLine && r.line <= target.endLine) continue;
    // a nested function is a local name: only its enclosing function can name it
    if (target.within && (r.file !== target.relPath || r.line < target.within.startLine || r.line > target.within.endLine)) continue;
    // another definition of the same name (a method of another class) is not a use of this one
    if (DEFINITION(name).test(r.text)) continue;
    const t = r.text.trim();
    if (t.startsWith('#') || t.startsWith('//') || /^from\s|^import\s/.test(t)) continue;
    // the name only in a string or a comment (`"/api/generate"`, a docstring) is not a use
    const codeText = t.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '""').replace(/\s#.*$|\/\/.*$/, '');
    if (!new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(codeText)) continue;
    if (/^(?:"""|''')/.test(t) || /^[A-Z][\w ,'-]*$/.test(t)) continue; // docstring prose
    // a plain `name(…)` in another file that defines its own `name` calls that one
    if (r.file !== target.relPath && new RegExp(`(?<![\\w$.])${name}\\s*\\(`).test(codeText) && definesName(r.file)) continue;
    // a module-level function is reached by its bare name or through its module
    // (`api.get_stats`), never as a method of an object (`state.get_stats()` is another one)
    if (!target.className) {
      const stem = target.relPath.split('/').pop()!.replace(/\.[^.]+$/, '');
      const bare = new RegExp(`(?<![\\w$.])${name}(?![\\w$])`).test(codeText);
      const receivers = [...codeText.matchAll(new RegExp(`([A-Za-z_$][\\w$]*)\\.${name}(?![\\w$])`, 'g'))].map((m) => m[1]);
      if (!bare && receivers.length > 0 && receivers.every((r) => r !== stem)) continue;
    }
    // `self.name(…)` inside another class calls that class's method
    if (new RegExp(`(?:^|[^\\w$.])(?:self|this)\\.${name}\\b`).test(codeText)) {
      const owner = classAt(r.file, r.line);
      if (owner !== null && owner !== (target.className ?? null)) continue;
    }
    rows.push({ caller: name, file: r.file, line: r.line, excerpt: cutCode(t, 100) || null });
    if (rows.length >= limit) break;
  }
  return rows;
}

/**
 * Lines of the repository's documentation (Markdown, reStructuredText, text files) that name
 * `name` as a whole word, at most `limit`: what the authors say a thing is for.
 */
export async function docMentions(root: string, name: string, limit = 2): Promise<CallSiteFact[]> {
  if (!/^[A-Za-z_$][\w$.]*$/.test(name) || name.length < 4) return [];
  const out = await git(root, ['grep', '-n', '-w', '-I', '-F', '-e', name, '--', '*.md', '*.rst', '*.txt', '*.adoc']);
  if (!out) return [];
  return grepLines(out)
    .filter((r) => r.text.trim().length > 0 && !/^\s*(?:```|[-|=#]+\s*$)/.test(r.text))
    .slice(0, limit)
    .map((r) => ({ caller: name, file: r.file, line: r.line, excerpt: cutCode(r.text.trim(), 100) || null }));
}

/** A path literal and the other files that name it. */
export interface SharedPath {
  path: string;
  /** Places outside the target's own file (file, line, the line as written). */
  sites: { file: string; line: number; excerpt: string }[];
}

/**
 * For each hard-coded path in the security findings (bandit B108 `/tmp/…` literals), the tracked
 * files other than `relPath` that name the same path: the path is then a contract between them
 * (one writes what the other reads) and cannot be changed on one side.
 */
export async function sharedPaths(root: string, relPath: string, findings: { rule: string; code: string }[]): Promise<SharedPath[]> {
  const out: SharedPath[] = [];
  const literals = new Set<string>();
  for (const f of findings) {
    if (f.rule !== 'B108') continue;
    const m = /['"]((?:\/tmp|\/var\/tmp|\/dev\/shm)\/[^'"{}]+)['"]/.exec(f.code);
    if (m) literals.add(m[1]);
  }
  for (const p of literals) {
    const res = await git(root, ['grep', '-n', '-I', '-F', '-e', p]);
    if (!res) continue;
    const sites = grepLines(res)
      .filter((r) => r.file !== relPath)
      // every line: the page groups them by file (a start script naming the log five times is one file to change)
      .slice(0, 40)
      .map((r) => ({ file: r.file, line: r.line, excerpt: cutCode(r.text.trim(), 100) }));
    if (sites.length > 0) out.push({ path: p, sites });
  }
  return out;
}

/** Dependency lock files: written by package managers, thousands of lines nobody edits. */
const LOCKFILE = /(?:^|\/)(?:package-lock\.json|npm-shrinkwrap\.json|pnpm-lock\.yaml|yarn\.lock|bun\.lockb?|Cargo\.lock|poetry\.lock|Pipfile\.lock|uv\.lock|pdm\.lock|composer\.lock|Gemfile\.lock|go\.sum|packages\.lock\.json)$/;

/** Lines added and removed in one file over a period. */
export interface FileLines {
  file: string;
  added: number;
  removed: number;
}

/**
 * Lines added and removed per file by the non-merge commits of `[from, until]` (YYYY-MM-DD,
 * whole UTC days, committer dates as the index has them), most changed first (added + removed),
 * from `git log --numstat`; binary files (no line counts) and dependency lock files are left
 * out. Null when git fails.
 */
export async function linesChangedIn(root: string, from: string, until: string, limit = 5): Promise<FileLines[] | null> {
  const out = await git(root, ['log', '--no-merges', '--numstat', '--format=', `--since=${from}T00:00:00Z`, `--until=${until}T23:59:59Z`]);
  if (out === null) return null;
  const byFile = new Map<string, FileLines>();
  for (const l of out.split('\n')) {
    const m = /^(\d+)\t(\d+)\t(.+)$/.exec(l);
    if (!m || LOCKFILE.test(m[3])) continue;
    const f = byFile.get(m[3]) ?? { file: m[3], added: 0, removed: 0 };
    f.added += Number(m[1]);
    f.removed += Number(m[2]);
    byFile.set(m[3], f);
  }
  return [...byFile.values()].sort((a, b) => b.added + b.removed - (a.added + a.removed) || a.file.localeCompare(b.file)).slice(0, limit);
}

/**
 * A weekly or monthly summary: the files most changed by lines (added + removed) in each
 * repository's period and last active period, written into the summary context
 * (`activity[i].topLines`, `lastActive.topLines`) so the page and the prompt rank by lines, not
 * by how many commits touched a file. `roots` maps repository names to their roots.
 */
async function addSummaryLines(target: Target, roots: ReadonlyMap<string, string>): Promise<void> {
  const s = target.context.summary as { from?: string; to?: string; soFar?: string; activity?: { repo: string; commits: number; topLines?: FileLines[]; lastActive?: { from: string; to: string; topLines?: FileLines[] } }[] } | undefined;
  if (!s || !Array.isArray(s.activity)) return;
  for (const a of s.activity) {
    const root = roots.get(a.repo);
    if (!root) continue;
    if (a.commits > 0 && s.from && (s.soFar ?? s.to)) {
      const lines = await linesChangedIn(root, s.from, (s.soFar ?? s.to)!);
      if (lines) a.topLines = lines;
    }
    if (a.lastActive) {
      const lines = await linesChangedIn(root, a.lastActive.from, a.lastActive.to);
      if (lines) a.lastActive.topLines = lines;
    }
  }
}

/**
 * Fill `facts.extra` with the reader facts of a function or class target: `symbolHistory`,
 * `references` (when the page lists no caller) and `sharedPaths`; for a summary target, the
 * lines changed per file (`addSummaryLines`; `roots` maps repository names to roots, the
 * target's own repository by default). Never throws.
 */
export async function addReaderFacts(target: Target, facts: Facts, root: string, index?: RepoIndex, roots?: ReadonlyMap<string, string>): Promise<void> {
  if (target.relPath === '.') return addSummaryLines(target, roots ?? new Map([[target.repo.name, root]]));
  // whether the repository has any test file at all (a page then need not say "no test calls it")
  if (index) facts.extra.repoHasTests = index.files.some((f) => TEST_FILE.test(f.path));
  // a file page: lifecycle and gotchas over the whole file
  if (!target.symbol) {
    if (index) {
      addFitFacts(target, facts, index);
      addSummaryFacts(target, facts, index);
    }
    return addLifecycleFacts(target, facts, root, index);
  }
  const top = target.startLine - (target.leading?.count ?? 0);
  // the git calls are independent: run together (each is a process; a fleet coordinator selects
  // many targets in a row), assigned in a fixed order (prompts list the facts in key order)
  const history = symbolHistory(root, target.relPath, top, target.endLine);
  let refs: Promise<unknown> | null = null;
  if (target.functionName) {
    const known = Array.isArray(facts.extra.callSites) ? (facts.extra.callSites as CallSiteFact[]) : [];
    const tests = Array.isArray(facts.extra.testSites) ? (facts.extra.testSites as CallSiteFact[]) : [];
    const byFile = new Map((index?.files ?? []).map((f) => [f.path, f]));
    const classAt = (file: string, line: number): string | null => {
      const s = byFile.get(file)?.symbols.filter((x) => x.kind !== 'class' && x.startLine <= line && x.endLine >= line).sort((a, b) => a.endLine - a.startLine - (b.endLine - b.startLine))[0];
      return s?.className ?? null;
    };
    const fname = target.functionName;
    const definesName = (file: string) => (byFile.get(file)?.symbols ?? []).some((x) => x.name === fname && x.className === null && x.kind !== 'class');
    const sym = target.symbol;
    const enclosing = sym.parent !== null ? byFile.get(target.relPath)?.symbols.find((x) => x.kind !== 'class' && x.displayName === sym.parent && x.startLine <= sym.startLine && x.endLine >= sym.endLine) : undefined;
    const scoped = enclosing ? { ...target, within: { startLine: enclosing.startLine, endLine: enclosing.endLine } } : target;
    refs = references(root, fname, scoped, [...known, ...tests], 6, classAt, definesName);
  }
  // purpose in the authors' words: the README and other docs naming it (a private helper rarely is)
  const name = target.functionName ?? target.className;
  const mentions = name && !name.startsWith('_') ? docMentions(root, name) : null;
  const shared = facts.security && facts.security.length > 0 ? sharedPaths(root, target.relPath, facts.security) : null;
  const [h, r, m, sp] = await Promise.all([history, refs, mentions, shared]);
  facts.extra.symbolHistory = h;
  if (refs) facts.extra.references = r;
  if (mentions) facts.extra.docMentions = m;
  if (shared) facts.extra.sharedPaths = sp;
  if (index && target.symbol.kind === 'class') addSummaryFacts(target, facts, index);
  await addLifecycleFacts(target, facts, root, index);
  if (target.functionName && index) await addCalleeFacts(target, facts, root, index);
}

/** `extra.callees` (what it hands work to in the repository) and the traps of those callees, ranked with the page's other gotchas. */
async function addCalleeFacts(target: Target, facts: Facts, root: string, index: RepoIndex): Promise<void> {
  const callees = repoCallees(target, index);
  if (callees.length === 0) return;
  facts.extra.callees = callees;
  const traps = languageById(target.language)?.facts.blocking?.family === 'python' ? await calleeFlagGotchas(target, callees, root, index) : [];
  if (traps.length > 0) facts.extra.staticGotchas = rankGotchas([...traps, ...((facts.extra.staticGotchas as StaticGotcha[] | undefined) ?? [])], 5);
}
