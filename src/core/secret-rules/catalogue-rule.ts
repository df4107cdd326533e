/**
 * A secretlint rule that runs a rule table in the format of gitleaks' catalogue: per rule a
 * regular expression, the capture group that holds the secret, a minimum Shannon entropy of that
 * secret, keywords (a rule runs only on text that contains one of them, case-insensitive), and
 * allowlists (regexes on the secret, the whole match or the line; stopwords the secret must not
 * contain). The semantics follow gitleaks' `detect.go`: the secret is group `secretGroup`, else
 * the first non-empty group, else the whole match; a finding is dropped when its entropy is at or
 * below the rule's, or when the global or a rule allowlist allows it.
 *
 * The tables are data (`gitleaks.ts`, generated from the catalogue; `extra.ts`, ours); this file
 * only interprets them.
 */
import type { SecretLintRuleCreator, SecretLintSourceCode } from '@secretlint/types';

export interface CatalogueRegex {
  source: string;
  /** JavaScript flags without `g`/`d` (added here), e.g. `i`. */
  flags: string;
}

export interface CatalogueAllowlist {
  /** What the regexes test: the secret (default), the whole match, or the match's line(s). */
  target?: 'secret' | 'match' | 'line';
  /** `AND`: every given check must hold; default `OR`: any one. */
  condition?: 'AND' | 'OR';
  regexes?: CatalogueRegex[];
  /** Lower-case words; a secret containing one is allowed. */
  stopwords?: string[];
}

export interface CatalogueRule extends CatalogueRegex {
  /** Rule id, used as the redaction marker kind (`[REDACTED:<id>]`). */
  id: string;
  /** Lower-case; the rule runs only when the text contains one (none: always runs). */
  keywords: string[];
  /** Capture group holding the secret: 1-based, or 0 for the whole match; default: the first non-empty group, else the whole match. */
  secretGroup?: number;
  /** Minimum Shannon entropy (bits per character) of the secret, exclusive. */
  entropy?: number;
  allowlists?: CatalogueAllowlist[];
}

export interface CatalogueOptions {
  rules: CatalogueRule[];
  /** Applied to every rule's findings (gitleaks' `[allowlist]`). */
  allowlist?: CatalogueAllowlist;
}

/** Shannon entropy in bits per character (gitleaks' `shannonEntropy`, over UTF-16 units here). */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

interface CompiledAllowlist {
  target: 'secret' | 'match' | 'line';
  and: boolean;
  regexes: RegExp[];
  stopwords: string[];
}

interface CompiledRule {
  id: string;
  re: RegExp;
  keywords: string[];
  secretGroup: number;
  entropy: number;
  allowlists: CompiledAllowlist[];
}

function compileAllowlist(a: CatalogueAllowlist): CompiledAllowlist {
  return {
    target: a.target ?? 'secret',
    and: a.condition === 'AND',
    regexes: (a.regexes ?? []).map((r) => new RegExp(r.source, r.flags)),
    stopwords: a.stopwords ?? [],
  };
}

/**
 * Compile a table once (a table is shared by every call of the redactor).
 * @throws SyntaxError naming the rule whose pattern JavaScript cannot compile
 */
export function compileCatalogue(opts: CatalogueOptions): CompiledCatalogue {
  const rules = opts.rules.map((r) => {
    try {
      return {
        id: r.id,
        re: new RegExp(r.source, `${r.flags}gd`),
        keywords: r.keywords,
        secretGroup: r.secretGroup ?? -1,
        entropy: r.entropy ?? 0,
        allowlists: (r.allowlists ?? []).map(compileAllowlist),
      };
    } catch (err) {
      throw new SyntaxError(`secret rule ${r.id}: ${(err as Error).message}`);
    }
  });
  const keywords = [...new Set(rules.flatMap((r) => r.keywords))].sort((a, b) => b.length - a.length);
  const escaped = keywords.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const rulesByKeyword = new Map<string, number[]>();
  const unconditional: number[] = [];
  rules.forEach((r, i) => {
    if (r.keywords.length === 0) unconditional.push(i);
    for (const k of r.keywords) {
      const list = rulesByKeyword.get(k) ?? [];
      if (!list.includes(i)) list.push(i);
      rulesByKeyword.set(k, list);
    }
  });
  return {
    rules,
    global: opts.allowlist ? compileAllowlist(opts.allowlist) : null,
    keywords,
    keywordScan: new RegExp(`(?=(${escaped.join('|')}))`, 'g'),
    rulesByKeyword,
    unconditional,
  };
}

export interface CompiledCatalogue {
  rules: CompiledRule[];
  global: CompiledAllowlist | null;
  /** Every rule keyword, longest first. */
  keywords: string[];
  /** Zero-width scan finding, at each position, the longest keyword that starts there. */
  keywordScan: RegExp;
  /** Indices (in `rules`) of the rules each keyword enables. */
  rulesByKeyword: Map<string, number[]>;
  /** Indices of the rules without keywords (they run on every text). */
  unconditional: number[];
}

