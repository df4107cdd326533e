/**
 * Configuration schema: every key of the Python CodeWorm with its default (SPEC section 5),
 * plus CodeWorm's additions (`llm`, `webhook`, `dashboard.token`, `schedule.mode`).
 * Shapes are declared once here and imported everywhere else.
 */
import { z } from 'zod';

/** The twelve documentation types (SPEC section 4). */
export const DOC_TYPES = [
  'function_doc',
  'class_doc',
  'file_doc',
  'module_doc',
  'security_review',
  'performance_analysis',
  'til',
  'code_evolution',
  'pattern_analysis',
  'weekly_summary',
  'monthly_summary',
  'async_analysis',
] as const;
export type DocType = (typeof DOC_TYPES)[number];

/** Default doc-type weights, from SPEC section 4 (the original's, plus async_analysis). */
export const DEFAULT_TYPE_WEIGHTS: Record<DocType, number> = {
  function_doc: 35,
  class_doc: 12,
  file_doc: 12,
  module_doc: 3,
  security_review: 10,
  performance_analysis: 8,
  til: 10,
  code_evolution: 5,
  pattern_analysis: 3,
  weekly_summary: 1,
  monthly_summary: 1,
  async_analysis: 2,
};

const hour = z.number().int().min(0).max(23);

export const DevlogSchema = z
  .object({
    repo_path: z.string().default('devlog'),
    remote: z.string().default(''),
    branch: z.string().default('main'),
    author_name: z.string().optional(),
    author_email: z.string().optional(),
  })
  .strict();

export const OllamaSchema = z
  .object({
    host: z.string().default('localhost'),
    port: z.number().int().min(1).max(65535).default(11434),
    model: z.string().default('qwen2.5:7b'),
    temperature: z.number().min(0).max(2).default(0.3),
    num_ctx: z.number().int().positive().default(16384),
    num_predict: z.number().int().positive().default(4096),
    keep_alive: z.union([z.number(), z.string()]).default(-1),
    /** Seconds one generate request may take before it is abandoned and retried. */
    timeout_seconds: z.number().positive().default(300),
  })
  .strict();

/** One LLM host of `llm.hosts` (issue 16): an Ollama server or an OpenAI-compatible endpoint. */
export const LlmHostSchema = z
  .object({
    /** Ollama: `http://gpu1:11434`; OpenAI-compatible: the base URL with `/v1`. */
    url: z.string().url(),
    /** Protocol of this host (default: `llm.provider` when it is `openai`, else `ollama`). */
    provider: z.enum(['ollama', 'openai']).optional(),
    /** Model on this host (default: `ollama.model` for Ollama; `llm.model`, else `ollama.model`, for OpenAI). */
    model: z.string().optional(),
    /** Generations this host runs at once. */
    concurrency: z.number().int().min(1).max(64).default(1),
  })
  .strict();

export const LlmSchema = z
  .object({
    provider: z.enum(['ollama', 'openai', 'static']).default('ollama'),
    /** OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1 */
    base_url: z.string().default('http://127.0.0.1:8080/v1'),
    model: z.string().default(''),
    /** Name of the environment variable holding the API key (never the key itself). */
    api_key_env: z.string().default('OPENAI_API_KEY'),
    timeout_seconds: z.number().positive().default(300),
    /** Ungrounded identifiers above this count trigger one regeneration (SPEC section 8). */
    grounding_threshold: z.number().int().min(0).default(3),
    /** Several LLM hosts generating in parallel (`backfill`); empty: the single provider above. */
    hosts: z.array(LlmHostSchema).default([]),
  })
  .strict();

export const ScheduleSchema = z
  .object({
    enabled: z.boolean().default(true),
    mode: z.enum(['human', 'continuous']).default('human'),
    interval_seconds: z.number().min(0).default(0),
    min_commits_per_day: z.number().int().min(0).default(12),
    max_commits_per_day: z.number().int().min(0).default(18),
    timezone: z.string().default('America/Los_Angeles'),
    prefer_hours: z.array(hour).default([]),
    avoid_hours: z.array(hour).default([]),
    weekend_reduction: z.number().min(0).max(1).default(0.7),
    min_gap_minutes: z.number().min(0).default(30),
    seed: z.union([z.number(), z.string()]).optional(),
  })
  .strict()
  .refine((s) => s.min_commits_per_day <= s.max_commits_per_day, {
    message: 'min_commits_per_day must not exceed max_commits_per_day',
    path: ['min_commits_per_day'],
  });

