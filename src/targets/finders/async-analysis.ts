/**
 * async_analysis: one repository-wide target, the blocking-calls-in-async report of SPEC
 * section 9 (in the style of `seeds/004…`). Eligible when the repository has async functions;
 * its dedup key is the set of findings, so a new report is written only when they change.
 */
import path from 'node:path';
import { sha256 } from '../../core/hash.ts';
import type { TargetFinder } from '../types.ts';
import { blockingFor } from '../blocking-cache.ts';

/** Lines of the page's findings listing (grouped); the rest are counted on one line. */
const LISTED = 25;

export const finder: TargetFinder = {
  docType: 'async_analysis',
  find(input) {
    const report = blockingFor(input.index);
    if (report.async_functions === 0) return [];
    const findings = report.findings.map((f) => `${f.file}:${f.line}:${f.kind}:${f.call}:${f.chain.join('>')}`).sort();
    // one line per call and function (seven `conn.execute` lines are one), at most LISTED, the rest counted
    const rows = new Map<string, typeof report.findings>();
    for (const f of report.findings) {
      const key = [f.file, f.function, f.severity, f.kind, f.chain.join('>')].join('\u0000');
      rows.set(key, [...(rows.get(key) ?? []), f]);
    }
    const groups = [...rows.values()];
    // one line per function: its calls, each with its lines
    const calls = (g: typeof report.findings) => {
      const m = new Map<string, number[]>();
      for (const x of g) m.set(x.call, [...(m.get(x.call) ?? []), x.line]);
      return [...m].map(([c, ls]) => `${c}:${ls.join(',')}`).join(' ');
    };
    const listing = [
      ...groups.slice(0, LISTED).map((g) => {
        const f = g[0];
        return `${f.file}  ${f.severity.padEnd(6)} ${f.kind.padEnd(8)} ${calls(g)}  (${f.chain.join(' -> ')})`;
      }),
      ...(groups.length > LISTED ? [`… and ${groups.slice(LISTED).flat().length} more findings (${groups.slice(LISTED, LISTED + 6).map((g) => `${g[0].file}:${g[0].line}`).join(', ')}${groups.length > LISTED + 6 ? ', …' : ''})`] : []),
    ].join('\n');
    return [
      {
        docType: 'async_analysis',
        repo: input.repo,
        absPath: input.index.root,
        relPath: '.',
        language: 'text',
        displayName: `${input.repo.name || path.basename(input.index.root)} async analysis`,
        functionName: null,
        className: null,
        startLine: 0,
        endLine: 0,
        cyclomatic: 0,
        source: listing || 'No blocking calls found in async code.',
        codeHash: sha256(`async_analysis:${findings.join('\n')}`),
        score: report.findings.length,
        context: { asyncFunctions: report.async_functions, findings: report.findings.length },
      },
    ];
  },
};
