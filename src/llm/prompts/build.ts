/**
 * Prompt assembly (SPEC section 2, step 3): the type's own system prompt + grounding rules +
 * the untrusted-data rule + the language hint the type takes + the style, and the type's user
 * template filled with the target's data (code, facts, context: each fenced so nothing inside
 * can close it) before the task. `prompts.yaml` overrides any part.
 */
import { DOC_TYPES, type DocType, type PromptsConfig } from '../../config/schema.ts';
import { DOC_TYPE_INFO } from '../../core/doctypes.ts';
import { cutAtLine } from './context.ts';
import {
  BASE_SYSTEM_PROMPT,
  COMMIT_MESSAGE_SYSTEM,
  COMMIT_MESSAGE_TEMPLATE,
  DOC_TYPE_PROMPTS,
  GROUNDING_RULES,
  LANGUAGE_HINTS,
  PERFORMANCE_HINTS,
  SECURITY_HINTS,
  STYLE_TEXT,
  UNTRUSTED_DATA_RULE,
  type HintKind,
} from './doc-types.ts';
import { fenced, fencedSection } from './format.ts';

/** Source characters sent to the model at most (≈ 6k tokens); cut at a line boundary. */
export const MAX_PROMPT_SOURCE_CHARS = 24_000;

/**
 * What a user template can refer to. Placeholders (`{name}` form; the original's names kept):
 * `{code}` (the source in a fence longer than any backtick run in it; a template's
 * `{source}`, fenced or bare as the original wrote it, becomes `{code}`), `{name}`,
 * `{file_path}` (alias `{file}`), `{repo}`, `{language}`, `{complexity}`, `{line_count}`,
 * `{lines}`, `{facts}`, `{context}` (both fenced under their heading), `{label}`, `{doc_type}`.
 * Unknown `{x}` are left as written, so braces in a template need no escaping.
 */
export interface PromptVars {
  /** The code (or diff, listing, report) the page is about; cut to MAX_PROMPT_SOURCE_CHARS. */
  source: string;
  /** Display name: `Class.method`, a file stem, a module path, `Weekly Summary 2026-W48`. */
  name: string;
  /** Repo-relative POSIX path, `.` for repository-wide targets. */
  file: string;
  /** Repository name (from repos.yaml). */
  repo: string;
  /** Language id (`python`, `typescript`, …, `text`). */
  language: string;
  /** Cyclomatic complexity of the target (0 where meaningless). */
  complexity: number;
  /** Lines of the target's source. */
  lineCount: number;
  /** Line range `start-end` in the file, when the target has one. */
  lines?: string;
  /** The rendered facts block (`renderFactsBlock`), or ''. */
  facts: string;
  /** The rendered doc-type context (`renderTargetContext`), or ''. */
  context: string;
}

/** Prompt text for the model. */
export interface BuiltPrompt {
  system: string;
  prompt: string;
}

/**
 * Replace `{key}` placeholders in one pass (substituted values are never re-scanned, so code
 * containing `{name}` stays intact). Unknown keys are left as written.
 */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{([a-z_]+)\}/g, (whole, key: string) => (Object.hasOwn(values, key) ? values[key] : whole));
}

