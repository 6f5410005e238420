// The api behind an operator's own issuer: a second OpenID provider, configured its own way
// (RSA keys, its audience, tenant under org.id, roles as group names), whose tokens the api
// verifies against that issuer's JWKS and maps to tenant and roles.
import { type ExternalIssuer, startExternalIssuer } from '@lianluo/testing';
import { ApiTestbed } from './api-testbed';

describe('an external issuer', () => {
  let issuer: ExternalIssuer;
  let api: ApiTestbed;

  beforeAll(async () => {
    issuer = await startExternalIssuer([
      { clientId: 'acme-admin', clientSecret: 'acme-admin-secret-0123456789abcdef', claims: { org: { id: 'acme' }, groups: ['cc-admins'] } },
      { clientId: 'acme-agent', clientSecret: 'acme-agent-secret-0123456789abcdef', claims: { org: { id: 'acme' }, groups: ['cc-agents'], login: 'li' } },
      { clientId: 'nobody', clientSecret: 'nobody-secret-0123456789abcdef0123', claims: { org: { id: 'acme' }, groups: ['marketing'] } },
    ]);
    api = await ApiTestbed.start({
      env: {
        OIDC_EXTERNAL_ISSUER: issuer.issuer,
        OIDC_AUDIENCE: issuer.audience,
        OIDC_TENANT_CLAIM: 'org.id',
        OIDC_ROLES_CLAIM: 'groups',
        OIDC_AGENT_CLAIM: 'login',
        OIDC_ROLE_MAP: 'cc-admins=admin,cc-agents=agent',
      },
    });
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await issuer?.stop();
  });

  it("maps the issuer's claims to tenant and roles and lets its tokens in", async () => {
    const admin = await api.request('GET', '/v1/tenants/acme/users', await issuer.tokenOf('acme-admin'));
    expect(admin.status).toBe(200);
    const agent = await api.request('GET', '/v1/tenants/acme/me', await issuer.tokenOf('acme-agent'));
    expect(agent.status).toBe(200);
    expect(await agent.json()).toMatchObject({ tenant: 'acme', roles: ['agent'], agentId: 'li' });
  });

  it('keeps them inside their tenant and their roles', async () => {
    expect((await api.request('GET', '/v1/tenants/globex/users', await issuer.tokenOf('acme-admin'))).status).toBe(403);
    expect((await api.request('GET', '/v1/tenants/acme/users', await issuer.tokenOf('acme-agent'))).status).toBe(403);
  });

  it('refuses a token whose roles map to none of ours', async () => {
    expect((await api.request('GET', '/v1/tenants/acme/me', await issuer.tokenOf('nobody'))).status).toBe(401);
  });

  it('serves no embedded sign-in and refuses tokens the embedded keys would sign', async () => {
    expect((await fetch(`${api.url}/oidc/.well-known/openid-configuration`)).status).toBe(404);
    expect((await api.request('GET', '/v1/tenants/acme/me', 'eyJhbGciOiJFZERTQSJ9.eyJ0ZW5hbnQiOiJhY21lIn0.c2ln')).status).toBe(401);
  });
});
