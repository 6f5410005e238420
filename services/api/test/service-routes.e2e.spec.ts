// The routes api serves from the services' own HTTP routes (reports, history, callers, voicemail,
// greetings, a callback's status), with real acd, ivr, voicemail and reporting processes that
// answer only api's service token: the path's tenant always, the services' refusals passed on.
import { type ApiClient, createApiClient } from '@lianluo/api-client';
import { ApiTestbed } from './api-testbed';

describe('routes api forwards to the services', () => {
  let api: ApiTestbed;
  let admin: ApiClient;
  let supervisor: ApiClient;
  let agent: ApiClient;
  const tenant = { path: { tenant: 'acme' } };
  const day = { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' };

  beforeAll(async () => {
    api = await ApiTestbed.start({ services: ['acd', 'ivr', 'voicemail', 'reporting'] });
    admin = createApiClient({ baseUrl: api.url, accessToken: () => api.accessTokenOf('admin') });
    supervisor = createApiClient({ baseUrl: api.url, accessToken: () => api.accessTokenOf('supervisor') });
    agent = createApiClient({ baseUrl: api.url, accessToken: () => api.accessTokenOf('li') });
  }, 180_000);

  afterAll(() => api?.stop());

  it("answers reports of the path's tenant only, as JSON or CSV, and passes on reporting's refusal of a filter", async () => {
    const report = await supervisor.GET('/v1/tenants/{tenant}/reports/performance', { params: { ...tenant, query: { ...day, groupBy: 'queue' } } });
    expect(report.response.status).toBe(200);
    expect(report.data).toMatchObject({ items: [], page: 1 });
    const csv = await fetch(`${api.url}/v1/tenants/acme/reports/agent-states?from=${day.from}&to=${day.to}&format=csv`, { headers: { authorization: `Bearer ${await api.accessTokenOf('supervisor')}` } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect((await csv.text()).split('\n')[0]).toContain('agent');
    const otherTenant = await fetch(`${api.url}/v1/tenants/acme/reports/performance?from=${day.from}&to=${day.to}&tenant=globex`, { headers: { authorization: `Bearer ${await api.accessTokenOf('supervisor')}` } });
    expect(otherTenant.status).toBe(400);
    const badPeriod = await supervisor.GET('/v1/tenants/{tenant}/reports/performance', { params: { ...tenant, query: { from: day.to, to: day.from } } });
    expect(badPeriod.response.status).toBe(400);
    expect(JSON.stringify(badPeriod.error)).toContain('must be after from');
  });

  it("gives an agent a customer's history", async () => {
    const history = await agent.GET('/v1/tenants/{tenant}/customers/{customer}/interactions', { params: { path: { tenant: 'acme', customer: '13800000001' } } });
    expect(history.response.status).toBe(200);
    expect(history.data).toMatchObject({ items: [] });
  });

  it('keeps customers and blocked numbers for the ivr, camelCase in and out', async () => {
    const customer = { path: { tenant: 'acme', customerId: 'c-1' } };
    const saved = await admin.PUT('/v1/tenants/{tenant}/customers/{customerId}', { params: customer, body: { name: 'Wang Fang', numbers: ['13800000002'], vipTier: 2, lastAgent: 'li' } });
    expect(saved.response.status).toBe(200);
    const badNumber = await admin.PUT('/v1/tenants/{tenant}/customers/{customerId}', { params: customer, body: { numbers: ['call me'] } });
    expect(badNumber.response.status).toBe(400);
    expect(JSON.stringify(badNumber.error)).toContain('numbers');
    expect((await admin.DELETE('/v1/tenants/{tenant}/customers/{customerId}', { params: customer })).response.status).toBe(204);
    expect((await admin.DELETE('/v1/tenants/{tenant}/customers/{customerId}', { params: customer })).response.status).toBe(404);
    const number = { path: { tenant: 'acme', number: '13800000003' } };
    expect((await admin.PUT('/v1/tenants/{tenant}/blocked-numbers/{number}', { params: number, body: { reason: 'nuisance' } })).response.status).toBe(200);
    expect((await admin.DELETE('/v1/tenants/{tenant}/blocked-numbers/{number}', { params: number })).response.status).toBe(204);
  });

  it('sets, lists and removes greetings, with voicemail naming a bad media URI', async () => {
    expect((await admin.PUT('/v1/tenants/{tenant}/greetings', { params: tenant, body: { media: ['sound:vm-intro'] } })).response.status).toBe(200);
    const queue = { path: { tenant: 'acme', queue: 'support' } };
    expect((await admin.PUT('/v1/tenants/{tenant}/greetings/queues/{queue}', { params: queue, body: { media: ['sound:vm-intro', 'sound:beep'] } })).response.status).toBe(200);
    const listed = await admin.GET('/v1/tenants/{tenant}/greetings', { params: tenant });
    expect(listed.data?.greetings).toHaveLength(2);
    const bad = await admin.PUT('/v1/tenants/{tenant}/greetings', { params: tenant, body: { media: ['vm-intro'] } });
    expect(bad.response.status).toBe(400);
    expect(JSON.stringify(bad.error)).toContain('media URI');
    expect((await admin.DELETE('/v1/tenants/{tenant}/greetings/queues/{queue}', { params: queue })).response.status).toBe(204);
    expect((await admin.DELETE('/v1/tenants/{tenant}/greetings', { params: tenant })).response.status).toBe(204);
    expect((await admin.DELETE('/v1/tenants/{tenant}/greetings', { params: tenant })).response.status).toBe(404);
  });

  it("answers 404 for a message that is not the tenant's, and a callback's status with its attempts", async () => {
    const message = await agent.GET('/v1/tenants/{tenant}/voicemails/{messageId}', { params: { path: { tenant: 'acme', messageId: '00000000-0000-4000-8000-000000000001' } } });
    expect(message.response.status).toBe(404);
    const malformed = await agent.GET('/v1/tenants/{tenant}/voicemails/{messageId}', { params: { path: { tenant: 'acme', messageId: 'not-an-id' } } });
    expect(malformed.response.status).toBe(400);
    const audio = await fetch(`${api.url}/v1/tenants/acme/voicemails/00000000-0000-4000-8000-000000000001/audio`, { headers: { authorization: `Bearer ${await api.accessTokenOf('li')}` } });
    expect(audio.status).toBe(404);
    await agent.POST('/v1/tenants/{tenant}/callbacks', { params: tenant, body: { callbackId: 'cb-status', queue: 'support', number: '13800000012' } });
    const status = await agent.GET('/v1/tenants/{tenant}/callbacks/{callbackId}', { params: { path: { tenant: 'acme', callbackId: 'cb-status' } } });
    expect(status.response.status).toBe(200);
    expect(status.data).toMatchObject({ callbackId: 'cb-status', status: 'queued', history: [] });
  });

  it('says plainly when a service is not connected to this api', async () => {
    const bare = await ApiTestbed.start();
    try {
      const response = await bare.request('GET', `/v1/tenants/acme/reports/performance?from=${day.from}&to=${day.to}`, await bare.accessTokenOf('supervisor'));
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ error: 'unavailable', message: 'this installation has no reporting connected to its api' });
    } finally {
      await bare.stop();
    }
  }, 60_000);
});
