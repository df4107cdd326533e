import type { Command } from 'commander';
import { VERSION } from '../core/version.ts';

/** `codeworm version`: the version, Node's version and the platform. */
export function register(program: Command): void {
  program
    .command('version')
    .description('print the version')
    .action(() => {
      process.stdout.write(`codeworm ${VERSION} (node ${process.version}, ${process.platform}-${process.arch})\n`);
    });
}
