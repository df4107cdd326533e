/**
 * The fleet's shared state on PostgreSQL (issue 16, item 4): the generation queue (pg-boss, in
 * its own `pgboss` schema), one `fleet_targets` row per page from enqueue to publish, and the
 * `fleet_workers` heartbeat table. Coordinator and workers reach it through this class (async
 * `pg`); the coordinator's local SQLite state stays what the select and publish stages read.
 *
 * Why pg-boss 10: it keeps the queue in the PostgreSQL the fleet already needs (no broker),
 * takes jobs with `SELECT … FOR UPDATE SKIP LOCKED`, and retries a job whose worker vanished once
 * its expiration (the visibility timeout) passes. pg-boss 11 and graphile-worker 0.18 need
 * Node 22; CodeWorm runs on Node 20.
 *
 * Life of a row: `queued` (enqueued with its job, in one transaction) → `generating` (a worker
 * claimed it; again on a retry) → `generated` (the first worker to finish stored its result;
 * later finishers change nothing) → `published` (the coordinator committed it) or `failed`.
 */
import os from 'node:os';
import pg from 'pg';
import PgBoss from 'pg-boss';
import type { Settings } from '../config/schema.ts';
import type { CommitInfo, RepoIndex } from '../index/types.ts';
import type { Generation, Selection } from '../daemon/stages.ts';
import { targetKey } from '../daemon/stages.ts';
import { migratePg, safePgUrl } from '../state/pg.ts';

/** The pg-boss queue of generation jobs. */
export const GENERATE_QUEUE = 'codeworm-generate';

/** A selection as stored with its row: everything generation and publishing need, as JSON. */
export interface StoredSelection {
  target: Selection['target'];
  facts: Selection['facts'];
  report?: Selection['report'];
  started: number;
  /** The repository root where the coordinator indexed it. */
  root: string;
  /** The repository's recent commits (grounding checks commit references; the page names the newest). */
  commits: CommitInfo[];
}

/** A worker's result: the generation without its selection. */
export type StoredResult = Omit<Generation, 'selection'>;

/** A `fleet_targets` row as the coordinator and workers read it. */
export interface FleetTarget {
  id: number;
  docType: string;
  codeHash: string;
  status: 'queued' | 'generating' | 'generated' | 'published' | 'failed';
  selection: StoredSelection;
  result: StoredResult | null;
  attempts: number;
  publishAttempts: number;
  worker: string | null;
  host: string | null;
}

/** The generation job's data: the row id (the job/target key publishing is idempotent on). */
export interface GenerateJob {
  targetId: number;
}

/** Whether an error is PostgreSQL being away (restart, network): the caller waits and tries again. */
export function pgUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (!e) return false;
  if (e.code && /^(57P0[1-3]|08\d{3}|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT)$/.test(e.code)) return true;
  return /Connection terminated|connect ECONNREFUSED|terminating connection|Client has encountered a connection error|the database system is (starting up|shutting down)|Connection ended|not queryable/i.test(
    e.message ?? '',
  );
}

/** Drop what a worker does not need and a row should not hold (the file record's facts). */
export function storeSelection(selection: Selection): StoredSelection {
  const { file: _file, ...target } = selection.target;
  return {
    target: target as Selection['target'],
    facts: selection.facts,
    report: selection.report,
    started: selection.started,
    root: selection.repoIndex.root,
    commits: selection.repoIndex.commits,
  };
}

/**
 * A selection from its stored form. The repository index is reduced to what generation and
 * publishing read of it (root and commits); `root` overrides the stored one (a worker's checkout).
 */
export function loadSelection(stored: StoredSelection, root?: string): Selection {
  const repoIndex: RepoIndex = {
    root: root ?? stored.root,
    files: [],
    churn: new Map(),
    commits: stored.commits,
    isGitRepo: stored.commits.length > 0,
    skipped: {},
    parsed: 0,
    durationMs: 0,
  };
  return { target: stored.target, facts: stored.facts, report: stored.report, repoIndex, started: stored.started };
}

/** The page key dedup holds on across the fleet (as PostgreSQL's unique index reads it). */
export function pageKey(docType: string, codeHash: string): string {
  return `${docType}\u0000${codeHash}`;
}

