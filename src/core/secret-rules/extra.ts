/**
 * Our rules, in the catalogue format of `catalogue-rule.ts`, for what neither secretlint's preset
 * nor the gitleaks catalogue finds in the text CodeWorm handles: partial private-key blocks in
 * diffs, credentials that need no keyword nearby (Azure, Sentry, Discord, Telegram, Braintree,
 * Replicate, …), `Bearer`/`Basic` header values, and passwords written in prose. Shapes are the
 * providers' documented formats (the same as detect-secrets' plugins where it has one).
 */
import type { CatalogueAllowlist, CatalogueRule } from './catalogue-rule.ts';

/** One line of a key body as it appears in source or a diff: diff marker, indent, quote, base64, `\n`, quote. */
const BODY_LINE = String.raw`[+\- ]?[ \t]*["'\x60]?(?:[A-Za-z0-9+/]{16,}={0,2}|[A-Za-z-]+: [^\n]*)?(?:\\n)?["'\x60]?[ \t]*[,+\\]?(?=\r?\n|\\n|$)`;
const PEM_LABEL = String.raw`[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?`;

/** Key names that hold passwords: they END in password, passwd, passphrase, pwd,
 *  client_secret or secret_key (`DB_PASSWORD`, `adminPassword`, `PGPASSWORD`, `SECRET_KEY`),
 *  so `MAX_PASSWORD_LENGTH` or `passwordHint` are not keys of a secret. */
const PW_WORD = String.raw`(?:PASSWORD|PASSWD|PASSPHRASE|PWD|CLIENT_?SECRET|SECRET_?KEY|[Pp]assword|[Pp]asswd|[Pp]assphrase|[Pp]wd|[Cc]lient_?[Ss]ecret|[Ss]ecret_?[Kk]ey)`;
const PW_KEY = String.raw`[\w.-]*${PW_WORD}(?![\w])`;
/** Values that are references, not secrets: `${VAR}`, `$VAR`, `{{ var }}`, `<placeholder>`,
 *  `%(x)s` / `%s`, the usual empty words, and bare numbers (lengths, counts). */
const NOT_A_VALUE = String.raw`(?!\$|\{\{|<|%|(?:None|null|nil|true|false|undefined|changeme|REPLACE_ME|xxx+|\*+|\d+)(?:["'\s#]|$))`;
/** End of an unquoted value: optional spaces and a `#` comment, then the end of the line. */
const EOL = String.raw`(?=[ \t]*(?:#.*)?$)`;

/** Passwords by key name. Each match is exactly the value (look-behind for the key). */
const PASSWORD_RULES: CatalogueRule[] = [
  {
    // password = "hunter2", "password": "x", password: str = 'x', connect(password="x")
    id: 'password',
    source: String.raw`(?<=\b${PW_KEY}["']?(?:[ \t]*:[ \t]*[A-Za-z_][\w\[\]., |]*?)?[ \t]*(?:=|:=|:|=>)[ \t]*[bruBRU]?(["']))${NOT_A_VALUE}(?=[^"'\s]*[^A-Za-z"'\s])[^"'\s]{4,}(?=\1)`,
    flags: '',
    keywords: ['password', 'passwd', 'passphrase', 'pwd', 'secret'],
    secretGroup: 0,
  },
  {
    // env / YAML / ini lines: DB_PASSWORD=hunter2, export PGPASSWORD=x, db_password: s3cr3t.
    // The value runs to the end of the line; a dotted name (settings.X) is code, and a key
    // that is not UPPER_CASE needs a digit or symbol in the value so `password: str` stays.
    id: 'password',
    source: String.raw`(?<=^[ \t]*(?:export[ \t]+)?${PW_KEY}[ \t]*[:=][ \t]*)${NOT_A_VALUE}(?![A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+${EOL})(?:(?<=^[ \t]*(?:export[ \t]+)?[A-Z0-9_.-]+[ \t]*[:=][ \t]*)|(?=[^\s"'#]*[\d!@#$%^&*+=?~\/-]))[^\s"'#()\[\]{},;]+${EOL}`,
    flags: 'm',
    keywords: ['password', 'passwd', 'passphrase', 'pwd', 'secret'],
    secretGroup: 0,
  },
  {
    // scheme://user:password@host for schemes no maintained rule covers (redis, amqp, ftp, …)
    id: 'url-password',
    source: String.raw`(?<=\b[a-z][a-z0-9+.-]*:\/\/[^\s:\/@"'<>]*:)${NOT_A_VALUE}[^\s\/@"'<>]{3,}(?=@[\w.-])`,
    flags: 'i',
    keywords: ['://'],
    secretGroup: 0,
  },
];

const PLACEHOLDER = String.raw`^(?:[a-z0-9]{0,8}[-_])*(?:secret|password|passwd|pass|test|dummy|example|sample|fake|changeme|placeholder)(?:[-_]?[a-z0-9]{0,8}){0,3}$`;

