// Callback requests through the api, answered by a real acd: from the centre's people (with an
// idempotent id), from a customer's web form without signing in (rate limited), withdrawn by a
// supervisor; refusals name the body's field.
import { type ApiClient, createApiClient } from '@lianluo/api-client';
import { ApiTestbed } from './api-testbed';

const PUBLIC_RATE = 5;

describe('callbacks', () => {
  let api: ApiTestbed;
  let agent: ApiClient;
  let supervisor: ApiClient;
  const tenant = { path: { tenant: 'acme' } };

  beforeAll(async () => {
    api = await ApiTestbed.start({ services: ['acd'], env: { PUBLIC_RATE_PER_MINUTE: String(PUBLIC_RATE) } });
    agent = createApiClient({ baseUrl: api.url, accessToken: () => api.accessTokenOf('li') });
    supervisor = createApiClient({ baseUrl: api.url, accessToken: () => api.accessTokenOf('supervisor') });
  }, 120_000);

  afterAll(() => api?.stop());

  it('queues a callback an agent asks for, and answers a repeated request with the same one', async () => {
    const body = { callbackId: 'cb-1', queue: 'support', number: '+8613800000009', data: { topic: 'invoice' } };
    const first = await agent.POST('/v1/tenants/{tenant}/callbacks', { params: tenant, body });
    expect(first.response.status).toBe(201);
    expect(first.data).toMatchObject({ callbackId: 'cb-1', status: 'queued', origin: 'web', attempts: 0, duplicate: false, data: { topic: 'invoice' } });
    const again = await agent.POST('/v1/tenants/{tenant}/callbacks', { params: tenant, body });
    expect(again.response.status).toBe(200);
    expect(again.data).toMatchObject({ callbackId: 'cb-1', duplicate: true });
  });

  it('schedules a callback at its appointment and lets a supervisor withdraw it', async () => {
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = await agent.POST('/v1/tenants/{tenant}/callbacks', { params: tenant, body: { callbackId: 'cb-2', queue: 'support', number: '13800000010', appointment: at } });
    expect(scheduled.data).toMatchObject({ status: 'scheduled', appointment: at });
    const cancelled = await supervisor.DELETE('/v1/tenants/{tenant}/callbacks/{callbackId}', { params: { path: { tenant: 'acme', callbackId: 'cb-2' } } });
    expect(cancelled.response.status).toBe(200);
    expect(cancelled.data).toMatchObject({ callbackId: 'cb-2', status: 'cancelled' });
    const unknown = await supervisor.DELETE('/v1/tenants/{tenant}/callbacks/{callbackId}', { params: { path: { tenant: 'acme', callbackId: 'no-such' } } });
    expect(unknown.response.status).toBe(404);
  });

  it("names the body's field the acd refuses", async () => {
    const badNumber = await agent.POST('/v1/tenants/{tenant}/callbacks', { params: tenant, body: { queue: 'support', number: 'call me' } });
    expect(badNumber.response.status).toBe(400);
    expect(badNumber.error).toMatchObject({ problems: [{ field: 'body.number' }] });
    const unknownQueue = await agent.POST('/v1/tenants/{tenant}/callbacks', { params: tenant, body: { queue: 'nowhere', number: '13800000011' } });
    expect(unknownQueue.response.status).toBe(400);
    expect(unknownQueue.error).toMatchObject({ problems: [{ field: 'body.queue' }] });
  });

  it("takes a customer's web request without a token, only the form's fields, and throttles a client address that keeps asking", async () => {
    const form = (number: string, extra: Record<string, unknown> = {}) =>
      fetch(`${api.url}/v1/tenants/acme/public/callbacks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ queue: 'support', number, ...extra }) });
    const sneaky = await form('13800000020', { priority: 100 });
    expect(sneaky.status).toBe(400);
    const first = await form('13800000021');
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ origin: 'web', status: 'queued', priority: 0 });
    const statuses: number[] = [];
    for (let i = 0; i < PUBLIC_RATE; i++) statuses.push((await form(`1380000003${i}`)).status);
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((status) => status === 201).length).toBeLessThan(PUBLIC_RATE);
  });
});
