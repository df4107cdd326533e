/**
 * The redactor's shared part, without secretlint: the rule table (the gitleaks catalogue and our
 * additions, `secret-rules/`), spans → markers, the concatenation view, and the synchronous
 * redactor that logs, events, notifications and the index cache use (they cannot wait, and
 * must not load secretlint in every process and thread). `secrets.ts` runs the same table
 * inside secretlint together with secretlint's preset for pages, prompts and commits.
 */
import { compileCatalogue, scanCatalogue, shannonEntropy, type CatalogueOptions } from './secret-rules/catalogue-rule.ts';
import { GITLEAKS_GLOBAL_ALLOWLIST, GITLEAKS_RULES } from './secret-rules/gitleaks.ts';
import { EXTRA_ALLOWLISTS, EXTRA_RULES } from './secret-rules/extra.ts';

export interface SecretFinding {
  /** Marker kind, e.g. `aws-access-key`, `github-token`, `private-key`, `password`. */
  kind: string;
  /** 1-based line of the secret's start in the input. */
  line: number;
}

export interface RedactionResult {
  text: string;
  findings: SecretFinding[];
}

/** The gitleaks catalogue and our rules, one table. */
export const CATALOGUE: CatalogueOptions = {
  rules: [...GITLEAKS_RULES, ...EXTRA_RULES].map((r) => (EXTRA_ALLOWLISTS[r.id] ? { ...r, allowlists: [...(r.allowlists ?? []), ...EXTRA_ALLOWLISTS[r.id]] } : r)),
  allowlist: GITLEAKS_GLOBAL_ALLOWLIST,
};

export interface Span {
  start: number;
  end: number;
  kind: string;
}

/** Quote characters a rule's range may include around the secret; they stay in the text. */
const QUOTES = `"'\``;

/**
 * The exact secret span of a finding. Some rules report a range that starts at the key rather
 * than the value (aws's secret-key rule), so the value they put in the message data is looked
 * up from the range start; URLs keep scheme, user and host, only the password is replaced.
 */
