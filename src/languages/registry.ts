/**
 * The supported languages: one folder per language under `src/languages/`, each exporting a
 * descriptor (`types.ts`), and one line per language here. Every language-keyed table of the
 * product (extensions, grammars, fences, DevLog folders, hints, lexicons, entry files, fact
 * collectors) is derived from this list; `test/languages/registry.test.ts` fails when one is not.
 */
import type { LanguageDescriptor } from './types.ts';
import { registerLanguage } from './lookup.ts';
import { python } from './python/index.ts';
import { typescript } from './typescript/index.ts';
import { tsx } from './tsx/index.ts';
import { javascript } from './javascript/index.ts';
import { go } from './go/index.ts';
import { rust } from './rust/index.ts';
import { java } from './java/index.ts';
import { c } from './c/index.ts';
import { cpp } from './cpp/index.ts';
import { ruby } from './ruby/index.ts';
import { php } from './php/index.ts';
import { csharp } from './csharp/index.ts';

/** Every registered language, in the order entry files and lookups prefer them. */
export const LANGUAGES = [python, typescript, tsx, javascript, go, rust, java, c, cpp, ruby, php, csharp] as const;

/** A registered language's id (`python`, `tsx`). */
export type LanguageId = (typeof LANGUAGES)[number]['id'];

const byId = new Map<string, LanguageDescriptor<LanguageId>>(LANGUAGES.map((m) => [m.id, m]));
const byExtension = new Map<string, LanguageDescriptor<LanguageId>>();
const byName = new Map<string, LanguageDescriptor<LanguageId>>();
for (const m of LANGUAGES) {
  registerLanguage(m);
  for (const ext of m.extensions) {
    if (byExtension.has(ext)) throw new Error(`extension ${ext} is claimed by ${byExtension.get(ext)!.id} and ${m.id}`);
    byExtension.set(ext, m);
  }
  for (const name of [m.id, m.fence, ...m.aliases]) if (!byName.has(name)) byName.set(name, m);
}

/** The descriptor of a language id, or undefined when the language is not registered. */
export function languageById(id: string): LanguageDescriptor<LanguageId> | undefined {
  return byId.get(id);
}

/** The descriptor for a lower-case file extension with its dot (`.ts`), or undefined. */
export function languageByExtension(ext: string): LanguageDescriptor<LanguageId> | undefined {
  return byExtension.get(ext);
}

/**
 * The descriptor a name stands for — an id, a fence info string or an alias (`py`, `golang`,
 * `C++`), compared in lower case — or undefined.
 */
export function languageByName(name: string): LanguageDescriptor<LanguageId> | undefined {
  return byName.get(name.trim().toLowerCase());
}
