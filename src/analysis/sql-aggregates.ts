/**
 * Several aggregate queries on the same table in one function (issue 12, the reviewer's list on
 * `get_stats`): `SELECT COUNT(*) FROM t`, `SELECT COUNT(*) FROM t WHERE a`, `… WHERE b` are as
 * many round trips and as many scans of `t`, where one query with conditional aggregation
 * (`SUM(CASE WHEN a THEN 1 ELSE 0 END)`, or `COUNT(*) FILTER (WHERE a)` in PostgreSQL and
 * SQLite ≥ 3.30) reads the table once. Any language: the SQL is read from the function's string
 * literals (adjacent literals joined, as Python and C join them, and `+` between literals).
 * Queries with GROUP BY, JOIN, a sub-select or placeholders for different values are left out:
 * merging them changes more than the round trips.
 */

/** One SQL text of a function: its first line and the text of its joined literals. */
interface SqlText {
  line: number;
  sql: string;
}

/** One scalar aggregate query: its line, table, select list and WHERE condition (null: none). */
export interface AggregateQuery {
  line: number;
  table: string;
  select: string;
  where: string | null;
}

/** Aggregate queries on one table that one query could answer. */
export interface RepeatedAggregates {
  table: string;
  queries: AggregateQuery[];
  /** The merged query, written from the queries' own select lists and conditions, one figure per line. */
  merged: string;
}

const OPEN = /([rRbBuUfF]{0,2})("""|'''|"|'|`)/y;

/** The string literals of `source` in order, adjacent ones (only whitespace, `\`, `+` between) joined. */
function sqlTexts(source: string, startLine: number): SqlText[] {
  const out: SqlText[] = [];
  let i = 0;
  let line = startLine;
  let last: { end: number; text: SqlText } | null = null;
  while (i < source.length) {
    const ch = source[i];
    if (ch === '\n') {
      line++;
      i++;
      continue;
    }
    if (ch === '#' || (ch === '/' && source[i + 1] === '/')) {
      // a line comment: skip to its end
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    OPEN.lastIndex = i;
    const m = /[A-Za-z0-9_]/.test(source[i - 1] ?? '') ? null : OPEN.exec(source);
    if (!m || (m[1] && !/["'`]/.test(source[i + m[1].length]))) {
      i++;
      continue;
    }
    const quote = m[2];
    const from = i + m[0].length;
    let j = from;
    while (j < source.length && !source.startsWith(quote, j)) {
      if (source[j] === '\\') j++;
      else if (source[j] === '\n' && quote.length === 1 && quote !== '`') break;
      j++;
    }
    const body = source.slice(from, j);
    const between = last ? source.slice(last.end, i) : null;
    if (last && between !== null && /^[\s\\+]*$/.test(between)) last.text.sql += body;
    else {
      // the line the SQL starts on: a triple-quoted literal often opens on the line before
      const text = { line: line + (/^\s*/.exec(body)![0].match(/\n/g) ?? []).length, sql: body };
      out.push(text);
      last = { end: 0, text };
    }
    line += (source.slice(i, j + quote.length).match(/\n/g) ?? []).length;
    i = j + quote.length;
    last!.end = i;
  }
  return out;
}

const AGGREGATE = /^(?:COUNT|SUM|AVG|MIN|MAX|TOTAL)\s*\(/i;

/** The scalar aggregate query a SQL text holds, or null. */
function aggregateOf(t: SqlText): AggregateQuery | null {
  const sql = t.sql.replace(/\s+/g, ' ').trim().replace(/;$/, '');
  const m = /^SELECT (.+?) FROM ([A-Za-z_][\w.]*)(?: (?:AS )?[A-Za-z_]\w*)?(?: WHERE (.+))?$/i.exec(sql);
  if (!m || /\b(?:GROUP BY|JOIN|UNION|HAVING|LIMIT|ORDER BY)\b|\(\s*SELECT\b/i.test(sql)) return null;
  const cols = m[1].split(/,(?![^()]*\))/).map((c) => c.trim().replace(/\s+AS\s+\w+$/i, ''));
  if (cols.length === 0 || !cols.every((c) => AGGREGATE.test(c))) return null;
  // a placeholder stands for a value each call passes: merging needs care, so say nothing
  if (/[?]|%s|:\w+|\$\d/.test(m[3] ?? '')) return null;
  return { line: t.line, table: m[2], select: cols.join(', '), where: m[3]?.trim() ?? null };
}

/** A condition as a CASE branch counts it: `COUNT(*)` → `SUM(CASE WHEN a THEN 1 ELSE 0 END)`. */
function conditional(select: string, where: string): string {
  return select
    .split(/,(?![^()]*\))/)
    .map((c) => {
      const col = c.trim();
      if (/^COUNT\s*\(\s*\*\s*\)$/i.test(col)) return `SUM(CASE WHEN ${where} THEN 1 ELSE 0 END)`;
      const inner = /^(\w+)\s*\((.*)\)$/.exec(col);
      return inner ? `${inner[1]}(CASE WHEN ${where} THEN ${inner[2]} END)` : col;
    })
    .join(', ');
}

/**
 * Scalar aggregate queries (no GROUP BY) on the same table in a function whose source starts at
 * file line `startLine`, two or more per table, with the one query that answers them all.
 */
export function repeatedAggregates(source: string, startLine: number): RepeatedAggregates[] {
  const byTable = new Map<string, AggregateQuery[]>();
  for (const t of sqlTexts(source, startLine)) {
    const q = aggregateOf(t);
    if (q) byTable.set(q.table.toLowerCase(), [...(byTable.get(q.table.toLowerCase()) ?? []), q]);
  }
  const out: RepeatedAggregates[] = [];
  for (const queries of byTable.values()) {
    if (queries.length < 2) continue;
    const cols = queries.map((q) => (q.where ? conditional(q.select, q.where) : q.select));
    out.push({ table: queries[0].table, queries, merged: `SELECT\n  ${cols.join(',\n  ')}\nFROM ${queries[0].table}` });
  }
  return out;
}
