/**
 * performance_analysis (issue 12): functions with at least one concrete performance finding on a
 * line — the loop rules of `src/analysis/performance.ts` (awaits in loops over independent
 * items, nested loops over the same data, I/O, N+1 queries, regex compilation, list membership
 * and string building inside loops) and the blocking calls the blocking analysis finds in or
 * through the function. No finding, no analysis. Ranked by what runs the function (request
 * handlers, then the rest, start-up code last: `contextTier`), then the findings' severity (high 9,
 * medium 3, low 1, capped at 30), then the interest score; test code last. Each target carries
 * its findings in `context.performanceFindings`.
 */
import { performanceFindingsIn } from '../../analysis/performance.ts';
import type { CodeFinding } from '../../analysis/findings.ts';
import { SEVERITY_POINTS } from '../../analysis/security/index.ts';
import { interestScore } from '../../index/score.ts';
import { emptyChurn } from '../../index/churn.ts';
import type { CodeSymbol, FileRecord } from '../../index/types.ts';
import type { FinderInput, Target, TargetFinder } from '../types.ts';
import { symbolTarget } from '../common.ts';
import { blockingFor } from '../blocking-cache.ts';
import type { BlockingFinding, FindingDetail } from '../../analysis/blocking/types.ts';
import { TEST_PATH } from './security-review.ts';

/** Each finding of a file goes to its innermost function. */
function byFunction(file: FileRecord, findings: CodeFinding[]): Map<CodeSymbol, CodeFinding[]> {
  const fns = file.symbols.filter((s) => s.kind !== 'class');
  const out = new Map<CodeSymbol, CodeFinding[]>();
  for (const f of findings) {
    let best: CodeSymbol | null = null;
    for (const s of fns) if (f.line >= s.startLine && f.line <= s.endLine && (!best || s.endLine - s.startLine < best.endLine - best.startLine)) best = s;
    if (best) (out.get(best) ?? out.set(best, []).get(best)!).push(f);
  }
  return out;
}

/**
 * A direct blocking finding's title, saying what runs the code: "in async code" only for an
 * `async` function; a sync callback the event loop runs (`child.on('close', () => …)`, a Tornado
 * handler) or an async block is named as such.
 */
export function blockingTitle(b: Pick<BlockingFinding, 'category' | 'function'>, d: Pick<FindingDetail, 'entry'> | undefined): string {
  const what = `blocking ${b.category.replace('_', ' ')} call`;
  if (d?.entry === 'callback') {
    const via = /(?:^|> )([\w$.]+) callback$/.exec(b.function)?.[1];
    return `${what} in a callback the event loop runs${via ? ` (given to \`${via}\`)` : ` (\`${b.function}\`)`}`;
  }
  if (d?.entry === 'async-block') return `${what} in an async block`;
  return `${what} in async code`;
}

/** Decorators through which a framework calls the function once per request or event. */
const HANDLER_DECORATOR = /^@?(?:[\w.]+\.)?(?:route|get|post|put|patch|delete|websocket|api_route|on|listener|handler|receiver)\b/;
/** Names of functions that run once when the program starts. */
const STARTUP_NAME = /^(?:main|_?async_run|_?run_forever|setup|set_up|bootstrap|initialize|init_app|create_app|lifespan|on_startup|startup|_?start_up|__init__)$/;

/**
 * What runs the function, as a rank (issue 12, blind review: a request handler's cost is paid by
 * every user, the daemon cycle's by the schedule, start-up's once): 0 a request or event handler
 * (a route decorator, or blocking calls the analysis says run per request), 2 start-up only
 * (a start-up name, or every blocking call of it runs at start-up), 1 anything else.
 */
export function contextTier(symbol: Pick<CodeSymbol, 'name' | 'decorators'>, kinds: Set<string> | undefined): number {
  if (symbol.decorators.some((d) => HANDLER_DECORATOR.test(d)) || kinds?.has('request')) return 0;
  if (STARTUP_NAME.test(symbol.name) || (kinds && kinds.size > 0 && [...kinds].every((k) => k === 'startup'))) return 2;
  return 1;
}

export const finder: TargetFinder = {
  docType: 'performance_analysis',
  find(input: FinderInput): Target[] {
    const report = blockingFor(input.index);
    const blockingByFile = new Map<string, CodeFinding[]>();
    // how often each function's blocking calls run: per request, in the cycle, at start-up
    const kinds = new Map<string, Set<string>>();
    report.findings.forEach((b, i) => {
      const k = report.details[i]?.frequency?.kind;
      if (k) (kinds.get(`${b.file}:${b.function}`) ?? kinds.set(`${b.file}:${b.function}`, new Set()).get(`${b.file}:${b.function}`)!).add(k);
      if (b.kind !== 'direct') return;
      const f: CodeFinding = { file: b.file, line: b.line, rule: 'perf-blocking', title: blockingTitle(b, report.details[i]), severity: b.severity, code: b.call, why: 'it stops the event loop: nothing else runs until it returns', fix: b.recommendation };
      (blockingByFile.get(b.file) ?? blockingByFile.set(b.file, []).get(b.file)!).push(f);
    });
    const scored: { t: Target; key: number }[] = [];
    for (const file of input.index.files) {
      const findings = [...performanceFindingsIn(file, 1, Number.MAX_SAFE_INTEGER), ...(blockingByFile.get(file.path) ?? [])];
      if (findings.length === 0) continue;
      const churn = input.index.churn.get(file.path) ?? emptyChurn();
      for (const [symbol, list] of byFunction(file, findings)) {
        list.sort((a, b) => a.line - b.line);
        const points = Math.min(list.reduce((n, f) => n + SEVERITY_POINTS[f.severity], 0), 30);
        const interest = interestScore(symbol, churn, input.now);
        const key = (TEST_PATH.test(file.path) ? 0 : 2000) + (2 - contextTier(symbol, kinds.get(`${file.path}:${symbol.displayName}`))) * 400 + points * 10 + interest.score / 10;
        scored.push({ key, t: symbolTarget('performance_analysis', input, file, symbol, Math.round(key * 100) / 100, { scoreBreakdown: interest.breakdown, context: { performanceFindings: list } }) });
      }
    }
    return scored.sort((a, b) => b.key - a.key || a.t.relPath.localeCompare(b.t.relPath) || a.t.startLine - b.t.startLine).map((x) => x.t);
  },
};