/**
 * Allowlists added to catalogue rules by id (the generated table stays as gitleaks ships it):
 * values that are code or data, not credentials, found on the Python standard library and
 * node_modules by `bench/secrets-bench.ts`.
 */
export const EXTRA_ALLOWLISTS: Record<string, CatalogueAllowlist[]> = {
  'generic-api-key': [
    {
      regexes: [
        // a dotted name: `win32api.RegEnumKey`, `visitor_keys_1.visitorKeys`
        { source: String.raw`^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$`, flags: '' },
        // a path or time-zone name without digits: `Europe/Dublin`
        { source: String.raw`^[A-Za-z_-]+(?:/[A-Za-z_+-]+)+$`, flags: '' },
      ],
    },
    { regexes: [{ source: PLACEHOLDER, flags: '' }] },
    // a hash or a public-key pin is not a credential (test vectors, HPKP examples)
    { target: 'match', regexes: [{ source: String.raw`sha-?(?:1|224|256|384|512)|md5|digest|checksum|fingerprint|\bpin-|hash`, flags: 'i' }] },
  ],
  // placeholders in tests and examples: a lower-case value made of a placeholder word and short
  // affixes (`secret123`, `db-password`, `secret-2-levels`, `test-secret-value`)
  password: [{ regexes: [{ source: PLACEHOLDER, flags: '' }] }],
  // documentation placeholders in URLs: `user:pass@`, `joe:password@`, `abc:xyz@`
  'url-password': [{ regexes: [{ source: String.raw`^(?:pass(?:word|wd)?|pwd|secret|xyz|123|thing)$`, flags: 'i' }] }],
};

