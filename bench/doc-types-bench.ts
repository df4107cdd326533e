/**
 * Every doc type on a real repository of each language (issue 15, "run-once --type T works for
 * every doc type"): for each `NAME=PATH` repository and each doc type, one
 * `codeworm run-once --provider static --type T --dry-run --json` into a fresh DevLog, and a
 * table of the outcomes: `ok` (a page was generated, with its target), `skip` (the cycle found
 * no target, with its reason) or `FAIL` (the command failed). Summaries (weekly, monthly) have
 * no code target and summarise what the DevLog documented this period, so before a summary the
 * bench writes one function_doc page into that fresh DevLog (a real, non-dry run).
 *
 * Run: node --import tsx bench/doc-types-bench.ts NAME=PATH [NAME=PATH …] [--types=a,b]
 * (clone the repositories with history first, e.g. `git clone /work/.mirror/rack+rack/repo rack`).
 * Prints one line per repository and doc type, then per repository how many types made a page.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DOC_TYPES } from '../src/config/schema.ts';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const typesArg = process.argv.find((a) => a.startsWith('--types='))?.slice(8);
const types = typesArg ? typesArg.split(',') : [...DOC_TYPES];
const repos = process.argv.slice(2).filter((a) => !a.startsWith('--') && a.includes('='));
if (repos.length === 0) {
  console.error('usage: bench/doc-types-bench.ts NAME=PATH [NAME=PATH …] [--types=a,b]');
  process.exit(2);
}

interface Outcome {
  outcome?: string;
  reason?: string;
  docType?: string;
  target?: { path?: string; name?: string; file?: string; kind?: string } | string;
  page?: { path?: string };
}

const summary: string[] = [];
for (const spec of repos) {
  const name = spec.slice(0, spec.indexOf('='));
  let pages = 0;
  for (const type of types) {
    const dir = await mkdtemp(path.join(tmpdir(), 'cw-doctypes-'));
    try {
      await run('git', ['init', '-q', path.join(dir, 'devlog')]);
      const cli = (t: string, dry: boolean) =>
        run(
          process.execPath,
          ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), '--config', path.join(dir, 'cfg'), 'run-once', '--provider', 'static', ...(dry ? ['--dry-run'] : []), '--json', '--type', t, '--repo', spec, '--devlog', path.join(dir, 'devlog')],
          { cwd: root, maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1', GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@localhost', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@localhost' } },
        );
      if (type.endsWith('_summary')) await cli('function_doc', false);
      const started = Date.now();
      const { stdout } = await cli(type, true);
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      const json = JSON.parse(stdout.slice(stdout.indexOf('{'))) as Outcome;
      const t = json.target;
      const what = typeof t === 'string' ? t : t ? [t.path ?? t.file, t.name].filter(Boolean).join(' ') : '';
      const ok = json.outcome === 'success';
      if (ok) pages++;
      console.log(`${name.padEnd(10)} ${type.padEnd(21)} ${(ok ? 'ok' : 'skip').padEnd(5)} ${secs.padStart(5)} s  ${ok ? what || json.outcome : json.reason ?? json.outcome}`);
    } catch (e) {
      const err = e as { stderr?: string; message: string };
      console.log(`${name.padEnd(10)} ${type.padEnd(21)} FAIL  ${(err.stderr || err.message).trim().split('\n').slice(-3).join(' | ')}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  summary.push(`${name}: ${pages}/${types.length} doc types made a page`);
}
console.log(summary.join('\n'));
