/**
 * Secret redaction (issue 10): recall on a labelled corpus and false positives on real code.
 *
 * 1. Recall: a corpus generated here with a seeded PRNG — random values in each credential
 *    format's real shape, each placed in a realistic context (code, YAML, JSON, .env, default
 *    arguments, docstrings, comments, concatenated literals, diffs). A secret counts as caught
 *    when no 8-character piece of it is left in the redacted text. Goal: at least 99%.
 * 2. False positives: redactions per 100,000 lines over the Python standard library (`.py`) and
 *    this project's node_modules (`.js .mjs .cjs .ts`), each listed with file:line. Goal: at most
 *    5 per 100,000 lines. Throughput (MB/s) is printed too: redaction runs on every page.
 *
 * Run: node --import tsx bench/secrets-bench.ts [--seed N] [--no-fp] [--max-files N]
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { redactSecrets } from '../src/core/secrets.ts';

const args = process.argv.slice(2);
const seed = Number(args[args.indexOf('--seed') + 1] || 0) || 20261130;
const maxFiles = args.includes('--max-files') ? Number(args[args.indexOf('--max-files') + 1]) : Infinity;
const rng = xoroshiro128plus(seed);
const int = (lo: number, hi: number): number => uniformInt(rng, lo, hi);

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const HEX = '0123456789abcdef';
const B64 = ALNUM + '+/';
const URLSAFE = ALNUM + '-_';
const pick = (chars: string, n: number): string => Array.from({ length: n }, () => chars[int(0, chars.length - 1)]).join('');
const b64url = (s: string): string => Buffer.from(s).toString('base64url');

/** A PEM body: `lines` lines of 64 base64 characters. */
const pemBody = (lines: number): string[] => ['MII' + pick(B64, 61), ...Array.from({ length: lines - 1 }, () => pick(B64, 64))];
const pem = (label: string, lines = 12): string => [`-----BEGIN ${label}-----`, ...pemBody(lines), `-----END ${label}-----`].join('\n');

interface Sample {
  format: string;
  /** The text as it would appear in a page or a prompt. */
  text: string;
  /** What must not survive (each checked by its 8-character pieces). */
  secrets: string[];
}

type Maker = () => { value: string; text: (v: string) => string; secrets?: string[] };

const code = (v: string, key: string) => [`${key} = "${v}"`, `config:\n  ${key.toLowerCase()}: ${v}`, `{"${key}": "${v}"}`, `export ${key}=${v}`];
/** Rotate a value through code, YAML, JSON and .env contexts. */
let turn = 0;
const anyOf = (key: string) => (v: string) => code(v, key)[turn++ % 4];