export interface FleetStoreOptions {
  /** Recorded in `pgboss` connections and worker rows. */
  role: 'coordinator' | 'worker' | 'stats';
  /** Run pg-boss maintenance (expiring jobs of dead workers) in this process (default true). */
  supervise?: boolean;
  /** Called with pg-boss and pool errors (they are retried; the process does not die of them). */
  onError?: (err: Error) => void;
}

/**
 * A pooled client with an 'error' listener for as long as it is held: pg's pool listens only
 * to idle clients, and a held client whose server goes away (PostgreSQL restarted) emits
 * 'error' — without a listener that is an uncaught exception that ends the process. The
 * query in flight rejects as usual; a broken client is destroyed on release, not reused.
 */
async function checkout(pool: pg.Pool, onError: (err: Error) => void): Promise<{ client: pg.PoolClient; release: () => void }> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const lost = (err: Error) => {
    broken = err;
    onError(err);
  };
  client.on('error', lost);
  return {
    client,
    release: () => {
      client.off('error', lost);
      client.release(broken);
    },
  };
}

/** Advisory-lock key serialising schema set-up (migrations, pg-boss's schema and queue) across processes. */
const SETUP_LOCK = 0x636f6465; // 'code'

/** Connection to the fleet's PostgreSQL: migrations applied, pg-boss started. */
export class FleetStore {
  readonly pool: pg.Pool;
  readonly boss: PgBoss;
  private readonly settings: Settings;

  private constructor(
    settings: Settings,
    pool: pg.Pool,
    boss: PgBoss,
    private readonly onError: (err: Error) => void,
  ) {
    this.settings = settings;
    this.pool = pool;
    this.boss = boss;
  }

