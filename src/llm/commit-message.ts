/**
 * The DevLog commit message (SPEC section 2, step 5): one line, at most 72 characters,
 * starting with an imperative verb, naming the target. The LLM is asked first; an answer that
 * breaks a rule gives way to a template, and the static provider always uses the template.
 */
import type { DocType, PromptsConfig } from '../config/schema.ts';
import { buildCommitPrompt } from './prompts/build.ts';
import { LlmError, type LlmProvider } from './types.ts';
import { LANGUAGES } from '../languages/registry.ts';

/** Git's conventional subject-line limit. */
export const MAX_COMMIT_CHARS = 72;

/** Verbs a message may start with (imperative mood, as git's own messages). */
export const COMMIT_VERBS = [
  'Add', 'Analyze', 'Analyse', 'Audit', 'Capture', 'Cover', 'Describe', 'Detail', 'Document', 'Examine',
  'Explain', 'Explore', 'Inspect', 'Map', 'Note', 'Outline', 'Profile', 'Record', 'Review', 'Summarize',
  'Summarise', 'Trace', 'Track', 'Update', 'Write',
] as const;

/** The template's verb per doc type. */
const TEMPLATE_VERB: Record<DocType, string> = {
  function_doc: 'Document',
  class_doc: 'Document',
  file_doc: 'Describe',
  module_doc: 'Describe',
  security_review: 'Review',
  performance_analysis: 'Analyze',
  til: 'Note',
  code_evolution: 'Explain',
  pattern_analysis: 'Analyze',
  weekly_summary: 'Summarize',
  monthly_summary: 'Summarize',
  async_analysis: 'Analyze',
};

export interface CommitMessageInput {
  docType: DocType;
  /** The page's display name: `Class.method`, `daemon.py @ abc1234`, `Weekly Summary 2026-W48`. */
  displayName: string;
  /** Repository name. */
  repo: string;
  /** The page body (first 500 characters go into the prompt). */
  documentation?: string;
  language?: string;
  /** `commit_message_template` from prompts.yaml, if any. */
  prompts?: PromptsConfig;
}

/** File extensions without the dot (`daemon.py` is a file name, not a target's own name). */
const FILE_EXTENSIONS = new Set([...LANGUAGES.flatMap((l) => l.extensions.map((e) => e.slice(1))), 'md']);

/**
 * Strings that count as naming the target: the display name, its first word, the last
 * segment of a dotted/`::` name (`_async_run` of `Daemon._async_run`), and a final word with a
 * digit (`2026-W48` of a summary).
 */
export function targetNames(displayName: string): string[] {
  const names = new Set<string>([displayName.trim()]);
  const words = displayName.trim().split(/\s+/);
  const first = words[0] ?? '';
  if (first.length >= 3) names.add(first);
  const seg = first.split(/::|\.|\//).filter(Boolean).at(-1) ?? '';
  if (seg.length >= 3 && !FILE_EXTENSIONS.has(seg)) names.add(seg);
  const last = words.at(-1) ?? '';
  if (words.length > 1 && /\d/.test(last)) names.add(last);
  return [...names].filter((n) => n.length > 0);
}

/**
 * Why a candidate message is unusable, or null when it is fine.
 * Rules: one line, 1–72 characters, first word in COMMIT_VERBS, names the target (targetNames).
 */
export function commitMessageProblem(message: string, displayName: string): string | null {
  if (message.includes('\n')) return 'more than one line';
  if (message.trim().length === 0) return 'empty';
  if (message.length > MAX_COMMIT_CHARS) return `${message.length} characters (limit ${MAX_COMMIT_CHARS})`;
  const verb = message.split(/\s+/)[0];
  if (!(COMMIT_VERBS as readonly string[]).includes(verb)) return `does not start with an imperative verb ("${verb}")`;
  const lower = message.toLowerCase();
  if (!targetNames(displayName).some((n) => lower.includes(n.toLowerCase()))) return `does not name ${displayName}`;
  return null;
}

/** The first usable line of a model's answer: fences, "Commit message:" labels and quotes removed. */
export function extractCommitLine(answer: string): string {
  const lines = answer
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^(`{3,}|~{3,})\w*$/.test(l));
  let line = lines[0] ?? '';
  line = line.replace(/^(?:\*\*)?(?:git\s+)?commit(?:\s+message)?\s*:(?:\*\*)?\s*/i, '');
  line = line.replace(/^git commit -m\s+/i, '').replace(/\.$/, '');
  for (let i = 0; i < 2; i++) {
    const m = /^(["'`“])(.*)(["'`”])$/.exec(line);
    if (m) line = m[2].trim();
  }
  return line.replace(/\s+/g, ' ').replace(/\.$/, '').trim();
}

/** Cut to `max` characters at a word boundary (never mid-word when a space allows). */
function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max + 1).lastIndexOf(' ');
  return cut > 0 ? text.slice(0, cut).replace(/[\s,;:(-]+$/, '') : text.slice(0, max);
}

/**
 * The template message: `Document Class.method in repo (function_doc)`, shortened to 72
 * characters by dropping the doc type, then the repository, then using the name's last
 * segment, and only then cutting at a word boundary.
 */
export function templateCommitMessage(input: Pick<CommitMessageInput, 'docType' | 'displayName' | 'repo'>): string {
  const verb = TEMPLATE_VERB[input.docType];
  const name = input.displayName.replace(/\s+/g, ' ').trim();
  const candidates = [`${verb} ${name} in ${input.repo} (${input.docType})`, `${verb} ${name} in ${input.repo}`, `${verb} ${name}`];
  const short = targetNames(name).filter((n) => n !== name).sort((a, b) => a.length - b.length)[0];
  if (short) candidates.push(`${verb} ${short} in ${input.repo}`, `${verb} ${short}`);
  for (const c of candidates) if (c.length <= MAX_COMMIT_CHARS) return c;
  return cutAtWord(candidates[candidates.length - 1], MAX_COMMIT_CHARS);
}

/**
 * Ask the provider for a commit message and validate it; otherwise the template.
 * Static provider: the template, no call. A provider failure other than an abort also gives
 * the template (the page is already written; a message is not worth failing the cycle for).
 * @returns one line of at most 72 characters
 * @throws LlmError kind `aborted` when `signal` fires
 */
export async function makeCommitMessage(provider: LlmProvider, input: CommitMessageInput, signal?: AbortSignal): Promise<string> {
  const fallback = templateCommitMessage(input);
  if (provider.name === 'static') return fallback;
  const { system, prompt } = buildCommitPrompt(
    {
      documentation: input.documentation ?? '',
      name: input.displayName,
      language: input.language ?? '',
      repo: input.repo,
      docType: input.docType,
    },
    input.prompts ?? { language_hints: {}, doc_types: {} },
  );
  let answer: string;
  try {
    answer = (await provider.generate({ system, prompt, maxTokens: 60, signal })).text;
  } catch (err) {
    if (err instanceof LlmError && err.kind === 'aborted') throw err;
    if (signal?.aborted) throw new LlmError('aborted', 'commit message generation was aborted', provider.name);
    return fallback;
  }
  const line = extractCommitLine(answer);
  return commitMessageProblem(line, input.displayName) === null ? line : fallback;
}
