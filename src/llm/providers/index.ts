/**
 * Choosing the LLM provider (SPEC section 7): `llm.provider` in config.yaml, or the
 * `--provider` override of `run-once`.
 */
import type { Settings } from '../../config/schema.ts';
import type { LlmProvider } from '../types.ts';
import { OllamaProvider } from './ollama.ts';
import { OpenAiProvider } from './openai.ts';
import { StaticProvider } from './static.ts';
import type { ProviderLogger, RetryTuning } from './shared.ts';

export type ProviderName = 'ollama' | 'openai' | 'static';
export const PROVIDER_NAMES: readonly ProviderName[] = ['ollama', 'openai', 'static'];

export interface ProviderTuning {
  /** Retry timing (tests use small delays); defaults: 3 attempts, 2 s then 5 s, 5 s OOM wait. */
  retry?: Partial<RetryTuning>;
  logger?: ProviderLogger;
  /** Environment for the OpenAI API key lookup (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

/**
 * The provider named by `override` or `settings.llm.provider`.
 * Ollama: `ollama.host`/`port`/`model`/`temperature`/`num_ctx`/`num_predict`/`keep_alive`/
 * `timeout_seconds`. OpenAI-compatible: `llm.base_url`, `llm.model` (else `ollama.model`),
 * key from the env var `llm.api_key_env`, `llm.timeout_seconds`. Static: nothing.
 * @throws Error naming the accepted values when `override` is not a provider name
 */
export function createProvider(settings: Settings, override?: ProviderName, tuning: ProviderTuning = {}): LlmProvider {
  const name = override ?? settings.llm.provider;
  switch (name) {
    case 'ollama':
      return OllamaProvider.fromSettings(settings, tuning);
    case 'openai':
      return OpenAiProvider.fromSettings(settings, tuning);
    case 'static':
      return new StaticProvider();
    default:
      throw new Error(`unknown LLM provider "${String(name)}"; expected one of ${PROVIDER_NAMES.join(', ')}`);
  }
}

export { OllamaProvider, ollamaBaseUrl, OOM_NUM_CTX } from './ollama.ts';
export { OpenAiProvider } from './openai.ts';
export { StaticProvider, renderStaticBody, STATIC_NOTICE, STATIC_FOOTER, riskyCalls, complexityRank } from './static.ts';
export type { RetryTuning, ProviderLogger } from './shared.ts';