const FORMATS: Record<string, Maker> = {
  'aws-access-key-id': () => ({ value: 'AKIA' + pick(UPPER + '234567', 16), text: anyOf('AWS_ACCESS_KEY_ID') }),
  'aws-secret-access-key': () => ({ value: pick(B64, 40), text: anyOf('aws_secret_access_key') }),
  'aws-secret-in-docstring': () => ({ value: pick(B64, 40), text: (v) => `def upload():\n    """Uses the AWS secret key: ${v} (rotate yearly)."""\n` }),
  'gcp-api-key': () => ({ value: 'AIza' + pick(URLSAFE, 35), text: anyOf('GOOGLE_MAPS_KEY') }),
  'gcp-service-account': () => {
    const key = pem('PRIVATE KEY', 26);
    return { value: key, secrets: key.split('\n').slice(1, -1), text: () => `{\n  "type": "service_account",\n  "private_key_id": "${pick(HEX, 40)}",\n  "private_key": "${key.replace(/\n/g, '\\n')}\\n",\n  "client_email": "svc@p.iam.gserviceaccount.com"\n}` };
  },
  'azure-storage-connection': () => ({ value: pick(B64, 86) + '==', text: (v) => `conn = "DefaultEndpointsProtocol=https;AccountName=acct${int(1, 99)};AccountKey=${v};EndpointSuffix=core.windows.net"` }),
  'azure-sas-token': () => ({ value: pick(ALNUM + '%', 43) + '%3D', text: (v) => `url = "https://acct.blob.core.windows.net/c/f.txt?sv=2022-11-02&ss=b&srt=o&sp=r&se=2030-01-01T00:00:00Z&sig=${v}"` }),
  'azure-ad-client-secret': () => ({ value: pick(ALNUM, 3) + int(0, 9) + 'Q~' + pick(ALNUM + '_~.-', 34), text: anyOf('AZURE_CLIENT_SECRET') }),
  'github-pat': () => ({ value: 'ghp_' + pick(ALNUM, 36), text: anyOf('GH_TOKEN') }),
  'github-oauth': () => ({ value: 'gho_' + pick(ALNUM, 36), text: anyOf('token') }),
  'github-app-token': () => ({ value: (int(0, 1) ? 'ghs_' : 'ghu_') + pick(ALNUM, 36), text: (v) => `headers = {"Authorization": "token ${v}"}` }),
  'github-fine-grained': () => ({ value: 'github_pat_' + pick(ALNUM, 22) + '_' + pick(ALNUM, 59), text: anyOf('GH_FINE_TOKEN') }),
  'gitlab-pat': () => ({ value: 'glpat-' + pick(URLSAFE, 20), text: anyOf('GITLAB_TOKEN') }),
  'bitbucket-app-password': () => ({ value: 'ATBB' + pick(ALNUM, 32), text: anyOf('BITBUCKET_APP_PASSWORD') }),
  'npm-token': () => ({ value: 'npm_' + pick(ALNUM, 36), text: (v) => `//registry.npmjs.org/:_authToken=${v}` }),
  'pypi-token': () => ({ value: 'pypi-AgEIcHlwaS5vcmc' + pick(URLSAFE, 70), text: (v) => `[pypi]\n  username = __token__\n  password = ${v}` }),
  'docker-pat': () => ({ value: 'dckr_pat_' + pick(URLSAFE, 27), text: anyOf('DOCKER_TOKEN') }),
  'slack-bot-token': () => ({ value: `xoxb-${pick(DIGITS, 12)}-${pick(DIGITS, 13)}-${pick(ALNUM, 24)}`, text: anyOf('SLACK_BOT_TOKEN') }),
  'slack-user-token': () => ({ value: `xoxp-${pick(DIGITS, 12)}-${pick(DIGITS, 12)}-${pick(DIGITS, 13)}-${pick(HEX, 32)}`, text: anyOf('slack_token') }),
  'slack-webhook': () => ({ value: `https://hooks.slack.com/services/T${pick(UPPER + DIGITS, 10)}/B${pick(UPPER + DIGITS, 10)}/${pick(ALNUM, 24)}`, text: (v) => `WEBHOOK = "${v}"` }),
  'discord-bot-token': () => ({ value: `M${pick(ALNUM, 25)}.${pick(URLSAFE, 6)}.${pick(URLSAFE, 38)}`, text: (v) => `client.run("${v}")` }),
  'discord-webhook': () => ({ value: pick(URLSAFE, 68), text: (v) => `hook = "https://discord.com/api/webhooks/${pick(DIGITS, 18)}/${v}"` }),
  'telegram-bot-token': () => ({ value: `${pick(DIGITS, 10)}:AA${pick(URLSAFE, 33)}`, text: (v) => `bot = Bot(token="${v}")` }),
  'stripe-secret-key': () => ({ value: 'sk_live_' + pick(ALNUM, 24), text: anyOf('STRIPE_SECRET_KEY') }),
  'stripe-restricted-key': () => ({ value: 'rk_live_' + pick(ALNUM, 24), text: (v) => `stripe.api_key = "${v}"` }),
  'stripe-webhook-secret': () => ({ value: 'whsec_' + pick(ALNUM, 32), text: anyOf('STRIPE_WEBHOOK_SECRET') }),
  'square-access-token': () => ({ value: 'EAAA' + pick(URLSAFE, 60), text: anyOf('SQUARE_ACCESS_TOKEN') }),
  'square-oauth-secret': () => ({ value: 'sq0csp-' + pick(URLSAFE, 43), text: anyOf('SQUARE_APP_SECRET') }),
  'paypal-braintree': () => ({ value: `access_token$production$${pick(LOWER + DIGITS, 16)}$${pick(HEX, 32)}`, text: anyOf('BRAINTREE_TOKEN') }),
  'openai-project-key': () => ({ value: `sk-proj-${pick(URLSAFE, 74)}T3BlbkFJ${pick(URLSAFE, 74)}`, text: anyOf('OPENAI_API_KEY') }),
  'openai-legacy-key': () => ({ value: `sk-${pick(ALNUM, 20)}T3BlbkFJ${pick(ALNUM, 20)}`, text: (v) => `openai.api_key = "${v}"` }),
  'anthropic-api-key': () => ({ value: `sk-ant-api03-${pick(URLSAFE, 93)}AA`, text: anyOf('ANTHROPIC_API_KEY') }),
  'huggingface-token': () => ({ value: 'hf_' + pick(UPPER + LOWER, 34), text: anyOf('HF_TOKEN') }),
  'cohere-api-key': () => ({ value: pick(ALNUM, 40), text: anyOf('COHERE_API_KEY') }),
  'groq-api-key': () => ({ value: 'gsk_' + pick(ALNUM, 52), text: anyOf('GROQ_API_KEY') }),
  'replicate-token': () => ({ value: 'r8_' + pick(ALNUM, 37), text: anyOf('REPLICATE_API_TOKEN') }),
  'sendgrid-api-key': () => ({ value: `SG.${pick(URLSAFE, 22)}.${pick(URLSAFE, 43)}`, text: anyOf('SENDGRID_API_KEY') }),
  'mailgun-api-key': () => ({ value: 'key-' + pick(HEX, 32), text: (v) => `requests.post(url, auth=("api", "${v}"))` }),
  'twilio-api-key': () => ({ value: 'SK' + pick(HEX, 32), text: anyOf('TWILIO_API_KEY') }),
  'twilio-auth-token': () => ({ value: pick(HEX, 32), text: anyOf('TWILIO_AUTH_TOKEN') }),
  'datadog-api-key': () => ({ value: pick(HEX, 32), text: anyOf('DATADOG_API_KEY') }),
  'new-relic-user-key': () => ({ value: 'NRAK-' + pick(UPPER + DIGITS, 27), text: anyOf('NEW_RELIC_API_KEY') }),
  'sentry-dsn': () => ({ value: pick(HEX, 32), text: (v) => `sentry_sdk.init(dsn="https://${v}@o${pick(DIGITS, 6)}.ingest.sentry.io/${pick(DIGITS, 7)}")` }),
  jwt: () => ({
    value: `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(`{"sub":"${pick(DIGITS, 10)}","name":"${pick(LOWER, 8)}","iat":${pick(DIGITS, 10)}}`)}.${pick(URLSAFE, 43)}`,
    text: (v) => `headers = {"Authorization": "Bearer ${v}"}`,
  }),
  'rsa-private-key': () => {
    const key = pem('RSA PRIVATE KEY', 25);
    return { value: key, secrets: key.split('\n').slice(1, -1), text: (v) => `KEY = """\n${v}\n"""` };
  },
  'openssh-private-key': () => {
    const body = Array.from({ length: 7 }, () => pick(B64, 70));
    const key = ['-----BEGIN OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAA' + pick(B64, 46), ...body, '-----END OPENSSH PRIVATE KEY-----'].join('\n');
    return { value: key, secrets: key.split('\n').slice(1, -1), text: (v) => `const key = \`${v}\`;` };
  },
  'private-key-diff-begin-only': () => {
    const body = pemBody(8);
    return {
      value: body.join(''),
      secrets: body,
      text: () => `@@ -0,0 +1,50 @@\n+# deploy key\n+-----BEGIN RSA PRIVATE KEY-----\n${body.map((l) => '+' + l).join('\n')}`,
    };
  },
  'private-key-diff-body-only': () => {
    const body = Array.from({ length: 6 }, () => pick(B64, 64));
    return { value: body.join(''), secrets: body, text: () => `@@ -10,6 +10,6 @@\n${body.map((l) => ' ' + l).join('\n')}` };
  },
  'postgres-url': () => ({ value: pick(ALNUM, 16), text: (v) => `DATABASE_URL = "postgresql://app:${v}@db.internal:5432/prod"` }),
  'mysql-url': () => ({ value: pick(ALNUM, 14) + '!', text: (v) => `engine = create_engine("mysql+pymysql://root:${v}@10.0.0.5/shop")` }),
  'mongodb-srv-url': () => ({ value: pick(ALNUM, 20), text: (v) => `MONGO_URI=mongodb+srv://admin:${v}@cluster0.abcde.mongodb.net/db` }),
  'redis-url': () => ({ value: pick(ALNUM, 18), text: (v) => `cache: redis://:${v}@redis.internal:6379/0` }),
  'odbc-connection-string': () => ({ value: pick(ALNUM, 14), text: (v) => `cs = "Server=tcp:sql.example.net;Database=app;User ID=svc;Password=${v};Encrypt=True"` }),
  'generic-api-key-hex': () => ({ value: pick(HEX, 40), text: anyOf('API_KEY') }),
  'generic-auth-token': () => ({ value: pick(ALNUM, 32), text: anyOf('auth_token') }),
  'generic-client-secret': () => ({ value: pick(URLSAFE, 40), text: anyOf('client_secret') }),
  'bearer-header': () => ({ value: pick(URLSAFE + '.', 48), text: (v) => `requests.get(url, headers={"Authorization": "Bearer ${v}"})` }),
  'password-assignment': () => ({ value: pick(ALNUM, 10) + '#' + pick(DIGITS, 3), text: anyOf('DB_PASSWORD') }),
  'password-in-docstring': () => ({ value: pick(LOWER, 6) + pick(DIGITS, 2) + '-' + pick(UPPER + LOWER, 6), text: (v) => `def connect():\n    """Connect to the admin console. The admin password is ${v} for now."""` }),
  'token-default-argument': () => ({ value: pick(ALNUM, 40), text: (v) => `def fetch(url, token="${v}", timeout=10):\n    pass` }),
  'secret-in-comment': () => ({ value: pick(ALNUM, 32), text: (v) => `# api_key: ${v}\nclient = Client()` }),
  'concatenated-stripe-key': () => {
    const v = 'sk_live_' + pick(ALNUM, 24);
    return { value: v, secrets: [v.slice(0, 14), v.slice(14)], text: (x) => `STRIPE = "${x.slice(0, 14)}" + "${x.slice(14)}"` };
  },
  'concatenated-generic-token': () => {
    const v = pick(ALNUM, 40);
    return { value: v, secrets: [v.slice(0, 20), v.slice(20)], text: (x) => `API_TOKEN = (\n    "${x.slice(0, 20)}"\n    "${x.slice(20)}"\n)` };
  },
  'shopify-access-token': () => ({ value: 'shpat_' + pick(HEX, 32), text: anyOf('SHOPIFY_TOKEN') }),
  'vault-token': () => ({ value: 'hvs.' + pick(URLSAFE, 90), text: anyOf('VAULT_TOKEN') }),
  'linear-api-key': () => ({ value: 'lin_api_' + pick(ALNUM, 40), text: anyOf('LINEAR_API_KEY') }),
};

