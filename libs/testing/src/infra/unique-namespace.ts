import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A name no other test run uses, safe as a NATS subject token, a stream-name part, a
 * Redis key prefix and a PostgreSQL identifier: `prefix` then 10 random lowercase letters
 * and digits, e.g. `tq0v3k9x1ma`.
 */
export function uniqueNamespace(prefix = 't'): string {
  if (!/^[a-z][a-z0-9]*$/.test(prefix)) throw new Error(`prefix "${prefix}" must be lowercase letters and digits, starting with a letter`);
  return prefix + [...randomBytes(10)].map((byte) => ALPHABET[byte % ALPHABET.length]).join('');
}
