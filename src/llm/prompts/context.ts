/**
 * Doc-type context as prompt text: the module listing, the change behind a code-evolution page,
 * pattern indicators, summary counts, the blocking report. Finders put these in
 * `Target.context` (see src/targets/finders/); keys this file does not know are rendered
 * generically so a new finder's context reaches the model without an edit here.
 */

/** Characters of any single context value shown to the model; longer text is cut at a line. */
export const MAX_CONTEXT_VALUE_CHARS = 12_000;

/**
 * Cut `text` to at most `max` characters at a line boundary, saying how many lines were left
 * out (never mid-line or mid-token, SPEC section 3).
 */
export function cutAtLine(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  const nl = head.lastIndexOf('\n');
  const kept = nl > 0 ? head.slice(0, nl) : '';
  const total = text.split('\n').length;
  const keptLines = kept === '' ? 0 : kept.split('\n').length;
  return `${kept}${kept ? '\n' : ''}[... ${total - keptLines} more lines not shown ...]`;
}

function humanKey(key: string): string {
  return key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
}

/** Keys whose numbers are times in ms since the epoch (finders' `date`, `startedAt`, …). */
const TIME_KEY = /(?:^|_)(?:date|time)$|(?:Date|At|Time)$|^at$/;

function scalar(v: unknown, key = ''): string {
  if (typeof v === 'number' && v > 1e11 && TIME_KEY.test(key)) return new Date(v).toISOString().slice(0, 10);
  if (v === null || v === undefined) return 'none';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** One value as Markdown-ish text: lists become bullets, objects `key: value` lines. */
export function renderValue(v: unknown, indent = ''): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return `${indent}- none`;
    return v
      .map((item) =>
        item !== null && typeof item === 'object' && !Array.isArray(item)
          ? `${indent}- ${Object.entries(item as Record<string, unknown>)
              .map(([k, x]) => `${humanKey(k)}: ${Array.isArray(x) ? x.map((y) => scalar(y)).join(', ') : scalar(x, k)}`)
              .join('; ')}`
          : `${indent}- ${scalar(item)}`,
      )
      .join('\n');
  }
  if (v !== null && typeof v === 'object') {
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) =>
        Array.isArray(x) || (x !== null && typeof x === 'object')
          ? `${indent}- ${humanKey(k)}:\n${renderValue(x, `${indent}  `)}`
          : `${indent}- ${humanKey(k)}: ${scalar(x, k)}`,
      )
      .join('\n');
  }
  return `${indent}${scalar(v)}`;
}

/**
 * Render a target's context for the prompt, under the heading `## Context`. Empty context
 * gives ''. Keys are rendered in sorted order so the same context gives the same text.
 */
export function renderTargetContext(context: Record<string, unknown> | undefined): string {
  if (!context) return '';
  const keys = Object.keys(context)
    .filter((k) => context[k] !== undefined && context[k] !== null && context[k] !== '')
    .sort();
  if (keys.length === 0) return '';
  const parts: string[] = ['## Context'];
  for (const k of keys) {
    const v = context[k];
    if (typeof v === 'string' && v.includes('\n')) {
      parts.push(`### ${humanKey(k)}\n\n${cutAtLine(v, MAX_CONTEXT_VALUE_CHARS)}`);
    } else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      parts.push(`- ${humanKey(k)}: ${String(v)}`);
    } else {
      parts.push(`### ${humanKey(k)}\n\n${cutAtLine(renderValue(v), MAX_CONTEXT_VALUE_CHARS)}`);
    }
  }
  return parts.join('\n\n');
}
