/**
 * Test support: a RepoIndex built in-process from source texts (parse, extract, run the fact
 * collectors on the main thread) so each test states its files inline; the indexer's worker
 * path is covered separately by the CLI and integration tests.
 */
import { collectFileFacts } from '../../src/analysis/facts.ts';
import { analyzeBlocking, type BlockingFinding, type BlockingReport } from '../../src/analysis/blocking/index.ts';
import { extractFromTree, languageForPath } from '../../src/index/extract.ts';
import { parseSource } from '../../src/index/parser.ts';
import type { FileRecord, RepoIndex } from '../../src/index/types.ts';

/** Build an index of `files` (repo-relative path → source). */
export async function indexOf(files: Record<string, string>, root = '/repo'): Promise<RepoIndex> {
  const records: FileRecord[] = [];
  for (const [path, source] of Object.entries(files)) {
    const language = languageForPath(path) ?? (path.endsWith('.rs') ? 'rust' : null);
    if (!language) throw new Error(`no language for ${path}`);
    const tree = await parseSource(language, source);
    try {
      let symbols: FileRecord['symbols'] = [];
      let imports: FileRecord['imports'] = [];
      try {
        ({ symbols, imports } = extractFromTree(tree, language, source));
      } catch {
        // a language without an extractor yet: the blocking facts do not need its symbols
      }
      const { facts, errors } = collectFileFacts(tree.rootNode, language, source);
      if (errors.length) throw new Error(`collector failed on ${path}: ${errors.join('; ')}`);
      records.push({ path, language, size: source.length, mtimeMs: 0, hash: '', lines: source.split('\n').length, nloc: 0, imports, symbols, hasSyntaxErrors: tree.rootNode.hasError, facts });
    } finally {
      tree.delete();
    }
  }
  return { root, files: records, churn: new Map(), commits: [], isGitRepo: false, skipped: {}, parsed: records.length, durationMs: 0 };
}

/** Analyse `files` and return the report. */
export async function analyze(files: Record<string, string>): Promise<BlockingReport> {
  return analyzeBlocking(await indexOf(files));
}

/** Compact `file:line kind call` strings of the findings, sorted, for readable assertions. */
export function brief(findings: BlockingFinding[]): string[] {
  return findings.map((f) => `${f.file}:${f.line} ${f.kind} ${f.call}`).sort();
}

/** Python source from an indented template literal (strips the common indentation). */
export function py(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = String.raw({ raw: strings }, ...values).replace(/^\n/, '');
  const lines = text.split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}
