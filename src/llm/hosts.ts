/**
 * A pool of LLM hosts (`llm.hosts`, issue 16): each host has a number of generation slots
 * (its `concurrency`). `acquire` hands out a slot on a healthy host with the fewest busy slots
 * for its size, waiting when all are busy. A host whose generation fails as unreachable, timed
 * out or without its model is taken out; it is probed with `health()` after 1 s, then 2 s, 4 s, …
 * up to 60 s between probes, and put back when it answers with its model.
 */
import type { Settings } from '../config/schema.ts';
import { LlmError, type LlmProvider } from './types.ts';
import { createProvider, type ProviderTuning } from './providers/index.ts';

/** A host as the pool sees it. */
export interface PoolHostSpec {
  /** How the host is named in logs and statistics (its URL). */
  label: string;
  provider: LlmProvider;
  concurrency: number;
}

/** One host's state, for `stats`, the dashboard and logs. */
export interface HostStatus {
  label: string;
  provider: LlmProvider['name'];
  model: string;
  concurrency: number;
  busy: number;
  healthy: boolean;
  /** Why the host is out (the last failure), or null. */
  down: string | null;
  /** Generations that ended well / as failures on this host. */
  generated: number;
  failed: number;
}

/** A slot on one host; `release` exactly once. */
export interface HostLease {
  provider: LlmProvider;
  label: string;
  /**
   * Give the slot back. `unavailable`: the host failed as unreachable (it is taken out and
   * probed); `failed`: the page failed for another reason (the host stays in); `unused`: the
   * slot was not used after all.
   */
  release(outcome: 'ok' | 'failed' | 'unavailable' | 'unused', why?: string): void;
}

export interface HostPoolOptions {
  /** First wait before probing a host that was taken out, ms (default 1000); doubles per failed probe. */
  probeBaseMs?: number;
  /** Longest wait between probes, ms (default 60 000). */
  probeMaxMs?: number;
  /** Told when a host goes out or comes back. */
  onChange?: (status: HostStatus, change: 'down' | 'up') => void;
}

/** Whether an LLM failure says the host (not the page) is the problem. */
export function hostUnavailable(err: unknown): boolean {
  return err instanceof LlmError && (err.kind === 'unreachable' || err.kind === 'timeout' || err.kind === 'model_missing');
}

/**
 * The host specs of `llm.hosts`, one provider each (the single provider's options, with the
 * host's URL and model).
 * @throws Error when `llm.hosts` is empty
 */
export function hostSpecsFromSettings(settings: Settings, tuning: ProviderTuning = {}): PoolHostSpec[] {
  if (settings.llm.hosts.length === 0) throw new Error('llm.hosts is empty: list the LLM hosts to use in config.yaml');
  return settings.llm.hosts.map((h) => {
    const kind = h.provider ?? (settings.llm.provider === 'openai' ? 'openai' : 'ollama');
    const s: Settings =
      kind === 'ollama'
        ? { ...settings, ollama: { ...settings.ollama, host: h.url, model: h.model ?? settings.ollama.model } }
        : { ...settings, llm: { ...settings.llm, base_url: h.url, model: h.model ?? settings.llm.model } };
    return { label: h.url, provider: createProvider(s, kind, tuning), concurrency: h.concurrency };
  });
}

interface HostState extends HostStatus {
  spec: PoolHostSpec;
  probeFailures: number;
}

export class HostPool {
  private readonly hosts: HostState[];
  private readonly waiters: { resolve: (lease: HostLease) => void; reject: (err: Error) => void; signal?: AbortSignal; onAbort: () => void }[] = [];
  private readonly closed = new AbortController();
  private readonly probes = new Set<Promise<void>>();
  private readonly opts: Required<Omit<HostPoolOptions, 'onChange'>> & Pick<HostPoolOptions, 'onChange'>;

  /** @throws Error when `hosts` is empty or a concurrency is below 1 */
  constructor(hosts: PoolHostSpec[], opts: HostPoolOptions = {}) {
    if (hosts.length === 0) throw new Error('a host pool needs at least one host');
    this.hosts = hosts.map((spec) => {
      if (!(spec.concurrency >= 1)) throw new Error(`host ${spec.label}: concurrency must be at least 1`);
      return {
        spec,
        label: spec.label,
        provider: spec.provider.name,
        model: spec.provider.model,
        concurrency: spec.concurrency,
        busy: 0,
        healthy: true,
        down: null,
        generated: 0,
        failed: 0,
        probeFailures: 0,
      };
    });
    this.opts = { probeBaseMs: opts.probeBaseMs ?? 1000, probeMaxMs: opts.probeMaxMs ?? 60_000, onChange: opts.onChange };
  }

