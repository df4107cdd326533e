import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactSecrets, redactSecretsSync } from '../../src/core/secrets.ts';
import { compileCatalogue } from '../../src/core/secret-rules/catalogue-rule.ts';
import { GITLEAKS_GLOBAL_ALLOWLIST, GITLEAKS_RULES } from '../../src/core/secret-rules/gitleaks.ts';
import { EXTRA_RULES } from '../../src/core/secret-rules/extra.ts';

// Fake credentials in each family's shape, assembled at run time (scanners of this repository
// must not flag the test file).
const j = (...p: string[]) => p.join('');
const FAMILIES: Record<string, string[]> = {
  cloud: [
    j('AKIA', 'QYLPMN5HHHFPZAM2'),
    j('AI', 'zaSyD8x3kQ2mLp9vN4bR7tW1zF6hJ0cY5eU-a'),
    `AccountKey=${j('Zk3Lm9Qr2Tx7Wb4Nc8Vy1Hf6Jd3Ps5Ga0Ue7Oi2Nr9Mt4Lb8Qx1Zw6Ck3Vh5Fy0Jg2Ds7Ea9Rb4Tn8Km1Pw6Hc3Xz5Lq0Uv2Io')}==`,
  ],
  vcs: [j('ghp_', 'wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx'), j('glpat-', 'x9Kq2Lm7Rz4Tb8Wn1Vc6'), j('ATBB', 'q8Rw2LmZx7TyPv0KsN4hJcB6dFgE1aUo')],
  registries: [j('npm_', 'q8Rw2LmZx7TyPv0KsN4hJcB6dFgE1aUoW9iY'), j('dckr_pat_', 'q8Rw2LmZx7TyPv0KsN4hJcB6dFg')],
  chat: [j('xoxb-', '123456789012-1234567890123-', 'q8Rw2LmZx7TyPv0KsN4hJcB6'), j('7294618352', ':AA', 'Hq2Lm9Rz4Tb8Wn1Kc6Vy3Hf5Jd0Ps7Ga2U')],
  payments: [j('sk_', 'live_', '4eC39HqLyjWDarjtT1zdp7dc'), j('rk_', 'live_', '51HxQ2eKr8TzVb0Np3MwLs6Y'), j('sq0csp-', 'q8Rw2LmZx7TyPv0KsN4hJcB6dFgE1aUoW9iY3eQrXt5')],
  llm: [j('sk-ant-', 'api03-', 'Xq7Lm2Rz9Tb4Wn8Kc1Vy6Hf3Jd5Ps0Ga7Ue2Oi9Nr4Mt8Lb1Qx6Zw3Ck5Vh0Fy2Jg7Ds9Ea4Rb8Tn1Km6Pw3Hc5Xz0Lq2Uv7Io9Sd4Fg1', 'AA'), j('hf_', 'QmWxRtZpLkJhGfDsAqWeRtYuIoPlKjHgFd'), j('r8_', 'q8Rw2LmZx7TyPv0KsN4hJcB6dFgE1aUoW9iY3')],
  mail: [j('SG.', 'qR7mX-2kLp9Zt4Wn8Bc1Vy', '.', 'Hf3Jd5Ps0Ga7Ue2Oi9Nr4Mt8Lb1Qx6Zw3Ck5Vh0Fy-J'), j('key-', '7c1f8a4e3f9c2a7e1b8d4c6f0a5e9b2d'), j('SK', '3f9c2a7e1b8d4c6f0a5e9b2d7c1f8a4e')],
  observability: [j('NRAK-', 'Q8RW2LMZX7TYPV0KSN4HJCB6DFG'), `https://${j('3f9c2a7e1b8d4c6f', '0a5e9b2d7c1f8a4e')}@o123456.ingest.sentry.io/1234567`],
  jwt: [j('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', '.', 'eyJzdWIiOiI4MjkxNzM2NDUwIiwibmFtZSI6InFhZ2VudCJ9', '.', 'Rk3mX9pL2qW7tZ4vN8bC1yH6fJ0dS5gA3uE-iO2nR9m')],
};

