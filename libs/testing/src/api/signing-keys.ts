import { generateKeyPairSync, randomBytes } from 'node:crypto';

/** A private JSON Web Key Set of one Ed25519 signing key, as an OpenID provider's Secret holds it. */
export function generateSigningJwks(kid = `k-${randomBytes(4).toString('hex')}`): { keys: Record<string, string>[] } {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { keys: [{ ...(privateKey.export({ format: 'jwk' }) as Record<string, string>), kid, alg: 'EdDSA', use: 'sig' }] };
}

/** A random secret for signing cookies (at least 32 characters). */
export function generateCookieSecret(): string {
  return randomBytes(32).toString('base64url');
}
