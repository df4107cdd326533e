/**
 * Index dump (issue 14): indexes one directory (default: this machine's Python standard library)
 * without cache or churn and writes one JSON line per file (path, language, hash, lines, nloc,
 * imports, symbols with their metrics and calls, facts; size and mtime left out), in path order.
 * Two dumps taken before and after a change to the indexer, diffed, show whether the change
 * altered any figure or fact: a speed change must leave them byte-identical.
 *
 * Run: node --import tsx bench/index-dump.ts [PATH] [--out=FILE]   (default FILE: index-dump.jsonl)
 */
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { indexRepository } from '../src/index/indexer.ts';

function pythonStdlib(): string {
  return execFileSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' }).trim();
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const out = args.find((a) => a.startsWith('--out='))?.slice(6) ?? 'index-dump.jsonl';
  const target = path.resolve(args.find((a) => !a.startsWith('--')) ?? pythonStdlib());
  const index = await indexRepository(target, { churn: false });
  const lines = index.files.map(({ size: _size, mtimeMs: _mtime, ...rest }) => JSON.stringify(rest));
  await writeFile(out, `${lines.join('\n')}\n`);
  process.stdout.write(`${index.files.length} files, skipped ${JSON.stringify(index.skipped)}, ${index.warnings?.length ?? 0} warnings -> ${out}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`index-dump: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
