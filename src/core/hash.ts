import { createHash } from 'node:crypto';

/** SHA-256 hex of a string (UTF-8), the `code_hash` of the state database. */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
