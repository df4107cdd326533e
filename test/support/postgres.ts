/**
 * Test support: a private PostgreSQL server for one test file. `initdb` into a temporary
 * directory, started on a free port of 127.0.0.1 (no Unix socket outside that directory),
 * `fsync` off. PostgreSQL refuses to run as root: when the tests run as root, the server runs
 * as the unprivileged system user `postgres` (Debian's package creates it), else `nobody`,
 * through `runuser`. Debian's binaries live in /usr/lib/postgresql/<major>/bin.
 *
 * ```ts
 * const pg = await startPostgres();        // null when PostgreSQL is missing (never under CI)
 * const url = await pg.createDatabase();   // postgres://codeworm@127.0.0.1:PORT/test_1
 * await pg.restart();                      // stop (fast) and start on the same port and data
 * await pg.stop();                         // and the directory is removed
 * ```
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { requireUnderCi, skipWithout } from './required-tool.ts';

const run = promisify(execFile);

/** The directory of `initdb`, `pg_ctl` and `postgres` (highest major version), or null. */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const majors = readdirSync(root)
    .filter((d) => /^\d+$/.test(d) && existsSync(path.join(root, d, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return majors.length ? path.join(root, majors[0], 'bin') : null;
}

const TOOL = 'PostgreSQL (initdb, pg_ctl)';
const INSTALL = 'apt-get install postgresql';

/** The `skip` option for a test file that needs PostgreSQL (never skips under CI). */
export const skipWithoutPostgres = (): string | false => skipWithout(TOOL, postgresBinDir() !== null, INSTALL);

export interface PgServer {
  port: number;
  /** `postgres://codeworm@127.0.0.1:<port>/postgres`. */
  adminUrl: string;
  /** A new empty database; its URL. */
  createDatabase(): Promise<string>;
  /** Stop (`-m fast`: clients are disconnected) and start again on the same port and data. */
  restart(): Promise<void>;
  /** Stop the server (`-m immediate`) and remove its directory. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** The user the server runs as: ourselves, or an unprivileged system user when we are root. */
async function serverUser(): Promise<{ name: string; uid: number; gid: number } | null> {
  if (process.getuid?.() !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number((await run('id', ['-u', name])).stdout.trim());
      const gid = Number((await run('id', ['-g', name])).stdout.trim());
      return { name, uid, gid };
    } catch {
      // no such user: try the next
    }
  }
  throw new Error('running as root with neither a "postgres" nor a "nobody" user to run PostgreSQL as');
}

/**
 * Start a private server, or null when PostgreSQL is not installed (off CI only).
 * @throws Error under CI when PostgreSQL is missing, or when the server does not start (with its log)
 */
export async function startPostgres(): Promise<PgServer | null> {
  const bin = postgresBinDir();
  requireUnderCi(TOOL, bin !== null, INSTALL);
  if (!bin) return null;
  const user = await serverUser();
  const dir = await mkdtemp(path.join(tmpdir(), 'cw-pg-'));
  if (user) await chown(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'server.log');
  const as = (cmd: string, args: string[]) => (user ? run('runuser', ['-u', user.name, '--', path.join(bin, cmd), ...args]) : run(path.join(bin, cmd), args));
  await as('initdb', ['-D', data, '-U', 'codeworm', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  const start = () =>
    as('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`, 'start']).catch(
      async (err: Error) => {
        const text = await run('cat', [log]).then((r) => r.stdout, () => '');
        throw new Error(`PostgreSQL did not start: ${err.message}\n${text}`);
      },
    );
  await start();
  const adminUrl = `postgres://codeworm@127.0.0.1:${port}/postgres`;
  let n = 0;
  let stopped = false;
  return {
    port,
    adminUrl,
    async createDatabase() {
      const name = `test_${++n}`;
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://codeworm@127.0.0.1:${port}/${name}`;
    },
    async restart() {
      await as('pg_ctl', ['-D', data, '-w', '-m', 'fast', 'stop']);
      await start();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await as('pg_ctl', ['-D', data, '-w', '-m', 'immediate', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
