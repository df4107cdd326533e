/**
 * Python: broad `except` handlers that drop the error without a trace (issue 12, the reviewer's
 * "swallowed `except Exception: continue`"): a handler catching everything (bare `except:`,
 * `Exception`, `BaseException`, alone or in a tuple) whose block is only `continue`, `pass`,
 * `...` or `return` / `return None` — no logging, no re-raise. The same rule ruff checks as
 * S110 (`try`-`except`-`pass`) and S112 (`try`-`except`-`continue`) of flake8-bandit, here with
 * `return` too and with what the handler guards: the `try` block's calls and the loop whose
 * item it skips. Pure function over the function's source text.
 */
import type { SwallowedHandler } from '../types.ts';

/** A line without its string literals and its comment. */
function codeOnly(text: string): string {
  return text.replace(/(["'])(?:\\.|(?!\1).)*\1/g, '""').replace(/#.*$/, '');
}

const indentOf = (s: string): number => s.length - s.trimStart().length;
const BROAD = /^(?:builtins\.)?(?:Exception|BaseException)$/;
const SILENT = /^(?:continue|pass|\.\.\.|return(?:\s+None)?)$/;
const NOT_CALLS = /^(?:if|elif|while|for|return|not|and|or|in|is|await|yield|with|lambda|assert|print|len|str|int|float|bool|list|dict|set|tuple|isinstance|getattr|hasattr|range|enumerate|zip|min|max|sorted|super|type|repr)$/;

/**
 * The silent broad handlers of a Python function whose source (from its `def` line) starts at
 * file line `startLine`, in line order. Each carries the `try` block's lines and calls (what a
 * failure is hidden from) and the enclosing loop, if any (whose current item a `continue` skips).
 */
export function swallowedExceptions(source: string, startLine: number): SwallowedHandler[] {
  const lines = source.split('\n').map((text, i) => ({ line: startLine + i, text, code: codeOnly(text).trimEnd() }));
  const stmts = lines.filter((l) => l.code.trim() !== '');
  const out: SwallowedHandler[] = [];
  for (let i = 0; i < stmts.length; i++) {
    const s = stmts[i];
    const m = /^except\b\s*(.*?)\s*:\s*(.*)$/.exec(s.code.trim());
    if (!m) continue;
    const caught = m[1].replace(/\s+as\s+\w+$/, '').replace(/^\(|\)$/g, '').trim();
    const names = caught === '' ? [] : caught.split(',').map((x) => x.trim());
    if (names.length > 0 && !names.some((n) => BROAD.test(n))) continue;
    const indent = indentOf(s.text);
    // the handler's block: on the same line (`except Exception: pass`) or the lines indented below it
    const block = m[2] ? [m[2].trim()] : stmts.slice(i + 1).filter((_, k, rest) => rest.slice(0, k + 1).every((x) => indentOf(x.text) > indent)).map((x) => x.code.trim());
    if (block.length === 0 || !block.every((b) => SILENT.test(b))) continue;
    const last = block[block.length - 1];
    const action = last === 'continue' ? 'continue' : /^return\b/.test(last) ? 'return' : 'pass';
    // the `try:` this handler belongs to: the nearest line above at the same indentation
    let t = i - 1;
    while (t >= 0 && !(indentOf(stmts[t].text) === indent && /^try\s*:/.test(stmts[t].code.trim()))) t--;
    if (t < 0) continue;
    const body = stmts.slice(t + 1, i).filter((x) => indentOf(x.text) > indent);
    const calls: string[] = [];
    for (const b of body) {
      for (const c of b.code.matchAll(/(?<![\w.])((?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*)\s*\(/g)) if (!NOT_CALLS.test(c[1]) && !calls.includes(c[1])) calls.push(c[1]);
    }
    // the loop around the `try`: the nearest `for`/`while` above it with less indentation
    let loop: SwallowedHandler['loop'];
    for (let k = t - 1; k >= 0; k--) {
      const x = stmts[k];
      if (indentOf(x.text) >= indent) continue;
      const f = /^(?:async\s+)?(for|while)\b\s*(.*?)\s*:$/.exec(x.code.trim());
      if (f) {
        loop = { line: x.line, header: x.code.trim().replace(/:$/, ''), item: f[1] === 'for' ? (/^(.+?)\s+in\b/.exec(f[2])?.[1].trim() ?? null) : null };
        break;
      }
      if (/^(?:async\s+)?def\b/.test(x.code.trim())) break;
    }
    out.push({ line: s.line, excerpt: s.text.trim(), caught: caught || 'every exception', action, tryLine: stmts[t].line, tryEnd: body.length > 0 ? body[body.length - 1].line : stmts[t].line, calls, ...(loop ? { loop } : {}) });
  }
  return out;
}
