/**
 * Prompts for every doc type: the data table (`doc-types.ts`), context rendering
 * (`context.ts`) and assembly with `prompts.yaml` overrides (`build.ts`).
 */
export { buildPrompt, buildCommitPrompt, fillTemplate, languageHint, MAX_PROMPT_SOURCE_CHARS } from './build.ts';
export type { PromptVars, BuiltPrompt, CommitPromptVars } from './build.ts';
export { renderTargetContext, renderValue, cutAtLine } from './context.ts';
export { DOC_TYPE_PROMPTS, BASE_SYSTEM_PROMPT, GROUNDING_RULES, LANGUAGE_HINTS, STYLE_TEXT, COMMIT_MESSAGE_TEMPLATE } from './doc-types.ts';
export type { DocTypePrompt } from './doc-types.ts';
