/**
 * Language of a documented file for the dashboard's breakdown, when `snippet_meta` has none
 * (rows written by the Python CodeWorm). Names are the language ids of `src/languages/registry.ts`.
 */
import path from 'node:path';
import { LANGUAGES, languageByExtension, languageById } from '../languages/registry.ts';

/** `src/a.py` → `python`, `a.tsx` → `tsx`; an unknown extension → the extension without its dot; none → `other`. */
export function languageOfFile(file: string): string {
  const ext = path.extname(file ?? '').toLowerCase();
  if (!ext) return 'other';
  return languageByExtension(ext)?.id ?? ext.slice(1);
}

const PROGRAMMING = new Set<string>(LANGUAGES.map((l) => l.group));

/**
 * The programming language a page is about, for the language chart: the recorded language's
 * group when it is one (`python`, `tsx` → `typescript`), else the documented file's; null for
 * pages about no single source file's language (summaries in `text`, diffs recorded as `diff`,
 * `markdown`).
 */
export function programmingLanguageOf(recorded: string | null | undefined, file: string): string | null {
  const lang = recorded ? (languageById(recorded)?.group ?? recorded) : null;
  if (lang && PROGRAMMING.has(lang)) return lang;
  return languageByExtension(path.extname(file ?? '').toLowerCase())?.group ?? null;
}