export const AnalyzerSchema = z
  .object({
    min_complexity: z.number().min(0).default(3),
    min_lines: z.number().int().min(1).default(15),
    max_lines: z.number().int().min(1).default(150),
    include_patterns: z.array(z.string()).default([]),
    exclude_patterns: z.array(z.string()).default([]),
    max_file_bytes: z.number().int().positive().default(1024 * 1024),
    /** Size cap of the index cache file in MB; the least recently indexed repositories are evicted past it. */
    cache_max_mb: z.number().int().min(1).default(256),
    /**
     * Parse worker threads. Unset: one for the daemon (`run`, which lives for weeks: each worker
     * holds ~50–100 MB of parser memory while it works) and min(cores, 4) for one-shot commands.
     */
    parse_workers: z.number().int().min(1).max(16).optional(),
  })
  .strict();

const typeWeights = z.record(z.string(), z.number().min(0)).superRefine((rec, ctx) => {
  for (const key of Object.keys(rec)) {
    if (!(DOC_TYPES as readonly string[]).includes(key)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [key],
        message: `unknown doc type "${key}"; expected one of ${DOC_TYPES.join(', ')}`,
      });
    }
  }
});

export const DocumentationSchema = z
  .object({
    redocument_after_days: z.number().min(0).default(90),
    type_weights: typeWeights.default({}),
  })
  .strict();

/** Shortest `dashboard.token` accepted for a dashboard bound beyond loopback (characters). */
export const MIN_DASHBOARD_TOKEN_CHARS = 32;

/** `name`, `name:port`, `1.2.3.4[:port]` or `[v6][:port]`, without scheme or path. */
const hostEntry = z
  .string()
  .regex(
    /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/,
    'expected a host name, optionally with :port (no scheme, no path), e.g. "codeworm.example.org" or "10.0.0.5:8420"',
  );

export const DashboardSchema = z
  .object({
    enabled: z.boolean().default(false),
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8420),
    /** The original's Redis event bus; accepted for compatibility, events go through SQLite here. */
    redis: z.unknown().optional(),
    /**
     * Bearer token / sign-in secret. Required, at least `MIN_DASHBOARD_TOKEN_CHARS` long, to
     * bind beyond loopback (`codeworm init --dashboard-token` writes a random one).
     */
    token: z.string().default(''),
    /**
     * Host names (optionally `name:port`) the dashboard answers besides loopback names and
     * the address it is bound to: the public names a proxy or a browser uses. A request with
     * any other `Host` is refused (DNS rebinding).
     */
    allowed_hosts: z.array(hostEntry).default([]),
    /**
     * Behind a reverse proxy: take the client address from `X-Forwarded-For` (rightmost
     * entry) and the scheme from `X-Forwarded-Proto`, so sign-in throttling sees real clients
     * and the session cookie is `Secure` behind TLS. Off: both headers are ignored.
     */
    trust_proxy: z.boolean().default(false),
    /** Concurrent live-event streams (SSE) served; more get 503. */
    max_event_streams: z.number().int().min(1).max(100_000).default(64),
    /** Failed sign-ins (form or bearer) from one client before it is locked out. */
    login_max_failures: z.number().int().min(1).max(1000).default(5),
    /** How long a locked-out client waits, in seconds; failures are also counted over this window. */
    login_lockout_seconds: z.number().int().min(1).max(7 * 24 * 3600).default(900),
  })
  .strict();

export const TelegramSchema = z
  .object({
    enabled: z.boolean().default(false),
    bot_token: z.string().default(''),
    chat_id: z.union([z.string(), z.number()]).default(''),
    alert_after_failures: z.number().int().min(1).default(5),
    alert_on_push_failure: z.boolean().default(true),
    alert_on_git_wedge: z.boolean().default(true),
    api_base_url: z.string().default('https://api.telegram.org'),
  })
  .strict();