const PER_FORMAT = 4;

function corpus(): Sample[] {
  const out: Sample[] = [];
  for (const [format, make] of Object.entries(FORMATS)) {
    for (let i = 0; i < PER_FORMAT; i++) {
      const m = make();
      out.push({ format, text: m.text(m.value), secrets: m.secrets ?? [m.value] });
    }
  }
  return out;
}

/** Caught when no 8-character piece (stride 4) of any secret part is left. */
function leaked(redacted: string, secrets: string[]): string | null {
  for (const s of secrets) {
    if (s.length < 8) continue;
    for (let i = 0; i + 8 <= s.length; i += 4) if (redacted.includes(s.slice(i, i + 8))) return s.slice(i, i + 8);
  }
  return null;
}

async function recall(): Promise<void> {
  const samples = corpus();
  const byFormat = new Map<string, { caught: number; total: number; misses: string[] }>();
  let caught = 0;
  for (const s of samples) {
    const r = await redactSecrets(s.text);
    const leak = leaked(r.text, s.secrets);
    const f = byFormat.get(s.format) ?? { caught: 0, total: 0, misses: [] };
    f.total++;
    if (leak === null) {
      f.caught++;
      caught++;
    } else f.misses.push(r.text.replace(/\n/g, '⏎').slice(0, 160));
    byFormat.set(s.format, f);
  }
  console.log(`recall corpus: ${samples.length} secrets in ${byFormat.size} formats (seed ${seed})`);
  for (const [format, f] of byFormat) {
    console.log(`  ${format.padEnd(30)} ${f.caught}/${f.total}${f.misses.map((m) => `\n      missed: ${m}`).join('')}`);
  }
  console.log(`recall: ${caught}/${samples.length} = ${((caught / samples.length) * 100).toFixed(1)}% (goal >= 99%)`);
}

