/**
 * Per-doc-type data of the DevLog: the label shown on pages (`**Type:**` and the body heading)
 * and the folder pages go to (SPEC section 3). `function_doc` pages go to
 * `snippets/<language>/`.
 */
import type { DocType } from '../config/schema.ts';
import { LANGUAGES } from '../languages/registry.ts';

export interface DocTypeInfo {
  label: string;
  /** Folder inside the DevLog; `{language}` is replaced by the target's language. */
  folder: string;
}

export const DOC_TYPE_INFO: Record<DocType, DocTypeInfo> = {
  function_doc: { label: 'Documentation', folder: 'snippets/{language}' },
  class_doc: { label: 'Class Documentation', folder: 'classes' },
  file_doc: { label: 'File Overview', folder: 'files' },
  module_doc: { label: 'Module Overview', folder: 'modules' },
  security_review: { label: 'Security Review', folder: 'reviews/security' },
  performance_analysis: { label: 'Performance Analysis', folder: 'reviews/performance' },
  til: { label: 'Today I Learned', folder: 'til' },
  code_evolution: { label: 'Code Evolution', folder: 'evolution' },
  pattern_analysis: { label: 'Pattern Analysis', folder: 'patterns' },
  weekly_summary: { label: 'Weekly Summary', folder: 'analysis/weekly' },
  monthly_summary: { label: 'Monthly Summary', folder: 'analysis/monthly' },
  async_analysis: { label: 'Async Analysis', folder: 'reviews/async' },
};

/** Folders `codeworm init` and the daemon create in a new DevLog. */
export const DEVLOG_FOLDERS: string[] = [
  ...[...new Set(LANGUAGES.map((l) => l.devlogFolder))].map((l) => `snippets/${l}`),
  ...Object.values(DOC_TYPE_INFO)
    .map((i) => i.folder)
    .filter((f) => !f.includes('{')),
];
