/**
 * Process signals for the daemon (SPEC section 11): SIGTERM/SIGINT stop taking work and abort
 * the cycle in flight; a watchdog makes sure the process is gone within 10 s even if something
 * hangs; a second stop signal exits at once. SIGHUP reloads the configuration.
 */
import type { Logger } from '../core/logger.ts';

export interface SignalTarget {
  stop(reason: string): void;
  reload(): Promise<unknown>;
}

export interface SignalOptions {
  logger: Logger;
  /** After a stop signal, exit anyway after this many ms (default 9 000: under systemd's and the spec's 10 s). */
  forceExitAfterMs?: number;
  /** Injectable for tests. */
  exit?: (code: number) => void;
}

/**
 * Install the handlers; returns a function that removes them (and the watchdog).
 */
export function installSignalHandlers(target: SignalTarget, opts: SignalOptions): () => void {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const forceAfter = opts.forceExitAfterMs ?? 9000;
  let stopping = false;
  let watchdog: NodeJS.Timeout | null = null;

  const onStop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      opts.logger.warn({ signal }, `second ${signal}: exiting now`);
      exit(1);
      return;
    }
    stopping = true;
    opts.logger.info({ signal }, `${signal} received: finishing or abandoning the current cycle, then exiting`);
    target.stop(signal);
    watchdog = setTimeout(() => {
      opts.logger.error({ signal }, `shutdown did not finish within ${forceAfter / 1000} s: exiting`);
      exit(0);
    }, forceAfter);
    watchdog.unref();
  };
  const onHup = (): void => {
    opts.logger.info({ signal: 'SIGHUP' }, 'SIGHUP received: reloading the configuration');
    target.reload().catch((err: unknown) => opts.logger.error({ err }, 'configuration reload failed'));
  };

  process.on('SIGTERM', onStop);
  process.on('SIGINT', onStop);
  process.on('SIGHUP', onHup);
  return () => {
    process.off('SIGTERM', onStop);
    process.off('SIGINT', onStop);
    process.off('SIGHUP', onHup);
    if (watchdog) clearTimeout(watchdog);
  };
}
