/**
 * Telegram channel: Bot API `POST {api_base_url}/bot{token}/sendMessage` with `chat_id` and
 * `text` (https://core.telegram.org/bots/api#sendmessage). The token lives only in the request
 * URL; every message names the URL as `/bot***`.
 */
import { postJson } from './http.ts';
import type { Alert, Channel } from './types.ts';

/** Telegram's limit for one message's text (characters). */
const MAX_TEXT = 4096;

export interface TelegramOptions {
  /** e.g. https://api.telegram.org (no trailing slash needed) */
  apiBaseUrl: string;
  botToken: string;
  chatId: string | number;
}

export class TelegramChannel implements Channel {
  readonly name = 'telegram';
  private readonly url: string;
  private readonly safeUrl: string;

  constructor(private readonly opts: TelegramOptions) {
    const base = opts.apiBaseUrl.replace(/\/+$/, '');
    this.url = `${base}/bot${opts.botToken}/sendMessage`;
    this.safeUrl = `${base}/bot***/sendMessage`;
  }

  /** @throws ChannelError (see postJson); also when Telegram answers `ok: false`. */
  async send(_alert: Alert, text: string, signal: AbortSignal): Promise<void> {
    const body = { chat_id: this.opts.chatId, text: text.slice(0, MAX_TEXT), disable_web_page_preview: true };
    await postJson(this.url, body, { channel: this.name, safeUrl: this.safeUrl, secrets: [this.opts.botToken], signal });
  }
}
