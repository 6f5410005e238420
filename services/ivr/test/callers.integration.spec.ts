// The callers routes (IVR-2) on a real replica, PostgreSQL and NATS: what the CRM sync and
// admin tools load through api, and nothing from anybody else.
import 'reflect-metadata';
import { loadConfig } from '@lianluo/config';
import { MessagingConnection, deleteNamespaceStreams } from '@lianluo/messaging';
import { TEST_POSTGRES_SERVER, createTestDatabase, dropTestDatabase, ensureLocalInfra, fetchAsApi, freePort, probeServiceIdentity, serviceAuthEnv, uniqueNamespace } from '@lianluo/testing';
import { type INestApplication } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startIvr } from '../src/ivr.app';
import { ivrConfigSchema } from '../src/ivr.config';

describe('callers over HTTP', () => {
  const namespace = uniqueNamespace('ivrcallers');
  let flowsDir: string;
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    await ensureLocalInfra();
    await createTestDatabase(namespace);
    flowsDir = await mkdtemp(join(tmpdir(), 'lianluo-ivr-flows-'));
    const env = {
      NATS_NAMESPACE: namespace,
      DATABASE_URL: `${TEST_POSTGRES_SERVER}/${namespace}`,
      DATABASE_POOL_SIZE: '2',
      FLOWS_DIR: flowsDir,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
      ...serviceAuthEnv(),
    };
    app = await startIvr(loadConfig(ivrConfigSchema, env));
    baseUrl = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    const connection = await MessagingConnection.connect({ servers: 'nats://127.0.0.1:4222', namespace, connectionName: 'ivr-callers-cleanup', queueGroup: 'x' });
    await deleteNamespaceStreams(connection);
    await connection.close();
    await dropTestDatabase(namespace);
    await rm(flowsDir, { recursive: true, force: true });
  });

  const asApi = (method: string, path: string, body?: unknown) =>
    fetchAsApi('ivr', `${baseUrl}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });

  it('saves and deletes customers and blocked numbers for api', async () => {
    const saved = await asApi('PUT', '/tenants/demo/customers/c-1', { name: 'Wang', numbers: ['13800000002'], vip_tier: 2 });
    expect({ status: saved.status, body: await saved.json() }).toMatchObject({ status: 200, body: { id: 'c-1', name: 'Wang', numbers: ['13800000002'], vip_tier: 2 } });
    expect((await asApi('PUT', '/tenants/demo/blocked-numbers/13800000003', { reason: 'nuisance' })).status).toBe(200);
    expect((await asApi('DELETE', '/tenants/demo/customers/c-1')).status).toBe(204);
    expect((await asApi('DELETE', '/tenants/demo/customers/c-1')).status).toBe(404);
    expect((await asApi('DELETE', '/tenants/demo/blocked-numbers/13800000003')).status).toBe(204);
    expect((await asApi('PUT', '/tenants/demo/customers/c-1', { vip_tier: 'gold' })).status).toBe(400);
  });

  it('answers 401 on every callers route to requests without a valid token of api’s for ivr', async () => {
    const routes = [
      { method: 'PUT', path: '/tenants/demo/customers/c-intruder', body: { name: 'Intruder', numbers: ['13800000099'] } },
      { method: 'DELETE', path: '/tenants/demo/customers/c-intruder' },
      { method: 'PUT', path: '/tenants/demo/blocked-numbers/13800000098', body: { reason: 'intruder' } },
      { method: 'DELETE', path: '/tenants/demo/blocked-numbers/13800000098' },
    ] as const;
    const answers = await probeServiceIdentity(baseUrl, 'ivr', routes);
    expect(answers).toHaveLength(routes.length * 4);
    expect(answers).toEqual(answers.map((answer) => ({ ...answer, status: 401, body: { error: 'unauthorized', message: expect.any(String) } })));
    // Nothing got through: neither the customer nor the blocked number was saved.
    expect((await asApi('DELETE', '/tenants/demo/customers/c-intruder')).status).toBe(404);
    expect((await asApi('DELETE', '/tenants/demo/blocked-numbers/13800000098')).status).toBe(404);
  });

  it('leaves health and metrics open to the kubelet and Prometheus', async () => {
    expect((await fetch(`${baseUrl}/health/live`)).status).toBe(200);
    expect((await fetch(`${baseUrl}/metrics`)).status).toBe(200);
  });
});
