/**
 * `codeworm migrate --to postgres://… [--from FILE] [--json]`: copy a SQLite state (CodeWorm's
 * `data_dir/codeworm.db` by default, or a Python original's database) into PostgreSQL, creating
 * its tables by the numbered migrations first (issue 16, item 3). One transaction: all or
 * nothing. Pages already there (same code hash and doc type) are left out and counted, so dedup
 * holds and running it again copies nothing new.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { action, printJson, settingsFor, UserError } from './common.ts';
import { copySqliteState, safePgUrl } from '../state/pg.ts';

interface MigrateOptions {
  to?: string;
  from?: string;
  json: boolean;
}

export function register(program: Command): void {
  program
    .command('migrate')
    .description('copy a SQLite state (CodeWorm or the original) into PostgreSQL, keeping its dedup')
    .requiredOption('--to <url>', 'the PostgreSQL database, postgres://user@host:port/db (a password is best kept in PGPASSWORD)')
    .option('--from <file>', 'the SQLite state file (default: data_dir/codeworm.db)')
    .option('--json', 'print the report as JSON', false)
    .action(
      action(async (opts: MigrateOptions, cmd: Command) => {
        const to = opts.to ?? '';
        if (!/^postgres(ql)?:\/\//.test(to)) throw new UserError(`--to ${safePgUrl(to)}: expected a postgres:// URL`, 2);
        const from = opts.from ? path.resolve(opts.from) : path.join((await settingsFor(cmd)).data_dir, 'codeworm.db');
        const { default: pg } = await import('pg'); // loaded by this command only
        const client = new pg.Client({ connectionString: to, connectionTimeoutMillis: 10_000 });
        // the server going away rejects the query in flight; unheard, its 'error' event would end the process
        client.on('error', () => undefined);
        try {
          await client.connect();
        } catch (err) {
          throw new UserError(`cannot connect to ${safePgUrl(to)}: ${(err as Error).message}`);
        }
        try {
          const report = await copySqliteState(from, client).catch((err: Error) => {
            throw new UserError(`migrating ${from} to ${safePgUrl(to)} failed, nothing copied: ${err.message}`);
          });
          if (opts.json) printJson({ from, to: safePgUrl(to), ...report });
          else {
            const counts = Object.entries(report.copied)
              .map(([t, n]) => `${t} ${n}`)
              .join(', ');
            process.stdout.write(`copied ${from} to ${safePgUrl(to)}: ${counts}\n`);
            if (report.duplicates) process.stdout.write(`left out ${report.duplicates} page row(s) already there (same code hash and doc type, or same id)\n`);
            if (report.missingTables.length) process.stdout.write(`not in the SQLite file (an original's database has none): ${report.missingTables.join(', ')}\n`);
          }
        } finally {
          await client.end().catch(() => undefined);
        }
      }),
    );
}