export const EXTRA_RULES: CatalogueRule[] = [
  ...PASSWORD_RULES,
  {
    // BEGIN line and the body lines after it, with or without the END line (a diff hunk or a
    // cut page may show only the start of a key)
    id: 'private-key',
    source: String.raw`-----BEGIN${PEM_LABEL}-----(?:(?:\r?\n|\\n)${BODY_LINE})*(?:(?:\r?\n|\\n)?[+\- ]?[ \t]*["'\x60]?-----END${PEM_LABEL}-----)?`,
    flags: '',
    keywords: ['private key'],
  },
  {
    // body lines alone (a hunk in the middle of a key): three or more full lines of 64 (PEM) or
    // 70 (OpenSSH) base64 characters, each on its own line, optionally diff-prefixed
    id: 'private-key',
    source: String.raw`(?:^[+\- ]?[ \t]*(?:[A-Za-z0-9+/]{64}|[A-Za-z0-9+/]{70})\r?\n){3,}(?:[+\- ]?[ \t]*[A-Za-z0-9+/]{1,70}={0,2}$)?`,
    flags: 'm',
    keywords: [],
    entropy: 5.2,
  },
  {
    id: 'azure-storage-key',
    source: String.raw`(?:AccountKey|SharedAccessKey|SharedKey)\s*=\s*([A-Za-z0-9+/]{40,}={0,2})`,
    flags: 'i',
    keywords: ['accountkey', 'sharedaccesskey', 'sharedkey'],
  },
  {
    id: 'azure-sas-token',
    source: String.raw`[?&;]sig=([A-Za-z0-9%+/]{30,}(?:%3D|=){0,2})`,
    flags: 'i',
    keywords: ['sig='],
  },
  {
    id: 'bearer-token',
    source: String.raw`\b(?:Bearer|Token|Basic)[ \t]+([A-Za-z0-9._~+/-]{16,}={0,2})(?![\w.~+/=-])`,
    flags: '',
    keywords: ['bearer', 'token ', 'basic '],
    entropy: 3.2,
    allowlists: [{ regexes: [{ source: String.raw`^[A-Za-z_.]+$`, flags: '' }] }],
  },
  {
    // https://<public key>[:<secret>]@<host>/<project>: the key (and the old secret part) go
    id: 'sentry-dsn',
    source: String.raw`\bhttps?://([0-9a-f]{32}(?::[0-9a-f]{32})?)@[\w.-]+(?::\d+)?/(?:[\w.-]+/)*\d+`,
    flags: '',
    keywords: ['://'],
  },
  {
    id: 'discord-bot-token',
    source: String.raw`\b([MNO][A-Za-z0-9_-]{23,25}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38})\b`,
    flags: '',
    keywords: [],
    entropy: 4,
  },
  {
    id: 'discord-webhook',
    source: String.raw`discord(?:app)?\.com/api/webhooks/\d+/([A-Za-z0-9_-]{60,70})`,
    flags: 'i',
    keywords: ['discord'],
  },
  {
    id: 'telegram-bot-token',
    source: String.raw`(?<![\w:])(\d{8,10}:AA[A-Za-z0-9_-]{30,40})(?![\w-])`,
    flags: '',
    keywords: [':aa'],
  },
  {
    id: 'braintree-paypal-token',
    source: String.raw`access_token\$(?:production|sandbox)\$[0-9a-z]{16}\$[0-9a-f]{32}`,
    flags: '',
    keywords: ['access_token$'],
  },
  {
    id: 'square-oauth-secret',
    source: String.raw`\b(sq0csp-[A-Za-z0-9_-]{43})\b`,
    flags: '',
    keywords: ['sq0csp-'],
  },
  {
    id: 'stripe-webhook-secret',
    source: String.raw`\b(whsec_[A-Za-z0-9]{32,})\b`,
    flags: '',
    keywords: ['whsec_'],
  },
  {
    id: 'replicate-api-token',
    source: String.raw`\b(r8_[A-Za-z0-9]{37})\b`,
    flags: '',
    keywords: ['r8_'],
  },
  {
    id: 'mailgun-api-key',
    source: String.raw`\b(key-[0-9a-f]{32})\b`,
    flags: '',
    keywords: ['key-'],
    entropy: 3,
  },
  {
    id: 'openai-api-key',
    source: String.raw`\b(sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,})`,
    flags: '',
    keywords: ['sk-'],
  },
  {
    id: 'docker-pat',
    source: String.raw`\b(dckr_pat_[A-Za-z0-9_-]{27,})`,
    flags: '',
    keywords: ['dckr_pat_'],
  },
  {
    id: 'anthropic-api-key',
    source: String.raw`\b(sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,120})`,
    flags: '',
    keywords: ['sk-ant-'],
  },
  {
    id: 'new-relic-key',
    source: String.raw`\b(NR(?:AK|JS|II)-[A-Za-z0-9]{19,32})\b`,
    flags: '',
    keywords: ['nrak-', 'nrjs-', 'nrii-'],
  },
  {
    id: 'bitbucket-app-password',
    source: String.raw`\b(ATBB[A-Za-z0-9_=.-]{28,40})\b`,
    flags: '',
    keywords: ['atbb'],
    entropy: 3.5,
  },
  {
    id: 'twilio-account-sid',
    source: String.raw`\b(AC[0-9a-f]{32})\b`,
    flags: '',
    keywords: ['ac'],
    entropy: 3,
  },
  {
    id: 'datadog-api-key',
    source: String.raw`(?:datadog|\bdd)[\w.-]{0,20}?(?:api|app(?:lication)?)[_.-]?key["']?[ \t]*(?:=|:|=>)[ \t]*["'\x60]?([a-f0-9]{32}|[a-f0-9]{40})\b`,
    flags: 'i',
    keywords: ['datadog', 'dd_', 'dd-', 'dd.'],
  },
  {
    // ADO.NET / ODBC connection strings: Server=…;User Id=…;Password=…;
    id: 'connection-string',
    source: String.raw`(?:Server|Data Source|Host|Uid|User ID|Database)=[^;\n]*;[^\n]*?\b(?:Password|Pwd)=([^;'"\n]{3,})`,
    flags: 'i',
    keywords: ['password=', 'pwd='],
  },
  {
    // a hex value under a credential's key name (a 32-hex token can fall under the generic
    // rule's entropy bar: hex has at most 4 bits per character)
    id: 'generic-api-key',
    source: String.raw`(?<![\w.-])[\w.-]{0,40}?(?:token|secret|api[_.-]?key|auth|password|passwd|credential)s?["']?[ \t]*(?:=|:=|:|=>)[ \t]*["'\x60]?([a-f0-9]{32,64}|[A-F0-9]{32,64})(?![\w-])`,
    flags: 'i',
    keywords: ['token', 'secret', 'key', 'auth', 'password', 'passwd', 'credential'],
    entropy: 3,
  },
  {
    // prose: "the admin password is hunter2-Sup3r", "API key: 8f0c…", "token was abcd1234…"
    id: 'password',
    source: String.raw`\b(?:password|passwd|passphrase|pwd|secret|token|api[ _-]?key|access key|secret key)\b(?:[ \t]+(?:is|was|=|of)|[ \t]*:)[ \t]+["'\x60]?((?=[^\s"'\x60]*\d)(?=[^\s"'\x60]*[A-Za-z])[^\s"'\x60,;)]{6,})`,
    flags: 'i',
    keywords: ['password', 'passwd', 'passphrase', 'pwd', 'secret', 'token', 'key'],
    entropy: 3,
    allowlists: [
      // code, not a value: a dotted name, a call, an identifier with at most two digits (`Token$1`)
      { regexes: [{ source: String.raw`^[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)+$|[()[\]{}]|^\$|^%|^[A-Za-z_$]+\d{0,2}$`, flags: '' }] },
    ],
  },
];
