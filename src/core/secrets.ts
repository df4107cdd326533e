/**
 * Secret redaction before anything reaches a page, a commit or a prompt (SPEC section 15,
 * issue 3). Detection is secretlint's maintained rules: the recommended preset (AWS, GCP,
 * GitHub, npm, Slack, SendGrid, Shopify, OpenAI, Linear, 1Password, private keys, basic auth
 * in URLs) and the database-connection-string rule (MongoDB, MySQL, PostgreSQL URIs), plus
 * three patterns of ours through `@secretlint/secretlint-rule-pattern` for what no maintained
 * rule covers: passwords in quoted assignments, passwords in env/YAML/ini lines, and the
 * password part of any other `scheme://user:password@host` URL (redis, amqp, …).
 */
import { lintSource } from '@secretlint/core';
import { creator as connectionStringRule } from '@secretlint/secretlint-rule-database-connection-string';
import { creator as patternRule } from '@secretlint/secretlint-rule-pattern';
import { creator as recommendPreset } from '@secretlint/secretlint-rule-preset-recommend';
import type { SecretLintCoreConfig } from '@secretlint/types';

export interface SecretFinding {
  /** Marker kind, e.g. `aws-access-key`, `github-token`, `private-key`, `password`. */
  kind: string;
  /** 1-based line of the secret's start in the input. */
  line: number;
}

export interface RedactionResult {
  text: string;
  findings: SecretFinding[];
}

/** Key names that hold passwords: they END in password, passwd, passphrase, pwd,
 *  client_secret or secret_key (`DB_PASSWORD`, `adminPassword`, `PGPASSWORD`, `SECRET_KEY`),
 *  so `MAX_PASSWORD_LENGTH` or `passwordHint` are not keys of a secret. */
const PW_WORD = String.raw`(?:PASSWORD|PASSWD|PASSPHRASE|PWD|CLIENT_?SECRET|SECRET_?KEY|[Pp]assword|[Pp]asswd|[Pp]assphrase|[Pp]wd|[Cc]lient_?[Ss]ecret|[Ss]ecret_?[Kk]ey)`;
const PW_KEY = String.raw`[\w.-]*${PW_WORD}(?![\w])`;
/** Values that are references, not secrets: `${VAR}`, `$VAR`, `{{ var }}`, `<placeholder>`,
 *  `%(x)s`, the usual empty words, and bare numbers (lengths, counts). */
const NOT_A_VALUE = String.raw`(?!\$|\{\{|<|%\(|(?:None|null|nil|true|false|undefined|changeme|REPLACE_ME|xxx+|\*+|\d+)(?:["'\s#]|$))`;
/** End of an unquoted value: optional spaces and a `#` comment, then the end of the line. */
const EOL = String.raw`(?=[ \t]*(?:#.*)?$)`;

/**
 * Our patterns (RegExp-like strings for secretlint-rule-pattern). Each match is exactly the
 * secret value (look-behind for the key), so only the value is replaced. Kept minimal.
 */
const OUR_PATTERNS = [
  {
    // password = "hunter2", "password": "x", password: str = 'x', connect(password="x")
    name: 'password',
    pattern: String.raw`/(?<=\b${PW_KEY}["']?(?:[ \t]*:[ \t]*[A-Za-z_][\w\[\]., |]*?)?[ \t]*(?:=|:=|:|=>)[ \t]*[bruBRU]?(["']))${NOT_A_VALUE}[^"'\s]{4,}(?=\1)/g`,
  },
  {
    // env / YAML / ini lines: DB_PASSWORD=hunter2, export PGPASSWORD=x, db_password: s3cr3t.
    // The value runs to the end of the line; a dotted name (settings.X) is code, and a key
    // that is not UPPER_CASE needs a digit or symbol in the value so `password: str` stays.
    name: 'password',
    pattern: String.raw`/(?<=^[ \t]*(?:export[ \t]+)?${PW_KEY}[ \t]*[:=][ \t]*)${NOT_A_VALUE}(?![A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+${EOL})(?:(?<=^[ \t]*(?:export[ \t]+)?[A-Z0-9_.-]+[ \t]*[:=][ \t]*)|(?=[^\s"'#]*[\d!@#$%^&*+=?~\/-]))[^\s"'#()\[\]{},;]+${EOL}/gm`,
  },
  {
    // scheme://user:password@host for schemes no maintained rule covers (redis, amqp, ftp, …)
    name: 'url-password',
    pattern: String.raw`/(?<=\b[a-z][a-z0-9+.-]*:\/\/[^\s:\/@"'<>]*:)${NOT_A_VALUE}[^\s\/@"'<>]{3,}(?=@[\w.-])/gi`,
  },
];