for (const [family, values] of Object.entries(FAMILIES)) {
  test(`${family} credentials are redacted in code, by the async and the sync redactor`, async () => {
    for (const v of values) {
      const text = `value = "${v}"\n`;
      assert.ok(!(await redactSecrets(text)).text.includes(v.slice(10, 22)), `${family}: ${v.slice(0, 10)}… (async)`);
      assert.ok(!redactSecretsSync(text).text.includes(v.slice(10, 22)), `${family}: ${v.slice(0, 10)}… (sync)`);
    }
  });
}

test('generic keyword assignments are redacted in code, YAML, JSON, .env, default arguments and comments', async () => {
  const v = j('Tq8Lm2Rz9Xb4Wn7K', 'c1Vy6Hf3Jd5Ps0Ga');
  for (const text of [`API_KEY = "${v}"`, `api_key: ${v}`, `{"clientSecret": "${v}"}`, `AUTH_TOKEN=${v}`, `def f(token="${v}"):`, `# credential: ${v}`, `h = {"Authorization": "Bearer ${v}"}`]) {
    assert.ok(!(await redactSecrets(text)).text.includes(v), text);
  }
});

test('a private key block cut in a diff (BEGIN without END) and body lines alone are redacted', async () => {
  const lines = Array.from({ length: 8 }, (_, i) => j('MIIE', String(i), 'q8Rw2LmZx7TyPv0KsN4hJcB6dFgE1aUoW9iY3eQrXt5MzHnLp7VbCk2Sj8Dq8Rw2Lm').slice(0, 64));
  const begin = `@@ -0,0 +1,50 @@\n+${j('-----BEGIN', ' RSA PRIVATE KEY-----')}\n${lines.map((l) => '+' + l).join('\n')}\n`;
  const body = `@@ -10,6 +10,6 @@\n${lines.map((l) => ' ' + l).join('\n')}\n`;
  for (const text of [begin, body]) {
    const out = (await redactSecrets(text)).text;
    for (const l of lines) assert.ok(!out.includes(l.slice(8, 40)), out);
  }
});

test('references, type hints, hashes, UUIDs and identifiers are left alone', async () => {
  const text = [
    'def login(self, password: str, token: Optional[str] = None) -> bool:',
    '    api_key = os.environ["API_KEY"]',
    '    token = os.getenv("GITHUB_TOKEN")',
    '    secret: ${VAR}',
    '    password = "${DB_PASSWORD}"',
    '    expected_sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"',
    '    request_id = "123e4567-e89b-12d3-a456-426614174000"',
    '    token_type = TokenType.BEARER',
    '    key = "Europe/Dublin"',
    '    RegEnumKey = win32api.RegEnumKey',
    '    exports.getKeys = eslint_visitor_keys_1.getKeys;',
    '    type ArrowToken$1 = PunctuatorToken<"=>">;',
  ].join('\n');
  assert.deepEqual((await redactSecrets(text)).findings, []);
  assert.deepEqual(redactSecretsSync(text).findings, []);
});

test('every rule of the table compiles as a JavaScript regular expression', () => {
  const c = compileCatalogue({ rules: [...GITLEAKS_RULES, ...EXTRA_RULES], allowlist: GITLEAKS_GLOBAL_ALLOWLIST });
  assert.ok(c.rules.length > 200);
});

test('redacting structured values redacts a short secret every time it is seen, not only the first', async () => {
  const { redactValueSync } = await import('../../src/core/redact.ts');
  const token = j('ghp_', 'wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx');
  const call = `requests.get(url, auth=("${token}"))`;
  for (let i = 0; i < 3; i++) {
    const out = redactValueSync({ calls: [{ text: call }, { text: 'len(items)' }], note: token });
    assert.doesNotMatch(JSON.stringify(out), /ghp_wWPw/);
    assert.equal(out.calls[1].text, 'len(items)');
  }
});
