/**
 * `codeworm run-once [--dry-run] [--type T] [--provider P] [--repo NAME=PATH …] [--devlog PATH]`:
 * one documentation cycle, recorded in the `cycles` table like the daemon's (so `stats` and the
 * dashboard count it). Prints the target, the page and the commit. `--dry-run` changes
 * nothing (DevLog and database untouched). An unreachable LLM fails within seconds, naming the
 * URL tried; nothing is written.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { action, printJson, settingsFor, UserError } from './common.ts';
import { DOC_TYPES, type DocType, type Settings } from '../config/schema.ts';
import { expandPath, systemPathProblem } from '../config/load.ts';
import { openStateDb } from '../state/db.ts';
import { createProvider } from '../llm/providers/index.ts';
import { EventBus } from '../core/events.ts';
import { CycleStore } from '../state/cycles.ts';

interface RunOnceOptions {
  dryRun: boolean;
  type?: string;
  provider?: string;
  repo: string[];
  devlog?: string;
  quiet: boolean;
  json: boolean;
  lockWait: string;
}

/** `--lock-wait` in seconds → ms. @throws UserError (exit 2) when not a number ≥ 0. */
export function lockWaitMs(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UserError(`--lock-wait ${value}: expected a number of seconds ≥ 0`, 2);
  return Math.round(n * 1000);
}

/** Apply `--repo NAME=PATH` and `--devlog` overrides. @throws UserError (exit 2) on a bad value. */
export async function applyOverrides(settings: Settings, opts: { repo?: string[]; devlog?: string }): Promise<Settings> {
  const s = { ...settings, devlog: { ...settings.devlog } };
  if (opts.repo && opts.repo.length > 0) {
    s.repositories = [];
    for (const spec of opts.repo) {
      const eq = spec.indexOf('=');
      const name = eq > 0 ? spec.slice(0, eq) : path.basename(path.resolve(spec));
      const p = path.resolve(expandPath(eq > 0 ? spec.slice(eq + 1) : spec));
      const st = await stat(p).catch(() => null);
      if (!st?.isDirectory()) throw new UserError(`--repo ${spec}: expected an existing directory; found ${st ? 'a file' : 'nothing'} at ${p}`, 2);
      const problem = systemPathProblem(p);
      if (problem) throw new UserError(`--repo ${spec}: ${problem}, not a source repository`, 2);
      s.repositories.push({ name, path: p, weight: 5, enabled: true });
    }
  }
  if (opts.devlog) {
    s.devlog.repo_path = path.resolve(expandPath(opts.devlog));
    const problem = systemPathProblem(s.devlog.repo_path);
    if (problem) throw new UserError(`--devlog ${opts.devlog}: ${problem}; choose a directory of its own`, 2);
  }
  return s;
}

export function register(program: Command): void {
  program
    .command('run-once')
    .description('run one documentation cycle and exit')
    .option('--dry-run', 'choose, generate and print, but write nothing', false)
    .option('--type <docType>', `force a doc type (${DOC_TYPES.join(', ')})`)
    .option('--provider <name>', 'LLM provider: ollama | openai | static')
    .option('--repo <name=path>', 'document this repository instead of repos.yaml (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .option('--devlog <path>', 'DevLog repository path (overrides devlog.repo_path)')
    .option('-q, --quiet', 'print only the summary, not the page', false)
    .option('--json', 'print the cycle result as one JSON document', false)
    .option('--lock-wait <seconds>', 'how long to wait for another CodeWorm process writing to the same DevLog or state database', '60')
    .action(
      action(async (opts: RunOnceOptions, cmd: Command) => {
        if (opts.type && !(DOC_TYPES as readonly string[]).includes(opts.type)) {
          throw new UserError(`--type ${opts.type}: unknown doc type; expected one of ${DOC_TYPES.join(', ')}`, 2);
        }
        if (opts.provider && !['ollama', 'openai', 'static'].includes(opts.provider)) {
          throw new UserError(`--provider ${opts.provider}: expected ollama, openai or static`, 2);
        }
        const settings = await applyOverrides(await settingsFor(cmd, { checkRepoPaths: (opts.repo ?? []).length === 0 }), opts);
        if (settings.repositories.filter((r) => r.enabled).length === 0) {
          throw new UserError('no repositories: add some to repos.yaml or pass --repo NAME=PATH', 2);
        }
        const waitMs = lockWaitMs(opts.lockWait);
        const provider = createProvider(settings, opts.provider as 'ollama' | 'openai' | 'static' | undefined);
        if (provider.name !== 'static') {
          const health = await provider.health();
          if (health.modelPresent === false) throw new UserError(health.detail);
          if (!health.ok) throw new UserError(`LLM not reachable at ${health.url}: ${health.detail}`);
        }
        // loaded on use: the cycle pulls in every stage of the pipeline
        const { runCycle } = await import('../daemon/cycle.ts');
        const db = openStateDb(settings.data_dir);
        const bus = new EventBus();
        const controller = new AbortController();
        const stop = () => controller.abort();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        const started = Date.now();
        try {
          let res: Awaited<ReturnType<typeof runCycle>>;
          try {
            res = await runCycle({ settings, db, provider, bus, signal: controller.signal, lockWaitMs: waitMs, lockCommand: 'run-once' }, { dryRun: opts.dryRun, docType: opts.type as DocType | undefined });
          } catch (err) {
            res = { outcome: 'failed', reason: `cycle threw: ${(err as Error).message}` };
          }
          // A run-once is a cycle like the daemon's (state/metrics.ts): recorded unless --dry-run or
          // refused because another process holds the writer lock (then it never ran).
          if (!opts.dryRun && !res.lockBusy) {
            const cycles = new CycleStore(db);
            cycles.finish(cycles.start(new Date(started)), res, new Date(), Date.now() - started);
          }
          const out = process.stdout;
          if (opts.json) {
            printJson(res);
            if (res.outcome === 'failed' || res.push === 'rejected' || res.push === 'failed') process.exitCode = 1;
          } else if (res.outcome === 'success') {
            if (!opts.quiet && res.page) out.write(`${res.page}\n`);
            out.write(`${opts.dryRun ? 'would document' : 'documented'}: ${res.target} (${res.docType}) from ${res.repo}\n`);
            out.write(`${opts.dryRun ? 'would write' : 'page'}: ${path.join(settings.devlog.repo_path, res.snippetPath ?? '')}\n`);
            out.write(`commit message: ${res.commitMessage}\n`);
            if (res.commit) out.write(`commit: ${res.commit}${res.push && res.push !== 'skipped' ? ` (push: ${res.push}${res.pushMessage ? `: ${res.pushMessage}` : ''})` : ''}\n`);
            if (res.grounding) {
              out.write(`grounding: ${res.grounding.grounded ? 'grounded' : 'not grounded'} (${res.grounding.ungrounded} ungrounded, ${res.grounding.contradictions} contradictions${res.grounding.regenerated ? ', regenerated once' : ''})\n`);
            }
            if (res.push === 'rejected' || res.push === 'failed') process.exitCode = 1;
          } else if (res.outcome === 'skipped') {
            out.write(`skipped: ${res.reason}\n`);
          } else {
            if (cmd.optsWithGlobals().debug && res.stack) process.stderr.write(`${res.stack}\n`);
            throw new UserError(res.reason ?? res.outcome);
          }
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          db.close();
        }
      }),
    );
}
