/**
 * A concrete finding of a rule on one line of code, the shape the facts block and the pages
 * share for security sinks and performance patterns.
 */

export interface CodeFinding {
  /** Repo-relative POSIX path of the line. */
  file: string;
  /** 1-based line. */
  line: number;
  /** Rule id (`B602`, `js-eval`, `perf-await-in-loop`). */
  rule: string;
  /** Short title of the rule. */
  title: string;
  severity: 'high' | 'medium' | 'low';
  /** The code as written on that line (collapsed, ≤ 100 chars). */
  code: string;
  /** Why it matters, one sentence. */
  why: string;
  /** What to do instead, one sentence (for a security finding: the fix that fits its line, `security/fit.ts`). */
  fix: string;
  /** Security findings: where the sink's input comes from and who controls it, one sentence. */
  input?: string;
  /** Security findings: true when no caller or request input reaches the sink. */
  lowRisk?: boolean;
}
