import { createHash, generateKeyPairSync } from 'node:crypto';
import { SERVICE_TOKEN } from './service-token';

/** An Ed25519 public key as a JWK (RFC 8037), named by its `kid`. */
export interface PublicServiceJwk {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  /** The public key, base64url. */
  readonly x: string;
  readonly kid: string;
  readonly alg?: 'EdDSA';
  readonly use?: 'sig';
}

/** api's signing key: the public members and the private `d`. */
export interface PrivateServiceJwk extends PublicServiceJwk {
  /** The private key, base64url. Never logged, never given to a service. */
  readonly d: string;
}

/** The keys a service accepts tokens from; more than one while api's key is being rotated. */
export interface ServiceJwks {
  readonly keys: readonly PublicServiceJwk[];
}

export interface ServiceKeys {
  readonly privateJwk: PrivateServiceJwk;
  readonly publicJwks: ServiceJwks;
}

/**
 * A new Ed25519 key pair for api: the private JWK api signs with, and the JWKS of its public
 * half the services are given. The `kid` is the key's RFC 7638 thumbprint, so the same key
 * always has the same name.
 */
export function generateServiceKeys(): ServiceKeys {
  const { privateKey } = generateKeyPairSync('ed25519');
  const { x, d } = privateKey.export({ format: 'jwk' });
  if (typeof x !== 'string' || typeof d !== 'string') throw new Error('node:crypto exported an Ed25519 key without x or d');
  const publicJwk: PublicServiceJwk = { kty: 'OKP', crv: SERVICE_TOKEN.curve, x, kid: thumbprintOf(x), alg: SERVICE_TOKEN.algorithm, use: 'sig' };
  return { privateJwk: { ...publicJwk, d }, publicJwks: { keys: [publicJwk] } };
}

/** The public half of a private JWK. */
export function publicJwkOf(privateJwk: PrivateServiceJwk): PublicServiceJwk {
  const { kty, crv, x, kid, alg, use } = privateJwk;
  return { kty, crv, x, kid, ...(alg ? { alg } : {}), ...(use ? { use } : {}) };
}

// RFC 7638: SHA-256 of the required members, in lexicographic order, without whitespace.
function thumbprintOf(x: string): string {
  return createHash('sha256').update(JSON.stringify({ crv: SERVICE_TOKEN.curve, kty: 'OKP', x })).digest('base64url');
}
