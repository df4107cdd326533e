/**
 * `codeworm analyze PATH [--limit N] [--type T] [--all] [--json] [--cache-dir DIR] [--no-cache]`:
 * index one directory and print its best documentation candidates (or every symbol with
 * `--all`) as a table with a summary, or as one JSON document.
 */
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { DOC_TYPES, type DocType } from '../config/schema.ts';
import { indexRepository } from '../index/indexer.ts';
import { targetScope } from '../index/scope.ts';
import { classCandidates, fileCandidates, functionCandidates, interestScore } from '../index/score.ts';
import { churnFor } from '../index/churn.ts';
import { defaultCacheDir, IndexStore } from '../index/store.ts';
import type { CodeSymbol, FileRecord, RepoIndex, ScoreBreakdown, SkipReason } from '../index/types.ts';
import { action, printJson, settingsFor, UserError } from './common.ts';

/** Doc types whose unit is a function or method (SPEC section 4). */
const FUNCTION_TYPES: readonly DocType[] = ['function_doc', 'security_review', 'performance_analysis', 'til'];
const ALL_SKIP_REASONS: readonly SkipReason[] = ['binary', 'too_large', 'empty', 'unreadable', 'invalid_utf8', 'symlink_outside', 'parse_failed'];
const DEFAULT_LIMIT = 20;

/** The unit `analyze --type` ranks for a doc type, or null when analyze has no ranking for it. */
export function unitForType(type: DocType): 'function' | 'class' | 'file' | null {
  if (FUNCTION_TYPES.includes(type)) return 'function';
  if (type === 'class_doc') return 'class';
  if (type === 'file_doc') return 'file';
  return null;
}

/** One entry of `analyze --json`'s `symbols` (a file entry has kind `file` and file-level figures). */
export interface AnalyzeSymbolJson {
  kind: 'function' | 'method' | 'class' | 'file';
  name: string;
  class_name: string | null;
  display_name: string;
  /** Repo-relative POSIX path. */
  file: string;
  language: string;
  start_line: number;
  end_line: number;
  cyclomatic: number;
  nloc: number;
  tokens: number;
  params: number;
  max_nesting: number;
  is_async: boolean;
  decorators: string[];
  score: number;
  /** The interest score's parts for functions and methods; null for class and file rankings. */
  score_breakdown: ScoreBreakdown | null;
}

/** The document `analyze --json` prints. */
export interface AnalyzeJson {
  root: string;
  files: number;
  parsed: number;
  is_git_repo: boolean;
  skipped: Record<SkipReason, number>;
  duration_ms: number;
  /** `function`, `class`, `file`, or `all` for `--all`. */
  unit: string;
  symbols: AnalyzeSymbolJson[];
}

function symbolJson(sym: CodeSymbol, file: FileRecord, score: number, breakdown: ScoreBreakdown | null): AnalyzeSymbolJson {
  return {
    kind: sym.kind,
    name: sym.name,
    class_name: sym.className,
    display_name: sym.displayName,
    file: file.path,
    language: file.language,
    start_line: sym.startLine,
    end_line: sym.endLine,
    cyclomatic: sym.metrics.cyclomatic,
    nloc: sym.metrics.nloc,
    tokens: sym.metrics.tokens,
    params: sym.metrics.params,
    max_nesting: sym.metrics.maxNesting,
    is_async: sym.isAsync,
    decorators: sym.decorators,
    score,
    score_breakdown: breakdown,
  };
}

function fileJson(file: FileRecord, score: number): AnalyzeSymbolJson {
  const fns = file.symbols.filter((s) => s.kind !== 'class');
  return {
    kind: 'file',
    name: path.posix.basename(file.path),
    class_name: null,
    display_name: file.path,
    file: file.path,
    language: file.language,
    start_line: 1,
    end_line: file.lines,
    cyclomatic: fns.reduce((a, s) => a + s.metrics.cyclomatic, 0),
    nloc: file.nloc,
    tokens: fns.reduce((a, s) => a + s.metrics.tokens, 0),
    params: 0,
    max_nesting: fns.reduce((a, s) => Math.max(a, s.metrics.maxNesting), 0),
    is_async: false,
    decorators: [],
    score,
    score_breakdown: null,
  };
}

