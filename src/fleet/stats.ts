/**
 * Fleet figures for `codeworm stats` (issue 16, item 5): the queue (fleet rows by status and
 * pg-boss's job states), the workers with their LLM hosts, throughput and failures. Read-only:
 * a database the fleet never used gives `null`.
 */
import pg from 'pg';
import { GENERATE_QUEUE } from './store.ts';

/** A worker is counted alive when its heartbeat (every 5 s) is at most this old. */
export const WORKER_ALIVE_SECONDS = 30;

export interface FleetWorkerStats {
  id: string;
  hostname: string;
  llm: string;
  concurrency: number;
  busy: number;
  generated: number;
  failed: number;
  /** Why its LLM host is out, or null. */
  hostDown: string | null;
  /** Seconds since its last heartbeat. */
  lastSeenSeconds: number;
  alive: boolean;
}

export interface FleetStats {
  /** Fleet rows by status: queued, generating, generated (waiting to be published), published, failed. */
  targets: Record<'queued' | 'generating' | 'generated' | 'published' | 'failed', number>;
  /** pg-boss job states of the generation queue (created, retry, active, completed, failed, …). */
  jobs: Record<string, number>;
  workers: FleetWorkerStats[];
  /** Pages published in the last 10 and 60 minutes, per minute. */
  throughput: { last10MinPerMinute: number; last60MinPerMinute: number };
  /** Rows failed for good, and generation tries that failed (retried or not). */
  failed: number;
  failedTries: number;
  recentFailures: { target: string; error: string }[];
}

/**
 * Read the fleet figures from the PostgreSQL at `url`.
 * @returns null when the fleet tables are not there
 * @throws pg's connection errors
 */
export async function fleetStats(url: string): Promise<FleetStats | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  // a server that goes away mid-read rejects the query; without a listener its 'error' event would end the process
  client.on('error', () => undefined);
  await client.connect();
  try {
    const exists = await client.query<{ t: string | null; j: string | null }>("SELECT to_regclass('fleet_targets')::text AS t, to_regclass('pgboss.job')::text AS j");
    if (!exists.rows[0].t) return null;
    const targets: FleetStats['targets'] = { queued: 0, generating: 0, generated: 0, published: 0, failed: 0 };
    for (const r of (await client.query<{ status: keyof FleetStats['targets']; n: string }>('SELECT status, count(*) AS n FROM fleet_targets GROUP BY status')).rows) {
      targets[r.status] = Number(r.n);
    }
    const jobs: Record<string, number> = {};
    if (exists.rows[0].j) {
      for (const r of (await client.query<{ state: string; n: string }>('SELECT state, count(*) AS n FROM pgboss.job WHERE name = $1 GROUP BY state', [GENERATE_QUEUE])).rows) {
        jobs[r.state] = Number(r.n);
      }
    }
    const workers = (
      await client.query(
        `SELECT id, hostname, llm, concurrency, busy, generated, failed, host_down, stopped_at,
                EXTRACT(EPOCH FROM now() - last_seen)::float AS age FROM fleet_workers ORDER BY started_at`,
      )
    ).rows.map(
      (r): FleetWorkerStats => ({
        id: r.id,
        hostname: r.hostname,
        llm: r.llm,
        concurrency: r.concurrency,
        busy: r.busy,
        generated: r.generated,
        failed: r.failed,
        hostDown: r.host_down,
        lastSeenSeconds: Math.round(r.age),
        alive: r.stopped_at === null && r.age <= WORKER_ALIVE_SECONDS,
      }),
    );
    const tp = (
      await client.query<{ m10: string; m60: string }>(
        `SELECT count(*) FILTER (WHERE published_at > now() - interval '10 minutes') AS m10,
                count(*) FILTER (WHERE published_at > now() - interval '60 minutes') AS m60 FROM fleet_targets`,
      )
    ).rows[0];
    const recentFailures = (
      await client.query<{ display_name: string; error: string }>(
        "SELECT display_name, error FROM fleet_targets WHERE error IS NOT NULL ORDER BY COALESCE(started_at, enqueued_at) DESC LIMIT 5",
      )
    ).rows.map((r) => ({ target: r.display_name, error: r.error }));
    return {
      targets,
      jobs,
      workers,
      throughput: { last10MinPerMinute: Number(tp.m10) / 10, last60MinPerMinute: Number(tp.m60) / 60 },
      failed: targets.failed,
      failedTries: workers.reduce((k, w) => k + w.failed, 0),
      recentFailures,
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The fleet figures as `codeworm stats` prints them. */
export function formatFleetStats(s: FleetStats): string[] {
  const t = s.targets;
  const alive = s.workers.filter((w) => w.alive);
  return [
    `Fleet queue: ${t.queued} queued, ${t.generating} generating, ${t.generated} waiting to publish, ${t.published} published, ${t.failed} failed`,
    `Fleet throughput: ${s.throughput.last10MinPerMinute.toFixed(1)} pages/min (last 10 min), ${s.throughput.last60MinPerMinute.toFixed(1)} pages/min (last hour)`,
    `Fleet workers: ${alive.length} alive of ${s.workers.length} seen; ${s.failedTries} failed tries`,
    ...s.workers.map(
      (w) =>
        `  ${w.alive ? 'up  ' : 'gone'} ${w.id} on ${w.llm} (concurrency ${w.concurrency}, busy ${w.busy}): ${w.generated} generated, ${w.failed} failed, seen ${w.lastSeenSeconds} s ago${w.hostDown ? `; host out: ${w.hostDown}` : ''}`,
    ),
    ...(s.recentFailures.length ? ['Recent failures:', ...s.recentFailures.map((f) => `  ${f.target}: ${f.error}`)] : []),
  ];
}
