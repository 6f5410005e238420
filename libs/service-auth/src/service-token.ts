/**
 * What every service token says. api is the only signer and its only subject; the audience
 * is the one service the token is for (`acd`, `ivr`...), so a token taken from one service's
 * logs opens no other. Tokens live a minute: a leaked one is soon worthless.
 */
export const SERVICE_TOKEN = {
  issuer: 'lianluo-api',
  subject: 'api',
  algorithm: 'EdDSA',
  curve: 'Ed25519',
  lifetimeSeconds: 60,
} as const;

/** The claims a verified service token carried. */
export interface ServiceTokenClaims {
  readonly issuer: string;
  readonly subject: string;
  readonly audience: string;
  /** The token's id (`jti`), e.g. for an audit log. */
  readonly tokenId: string;
  readonly issuedAtS: number;
  readonly expiresAtS: number;
}
