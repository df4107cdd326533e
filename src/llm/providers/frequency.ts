/**
 * How often a line inside a loop runs, read from the source by indentation (issue 12, blind
 * review: "every iteration" of a loop that sleeps five minutes between iterations, under a
 * condition that holds once, is not a hot loop):
 * - `pace`: a sleep in the loop's own body (`await asyncio.sleep(check_interval)`, `time.sleep`,
 *   `setTimeout`): the loop is a periodic check, one iteration per interval;
 * - `condition`: the nearest `if` between the line and the loop header: the line runs only on the
 *   iterations where it holds.
 */

export interface LoopPace {
  /** File line of the sleep call. */
  line: number;
  /** The sleep call as written (`asyncio.sleep(check_interval)`). */
  call: string;
}

const indentOf = (l: string) => l.length - l.trimStart().length;
const SLEEP = /\b((?:[\w$]+\.)*(?:sleep|setTimeout)\s*\([^()]*(?:\([^()]*\))?[^()]*\))/;

/**
 * The sleep that paces the loop whose header is at file line `loopLine` (`startLine` is the
 * source's first file line), or null: a sleep call directly in the loop's body (not in a nested
 * function or a nested loop).
 */
export function loopPace(source: string, startLine: number, loopLine: number): LoopPace | null {
  const lines = source.split('\n');
  const h = loopLine - startLine;
  const header = lines[h];
  if (header === undefined) return null;
  const base = indentOf(header);
  // JS/TS blocks end at a closing brace at the header's indentation; Python bodies by indentation
  for (let i = h + 1; i < lines.length; i++) {
    const l = lines[i];
    if (!l.trim()) continue;
    const ind = indentOf(l);
    if (ind <= base) break;
    const t = l.trim();
    if (/^(?:(?:async\s+)?def|(?:async\s+)?function|for|while|async\s+for)\b/.test(t)) {
      // skip the nested block
      for (let k = i + 1; k < lines.length; k++) {
        if (lines[k].trim() && indentOf(lines[k]) <= ind) {
          i = k - 1;
          break;
        }
        if (k === lines.length - 1) i = k;
      }
      continue;
    }
    const m = SLEEP.exec(t.replace(/^await\s+/, ''));
    if (m && !/^(?:#|\/\/)/.test(t)) return { line: startLine + i, call: m[1].replace(/\s+/g, ' ') };
  }
  return null;
}

/**
 * The condition of the nearest `if` / `elif` enclosing file line `line` below the loop header at
 * `loopLine` (by indentation), or null when the line runs on every iteration.
 */
export function conditionInLoop(source: string, startLine: number, loopLine: number, line: number): { line: number; condition: string } | null {
  const lines = source.split('\n');
  const i = line - startLine;
  const at = lines[i];
  if (at === undefined) return null;
  let indent = indentOf(at);
  for (let k = i - 1; k > loopLine - startLine; k--) {
    const l = lines[k];
    if (!l.trim()) continue;
    const ind = indentOf(l);
    if (ind >= indent) continue;
    indent = ind;
    const m = /^\s*(?:if|elif|else\s+if)\b\s*(.*?)\s*[:{]?\s*$/.exec(l);
    if (m) {
      let c = m[1];
      // JS/TS `if (cond) {`: the parentheses are the statement's, not the condition's
      if (c.startsWith('(') && c.endsWith(')') && balanced(c.slice(1, -1))) c = c.slice(1, -1);
      return { line: startLine + k, condition: c.trim() };
    }
  }
  return null;
}

/**
 * Every `if` / `elif` condition, as written, over file line `line`, outermost first: the headers
 * with less indentation between the line and `stopLine` (a loop header, or the function's first
 * line; exclusive). An `else` branch or a nested function ends the walk (an `else` runs when a
 * condition not written there fails). `[]` when the line runs whenever the block around it does.
 */
export function conditionsOver(source: string, startLine: number, stopLine: number, line: number): { line: number; condition: string }[] {
  const lines = source.split('\n');
  const i = line - startLine;
  const at = lines[i];
  if (at === undefined) return [];
  const out: { line: number; condition: string }[] = [];
  let indent = indentOf(at);
  for (let k = i - 1; k > stopLine - startLine && k >= 0; k--) {
    const l = lines[k];
    if (!l.trim()) continue;
    const ind = indentOf(l);
    if (ind >= indent) continue;
    indent = ind;
    const t = l.trim();
    if (/^(?:(?:async\s+)?def|(?:async\s+)?function|class)\b/.test(t) || /^\}?\s*else\b(?!\s+if)/.test(t)) break;
    const m = /^\}?\s*(?:if|elif|else\s+if)\b\s*(.*?)\s*[:{]?\s*$/.exec(t);
    if (!m) continue;
    let c = m[1];
    if (c.startsWith('(') && c.endsWith(')') && balanced(c.slice(1, -1))) c = c.slice(1, -1);
    if (c.trim()) out.unshift({ line: startLine + k, condition: c.trim() });
  }
  return out;
}

/** Whether the parentheses of `text` balance (a prefix never closes more than it opened). */
function balanced(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}
