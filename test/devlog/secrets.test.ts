import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactSecrets } from '../../src/core/secrets.ts';

// Realistic-looking but fake credentials, assembled at run time so scanners of this
// repository do not flag the test file itself.
const AWS_ID = ['AKIA', 'QYLPMN5HHHFPZAM2'].join('');
const AWS_SECRET = ['Tr8kLM2f9Gq0p4sYxZ1v', 'B7nW3hJ6cE5dA0uK9iOl'].join('');
const GHP = ['ghp_', 'wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx'].join('');
const GH_FINE = ['github_pat_', '11ABCDEFG0123456789abc_', 'q8Rw2LmZx7TyPv0KsN4hJcB6dFgE1aUoW9iY3eQrXt5MzHnLp7VbCk2Sj8D'].join('');
const PEM = [
  ['-----BEGIN', 'RSA PRIVATE KEY-----'].join(' '),
  'MIIEpAIBAAKCAQEA1c3Qb7N2X5kR8PvT0e9Lx3xJ4FZsQ8vK7mH2aD6tP1oY9wLk',
  'q7ZrYt2cV8bN4mX1sD6fG9hJ3kL5pO0iU7yT2rE4wQ8aS1dF3gH6jK9lZ2xC5vB8',
  ['-----END', 'RSA PRIVATE KEY-----'].join(' '),
].join('\n');

async function redact(text: string) {
  return redactSecrets(text);
}

test('an AWS access key ID and secret access key are replaced by markers', async () => {
  const src = `aws_access_key_id = "${AWS_ID}"\nAWS_SECRET_ACCESS_KEY=${AWS_SECRET}\n`;
  const r = await redact(src);
  assert.equal(r.text, 'aws_access_key_id = "[REDACTED:aws-access-key]"\nAWS_SECRET_ACCESS_KEY=[REDACTED:aws-secret-key]\n');
  assert.deepEqual(r.findings, [
    { kind: 'aws-access-key', line: 1 },
    { kind: 'aws-secret-key', line: 2 },
  ]);
});

test('GitHub classic and fine-grained tokens are replaced', async () => {
  const r = await redact(`const a = "${GHP}";\nconst b = '${GH_FINE}';\n`);
  assert.ok(!r.text.includes(GHP) && !r.text.includes('github_pat_'));
  assert.equal(r.text, `const a = "[REDACTED:github-token]";\nconst b = '[REDACTED:github-token]';\n`);
});

test('a token longer than its rule expects is replaced to the end of the word', async () => {
  const r = await redact(`t = "${GH_FINE}EXTRA9"\n`);
  assert.equal(r.text, 't = "[REDACTED:github-fine-grained-pat]"\n');
});

test('a PEM private key block is replaced as a whole', async () => {
  const r = await redact(`KEY = """\n${PEM}\n"""\n`);
  assert.equal(r.text, 'KEY = """\n[REDACTED:private-key]\n"""\n');
  assert.deepEqual(r.findings, [{ kind: 'private-key', line: 2 }]);
});

test('a private key inside a string literal with escaped newlines is replaced', async () => {
  const r = await redact(`const key = "${PEM.replace(/\n/g, '\\n')}\\n";\n`);
  assert.equal(r.text, 'const key = "[REDACTED:private-key]\\n";\n');
});

test('passwords in assignments are replaced, in code and in env/YAML lines', async () => {
  const src = [
    'password = "hunter2-Sup3rSecret"',
    "def connect(self, password: str = 'tiger-Scott9'):",
    '    cfg = {"db_password": "correct-horse-9"}',
    'DB_PASSWORD: s3cretPassw0rd',
    'export PGPASSWORD=letmein',
    "SECRET_KEY = 'django-insecure-abc123xyz'",
  ].join('\n');
  const r = await redact(src);
  for (const secret of ['hunter2-Sup3rSecret', 'tiger-Scott9', 'correct-horse-9', 's3cretPassw0rd', 'letmein', 'django-insecure-abc123xyz']) {
    assert.ok(!r.text.includes(secret), `${secret} redacted`);
  }
  assert.match(r.text, /^password = "\[REDACTED:password\]"$/m);
  assert.match(r.text, /^DB_PASSWORD: \[REDACTED:password\]$/m);
  assert.equal(r.findings.length, 6);
});

test('code that only names a password is left alone', async () => {
  const src = [
    'def login(self, password: str) -> bool:',
    '    password: str',
    '    DB_PASSWORD = os.environ["DB_PASSWORD"]',
    '    DB_PASSWORD = settings.DB_PASSWORD',
    '    MAX_PASSWORD_LENGTH = 64',
    '    if password == "admin":',
    '    url = "http://localhost:8080/path"',
    '    password: ${DB_PASS}',
  ].join('\n');
  const r = await redact(src);
  assert.equal(r.text, src);
  assert.deepEqual(r.findings, []);
});

test('connection strings keep scheme, user and host but lose the password', async () => {
  const src = 'DB = "postgres://app:Pa55w0rd-x@db.example.com:5432/app"\nCACHE = "redis://:R3dis-pass@cache.example.com:6379/0"\n';
  const r = await redact(src);
  assert.equal(
    r.text,
    'DB = "postgres://app:[REDACTED:connection-string]@db.example.com:5432/app"\nCACHE = "redis://:[REDACTED:url-password]@cache.example.com:6379/0"\n',
  );
});

test('a detected secret is replaced wherever else it appears', async () => {
  const r = await redact(`password = "hunter2-Sup3rSecret"\n# do not use hunter2-Sup3rSecret in prod\n`);
  assert.ok(!r.text.includes('hunter2-Sup3rSecret'));
  assert.deepEqual(
    r.findings.map((f) => f.line),
    [1, 2],
  );
});

test('a secretlint-disable comment in the source does not let a secret through', async () => {
  const r = await redact(`const t = "${GHP}"; // secretlint-disable-line\n`);
  assert.ok(!r.text.includes(GHP));
});

test('text without secrets comes back unchanged', async () => {
  const src = 'async def run(self):\n    await asyncio.sleep(1)\n';
  assert.deepEqual(await redact(src), { text: src, findings: [] });
});

test('a secret split across string concatenation is replaced, pieces and operator', async () => {
  const head = ['sk', '_live_'].join('');
  const r = await redact(`STRIPE_KEY = "${head}4eC39HqLyjWDarjtT1" + "zdp7dc9Xk2Lm"\nname = "a" + "b"\n`);
  assert.match(r.text, /^STRIPE_KEY = "\[REDACTED:[\w-]+\]"\nname = "a" \+ "b"\n$/);
});
