/**
 * Grounding and claim checking of a generated page (SPEC section 8, issue 4): which identifiers
 * the page presents as code that the code does not have, and which of its sentences the code
 * refutes. General rules over any page, not a list of known sentences.
 *
 * Decisions (documented here because the page format leaves them open):
 * - "Exists in the source" means any identifier token of the page's code, including the words
 *   inside its strings and comments: pages legitimately quote log event names and config keys.
 * - Language keywords, builtins and globals, Python protocol names (`__init__`), one-character
 *   names (`O(n)`, `x`), numbers, quoted strings, file names and paths, CLI flags and
 *   multi-word phrases without code punctuation are not identifiers. A dotted name is grounded
 *   when every part exists (after `self.` / `this.`), or when its head is a standard-library
 *   module (`asyncio.gather`: the page names a library API, not the code).
 * - Line numbers in facts are ORIGINAL file lines: a source line n becomes n + a - 1 when the
 *   page header says `**Lines:** a-b`.
 * - Hedged claims ("may block", "could stall") count as claims: they tell the reader the code
 *   can block where it cannot. Counterfactual sentences ("if it were synchronous it would
 *   block", "assuming …") are not claims about the code and are skipped; so are negations
 *   ("does not block", "non-blocking", "avoids blocking").
 * - A call counts as awaited when every call site of it in the code is awaited.
 */
import { extractSource, type FileExtraction } from '../index/extract.ts';
import type { LanguageId } from '../index/types.ts';
import { languageById } from '../languages/registry.ts';
import { parseParameters, type ParamInfo } from './declaration.ts';
import { CLAIM_KEYWORDS, isLanguageWord, isLibraryModule, type PageLanguage } from './grounding-lexicon.ts';
import { COMMIT_SPAN, referencesIn, type PageReference } from './page-references.ts';

export interface UngroundedIdentifier {
  identifier: string;
  /** 1-based line in the page. */
  line: number;
}

export interface Contradiction {
  identifier: string;
  /** The sentence from the page, emphasis removed, inline code kept in backticks. */
  claim: string;
  /** What the code says, e.g. `awaited at line 306`. */
  fact: string;
}

export interface GroundingResult {
  ungrounded: UngroundedIdentifier[];
  contradictions: Contradiction[];
  /** References to the repository the page makes: how many were looked up; those that failed are in `ungrounded`. */
  references?: { found: number; checked: number };
}

export interface GroundingInput {
  markdown: string;
  /** The code the page is about: its Source Code block, or lines a-b of the repository file. */
  source: string;
  /** `markdown` / `text` (summaries, listings): identifiers only, no syntax-based claims. */
  language: PageLanguage;
  /** Identifiers known from the facts block or the prompt context (names or dotted names, any text). */
  context?: string[];
  /**
   * Looks up a reference the page makes to the repository (a commit hash, a caller's or a
   * test's location; see page-references.ts): null when it holds, else the reason. Without it
   * references are not checked, and their lines are not read as claims about the source.
   */
  resolveReference?: (ref: PageReference) => Promise<string | null> | string | null;
  /**
   * Parses and extracts the source (`extractSource` by default, on this thread); the daemon
   * passes its index's parse threads (`CodeIndex.extract`). Same extractor either way.
   */
  extract?: (language: LanguageId, source: string) => Promise<FileExtraction>;
}

// ---------------------------------------------------------------------------------------------
// The page

/** The parts of a page in the DevLog format (`seeds/000…`) that grounding reads. */
export interface PageParts {
  title: string | null;
  typeLabel: string | null;
  repo: string | null;
  file: string | null;
  language: string | null;
  /** `**Lines:** a-b` of the header. */
  lines: { start: number; end: number } | null;
  /** Code of the Source Code block (null when the page has none). */
  source: string | null;
  /** Body lines outside the header, the Source Code section, fenced blocks, HTML comments and the footer. */
  prose: { line: number; text: string }[];
}

const HEADER_FIELD = /^\*\*(Type|Repository|File|Language|Lines|Complexity):\*\*\s*(.*?)\s*$/;

/**
 * Split a page into header fields, the Source Code block and the prose lines to check.
 * Tolerates pages without a header (then everything outside code fences is prose) and an
 * unclosed fence (the rest of the page is code).
 */
