import { type ConfigProblem, configSchema, loadConfig } from '@lianluo/config';
import { serviceAuthConfig, serviceTokenSignerConfig } from './service-auth-config';
import { generateServiceKeys } from './service-keys';

/** A ConfigError listing exactly `problems`. */
const refusal = (...problems: ConfigProblem[]) => expect.objectContaining({ name: 'ConfigError', problems });

const keys = generateServiceKeys();
const publicKey = keys.publicJwks.keys[0]!;
const withKeys = (...jwks: object[]) => ({ SERVICE_AUTH_PUBLIC_KEYS: JSON.stringify({ keys: jwks }) });

describe('serviceAuthConfig', () => {
  it('reads the public keys of api’s identity as a key set', () => {
    const next = generateServiceKeys().publicJwks.keys[0]!;
    expect(loadConfig(serviceAuthConfig, withKeys(publicKey, next)).SERVICE_AUTH_PUBLIC_KEYS).toEqual({ keys: [publicKey, next] });
  });

  it('takes a key without alg and use, as JWKS tools often write them', () => {
    const { alg: _alg, use: _use, ...bare } = publicKey;
    expect(loadConfig(serviceAuthConfig, withKeys(bare)).SERVICE_AUTH_PUBLIC_KEYS.keys).toEqual([publicKey]);
  });

  it('is required, and says what to give and how to make it', () => {
    expect(() => loadConfig(configSchema(serviceAuthConfig), {})).toThrow(
      refusal({ variable: 'SERVICE_AUTH_PUBLIC_KEYS', reason: "required: the JWK Set of api's public keys (generate a pair with `npx tsx scripts/service-keys.ts`)" }),
    );
  });

  it.each([
    ['text that is not JSON', '{keys:', 'must be JSON text'],
    ['a single key instead of a set', JSON.stringify(publicKey), 'must be a JWK Set: {"keys":[…]}'],
    ['an empty set', '{"keys":[]}', 'must hold at least one key'],
    ['a private key', JSON.stringify({ keys: [keys.privateJwk] }), 'key #1 is a private key (has "d"): give the services the public keys only'],
    ['an RSA key', JSON.stringify({ keys: [publicKey, { kty: 'RSA', n: 'x', e: 'AQAB', kid: 'r' }] }), 'key #2 must be an Ed25519 key: "kty" OKP, "crv" Ed25519'],
    ['a truncated key', JSON.stringify({ keys: [{ ...publicKey, x: publicKey.x.slice(2) }] }), 'key #1 "x" must be 32 bytes, base64url'],
    ['a key without kid', JSON.stringify({ keys: [{ ...publicKey, kid: undefined }] }), 'key #1 needs a "kid": tokens name the key that signed them'],
    ['two keys of one kid', JSON.stringify({ keys: [publicKey, { ...generateServiceKeys().publicJwks.keys[0], kid: publicKey.kid }] }), 'key #2 has the kid of an earlier key: each key needs its own'],
    ['a key for another algorithm', JSON.stringify({ keys: [{ ...publicKey, alg: 'ES256' }] }), 'key #1 "alg" must be EdDSA when given'],
  ])('refuses %s, naming the variable and never showing its value', (_, value, reason) => {
    expect(() => loadConfig(serviceAuthConfig, { SERVICE_AUTH_PUBLIC_KEYS: value })).toThrow(refusal({ variable: 'SERVICE_AUTH_PUBLIC_KEYS', reason: `${reason} (got (hidden))` }));
  });
});

describe('serviceTokenSignerConfig', () => {
  it('reads api’s private key', () => {
    expect(loadConfig(serviceTokenSignerConfig, { SERVICE_AUTH_PRIVATE_KEY: JSON.stringify(keys.privateJwk) }).SERVICE_AUTH_PRIVATE_KEY).toEqual(keys.privateJwk);
  });

  it.each([
    ['a public key', JSON.stringify(publicKey), 'must be a private key: "d" must be 32 bytes, base64url'],
    ['a key set', JSON.stringify({ keys: [keys.privateJwk] }), 'the key must be an Ed25519 key: "kty" OKP, "crv" Ed25519'],
    ['a private key whose x is another key’s', JSON.stringify({ ...keys.privateJwk, x: generateServiceKeys().privateJwk.x }), 'is inconsistent: "x" is not the public half of "d"'],
  ])('refuses %s without showing it', (_, value, reason) => {
    const load = () => loadConfig(serviceTokenSignerConfig, { SERVICE_AUTH_PRIVATE_KEY: value });
    expect(load).toThrow(refusal({ variable: 'SERVICE_AUTH_PRIVATE_KEY', reason: `${reason} (got (hidden))` }));
    expect(load).not.toThrow(keys.privateJwk.d);
  });
});
