import type { Command } from 'commander';
import { startDashboard } from '../dashboard/server.ts';
import { UserError, action, settingsFor, stopWithNpmWrapper } from './common.ts';

interface DashboardCliOptions {
  host?: string;
  port?: string;
  insecure: boolean;
}

function parsePort(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n > 65535) throw new UserError(`--port: expected a port number 0–65535; found "${raw}"`, 2);
  return n;
}

/**
 * `codeworm dashboard [--host H] [--port P] [--insecure]`: serve the dashboard alone over the
 * state database, following the daemon's events through the `events` table. Runs until
 * SIGINT/SIGTERM, then closes and exits 0.
 */
export function register(program: Command): void {
  program
    .command('dashboard')
    .description('serve the live web dashboard over the state database')
    .option('--host <host>', 'address to bind (default: dashboard.host, 127.0.0.1)')
    .option('--port <port>', 'port to listen on (default: dashboard.port, 8420; 0 = any free port)')
    .option('--insecure', 'allow a non-loopback host without a dashboard.token of 32+ characters', false)
    .action(
      action(async (opts: DashboardCliOptions, cmd: Command) => {
        const settings = await settingsFor(cmd, { checkRepoPaths: false });
        const handle = await startDashboard({
          settings,
          host: opts.host,
          port: parsePort(opts.port),
          insecure: opts.insecure,
        });
        process.stderr.write(`codeworm dashboard: serving ${handle.url}${settings.dashboard.token ? ' (token required)' : ''}\n`);
        const disarm = stopWithNpmWrapper();
        await new Promise<void>((resolve) => {
          const stop = () => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            resolve();
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
        disarm();
        await handle.close();
      }),
    );
}
