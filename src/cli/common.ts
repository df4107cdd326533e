/**
 * Shared CLI plumbing: global options, loading settings, and turning errors into a message and
 * an exit code (2 for bad input or config, 1 for a failed operation), never a stack trace
 * unless `--debug`.
 */
import type { Command } from 'commander';
import { ConfigError, loadSettings, type LoadOptions } from '../config/load.ts';
import type { Settings } from '../config/schema.ts';

export interface GlobalOptions {
  config: string;
  debug: boolean;
}

/** An error whose message is meant for the user as is. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export function globalOptions(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

/** Load settings for a command, honouring `--config`. */
export async function settingsFor(cmd: Command, opts: LoadOptions = {}): Promise<Settings> {
  return loadSettings(globalOptions(cmd).config, opts);
}

/** Wrap a command action: prints user-facing errors and sets the exit code. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      const cmd = args[args.length - 1] as Command | undefined;
      const debug = Boolean(cmd && typeof cmd.optsWithGlobals === 'function' && cmd.optsWithGlobals().debug);
      reportError(err, debug);
    }
  };
}

export function reportError(err: unknown, debug: boolean): void {
  const e = err as Error & { exitCode?: number };
  const code = err instanceof ConfigError ? 2 : typeof e?.exitCode === 'number' ? e.exitCode : 1;
  const prefix = err instanceof ConfigError ? 'config error' : 'error';
  process.stderr.write(`codeworm: ${prefix}: ${e?.message ?? String(err)}\n`);
  if (debug && e?.stack) process.stderr.write(`${e.stack}\n`);
  process.exitCode = code;
}

/** Print one JSON document on stdout (the `--json` contract: nothing else goes there). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Stop with the npm wrapper. `npx codeworm run` and `npm exec` run CodeWorm as npm's child, and
 * npm does not pass a SIGTERM sent to it on: `kill <npx pid>` would leave the daemon or the
 * dashboard running with no parent. When npm started us (`npm_command` is set), losing that
 * parent (being re-parented) is taken as a SIGTERM, so the usual clean shutdown runs. Not armed
 * otherwise: a daemon its shell left behind on purpose (`nohup codeworm run &`) keeps running.
 * @param everyMs how often the parent is checked (ms)
 * @param graceMs how long the clean shutdown may take before the process exits anyway (ms)
 * @returns a function that disarms the watch
 */
export function stopWithNpmWrapper(env: NodeJS.ProcessEnv = process.env, everyMs = 1000, graceMs = 15_000): () => void {
  if (!env.npm_command) return () => undefined;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    // npm held the other end of our stdout/stderr pipes: writing there now fails with EPIPE
    process.stdout.on('error', () => undefined);
    process.stderr.on('error', () => undefined);
    process.stderr.write(`codeworm: the npm process that started it (pid ${parent}) is gone; stopping\n`);
    process.kill(process.pid, 'SIGTERM');
    // a shutdown that hangs must not leave an orphan behind (unref: a clean exit is not delayed)
    setTimeout(() => process.exit(1), graceMs).unref();
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
