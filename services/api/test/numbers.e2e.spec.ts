// The number plan (TEL-5) through the api: a platform operator gives numbers to tenants, each
// tenant's admins see theirs, and the record is the one the media gateways follow.
import { type ApiClient, createApiClient } from '@lianluo/api-client';
import { DialledNumberSchema, NUMBER_PLAN_BUCKET, numberPlanKey } from '@lianluo/contracts';
import { MessagingConnection, RecordBucket } from '@lianluo/messaging';
import { fromBinary } from '@bufbuild/protobuf';
import { ApiTestbed } from './api-testbed';

describe('the number plan', () => {
  let api: ApiTestbed;
  let operator: ApiClient;
  let acmeAdmin: ApiClient;
  let globexAdmin: ApiClient;

  beforeAll(async () => {
    api = await ApiTestbed.start();
    operator = createApiClient({ baseUrl: api.url, accessToken: () => api.accessTokenOf('ops') });
    acmeAdmin = createApiClient({ baseUrl: api.url, accessToken: () => api.accessTokenOf('admin', 'acme') });
    globexAdmin = createApiClient({ baseUrl: api.url, accessToken: () => api.accessTokenOf('admin', 'globex') });
  }, 120_000);

  afterAll(() => api?.stop());

  it("writes what the media gateways follow, and shows each tenant's admins only their numbers", async () => {
    expect((await operator.PUT('/v1/numbers/{number}', { params: { path: { number: '+864008001234' } }, body: { tenant: 'acme' } })).data).toEqual({ number: '+864008001234', tenant: 'acme' });
    await operator.PUT('/v1/numbers/{number}', { params: { path: { number: '4008005678' } }, body: { tenant: 'globex' } });

    const connection = await MessagingConnection.connect({ servers: 'nats://127.0.0.1:4222', namespace: api.namespace, connectionName: 'api-test', queueGroup: 'api-test' });
    try {
      const entries = await (await RecordBucket.open(connection, NUMBER_PLAN_BUCKET)).entries('n');
      const record = entries.find((entry) => entry.key === numberPlanKey('+864008001234'));
      expect(record && fromBinary(DialledNumberSchema, record.record)).toMatchObject({ number: '+864008001234', tenant: 'acme' });
    } finally {
      await connection.close();
    }

    const acme = await acmeAdmin.GET('/v1/tenants/{tenant}/numbers', { params: { path: { tenant: 'acme' } } });
    expect(acme.data).toEqual({ items: [{ number: '+864008001234', tenant: 'acme' }] });
    const globex = await globexAdmin.GET('/v1/tenants/{tenant}/numbers', { params: { path: { tenant: 'globex' } } });
    expect(globex.data).toEqual({ items: [{ number: '4008005678', tenant: 'globex' }] });
  });

  it('moves a number to another tenant, removes it, and names a bad number or tenant', async () => {
    await operator.PUT('/v1/numbers/{number}', { params: { path: { number: '4008005678' } }, body: { tenant: 'acme' } });
    expect((await operator.GET('/v1/numbers')).data?.items).toEqual([
      { number: '+864008001234', tenant: 'acme' },
      { number: '4008005678', tenant: 'acme' },
    ]);
    expect((await operator.DELETE('/v1/numbers/{number}', { params: { path: { number: '4008005678' } } })).response.status).toBe(204);
    expect((await operator.DELETE('/v1/numbers/{number}', { params: { path: { number: '4008005678' } } })).response.status).toBe(404);
    const badNumber = await operator.PUT('/v1/numbers/{number}', { params: { path: { number: '400 800' } }, body: { tenant: 'acme' } });
    expect(badNumber.error).toMatchObject({ problems: [{ field: 'path.number' }] });
    const badTenant = await operator.PUT('/v1/numbers/{number}', { params: { path: { number: '4008000000' } }, body: { tenant: 'a.b' } });
    expect(badTenant.error).toMatchObject({ problems: [{ field: 'body.tenant' }] });
  });
});
