import type { BlockingReport } from './types.ts';
export function formatBlockingTerminal(report: BlockingReport): string { return JSON.stringify(report); }
