/**
 * Descriptor lookup for modules the language folders themselves import (the fact collectors in
 * `src/analysis/`): they cannot import `registry.ts` without an import cycle, so the registry
 * registers each descriptor here when it loads. Anything that holds a syntax tree has loaded
 * the registry already (the parser takes its grammars from it).
 */
import type { LanguageDescriptor } from './types.ts';

const registered = new Map<string, LanguageDescriptor>();

/** Called by `registry.ts` for each language. */
export function registerLanguage(d: LanguageDescriptor): void {
  registered.set(d.id, d);
}

/**
 * The descriptor of `language` (a descriptor is returned as it is).
 * @throws Error when an id names no registered language.
 */
export function descriptorOf(language: LanguageDescriptor | string): LanguageDescriptor {
  if (typeof language !== 'string') return language;
  const d = registered.get(language);
  if (!d) throw new Error(`no language "${language}" is registered`);
  return d;
}
