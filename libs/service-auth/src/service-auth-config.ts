import { createPrivateKey, createPublicKey } from 'node:crypto';
import { z } from 'zod';
import type { PrivateServiceJwk, PublicServiceJwk, ServiceJwks } from './service-keys';
import { SERVICE_TOKEN } from './service-token';

/**
 * A service with HTTP routes: the public keys of api's service identity, as the JSON text of
 * a JWK Set of Ed25519 keys (`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"…","kid":"…"}]}`).
 * Required: a service that trusted nobody would answer nobody, and one that trusted anybody
 * is what this replaces. Several keys while api's key is rotated. Hidden in errors (its name
 * has KEY), so a private key pasted here by mistake is not logged.
 */
export const serviceAuthConfig = z.object({
  SERVICE_AUTH_PUBLIC_KEYS: z
    .string({ error: "required: the JWK Set of api's public keys (generate a pair with `npx tsx scripts/service-keys.ts`)" })
    .transform(parsedBy(publicKeySetOf)),
});

export type ServiceAuthConfig = z.output<typeof serviceAuthConfig>;

/** api's side: the private key it signs service tokens with, the JSON text of an Ed25519 JWK with `kid`. */
export const serviceTokenSignerConfig = z.object({
  SERVICE_AUTH_PRIVATE_KEY: z
    .string({ error: "required: api's private JWK for service tokens (generate a pair with `npx tsx scripts/service-keys.ts`)" })
    .transform(parsedBy(privateKeyOf)),
});

export type ServiceTokenSignerConfig = z.output<typeof serviceTokenSignerConfig>;

/** A reading of a variable's text: the value, or why the text is not one. */
type Reading<T> = { value: T } | { problem: string };

function parsedBy<T>(read: (json: unknown) => Reading<T>) {
  return (text: string, context: z.RefinementCtx): T => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      context.addIssue({ code: 'custom', message: 'must be JSON text' });
      return z.NEVER;
    }
    const reading = read(json);
    if ('value' in reading) return reading.value;
    context.addIssue({ code: 'custom', message: reading.problem });
    return z.NEVER;
  };
}

/** The public keys of a JWK Set: Ed25519 only, each named by a kid of its own, no private part. */
export function publicKeySetOf(json: unknown): Reading<ServiceJwks> {
  const keys = isObject(json) ? json.keys : undefined;
  if (!Array.isArray(keys)) return { problem: 'must be a JWK Set: {"keys":[…]}' };
  if (keys.length === 0) return { problem: 'must hold at least one key' };
  const publicKeys: PublicServiceJwk[] = [];
  for (const [index, key] of keys.entries()) {
    const reading = isObject(key) && 'd' in key ? { problem: 'is a private key (has "d"): give the services the public keys only' } : publicKeyOf(key);
    if ('problem' in reading) return { problem: `key #${index + 1} ${reading.problem}` };
    if (publicKeys.some((known) => known.kid === reading.value.kid)) return { problem: `key #${index + 1} has the kid of an earlier key: each key needs its own` };
    publicKeys.push(reading.value);
  }
  return { value: { keys: publicKeys } };
}

/** api's private key: an Ed25519 JWK whose `x` is the public half of its `d`. */
export function privateKeyOf(json: unknown): Reading<PrivateServiceJwk> {
  const reading = publicKeyOf(json);
  if ('problem' in reading) return { problem: `the key ${reading.problem}` };
  const d = (json as Record<string, unknown>).d;
  if (!isKeyBytes(d)) return { problem: 'must be a private key: "d" must be 32 bytes, base64url' };
  const derived = createPublicKey(createPrivateKey({ key: { kty: 'OKP', crv: SERVICE_TOKEN.curve, x: reading.value.x, d }, format: 'jwk' })).export({ format: 'jwk' });
  if (derived.x !== reading.value.x) return { problem: 'is inconsistent: "x" is not the public half of "d"' };
  return { value: { ...reading.value, d } };
}

function publicKeyOf(key: unknown): Reading<PublicServiceJwk> {
  if (!isObject(key)) return { problem: 'must be a JSON object' };
  if (key.kty !== 'OKP' || key.crv !== SERVICE_TOKEN.curve) return { problem: 'must be an Ed25519 key: "kty" OKP, "crv" Ed25519' };
  if (!isKeyBytes(key.x)) return { problem: '"x" must be 32 bytes, base64url' };
  if (typeof key.kid !== 'string' || key.kid.trim() === '') return { problem: 'needs a "kid": tokens name the key that signed them' };
  if (key.alg !== undefined && key.alg !== SERVICE_TOKEN.algorithm) return { problem: `"alg" must be ${SERVICE_TOKEN.algorithm} when given` };
  if (key.use !== undefined && key.use !== 'sig') return { problem: '"use" must be sig when given' };
  return { value: { kty: 'OKP', crv: SERVICE_TOKEN.curve, x: key.x, kid: key.kid, alg: SERVICE_TOKEN.algorithm, use: 'sig' } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isKeyBytes(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value) && Buffer.from(value, 'base64url').length === 32;
}
