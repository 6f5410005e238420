import { SignJWT, decodeJwt, decodeProtectedHeader, importJWK } from 'jose';
import { generateServiceKeys, publicJwkOf } from './service-keys';
import { SERVICE_TOKEN } from './service-token';
import { ServiceTokenRejected } from './service-token-rejected';
import { ServiceTokenSigner } from './service-token-signer';
import { ServiceTokenVerifier } from './service-token-verifier';

const T0 = Date.parse('2026-03-01T09:00:00Z');
const api = generateServiceKeys();

/** A clock the test moves. */
function clockAt(ms: number) {
  const clock = { ms, now: () => clock.ms };
  return clock;
}

const verifierFor = (audience: string, now = () => T0, publicKeys = api.publicJwks) => new ServiceTokenVerifier({ audience, publicKeys, now });

async function rejectionOf(verifier: ServiceTokenVerifier, token: string | undefined): Promise<string> {
  try {
    await verifier.verify(token);
  } catch (error) {
    if (error instanceof ServiceTokenRejected) return error.kind;
    throw error;
  }
  return 'accepted';
}

/** A token as api's signer makes them, with `changes` to its claims or key. */
async function handMade(changes: { iss?: string; sub?: string; aud?: string; kid?: string; key?: object; alg?: string; iatS?: number; expS?: number; jti?: string | null } = {}) {
  const iatS = changes.iatS ?? T0 / 1_000;
  const alg = changes.alg ?? 'EdDSA';
  const jwt = new SignJWT({})
    .setProtectedHeader({ alg, kid: changes.kid ?? api.privateJwk.kid })
    .setIssuer(changes.iss ?? SERVICE_TOKEN.issuer)
    .setSubject(changes.sub ?? SERVICE_TOKEN.subject)
    .setAudience(changes.aud ?? 'acd')
    .setIssuedAt(iatS)
    .setExpirationTime(changes.expS ?? iatS + 60);
  if (changes.jti !== null) jwt.setJti(changes.jti ?? 'token-1');
  return jwt.sign((await importJWK({ ...(changes.key ?? api.privateJwk) }, alg)) as Parameters<SignJWT['sign']>[0]);
}

