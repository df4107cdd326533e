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
export { loadReportSources, type SourceOf } from './source.ts';
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

/**
 * The report's facts as compact text for an LLM prompt that writes only the executive summary
 * (pass its answer as `executiveSummary` to `renderBlockingMarkdown`): counts, categories,
 * components and the most severe findings with their exact locations, so nothing needs inventing.
 * @param limit how many findings to list (default 15)
 */
export function blockingSummaryFacts(report: BlockingReport, limit = 15): string {
  const by = (s: string) => report.findings.filter((f) => f.severity === s).length;
  const cats = new Map<string, number>();
  for (const f of report.findings) cats.set(f.category, (cats.get(f.category) ?? 0) + 1);
  const lines = [
    `files analysed: ${report.files}; async functions: ${report.async_functions}`,
    `findings: ${report.findings.length} (high ${by('high')}, medium ${by('medium')}, low ${by('low')}); direct ${report.findings.filter((f) => f.kind === 'direct').length}, indirect ${report.findings.filter((f) => f.kind === 'indirect').length}`,
    `categories: ${[...cats].map(([c, n]) => `${c} ${n}`).join(', ') || 'none'}`,
    `components (async functions / reaching blocking calls / adoption): ${report.components.map((c) => `${c.path} ${c.async_functions}/${c.with_findings}/${c.adoption_pct}%`).join('; ') || 'none'}`,
    ...report.findings.slice(0, limit).map((f) => `- ${f.severity} ${f.category} ${f.kind}: \`${f.call}\` at ${f.file}:${f.line}${f.end_line > f.line ? `-${f.end_line}` : ''} in ${f.function}${f.chain.length > 1 ? ` (chain ${f.chain.join(' -> ')})` : ''}`),
  ];
  return lines.join('\n');
}
