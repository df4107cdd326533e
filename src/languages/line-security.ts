/**
 * Line rules for the security sinks of the languages added in issue 15 (Java, C, C++, C#, Ruby,
 * PHP), shared like `scoped.ts`: each language folder lists `[pattern, rule id]` pairs and the
 * texts of its rule ids (`LanguageFacts.securityRules`, merged into `SECURITY_RULES`), the
 * way the Go and Rust rules read the text. The first matching rule of a line wins, so specific
 * rules (a command built from strings) come before broad ones (any command). Comment lines are
 * skipped. A finding's line is the line of the match.
 */
import type { SecuritySink } from '../analysis/security/collect.ts';

export type LineRule = [RegExp, string];

function collapse(text: string, max = 100): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/**
 * The sinks of one file by line rules. `comment` is the line-comment start (`//`, `#`); lines
 * inside block comments that start with `*` are skipped too. `guard`, when given, must match
 * the whole source for any rule to run (a cheap test that the file uses the APIs at all).
 */
export function collectLineRules(source: string, rules: LineRule[], comment: string, guard?: RegExp): SecuritySink[] {
  if (guard && !guard.test(source)) return [];
  const out: SecuritySink[] = [];
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i];
    const t = text.trimStart();
    if (t.startsWith(comment) || t.startsWith('*') || t.startsWith('/*')) continue;
    const rule = rules.find(([re]) => re.test(text));
    if (rule) out.push({ l: i + 1, r: rule[1], c: collapse(t) });
  }
  return out;
}
