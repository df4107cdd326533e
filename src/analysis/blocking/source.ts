/**
 * Source excerpts for the Markdown report: the files of the findings read once, asynchronously,
 * then served line ranges synchronously as `renderBlockingMarkdown`'s `sourceOf` wants them.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BlockingReport } from './types.ts';

export type SourceOf = (file: string, line: number, endLine: number) => string | null;

/**
 * Read the files the report's findings point at (repo-relative to `root`) and return a
 * `sourceOf` for `renderBlockingMarkdown`. A file that cannot be read yields null excerpts and
 * is passed to `onSkip` (path, reason) so the caller can log it.
 */
export async function loadReportSources(root: string, report: BlockingReport, onSkip?: (file: string, reason: string) => void): Promise<SourceOf> {
  const texts = new Map<string, string[]>();
  await Promise.all(
    [...new Set(report.findings.map((f) => f.file))].map(async (f) => {
      try {
        texts.set(f, (await readFile(path.join(root, f), 'utf8')).split(/\r?\n/));
      } catch (err) {
        onSkip?.(f, (err as Error).message);
      }
    }),
  );
  return (file, line, endLine) => {
    const lines = texts.get(file);
    return lines ? lines.slice(line - 1, endLine).join('\n') : null;
  };
}
