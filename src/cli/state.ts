/**
 * `codeworm state rebuild [--devlog PATH] [--json]`: record a state row for every DevLog page
 * that carries an identity comment and has none (after a crash between commit and row, or to
 * rebuild a lost database from the DevLog alone).
 */
import path from 'node:path';
import type { Command } from 'commander';
import { DevLogError } from '../devlog/git.ts';
import { openStateDb } from '../state/db.ts';
import { reconcileFromDevlog } from '../state/rebuild.ts';
import { WriterLock } from '../state/lock.ts';
import { action, printJson, settingsFor, UserError } from './common.ts';

interface RebuildOptions {
  devlog?: string;
  json?: boolean;
}

export function register(program: Command): void {
  const state = program.command('state').description('inspect and repair the state database');
  state
    .command('rebuild')
    .description('record rows for DevLog pages that have none (reads the identity comment of each page)')
    .option('--devlog <path>', 'DevLog repository (default: devlog.repo_path from the config)')
    .option('--json', 'print one JSON document')
    .action(
      action(async (opts: RebuildOptions, cmd: Command) => {
        const settings = await settingsFor(cmd, { checkRepoPaths: false });
        const devlogPath = opts.devlog ? path.resolve(opts.devlog) : settings.devlog.repo_path;
        const repoPaths = Object.fromEntries(settings.repositories.map((r) => [r.name, r.path]));
        const db = openStateDb(settings.data_dir);
        // one writer: not while a cycle of another process is between its commit and its row
        const writer = await WriterLock.acquire({ devlogPath, dataDir: settings.data_dir }, { waitMs: 60_000, command: 'state rebuild' }).catch((err: unknown) => {
          db.close();
          throw err;
        });
        try {
          const result = await reconcileFromDevlog(db, devlogPath, { repoPaths });
          const dbPath = path.join(settings.data_dir, 'codeworm.db');
          if (opts.json) {
            printJson({ devlog: devlogPath, database: dbPath, ...result });
          } else {
            process.stdout.write(
              `scanned ${result.scanned} page${result.scanned === 1 ? '' : 's'} in ${devlogPath}\n` +
                `added ${result.added} row${result.added === 1 ? '' : 's'} to ${dbPath}\n` +
                (result.withoutIdentity > 0 ? `${result.withoutIdentity} page(s) without a row have no identity comment (left as they are)\n` : ''),
            );
          }
        } catch (err) {
          if (err instanceof DevLogError) throw new UserError(err.message, 1);
          throw err;
        } finally {
          await writer.release();
          db.close();
        }
      }),
    );
}