describe('generateServiceKeys', () => {
  it('gives the services a public key set without the private part, named by the key’s thumbprint', () => {
    const keys = generateServiceKeys();
    expect(keys.publicJwks).toEqual({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: keys.privateJwk.x, kid: keys.privateJwk.kid, alg: 'EdDSA', use: 'sig' }] });
    expect(JSON.stringify(keys.publicJwks)).not.toContain(keys.privateJwk.d);
    expect(publicJwkOf(keys.privateJwk)).toEqual(keys.publicJwks.keys[0]);
    expect(keys.privateJwk.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('makes a new key each time', () => {
    expect(generateServiceKeys().privateJwk.kid).not.toBe(generateServiceKeys().privateJwk.kid);
  });
});

describe('ServiceTokenSigner', () => {
  it('signs a minute-long EdDSA token from api to one service, naming its key', async () => {
    const token = await new ServiceTokenSigner({ privateKey: api.privateJwk, now: () => T0 }).tokenFor('acd');
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', kid: api.privateJwk.kid, typ: 'JWT' });
    expect(decodeJwt(token)).toEqual({ iss: 'lianluo-api', sub: 'api', aud: 'acd', iat: T0 / 1_000, exp: T0 / 1_000 + 60, jti: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it('reuses a service’s token until a quarter of its life is left, then signs a new one', async () => {
    const clock = clockAt(T0);
    const signer = new ServiceTokenSigner({ privateKey: api.privateJwk, now: clock.now });
    const first = await signer.tokenFor('acd');
    clock.ms = T0 + 44_000;
    expect(await signer.tokenFor('acd')).toBe(first);
    clock.ms = T0 + 45_000;
    const renewed = await signer.tokenFor('acd');
    expect(renewed).not.toBe(first);
    expect(decodeJwt(renewed).exp).toBe((T0 + 45_000) / 1_000 + 60);
  });

  it('keeps one token per service', async () => {
    const signer = new ServiceTokenSigner({ privateKey: api.privateJwk, now: () => T0 });
    const [acd, ivr] = [await signer.tokenFor('acd'), await signer.tokenFor('ivr')];
    expect([decodeJwt(acd).aud, decodeJwt(ivr).aud]).toEqual(['acd', 'ivr']);
    expect(await signer.authorizationFor('ivr')).toBe(`Bearer ${ivr}`);
  });

  it('refuses a lifetime that is not a positive whole number of seconds', () => {
    expect(() => new ServiceTokenSigner({ privateKey: api.privateJwk, lifetimeSeconds: 0 })).toThrow('lifetimeSeconds must be a positive integer');
  });
});

describe('ServiceTokenVerifier', () => {
  it('accepts api’s token for this service and returns its claims', async () => {
    const token = await new ServiceTokenSigner({ privateKey: api.privateJwk, now: () => T0 }).tokenFor('acd');
    await expect(verifierFor('acd').verify(token)).resolves.toEqual({
      issuer: 'lianluo-api',
      subject: 'api',
      audience: 'acd',
      tokenId: decodeJwt(token).jti,
      issuedAtS: T0 / 1_000,
      expiresAtS: T0 / 1_000 + 60,
    });
  });

  it('accepts tokens of every key of the set, so api’s key can be rotated', async () => {
    const next = generateServiceKeys();
    const verifier = verifierFor('acd', () => T0, { keys: [...api.publicJwks.keys, ...next.publicJwks.keys] });
    for (const privateKey of [api.privateJwk, next.privateJwk]) {
      expect(await rejectionOf(verifier, await new ServiceTokenSigner({ privateKey, now: () => T0 }).tokenFor('acd'))).toBe('accepted');
    }
  });

  it('refuses no token as missing', async () => {
    expect(await rejectionOf(verifierFor('acd'), undefined)).toBe('missing');
    expect(await rejectionOf(verifierFor('acd'), '')).toBe('missing');
  });

  it.each([
    ['for another service', { aud: 'ivr' }],
    ['from another issuer', { iss: 'someone-else' }],
    ['about another subject', { sub: 'agent-7' }],
    ['without an id', { jti: null }],
    ['signed by another key under api’s key id', { key: generateServiceKeys().privateJwk }],
    ['signed by a key not in the set', { key: generateServiceKeys().privateJwk, kid: 'unknown' }],
    ['issued in the future', { iatS: T0 / 1_000 + 600 }],
  ])('refuses a token %s', async (_, changes) => {
    expect(await rejectionOf(verifierFor('acd'), await handMade(changes))).toBe('invalid');
  });

  it('refuses a token MACed with the public key as an HMAC secret (algorithm confusion)', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(api.publicJwks.keys[0]));
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256', kid: api.privateJwk.kid }).setIssuer('lianluo-api').setSubject('api').setAudience('acd').setIssuedAt(T0 / 1_000).setExpirationTime(T0 / 1_000 + 60).setJti('x').sign(secret);
    expect(await rejectionOf(verifierFor('acd'), token)).toBe('invalid');
  });

  it('refuses what is not a token', async () => {
    for (const garbage of ['not-a-jwt', 'a.b.c', 'e30.e30.']) expect(await rejectionOf(verifierFor('acd'), garbage)).toBe('invalid');
  });

  it('refuses an expired token as expired, allowing five seconds of clock difference', async () => {
    const token = await handMade();
    expect(await rejectionOf(verifierFor('acd', () => T0 + 64_000), token)).toBe('accepted');
    expect(await rejectionOf(verifierFor('acd', () => T0 + 66_000), token)).toBe('expired');
  });

  it('refuses a token issued more than five minutes ago as expired, whatever its own expiry says', async () => {
    expect(await rejectionOf(verifierFor('acd'), await handMade({ iatS: T0 / 1_000 - 299, expS: T0 / 1_000 + 3_600 }))).toBe('accepted');
    expect(await rejectionOf(verifierFor('acd'), await handMade({ iatS: T0 / 1_000 - 306, expS: T0 / 1_000 + 3_600 }))).toBe('expired');
  });

  it('says what was wrong in words that name no check or key', async () => {
    const messages = new Set<string>();
    for (const token of [undefined, await handMade(), await handMade({ key: generateServiceKeys().privateJwk })]) {
      await verifierFor('acd', () => T0 + 3_600_000)
        .verify(token)
        .catch((error: ServiceTokenRejected) => messages.add(error.message));
    }
    expect([...messages]).toEqual(['a bearer token from api is required', 'the service token has expired', 'the service token is not valid for this service']);
  });
});
