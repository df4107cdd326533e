import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../support/cli.ts';
import { commitAll, makeRepo, writeFiles } from '../support/git-repo.ts';
import { ECHO_REPLY, startFakeLlm } from '../support/fake-llm.ts';
import { loadSettings } from '../../src/config/load.ts';
import { startDashboard } from '../../src/dashboard/server.ts';

// Random, inactive credentials in each provider's shape, assembled at run time so scanners of
// this repository do not flag the test file itself.
const j = (...parts: string[]) => parts.join('');
const S = {
  stripe: j('sk_', 'live_', '4eC39HqLyjWDarjtT1zdp7dc'),
  stripeSubject: j('rk_', 'live_', '51HxQ2eKr8TzVb0Np3MwLs6Y'),
  google: j('AI', 'za', 'SyD8x3kQ2mLp9vN4bR7tW1zF6hJ0cY5eU-a'),
  anthropic: j('sk-ant-', 'api03-', 'Xq7Lm2Rz9Tb4Wn8Kc1Vy6Hf3Jd5Ps0Ga7Ue2Oi9Nr4Mt8Lb1Qx6Zw3Ck5Vh0Fy2Jg7Ds9Ea4Rb8Tn1Km6Pw3Hc5Xz0Lq2Uv7Io9Sd4Fg1'),
  huggingface: j('hf_', 'QmWxRtZpLkJhGfDsAqWeRtYuIoPlKjHgFd'),
  sendgrid: j('SG.', 'qR7mX-2kLp9Zt4Wn8Bc1Vy', '.', 'Hf3Jd5Ps0Ga7Ue2Oi9Nr4Mt8Lb1Qx6Zw3Ck5Vh0Fy-J'),
  twilio: j('SK', '3f9c2a7e1b8d4c6f0a5e9b2d7c1f8a4e'),
  mailgun: j('key-', '7c1f8a4e3f9c2a7e1b8d4c6f0a5e9b2d'),
  telegram: j('7294618352', ':AA', 'Hq2Lm9Rz4Tb8Wn1Kc6Vy3Hf5Jd0Ps7Ga2Ue'),
  azure: j('Zk3Lm9Qr2Tx7Wb4Nc8Vy1Hf6Jd3Ps5Ga0Ue7Oi2Nr9Mt4Lb8Qx1Zw6Ck3Vh5Fy0Jg2Ds7Ea9Rb4Tn8Km1Pw6Hc3Xz5Lq0Uv2Io', '=='),
  jwt: j('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', '.', 'eyJzdWIiOiI4MjkxNzM2NDUwIiwibmFtZSI6InFhZ2VudCJ9', '.', 'Rk3mX9pL2qW7tZ4vN8bC1yH6fJ0dS5gA3uE-iO2nR9m'),
  apiKey: j('8f3a9c2e7b1d', '4f6a0c5e9b2d7f1a8c4e3b9d'),
  authToken: j('Tq8Lm2Rz9Xb4Wn7K', 'c1Vy6Hf3Jd5Ps0Ga'),
  clientSecret: j('Vy6Hf3Jd5Ps0Ga7U', 'e2Oi9Nr4Mt8Lb1Qx6Zw3Ck5V'),
  bearer: j('Zx9Lm2Rq7Tb4Wn1K', 'c8Vy3Hf6Jd0Ps5Ga2Ue7Oi4Nr'),
  datadog: j('a94f1c7e3b8d2f60', 'c5e9a1d7b3f8c2e4'),
  docPassword: j('hunter', '42-Sup3rSecret'),
  defaultToken: j('Lm2Rz9Tb4Wn8Kc1V', 'y6Hf3Jd5Ps0Ga7Ue2Oi9'),
  splitHead: j('sk_', 'live_', 'Qw8Er4Ty2Ui'),
  splitTail: j('Op6As3Df9Gh1Jk'),
  awsDoc: j('wJalrXUtnFEMI/K7MDENG', '/bPxRfiCYzQ8dR2vT9k'),
};
const PEM_LINES = Array.from({ length: 24 }, (_, i) => j('M', 'II', 'Ep', String(i).padStart(2, '0'), 'Aq7Lm2Rz9Tb4Wn8Kc1Vy6Hf3Jd5Ps0Ga7Ue2Oi9Nr4Mt8Lb1Qx6Zw3Ck5'));
const PEM = [j('-----BEGIN', ' RSA PRIVATE KEY-----'), ...PEM_LINES, j('-----END', ' RSA PRIVATE KEY-----')].join('\n');

