/**
 * `codeworm blocking PATH [--json | --markdown] [--min-severity S] [--cache-dir DIR] [--no-cache]`:
 * index a directory and report blocking calls in async code (issue 5): a terminal listing, the
 * JSON document, or the Markdown report.
 */
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { analyzeBlocking, formatBlockingTerminal, loadReportSources, renderBlockingMarkdown, toBlockingJson, type Severity } from '../analysis/blocking/index.ts';
import { indexRepository } from '../index/indexer.ts';
import { checkRepoRoot } from '../index/scan.ts';
import { defaultCacheDir, IndexStore } from '../index/store.ts';
import { action, printJson, settingsFor, UserError } from './common.ts';

interface BlockingOpts {
  json?: boolean;
  markdown?: boolean;
  minSeverity?: string;
  cacheDir?: string;
  cache: boolean;
}

const SEVERITIES: Severity[] = ['low', 'medium', 'high'];

/** Register `codeworm blocking`. */
export function register(program: Command): void {
  program
    .command('blocking')
    .description('find blocking calls in async code (direct and through sync helpers)')
    .argument('<path>', 'repository directory to analyse')
    .option('--json', 'print one JSON document on stdout', false)
    .option('--markdown', 'print the Markdown report', false)
    .option('--min-severity <level>', 'only report findings at or above low | medium | high')
    .option('--cache-dir <dir>', 'index cache directory (default: the user cache directory)')
    .option('--no-cache', 'do not read or write the index cache')
    .action(
      action(async (target: string, opts: BlockingOpts, cmd: Command) => {
        if (opts.json && opts.markdown) throw new UserError('--json and --markdown cannot be combined; pick one', 2);
        const min = opts.minSeverity;
        if (min !== undefined && !SEVERITIES.includes(min as Severity)) throw new UserError(`--min-severity: expected low, medium or high; found "${min}"`, 2);
        const root = await checkRepoRoot(target);
        const settings = await settingsFor(cmd, { checkRepoPaths: false });
        let store: IndexStore | null = null;
        if (opts.cache) {
          try {
            store = await IndexStore.open(opts.cacheDir ?? defaultCacheDir());
          } catch (err) {
            process.stderr.write(`codeworm: warning: index cache unavailable, indexing without it: ${(err as Error).message}\n`);
          }
        }
        // progress on a terminal only (stdout stays clean for --json / --markdown)
        let bar: cliProgress.SingleBar | null = null;
        const onProgress = process.stderr.isTTY
          ? (done: number, total: number): void => {
              if (!bar) {
                bar = new cliProgress.SingleBar({ stream: process.stderr, format: 'indexing [{bar}] {value}/{total} files', hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
                bar.start(total, 0);
              }
              bar.update(done);
            }
          : undefined;
        let report;
        try {
          const index = await indexRepository(root, { analyzer: settings.analyzer, store, churn: false, onProgress });
          (bar as cliProgress.SingleBar | null)?.stop();
          bar = null;
          report = analyzeBlocking(index, { minSeverity: min as Severity | undefined });
          if (store && report.filesWithoutFacts > 0) {
            // cached records from an older collector: parse again without the cache
            process.stderr.write(`codeworm: note: ${report.filesWithoutFacts} cached files carry older blocking facts; re-parsing without the cache\n`);
            report = analyzeBlocking(await indexRepository(root, { analyzer: settings.analyzer, store: null, churn: false }), { minSeverity: min as Severity | undefined });
          }
        } finally {
          (bar as cliProgress.SingleBar | null)?.stop();
          store?.close();
        }
        for (const p of report.partialFiles) process.stderr.write(`codeworm: warning: ${p.file}: analysed in part: ${p.reason}; ${p.cut} subtree${p.cut === 1 ? '' : 's'} left out, the first at line ${p.line}\n`);
        if (opts.json) {
          printJson(toBlockingJson(report));
        } else if (opts.markdown) {
          const sourceOf = await loadReportSources(root, report, (f, why) => process.stderr.write(`codeworm: warning: cannot read ${f} for its excerpt: ${why}\n`));
          process.stdout.write(renderBlockingMarkdown(report, { repoName: path.basename(root), now: new Date(), sourceOf }));
        } else {
          process.stdout.write(formatBlockingTerminal(report));
        }
      }),
    );
}