const CONFIG: SecretLintCoreConfig = {
  rules: [
    {
      id: '@secretlint/secretlint-rule-preset-recommend',
      rule: recommendPreset,
      rules: [
        // access key IDs (AKIA…) are off by default in the preset; they are credentials too
        { id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: true } },
      ],
    },
    { id: '@secretlint/secretlint-rule-database-connection-string', rule: connectionStringRule },
    { id: '@secretlint/secretlint-rule-pattern', rule: patternRule, options: { patterns: OUR_PATTERNS } },
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
  return (
    KINDS[messageId] ??
    ruleId
      .replace(/^@secretlint\/secretlint-rule-/, '')
      .replace(/[^a-z0-9]+/gi, '-')
      .toLowerCase()
  );
}

interface Span {
  start: number;
  end: number;
  kind: string;
}

/** Quote characters a rule's range may include around the secret; they stay in the text. */
const QUOTES = `"'\``;

/**
 * The exact secret span of a finding. Some rules report a range that starts at the key rather
 * than the value (aws's secret-key rule), so the value they put in the message data is looked
 * up from the range start; URLs keep scheme, user and host, only the password is replaced.
 */
function secretSpan(text: string, range: readonly [number, number], data: Record<string, unknown> | undefined): [number, number] {
  let [start, end] = range;
  for (const key of ['KEY', 'TOKEN', 'ID', 'CREDENTIAL', 'URI', 'SECRET']) {
    const v = data?.[key];
    if (typeof v !== 'string' || v.length < 4) continue;
    const at = text.indexOf(v, Math.max(0, start - v.length));
    if (at >= 0 && at <= end) {
      start = at;
      end = at + v.length;
      break;
    }
  }
  while (end > start && QUOTES.includes(text[end - 1])) end--;
  while (start < end && QUOTES.includes(text[start])) start++;
  // a token rule of fixed length (e.g. github_pat_ + 82) must not leave a tail of the same word
  while (end < text.length && /[A-Za-z0-9_]/.test(text[end]) && /[A-Za-z0-9_]/.test(text[end - 1])) end++;
  while (start > 0 && /[A-Za-z0-9_]/.test(text[start - 1]) && /[A-Za-z0-9_]/.test(text[start])) start--;
  const url = /^[a-z][a-z0-9+.-]*:\/\/([^\s:/@]*):([^\s/@]+)@/i.exec(text.slice(start, end));
  if (url) {
    const pwStart = start + url[0].length - 1 - url[2].length;
    return [pwStart, pwStart + url[2].length];
  }
  return [start, end];
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * Replace every secret in `text` with `[REDACTED:<kind>]`. Every further occurrence of a
 * detected secret (8+ characters) is replaced too, even where no rule would have flagged it.
 * @returns the redacted text and one finding per replaced span, in text order.
 * @throws only if secretlint itself fails (a bug, not bad input).
 */
export async function redactSecrets(text: string): Promise<RedactionResult> {
  if (text === '') return { text, findings: [] };
  // `secretlint-disable` comments in a scanned repository must not let a secret through; the
  // preset cannot switch its comment filter off, so the directives are neutralised (same
  // length, so the reported ranges still index `text`)
  const content = text.replace(/secretlint-(disable|enable)/gi, (m) => `secretlint-${'x'.repeat(m.length - 11)}`);
  const result = await lintSource({
    source: { content, filePath: 'source.txt', contentType: 'text' },
    options: { config: CONFIG, noPhysicFilePath: true },
  });
  const spans: Span[] = [];
  const secrets = new Map<string, string>();
  for (const m of result.messages) {
    if (m.type !== 'message') continue;
    const data = m.data as Record<string, unknown> | undefined;
    const [start, end] = secretSpan(text, m.range, data);
    if (end <= start) continue;
    const kind = kindOf(m.ruleId, m.messageId, data);
    spans.push({ start, end, kind });
    const value = text.slice(start, end);
    if (value.length >= 8 && !secrets.has(value)) secrets.set(value, kind);
  }
  for (const [value, kind] of secrets) {
    for (let at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + value.length)) {
      spans.push({ start: at, end: at + value.length, kind });
    }
  }
  // merge overlaps: the earliest start wins the kind, the union is replaced
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s.start < last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  let out = '';
  let pos = 0;
  const findings: SecretFinding[] = [];
  for (const s of merged) {
    out += text.slice(pos, s.start) + `[REDACTED:${s.kind}]`;
    pos = s.end;
    findings.push({ kind: s.kind, line: lineAt(text, s.start) });
  }
  out += text.slice(pos);
  return { text: out, findings };
}