function formatComplexity(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/**
 * The language hint of a doc type for a language ('' if none): documentation types take the
 * original's hints (prompts.yaml `language_hints` over the defaults), security and performance
 * reviews their own, summaries and async reports none.
 */
export function languageHint(language: string, prompts: PromptsConfig, kind: HintKind = 'docs'): string {
  if (kind === 'security') return SECURITY_HINTS[language] ?? '';
  if (kind === 'performance') return PERFORMANCE_HINTS[language] ?? '';
  if (kind === null) return '';
  const hints = { ...LANGUAGE_HINTS, ...(prompts.language_hints ?? {}) };
  return hints[language] ?? '';
}

/** A template's source block as the original wrote it (```{language}\n{source}\n```), or a bare `{source}`. */
const SOURCE_BLOCK = /(`{3,}|~{3,})[^\n]*\n\{source\}\n\1|\{source\}/g;

/**
 * Build the system prompt and user prompt of one doc type.
 *
 * System: `doc_types.<type>.system_prompt` if set, else the type's own system prompt (for
 * `function_doc`, prompts.yaml `system_prompt` replaces the generic writer preamble, as in the
 * original); then always the grounding rules, the untrusted-data rule, the type's language hint
 * ("Language-specific guidance: …", as the original) and the `style` instruction.
 * User: `doc_types.<type>.user_template`, else for `function_doc` the original's
 * `documentation_template`, else the built-in template; filled with `vars`. A template
 * without `{facts}` / `{context}` gets them appended, so overrides written for the original
 * (which had no facts block) still carry the facts.
 *
 * @throws Error when `docType` is not one of DOC_TYPES (a programming error, not input)
 */
export function buildPrompt(docType: DocType, vars: PromptVars, prompts: PromptsConfig): BuiltPrompt {
  const builtIn = DOC_TYPE_PROMPTS[docType];
  if (!builtIn) throw new Error(`buildPrompt: unknown doc type "${docType}"; expected one of ${DOC_TYPES.join(', ')}`);
  const override = prompts.doc_types?.[docType] ?? {};

  const persona =
    override.system_prompt?.trim() ||
    (docType === 'function_doc' && prompts.system_prompt?.trim()
      ? builtIn.system.replace(BASE_SYSTEM_PROMPT, prompts.system_prompt.trim())
      : builtIn.system);
  const systemParts = [persona, GROUNDING_RULES, UNTRUSTED_DATA_RULE];
  const hint = languageHint(vars.language, prompts, builtIn.hints);
  if (hint) systemParts.push(`Language-specific guidance: ${hint}`);
  if (prompts.style) systemParts.push(STYLE_TEXT[prompts.style] ?? `Write in this style: ${prompts.style}.`);

  const template = (
    override.user_template ?? (docType === 'function_doc' && prompts.documentation_template ? prompts.documentation_template : builtIn.user)
  ).replace(SOURCE_BLOCK, '{code}');
  const source = cutAtLine(vars.source, MAX_PROMPT_SOURCE_CHARS);
  const facts = fencedSection(vars.facts);
  const context = fencedSection(vars.context);
  const values: Record<string, string> = {
    code: fenced(source, vars.language),
    name: vars.name,
    file_path: vars.file,
    file: vars.file,
    repo: vars.repo,
    language: vars.language,
    complexity: formatComplexity(vars.complexity),
    line_count: String(vars.lineCount),
    lines: vars.lines ?? '',
    facts,
    context,
    label: DOC_TYPE_INFO[docType].label,
    doc_type: docType,
  };
  let prompt = fillTemplate(template, values).trim();
  // Built-in templates place what they need; a summary's template has no facts on purpose.
  const own = template === builtIn.user.replace(SOURCE_BLOCK, '{code}');
  if (!own && context && !template.includes('{context}')) prompt += `\n\n${context}`;
  if (!own && facts && !template.includes('{facts}')) prompt += `\n\n${facts}`;
  // Empty {facts}/{context} leave blank runs behind.
  prompt = prompt.replace(/\n{3,}/g, '\n\n');
  return { system: systemParts.join('\n\n'), prompt };
}

/** Data for the commit-message prompt; `documentation` is cut to 500 characters (as the original). */
export interface CommitPromptVars {
  documentation: string;
  name: string;
  language: string;
  repo: string;
  docType: DocType;
}

/** The commit-message prompt: `commit_message_template` from prompts.yaml or the default. */
export function buildCommitPrompt(vars: CommitPromptVars, prompts: PromptsConfig): BuiltPrompt {
  const template = prompts.commit_message_template ?? COMMIT_MESSAGE_TEMPLATE;
  const prompt = fillTemplate(template, {
    documentation: fenced(vars.documentation.slice(0, 500), 'markdown'),
    name: vars.name,
    language: vars.language,
    repo: vars.repo,
    label: DOC_TYPE_INFO[vars.docType].label,
    doc_type: vars.docType,
  }).trim();
  return { system: COMMIT_MESSAGE_SYSTEM, prompt };
}