export function parsePageParts(markdown: string): PageParts {
  const lines = markdown.split(/\r?\n/);
  const parts: PageParts = { title: null, typeLabel: null, repo: null, file: null, language: null, lines: null, source: null, prose: [] };
  const hasHeader = lines.slice(0, 20).some((l) => HEADER_FIELD.test(l));
  let inHeader = hasHeader;
  let inSourceSection = false;
  let fence: string | null = null;
  let fenceIsSource = false;
  let sourceLines: string[] | null = null;
  let inComment = false;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i];
    const lineNo = i + 1;
    if (fence !== null) {
      const close = /^\s*(`{3,}|~{3,})\s*$/.exec(text);
      if (close && close[1][0] === fence[0] && close[1].length >= fence.length) {
        fence = null;
        if (fenceIsSource && sourceLines) parts.source = sourceLines.join('\n');
        fenceIsSource = false;
      } else if (fenceIsSource) sourceLines?.push(text);
      continue;
    }
    const open = /^\s*(`{3,}|~{3,})\s*([\w+-]*)/.exec(text);
    if (open) {
      fence = open[1];
      fenceIsSource = inSourceSection && parts.source === null;
      if (fenceIsSource) sourceLines = [];
      continue;
    }
    if (inComment) {
      if (text.includes('-->')) inComment = false;
      continue;
    }
    if (/^\s*<!--/.test(text)) {
      inComment = !text.includes('-->');
      continue;
    }
    if (parts.title === null && /^#\s+\S/.test(text)) {
      parts.title = text.replace(/^#\s+/, '').trim();
      continue;
    }
    const field = HEADER_FIELD.exec(text);
    if (field) {
      const value = field[2];
      if (field[1] === 'Type') parts.typeLabel = value;
      else if (field[1] === 'Repository') parts.repo = value;
      else if (field[1] === 'File') parts.file = value;
      else if (field[1] === 'Language') parts.language = value;
      else if (field[1] === 'Lines') {
        const m = /^(\d+)\s*-\s*(\d+)/.exec(value);
        if (m) parts.lines = { start: Number(m[1]), end: Number(m[2]) };
      }
      if (inHeader) continue;
    }
    if (/^\s*---+\s*$/.test(text)) {
      inHeader = false;
      inSourceSection = false;
      continue;
    }
    if (inHeader) continue;
    if (/^##\s+Source Code\s*$/i.test(text)) {
      inSourceSection = true;
      continue;
    }
    if (/^#{1,2}\s/.test(text)) inSourceSection = false;
    if (inSourceSection) continue;
    if (/^\*Generated by CodeWorm\b/.test(text.trim())) continue;
    parts.prose.push({ line: lineNo, text });
  }
  if (fence !== null && fenceIsSource && sourceLines) parts.source = sourceLines.join('\n');
  return parts;
}

/**
 * Make a source excerpt parseable while keeping its line numbers: remove the indentation all
 * lines share, and when the first line was de-indented relative to its body (a method cut out
 * of its class: `async def f(self):` at column 0, body at column 8) shift the body left so it
 * sits one level (4 spaces) under the first line.
 */
export function normaliseIndentation(source: string): string {
  const lines = source.replace(/\t/g, '    ').split('\n');
  const indent = (l: string): number => l.length - l.trimStart().length;
  const nonBlank = lines.filter((l) => l.trim().length > 0);
  if (nonBlank.length === 0) return source;
  const common = Math.min(...nonBlank.map(indent));
  let out = lines.map((l) => (l.trim().length > 0 ? l.slice(common) : ''));
  const rest = out.slice(1).filter((l) => l.trim().length > 0);
  if (rest.length > 0) {
    const first = indent(out[0]);
    const minRest = Math.min(...rest.map(indent));
    const shift = minRest - (first + 4);
    if (shift > 0) out = out.map((l, i) => (i === 0 || l.trim().length === 0 ? l : l.slice(Math.min(shift, indent(l)))));
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// The code

interface FnInfo {
  name: string;
  isAsync: boolean;
  /** 1-based line in the checked source. */
  line: number;
  params: ParamInfo[] | null;
}

interface CallInfo {
  callee: string;
  name: string;
  line: number;
  awaited: boolean;
}

interface CodeModel {
  tokens: Set<string>;
  functions: FnInfo[];
  calls: CallInfo[];
}

const IDENT = /[A-Za-z_$][\w$]*/g;

function lastSegment(callee: string): string {
  const parts = callee.split(/\?\.|\.|::|->/);
  return parts[parts.length - 1] ?? callee;
}

/** Identifier tokens, functions (with async flag and parameters) and calls (with awaited flag) of a source. */
async function analyseCode(source: string, language: PageLanguage, extract: GroundingInput['extract'] = extractSource): Promise<CodeModel> {
  const text = normaliseIndentation(source);
  const tokens = new Set(text.match(IDENT) ?? []);
  if (language === 'markdown' || language === 'text') return { tokens, functions: [], calls: [] };
  // The same extractor as the index, so the checker and the facts block read the code alike.
  const ex = await extract(language, text);
  const functions = ex.symbols
    .filter((s) => s.kind !== 'class')
    .map((s) => ({
      name: s.name,
      isAsync: s.isAsync,
      line: s.startLine,
      params: parseParameters(s.source, s.name) ?? s.params.map((p, i) => ({ name: p.replace(/^\*+/, ''), optional: false, variadic: p.startsWith('*'), receiver: i === 0 && (p === 'self' || p === 'cls') })),
    }));
  const calls = ex.symbols.flatMap((s) => s.calls.map((c) => ({ callee: c.callee, name: c.name, line: c.line, awaited: c.awaited })));
  return { tokens, functions, calls };
}

// ---------------------------------------------------------------------------------------------
// Ungrounded identifiers

const CHAIN = /[A-Za-z_$][\w$]*(?:(?:\?\.|\.|::|->)[A-Za-z_$][\w$]*)*/g;
const RECEIVER_HEADS = new Set(['self', 'this', 'cls', 'Self', 'super']);
const FILE_NAME = /^[\w.@/-]*\.(py|pyi|ts|tsx|mts|cts|js|jsx|mjs|cjs|go|rs|md|json|ya?ml|toml|txt|cfg|ini|db|sql|sh|lock|html|css|wasm|log|env)$/i;
const CODE_PUNCT = /[().=[\]{}:<>,+*%&|!@]/;
/** First words of shell command lines, which pages quote in backticks as commands, not code. */
const SHELL_COMMANDS = new Set(['git', 'npm', 'npx', 'pnpm', 'yarn', 'pip', 'pip3', 'python', 'python3', 'node', 'ollama', 'docker', 'curl', 'wget', 'make', 'cargo', 'go', 'rustc', 'tsc', 'sudo', 'apt', 'apt-get', 'brew', 'codeworm', 'uv', 'poetry', 'systemctl', 'kill', 'ls', 'cd', 'cat', 'echo', 'export', 'pytest', 'mypy', 'ruff', 'eslint']);

/** Identifier chains that an inline code span presents as code; empty for strings, paths, phrases. */
function chainsOfSpan(content: string, language: PageLanguage): string[] {
  const c = content.trim();
  if (c.length === 0 || /^["'`]/.test(c) || /^-/.test(c) || /^\d/.test(c)) return [];
  if (COMMIT_SPAN.test(c)) return []; // a commit hash: a reference, checked by resolveReference
  if (FILE_NAME.test(c) || (/\//.test(c) && !/[\s(]/.test(c))) return [];
  if (/\s/.test(c) && SHELL_COMMANDS.has(c.split(/\s+/)[0])) return []; // `ollama pull qwen2.5:7b`, `git push`
  if (/\s/.test(c) && !CODE_PUNCT.test(c)) {
    // Several words without code punctuation: a phrase, unless it starts with a keyword (`await fetchUser`).
    const first = c.split(/\s+/)[0];
    if (!isLanguageWord(language, first)) return [];
  }
  const withoutStrings = c.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, ' ');
  return [...withoutStrings.matchAll(CHAIN)].map((m) => m[0]);
}

/** `name()` / `obj.name(args)` forms in prose (outside code spans) that read as code, with their column. */
function callFormsInProse(text: string): { name: string; at: number }[] {
  const out: { name: string; at: number }[] = [];
  for (const m of text.matchAll(/(?<![\w$.\\])([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\(([^()]*)\)/g)) {
    const name = m[1];
    const args = m[2].trim();
    const codeLike = /[_.$]/.test(name) || /[a-z][A-Z]/.test(name);
    if (args === '' ? name.length > 1 : codeLike) out.push({ name, at: m.index });
  }
  return out;
}

interface Known {
  tokens: Set<string>;
  language: PageLanguage;
}

function isGroundedChain(chain: string, known: Known): boolean {
  let parts = chain.split(/\?\.|\.|::|->/).filter((p) => p.length > 0);
  while (parts.length > 1 && RECEIVER_HEADS.has(parts[0])) parts = parts.slice(1);
  if (parts.length === 0) return true;
  if (parts.length === 1) {
    const p = parts[0];
    return p.length <= 1 || known.tokens.has(p) || isLanguageWord(known.language, p) || isLibraryModule(known.language, p);
  }
  if (isLibraryModule(known.language, parts[0]) || isLanguageWord(known.language, parts[0])) return true;
  // `f.write`, `p.read_text`: a one-letter head is an example variable, as a one-letter name is
  if (parts[0].length === 1 && parts.slice(1).every((p) => known.tokens.has(p) || isLanguageWord(known.language, p) || /^[a-z_]+$/.test(p))) return true;
  return parts.every((p) => known.tokens.has(p) || isLanguageWord(known.language, p));
}

function inlineCodeSpans(text: string): { content: string; start: number; end: number }[] {
  const out: { content: string; start: number; end: number }[] = [];
  for (const m of text.matchAll(/(`+)([\s\S]*?[^`])\1(?!`)/g)) out.push({ content: m[2], start: m.index, end: m.index + m[0].length });
  return out;
}

function findUngrounded(page: PageParts, known: Known): UngroundedIdentifier[] {
  const seen = new Set<string>();
  const out: UngroundedIdentifier[] = [];
  const report = (identifier: string, line: number): void => {
    if (seen.has(identifier)) return;
    seen.add(identifier);
    out.push({ identifier, line });
  };
  for (const { line, text } of page.prose) {
    const spans = inlineCodeSpans(text);
    const found: { name: string; at: number }[] = [];
    for (const span of spans) {
      for (const chain of chainsOfSpan(span.content, known.language)) found.push({ name: chain, at: span.start });
    }
    let outside = text;
    for (const s of [...spans].reverse()) outside = outside.slice(0, s.start) + ' '.repeat(s.end - s.start) + outside.slice(s.end);
    found.push(...callFormsInProse(outside));
    for (const f of found.sort((a, b) => a.at - b.at)) if (!isGroundedChain(f.name, known)) report(f.name, line);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Sentences and claims

interface Sentence {
  /** Text with inline code replaced by `\uE001n\uE002` placeholders and emphasis removed. */
  text: string;
  codes: string[];
  line: number;
}

/** Units of prose: bullet items, headings and paragraphs, each with its first page line. */
function proseUnits(prose: PageParts['prose']): { text: string; line: number }[] {
  const units: { text: string; line: number }[] = [];
  let cur: { text: string; line: number } | null = null;
  let prevLine = -1;
  for (const { line, text } of prose) {
    const t = text.trim();
    const startsUnit = /^([-*+]\s|\d+[.)]\s|#{1,6}\s|>\s?|\|)/.test(t);
    if (t.length === 0 || line !== prevLine + 1 || startsUnit || cur === null) {
      if (cur) units.push(cur);
      cur = t.length === 0 ? null : { text: t, line };
    } else cur.text += ` ${t}`;
    prevLine = line;
  }
  if (cur) units.push(cur);
  return units;
}

/** Split units into sentences; inline code becomes placeholders so its dots never split. */
function sentencesOf(prose: PageParts['prose']): Sentence[] {
  const out: Sentence[] = [];
  for (const unit of proseUnits(prose)) {
    const codes: string[] = [];
    let text = unit.text.replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, (_m, _b: string, content: string) => {
      const c = content.trim();
      // Keywords in backticks are words of the claim (`await`, `async def`), not mentions.
      if (CLAIM_KEYWORDS.has(c)) return c;
      codes.push(c);
      return `\uE001${codes.length - 1}\uE002`;
    });
    text = text
      .replace(/^([-*+]|\d+[.)]|#{1,6}|>)\s+/, '')
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\*{1,3}|(?<!\w)_{2}|_{2}(?!\w)/g, '')
      .replace(/\b(e\.g|i\.e|etc|vs|cf)\./gi, (m) => m.replace(/\./g, '\uE003'));
    for (const piece of text.split(/(?<=[.!?])\s+(?=[A-Z\uE001"'(\d])/)) {
      const s = piece.replace(/\uE003/g, '.').trim();
      if (s.length > 0) out.push({ text: s, codes, line: unit.line });
    }
  }
  return out;
}

/** The sentence as the page wrote it (code back in backticks), for the report. */
function claimText(s: Sentence): string {
  return s.text.replace(/\uE001(\d+)\uE002/g, (_m, n: string) => `\`${s.codes[Number(n)]}\``);
}

interface Mention {
  start: number;
  end: number;
  /** Identifier chain without call parentheses: `self._wait_for_ollama`. */
  chain: string;
}

function mentionsIn(clause: string, codes: string[], known: Set<string>): Mention[] {
  const out: Mention[] = [];
  for (const m of clause.matchAll(/\uE001(\d+)\uE002/g)) {
    const code = codes[Number(m[1])];
    const chain = /^(?:await\s+)?([A-Za-z_$][\w$]*(?:(?:\?\.|\.|::|->)[A-Za-z_$][\w$]*)*)/.exec(code.trim());
    if (chain) out.push({ start: m.index, end: m.index + m[0].length, chain: chain[1] });
  }
  // Bare identifiers in prose that look like code and name something in the code.
  for (const m of clause.matchAll(/(?<![\w$\uE001])([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(\(\))?/g)) {
    const name = m[1];
    if (!(/[_.$]/.test(name) || /[a-z][A-Z]/.test(name) || m[2])) continue;
    if (!known.has(lastSegment(name))) continue;
    if (out.some((o) => m.index >= o.start && m.index < o.end)) continue;
    out.push({ start: m.index, end: m.index + m[0].length, chain: name });
  }
  return out.sort((a, b) => a.start - b.start);
}

const NEGATOR = /(?:\b(?:not|no|never|non|nor|without|avoid|avoids|avoided|avoiding|prevent|prevents|prevented|preventing|instead\s+of|rather\s+than|free\s+of|neither|cannot|unlike)\b|n[’']t\b)[^.;]{0,30}$/i;

/** True when the words just before `at` negate the claim there ("does not block", "non-blocking"). */
function negatedAt(clause: string, at: number): boolean {
  const before = clause.slice(Math.max(0, at - 40), at);
  if (/non-?\s*$/i.test(before)) return true;
  const lastWords = before.split(/\s+/).slice(-4).join(' ');
  return NEGATOR.test(lastWords);
}

/** Clauses of a sentence: split at `;`, dashes and contrastive conjunctions. */
function clausesOf(sentence: string): { text: string }[] {
  const out: { text: string }[] = [];
  const re = /;|\s[—–]\s|\s-\s|,?\s+(?:but|whereas|although|though|however|yet)\s+|,\s+(?:while|unlike|so)\s+/gi;
  let last = 0;
  for (const m of sentence.matchAll(re)) {
    out.push({ text: sentence.slice(last, m.index) });
    last = m.index + (/unlike/i.test(m[0]) ? m[0].search(/unlike/i) : m[0].length);
  }
  out.push({ text: sentence.slice(last) });
  return out.filter((c) => c.text.trim().length > 0);
}

const COUNTERFACTUAL = /\b(?:if|unless|assuming|suppose|supposing|hypothetically|were\s+it|had\s+it)\b[\s\S]*\b(?:were|had\s+been|would)\b|\b(?:would|could)\s+have\b|\bassuming\b|\bhypothetical(?:ly)?\b/i;

/** A blocking / synchronous / not-awaited assertion; `attributive` forms can precede their subject. */
const BLOCK_CLAIM = /\b(?:blocking|synchronous(?:ly)?|sync|stalling|blocks?|blocked|stalls?|stalled|freez(?:e|es|ing))\b|\b(?:(?:is|are|was|were)\s+)?(?:not|never|n[’']t)\s+awaited\b|\bwithout\s+(?:being\s+)?await(?:ed|ing)?\b|\bmissing\s+(?:an?\s+)?await\b|\bforg[eo]t(?:ten)?\s+to\s+await\b/gi;
const NOUN_BLOCK = /\b(?:a|an|the|this|that|each|every|its|try|except|finally|with|code|if|else|catch|loop|single|same|whole|entire|outer|inner|nested|following|above|below|building)\s+blocks?\s*$/i;
/** Code spans naming a statement, so "the `try` block" is a noun, not a claim. */
const BLOCK_STATEMENTS = new Set(['try', 'except', 'finally', 'with', 'async with', 'if', 'else', 'elif', 'for', 'async for', 'while', 'catch', 'unsafe', 'match', 'switch', 'do', 'loop', 'select', 'defer']);
const ATTRIBUTIVE = /^(?:blocking|synchronous|sync|stalling)$/i;
const NOT_AWAITED = /awaited|await(?:ed|ing)?$/i;
/** Words allowed between an attributive keyword and its subject ("blocking calls to `x`"). */
const FILLER = new Set(['the', 'a', 'an', 'call', 'calls', 'to', 'of', 'function', 'functions', 'method', 'methods', 'operation', 'operations', 'i/o', 'io', 'request', 'requests', 'like', 'such', 'as', 'and', 'or', 'helper', 'handler', 'routine', 'coroutine', 'version', 'def', 'in', 'invocation', 'invocations']);
/** Words that end a subject's reach: another action or an explicit await between subject and claim. */
const BREAKERS = /\b(?:await|awaits|awaited|awaiting|asynchronous(?:ly)?|non-?blocking|calls|invokes|then|before|after|followed|whereas|while|using|via|with|instead|unlike|than|replace|replacing|returns)\b/i;
/** A mention right after these is an alternative or an awaited thing, not the subject of a claim. */
const PREPOSITION_BEFORE = /\b(?:unlike|than|instead\s+of|from|replace|replacing|awaits?|awaiting|await)\s*$/i;

function wordsOf(text: string): string[] {
  return text
    .replace(/\uE001\d+\uE002/g, ' ')
    .toLowerCase()
    .split(/[\s,]+/)
    .filter((w) => w.length > 0);
}

/** Mentions a claim at [at, end) is about: subjects before it, and for attributive forms the noun phrase after it. */
function subjectsOf(clause: string, mentions: Mention[], at: number, end: number, attributive: boolean): Mention[] {
  const out: Mention[] = [];
  for (const m of mentions) {
    if (m.end > at) break;
    const between = clause.slice(m.end, at);
    if (BREAKERS.test(between) || wordsOf(between).length > 10) continue;
    if (PREPOSITION_BEFORE.test(clause.slice(Math.max(0, m.start - 16), m.start))) continue;
    out.push(m);
  }
  if (attributive) {
    let prev = end;
    for (const m of mentions) {
      if (m.start < end) continue;
      const between = wordsOf(clause.slice(prev, m.start));
      if (!between.every((w) => FILLER.has(w.replace(/[.:]$/, '')))) break;
      out.push(m);
      prev = m.end;
    }
  }
  return out;
}

const ASYNC_CLAIM = /\b(?:async(?:hronous(?:ly)?)?|coroutine(?:\s+function)?|awaitable)\b/gi;
const SYNC_CLAIM = /\b(?:synchronous(?:ly)?|sync|(?:regular|plain|ordinary|normal)\s+(?:\(?non-async\)?\s+)?(?:function|method))\b/gi;
const LINK_WORDS = new Set(['is', 'are', 'was', 'be', 'been', 'being', 'an', 'a', 'the', 'as', 'declared', 'defined', 'implemented', 'written', 'marked', 'method', 'function', 'coroutine', 'routine', 'helper', 'handler', 'fully', 'entirely', 'purely', 'truly', 'also', 'itself', 'that', 'which', 'runs', 'executes', 'works', 'not', 'never', "isn't", 'isn’t', "aren't", 'and', 'still', 'actually', 'itself', 'remains', 'stays', 'plain', 'regular', 'simple', 'small', 'pure', 'ordinary', 'normal', 'short', 'straightforward', 'tiny', 'lightweight', 'public', 'private', 'internal', 'top-level', 'module-level']);
/** Explicit references to the page's own function ("It" is too ambiguous to attribute). */
const SELF_REFERENCE = /\b(?:this|the)\s+(?:function|method|coroutine|routine|handler|callback)\b/i;
/** "Blocking: no", "| sync | false |": a label answered in the negative. */
const NO_AFTER = /^\s*[:=|]?\s*(?:no|false|none|never|✗|❌)(?!\w)/i;
/** "waits/blocks until …" describes the awaiting coroutine, not the event loop. */
const UNTIL_AFTER = /^\s+(?:until|till|while|before|up\s+to|for\s+as\s+long)\b/i;

const NUMBER_WORDS: Record<string, number> = { no: 0, zero: 0, one: 1, single: 1, 'a single': 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };
const PARAM_COUNT = /\b(?:takes|accepts|receives|expects|requires|needs|has)\s+(?:exactly\s+|only\s+|just\s+|precisely\s+)?(no|zero|one|a single|single|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+((?:required|positional|mandatory|optional|keyword|named|input)\s+)?(?:parameters?|arguments?|args|params|inputs)\b/gi;
const PARAM_WORD = /^\s*(?:parameters?|arguments?|params?|args?|kwargs?)\b/i;
const PARAM_WORD_BEFORE = /\b(?:parameters?|arguments?|params?|args?)\s*$/i;
const PASSING = /\b(?:pass|passes|passed|passing|forward|forwards|forwarded|forwarding|given\s+to|supplies|supplied|provides|provided\s+to)\b/i;

function paramSummary(fn: FnInfo): string {
  const ps = fn.params ?? [];
  const names = ps.map((p) => `${p.variadic ? '*' : ''}${p.name}${p.optional ? '?' : ''}`);
  return `${fn.name}(${names.join(', ')})`;
}

/** Accepted parameter counts for a claim: between required and total, receiver counted or not. */
function countMatches(fn: FnInfo, claimed: number, qualifier: string): boolean | null {
  const ps = fn.params;
  if (!ps) return null;
  if (/optional|keyword|named/i.test(qualifier)) return null;
  const recv = ps.filter((p) => p.receiver).length;
  const plain = ps.filter((p) => !p.receiver && !p.variadic);
  const required = plain.filter((p) => !p.optional).length;
  const total = plain.length;
  const variadic = ps.some((p) => p.variadic);
  const ok = (n: number): boolean => (/required|mandatory|positional/i.test(qualifier) ? n === required : n >= required && (variadic || n <= total));
  return ok(claimed) || (recv > 0 && ok(claimed - recv));
}

interface ClaimContext {
  code: CodeModel;
  pageFn: FnInfo | null;
  offset: number;
  knownNames: Set<string>;
  /** Go has no async/await: "asynchronous" there means goroutines, so async claims are not checked. */
  hasAsync: boolean;
}

function fileLine(ctx: ClaimContext, line: number): number {
  return line + ctx.offset;
}

function linesText(lines: number[]): string {
  const uniq = [...new Set(lines)].sort((a, b) => a - b);
  return `line${uniq.length > 1 ? 's' : ''} ${uniq.join(', ')}`;
}

function callSitesOf(chain: string, code: CodeModel): CallInfo[] {
  const strip = (c: string): string => c.replace(/^(?:self|this|cls)(?:\.|->)/, '');
  const target = strip(chain);
  const exact = code.calls.filter((c) => strip(c.callee) === target);
  if (exact.length > 0 || /[.:>]/.test(target)) return exact;
  return code.calls.filter((c) => c.name === target);
}

function functionNamed(chain: string, code: CodeModel): FnInfo | null {
  const name = lastSegment(chain);
  const fns = code.functions.filter((f) => f.name === name);
  return fns.length > 0 ? fns.reduce((a, b) => (a.line <= b.line ? a : b)) : null;
}

/** Check one sentence; appends contradictions (at most one per identifier and kind over the page). */
function checkSentence(s: Sentence, ctx: ClaimContext, found: Map<string, Contradiction>): void {
  // One finding per identifier and kind of fact (a name can be both misnamed async and miscounted).
  const add = (identifier: string, fact: string): void => {
    const key = `${identifier} ${fact.split(' ')[0]}`;
    if (!found.has(key)) found.set(key, { identifier, claim: claimText(s), fact });
  };
  if (COUNTERFACTUAL.test(s.text)) return;
  for (const clause of clausesOf(s.text)) {
    const c = clause.text.replace(/^\s*[A-Z][\w ]{0,40}:\s+(?=\S)/, (m) => ' '.repeat(m.length)); // "Blocking Calls: …" labels
    const mentions = mentionsIn(c, s.codes, ctx.knownNames);

    // 1. A call the code awaits, described as blocking / synchronous / not awaited.
    for (const m of c.matchAll(BLOCK_CLAIM)) {
      const word = m[0];
      if (/^blocks?$/i.test(word)) {
        const head = c.slice(0, m.index + word.length);
        const span = /\uE001(\d+)\uE002\s+blocks?\s*$/.exec(head);
        if (NOUN_BLOCK.test(head) || (span && BLOCK_STATEMENTS.has(s.codes[Number(span[1])]))) continue;
      }
      const notAwaited = NOT_AWAITED.test(word);
      if (/^(?:blocks?|blocked|stalls?|stalled)$/i.test(word) && UNTIL_AFTER.test(c.slice(m.index + word.length))) continue;
      if (!notAwaited && (negatedAt(c, m.index) || NO_AFTER.test(c.slice(m.index + word.length)))) continue;
      const attributive = ATTRIBUTIVE.test(word) || /^without|^missing|^forg/i.test(word);
      for (const subject of subjectsOf(c, mentions, m.index, m.index + word.length, attributive)) {
        const sites = callSitesOf(subject.chain, ctx.code);
        if (sites.length > 0 && sites.every((x) => x.awaited)) add(subject.chain, `awaited at ${linesText(sites.map((x) => fileLine(ctx, x.line)))}`);
      }
    }

    // 2. A function of the code called async when it is not, or synchronous when it is async.
    const asyncClaims: { at: number; end: number; saysAsync: boolean; word: string }[] = [];
    for (const m of c.matchAll(ASYNC_CLAIM)) {
      const end = m.index + m[0].length;
      asyncClaims.push({ at: m.index, end, saysAsync: !negatedAt(c, m.index) && !NO_AFTER.test(c.slice(end)), word: m[0] });
    }
    for (const m of c.matchAll(SYNC_CLAIM)) {
      if (/^sync/i.test(m[0]) && /\b(?:call|calls|I\/O|io|operation|operations|read|write|request|requests|sleep|version|variant|equivalent|counterpart|alternative|api|apis|methods?|functions?)\b/i.test(c.slice(m.index + m[0].length, m.index + m[0].length + 24)) && !/^\s*(?:function|method)\b/i.test(c.slice(m.index + m[0].length))) {
        continue; // "synchronous call to `x`" is about the call (check 1), not a definition
      }
      const end = m.index + m[0].length;
      asyncClaims.push({ at: m.index, end, saysAsync: negatedAt(c, m.index) || NO_AFTER.test(c.slice(end)), word: m[0] });
    }
    for (const claim of ctx.hasAsync ? asyncClaims : []) {
      if (UNTIL_AFTER.test(c.slice(claim.end))) continue; // "runs synchronously until the first await"
      const subjects: FnInfo[] = [];
      for (const m of mentions) {
        const fn = functionNamed(m.chain, ctx.code);
        if (!fn) continue;
        if (m.end <= claim.at) {
          const between = wordsOf(c.slice(m.end, claim.at));
          if (between.length <= 6 && between.every((w) => LINK_WORDS.has(w) || w === "'s")) subjects.push(fn);
        } else if (m.start >= claim.end) {
          const between = wordsOf(c.slice(claim.end, m.start));
          if (between.every((w) => FILLER.has(w))) subjects.push(fn);
        }
      }
      if (subjects.length === 0 && ctx.pageFn) {
        const self = SELF_REFERENCE.exec(c);
        const between = self ? c.slice(self.index + self[0].length, claim.at) : '';
        if (self && self.index + self[0].length <= claim.at && !/\uE001/.test(between) && wordsOf(between).every((w) => LINK_WORDS.has(w))) subjects.push(ctx.pageFn);
      }
      for (const fn of subjects) {
        if (claim.saysAsync && !fn.isAsync) add(fn.name, `declared without async at line ${fileLine(ctx, fn.line)}`);
        if (!claim.saysAsync && fn.isAsync) add(fn.name, `declared async at line ${fileLine(ctx, fn.line)}`);
      }
    }

    // 3. Parameter count and parameter names against the signature.
    const subjectFn = (before: number): FnInfo | null => {
      const named = mentions.filter((m) => m.end <= before).map((m) => functionNamed(m.chain, ctx.code)).filter((f): f is FnInfo => f !== null);
      if (named.length > 0) return named[named.length - 1];
      const other = mentions.filter((m) => m.end <= before && callSitesOf(m.chain, ctx.code).length > 0);
      return other.length > 0 ? null : ctx.pageFn;
    };
    for (const m of c.matchAll(PARAM_COUNT)) {
      if (negatedAt(c, m.index)) continue;
      const fn = subjectFn(m.index);
      if (!fn) continue;
      const word = m[1].toLowerCase();
      const claimed = NUMBER_WORDS[word] ?? Number(word);
      const verdict = countMatches(fn, claimed, m[2] ?? '');
      if (verdict === false) {
        const n = (fn.params ?? []).filter((p) => !p.receiver).length;
        add(fn.name, `signature ${paramSummary(fn)} has ${n} parameter${n === 1 ? '' : 's'}${(fn.params ?? []).some((p) => p.receiver) ? ' besides the receiver' : ''}`);
      }
    }
    if (!PASSING.test(c)) {
      for (let i = 0; i < mentions.length; i++) {
        const m = mentions[i];
        if (/[.:>]/.test(m.chain)) continue;
        // `timeout` parameter / parameter `timeout` / `a` and `b` parameters
        let j = i;
        while (j + 1 < mentions.length && /^\s*(?:,|and|or|,\s*and)\s*$/.test(c.slice(mentions[j].end, mentions[j + 1].start))) j++;
        const after = c.slice(mentions[j].end);
        const isParam = PARAM_WORD.test(after) || PARAM_WORD_BEFORE.test(c.slice(0, m.start));
        if (!isParam) continue;
        if (/^\s*\w+\s+(?:of|to|for)\s+\uE001/.test(after)) continue; // "the `x` argument of `other()`"
        const fn = subjectFn(m.start) ?? ctx.pageFn;
        if (!fn?.params || functionNamed(m.chain, ctx.code) === fn) continue;
        const names = new Set(fn.params.flatMap((p) => [p.name, ...(p.name.match(IDENT) ?? [])]));
        for (const k of [i, ...(j > i ? Array.from({ length: j - i }, (_, n) => i + n + 1) : [])]) {
          const name = mentions[k].chain;
          if (!names.has(name)) add(name, `no parameter named ${name}; signature ${paramSummary(fn)}`);
        }
        i = j;
      }
    }
  }
}

function pageFunction(page: PageParts, code: CodeModel): FnInfo | null {
  if (!page.title) return null;
  const name = lastSegment(page.title.replace(/[`*]/g, '').trim());
  const fn = functionNamed(name, code);
  // A function page shows the function from its first line; a class or file page merely contains it.
  return fn && fn.line <= 3 ? fn : null;
}

/**
 * Check a page against its code.
 *
 * - `ungrounded`: identifiers the page presents as code (inline code spans, `name()` forms in
 *   prose; not fenced blocks, not the Source Code section, not the header) that exist neither in
 *   `source` nor in `context` (nor the page's own title/file name); first page line of each.
 * - `contradictions`: sentences the code refutes — a call the code awaits described as blocking,
 *   synchronous, stalling or not awaited; a function of the code called async when it is not, or
 *   synchronous when it is; a parameter count or parameter name that does not match the
 *   signature. Facts carry original file lines (source line + a - 1 with `**Lines:** a-b`).
 *
 * `source` is the code the page shows (its Source Code block or lines a-b of the file); its
 * indentation is normalised before parsing. Negations, counterfactuals and claims about calls
 * the code does not await are not flagged (see the module comment for the rules).
 * @throws Error when the language's grammar or extractor cannot be loaded.
 */
export async function checkGrounding(input: GroundingInput): Promise<GroundingResult> {
  const parsed = parsePageParts(input.markdown);
  const { references, locationLines } = referencesIn(parsed.prose);
  // Location bullets are checked as references, not as identifiers of the source or claims.
  const page: PageParts = { ...parsed, prose: parsed.prose.filter((p) => !locationLines.has(p.line)) };
  const code = await analyseCode(input.source, input.language, input.extract);
  const tokens = new Set(code.tokens);
  for (const c of input.context ?? []) for (const t of c.match(IDENT) ?? []) tokens.add(t);
  for (const t of `${page.title ?? ''} ${page.file ?? ''} ${page.repo ?? ''}`.match(IDENT) ?? []) tokens.add(t);
  const ungrounded = findUngrounded(page, { tokens, language: input.language });
  let checked = 0;
  if (input.resolveReference) {
    const seen = new Set<string>();
    for (const ref of references) {
      const id = ref.kind === 'commit' ? ref.hash : `${ref.name} at ${ref.file}:${ref.fileLine}`;
      if (seen.has(id)) continue;
      seen.add(id);
      checked++;
      const why = await input.resolveReference(ref);
      if (why !== null) ungrounded.push({ identifier: `${id} (${why})`, line: ref.line });
    }
  }

  const ctx: ClaimContext = {
    code,
    pageFn: pageFunction(page, code),
    offset: page.lines ? page.lines.start - 1 : 0,
    knownNames: new Set([...code.calls.map((c) => c.name), ...code.functions.map((f) => f.name)]),
    hasAsync: languageById(input.language)?.hasAsync ?? true,
  };
  const found = new Map<string, Contradiction>();
  for (const s of sentencesOf(page.prose)) checkSentence(s, ctx, found);
  const result: GroundingResult = { ungrounded, contradictions: [...found.values()] };
  if (references.length > 0) result.references = { found: references.length, checked };
  return result;
}

/**
 * The grounding verdict (SPEC section 8): grounded when there is no contradiction and at most
 * `threshold` ungrounded identifiers (`settings.llm.grounding_threshold`, default 3).
 */
export function groundingScore(result: GroundingResult, threshold = 3): { grounded: boolean; ungroundedCount: number; contradictionCount: number } {
  const ungroundedCount = result.ungrounded.length;
  const contradictionCount = result.contradictions.length;
  return { grounded: contradictionCount === 0 && ungroundedCount <= threshold, ungroundedCount, contradictionCount };
}

/**
 * Feedback for the one regeneration: what to correct, in plain sentences the model can act on.
 * Empty string when there is nothing to correct.
 */
export function formatFeedback(result: GroundingResult): string {
  if (result.ungrounded.length === 0 && result.contradictions.length === 0) return '';
  const out: string[] = ['Your previous answer had these problems. Write the page again and fix them; use only facts from the code and the facts block.'];
  for (const c of result.contradictions) out.push(`- You wrote: "${c.claim}" — but the code shows \`${c.identifier}\` ${c.fact}. Do not repeat this claim.`);
  if (result.ungrounded.length > 0) {
    out.push(`- These names do not exist in the code; do not present them as part of it: ${result.ungrounded.map((u) => `\`${u.identifier}\``).join(', ')}.`);
  }
  return out.join('\n');
}
