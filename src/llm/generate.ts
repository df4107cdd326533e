/**
 * Generation of a page body (SPEC section 2, steps 3–4): build the doc type's prompt with the
 * facts block and context, ask the provider, clean the answer. The grounding retry sends the
 * checker's findings back as feedback.
 */
import type { DocType, PromptsConfig } from '../config/schema.ts';
import { DOC_TYPE_INFO } from '../core/doctypes.ts';
import type { Target } from '../targets/types.ts';
import { cleanGeneratedText } from './clean.ts';
import { renderFactsBlock } from './facts.ts';
import { fitFactLines } from './fit-facts.ts';
import { buildPrompt, type BuiltPrompt, type PromptVars } from './prompts/build.ts';
import { renderTargetContext } from './prompts/context.ts';
import { trimDecorator } from './prompts/format.ts';
import { LlmError, type Facts, type LlmProvider } from './types.ts';

/** What a page body is generated from. */
export interface GenerateBodyRequest {
  docType: DocType;
  target: Target;
  facts: Facts;
  prompts: PromptsConfig;
  /** Language for the hint; defaults to `target.language`. */
  language?: string;
  /**
   * Grounding findings from a first attempt (SPEC section 8); when set they are appended to
   * the prompt as corrections to honour. See `regenerateWithFeedback`.
   */
  feedback?: string;
}

export interface GeneratedBody {
  /** The cleaned Markdown body (never empty). */
  body: string;
  promptTokens: number | null;
  completionTokens: number | null;
  /** Wall time of the provider call in ms. */
  durationMs: number;
  /** Time the backend reports (Ollama `total_duration`) in ms, when known. */
  backendDurationMs: number | null;
  model: string;
  provider: LlmProvider['name'];
  /** What was sent (for `--dry-run --debug` and the grounding check's context). */
  prompt: BuiltPrompt;
}

/** Bodies shorter than this (after cleaning) are not a page. */
export const MIN_BODY_CHARS = 40;

/**
 * The facts as the prompt states them, each fact once: no signature line when the code is in
 * the prompt (the code shows it as written), decorators trimmed to name and short arguments.
 */
export function factsForPrompt(facts: Facts, source: string): Facts {
  const sourceShown = source.trim().length > 0;
  const decorators = Array.isArray(facts.extra.decorators) ? (facts.extra.decorators as unknown[]).filter((d): d is string => typeof d === 'string') : null;
  return {
    ...facts,
    signature: sourceShown ? null : facts.signature,
    extra: decorators ? { ...facts.extra, decorators: decorators.map(trimDecorator) } : facts.extra,
  };
}

/** The prompt variables of a target (exported for previews and tests). */
export function promptVarsFor(req: GenerateBodyRequest): PromptVars {
  const t = req.target;
  const lineCount = t.source ? t.source.split('\n').length : Math.max(0, t.endLine - t.startLine + 1);
  return {
    source: t.source,
    name: t.displayName,
    file: t.relPath,
    repo: t.repo.name,
    language: req.language ?? t.language,
    complexity: t.cyclomatic,
    lineCount,
    lines: t.startLine > 0 ? `${t.startLine}-${t.endLine}` : undefined,
    // a file page's "where it fits" facts belong to the facts block, before the task
    facts: [renderFactsBlock(factsForPrompt(req.facts, t.source)), ...(req.docType === 'file_doc' ? fitFactLines(req.facts) : [])].join('\n'),
    context: renderTargetContext(t.context),
  };
}

/** The feedback section appended to the user prompt of a regeneration. */
export function feedbackSection(feedback: string): string {
  return [
    '## Corrections to your previous answer',
    '',
    'A check of your previous answer against the code found the problems below. Write the documentation again without them: do not name identifiers that are not in the code, the facts or the context, and do not contradict the facts.',
    '',
    feedback.trim(),
  ].join('\n');
}

/**
 * Generate and clean the body of one page.
 * @param signal aborts the provider call (SIGTERM); the error is LlmError kind `aborted`
 * @throws LlmError from the provider; kind `bad_response` when the cleaned answer is empty or
 *   shorter than MIN_BODY_CHARS (naming the provider and model)
 */
export async function generateBody(provider: LlmProvider, req: GenerateBodyRequest, signal?: AbortSignal): Promise<GeneratedBody> {
  const built = buildPrompt(req.docType, promptVarsFor(req), req.prompts);
  const prompt: BuiltPrompt = req.feedback?.trim() ? { system: built.system, prompt: `${built.prompt}\n\n${feedbackSection(req.feedback)}` } : built;
  const res = await provider.generate({
    system: prompt.system,
    prompt: prompt.prompt,
    signal,
    context: { docType: req.docType, target: req.target, facts: req.facts },
  });
  const body = cleanGeneratedText(res.text, { title: req.target.displayName, label: DOC_TYPE_INFO[req.docType].label });
  if (body.length < MIN_BODY_CHARS) {
    const where = provider.name === 'static' ? 'static' : `${provider.name} model ${res.model}`;
    throw new LlmError(
      'bad_response',
      `the ${where} returned ${body.length === 0 ? 'no usable text' : `only ${body.length} characters`} for ${req.docType} of ${req.target.displayName}`,
      provider.name,
    );
  }
  return {
    body,
    promptTokens: res.promptTokens,
    completionTokens: res.completionTokens,
    durationMs: res.durationMs,
    backendDurationMs: res.backendDurationMs ?? null,
    model: res.model,
    provider: provider.name,
    prompt,
  };
}

/**
 * Generate again with the grounding findings as feedback (one retry, SPEC section 8). The
 * caller keeps whichever of the two bodies checks better.
 * @throws as generateBody
 */
export function regenerateWithFeedback(
  provider: LlmProvider,
  req: GenerateBodyRequest,
  feedback: string,
  signal?: AbortSignal,
): Promise<GeneratedBody> {
  return generateBody(provider, { ...req, feedback }, signal);
}
