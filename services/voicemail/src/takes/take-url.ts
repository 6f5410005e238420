import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How long a take's URL works: a review's longest, three listens to a ten-minute take with
 * the menus between them. A URL is made when the caller reaches review, and played from then.
 */
export const TAKE_URL_LIFETIME_MS = 40 * 60_000;

/** What a take URL names and until when; the signature covers all of it. */
export interface TakeAddress {
  readonly tenant: string;
  /** `<recording id>.wav` */
  readonly file: string;
  /** Seconds since the epoch. */
  readonly expires: number;
}

/**
 * The URL Asterisk fetches a take from (`sound:<url>`, res_http_media_cache): the take's
 * path on `baseUrl` (MEDIA_BASE_URL) with `expires` and an HMAC `signature` over the tenant,
 * file and expiry, so only URLs voicemail made, and only for a while, fetch a take. The
 * query leaves the path ending in `.wav`, which Asterisk reads the file type from.
 */
export function takeUrl(baseUrl: string, address: TakeAddress, key: Buffer): string {
  const url = new URL(`takes/${encodeURIComponent(address.tenant)}/${encodeURIComponent(address.file)}`, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  url.searchParams.set('expires', String(address.expires));
  url.searchParams.set('signature', signatureOf(address, key));
  return url.toString();
}

/** Whether `signature` is the one voicemail gave the address, and the address has not expired at `nowMs`. */
export function takeSignatureValid(address: TakeAddress, signature: string, key: Buffer, nowMs: number): boolean {
  if (address.expires * 1_000 <= nowMs) return false;
  const expected = Buffer.from(signatureOf(address, key));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function signatureOf(address: TakeAddress, key: Buffer): string {
  // Newlines cannot occur in a tenant or a file name, so no two addresses sign the same text.
  return createHmac('sha256', key).update(`take\n${address.tenant}\n${address.file}\n${address.expires}`).digest('base64url');
}
