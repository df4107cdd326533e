/**
 * A page's identity: what was documented (repo, file, symbol, doc type, code hash, source
 * commit) and by what (CodeWorm version, provider), carried in the page as an invisible HTML
 * comment `<!-- codeworm: {json} -->` so the state database can be rebuilt from the DevLog alone
 * (SPEC section 3).
 */
import { z } from 'zod';
import { DOC_TYPES } from '../config/schema.ts';

/** Version of the identity JSON; bumped only when a field changes meaning. */
export const IDENTITY_SCHEMA_VERSION = 1;

export const PageIdentitySchema = z.object({
  v: z.literal(IDENTITY_SCHEMA_VERSION).default(IDENTITY_SCHEMA_VERSION),
  /** Repository name as in repos.yaml (`source_repo`). */
  repo: z.string().min(1),
  /** File path relative to the repository root. */
  file: z.string().min(1),
  /** Absolute source path as recorded in `source_file`; optional (it reveals local paths). */
  sourceFile: z.string().nullable().optional(),
  /** Display name, e.g. `CodeWormDaemon._async_run`; null for file/module/summary pages. */
  symbol: z.string().nullable(),
  functionName: z.string().nullable(),
  className: z.string().nullable(),
  docType: z.enum(DOC_TYPES),
  /** SHA-256 hex of the documented source text (`code_hash`). */
  codeHash: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 hex digest'),
  /** Commit (full hash) of the source repository the code was read at, when known. */
  sourceCommit: z.string().nullable(),
  /** CodeWorm version that wrote the page. */
  version: z.string(),
  /** `ollama` | `openai` | `static` (or another provider name). */
  provider: z.string(),
  /** Model name, when an LLM wrote the body. */
  model: z.string().nullable().optional(),
  /** ISO-8601 local time without zone, as `documented_at` (`2026-03-02T09:34:12.123000`). */
  documentedAt: z.string().optional(),
});

export type PageIdentity = z.infer<typeof PageIdentitySchema>;
/** What a caller supplies; `v` is filled in. */
export type PageIdentityInput = z.input<typeof PageIdentitySchema>;

const MARK = 'codeworm:';
/** The identity line, whole: nothing before `<!--` or after `-->`. */
const LINE_RE = /^<!--\s*codeworm:\s*(\{.*\})\s*-->$/;
/** Identity-like text anywhere (an HTML comment opening with `codeworm:`). */
const LOOKALIKE_RE = /(<!--\s*codeworm)(\s*:)/gi;
/** Zero-width space: keeps an identity-like comment in code or model output readable but inert. */
const ZWSP = '\u200b';

/**
 * Make identity-like text (`<!-- codeworm: … -->` in code or model output) unable to pass for a
 * page identity: a zero-width space goes between `codeworm` and `:` (invisible when rendered).
 * Applied to everything put on a page except the identity line itself.
 */
export function escapeIdentityMarks(text: string): string {
  return text.replace(LOOKALIKE_RE, `$1${ZWSP}$2`);
}

/**
 * The identity as one HTML comment line. `<`, `>` and `&` inside the JSON are written as
 * `\u003c`-style escapes, so no value can close the comment early.
 * @throws ZodError when a field is missing or malformed (e.g. a code hash that is not hex).
 */
export function identityComment(identity: PageIdentityInput): string {
  const parsed = PageIdentitySchema.parse(identity);
  const json = JSON.stringify(parsed).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `<!-- ${MARK} ${json} -->`;
}

/**
 * Read the identity back from a page's Markdown. Only the page's last non-blank line is read,
 * where `renderPage` puts it; a comment anywhere else (in quoted code, in a model's answer) is
 * never taken for it.
 * @returns the identity, or null when the last line is not an identity comment (e.g. the
 *   original's pages) or it is not valid JSON of this shape (a hand-edited comment is not trusted).
 */
export function parseIdentity(markdown: string): PageIdentity | null {
  const trimmed = markdown.trimEnd();
  const last = trimmed.slice(trimmed.lastIndexOf('\n') + 1).trim();
  const m = LINE_RE.exec(last);
  if (!m) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(m[1]);
  } catch {
    return null; // malformed comment: treated as a page without identity
  }
  const parsed = PageIdentitySchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