export const WebhookSchema = z
  .object({
    enabled: z.boolean().default(false),
    url: z.string().default(''),
  })
  .strict();

/** Where the state lives (issue 16): empty is the embedded SQLite file in `data_dir`. */
export const StorageSchema = z
  .object({
    /**
     * `postgres://user@host:port/db` selects PostgreSQL for fleet mode (`run --role coordinator`,
     * `worker`): the queue, the workers' results and the fleet-wide dedup live there. A password
     * is best kept in PGPASSWORD. Empty: SQLite only (one machine).
     */
    url: z
      .string()
      .default('')
      .refine((u) => u === '' || /^postgres(ql)?:\/\//.test(u), 'expected a postgres:// URL or nothing'),
  })
  .strict();

/** Fleet mode's queue (issue 16, item 4; pg-boss on the PostgreSQL of `storage.url`). */
export const FleetSchema = z
  .object({
    /**
     * Seconds a worker may hold a generation job; past it, the job is taken back and retried on
     * another worker (pg-boss expiration: the visibility timeout). Longer than the slowest page.
     */
    visibility_timeout_seconds: z.number().int().min(1).max(86_400).default(900),
    /** How often an expired job is looked for (pg-boss maintenance), seconds. */
    maintenance_interval_seconds: z.number().int().min(1).max(3600).default(30),
    /** Tries of one job after the first (host down, worker killed, page failed). */
    retry_limit: z.number().int().min(0).max(100).default(3),
    /** Seconds before a failed job is tried again. */
    retry_delay_seconds: z.number().int().min(0).max(3600).default(5),
    /** Jobs the coordinator keeps waiting ahead of the workers. */
    queue_ahead: z.number().int().min(1).max(10_000).default(16),
    /** How often workers look for a job and the publisher for a result when idle, seconds. */
    poll_seconds: z.number().min(0.5).max(60).default(1),
  })
  .strict();

export const ConfigSchema = z
  .object({
    debug: z.boolean().default(false),
    data_dir: z.string().default('data'),
    devlog: DevlogSchema.default({}),
    ollama: OllamaSchema.default({}),
    llm: LlmSchema.default({}),
    schedule: ScheduleSchema.default({}),
    analyzer: AnalyzerSchema.default({}),
    documentation: DocumentationSchema.default({}),
    dashboard: DashboardSchema.default({}),
    telegram: TelegramSchema.default({}),
    webhook: WebhookSchema.default({}),
    storage: StorageSchema.default({}),
    fleet: FleetSchema.default({}),
  })
  .strict();

export const RepoSchema = z
  .object({
    name: z.string().min(1),
    path: z.string().min(1),
    weight: z.number().int().min(1).max(10).default(5),
    enabled: z.boolean().default(true),
  })
  .strict();

export const ReposFileSchema = z
  .object({ repositories: z.array(RepoSchema).default([]) })
  .strict();

export const PromptsFileSchema = z
  .object({
    style: z.string().optional(),
    system_prompt: z.string().optional(),
    documentation_template: z.string().optional(),
    commit_message_template: z.string().optional(),
    language_hints: z.record(z.string(), z.string()).default({}),
    /** Per-doc-type overrides: { security_review: { system_prompt, user_template } }. */
    doc_types: z
      .record(
        z.string(),
        z.object({ system_prompt: z.string().optional(), user_template: z.string().optional() }).strict(),
      )
      .default({}),
  })
  .passthrough();

export type ConfigFile = z.infer<typeof ConfigSchema>;
export type RepoConfig = z.infer<typeof RepoSchema>;
export type PromptsConfig = z.infer<typeof PromptsFileSchema>;

/** The whole loaded configuration: config.yaml + repos.yaml + prompts.yaml, resolved. */
export interface Settings extends ConfigFile {
  /** Directory the configuration was loaded from (absolute). */
  configDir: string;
  repositories: RepoConfig[];
  prompts: PromptsConfig;
  /** type_weights merged over DEFAULT_TYPE_WEIGHTS. */
  typeWeights: Record<DocType, number>;
}
