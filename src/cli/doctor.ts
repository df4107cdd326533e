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
import { hostSpecsFromSettings } from '../llm/hosts.ts';
import { DevLogRepo } from '../devlog/git.ts';
import { describeOwner, devlogLockPath, daemonLockPath, inspectLock, stateLockPath } from '../state/lock.ts';
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';

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
  if (settings.llm.hosts.length > 0 && providerOverride !== 'static') {
    // the hosts of `backfill`: each answers with its model, or is named with what is wrong
    const specs = hostSpecsFromSettings(settings);
    const healths = await Promise.all(specs.map((s) => s.provider.health()));
    specs.forEach((s, i) => {
      const h = healths[i];
      const ok = h.ok && h.modelPresent !== false;
      checks.push({ name: `llm host ${s.label}`, ok, detail: ok ? `${s.provider.model} on ${s.provider.name}, concurrency ${s.concurrency}` : h.detail });
    });
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
  checks.push(checkDatabase(path.join(settings.data_dir, 'codeworm.db')));
  if (settings.storage.url) checks.push(await checkPostgres(settings.storage.url));
  checks.push(await checkDevlogState(repo));
  checks.push(await checkLocks(settings));
  const repos = settings.repositories.filter((r) => r.enabled);
  checks.push({
    name: 'repositories',
    ok: repos.length > 0,
    detail: repos.length > 0 ? `${repos.length} enabled: ${repos.map((r) => r.name).join(', ')}` : 'none: add repositories to repos.yaml',
  });
  return checks;
}

/**
 * Fleet mode's PostgreSQL (`storage.url`): reachable, and how far its migrations are (the first
 * coordinator or worker applies them). Read-only.
 */
export async function checkPostgres(url: string): Promise<Check> {
  const { default: pg } = await import('pg');
  const { PG_MIGRATIONS, safePgUrl } = await import('../state/pg.ts');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  // the server going away rejects the query in flight; unheard, its 'error' event would end the process
  client.on('error', () => undefined);
  try {
    await client.connect();
    const version = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v;
    const table = (await client.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t")).rows[0].t;
    const applied = table ? (await client.query<{ n: string }>('SELECT count(*) AS n FROM schema_migrations')).rows[0].n : '0';
    const latest = PG_MIGRATIONS.length;
    return {
      name: 'postgres',
      ok: true,
      detail: `${safePgUrl(url)} reachable (PostgreSQL ${version}); ${applied} of ${latest} migrations applied${Number(applied) < latest ? ' (the first coordinator or worker applies the rest)' : ''}`,
    };
  } catch (err) {
    return { name: 'postgres', ok: false, detail: `${safePgUrl(url)} not reachable: ${(err as Error).message}; check storage.url, PGPASSWORD and pg_hba.conf` };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The state database: absent (new), zero bytes (lost), or passing `PRAGMA quick_check`. */
export function checkDatabase(file: string): Check {
  if (!existsSync(file)) return { name: 'database', ok: true, detail: `${file} does not exist yet (created by the first run)` };
  if (statSync(file).size === 0) {
    return { name: 'database', ok: false, detail: `${file} is empty (0 bytes): the state was lost; move it aside and run \`codeworm state rebuild\`` };
  }
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    const rows = db.pragma('quick_check') as { quick_check: string }[];
    const problems = rows.map((r) => r.quick_check).filter((m) => m !== 'ok');
    if (problems.length === 0) return { name: 'database', ok: true, detail: `${file} passes PRAGMA quick_check` };
    return { name: 'database', ok: false, detail: `${file} is damaged (PRAGMA quick_check: ${problems.slice(0, 3).join('; ')}); restore a backup or move it aside and run \`codeworm state rebuild\`` };
  } catch (err) {
    return { name: 'database', ok: false, detail: `${file} cannot be read as a database (${(err as Error).message}); move it aside and run \`codeworm state rebuild\`` };
  } finally {
    db?.close();
  }
}

/** The DevLog's git state: no merge/rebase left in progress, no index.lock held by a dead git. */
async function checkDevlogState(repo: DevLogRepo): Promise<Check> {
  if (!(await repo.isRepository())) return { name: 'devlog git', ok: true, detail: `${repo.root} is not a git repository yet (created by the first run)` };
  const op = await repo.operationInProgress().catch(() => null);
  if (op) return { name: 'devlog git', ok: false, detail: `${repo.root} is in the middle of a ${op}: every cycle fails until it is finished or aborted (git -C ${repo.root} ${op} --abort)` };
  const lock = await repo.indexLockState().catch(() => ({ state: 'unknown' as const, pid: undefined }));
  if (lock.state === 'held') return { name: 'devlog git', ok: true, detail: `index.lock held by git process pid ${lock.pid} (running now)` };
  if (lock.state === 'stale') return { name: 'devlog git', ok: true, detail: 'a stale index.lock (no git process holds it); the next cycle removes it' };
  return { name: 'devlog git', ok: true, detail: `${repo.root} on a branch, no merge or rebase in progress` };
}

/** CodeWorm's writer locks: free, held by a live process (who), or left by a dead one. */
async function checkLocks(settings: Settings): Promise<Check> {
  const locks: [string, string][] = [
    ['DevLog writer', await devlogLockPath(settings.devlog.repo_path)],
    ['state writer', await stateLockPath(settings.data_dir)],
    ['daemon', await daemonLockPath(settings.devlog.repo_path)],
  ];
  const parts: string[] = [];
  for (const [what, lockPath] of locks) {
    const { state, owner } = await inspectLock(lockPath);
    if (state === 'free') continue;
    if (state === 'held') parts.push(`${what} lock held by ${describeOwner(owner)}`);
    else if (state === 'stale') parts.push(`${what} lock left by a dead process (${describeOwner(owner)}); the next writer removes it`);
    else parts.push(`${what} lock ${lockPath} held by ${describeOwner(owner)} (cannot check its pid from this host)`);
  }
  return { name: 'locks', ok: true, detail: parts.length ? parts.join('; ') : 'no CodeWorm process is writing' };
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
