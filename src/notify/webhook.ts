/**
 * Generic JSON webhook: `{ text, content, alert, source, ts }`. `text` is what Slack incoming
 * webhooks show, `content` what Discord webhooks show (≤ 2000 characters); other receivers
 * read `alert`.
 */
import { postJson } from './http.ts';
import type { Alert, Channel } from './types.ts';

/** Discord's limit for `content`. */
const DISCORD_MAX = 2000;

/** The URL without its path and query, which often carry the webhook's secret. */
function safeForm(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/***`;
  } catch {
    return '(invalid webhook url)';
  }
}

export class WebhookChannel implements Channel {
  readonly name = 'webhook';
  private readonly safeUrl: string;
  private readonly secrets: string[];

  constructor(private readonly url: string) {
    this.safeUrl = safeForm(url);
    let pathPart = '';
    try {
      pathPart = new URL(url).pathname;
    } catch {
      pathPart = '';
    }
    this.secrets = [url, pathPart].filter((s) => s.length > 8);
  }

  /** @throws ChannelError (see postJson). */
  async send(alert: Alert, text: string, signal: AbortSignal): Promise<void> {
    const body = {
      text,
      content: text.slice(0, DISCORD_MAX),
      alert: { kind: alert.kind, severity: alert.severity, title: alert.title, message: alert.message },
      source: 'codeworm',
      ts: new Date().toISOString(),
    };
    await postJson(this.url, body, { channel: this.name, safeUrl: this.safeUrl, secrets: this.secrets, signal });
  }
}