  /** Slots across all hosts, healthy or not. */
  get capacity(): number {
    return this.hosts.reduce((n, h) => n + h.concurrency, 0);
  }

  /** One entry per host, in configuration order. */
  status(): HostStatus[] {
    return this.hosts.map(({ spec: _spec, probeFailures: _p, ...s }) => ({ ...s }));
  }

  /**
   * A free slot on a healthy host; waits (FIFO) while none is free.
   * @throws LlmError kind `aborted` when `signal` fires or the pool is closed while waiting
   */
  acquire(signal?: AbortSignal): Promise<HostLease> {
    const free = this.pick();
    if (free) return Promise.resolve(this.lease(free));
    return new Promise<HostLease>((resolve, reject) => {
      if (signal?.aborted || this.closed.signal.aborted) {
        reject(new LlmError('aborted', 'stopped while waiting for an LLM host', 'pool'));
        return;
      }
      const waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(new LlmError('aborted', 'stopped while waiting for an LLM host', 'pool'));
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Take a host out now and probe it back (e.g. its health check failed before any generation). */
  markDown(label: string, why: string): void {
    const h = this.hosts.find((x) => x.label === label);
    if (h) this.takeOut(h, why);
  }

  /** Stop probing and reject every waiter; leases out stay valid until released. */
  async close(): Promise<void> {
    this.closed.abort();
    for (const w of this.waiters.splice(0)) {
      w.signal?.removeEventListener('abort', w.onAbort);
      w.reject(new LlmError('aborted', 'the LLM host pool was closed', 'pool'));
    }
    await Promise.allSettled([...this.probes]);
  }

  /** The healthy host with a free slot and the lowest load (busy / concurrency); ties by order. */
  private pick(): HostState | null {
    let best: HostState | null = null;
    for (const h of this.hosts) {
      if (!h.healthy || h.busy >= h.concurrency) continue;
      if (!best || h.busy / h.concurrency < best.busy / best.concurrency) best = h;
    }
    return best;
  }

  private lease(h: HostState): HostLease {
    h.busy++;
    let released = false;
    return {
      provider: h.spec.provider,
      label: h.label,
      release: (outcome, why) => {
        if (released) return;
        released = true;
        h.busy--;
        if (outcome === 'ok') h.generated++;
        else if (outcome !== 'unused') h.failed++;
        if (outcome === 'unavailable') this.takeOut(h, why ?? 'unreachable');
        this.dispatch();
      },
    };
  }

  /** Hand free slots to waiters, oldest first. */
  private dispatch(): void {
    while (this.waiters.length > 0) {
      const h = this.pick();
      if (!h) return;
      const w = this.waiters.shift()!;
      w.signal?.removeEventListener('abort', w.onAbort);
      w.resolve(this.lease(h));
    }
  }

  private takeOut(h: HostState, why: string): void {
    if (!h.healthy) return; // already out and being probed
    h.healthy = false;
    h.down = why;
    h.probeFailures = 0;
    this.opts.onChange?.(this.statusOf(h), 'down');
    const probe = this.probe(h).finally(() => this.probes.delete(probe));
    this.probes.add(probe);
  }

  /** Probe a host that is out with growing waits until it answers with its model, or the pool closes. */
  private async probe(h: HostState): Promise<void> {
    const signal = this.closed.signal;
    while (!signal.aborted) {
      const wait = Math.min(this.opts.probeMaxMs, this.opts.probeBaseMs * 2 ** h.probeFailures);
      const slept = await new Promise<boolean>((resolve) => {
        const t = setTimeout(() => {
          signal.removeEventListener('abort', onAbort);
          resolve(true);
        }, wait);
        const onAbort = (): void => {
          clearTimeout(t);
          resolve(false);
        };
        signal.addEventListener('abort', onAbort, { once: true });
      });
      if (!slept) return;
      const health = await h.spec.provider.health().catch((err: unknown) => ({ ok: false, detail: (err as Error).message, modelPresent: null }));
      if (health.ok && health.modelPresent !== false) {
        h.healthy = true;
        h.down = null;
        h.probeFailures = 0;
        this.opts.onChange?.(this.statusOf(h), 'up');
        this.dispatch();
        return;
      }
      h.down = health.detail;
      h.probeFailures++;
    }
  }

  private statusOf(h: HostState): HostStatus {
    return this.status()[this.hosts.indexOf(h)];
  }
}