/**
 * The entries `analyze` lists: ranked candidates of one unit, or every symbol (`all`) in file
 * and line order with its interest score.
 * @param now ms since epoch (novelty)
 */
export function analyzeEntries(
  index: RepoIndex,
  unit: 'function' | 'class' | 'file' | 'all',
  analyzer: Parameters<typeof functionCandidates>[1],
  now: number,
): AnalyzeSymbolJson[] {
  switch (unit) {
    case 'function':
      return functionCandidates(index, analyzer, now).map((c) => symbolJson(c.symbol, c.file, c.score, c.breakdown));
    case 'class':
      return classCandidates(index).map((c) => symbolJson(c.symbol, c.file, c.score, null));
    case 'file':
      return fileCandidates(index).map((c) => fileJson(c.file, c.score));
    case 'all':
      return index.files.flatMap((f) =>
        f.symbols.map((s) => {
          const { score, breakdown } = interestScore(s, churnFor(index, f.path), now);
          return symbolJson(s, f, score, breakdown);
        }),
      );
  }
}

function parseLimit(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`--limit: expected a positive whole number; found "${raw}"`, 2);
  return n;
}

function parseType(raw: string | undefined): DocType | undefined {
  if (raw === undefined) return undefined;
  if (!(DOC_TYPES as readonly string[]).includes(raw)) {
    throw new UserError(`--type: unknown doc type "${raw}"; expected one of ${DOC_TYPES.join(', ')}`, 2);
  }
  return raw as DocType;
}

function pad(text: string, width: number, right = false): string {
  const t = text.length > width ? `${text.slice(0, width - 1)}…` : text;
  return right ? t.padStart(width) : t.padEnd(width);
}

