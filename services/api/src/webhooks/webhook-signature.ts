import { Webhook } from 'standardwebhooks';

/** The Standard Webhooks headers of one attempt. */
export interface SignatureHeaders {
  readonly 'webhook-id': string;
  /** Seconds since the epoch, when the attempt was signed. */
  readonly 'webhook-timestamp': string;
  /** `v1,<base64 HMAC-SHA256>` per secret, separated by spaces. */
  readonly 'webhook-signature': string;
}

/**
 * Signs `body` as Standard Webhooks says: HMAC-SHA256 over `<id>.<timestamp>.<body>` with the
 * base64-decoded secret. While a rotated-out secret is still honoured, the attempt carries a
 * signature by each secret, so a receiver verifying with either one accepts it.
 */
export function signatureHeaders(messageId: string, body: string, secrets: readonly string[], at: Date): SignatureHeaders {
  const signatures = secrets.map((secret) => new Webhook(secret).sign(messageId, at, body));
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}
