/**
 * The terminal listing of `codeworm blocking PATH` (no flag): a summary line, one block per
 * finding (severity, location, call, category and kind, chain, fix) and the adoption per
 * component. Plain text; colour is left to the terminal.
 */
import type { BlockingReport } from './types.ts';

/** Render the report as readable terminal text (ends with a newline). */
export function formatBlockingTerminal(report: BlockingReport): string {
  const out: string[] = [];
  const by = (s: string) => report.findings.filter((f) => f.severity === s).length;
  out.push(`Blocking calls in async code: ${report.root}`);
  out.push(
    `${report.files} files, ${report.async_functions} async functions, ${report.findings.length} findings` +
      (report.findings.length ? ` (${by('high')} high, ${by('medium')} medium, ${by('low')} low)` : ''),
  );
  if (report.filesWithoutFacts) out.push(`note: ${report.filesWithoutFacts} files had no blocking facts (collector error or stale cache) and were not analysed`);
  for (const p of report.partialFiles) out.push(`note: ${p.file} analysed in part: ${p.reason}; ${p.cut} subtree${p.cut === 1 ? '' : 's'} left out, the first at line ${p.line}`);
  out.push('');
  if (!report.findings.length) out.push('No blocking calls found in async code.');
  report.findings.forEach((f, i) => {
    const d = report.details[i];
    const loc = f.end_line > f.line ? `${f.file}:${f.line}-${f.end_line}` : `${f.file}:${f.line}`;
    const api = d && d.api && d.api !== f.call ? ` (${d.api})` : '';
    out.push(`${f.severity.toUpperCase().padEnd(6)} ${loc}  ${f.call}${api}  [${f.category}, ${f.kind}]`);
    out.push(`       in ${f.function}`);
    if (f.kind === 'indirect') out.push(`       chain: ${f.chain.join(' -> ')}`);
    out.push(`       fix: ${f.recommendation}`);
  });
  if (report.components.length) {
    out.push('');
    out.push('Adoption by component (async functions free of blocking calls):');
    const w = Math.min(60, Math.max(9, ...report.components.map((c) => c.path.length)));
    out.push(`  ${'component'.padEnd(w)}  async  blocking  free`);
    for (const c of report.components) {
      out.push(`  ${c.path.padEnd(w)}  ${String(c.async_functions).padStart(5)}  ${String(c.with_findings).padStart(8)}  ${String(c.adoption_pct).padStart(3)}%`);
    }
  }
  return `${out.join('\n')}\n`;
}
