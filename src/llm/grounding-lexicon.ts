/**
 * Names a page may use without them being in the documented code: language keywords, builtins
 * and globals, and the heads of standard-library modules (a page that recommends
 * `asyncio.to_thread` or `fs.promises.readFile` names a library, it does not claim the code
 * contains it). Used by the grounding check only. Each language's lists are in its descriptor
 * (`src/languages/<lang>/lexicon.ts`) and follow the language's reference.
 */
import type { LanguageId } from '../index/types.ts';
import { LANGUAGES, languageById } from '../languages/registry.ts';

/** A page's language: a code language, or `markdown`/`text` for summaries and listings. */
export type PageLanguage = LanguageId | 'markdown' | 'text';

function lexicon(language: PageLanguage): { words: Set<string>; modules: Set<string> } {
  const one = languageById(language);
  // `text` / `markdown`: summaries and repository reports span every language of the repository.
  const from = one ? [one] : LANGUAGES;
  return { words: new Set(from.flatMap((l) => l.lexicon.words)), modules: new Set(from.flatMap((l) => l.lexicon.modules)) };
}

const CACHE = new Map<PageLanguage, { words: Set<string>; modules: Set<string> }>();

/** Keywords, builtins and globals of `language` (a name a page may use freely). */
export function isLanguageWord(language: PageLanguage, name: string): boolean {
  if (/^__\w+__$/.test(name)) return true; // Python protocol names (`__init__`, `__aenter__`)
  let lex = CACHE.get(language);
  if (!lex) CACHE.set(language, (lex = lexicon(language)));
  return lex.words.has(name);
}

/** A standard-library module head (`asyncio`, `fs`, `std`): `head.x` names a library API. */
export function isLibraryModule(language: PageLanguage, name: string): boolean {
  let lex = CACHE.get(language);
  if (!lex) CACHE.set(language, (lex = lexicon(language)));
  return lex.modules.has(name.replace(/^node:/, ''));
}

/** Keywords the claim checker reads as words even inside backticks (`` `await` ``, `` `async def` ``). */
export const CLAIM_KEYWORDS = new Set(['await', 'async', 'def', 'async def', 'async fn', 'async function', 'sync', 'awaited', 'blocking']);
