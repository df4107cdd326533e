/**
 * The supported languages. Adding a language is adding one module file and one entry here.
 */
import type { LanguageId } from '../types.ts';
import type { LanguageModule } from './types.ts';
import { python } from './python.ts';
import { javascript, tsx, typescript } from './javascript.ts';
import { go } from './go.ts';
import { rust } from './rust.ts';

export const LANGUAGES: LanguageModule[] = [python, typescript, tsx, javascript, go, rust];

const byId = new Map<LanguageId, LanguageModule>(LANGUAGES.map((m) => [m.id, m]));
const byExtension = new Map<string, LanguageModule>();
for (const m of LANGUAGES) for (const ext of m.extensions) byExtension.set(ext, m);

/** The module of a language id, or undefined when the language is not supported. */
export function languageById(id: LanguageId): LanguageModule | undefined {
  return byId.get(id);
}

/** The module for a lower-case file extension with its dot (`.ts`), or undefined. */
export function languageByExtension(ext: string): LanguageModule | undefined {
  return byExtension.get(ext);
}
