/**
 * One documentation cycle (SPEC section 2): choose a doc type, find a target, generate, render,
 * commit, record, push, publish events. Owned by the lead; the daemon and `run-once` call it.
 */
import type { Db } from '../state/db.ts';
import type { DocType, Settings } from '../config/schema.ts';
import type { EventBus } from '../core/events.ts';
import type { LlmProvider } from '../llm/types.ts';

export interface CycleDeps {
  settings: Settings;
  db: Db;
  provider: LlmProvider;
  bus: EventBus;
  /** Aborted on SIGTERM: the cycle abandons cleanly (no partial page, row or commit). */
  signal: AbortSignal;
  /** ms since epoch; injectable for tests. */
  now?: () => number;
  /** Uniform [0, 1); injectable for reproducible choices. */
  random?: () => number;
  /** Warm code index shared across cycles (the daemon keeps one). */
  index?: unknown;
}

export interface CycleOptions {
  dryRun?: boolean;
  /** Force a doc type (`run-once --type`). */
  docType?: DocType;
}

export interface CycleResult {
  outcome: 'success' | 'failed' | 'skipped' | 'abandoned';
  reason?: string;
  docType?: DocType;
  repo?: string;
  target?: string;
  snippetId?: string;
  snippetPath?: string;
  commit?: string;
  /** Push outcome; `rejected` is not retried (e.g. secret scanning), `failed` is transient. */
  push?: 'pushed' | 'skipped' | 'rejected' | 'failed';
  pushMessage?: string;
  /** LLM unreachable (counts toward the LLM-unavailable alert). */
  llmUnavailable?: boolean;
  /** Dry run: what would have been written. */
  page?: string;
  commitMessage?: string;
}

/** Run one cycle. Never throws for expected failures: they come back as `outcome: 'failed'`. */
export async function runCycle(_deps: CycleDeps, _opts: CycleOptions = {}): Promise<CycleResult> {
  throw new Error('runCycle: being written by the lead');
}
