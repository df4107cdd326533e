/**
 * Alert delivery (SPEC section 12): Telegram and/or a JSON webhook, each optional. Per channel a
 * token bucket (1 message/s, bursts of 3), identical alerts sent once per 5 minutes, 3 retries
 * with growing delays. `notify` never throws: the daemon must not die of a notification.
 */
import type { Settings } from '../config/schema.ts';
import { maskSecrets, silentLogger, type Logger } from '../core/logger.ts';
import { redactSecretsSync } from '../core/redact.ts';
import { TelegramChannel } from './telegram.ts';
import { ChannelError, type Alert, type Channel } from './types.ts';
import { WebhookChannel } from './webhook.ts';
import { abortableSleep } from '../core/sleep.ts';

export type { Alert, AlertKind, AlertSeverity, Channel } from './types.ts';

export { abortableSleep };

/**
 * Token bucket: `ratePerSecond` tokens refill per second up to `burst`.
 * `reserve()` takes a token and says how many ms to wait before using it.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  reserve(): number {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSecond);
    this.last = t;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.ratePerSecond) * 1000);
  }
}

export interface NotifierOptions {
  channels: Channel[];
  logger?: Logger;
  now?: () => number;
  /** Secret values to mask from log lines (bot token, webhook URL). */
  secrets?: string[];
  /** Identical alerts within this window are sent once (default 5 min). */
  dedupMs?: number;
  /** Delays before retries 1, 2, 3 (default 1 s, 2 s, 4 s). */
  retryDelaysMs?: number[];
  ratePerSecond?: number;
  burst?: number;
}

const SEVERITY_MARK: Record<Alert['severity'], string> = { info: 'ℹ️', warning: '⚠️', critical: '🔴' };

/** The text both channels send. */
export function formatAlert(alert: Alert): string {
  // an alert quotes failures (LLM errors, git output) that may carry a credential
  return redactSecretsSync(`${SEVERITY_MARK[alert.severity]} CodeWorm: ${alert.title}\n\n${alert.message}`).text;
}

export class Notifier {
  private readonly channels: Channel[];
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly secrets: string[];
  private readonly dedupMs: number;
  private readonly retryDelaysMs: number[];
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly sentAt = new Map<string, number>();
  private readonly closing = new AbortController();

  constructor(opts: NotifierOptions) {
    this.channels = opts.channels;
    this.logger = opts.logger ?? silentLogger();
    this.now = opts.now ?? Date.now;
    this.secrets = (opts.secrets ?? []).filter(Boolean);
    this.dedupMs = opts.dedupMs ?? 5 * 60_000;
    this.retryDelaysMs = opts.retryDelaysMs ?? [1000, 2000, 4000];
    for (const c of this.channels) {
      this.buckets.set(c.name, new TokenBucket(opts.ratePerSecond ?? 1, opts.burst ?? 3, this.now));
      this.queues.set(c.name, Promise.resolve());
    }
  }

  /**
   * The channels `settings` enable: `telegram` (enabled with a token and chat id) and
   * `webhook` (enabled with a URL). A channel enabled without what it needs is logged and left out.
   */
  static fromSettings(settings: Pick<Settings, 'telegram' | 'webhook'>, logger?: Logger): Notifier {
    const log = logger ?? silentLogger();
    const channels: Channel[] = [];
    const t = settings.telegram;
    if (t.enabled) {
      if (!t.bot_token || t.chat_id === '') log.warn('telegram.enabled is true but bot_token or chat_id is empty; Telegram alerts are off');
      else channels.push(new TelegramChannel({ apiBaseUrl: t.api_base_url, botToken: t.bot_token, chatId: t.chat_id }));
    }
    const w = settings.webhook;
    if (w.enabled) {
      if (!/^https?:\/\//.test(w.url)) log.warn('webhook.enabled is true but webhook.url is not an http(s) URL; webhook alerts are off');
      else channels.push(new WebhookChannel(w.url));
    }
    return new Notifier({ channels, logger: log, secrets: [t.bot_token, w.url] });
  }

  /** Whether any channel is configured. */
  get enabled(): boolean {
    return this.channels.length > 0;
  }

  /**
   * Send `alert` to every channel. Resolves true when at least one channel delivered it,
   * false when it was a duplicate, nothing is configured, or every channel gave up.
   * Never rejects.
   */
  async notify(alert: Alert): Promise<boolean> {
    if (!this.enabled || this.closing.signal.aborted) return false;
    const key = `${alert.kind}\u0000${alert.title}\u0000${alert.message}`;
    const now = this.now();
    for (const [k, at] of this.sentAt) if (now - at >= this.dedupMs) this.sentAt.delete(k);
    if (this.sentAt.has(key)) {
      this.logger.debug({ alert: alert.kind }, 'alert suppressed: the same alert was sent in the last 5 minutes');
      return false;
    }
    this.sentAt.set(key, now);
    const text = formatAlert(alert);
    const results = await Promise.all(
      this.channels.map((c) => {
        const next = (this.queues.get(c.name) as Promise<unknown>).then(() => this.deliver(c, alert, text));
        this.queues.set(c.name, next);
        return next;
      }),
    );
    return results.some(Boolean);
  }

  private async deliver(channel: Channel, alert: Alert, text: string): Promise<boolean> {
    const signal = this.closing.signal;
    for (let attempt = 0; attempt <= this.retryDelaysMs.length; attempt++) {
      if (signal.aborted) return false;
      await abortableSleep((this.buckets.get(channel.name) as TokenBucket).reserve(), signal);
      if (signal.aborted) return false;
      try {
        await channel.send(alert, text, signal);
        this.logger.info({ channel: channel.name, alert: alert.kind }, `alert sent: ${alert.title}`);
        return true;
      } catch (err) {
        const e = err instanceof ChannelError ? err : new ChannelError((err as Error).message, true);
        const message = maskSecrets(e.message, this.secrets);
        const last = attempt === this.retryDelaysMs.length || !e.retryable;
        if (last) {
          this.logger.error({ channel: channel.name, alert: alert.kind, attempts: attempt + 1 }, `alert not delivered: ${message}`);
          return false;
        }
        const delay = Math.max(this.retryDelaysMs[attempt], e.retryAfterMs ?? 0);
        this.logger.warn({ channel: channel.name, alert: alert.kind, attempt: attempt + 1, retryInMs: delay }, `alert delivery failed, retrying: ${message}`);
        await abortableSleep(delay, signal);
      }
    }
    return false;
  }

  /**
   * Wait up to `timeoutMs` for queued alerts, then abandon the rest (shutdown).
   */
  async close(timeoutMs = 2000): Promise<void> {
    const pending = Promise.all([...this.queues.values()]);
    const timer = new AbortController();
    await Promise.race([pending, abortableSleep(timeoutMs, timer.signal)]);
    timer.abort();
    this.closing.abort();
    await pending.catch(() => undefined);
  }
}
