/**
 * Choosing what a cycle documents (SPEC section 2): a doc type drawn by
 * `documentation.type_weights`, falling back through the other types (in weighted random
 * order) when one has nothing left; repositories walked in weighted random order by their
 * `weight`; the first target deduplication allows wins.
 */
import type { DocType } from '../config/schema.ts';
import type { RepoConfig } from '../config/schema.ts';
import type { FinderInput, Target, TargetFinder } from './types.ts';

/**
 * Weighted random order without replacement (Efraimidis–Spirakis: key = u^(1/w), largest
 * first). Items of weight 0 are left out. `random` returns uniform [0, 1).
 */
export function weightedOrder<T>(items: T[], weight: (t: T) => number, random: () => number): T[] {
  return items
    .filter((t) => weight(t) > 0)
    .map((t) => ({ t, key: Math.pow(Math.max(random(), Number.MIN_VALUE), 1 / weight(t)) }))
    .sort((a, b) => b.key - a.key)
    .map((x) => x.t);
}

/**
 * The doc types to try, in order: the forced type alone, or a weighted draw followed by the
 * others as fallbacks (weighted random order too).
 */
export function docTypeOrder(weights: Record<DocType, number>, random: () => number, forced?: DocType): DocType[] {
  if (forced) return [forced];
  return weightedOrder(Object.keys(weights) as DocType[], (t) => weights[t], random);
}

export interface Selection {
  target: Target;
  /** Targets looked at (including ones deduplication refused). */
  considered: number;
}

/**
 * The first target of `finder` over the repositories (weighted random order) that `isDuplicate`
 * allows, or null with the number of targets considered.
 * @param inputFor builds (or returns the warm) finder input of one repository.
 */
export async function selectTarget(
  finder: TargetFinder,
  repos: RepoConfig[],
  inputFor: (repo: RepoConfig) => Promise<FinderInput | null>,
  isDuplicate: (t: Target) => boolean,
  random: () => number,
): Promise<{ target: Target | null; considered: number }> {
  let considered = 0;
  const ordered = weightedOrder(repos.filter((r) => r.enabled), (r) => r.weight, random);
  if (finder.global) {
    const inputs: FinderInput[] = [];
    for (const r of ordered) {
      const inp = await inputFor(r);
      if (inp) inputs.push(inp);
    }
    if (inputs.length === 0) return { target: null, considered };
    for (const t of finder.find({ ...inputs[0], allInputs: inputs })) {
      considered++;
      if (!isDuplicate(t)) return { target: t, considered };
    }
    return { target: null, considered };
  }
  for (const repo of ordered) {
    const input = await inputFor(repo);
    if (!input) continue;
    for (const t of finder.find(input)) {
      considered++;
      if (!isDuplicate(t)) return { target: t, considered };
    }
  }
  return { target: null, considered };
}