/**
 * The keywords present in `lower`, found in one pass: at each position the longest keyword
 * starting there is matched, and every keyword that is a prefix of a matched one is present too
 * (it starts at the same position), so no occurrence is missed.
 */
function presentKeywords(c: CompiledCatalogue, lower: string): Set<string> {
  const matched = new Set<string>();
  c.keywordScan.lastIndex = 0;
  for (let m = c.keywordScan.exec(lower); m !== null; m = c.keywordScan.exec(lower)) {
    matched.add(m[1]);
    c.keywordScan.lastIndex = m.index + 1;
  }
  if (matched.size === 0) return matched;
  const present = new Set<string>();
  for (const k of c.keywords) {
    for (const m of matched) {
      if (m.startsWith(k)) {
        present.add(k);
        break;
      }
    }
  }
  return present;
}

function allowed(a: CompiledAllowlist, secret: string, match: string, line: string): boolean {
  const target = a.target === 'match' ? match : a.target === 'line' ? line : secret;
  const lower = secret.toLowerCase();
  const regexHit = a.regexes.length > 0 && a.regexes.some((re) => re.test(target));
  const stopHit = a.stopwords.length > 0 && a.stopwords.some((w) => lower.includes(w));
  if (a.and) return (a.regexes.length === 0 || regexHit) && (a.stopwords.length === 0 || stopHit);
  return regexHit || stopHit;
}

function lineOf(text: string, start: number, end: number): string {
  const from = text.lastIndexOf('\n', start - 1) + 1;
  const to = text.indexOf('\n', end);
  return text.slice(from, to === -1 ? text.length : to);
}

/** One finding: the secret's [start, end) in the text and the rule that found it. */
export interface CatalogueFinding {
  id: string;
  start: number;
  end: number;
  secret: string;
}

/**
 * Run a compiled table over `text`.
 * @param lower `text.toLowerCase()` when the caller has it (keyword checks)
 * @returns findings in rule order (not sorted)
 */
export function scanCatalogue(compiled: CompiledCatalogue, text: string, lower = text.toLowerCase()): CatalogueFinding[] {
  const out: CatalogueFinding[] = [];
  // the rules to run, in table order: those without keywords and those a present keyword enables
  // (most texts hold no keyword, and then only the few unconditional rules run)
  let toRun = compiled.unconditional;
  const present = presentKeywords(compiled, lower);
  if (present.size > 0) {
    const chosen = new Set(compiled.unconditional);
    for (const k of present) for (const i of compiled.rulesByKeyword.get(k) ?? []) chosen.add(i);
    toRun = [...chosen].sort((a, b) => a - b);
  }
  for (const i of toRun) {
    const rule = compiled.rules[i];
    const re = rule.re;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      const indices = m.indices!;
      let g = rule.secretGroup;
      if (g === -1) {
        g = 0;
        for (let i = 1; i < m.length && g === 0; i++) if (m[i]) g = i;
      }
      const [start, end] = g > 0 && m[g] !== undefined ? indices[g]! : [m.index, m.index + m[0].length];
      const secret = text.slice(start, end).replace(/^\n+|\n+$/g, '');
      if (secret.length === 0) continue;
      if (rule.entropy > 0 && shannonEntropy(secret) <= rule.entropy) continue;
      const match = m[0];
      const line = lineOf(text, m.index, m.index + match.length);
      if (compiled.global && allowed(compiled.global, secret, match, line)) continue;
      if (rule.allowlists.some((a) => allowed(a, secret, match, line))) continue;
      const s = start + text.slice(start, end).indexOf(secret);
      out.push({ id: rule.id, start: s, end: s + secret.length, secret });
    }
  }
  return out;
}

const messages = {
  SECRET: {
    en: (props: { RULE: string; SECRET: string }) => `found ${props.RULE}: ${props.SECRET}`,
  },
};

/**
 * The secretlint rule: options are a table (`CatalogueOptions`); each finding is reported with
 * message id `SECRET` and data `{ RULE, SECRET }`, its range the secret alone.
 */
export const catalogueRule: SecretLintRuleCreator<CatalogueOptions> = {
  messages,
  meta: {
    id: 'codeworm-secret-catalogue',
    type: 'scanner',
    recommended: true,
    supportedContentTypes: ['text'],
  },
  create(context, options) {
    const t = context.createTranslator(messages);
    const compiled = compiledFor(options);
    return {
      file(source: SecretLintSourceCode) {
        for (const f of scanCatalogue(compiled, source.content)) {
          context.report({ message: t('SECRET', { RULE: f.id, SECRET: f.secret }), range: [f.start, f.end] });
        }
      },
    };
  },
};

const compiledTables = new WeakMap<CatalogueOptions, CompiledCatalogue>();

function compiledFor(options: CatalogueOptions): CompiledCatalogue {
  let c = compiledTables.get(options);
  if (!c) {
    c = compileCatalogue(options);
    compiledTables.set(options, c);
  }
  return c;
}
