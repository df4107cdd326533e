/**
 * Alert shapes (SPEC section 12). One alert goes to every configured channel.
 */

/** What an alert is about; the daemon raises these (SPEC sections 11 and 12). */
export type AlertKind =
  | 'llm_unavailable'
  | 'llm_recovered'
  | 'consecutive_failures'
  | 'push_rejected'
  | 'push_failing'
  | 'git_wedged'
  | 'no_candidates'
  | 'dead_mans_switch'
  | 'info';

export type AlertSeverity = 'info' | 'warning' | 'critical';

export interface Alert {
  kind: AlertKind;
  severity: AlertSeverity;
  /** One line, e.g. "LLM unavailable". */
  title: string;
  /** Details a person can act on. Identical kind + title + message within 5 min is sent once. */
  message: string;
}

/** A delivery channel: Telegram or a webhook. */
export interface Channel {
  readonly name: string;
  /**
   * Deliver one text. Resolves on success.
   * @throws ChannelError (retryable or not); its message never contains a secret.
   */
  send(alert: Alert, text: string, signal: AbortSignal): Promise<void>;
}

/** A failed delivery. `retryAfterMs` when the service said how long to wait (HTTP 429). */
export class ChannelError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ChannelError';
  }
}
