/**
 * Python resources a function opens and does not release, as gotchas (the language's
 * `resourceLeaks` rule, src/languages/types.ts): class and function pages list them among the
 * gotchas, performance pages under "Resources".
 */
import { cutCode } from '../../core/code-text.ts';
import { codeOnly, plural, type StaticGotcha } from '../../analysis/gotchas.ts';

/**
 * `with sqlite3.connect(…) as conn:` — and `with self._conn() as conn:` where `_conn` (defined in
 * `helpersSource`, usually the file) returns `sqlite3.connect(…)` — commits or rolls back when
 * the block ends but does not close the connection (Python docs, sqlite3, "How to use the
 * connection context manager"). Blocks wrapped in `contextlib.closing(…)` or that call
 * `.close()` themselves are left out. One gotcha per scope, at the first such `with`.
 */
export function sqliteWithNotClosing(source: string, startLine: number, helpersSource = source): StaticGotcha[] {
  const helpers = new Set<string>();
  const hl = helpersSource.split('\n');
  for (let i = 0; i < hl.length; i++) {
    const d = /^(\s*)(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(/.exec(hl[i]);
    if (!d) continue;
    // the helper's body: lines indented deeper than its `def`
    const body: string[] = [];
    for (let j = i + 1; j < hl.length; j++) {
      if (hl[j].trim() !== '' && hl[j].length - hl[j].trimStart().length <= d[1].length) break;
      body.push(codeOnly(hl[j]));
    }
    const text = body.join('\n');
    const direct = /\breturn\s+(?:sqlite3|aiosqlite)\.connect\s*\(/.test(text);
    const viaName = /^\s*(\w+)\s*=\s*(?:sqlite3|aiosqlite)\.connect\s*\(/m.exec(text);
    if (direct || (viaName && new RegExp(`\\breturn\\s+${viaName[1]}\\b`).test(text) && !/\.close\s*\(/.test(text))) helpers.add(d[2]);
  }
  const lines = source.split('\n');
  const found: number[] = [];
  let alias = '';
  for (let i = 0; i < lines.length; i++) {
    const c = codeOnly(lines[i]);
    const w = /^(\s*)(?:async\s+)?with\s+(.+?)\s+as\s+(\w+)\s*:/.exec(c);
    if (!w || /\bclosing\s*\(/.test(w[2])) continue;
    const opened = /^(?:sqlite3\.connect)\s*\(/.test(w[2]) || [...helpers].some((h) => new RegExp(`^(?:self\\.|cls\\.)?${h}\\s*\\(`).test(w[2]));
    if (!opened) continue;
    // a block that closes the connection itself
    let closes = false;
    for (let j = i + 1; j < lines.length; j++) {
      if (lines[j].trim() !== '' && lines[j].length - lines[j].trimStart().length <= w[1].length) break;
      if (new RegExp(`\\b${w[3]}\\.close\\s*\\(`).test(lines[j])) closes = true;
    }
    if (!closes) {
      found.push(i);
      if (!alias) alias = w[3];
    }
  }
  if (found.length === 0) return [];
  const first = found[0];
  const at = found.map((i) => startLine + i);
  return [{
    kind: 'connection not closed',
    severity: 'medium',
    line: startLine + first,
    excerpt: cutCode(lines[first], 90),
    note: `\`${cutCode(lines[first].replace(/\s+#.*$/, "").trim(), 60)}\`${found.length > 1 ? ` and the ${plural(found.length - 1, 'other block')} like it (line${at.length > 2 ? 's' : ''} ${at.slice(1).join(', ')})` : ''}: sqlite3's connection context manager commits or rolls back when the block ends but does not close the connection (Python docs, sqlite3, “How to use the connection context manager”), so the connection is closed only when its last reference goes — in CPython when the function returns, on other interpreters at some later garbage collection — not by the \`with\`; \`with contextlib.closing(…) as ${alias}:\` closes it, and so does closing it in a \`finally\` block`,
  }];
}