export function secretSpan(text: string, range: readonly [number, number], data: Record<string, unknown> | undefined): [number, number] {
  let [start, end] = range;
  for (const key of ['KEY', 'TOKEN', 'ID', 'CREDENTIAL', 'URI', 'SECRET']) {
    const v = data?.[key];
    if (typeof v !== 'string' || v.length < 4) continue;
    const at = text.indexOf(v, Math.max(0, start - v.length));
    if (at >= 0 && at <= end) {
      start = at;
      end = at + v.length;
      break;
    }
  }
  while (end > start && QUOTES.includes(text[end - 1])) end--;
  while (start < end && QUOTES.includes(text[start])) start++;
  // a token rule of fixed length (e.g. github_pat_ + 82) must not leave a tail of the same word
  while (end < text.length && /[A-Za-z0-9_]/.test(text[end]) && /[A-Za-z0-9_]/.test(text[end - 1])) end++;
  while (start > 0 && /[A-Za-z0-9_]/.test(text[start - 1]) && /[A-Za-z0-9_]/.test(text[start])) start--;
  const url = /^[a-z][a-z0-9+.-]*:\/\/([^\s:/@]*):([^\s/@]+)@/i.exec(text.slice(start, end));
  if (url) {
    const pwStart = start + url[0].length - 1 - url[2].length;
    return [pwStart, pwStart + url[2].length];
  }
  return [start, end];
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * What joins two string literals into one value: `" + "`, `' +\n  '`, and Python's implicit
 * concatenation (`"a" "b"`, also across a line break inside brackets). Same quote on both sides.
 */
const CONCAT = /(["'`])(?:[ \t]*\+[ \t]*(?:\r?\n[ \t]*)?|[ \t]*\r?\n[ \t]*(?:\+[ \t]*)?|[ \t]+)\1/g;
/** An opening bracket between an assignment and a literal on the next line (`KEY = (\n  "a"\n  "b")`). */
const OPENER = /(?<=[=:][ \t]*)\([ \t]*\r?\n[ \t]*(?=["'])/g;

/**
 * For secrets that only appear once concatenated literals are joined: the lines around each join
 * (with the line before, which may hold the key name) copied with the separators cut out, each
 * copied character's offset in `text` (`origin`), and where the cuts are in the view. A finding
 * in the view that spans a cut maps back to the original range, separators included.
 * @returns null when `text` joins no literals
 */
export function concatView(text: string): { view: string; origin: number[]; cutsAt: number[] } | null {
  const separators = [...text.matchAll(CONCAT)];
  if (separators.length === 0) return null;
  const joins = [...separators, ...text.matchAll(OPENER)].sort((a, b) => a.index! - b.index!);
  // regions: [previous line start, end of the line where the join ends), merged
  const regions: [number, number][] = [];
  for (const m of separators) {
    const lineStart = text.lastIndexOf('\n', m.index - 1) + 1;
    const from = lineStart > 0 ? text.lastIndexOf('\n', lineStart - 2) + 1 : 0;
    const endNl = text.indexOf('\n', m.index + m[0].length);
    const to = endNl === -1 ? text.length : endNl;
    const last = regions[regions.length - 1];
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else regions.push([from, to]);
  }
  let view = '';
  const origin: number[] = []; // origin[i]: offset in `text` of view[i]
  const cutsAt: number[] = []; // offsets in `view` where a separator was removed
  let j = 0;
  for (const [from, to] of regions) {
    if (view.length > 0) {
      view += '\n';
      origin.push(from - 1);
    }
    for (let i = from; i < to; ) {
      while (j < joins.length && joins[j].index! + joins[j][0].length <= i) j++;
      const m = joins[j];
      if (m && m.index === i) {
        if (m[0] !== '' && separators.includes(m)) cutsAt.push(view.length);
        i += m[0].length;
        continue;
      }
      view += text[i];
      origin.push(i);
      i++;
    }
  }
  return { view, origin, cutsAt };
}

/** Spans found in a `concatView` that cross a cut, mapped back to the original text. */
export function mapConcatSpans(v: NonNullable<ReturnType<typeof concatView>>, spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const s of spans) {
    if (!v.cutsAt.some((c) => c > s.start && c < s.end)) continue; // found in the original already
    out.push({ start: v.origin[s.start], end: v.origin[s.end - 1] + 1, kind: s.kind });
  }
  return out;
}

const COMPILED = compileCatalogue(CATALOGUE);

/**
 * The synchronous redactor for logs, events and notifications (pino formatters and event
 * publishing cannot wait): the same catalogue table (gitleaks and ours) without secretlint's
 * preset, whose formats the catalogue also covers. Same markers and findings as `redactSecrets`.
 */
export function redactSecretsSync(text: string): RedactionResult {
  if (text.length < 8) return { text, findings: [] };
  const spans = catalogueSpans(text);
  const v = concatView(text);
  if (v) spans.push(...mapConcatSpans(v, catalogueSpans(v.view)));
  return applySpans(text, spans);
}

function catalogueSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const f of scanCatalogue(COMPILED, text)) {
    const [start, end] = secretSpan(text, [f.start, f.end], undefined);
    if (end > start) spans.push({ start, end, kind: f.id });
  }
  return spans;
}

/** Replace `spans` (and every further occurrence of a random-looking secret) with markers. */
export function applySpans(text: string, spans: Span[]): RedactionResult {
  if (spans.length === 0) return { text, findings: [] };
  const secrets = new Map<string, string>();
  for (const s of spans) {
    const value = text.slice(s.start, s.end);
    // a value that looks random is replaced wherever it appears; a word (`password`) or an
    // identifier (`Token$1`) is not
    const randomLooking = /[^\w$]/.test(value) || (value.match(/\d/g)?.length ?? 0) >= 3;
    if (value.length >= 8 && !value.includes('\n') && randomLooking && shannonEntropy(value) > 3 && !secrets.has(value)) {
      secrets.set(value, s.kind);
    }
  }
  for (const [value, kind] of secrets) {
    for (let at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + value.length)) {
      spans.push({ start: at, end: at + value.length, kind });
    }
  }
  // merge overlaps: the earliest start wins the kind, the union is replaced
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s.start < last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  let out = '';
  let pos = 0;
  const findings: SecretFinding[] = [];
  for (const s of merged) {
    out += text.slice(pos, s.start) + `[REDACTED:${s.kind}]`;
    pos = s.end;
    findings.push({ kind: s.kind, line: lineAt(text, s.start) });
  }
  out += text.slice(pos);
  return { text: out, findings };
}

/** Short texts already redacted (call texts, names and decorators repeat across a repository's files). */
const memo = new Map<string, string>();
const MEMO_MAX_CHARS = 256;
const MEMO_MAX_ENTRIES = 20_000;

/** `redactSecretsSync(text).text`, remembered for short texts (a pure function of the text). */
function redactedText(text: string): string {
  if (text.length < 8) return text; // as redactSecretsSync: too short to hold a secret
  if (text.length > MEMO_MAX_CHARS) return redactSecretsSync(text).text;
  let out = memo.get(text);
  if (out === undefined) {
    out = redactSecretsSync(text).text;
    if (memo.size >= MEMO_MAX_ENTRIES) memo.clear();
    memo.set(text, out);
  }
  return out;
}

/**
 * A copy of `value` with every string in it (object values and array items, nested up to 8
 * levels) passed through `redactSecretsSync`; other values are kept as they are.
 */
export function redactValueSync<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return redactedText(value) as T;
  if (value === null || typeof value !== 'object' || depth > 8 || value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((v) => redactValueSync(v, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactValueSync(v, depth + 1);
  return out as T;
}

/**
 * JSON of `value` with every string in it redacted as `redactValueSync` does (same depth limit,
 * same output), without copying what holds no secret: objects and arrays are copied only where a
 * string in them changed. For the index cache, which serialises every file's extraction and facts
 * (hundreds of thousands of strings on a large repository, nearly all unchanged).
 */
export function redactedJsonSync(value: unknown): string {
  return JSON.stringify(redactShared(value, 0));
}

/** `redactValueSync`, but returning `value` itself when nothing in it changed. */
function redactShared(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactedText(value);
  if (value === null || typeof value !== 'object' || depth > 8 || value instanceof Date) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const r = redactShared(v, depth + 1);
      if (r !== v && out === null) out = value.slice(0, i);
      if (out !== null) out.push(r);
    }
    return out ?? value;
  }
  const src = value as Record<string, unknown>;
  const keys = Object.keys(src);
  let out: Record<string, unknown> | null = null;
  for (let i = 0; i < keys.length; i++) {
    const v = src[keys[i]];
    const r = redactShared(v, depth + 1);
    if (r !== v && out === null) {
      out = {};
      for (let j = 0; j < i; j++) out[keys[j]] = src[keys[j]];
    }
    if (out !== null) out[keys[i]] = r;
  }
  return out ?? value;
}
