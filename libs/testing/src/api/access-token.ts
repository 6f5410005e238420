import { createPrivateKey, sign } from 'node:crypto';

/** What an access token of api says: who, in which tenant, with which roles, until when. */
export interface AccessTokenClaims {
  readonly issuer: string;
  readonly audience: string;
  readonly subject: string;
  readonly tenant?: string;
  readonly roles: readonly string[];
  readonly agentId?: string;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * An access token as api's embedded provider signs it (EdDSA, with the first key of its private
 * JWKS, `generateSigningJwks`): for a bench with a thousand users, or a test of expiry, where a
 * browser sign-in per token would be the slow part.
 */
export function signAccessToken(jwks: { keys: Record<string, string>[] }, claims: AccessTokenClaims): string {
  const jwk = jwks.keys[0]!;
  const header = base64url({ alg: 'EdDSA', typ: 'at+jwt', kid: jwk.kid });
  const payload = base64url({
    iss: claims.issuer,
    aud: claims.audience,
    sub: claims.subject,
    iat: Math.floor(Date.now() / 1000),
    exp: claims.expiresAt,
    roles: claims.roles,
    ...(claims.tenant === undefined ? {} : { tenant: claims.tenant }),
    ...(claims.agentId === undefined ? {} : { agent_id: claims.agentId }),
  });
  const signature = sign(null, Buffer.from(`${header}.${payload}`), createPrivateKey({ key: jwk as never, format: 'jwk' })).toString('base64url');
  return `${header}.${payload}.${signature}`;
}