  /**
   * Connect to `storage.url`, apply the state and fleet migrations and start pg-boss (creating
   * its schema and the queue when missing).
   * @throws Error naming the URL (without password) when `storage.url` is empty or unreachable
   */
  static async open(settings: Settings, opts: FleetStoreOptions): Promise<FleetStore> {
    const url = settings.storage.url;
    if (!url) throw new Error('fleet mode needs PostgreSQL: set storage.url to a postgres:// URL in config.yaml');
    const onError = opts.onError ?? (() => undefined);
    const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000, application_name: `codeworm-${opts.role}` });
    pool.on('error', onError); // an idle client lost (PostgreSQL restarted): the pool replaces it
    // Several processes start at once (a coordinator and its workers): one at a time sets up the
    // schema, or PostgreSQL reports a deadlock between their CREATE statements.
    let setup: Awaited<ReturnType<typeof checkout>>;
    try {
      setup = await checkout(pool, onError);
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw new Error(`cannot use PostgreSQL at ${safePgUrl(url)}: ${(err as Error).message}`);
    }
    try {
      await setup.client.query('SELECT pg_advisory_lock($1)', [SETUP_LOCK]);
      await migratePg(setup.client);
    } catch (err) {
      setup.release();
      await pool.end().catch(() => undefined);
      throw new Error(`cannot use PostgreSQL at ${safePgUrl(url)}: ${(err as Error).message}`);
    }
    const f = settings.fleet;
    const boss = new PgBoss({
      connectionString: url,
      max: 3,
      application_name: `codeworm-${opts.role}-queue`,
      supervise: opts.supervise ?? true,
      schedule: false,
      maintenanceIntervalSeconds: f.maintenance_interval_seconds,
    });
    boss.on('error', onError);
    try {
      await boss.start();
      await boss.createQueue(GENERATE_QUEUE, {
        name: GENERATE_QUEUE,
        expireInSeconds: f.visibility_timeout_seconds,
        retryLimit: f.retry_limit,
        retryDelay: f.retry_delay_seconds,
      });
      // a queue made by an earlier configuration takes the current timeouts
      await boss.updateQueue(GENERATE_QUEUE, {
        name: GENERATE_QUEUE,
        expireInSeconds: f.visibility_timeout_seconds,
        retryLimit: f.retry_limit,
        retryDelay: f.retry_delay_seconds,
      });
    } catch (err) {
      setup.release();
      await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
      await pool.end().catch(() => undefined);
      throw new Error(`cannot start the job queue on ${safePgUrl(url)}: ${(err as Error).message}`);
    }
    await setup.client.query('SELECT pg_advisory_unlock($1)', [SETUP_LOCK]).catch(() => undefined);
    setup.release();
    return new FleetStore(settings, pool, boss, onError);
  }

  /** Stop pg-boss and close the pool. */
  async close(): Promise<void> {
    await this.boss.stop({ graceful: false, wait: true, timeout: 5000 }).catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }

  /**
   * Enqueue a selection: its row and its generation job in one transaction. The row's unique
   * (doc_type, code_hash) makes a second enqueue of the same page insert nothing.
   * @returns the row id, or null when the page is already in the fleet
   */
  async enqueue(selection: Selection): Promise<number | null> {
    const t = selection.target;
    const { client, release } = await checkout(this.pool, this.onError);
    try {
      await client.query('BEGIN');
      const ins = await client.query<{ id: string }>(
        `INSERT INTO fleet_targets (doc_type, code_hash, target_key, source_repo, display_name, selection)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT ON CONSTRAINT uq_fleet_targets_page DO NOTHING RETURNING id`,
        [t.docType, t.codeHash, targetKey(t), t.repo.name, t.displayName, JSON.stringify(storeSelection(selection))],
      );
      if (ins.rowCount === 0) {
        await client.query('ROLLBACK');
        return null;
      }
      const id = Number(ins.rows[0].id);
      const jobId = await this.boss.send(GENERATE_QUEUE, { targetId: id } satisfies GenerateJob, {
        db: { executeSql: (text: string, values: unknown[]) => client.query(text, values) },
      });
      await client.query('UPDATE fleet_targets SET job_id = $2 WHERE id = $1', [id, jobId]);
      await client.query('COMMIT');
      return id;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      release();
    }
  }

  /** Page keys (`pageKey`) of every row: what the coordinator must not select again. */
  async knownPages(): Promise<Set<string>> {
    const res = await this.pool.query<{ doc_type: string; code_hash: string }>('SELECT doc_type, code_hash FROM fleet_targets');
    return new Set(res.rows.map((r) => pageKey(r.doc_type, r.code_hash)));
  }

  /** Rows waiting for or in generation (the queue depth the coordinator keeps topped up). */
  async pending(): Promise<number> {
    const res = await this.pool.query<{ n: string }>("SELECT count(*) AS n FROM fleet_targets WHERE status IN ('queued', 'generating')");
    return Number(res.rows[0].n);
  }

  /** Rows not yet published or failed. */
  async unfinished(): Promise<number> {
    const res = await this.pool.query<{ n: string }>("SELECT count(*) AS n FROM fleet_targets WHERE status IN ('queued', 'generating', 'generated')");
    return Number(res.rows[0].n);
  }

  /**
   * A worker takes a row for generation (again after a retry).
   * @returns the row, or null when it was generated (by another worker), published or failed
   */
  async claim(id: number, worker: string, host: string): Promise<FleetTarget | null> {
    const res = await this.pool.query(
      `UPDATE fleet_targets SET status = 'generating', attempts = attempts + 1, worker = $2, host = $3, started_at = now()
       WHERE id = $1 AND status IN ('queued', 'generating') RETURNING *`,
      [id, worker, host],
    );
    return res.rows[0] ? rowOf(res.rows[0]) : null;
  }

  /**
   * Store a worker's result; the first one wins (a worker that finished after its job expired
   * and was retried elsewhere changes nothing).
   * @returns whether this result was stored
   */
  async saveResult(id: number, result: StoredResult, worker: string, host: string): Promise<boolean> {
    const res = await this.pool.query(
      `UPDATE fleet_targets SET status = 'generated', result = $2, worker = $3, host = $4, generated_at = clock_timestamp(), error = NULL
       WHERE id = $1 AND status IN ('queued', 'generating')`,
      [id, JSON.stringify(result), worker, host],
    );
    if (res.rowCount) await this.pool.query('SELECT pg_notify($1, $2)', ['codeworm_fleet', String(id)]).catch(() => undefined);
    return (res.rowCount ?? 0) > 0;
  }

  /** Record a generation failure on the row; `final` (no retry left) marks it failed. */
  async generationFailed(id: number, reason: string, final: boolean): Promise<void> {
    await this.pool.query(
      `UPDATE fleet_targets SET error = $2, status = CASE WHEN $3 THEN 'failed' ELSE status END WHERE id = $1 AND status IN ('queued', 'generating')`,
      [id, reason, final],
    );
  }

  /** Generated rows in the order they were generated (the publisher's order). */
  async ready(limit = 50): Promise<FleetTarget[]> {
    const res = await this.pool.query("SELECT * FROM fleet_targets WHERE status = 'generated' ORDER BY generated_at, id LIMIT $1", [limit]);
    return res.rows.map(rowOf);
  }

  /** Mark a row published with what the DevLog and the state hold for it. Idempotent. */
  async markPublished(id: number, page: { snippetId: string; snippetPath: string; commit: string }): Promise<void> {
    await this.pool.query(
      `UPDATE fleet_targets SET status = 'published', published_at = COALESCE(published_at, now()), snippet_id = $2, snippet_path = $3, git_commit = $4, error = NULL
       WHERE id = $1`,
      [id, page.snippetId, page.snippetPath, page.commit],
    );
  }

  /** A publish failed: counted; after `maxAttempts` the row is failed. */
  async publishFailed(id: number, reason: string, maxAttempts: number): Promise<void> {
    await this.pool.query(
      `UPDATE fleet_targets SET publish_attempts = publish_attempts + 1, error = $2,
         status = CASE WHEN publish_attempts + 1 >= $3 THEN 'failed' ELSE status END WHERE id = $1`,
      [id, reason, maxAttempts],
    );
  }

  /**
   * Rows whose job pg-boss gave up on (retries exhausted, e.g. by expirations of killed workers)
   * are marked failed. @returns how many
   */
  async sweepFailedJobs(): Promise<number> {
    const res = await this.pool.query(
      `UPDATE fleet_targets t SET status = 'failed', error = COALESCE(t.error, 'the generation job failed on every try')
       FROM pgboss.job j WHERE j.name = $1 AND j.id::text = t.job_id AND j.state = 'failed' AND t.status IN ('queued', 'generating')`,
      [GENERATE_QUEUE],
    );
    return res.rowCount ?? 0;
  }

  /** Copy published state rows into PostgreSQL's state tables (same ids); rows already there are kept. */
  async recordStateRows(rows: { snippet: Record<string, unknown>; meta: Record<string, unknown> | null; grounding: Record<string, unknown> | null }[]): Promise<void> {
    const { client, release } = await checkout(this.pool, this.onError);
    try {
      await client.query('BEGIN');
      for (const r of rows) {
        await insertRow(client, 'documented_snippets', r.snippet);
        if (r.meta) await insertRow(client, 'snippet_meta', r.meta);
        if (r.grounding) await insertRow(client, 'grounding_results', r.grounding);
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      release();
    }
  }

  /** A worker's heartbeat row (inserted or refreshed). */
  async heartbeat(w: { id: string; llm: string; concurrency: number; busy: number; generated: number; failed: number; hostDown: string | null; stopped?: boolean }): Promise<void> {
    await this.pool.query(
      `INSERT INTO fleet_workers (id, hostname, pid, llm, concurrency, busy, generated, failed, host_down, stopped_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $10 THEN now() END)
       ON CONFLICT (id) DO UPDATE SET last_seen = now(), busy = $6, generated = $7, failed = $8, host_down = $9,
         stopped_at = CASE WHEN $10 THEN now() END`,
      [w.id, os.hostname(), process.pid, w.llm, w.concurrency, w.busy, w.generated, w.failed, w.hostDown, w.stopped ?? false],
    );
  }
}

async function insertRow(client: pg.PoolClient, table: string, row: Record<string, unknown>): Promise<void> {
  const cols = Object.keys(row);
  await client.query(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT DO NOTHING`, Object.values(row));
}

function rowOf(r: Record<string, unknown>): FleetTarget {
  return {
    id: Number(r.id),
    docType: r.doc_type as string,
    codeHash: r.code_hash as string,
    status: r.status as FleetTarget['status'],
    selection: r.selection as StoredSelection,
    result: (r.result as StoredResult | null) ?? null,
    attempts: Number(r.attempts),
    publishAttempts: Number(r.publish_attempts),
    worker: (r.worker as string | null) ?? null,
    host: (r.host as string | null) ?? null,
  };
}
