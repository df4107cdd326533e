/**
 * Secret redaction before anything reaches a page, a commit, a prompt, a log line or an event
 * (SPEC section 16, issues 3 and 10). Detection runs in secretlint, from maintained rule data:
 *
 * - secretlint's recommended preset (AWS, GCP, GitHub, GitLab, npm, Docker, Slack, SendGrid,
 *   Shopify, OpenAI, Anthropic, Hugging Face, Groq, Vault, Databricks, Grafana, Vercel, Notion,
 *   Figma, Linear, 1Password, private keys, basic auth in URLs, database connection strings);
 * - the gitleaks rule catalogue (`secret-rules/gitleaks.ts`, generated from its `gitleaks.toml`:
 *   ~220 provider formats and the generic keyword + entropy rule), run by our catalogue rule;
 * - our additions in the same table format (`secret-rules/extra.ts`: partial key blocks in
 *   diffs, Azure, Sentry DSNs, Discord, Telegram, `Bearer` values, passwords in assignments,
 *   env/YAML lines and prose, the password of any `scheme://user:password@host` URL, …).
 *
 * A secret split across string concatenation (`"sk_live_" + "abc…"`, Python's implicit
 * `"a" "b"`) is found in a view of the text with the separators removed.
 */
import { lintSource } from '@secretlint/core';
import { creator as recommendPreset } from '@secretlint/secretlint-rule-preset-recommend';
import type { SecretLintCoreConfig } from '@secretlint/types';
import { catalogueRule } from './secret-rules/catalogue-rule.ts';
import { applySpans, CATALOGUE, concatView, mapConcatSpans, secretSpan, type RedactionResult, type Span } from './redact.ts';

export { redactSecretsSync, redactValueSync, type RedactionResult, type SecretFinding } from './redact.ts';

const CONFIG: SecretLintCoreConfig = {
  rules: [
    {
      id: '@secretlint/secretlint-rule-preset-recommend',
      rule: recommendPreset,
      rules: [
        // access key IDs (AKIA…) are off by default in the preset; they are credentials too
        { id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: true } },
        // documentation placeholders (`http://user:pass@host`), as our url-password rule allows them
        { id: '@secretlint/secretlint-rule-basicauth', options: { allows: ['/:(?:pass(?:word|wd)?|pwd|secret|xyz|123|thing)@/i'] } },
      ],
    },
    { id: 'codeworm-secret-catalogue', rule: catalogueRule, options: CATALOGUE },
  ],
};

/** Marker kinds by rule and message id; unknown ones fall back to the rule's short name. */
const KINDS: Record<string, string> = {
  AWSAccessKeyID: 'aws-access-key',
  AWSSecretAccessKey: 'aws-secret-key',
  AWSAccountID: 'aws-account-id',
  GITHUB_TOKEN: 'github-token',
  PrivateKey: 'private-key',
  BasicAuth: 'basic-auth',
  SLACK_TOKEN: 'slack-token',
  IncomingWebhook: 'slack-webhook',
  NPM_ACCESS_TOKEN: 'npm-token',
  MongoDBConnection: 'connection-string',
  MySQLConnection: 'connection-string',
  PostgreSQLConnection: 'connection-string',
};

function kindOf(ruleId: string, messageId: string, data: Record<string, unknown> | undefined): string {
  if (messageId === 'PATTERN' && typeof data?.PATTERN_NAME === 'string') return data.PATTERN_NAME;
  if (messageId === 'SECRET' && typeof data?.RULE === 'string') return data.RULE;
  return (
    KINDS[messageId] ??
    ruleId
      .replace(/^@secretlint\/secretlint-rule-/, '')
      .replace(/[^a-z0-9]+/gi, '-')
      .toLowerCase()
  );
}

/** Every secret span secretlint reports in `text` (ranges index `text`). */
async function findSpans(text: string): Promise<Span[]> {
  // `secretlint-disable` comments in a scanned repository must not let a secret through; the
  // preset cannot switch its comment filter off, so the directives are neutralised (same
  // length, so the reported ranges still index `text`)
  const content = text.replace(/secretlint-(disable|enable)/gi, (m) => `secretlint-${'x'.repeat(m.length - 11)}`);
  const result = await lintSource({
    source: { content, filePath: 'source.txt', contentType: 'text' },
    options: { config: CONFIG, noPhysicFilePath: true },
  });
  const spans: Span[] = [];
  for (const m of result.messages) {
    if (m.type !== 'message') continue;
    const data = m.data as Record<string, unknown> | undefined;
    const [start, end] = secretSpan(text, m.range, data);
    if (end > start) spans.push({ start, end, kind: kindOf(m.ruleId, m.messageId, data) });
  }
  return spans;
}

/**
 * Replace every secret in `text` with `[REDACTED:<kind>]`. Every further occurrence of a
 * detected secret (8+ characters) is replaced too, even where no rule would have flagged it.
 * @returns the redacted text and one finding per replaced span, in text order.
 * @throws only if secretlint itself fails (a bug, not bad input).
 */
export async function redactSecrets(text: string): Promise<RedactionResult> {
  if (text === '') return { text, findings: [] };
  const spans = await findSpans(text);
  const v = concatView(text);
  if (v) spans.push(...mapConcatSpans(v, await findSpans(v.view)));
  return applySpans(text, spans);
}