function walk(dir: string, exts: RegExp, out: string[], skip: (name: string) => boolean): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    const p = path.join(dir, n);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) {
      if (!skip(n)) walk(p, exts, out, skip);
    } else if (exts.test(n) && st.size <= 1024 * 1024) out.push(p);
  }
}

async function falsePositives(label: string, root: string, exts: RegExp, skip: (name: string) => boolean): Promise<void> {
  const files: string[] = [];
  walk(root, exts, files, skip);
  files.sort();
  const chosen = files.slice(0, maxFiles);
  let lines = 0;
  let bytes = 0;
  let ms = 0;
  const hits: string[] = [];
  for (const f of chosen) {
    const text = readFileSync(f, 'utf8');
    lines += text.split('\n').length;
    bytes += Buffer.byteLength(text);
    const t = performance.now();
    const r = await redactSecrets(text);
    ms += performance.now() - t;
    const textLines = text.split('\n');
    for (const x of r.findings) hits.push(`    ${path.relative(root, f)}:${x.line} [${x.kind}] ${textLines[x.line - 1].trim().slice(0, 100)}`);
  }
  const per100k = (hits.length / lines) * 1e5;
  console.log(`${label}: ${root}`);
  console.log(`  ${chosen.length} files, ${lines} lines, ${(bytes / 1e6).toFixed(1)} MB in ${(ms / 1000).toFixed(1)} s (${(bytes / 1e6 / (ms / 1000)).toFixed(2)} MB/s)`);
  console.log(`  redactions: ${hits.length} = ${per100k.toFixed(2)} per 100,000 lines (goal <= 5)`);
  if (hits.length) console.log(hits.join('\n'));
}

await recall();
if (!args.includes('--no-fp')) {
  const stdlib = execFileSync('python3', ['-c', 'import os;print(os.path.dirname(os.__file__))'], { encoding: 'utf8' }).trim();
  await falsePositives('Python standard library (.py)', stdlib, /\.py$/, (n) => n === 'site-packages' || n === '__pycache__');
  const nodeModules = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'node_modules');
  await falsePositives('node_modules (.js .mjs .cjs .ts)', path.resolve(nodeModules), /\.(?:[cm]?js|ts)$/, (n) => n === '.cache');
}
