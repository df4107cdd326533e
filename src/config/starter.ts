/**
 * The starter configuration `codeworm init` writes: every key of SPEC section 5 with its
 * default and a comment saying what it does, so a new user edits rather than looks up.
 */

/**
 * The starter `config.yaml` text. `dashboardToken` (default "") is written as
 * `dashboard.token`; `codeworm init --dashboard-token` passes a random one.
 */
export function starterConfigYaml(devlogPath: string, dashboardToken = ''): string {
  return `# CodeWorm configuration. Every key is optional; shown values are the defaults.
# Environment variables override any key: CODEWORM_<SECTION>__<KEY>, e.g.
#   CODEWORM_OLLAMA__MODEL=qwen2.5:14b   CODEWORM_LLM__PROVIDER=static
# Paths may use ~ and $VARS; relative paths are relative to this directory.

debug: false
data_dir: data                 # state database: data_dir/codeworm.db

devlog:
  repo_path: ${JSON.stringify(devlogPath)}  # the git repository pages are committed to
  remote: ""                   # e.g. git@github.com:you/devlog.git ("" = no push)
  branch: main
  # author_name: CodeWorm      # commit author; default: git config
  # author_email: codeworm@example.com

llm:
  provider: ollama             # ollama | openai | static (static: no model, pages from static analysis)
  base_url: http://127.0.0.1:8080/v1   # for provider: openai (llama.cpp, vLLM, LM Studio, hosted APIs)
  model: ""                    # for provider: openai ("" = ollama.model)
  api_key_env: OPENAI_API_KEY  # name of the env variable holding the API key
  grounding_threshold: 3       # more ungrounded identifiers than this → regenerate once
  hosts: []                    # several LLM hosts for "codeworm backfill", generating in parallel, e.g.
  # - { url: "http://gpu1:11434", concurrency: 2 }
  # - { url: "http://gpu2:8080/v1", provider: openai, model: qwen2.5-7b }

ollama:
  host: localhost
  port: 11434
  model: qwen2.5:7b
  temperature: 0.3
  num_ctx: 16384
  num_predict: 4096
  keep_alive: -1               # keep the model loaded
  timeout_seconds: 300

schedule:
  enabled: true
  mode: human                  # human: natural daily rhythm | continuous: back to back
  interval_seconds: 0          # pause between cycles in continuous mode
  min_commits_per_day: 12
  max_commits_per_day: 18
  timezone: America/Los_Angeles
  prefer_hours: []             # e.g. [9, 10, 14, 15]: weight × 1.5
  avoid_hours: []              # e.g. [0, 1, 2]: never
  weekend_reduction: 0.7
  min_gap_minutes: 30

analyzer:
  min_complexity: 3
  min_lines: 15
  max_lines: 150
  include_patterns: []         # gitignore-style globs, e.g. ["src/**"]
  exclude_patterns: []         # e.g. ["**/migrations/**", "*_pb2.py"]
  cache_max_mb: 256            # index cache size cap; least recently indexed repositories are evicted
  # parse_workers: 1           # parser threads; default 1 for the daemon (light), min(cores, 4) for one-shot commands

documentation:
  redocument_after_days: 90
  type_weights:                # relative chance of each doc type per cycle
    function_doc: 35
    class_doc: 12
    file_doc: 12
    module_doc: 3
    security_review: 10
    performance_analysis: 8
    til: 10
    code_evolution: 5
    pattern_analysis: 3
    weekly_summary: 1
    monthly_summary: 1
    async_analysis: 2

dashboard:
  enabled: false
  host: 127.0.0.1              # a non-loopback host needs a token of 32+ characters
  port: 8420
  token: ${JSON.stringify(dashboardToken)}${dashboardToken ? '' : '                    # codeworm init --dashboard-token writes a random one'}
  allowed_hosts: []            # public names it is reached by (proxy, LAN name), e.g. [codeworm.example.org]
  trust_proxy: false           # behind a TLS reverse proxy: honour X-Forwarded-For/-Proto (Secure cookie)
  max_event_streams: 64        # concurrent live-event streams; more get 503
  login_max_failures: 5        # failed sign-ins from one address before it is locked out
  login_lockout_seconds: 900

telegram:
  enabled: false
  bot_token: ""
  chat_id: ""
  alert_after_failures: 5
  alert_on_push_failure: true
  alert_on_git_wedge: true

webhook:
  enabled: false
  url: ""                      # Slack/Discord-compatible JSON webhook
`;
}

export function starterReposYaml(): string {
  return `# Repositories CodeWorm documents. weight (1-10) sets how often each is picked.
repositories: []
#  - name: my-project
#    path: ~/code/my-project
#    weight: 5
#    enabled: true
`;
}

export function starterPromptsYaml(): string {
  return `# Prompt overrides. Leave a key out to keep the built-in prompt.
# style: "concise, friendly, for a senior developer"
# system_prompt: "You are a senior engineer writing documentation…"
# documentation_template: "…{source}…"
# language_hints:
#   python: "Mention type hints and exceptions raised."
# doc_types:
#   security_review:
#     system_prompt: "…"
#     user_template: "…"
language_hints: {}
doc_types: {}
`;
}
