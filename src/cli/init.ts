/**
 * `codeworm init [--devlog PATH] [--dashboard-token]`: a starter configuration directory
 * (commented config.yaml, repos.yaml, prompts.yaml) and the DevLog repository with its
 * folders. Existing files are kept, never overwritten. Non-interactive: `--dashboard-token`
 * writes a random dashboard token into a new config.yaml (mode 0600), or prints one to paste
 * when config.yaml already exists.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { action, globalOptions } from './common.ts';
import { MIN_DASHBOARD_TOKEN_CHARS } from '../config/schema.ts';
import { starterConfigYaml, starterPromptsYaml, starterReposYaml } from '../config/starter.ts';
import { expandPath } from '../config/load.ts';
import { DevLogRepo } from '../devlog/git.ts';

async function writeIfMissing(file: string, text: string, mode = 0o644): Promise<boolean> {
  try {
    await writeFile(file, text, { flag: 'wx', mode });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/**
 * A random dashboard token: 32 random bytes as base64url, 43 characters (256 bits), above
 * `MIN_DASHBOARD_TOKEN_CHARS`.
 */
export function newDashboardToken(): string {
  const token = randomBytes(32).toString('base64url');
  if (token.length < MIN_DASHBOARD_TOKEN_CHARS) throw new Error('token too short'); // cannot happen: 43 chars
  return token;
}

interface InitOptions {
  devlog: string;
  dashboardToken: boolean;
}

export function register(program: Command): void {
  program
    .command('init')
    .description('create a starter config directory and the DevLog repository')
    .option('--devlog <path>', 'where the DevLog repository goes', 'devlog')
    .option('--dashboard-token', `write a random dashboard.token (${MIN_DASHBOARD_TOKEN_CHARS}+ characters, needed to serve the dashboard beyond this machine)`, false)
    .action(
      action(async (opts: InitOptions, cmd: Command) => {
        const configDir = path.resolve(expandPath(globalOptions(cmd).config));
        await mkdir(configDir, { recursive: true });
        const devlogPath = path.resolve(expandPath(opts.devlog));
        const rel = path.relative(configDir, devlogPath) || '.';
        const token = opts.dashboardToken ? newDashboardToken() : '';
        // a config holding a secret is readable by its owner only
        const files: [string, string, number][] = [
          ['config.yaml', starterConfigYaml(rel, token), token ? 0o600 : 0o644],
          ['repos.yaml', starterReposYaml(), 0o644],
          ['prompts.yaml', starterPromptsYaml(), 0o644],
        ];
        let configKept = false;
        for (const [name, text, mode] of files) {
          const created = await writeIfMissing(path.join(configDir, name), text, mode);
          if (name === 'config.yaml') configKept = !created;
          process.stdout.write(`${created ? 'created' : 'kept   '} ${path.join(configDir, name)}\n`);
        }
        const devlog = new DevLogRepo({ repoPath: devlogPath });
        const res = await devlog.ensure();
        process.stdout.write(`${res.created ? 'created' : 'kept   '} DevLog ${devlogPath}${res.added.length ? ` (+${res.added.length} folders)` : ''}\n`);
        const configFile = path.join(configDir, 'config.yaml');
        if (token && !configKept) {
          process.stdout.write(`wrote a random dashboard.token to ${configFile} (mode 0600); sign in to the dashboard with it\n`);
        } else if (token) {
          process.stdout.write(
            `\n${configFile} was kept, so no token was written into it. To protect the dashboard, set\n` +
              `  dashboard:\n    token: "${token}"\n` +
              `there (or CODEWORM_DASHBOARD__TOKEN=${token} in the service environment).\n`,
          );
        } else {
          process.stdout.write(
            `\nThe dashboard serves 127.0.0.1 only; to serve it beyond this machine it needs a dashboard.token of ` +
              `${MIN_DASHBOARD_TOKEN_CHARS}+ characters (codeworm init --dashboard-token writes one).\n`,
          );
        }
        process.stdout.write(`\nNext: add repositories to ${path.join(configDir, 'repos.yaml')}, then\n  codeworm --config ${configDir} run-once\n`);
      }),
    );
}
