/**
 * The provider interface every LLM backend implements (SPEC section 7), and its wire-neutral
 * request and result shapes.
 */

export interface GenerateRequest {
  system: string;
  prompt: string;
  /** Overrides of the provider's default options for this call. */
  temperature?: number;
  maxTokens?: number;
  signal?: AbortSignal;
  /**
   * What the request is about. The `static` provider writes its page from this (it has no
   * model); the HTTP providers ignore it.
   */
  context?: GenerateContext;
}

/** The target and its facts, for providers that write from data rather than from the prompt. */
export interface GenerateContext {
  docType: import('../config/schema.ts').DocType;
  target: import('../targets/types.ts').Target;
  facts: Facts;
}

export interface GenerateResult {
  text: string;
  /** Tokens in the prompt and in the answer, when the backend reports them. */
  promptTokens: number | null;
  completionTokens: number | null;
  /** Wall time of the call in ms. */
  durationMs: number;
  model: string;
  /** Time the backend reports for the call in ms (Ollama `total_duration`), when it does. */
  backendDurationMs?: number | null;
}

export interface HealthStatus {
  ok: boolean;
  /** The URL that was tried (or `static`). */
  url: string;
  detail: string;
  /** Whether the configured model is present (null when unknown). */
  modelPresent: boolean | null;
}

/** An LLM backend: `ollama`, `openai` or `static`. */
export interface LlmProvider {
  readonly name: 'ollama' | 'openai' | 'static';
  readonly model: string;
  /** Reachability and model presence; never throws. */
  health(): Promise<HealthStatus>;
  /** Load the model into memory ahead of the first request (no-op where meaningless). */
  prewarm(signal?: AbortSignal): Promise<void>;
  /**
   * Generate text. Retries transient failures itself.
   * @throws LlmError with `kind` saying what went wrong.
   */
  generate(req: GenerateRequest): Promise<GenerateResult>;
}

export type LlmErrorKind = 'unreachable' | 'timeout' | 'model_missing' | 'out_of_memory' | 'bad_response' | 'http' | 'aborted';

/** A failure of the LLM a user can act on; `message` names the URL or the fix. */
export class LlmError extends Error {
  constructor(
    readonly kind: LlmErrorKind,
    message: string,
    readonly url: string,
  ) {
    super(message);
    this.name = 'LlmError';
  }
}

/**
 * Facts computed from the code (SPEC section 8): what every prompt carries and what the
 * `static` provider writes its pages from. Nothing here is guessed.
 */
export interface Facts {
  /** `async def name(a, b) -> T` / `function name(a, b)`; null for non-function targets. */
  signature: string | null;
  params: string[];
  isAsync: boolean | null;
  /** Calls in the body with whether each is awaited. */
  calls: { callee: string; line: number; awaited: boolean }[];
  /** Blocking operations reached from this code (from the blocking-in-async analysis). */
  blocking: {
    /** Repo-relative file of the blocking line (an indirect finding lies in another function, often another file). */
    file?: string;
    line: number;
    call: string;
    category: string;
    kind: 'direct' | 'indirect';
    chain: string[];
    /** Files of the chain's functions, parallel to `chain` (repo-relative), when known. */
    chainFiles?: string[];
    recommendation: string;
  }[];
  complexity: { cyclomatic: number; nloc: number; maxNesting: number; params: number; tokens: number } | null;
  /**
   * Functions in the same repository that call this one. `inferred`: the receiver's type is not
   * declared; the call was bound by the receiver's name or by a method name only one class
   * defines (src/llm/receiver-inference.ts).
   */
  callers: { displayName: string; file: string; line: number; inferred?: true }[];
  docstring: string | null;
  /** Last commits touching the file, newest first. */
  recentCommits: { hash: string; date: string; author: string; subject: string }[];
  churn: { commits30d: number; commits90d: number; lastModified: string | null } | null;
  /**
   * Security sinks in this function (issue 12; rules of `src/analysis/security/`, for Python
   * bandit's checks): line, rule, why it matters, the fix. Absent for non-function targets.
   */
  security?: import('../analysis/findings.ts').CodeFinding[];
  /**
   * Performance findings in this function (issue 12; `src/analysis/performance.ts`): awaits in
   * loops over independent items, nested loops over the same data, I/O / queries / regex
   * compilation / list membership / string building inside loops. Blocking calls reached are in
   * `blocking`. Absent for non-function targets.
   */
  performance?: import('../analysis/findings.ts').CodeFinding[];
  /** Doc-type specific facts (module listing, diff stats, summary counts, findings). */
  extra: Record<string, unknown>;
}
