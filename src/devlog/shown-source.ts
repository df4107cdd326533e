/**
 * What a page's Source Code block shows for a function or class: its decorators first
 * (`@asynccontextmanager` changes what the function is; a page that hides it explains the code
 * wrongly), then the symbol's own source. The index ranges start at `def`/`class`, so the
 * decorator lines are read back from the file; the header's `**Lines:**` then starts at the
 * first decorator, so line numbers on the page keep mapping to the file.
 */
import { decoratorStart } from '../llm/verify-page.ts';

/** Lines shown above a symbol on its page: the decorator text (dedented like the symbol's first line) and its count. */
export interface LeadingLines {
  text: string;
  count: number;
}

/**
 * The decorator lines above `startLine` (1-based) in `fileText`, dedented by the indentation of
 * the definition line (the symbol's source starts at `def`, without it), or null when there are none.
 */
export function decoratorLines(fileText: string, startLine: number): LeadingLines | null {
  const all = fileText.replace(/\r\n/g, '\n').split('\n');
  const top = decoratorStart(all, startLine);
  if (top >= startLine) return null;
  const def = all[startLine - 1] ?? '';
  const indent = def.length - def.trimStart().length;
  const lines = all.slice(top - 1, startLine - 1).map((l) => (l.slice(0, indent).trim() === '' ? l.slice(indent) : l.trimStart()));
  return { text: lines.join('\n'), count: lines.length };
}

/** The source a page shows and the file line it starts at: the leading lines (if any) and the symbol's source. */
export function shownSource(target: { source: string; startLine: number; leading?: LeadingLines | null }): { source: string; startLine: number } {
  const l = target.leading;
  if (!l || l.count === 0) return { source: target.source, startLine: target.startLine };
  return { source: `${l.text}\n${target.source}`, startLine: target.startLine - l.count };
}
