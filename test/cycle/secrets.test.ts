import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { runCli } from '../support/cli.ts';
import { makeRepo } from '../support/git-repo.ts';
import { startFakeLlm } from '../support/fake-llm.ts';

// Realistic material of the shapes scanners look for (not live credentials).
const AWS_KEY_ID = 'AKIAQWERTYUIOPASDFGH';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8dR2vT9k';
const GITHUB_TOKEN = 'ghp_R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3s00';
const PRIVATE_KEY_BODY = 'MIIEowIBAAKCAQEAx8kW0m9rQ2zJ3b6Vn1L5tKpY7sD4fG8hJ2kL9mN0pQ1rS3tU';
const PASSWORD = 'Tr0ub4dor&3horsebattery';

const SOURCE = `import boto3
import requests


def sync_reports(bucket, prefix="reports/", verbose=False):
    """Copy report files to S3 and announce them on GitHub."""
    session = boto3.Session(
        aws_access_key_id="${AWS_KEY_ID}",
        aws_secret_access_key="${AWS_SECRET}",
    )
    db_password = "${PASSWORD}"
    headers = {"Authorization": "token ${GITHUB_TOKEN}"}
    signing_key = """-----BEGIN RSA PRIVATE KEY-----
${PRIVATE_KEY_BODY}
-----END RSA PRIVATE KEY-----"""
    s3 = session.client("s3")
    sent = 0
    for item in s3.list_objects(Bucket=bucket, Prefix=prefix).get("Contents", []):
        if item["Size"] == 0:
            continue
        if verbose:
            print("sending", item["Key"])
        elif item["Key"].endswith(".tmp"):
            continue
        requests.post("https://api.github.com/repos/x/y/issues", headers=headers, json={"title": item["Key"]})
        sent += 1
    return sent, signing_key, db_password
`;

test('no secret from the source reaches a prompt, a page or a commit, even when the LLM echoes its prompt', async () => {
  const repo = await makeRepo({ 'reports.py': SOURCE });
  // The worst LLM: it repeats everything it was sent.
  const llm = await startFakeLlm({ reply: (call) => `Echo of the request:\n\n${call.system}\n\n${call.prompt}` });
  try {
    const dir = await mkdtemp(path.join(tmpdir(), 'cw-secrets-'));
    const devlog = path.join(dir, 'devlog');
    await writeFile(
      path.join(dir, 'config.yaml'),
      `data_dir: ${path.join(dir, 'data')}\ndevlog:\n  repo_path: ${devlog}\n  author_name: T\n  author_email: t@example.com\nollama:\n  host: ${llm.url}\n`,
    );
    await writeFile(path.join(dir, 'repos.yaml'), `repositories:\n  - name: reports\n    path: ${repo}\n`);
    for (const type of ['function_doc', 'file_doc', 'security_review']) {
      const res = await runCli(['--config', dir, 'run-once', '--type', type]);
      assert.equal(res.code, 0, res.stderr);
      for (const secret of [AWS_KEY_ID, AWS_SECRET, GITHUB_TOKEN, PRIVATE_KEY_BODY, PASSWORD]) {
        assert.ok(!res.stdout.includes(secret), `${type}: ${secret} printed`);
      }
    }
    const everything = [
      execFileSync('git', ['log', '-p', '--all', '--format=%H %s%n%b'], { cwd: devlog, encoding: 'utf8' }),
      JSON.stringify(llm.requests.map((r) => r.body)),
    ].join('\n');
    assert.match(everything, /sync_reports/, 'the pages and prompts are about the function');
    assert.match(everything, /REDACTED/, 'secrets were replaced by a marker');
    for (const secret of [AWS_KEY_ID, AWS_SECRET, GITHUB_TOKEN, PRIVATE_KEY_BODY, PASSWORD]) {
      assert.ok(!everything.includes(secret), `${secret} leaked`);
    }
  } finally {
    await llm.close();
  }
});
