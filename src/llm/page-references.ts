/**
 * References a page makes to the repository rather than to the code it shows: commit hashes
 * (a History section, "changed in `ca3ce30`") and code locations (a caller or a test:
 * "- `Daemon.run_once` at `codeworm/daemon.py:412`: `await self._cycle()`"). CodeWorm's pages
 * write both in these fixed forms; the grounding check treats them as data to look up, not as
 * identifiers to find in the page's source block: a hash is checked against the repository's
 * history, a location against the file and line it names (issue 12, item 5).
 *
 * Forms (one per bullet line for locations; anywhere in prose for hashes):
 * - commit: an inline code span of 7–40 hex digits with at least one letter and one digit.
 * - location: a bullet `- \`NAME\` at \`PATH:LINE\`` optionally followed by `: \`EXCERPT\``
 *   and `; also lines N, M` (more lines of the same file); NAME is the function at that place (or
 *   the path a line names), EXCERPT the code on that line (whitespace collapsed, possibly cut with `…`).
 */

export interface CommitReference {
  kind: 'commit';
  hash: string;
  /** 1-based page line. */
  line: number;
}

export interface LocationReference {
  kind: 'location';
  /** The symbol named at the location (`Class.method`, `test_x`). */
  name: string;
  /** Repository-relative POSIX path. */
  file: string;
  /** 1-based line in `file`. */
  fileLine: number;
  /** The code quoted from that line, or null. */
  excerpt: string | null;
  /** More lines of `file` the bullet names (`; also lines 97, 107`); a path NAME must stand on each. */
  alsoLines?: number[];
  /** 1-based page line. */
  line: number;
}

export type PageReference = CommitReference | LocationReference;

/** A commit hash in an inline code span. */
export const COMMIT_SPAN = /^(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{7,40}$/;

const LOCATION_LINE = /^\s*[-*+]\s+`([^`]+)`\s+at\s+`([^`\s]+?):(\d+)`(?::\s+(`+)\s?(.*?)\s?\4)?(?:;\s+also\s+lines?\s+(\d+(?:,\s*\d+)*))?\s*\.?\s*$/;

/** Render a location line in the form `referencesIn` reads (the static provider uses it). */
export function locationLine(name: string, file: string, fileLine: number, excerpt: string | null): string {
  const base = `- \`${name}\` at \`${file}:${fileLine}\``;
  if (!excerpt) return base;
  const fence = '`'.repeat(Math.max(1, ...[...excerpt.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  const pad = excerpt.startsWith('`') || excerpt.endsWith('`') ? ' ' : '';
  return `${base}: ${fence}${pad}${excerpt}${pad}${fence}`;
}

/**
 * The references in the prose lines of a page (`PageParts.prose`): location bullets, and
 * commit hashes in code spans anywhere. `lines` are the page lines that are location bullets
 * (their identifiers are checked through the reference, not against the source).
 */
export function referencesIn(prose: { line: number; text: string }[]): { references: PageReference[]; locationLines: Set<number> } {
  const references: PageReference[] = [];
  const locationLines = new Set<number>();
  for (const { line, text } of prose) {
    const loc = LOCATION_LINE.exec(text);
    if (loc) {
      references.push({ kind: 'location', name: loc[1].trim(), file: loc[2], fileLine: Number(loc[3]), excerpt: loc[5] ?? null, ...(loc[6] ? { alsoLines: loc[6].split(',').map(Number) } : {}), line });
      locationLines.add(line);
      continue;
    }
    for (const m of text.matchAll(/(`+)([^`]+?)\1(?!`)/g)) {
      const c = m[2].trim();
      if (COMMIT_SPAN.test(c)) references.push({ kind: 'commit', hash: c, line });
    }
  }
  return { references, locationLines };
}

/** Whitespace-collapsed text for comparing an excerpt with a source line. */
export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Whether `excerpt` (as a page quotes it) matches the source line `actual`: equal after
 * collapsing whitespace, or a prefix of it when the page cut it with `…`.
 */
export function excerptMatches(excerpt: string, actual: string): boolean {
  const e = collapse(excerpt);
  const a = collapse(actual);
  if (e.endsWith('…')) return a.startsWith(e.slice(0, -1).trimEnd());
  return e === a;
}

/**
 * Check a location against a file's text: the line exists, the excerpt (if any) is that line,
 * the `alsoLines` exist (and hold NAME when it is a path), and the named symbol's last segment
 * occurs in the file. Returns null when it holds, else why not.
 */
export function checkLocation(ref: LocationReference, fileText: string | null): string | null {
  if (fileText === null) return `${ref.file} does not exist`;
  const lines = fileText.split('\n');
  if (ref.fileLine < 1 || ref.fileLine > lines.length) return `${ref.file} has ${lines.length} lines, not ${ref.fileLine}`;
  if (ref.excerpt !== null && !excerptMatches(ref.excerpt, lines[ref.fileLine - 1])) return `line ${ref.fileLine} of ${ref.file} is not \`${ref.excerpt}\``;
  for (const n of ref.alsoLines ?? []) {
    if (n < 1 || n > lines.length) return `${ref.file} has ${lines.length} lines, not ${n}`;
    if (ref.name.includes('/') && !lines[n - 1].includes(ref.name)) return `line ${n} of ${ref.file} does not name ${ref.name}`;
  }
  const last = ref.name.split(/\.|::|->/).pop() ?? ref.name;
  if (!new RegExp(`(?<![\\w$])${last.replace(/[$]/g, '\\$')}(?![\\w$])`).test(fileText)) return `${ref.file} has no ${last}`;
  return null;
}
