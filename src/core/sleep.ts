import { setTimeout as delay } from 'node:timers/promises';

/**
 * Sleep `ms` milliseconds, ending early (resolving, never rejecting) when `signal` aborts —
 * the shape every loop that must stop promptly on SIGTERM wants. Built on Node's
 * `timers/promises`, whose AbortError is swallowed here.
 */
export async function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted || ms <= 0) return;
  await delay(ms, undefined, { signal }).catch((err: unknown) => {
    if ((err as { name?: string }).name !== 'AbortError') throw err;
  });
}
