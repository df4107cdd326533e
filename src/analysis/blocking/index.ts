/**
 * Blocking calls in async code (issue 5, SPEC section 9): the public surface. The collector
 * (`collector.ts`) runs in the index workers; `analyzeBlocking` is the pure graph pass over the
 * index; the renderers turn its report into JSON, Markdown and a terminal listing.
 */
import type { BlockingFinding, BlockingJson, BlockingReport } from './types.ts';

export { analyzeBlocking, isBlockingFacts, type AnalyzeOptions } from './analyze.ts';
export { blockingCollector, collectBlockingFacts } from './collector.ts';
export { renderBlockingMarkdown, type MarkdownOptions } from './report.ts';
export { formatBlockingTerminal } from './terminal.ts';
export type * from './types.ts';

/** The `codeworm blocking --json` document: exactly the keys of issue 5, in that order. */
export function toBlockingJson(report: BlockingReport): BlockingJson {
  return {
    root: report.root,
    files: report.files,
    async_functions: report.async_functions,
    findings: report.findings.map((f) => ({
      file: f.file,
      line: f.line,
      end_line: f.end_line,
      function: f.function,
      kind: f.kind,
      category: f.category,
      call: f.call,
      chain: [...f.chain],
      severity: f.severity,
      recommendation: f.recommendation,
    })),
    components: report.components.map((c) => ({ path: c.path, async_functions: c.async_functions, with_findings: c.with_findings, adoption_pct: c.adoption_pct })),
  };
}

/**
 * Findings that concern one function, for the facts block of a performance page: those whose
 * chain starts at or passes through it, or that lie in it.
 * @param file repo-relative path of the function's file
 * @param displayName the symbol's display name (`Class.method`)
 */
export function blockingFactsForSymbol(report: BlockingReport, file: string, displayName: string): BlockingFinding[] {
  return report.findings.filter((f, i) => {
    if (f.file === file && f.function === displayName) return true;
    const files = report.details[i]?.chainFiles ?? [];
    return f.chain.some((name, k) => name === displayName && (files[k] ?? f.file) === file);
  });
}
