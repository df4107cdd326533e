/**
 * Security sinks (issue 12): the collector (`collect.ts`) runs in the index workers; these
 * helpers turn a file's stored sinks into findings of one function, for the security_review
 * finder and the facts block.
 */
import type { CodeSymbol, FileRecord } from '../../index/types.ts';
import type { CodeFinding } from '../findings.ts';
import { isSecurityFacts } from './collect.ts';
import { CONFIDENCE_WEIGHT, SECURITY_RULES, SEVERITY_POINTS } from './rules.ts';

export { securityCollector, collectSecuritySinks, isSecurityFacts, SECURITY_FACTS_VERSION, type SecurityFileFacts, type SecuritySink } from './collect.ts';
export { CONFIDENCE_WEIGHT, SECURITY_RULES, SEVERITY_POINTS, type SecurityRule, type SecuritySeverity } from './rules.ts';

/** The security findings of `file` on lines `from..to` (inclusive), in line order. Empty without facts. */
export function securityFindingsIn(file: FileRecord, from: number, to: number): CodeFinding[] {
  const facts = file.facts?.security;
  if (!isSecurityFacts(facts)) return [];
  const out: CodeFinding[] = [];
  for (const s of facts.f) {
    if (s.l < from || s.l > to) continue;
    const rule = SECURITY_RULES[s.r];
    if (!rule) continue;
    out.push({ file: file.path, line: s.l, rule: s.r, title: rule.title, severity: s.s ?? rule.severity, code: s.c, why: rule.why, fix: rule.fix });
  }
  return out;
}

/**
 * Each function of `file` with the sinks that lie in it and not in a function nested inside it
 * (a sink belongs to its innermost function). Functions without sinks are left out; sinks at
 * module or class level belong to no function.
 */
export function securityFindingsByFunction(file: FileRecord): { symbol: CodeSymbol; findings: CodeFinding[] }[] {
  const all = securityFindingsIn(file, 1, Number.MAX_SAFE_INTEGER);
  if (all.length === 0) return [];
  const fns = file.symbols.filter((s) => s.kind !== 'class');
  const by = new Map<CodeSymbol, CodeFinding[]>();
  for (const f of all) {
    let best: CodeSymbol | null = null;
    for (const s of fns) {
      if (f.line < s.startLine || f.line > s.endLine) continue;
      if (!best || s.endLine - s.startLine < best.endLine - best.startLine) best = s;
    }
    if (best) (by.get(best) ?? by.set(best, []).get(best)!).push(f);
  }
  return [...by].map(([symbol, findings]) => ({ symbol, findings }));
}

/**
 * Rank points of a function's findings: for each distinct rule, its worst severity's points
 * (`SEVERITY_POINTS`) times the rule's confidence weight (`CONFIDENCE_WEIGHT`), plus 0.1 for
 * each repeated hit of a rule (ten `/tmp` literals are one issue to a reader, not ten).
 */
export function securityPoints(findings: CodeFinding[]): number {
  const byRule = new Map<string, { points: number; hits: number }>();
  for (const f of findings) {
    const rule = SECURITY_RULES[f.rule];
    const points = SEVERITY_POINTS[f.severity] * CONFIDENCE_WEIGHT[rule?.confidence ?? 'high'];
    const r = byRule.get(f.rule);
    if (!r) byRule.set(f.rule, { points, hits: 1 });
    else {
      r.points = Math.max(r.points, points);
      r.hits++;
    }
  }
  let total = 0;
  for (const r of byRule.values()) total += r.points + 0.1 * (r.hits - 1);
  return Math.round(total * 100) / 100;
}

/** Words that make a random value a secret: tokens, passwords, keys, salts, nonces, session ids. */
const SECRET_WORDS = /token|secret|passw|pwd|\bkey\b|api_?key|salt|nonce|otp|session|csrf|auth|cred|signature|\biv\b/i;

/**
 * Whether a finding is bandit B311 (the `random` module) on a line that makes no secret: the value
 * picks a message, a delay or a time, where predictability does not matter. `lineText` is the
 * whole source line (the finding's `code` is the call alone).
 */
export function isHarmlessRandom(f: { rule: string; code?: string }, lineText: string): boolean {
  return f.rule === 'B311' && !SECRET_WORDS.test(lineText) && !SECRET_WORDS.test(f.code ?? "");
}
