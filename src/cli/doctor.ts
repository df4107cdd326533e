/**
 * `codeworm doctor`: checks what a run needs — config valid, LLM reachable, model present,
 * DevLog writable, git identity, remote reachable — one line each, OK or what to do.
 * Exit 0 when every check passes, 1 otherwise.
 */
import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import { action, settingsFor, printJson } from './common.ts';
import type { Settings } from '../config/schema.ts';
import { ConfigError } from '../config/load.ts';
import { createProvider } from '../llm/providers/index.ts';
import { DevLogRepo } from '../devlog/git.ts';

const run = promisify(execFile);

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** Run every check against loaded settings. Never throws. */
export async function runChecks(settings: Settings, providerOverride?: 'ollama' | 'openai' | 'static'): Promise<Check[]> {
  const checks: Check[] = [{ name: 'config', ok: true, detail: `loaded from ${settings.configDir}` }];
  const provider = createProvider(settings, providerOverride);
  if (provider.name === 'static') {
    checks.push({ name: 'llm', ok: true, detail: 'static provider: no LLM needed' });
  } else {
    const h = await provider.health();
    checks.push({ name: 'llm', ok: h.ok, detail: h.ok ? `reachable at ${h.url}` : `not reachable at ${h.url}: ${h.detail}` });
    if (h.ok) {
      checks.push({
        name: 'model',
        ok: h.modelPresent !== false,
        detail: h.modelPresent === false ? h.detail : `${provider.model} ${h.modelPresent ? 'present' : '(presence unknown)'}`,
      });
    }
  }
  const devlogPath = settings.devlog.repo_path;
  try {
    await mkdir(devlogPath, { recursive: true });
    await access(devlogPath, constants.W_OK);
    const probe = path.join(devlogPath, `.codeworm-doctor-${process.pid}`);
    await writeFile(probe, 'ok');
    await rm(probe);
    checks.push({ name: 'devlog', ok: true, detail: `${devlogPath} is writable` });
  } catch (err) {
    checks.push({ name: 'devlog', ok: false, detail: `${devlogPath} is not writable (${(err as Error).message}); fix permissions or set devlog.repo_path` });
  }
  const repo = new DevLogRepo({ repoPath: devlogPath, authorName: settings.devlog.author_name, authorEmail: settings.devlog.author_email });
  const who = await repo.identity().catch(() => null);
  const explicit = Boolean(settings.devlog.author_name && settings.devlog.author_email);
  const configured = await run('git', ['config', '--get', 'user.email'], { cwd: devlogPath }).then(() => true, () => false);
  checks.push({
    name: 'git identity',
    ok: explicit || configured,
    detail:
      explicit || configured
        ? `${who?.name} <${who?.email}>`
        : 'not set: set devlog.author_name/author_email in config.yaml or `git config --global user.email you@example.com`',
  });
  if (!settings.devlog.remote) {
    checks.push({ name: 'remote', ok: true, detail: 'no remote configured (pages stay local)' });
  } else {
    try {
      await run('git', ['ls-remote', '--heads', settings.devlog.remote], { cwd: devlogPath, timeout: 20_000, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
      checks.push({ name: 'remote', ok: true, detail: `${settings.devlog.remote} reachable` });
    } catch (err) {
      const msg = ((err as { stderr?: string }).stderr ?? (err as Error).message).trim().split('\n')[0];
      checks.push({ name: 'remote', ok: false, detail: `${settings.devlog.remote} not reachable: ${msg}; check the URL and your credentials` });
    }
  }
  const repos = settings.repositories.filter((r) => r.enabled);
  checks.push({
    name: 'repositories',
    ok: repos.length > 0,
    detail: repos.length > 0 ? `${repos.length} enabled: ${repos.map((r) => r.name).join(', ')}` : 'none: add repositories to repos.yaml',
  });
  return checks;
}

export function register(program: Command): void {
  program
    .command('doctor')
    .description('check configuration, LLM, DevLog, git identity and remote')
    .option('--provider <name>', 'check this provider instead of llm.provider')
    .option('--json', 'print the checks as JSON', false)
    .action(
      action(async (opts: { provider?: 'ollama' | 'openai' | 'static'; json: boolean }, cmd: Command) => {
        let checks: Check[];
        try {
          checks = await runChecks(await settingsFor(cmd), opts.provider);
        } catch (err) {
          if (!(err instanceof ConfigError)) throw err;
          checks = [{ name: 'config', ok: false, detail: err.message }];
        }
        if (opts.json) printJson({ ok: checks.every((c) => c.ok), checks });
        else for (const c of checks) process.stdout.write(`${c.ok ? 'OK  ' : 'FAIL'}  ${c.name.padEnd(13)} ${c.detail}\n`);
        if (!checks.every((c) => c.ok)) process.exitCode = 1;
      }),
    );
}
