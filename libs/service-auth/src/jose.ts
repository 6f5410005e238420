import type * as Jose from 'jose' with { 'resolution-mode': 'import' };

/** A set of public keys jwtVerify picks from by `kid`. */
export type LocalKeySet = ReturnType<typeof Jose.createLocalJWKSet>;

/** A key importJWK made, for SignJWT. */
export type ImportedKey = Awaited<ReturnType<typeof Jose.importJWK>>;

let loading: Promise<typeof Jose> | undefined;

/**
 * jose is ESM-only and our build is CommonJS: a dynamic import loads it (once) where a
 * require could not. Every use of it is asynchronous anyway.
 */
export function jose(): Promise<typeof Jose> {
  loading ??= import('jose');
  return loading;
}
