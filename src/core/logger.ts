/**
 * Logging: pino JSON lines, human-readable through pino-pretty when the destination is a
 * terminal, and secrets (Telegram bot token, API keys) masked before anything is written.
 * Optionally mirrors info-and-above lines onto the EventBus as `log` events, so the dashboard's
 * live log (in this or another process, through the `events` table) can follow.
 */
import { Writable } from 'node:stream';
import { isatty } from 'node:tty';
import pino, { type DestinationStream, type Logger as PinoLogger, type StreamEntry } from 'pino';
import pretty from 'pino-pretty';
import type { EventBus } from './events.ts';
import { redactSecretsSync } from './redact.ts';

export type Logger = PinoLogger;

export interface LoggerOptions {
  /** `--debug`: debug level instead of info. */
  debug?: boolean;
  /** Force pino-pretty on/off; default: on when `fd` is a terminal. */
  pretty?: boolean;
  /** File descriptor to write to (default 2, stderr, so stdout stays clean for `--json`). */
  fd?: number;
  /** A stream to write JSON lines to instead of `fd` (tests). Never prettified. */
  stream?: DestinationStream | NodeJS.WritableStream;
  /** Exact secret values to mask wherever they appear (e.g. the configured bot token). */
  secrets?: string[];
  /** Mirror info-and-above lines as `log` events. */
  bus?: EventBus;
  /** Base bindings (default `{ name: 'codeworm' }`). */
  base?: Record<string, unknown>;
}

/** Key paths pino removes from logged objects whatever their value. */
export const REDACT_PATHS = [
  'bot_token',
  'token',
  'api_key',
  'apiKey',
  'password',
  'authorization',
  '*.bot_token',
  '*.token',
  '*.api_key',
  '*.apiKey',
  '*.password',
  '*.authorization',
  '*.headers.authorization',
  'telegram.bot_token',
  'settings.telegram.bot_token',
];

/**
 * Shapes of well-known secrets, masked even when nobody registered the value: Telegram bot
 * tokens (`123456789:AA…`, also inside `/bot<token>/` URLs), OpenAI-style `sk-…` keys and
 * `Bearer …` credentials.
 */
const SECRET_PATTERNS: RegExp[] = [
  /(?<![0-9])\d{6,12}:[A-Za-z0-9_-]{30,}/g,
  /\bsk-[A-Za-z0-9_-]{16,}\b/g,
  /\bBearer\s+[A-Za-z0-9._~+/=-]{12,}/g,
];

export const MASK = '***';

/**
 * Replace every registered secret and every secret-shaped substring of `text` with `***`, then
 * every credential the redactor's rule table finds with its `[REDACTED:<kind>]` marker.
 * Secrets shorter than 4 characters are ignored (masking them would shred ordinary text).
 */
export function maskSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join(MASK);
  for (const re of SECRET_PATTERNS) out = out.replace(re, MASK);
  return redactSecretsSync(out).text;
}

function maskDeep(value: unknown, secrets: readonly string[], depth: number): unknown {
  if (typeof value === 'string') return maskSecrets(value, secrets);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return { type: value.name, message: maskSecrets(value.message, secrets), stack: value.stack ? maskSecrets(value.stack, secrets) : undefined };
  }
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v, secrets, depth + 1);
  return out;
}

/**
 * A writable that turns each JSON log line into a `log` event on the bus, except lines that
 * carry `echoes` (the type of the event they restate for the log file).
 */
function busStream(bus: EventBus): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      try {
        const line = JSON.parse(chunk.toString('utf8')) as Record<string, unknown>;
        // a line that restates an event already on the bus (`echoes: 'next_cycle'`) would show twice
        if (line.echoes) return done();
        const { level, msg, time: _time, pid: _pid, hostname: _host, name: _name, ...rest } = line;
        // stacks stay in the log file; the live log shows the message
        if (rest.err && typeof rest.err === 'object') rest.err = { ...(rest.err as object), stack: undefined };
        bus.publish('log', { level: pino.levels.labels[level as number] ?? String(level), msg: msg ?? '', ...rest });
      } catch {
        // a line that is not JSON cannot be mirrored; the primary destination still has it
      }
      done();
    },
  });
}

/**
 * Create the process logger.
 * Shapes: JSON lines `{level, time, name, msg, ...fields}` (level as pino's number) on `fd`
 * (stderr by default), or pretty text when that descriptor is a TTY.
 * Secrets are masked twice: key-based (`REDACT_PATHS`, pino `redact`) and value-based
 * (`secrets` plus well-known token shapes, in messages and in every string field).
 */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const secrets = (opts.secrets ?? []).filter((s) => typeof s === 'string' && s.length >= 4);
  const fd = opts.fd ?? 2;
  const usePretty = opts.stream ? false : (opts.pretty ?? isatty(fd));
  const level = opts.debug ? 'debug' : 'info';

  const primary: DestinationStream | NodeJS.WritableStream = opts.stream
    ? opts.stream
    : usePretty
      ? pretty({ colorize: true, destination: fd, sync: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,name' })
      : pino.destination({ fd, sync: true });

  const streams: StreamEntry[] = [{ level, stream: primary as DestinationStream }];
  if (opts.bus) streams.push({ level: 'info', stream: busStream(opts.bus) });

  return pino(
    {
      level,
      base: opts.base ?? { name: 'codeworm' },
      redact: { paths: REDACT_PATHS, censor: MASK },
      formatters: {
        log: (obj) => maskDeep(obj, secrets, 0) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === 'string' ? maskSecrets(a, secrets) : a)) as Parameters<typeof method>;
          method.apply(this, masked);
        },
      },
      serializers: { err: (e: unknown) => maskDeep(e !== null && typeof e === 'object' ? e : { message: String(e) }, secrets, 0) },
    },
    pino.multistream(streams),
  );
}

/** A logger that writes nothing (tests, library use). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
