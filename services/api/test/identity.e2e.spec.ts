// Signing in at the embedded provider, as a browser does, and what happens to tokens after:
// expiry, refresh with rotation, revocation at logout, sessions ended by an admin, and brute
// force on the sign-in form (a locked account, then the client address throttled).
import { TokenRequestRefused } from '@lianluo/testing';
import { type JWK, SignJWT, importJWK } from 'jose';
import { ApiTestbed, loginOf, passwordOf } from './api-testbed';

const MAX_FAILURES = 3;
const RATE_PER_MINUTE = 40;

describe('signing in', () => {
  let api: ApiTestbed;

  beforeAll(async () => {
    api = await ApiTestbed.start({ env: { LOGIN_MAX_FAILURES: String(MAX_FAILURES), LOGIN_LOCK_SECONDS: '600', LOGIN_RATE_PER_MINUTE: String(RATE_PER_MINUTE) } });
  }, 120_000);

  afterAll(() => api?.stop());

  /** A token the provider's own key signs, with the claims given on top of a valid agent's. */
  async function forged(claims: Record<string, unknown>, key: JWK = api.signingKeys.keys[0] as JWK): Promise<string> {
    const payload = { tenant: 'acme', roles: ['agent'], agent_id: 'li', ...claims };
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'at+jwt' })
      .setIssuer(api.issuer)
      .setAudience(api.audience)
      .setSubject('someone')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 120)
      .setExpirationTime((claims.exp as number | undefined) ?? Math.floor(Date.now() / 1000) + 300)
      .sign(await importJWK(key, 'EdDSA'));
  }

  const me = (token: string) => api.request('GET', '/v1/tenants/acme/me', token);

  it('gives a browser tokens for the api after a right password, carrying tenant, roles and agent', async () => {
    const tokens = await api.browser().signIn(loginOf('li', 'acme'), passwordOf('li', 'acme'));
    expect(tokens.refresh_token).toBeDefined();
    const response = await me(tokens.access_token);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ tenant: 'acme', roles: ['agent'], agentId: 'li' });
  });

  it('accepts a token signed by its key and refuses it once expired, or signed by another key, or for another audience', async () => {
    expect((await me(await forged({}))).status).toBe(200);
    const expired = await me(await forged({ exp: Math.floor(Date.now() / 1000) - 60 }));
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ error: 'unauthorized', message: 'the access token has expired' });
    const { generateKeyPair, exportJWK } = await import('jose');
    const stranger = { ...(await exportJWK((await generateKeyPair('EdDSA', { extractable: true })).privateKey)), kid: (api.signingKeys.keys[0] as JWK).kid };
    expect((await me(await forged({}, stranger))).status).toBe(401);
    const otherAudience = new SignJWT({ tenant: 'acme', roles: ['agent'], agent_id: 'li' })
      .setProtectedHeader({ alg: 'EdDSA', kid: (api.signingKeys.keys[0] as JWK).kid })
      .setIssuer(api.issuer)
      .setAudience('urn:someone:else')
      .setSubject('someone')
      .setExpirationTime('5m')
      .sign(await importJWK(api.signingKeys.keys[0] as JWK, 'EdDSA'));
    expect((await me(await otherAudience)).status).toBe(401);
  });

  it('refreshes with a new refresh token each time and refuses a spent one', async () => {
    const browser = api.browser();
    const first = await browser.signIn(loginOf('wu', 'acme'), passwordOf('wu', 'acme'));
    const second = await browser.refresh(first.refresh_token!);
    expect(second.refresh_token).not.toEqual(first.refresh_token);
    expect((await me(second.access_token)).status).toBe(200);
    await expect(browser.refresh(first.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a refresh token revoked at logout', async () => {
    const browser = api.browser();
    const tokens = await browser.signIn(loginOf('wu', 'globex'), passwordOf('wu', 'globex'));
    await browser.revoke(tokens.refresh_token!);
    const refused = await browser.refresh(tokens.refresh_token!).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TokenRequestRefused);
    expect((refused as TokenRequestRefused).error).toBe('invalid_grant');
  });

  it("ends a user's sessions when an admin changes their roles or disables them", async () => {
    const browser = api.browser();
    const tokens = await browser.signIn(loginOf('supervisor', 'globex'), passwordOf('supervisor', 'globex'));
    const admin = await api.accessTokenOf('admin', 'globex');
    const list = (await (await api.request('GET', '/v1/tenants/globex/users?limit=500', admin)).json()) as { items: { userId: string; login: string }[] };
    const user = list.items.find((item) => item.login === loginOf('supervisor', 'globex'))!;
    const changed = await api.request('PATCH', `/v1/tenants/globex/users/${user.userId}`, admin, { disabled: true });
    expect(changed.status).toBe(200);
    await expect(browser.refresh(tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    const again = api.browser();
    await again.start();
    expect((await again.submit(loginOf('supervisor', 'globex'), passwordOf('supervisor', 'globex'))).status).toBe(401);
  });

  it('locks an account after repeated wrong passwords, even against the right one, saying for how long', async () => {
    const browser = api.browser();
    await browser.start();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < MAX_FAILURES; attempt++) statuses.push((await browser.submit(loginOf('admin', 'acme'), 'wrong password')).status);
    expect(statuses).toEqual([...Array<number>(MAX_FAILURES - 1).fill(401), 429]);
    const right = await browser.submit(loginOf('admin', 'acme'), passwordOf('admin', 'acme'));
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(500);
    // Another account is not affected.
    expect((await browser.submit(loginOf('li', 'globex'), passwordOf('li', 'globex'))).status).toBe(303);
  });

  it('throttles a client address that keeps trying logins, known or not', async () => {
    const browser = api.browser();
    await browser.start();
    const statuses: number[] = [];
    for (let attempt = 0; attempt <= RATE_PER_MINUTE; attempt++) statuses.push((await browser.submit(`nobody-${attempt}@acme`, 'guess')).status);
    expect(statuses.filter((status) => status === 401).length).toBeLessThan(RATE_PER_MINUTE);
    expect(statuses.at(-1)).toBe(429);
  });
});
