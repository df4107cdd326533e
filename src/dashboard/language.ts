/**
 * Language of a documented file for the dashboard's breakdown, when `snippet_meta` has none
 * (rows written by the Python CodeWorm). Names match the language ids of `src/index/languages`.
 */
import path from 'node:path';

const BY_EXTENSION: Record<string, string> = {
  '.py': 'python',
  '.pyi': 'python',
  '.ts': 'typescript',
  '.tsx': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.js': 'javascript',
  '.jsx': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.go': 'go',
  '.rs': 'rust',
};

/** `src/a.py` → `python`; an unknown extension → the extension without its dot; none → `other`. */
export function languageOfFile(file: string): string {
  const ext = path.extname(file ?? '').toLowerCase();
  if (!ext) return 'other';
  return BY_EXTENSION[ext] ?? ext.slice(1);
}

const PROGRAMMING = new Set(Object.values(BY_EXTENSION));

/**
 * The programming language a page is about, for the language chart: the recorded language when
 * it is one (`python`, `tsx` → `typescript`), else the documented file's; null for pages about
 * no single source file's language (summaries in `text`, diffs recorded as `diff`, `markdown`).
 */
export function programmingLanguageOf(recorded: string | null | undefined, file: string): string | null {
  const lang = recorded === 'tsx' ? 'typescript' : recorded;
  if (lang && PROGRAMMING.has(lang)) return lang;
  const byFile = BY_EXTENSION[path.extname(file ?? '').toLowerCase()];
  return byFile ?? null;
}
