// An agent's day through the typed client (libs/api-client) against a real acd: log in, ready,
// take an email offered to it, release it, not ready. Another agent cannot take its offer.
import { create } from '@bufbuild/protobuf';
import { type ApiClient, createApiClient } from '@lianluo/api-client';
import { ALL_ACD_EVENTS, AcdCommands, Channel, type EventDefinition } from '@lianluo/contracts';
import { CommandClient, EventConsumer, MessagingConnection } from '@lianluo/messaging';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ApiTestbed } from './api-testbed';

interface Offered {
  contact: { contactId: string };
  agent: { agentId: string };
  attempt: number;
}

describe("an agent's work through the api", () => {
  let api: ApiTestbed;
  let connection: MessagingConnection;
  let offers: EventConsumer;
  const offered: Offered[] = [];
  let li: ApiClient;
  let wu: ApiClient;

  beforeAll(async () => {
    api = await ApiTestbed.start({ services: ['acd'] });
    connection = await MessagingConnection.connect({ servers: 'nats://127.0.0.1:4222', namespace: api.namespace, connectionName: 'api-test', queueGroup: 'api-test' });
    offers = new EventConsumer(connection, {
      durable: 'api-test-offers',
      definitions: ALL_ACD_EVENTS.filter((definition) => definition.name === 'contact_offered') as unknown as EventDefinition[],
      handler: (message) => void offered.push(message as unknown as Offered),
    });
    await offers.start();
    li = createApiClient({ baseUrl: api.url, accessToken: () => api.accessTokenOf('li') });
    wu = createApiClient({ baseUrl: api.url, accessToken: () => api.accessTokenOf('wu') });
  }, 120_000);

  afterAll(async () => {
    await offers?.stop();
    await connection?.close();
    await api?.stop();
  });

  const offerTo = async (agentId: string, contactId: string): Promise<Offered> => {
    for (let waited = 0; waited < 10_000; waited += 50) {
      const offer = offered.find((o) => o.agent.agentId === agentId && o.contact.contactId === contactId);
      if (offer) return offer;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no offer of ${contactId} to ${agentId}`);
  };

  it('serves the document the client was generated from (run npm run api:generate after changing a route)', async () => {
    const served = await (await fetch(`${api.url}/v1/openapi.json`)).json();
    const committed = JSON.parse(await readFile(resolve(__dirname, '..', '..', '..', 'libs', 'api-client', 'openapi.json'), 'utf8')) as unknown;
    expect(served).toEqual(committed);
  });

  it('logs the agent in, makes it ready, offers it an email it accepts and releases, then sets it not ready', async () => {
    const tenant = { path: { tenant: 'acme' } };
    expect((await li.POST('/v1/tenants/{tenant}/me/login', { params: tenant, body: {} })).response.status).toBe(200);
    expect((await li.POST('/v1/tenants/{tenant}/me/ready', { params: tenant })).response.status).toBe(204);

    const commands = new CommandClient(connection);
    const enqueued = await commands.request(
      AcdCommands.enqueueContact,
      create(AcdCommands.enqueueContact.request, { commandId: 'enqueue-1', tenant: 'acme', contact: { contactId: 'mail-1', queue: 'support', channel: Channel.EMAIL } }),
      { timeoutMs: 5_000 },
    );
    expect(enqueued.ok).toBe(true);
    const offer = await offerTo('li', 'mail-1');

    const path = { path: { tenant: 'acme', contactId: 'mail-1' } };
    const stolen = await wu.POST('/v1/tenants/{tenant}/me/offers/{contactId}/accept', { params: path, body: { attempt: offer.attempt } });
    expect(stolen.response.status).toBeGreaterThanOrEqual(400);
    expect(stolen.response.status).toBeLessThan(500);

    const accepted = await li.POST('/v1/tenants/{tenant}/me/offers/{contactId}/accept', { params: path, body: { attempt: offer.attempt } });
    expect(accepted.response.status).toBe(200);
    expect(accepted.data).toEqual({ duplicate: false });
    const released = await li.POST('/v1/tenants/{tenant}/me/contacts/{contactId}/release', { params: path });
    expect(released.response.status).toBe(200);

    expect((await li.POST('/v1/tenants/{tenant}/me/not-ready', { params: tenant, body: { reason: 'lunch' } })).response.status).toBe(204);
  });

  it("answers the acd's refusals in HTTP's terms, naming the field", async () => {
    const unknownContact = await li.POST('/v1/tenants/{tenant}/me/offers/{contactId}/accept', { params: { path: { tenant: 'acme', contactId: 'no-such-contact' } }, body: { attempt: 1 } });
    expect([404, 409]).toContain(unknownContact.response.status);
    const badBody = await li.POST('/v1/tenants/{tenant}/me/not-ready', { params: { path: { tenant: 'acme' } }, body: { reason: '' } });
    expect(badBody.response.status).toBe(400);
    expect(badBody.error).toMatchObject({ error: 'invalid_request', problems: [{ field: 'body.reason' }] });
  });
});