const BILLING = `"""Billing helpers.

Operations note: the admin password is ${S.docPassword} until the vault is set up.
"""
import requests

STRIPE_KEY = "${S.stripe}"
GOOGLE_MAPS_KEY = "${S.google}"
ANTHROPIC_API_KEY = "${S.anthropic}"
HF_TOKEN = "${S.huggingface}"
SENDGRID_API_KEY = "${S.sendgrid}"
TWILIO_API_KEY = "${S.twilio}"
MAILGUN = "${S.mailgun}"
TELEGRAM_BOT = "${S.telegram}"
AZURE = "DefaultEndpointsProtocol=https;AccountName=billing;AccountKey=${S.azure};EndpointSuffix=core.windows.net"
SESSION = "${S.jwt}"
API_KEY = "${S.apiKey}"
auth_token = "${S.authToken}"
client_secret = "${S.clientSecret}"
DATADOG_API_KEY = "${S.datadog}"
SPLIT = "${S.splitHead}" + "${S.splitTail}"


def charge_customers(customers, amount, token="${S.defaultToken}", retries=3):
    """Charge every customer. Uses the AWS secret key: ${S.awsDoc} for receipts."""
    headers = {"Authorization": "Bearer ${S.bearer}", "X-Token": token}
    charged = []
    for customer in customers:
        if not customer.get("active"):
            continue
        for attempt in range(retries):
            response = requests.post("https://api.example.com/charge", headers=headers, json={"c": customer["id"], "a": amount})
            if response.status_code == 200:
                charged.append(customer["id"])
                break
            elif response.status_code == 429:
                continue
            else:
                raise RuntimeError(f"charge failed for {customer['id']}")
    return charged
`;

const KEYS_V1 = `# deploy key\nDEPLOY_KEY = """\n${PEM}\n"""\n`;
// the second commit rewrites the lines before the key, code included (a change in behaviour big
// enough for code_evolution): the hunk shows BEGIN and a few body lines, never END
const KEYS_V2 = `# deploy key (rotated by ops)\nKEY_OWNER = "billing"\nROTATE_DAYS = 365\nDEPLOY_KEY = """\n${PEM}\n"""\n`;

const SECRETS = [...Object.values(S), ...PEM_LINES.map((l) => l.slice(0, 40))];

function leaks(where: string, text: string): string[] {
  return SECRETS.filter((s) => text.includes(s)).map((s) => `${where}: ${s.slice(0, 24)}…`);
}

/** Every file under `dir` (the DevLog's working tree and its .git objects are read through git). */
function bytesOf(files: string[]): string {
  return files.filter((f) => existsSync(f)).map((f) => readFileSync(f).toString('latin1')).join('\n');
}