/** The candidates table (score, name, file, lines, complexity) as text lines. */
export function renderTable(entries: AnalyzeSymbolJson[]): string {
  const nameW = Math.min(48, Math.max(4, ...entries.map((e) => e.display_name.length)));
  const fileW = Math.min(56, Math.max(4, ...entries.map((e) => e.file.length)));
  const lines = [`${pad('score', 6, true)}  ${pad('name', nameW)}  ${pad('file', fileW)}  ${pad('lines', 11)}  ${pad('cc', 4, true)}`];
  lines.push('-'.repeat(lines[0].length));
  for (const e of entries) {
    lines.push(
      `${pad(e.score.toFixed(1), 6, true)}  ${pad(e.display_name, nameW)}  ${pad(e.file, fileW)}  ${pad(`${e.start_line}-${e.end_line}`, 11)}  ${pad(String(e.cyclomatic), 4, true)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The summary printed after the table: files, symbols, skipped files with reasons, time. */
export function renderSummary(index: RepoIndex, listed: number, unit: string): string {
  const symbols = index.files.reduce((a, f) => a + f.symbols.length, 0);
  const skipped = Object.entries(index.skipped)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([reason, n]) => `${reason} ${n}`);
  const lines = [
    `root:     ${index.root}${index.isGitRepo ? '' : ' (not a git repository: no churn)'}`,
    `files:    ${index.files.length} indexed (${index.parsed} parsed, ${index.files.length - Math.min(index.parsed, index.files.length)} from cache)`,
    `symbols:  ${symbols} extracted, ${listed} listed (${unit})`,
    `skipped:  ${skipped.length ? skipped.join(', ') : 'none'}`,
    `time:     ${(index.durationMs / 1000).toFixed(2)} s`,
  ];
  return `${lines.join('\n')}\n`;
}

interface AnalyzeOpts {
  limit?: string;
  type?: string;
  all?: boolean;
  json?: boolean;
  cacheDir?: string;
  cache: boolean;
}

/** Register `codeworm analyze`. */
export function register(program: Command): void {
  program
    .command('analyze')
    .description('index a directory and list its best documentation candidates')
    .argument('<path>', 'directory to analyze')
    .option('--limit <n>', `how many entries to list (default ${DEFAULT_LIMIT}; all with --all)`)
    .option('--type <type>', 'rank for this doc type\'s unit: functions, classes (class_doc) or files (file_doc)')
    .option('--all', 'list every extracted symbol, unfiltered and unranked', false)
    .option('--json', 'print one JSON document on stdout', false)
    .option('--cache-dir <dir>', 'index cache directory (default: the user cache directory)')
    .option('--no-cache', 'do not read or write the index cache')
    .action(
      action(async (target: string, opts: AnalyzeOpts, cmd: Command) => {
        const limit = parseLimit(opts.limit);
        const type = parseType(opts.type);
        let unit: 'function' | 'class' | 'file' | 'all' = 'function';
        if (opts.all) unit = 'all';
        else if (type) {
          const u = unitForType(type);
          if (!u) throw new UserError(`--type ${type}: analyze ranks functions, classes (class_doc) and files (file_doc); ${type} has another unit`, 2);
          unit = u;
        }
        const settings = await settingsFor(cmd, { checkRepoPaths: false });

        let store: IndexStore | null = null;
        if (opts.cache) {
          const dir = opts.cacheDir ?? defaultCacheDir();
          try {
            store = await IndexStore.open(dir);
          } catch (err) {
            process.stderr.write(`codeworm: warning: index cache unavailable, indexing without it: ${(err as Error).message}\n`);
          }
        }

        const controller = new AbortController();
        const onSigint = (): void => controller.abort(new UserError('interrupted', 130));
        process.once('SIGINT', onSigint);
        let bar: cliProgress.SingleBar | null = null;
        const onProgress = process.stderr.isTTY
          ? (done: number, total: number): void => {
              if (!bar) {
                bar = new cliProgress.SingleBar(
                  { stream: process.stderr, format: 'indexing [{bar}] {value}/{total} files', hideCursor: true, clearOnComplete: true },
                  cliProgress.Presets.shades_classic,
                );
                bar.start(total, 0);
              }
              bar.update(done);
            }
          : undefined;

        let index: RepoIndex;
        try {
          index = await indexRepository(target, { analyzer: settings.analyzer, store, onProgress, signal: controller.signal });
        } finally {
          (bar as cliProgress.SingleBar | null)?.stop();
          process.removeListener('SIGINT', onSigint);
          store?.close();
        }

        const entries = analyzeEntries(targetScope(index, settings.analyzer.include_patterns), unit, settings.analyzer, Date.now());
        const max = limit ?? (unit === 'all' ? entries.length : DEFAULT_LIMIT);
        const listed = entries.slice(0, max);
        if (opts.json) {
          const skipped = Object.fromEntries(ALL_SKIP_REASONS.map((r) => [r, index.skipped[r] ?? 0])) as Record<SkipReason, number>;
          const doc: AnalyzeJson = {
            root: index.root,
            files: index.files.length,
            parsed: index.parsed,
            is_git_repo: index.isGitRepo,
            skipped,
            duration_ms: index.durationMs,
            unit,
            symbols: listed,
          };
          printJson(doc);
          return;
        }
        const out = listed.length ? renderTable(listed) : `no ${unit === 'all' ? 'symbols' : `${unit} candidates`} found\n`;
        process.stdout.write(`${out}\n${renderSummary(index, listed.length, unit)}`);
        if (settings.debug || cmd.optsWithGlobals().debug) {
          for (const w of index.warnings ?? []) process.stderr.write(`codeworm: ${w}\n`);
        }
      }),
    );
}
