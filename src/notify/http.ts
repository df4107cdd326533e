/**
 * The one HTTP call both channels make: POST a JSON body, classify the answer. Error messages
 * name the channel and a safe form of the URL, never a secret.
 */
import { maskSecrets } from '../core/logger.ts';
import { ChannelError } from './types.ts';

/** Per-request time limit (ms). */
export const REQUEST_TIMEOUT_MS = 10_000;

/**
 * POST `body` as JSON to `url`.
 * @param safeUrl the URL as it may appear in messages (token replaced)
 * @param secrets values to mask from any text that comes back
 * @returns the parsed JSON answer (or null when the body is not JSON)
 * @throws ChannelError: retryable for network errors, timeouts, 5xx and 429; not for other 4xx
 */
export async function postJson(
  url: string,
  body: unknown,
  opts: { channel: string; safeUrl: string; secrets: string[]; signal: AbortSignal },
): Promise<unknown> {
  const signal = AbortSignal.any([opts.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal,
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why = e.name === 'TimeoutError' ? `no answer within ${REQUEST_TIMEOUT_MS / 1000} s` : (e.cause?.code ?? e.cause?.message ?? e.message);
    throw new ChannelError(maskSecrets(`${opts.channel}: POST ${opts.safeUrl} failed: ${why}`, opts.secrets), !opts.signal.aborted);
  }
  const text = await res.text().catch(() => '');
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (res.ok) return json;
  const description =
    json && typeof json === 'object' && 'description' in json ? String((json as { description: unknown }).description) : text.slice(0, 200);
  const retryAfterS =
    json && typeof json === 'object' && 'parameters' in json
      ? Number((json as { parameters?: { retry_after?: unknown } }).parameters?.retry_after)
      : Number(res.headers.get('retry-after'));
  const retryable = res.status === 429 || res.status >= 500;
  throw new ChannelError(
    maskSecrets(`${opts.channel}: POST ${opts.safeUrl} answered HTTP ${res.status}${description ? `: ${description}` : ''}`, opts.secrets),
    retryable,
    Number.isFinite(retryAfterS) && retryAfterS > 0 ? retryAfterS * 1000 : undefined,
  );
}