test('a repository full of credentials: no secret in prompts, pages, commits, history, database, cache, logs or API responses', { timeout: 240_000 }, async () => {
  const repo = await makeRepo({ 'billing.py': BILLING, 'keys.py': KEYS_V1 }, { message: 'Add billing' });
  await writeFiles(repo, { 'keys.py': KEYS_V2 });
  await commitAll(repo, `Rotate billing key ${S.stripeSubject} after the audit`);
  const llm = await startFakeLlm({ reply: ECHO_REPLY });
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-secrets-e2e-'));
  const cacheHome = mkdtempSync(path.join(tmpdir(), 'cw-secrets-cache-'));
  const devlog = path.join(dir, 'devlog');
  try {
    await writeFile(
      path.join(dir, 'config.yaml'),
      [
        `data_dir: ${path.join(dir, 'data')}`,
        'devlog:',
        `  repo_path: ${devlog}`,
        '  author_name: T',
        '  author_email: t@example.com',
        'ollama:',
        `  host: ${llm.url}`,
        'analyzer:',
        '  min_lines: 5',
        '  min_complexity: 1',
        '',
      ].join('\n'),
    );
    await writeFile(path.join(dir, 'repos.yaml'), `repositories:\n  - name: billing\n    path: ${repo}\n`);
    let logs = '';
    for (const type of ['function_doc', 'security_review', 'file_doc', 'code_evolution', 'weekly_summary']) {
      const res = await runCli(['--config', dir, '--debug', 'run-once', '--type', type], { env: { XDG_CACHE_HOME: cacheHome } });
      assert.equal(res.code, 0, `${type}: ${res.stderr}`);
      logs += `${res.stdout}\n${res.stderr}\n`;
    }

    const prompts = JSON.stringify(llm.requests.map((r) => r.body));
    const history = execFileSync('git', ['log', '-p', '--all', '--format=%H%n%s%n%b'], { cwd: devlog, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const pages = execFileSync('git', ['ls-files'], { cwd: devlog, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f.endsWith('.md'));
    const dataDir = path.join(dir, 'data');
    const cacheDir = path.join(cacheHome, 'codeworm-nodejs');
    const database = bytesOf(readdirSync(dataDir).map((f) => path.join(dataDir, f)));
    const cache = bytesOf(readdirSync(cacheDir).map((f) => path.join(cacheDir, f)));

    // the run did document the credentials' code, through the echoing model
    assert.ok(pages.length >= 4, `pages written: ${pages.join(', ')}`);
    assert.ok(pages.some((p) => p.startsWith('evolution/')), 'a code_evolution page (a diff of the key file)');
    assert.match(prompts, /charge_customers/);
    assert.match(prompts, /REDACTED/);
    assert.match(history, /REDACTED/);
    assert.match(history, /Rotate billing key \[REDACTED|REDACTED/);
    assert.ok(database.length > 0 && cache.length > 0);

    // the dashboard API, served in-process on 127.0.0.1 from the same database and DevLog
    const settings = await loadSettings(dir);
    const dash = await startDashboard({ settings, host: '127.0.0.1', port: 0, thread: false });
    let api = '';
    try {
      for (const p of ['/api/stats', '/api/recent?limit=200', '/api/repos', '/api/doc_types', '/api/languages', '/api/activity']) {
        const res = await fetch(new URL(p, dash.url));
        assert.equal(res.status, 200, p);
        api += await res.text();
      }
      const ids = [...api.matchAll(/"id":"([0-9a-f-]{36})"/g)].map((m) => m[1]);
      assert.ok(ids.length >= 4, 'every page is listed');
      for (const id of new Set(ids)) {
        const res = await fetch(new URL(`/api/docs/${id}`, dash.url));
        assert.equal(res.status, 200);
        api += await res.text();
      }
    } finally {
      await dash.close();
    }

    const found = [
      ...leaks('prompt', prompts),
      ...leaks('DevLog history', history),
      ...leaks('state database', database),
      ...leaks('index cache', cache),
      ...leaks('logs and output', logs),
      ...leaks('dashboard API', api),
    ];
    assert.deepEqual(found, []);

    // at rest: owner-only files
    assert.equal(statSync(path.join(dataDir, 'codeworm.db')).mode & 0o777, 0o600);
    assert.equal(statSync(path.join(cacheDir, 'index-cache.db')).mode & 0o777, 0o600);
    assert.equal(statSync(cacheDir).mode & 0o777, 0o700);
  } finally {
    await llm.close();
  }
});
