/**
 * `codeworm init [--devlog PATH]`: a starter configuration directory (commented config.yaml,
 * repos.yaml, prompts.yaml) and the DevLog repository with its folders. Existing files are
 * kept, never overwritten.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { action, globalOptions } from './common.ts';
import { starterConfigYaml, starterPromptsYaml, starterReposYaml } from '../config/starter.ts';
import { expandPath } from '../config/load.ts';
import { DevLogRepo } from '../devlog/git.ts';

async function writeIfMissing(file: string, text: string): Promise<boolean> {
  try {
    await writeFile(file, text, { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

export function register(program: Command): void {
  program
    .command('init')
    .description('create a starter config directory and the DevLog repository')
    .option('--devlog <path>', 'where the DevLog repository goes', 'devlog')
    .action(
      action(async (opts: { devlog: string }, cmd: Command) => {
        const configDir = path.resolve(expandPath(globalOptions(cmd).config));
        await mkdir(configDir, { recursive: true });
        const devlogPath = path.resolve(expandPath(opts.devlog));
        const rel = path.relative(configDir, devlogPath) || '.';
        const files: [string, string][] = [
          ['config.yaml', starterConfigYaml(rel)],
          ['repos.yaml', starterReposYaml()],
          ['prompts.yaml', starterPromptsYaml()],
        ];
        for (const [name, text] of files) {
          const created = await writeIfMissing(path.join(configDir, name), text);
          process.stdout.write(`${created ? 'created' : 'kept   '} ${path.join(configDir, name)}\n`);
        }
        const devlog = new DevLogRepo({ repoPath: devlogPath });
        const res = await devlog.ensure();
        process.stdout.write(`${res.created ? 'created' : 'kept   '} DevLog ${devlogPath}${res.added.length ? ` (+${res.added.length} folders)` : ''}\n`);
        process.stdout.write(`\nNext: add repositories to ${path.join(configDir, 'repos.yaml')}, then\n  codeworm --config ${configDir} run-once\n`);
      }),
    );
}
