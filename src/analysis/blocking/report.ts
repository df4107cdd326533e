import type { BlockingReport } from './types.ts';
export interface MarkdownOptions { repoName: string; now: Date; sourceOf: (file: string, line: number, endLine: number) => string | null }
export function renderBlockingMarkdown(report: BlockingReport, _opts: MarkdownOptions): string { return JSON.stringify(report); }
