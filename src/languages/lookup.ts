/**
 * Descriptor lookup for modules the language folders themselves import (the fact collectors in
 * `src/analysis/`): they cannot import `registry.ts` without an import cycle, so the registry
 * registers each descriptor here when it loads. Anything that holds a syntax tree has loaded
 * the registry already (the parser takes its grammars from it).
 */
import type { BlockingSupport, LanguageDescriptor } from './types.ts';
import { SECURITY_RULES } from '../analysis/security/rules.ts';

const registered = new Map<string, LanguageDescriptor>();
const byFamily = new Map<string, BlockingSupport>();

/**
 * Called by `registry.ts` for each language: remembers the descriptor, its blocking family and
 * merges its own security rule ids into `SECURITY_RULES`.
 * @throws Error when a security rule id is already taken by another language.
 */
export function registerLanguage(d: LanguageDescriptor): void {
  registered.set(d.id, d);
  const b = d.facts.blocking;
  if (b && !byFamily.has(b.family)) byFamily.set(b.family, b);
  for (const [id, rule] of Object.entries(d.facts.securityRules ?? {})) {
    if (Object.hasOwn(SECURITY_RULES, id) && SECURITY_RULES[id] !== rule) throw new Error(`security rule ${id} of ${d.id} is already defined`);
    SECURITY_RULES[id] = rule;
  }
}

/** The blocking support a rule family was registered with (its first language's), or undefined. */
export function blockingFamily(family: string): BlockingSupport | undefined {
  return byFamily.get(family);
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
