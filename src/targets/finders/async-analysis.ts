/**
 * async_analysis: one repository-wide target, the blocking-calls-in-async report of SPEC
 * section 9 (in the style of `seeds/004…`). Eligible when the repository has async functions;
 * its dedup key is the set of findings, so a new report is written only when they change.
 */
import path from 'node:path';
import { sha256 } from '../../core/hash.ts';
import type { TargetFinder } from '../types.ts';
import { blockingFor } from '../blocking-cache.ts';

export const finder: TargetFinder = {
  docType: 'async_analysis',
  find(input) {
    const report = blockingFor(input.index);
    if (report.async_functions === 0) return [];
    const findings = report.findings.map((f) => `${f.file}:${f.line}:${f.kind}:${f.call}:${f.chain.join('>')}`).sort();
    const listing = report.findings
      .slice(0, 60)
      .map((f) => `${f.file}:${f.line}  ${f.severity.padEnd(6)} ${f.kind.padEnd(8)} ${f.category.padEnd(10)} ${f.call}  (${f.chain.join(' -> ')})`)
      .join('\n');
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
