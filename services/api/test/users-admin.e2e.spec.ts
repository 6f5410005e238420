// An admin manages the tenant's people: create, page through, change roles, disable, delete;
// clear refusals for bad or clashing input; every change in the audit log with before and after.
import { type ApiClient, createApiClient } from '@lianluo/api-client';
import { ApiTestbed } from './api-testbed';

describe('users and the audit log', () => {
  let api: ApiTestbed;
  let admin: ApiClient;
  const tenant = { path: { tenant: 'acme' } };

  beforeAll(async () => {
    api = await ApiTestbed.start();
    admin = createApiClient({ baseUrl: api.url, accessToken: () => api.accessTokenOf('admin') });
  }, 120_000);

  afterAll(() => api?.stop());

  it('creates a user who can then sign in with the roles given', async () => {
    const created = await admin.POST('/v1/tenants/{tenant}/users', { params: tenant, body: { login: 'ma@acme', roles: ['supervisor'], password: 'a long password 1' } });
    expect(created.response.status).toBe(201);
    expect(created.data).toMatchObject({ login: 'ma@acme', roles: ['supervisor'], agentId: null, disabled: false });
    const tokens = await api.browser().signIn('MA@acme', 'a long password 1');
    expect((await api.request('GET', '/v1/tenants/acme/users', tokens.access_token)).status).toBe(403);
  });

  it('refuses a clashing login or agent, and a weak password, naming the field', async () => {
    const clash = await admin.POST('/v1/tenants/{tenant}/users', { params: tenant, body: { login: 'li@acme', roles: ['agent'], password: 'a long password 2' } });
    expect(clash.response.status).toBe(409);
    expect(clash.error).toMatchObject({ problems: [{ field: 'body.login' }] });
    const sameAgent = await admin.POST('/v1/tenants/{tenant}/users', { params: tenant, body: { login: 'li2@acme', roles: ['agent'], agentId: 'li', password: 'a long password 2' } });
    expect(sameAgent.response.status).toBe(409);
    expect(sameAgent.error).toMatchObject({ problems: [{ field: 'body.agentId' }] });
    const weak = await admin.POST('/v1/tenants/{tenant}/users', { params: tenant, body: { login: 'x@acme', roles: ['platform-operator' as 'admin'], password: 'short' } });
    expect(weak.response.status).toBe(400);
    expect((weak.error?.problems ?? []).map((p) => p.field).sort()).toEqual(['body.password', 'body.roles.0']);
  });

  it('pages through the users by login', async () => {
    const first = await admin.GET('/v1/tenants/{tenant}/users', { params: { ...tenant, query: { limit: 2 } } });
    expect(first.data?.items.map((u) => u.login)).toEqual(['admin@acme', 'li@acme']);
    const second = await admin.GET('/v1/tenants/{tenant}/users', { params: { ...tenant, query: { limit: 2, after: first.data!.next! } } });
    expect(second.data?.items.map((u) => u.login)).toEqual(['ma@acme', 'supervisor@acme']);
    const last = await admin.GET('/v1/tenants/{tenant}/users', { params: { ...tenant, query: { limit: 2, after: second.data!.next! } } });
    expect(last.data).toEqual({ items: [expect.objectContaining({ login: 'wu@acme' })], next: null });
  });

  it("keeps every change in the audit log with who, before and after, passwords masked, and users of another tenant out of reach", async () => {
    const created = await admin.POST('/v1/tenants/{tenant}/users', { params: tenant, body: { login: 'temp@acme', roles: ['agent'], agentId: 'temp', password: 'a long password 3' } });
    const userId = created.data!.userId;
    const path = { path: { tenant: 'acme', userId } };
    expect((await admin.PATCH('/v1/tenants/{tenant}/users/{userId}', { params: path, body: { roles: ['supervisor'], agentId: null } })).response.status).toBe(200);
    expect((await admin.DELETE('/v1/tenants/{tenant}/users/{userId}', { params: path })).response.status).toBe(204);
    expect((await admin.DELETE('/v1/tenants/{tenant}/users/{userId}', { params: path })).response.status).toBe(404);

    const globexAdmin = createApiClient({ baseUrl: api.url, accessToken: () => api.accessTokenOf('admin', 'globex') });
    const globexUsers = await globexAdmin.GET('/v1/tenants/{tenant}/users', { params: { path: { tenant: 'globex' } } });
    const someoneElse = globexUsers.data!.items[0]!.userId;
    expect((await admin.DELETE('/v1/tenants/{tenant}/users/{userId}', { params: { path: { tenant: 'acme', userId: someoneElse } } })).response.status).toBe(404);

    const log = await admin.GET('/v1/tenants/{tenant}/audit-log', { params: { ...tenant, query: { action: '/users' } } });
    const aboutTemp = log.data!.items.filter((entry) => entry.target.userId === userId || (entry.after as { login?: string } | null)?.login === 'temp@acme');
    expect(aboutTemp.map((entry) => [entry.action, entry.status])).toEqual([
      ['DELETE /v1/tenants/:tenant/users/:userId', 404],
      ['DELETE /v1/tenants/:tenant/users/:userId', 204],
      ['PATCH /v1/tenants/:tenant/users/:userId', 200],
      ['POST /v1/tenants/:tenant/users', 201],
    ]);
    const [, deleted, patched, posted] = aboutTemp;
    expect(posted!.request).toMatchObject({ login: 'temp@acme', password: '***' });
    expect(patched!.before).toMatchObject({ roles: ['agent'], agentId: 'temp' });
    expect(patched!.after).toMatchObject({ roles: ['supervisor'], agentId: null });
    expect(deleted!.before).toMatchObject({ login: 'temp@acme' });
    const adminId = (await (await api.request('GET', '/v1/tenants/acme/users?limit=1', await api.accessTokenOf('admin'))).json()) as { items: { userId: string }[] };
    expect(new Set(aboutTemp.map((entry) => entry.actor))).toEqual(new Set([adminId.items[0]!.userId]));
    expect(JSON.stringify(log.data)).not.toContain('a long password');
    // The other tenant's log has none of it.
    const theirs = await globexAdmin.GET('/v1/tenants/{tenant}/audit-log', { params: { path: { tenant: 'globex' } } });
    expect(theirs.data!.items).toEqual([]);
  });
});
