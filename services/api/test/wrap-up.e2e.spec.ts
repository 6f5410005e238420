// An agent closes a contact with a wrap-up code and notes through the api against a real
// acd: the desktop reads the tenant's codes, acd refuses one the tenant does not list, and
// the code and notes travel on contact_completed.
import { create } from '@bufbuild/protobuf';
import { type ApiClient, createApiClient } from '@lianluo/api-client';
import { ALL_ACD_EVENTS, AcdCommands, Channel, type EventDefinition } from '@lianluo/contracts';
import { CommandClient, EventConsumer, MessagingConnection } from '@lianluo/messaging';
import { until } from '@lianluo/testing';
import { ApiTestbed } from './api-testbed';

interface Recorded {
  contact: { contactId: string };
  agent: { agentId: string };
  attempt: number;
  wrapUpCode?: string;
  notes?: string;
}

describe('releasing a contact with a wrap-up code and notes through the api', () => {
  let api: ApiTestbed;
  let connection: MessagingConnection;
  let consumer: EventConsumer;
  const events: { name: string; message: Recorded }[] = [];
  let li: ApiClient;
  let admin: ApiClient;
  const tenant = { path: { tenant: 'acme' } };

  beforeAll(async () => {
    api = await ApiTestbed.start({ services: ['acd'] });
    connection = await MessagingConnection.connect({ servers: 'nats://127.0.0.1:4222', namespace: api.namespace, connectionName: 'api-test', queueGroup: 'api-test' });
    const wanted = ALL_ACD_EVENTS.filter((definition) => ['contact_offered', 'contact_completed'].includes(definition.name));
    consumer = new EventConsumer(connection, {
      durable: 'api-test-wrap-up',
      definitions: wanted as unknown as EventDefinition[],
      handler: (message, ctx) => void events.push({ name: ctx.subject.split('.').pop() ?? '', message: message as unknown as Recorded }),
    });
    await consumer.start();
    li = createApiClient({ baseUrl: api.url, accessToken: () => api.accessTokenOf('li') });
    admin = createApiClient({ baseUrl: api.url, accessToken: () => api.accessTokenOf('admin') });
    expect((await admin.PUT('/v1/tenants/{tenant}/wrap-up-codes/{code}', { params: { path: { tenant: 'acme', code: 'sale' } }, body: { label: 'Sale made' } })).response.status).toBe(201);
    expect((await admin.PUT('/v1/tenants/{tenant}/not-ready-reasons/{code}', { params: { path: { tenant: 'acme', code: 'lunch' } }, body: { label: 'Lunch' } })).response.status).toBe(201);
    expect((await li.POST('/v1/tenants/{tenant}/me/login', { params: tenant, body: {} })).response.status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await consumer?.stop();
    await connection?.close();
    await api?.stop();
  });

  const eventOf = async (name: string, contactId: string): Promise<Recorded> => {
    const find = () => events.find((e) => e.name === name && e.message.contact.contactId === contactId);
    await until(`${name} of ${contactId} arrives`, async () => find() !== undefined, 10_000);
    return find()!.message;
  };

  /** An email offered to li, accepted: its path. */
  const acceptedEmail = async (contactId: string) => {
    expect((await li.POST('/v1/tenants/{tenant}/me/ready', { params: tenant })).response.status).toBe(204);
    const enqueued = await new CommandClient(connection).request(
      AcdCommands.enqueueContact,
      create(AcdCommands.enqueueContact.request, { commandId: `enqueue-${contactId}`, tenant: 'acme', contact: { contactId, queue: 'support', channel: Channel.EMAIL } }),
      { timeoutMs: 5_000 },
    );
    expect(enqueued.ok).toBe(true);
    const offer = await eventOf('contact_offered', contactId);
    const path = { path: { tenant: 'acme', contactId } };
    expect((await li.POST('/v1/tenants/{tenant}/me/offers/{contactId}/accept', { params: path, body: { attempt: offer.attempt } })).response.status).toBe(200);
    return path;
  };

  it("lets an agent read the tenant's wrap-up codes and not-ready reasons, but not change them", async () => {
    const codes = await li.GET('/v1/tenants/{tenant}/wrap-up-codes', { params: tenant });
    expect(codes.response.status).toBe(200);
    expect(JSON.stringify(codes.data)).toContain('"sale"');
    const reasons = await li.GET('/v1/tenants/{tenant}/not-ready-reasons', { params: tenant });
    expect(reasons.response.status).toBe(200);
    expect(JSON.stringify(reasons.data)).toContain('"lunch"');
    expect((await li.PUT('/v1/tenants/{tenant}/wrap-up-codes/{code}', { params: { path: { tenant: 'acme', code: 'x' } }, body: { label: 'X' } })).response.status).toBe(403);
  });

  it('refuses a wrap-up code the tenant does not list, then releases with a listed one and carries it with the notes', async () => {
    const path = await acceptedEmail('mail-wrap-1');
    const refused = await li.POST('/v1/tenants/{tenant}/me/contacts/{contactId}/release', { params: path, body: { wrapUpCode: 'no-sale' } });
    expect(refused.response.status).toBe(400);
    expect(refused.error).toMatchObject({ problems: [{ field: 'body.wrapUpCode' }] });
    const tooLong = await li.POST('/v1/tenants/{tenant}/me/contacts/{contactId}/release', { params: path, body: { wrapUpCode: 'sale', notes: 'n'.repeat(2_001) } });
    expect(tooLong.response.status).toBe(400);
    expect(tooLong.error).toMatchObject({ problems: [{ field: 'body.notes' }] });

    const released = await li.POST('/v1/tenants/{tenant}/me/contacts/{contactId}/release', { params: path, body: { wrapUpCode: 'sale', notes: 'Renewed for a year' } });
    expect(released.response.status).toBe(200);
    expect(await eventOf('contact_completed', 'mail-wrap-1')).toMatchObject({ wrapUpCode: 'sale', notes: 'Renewed for a year' });
  });

  it('releases without a body as before', async () => {
    const path = await acceptedEmail('mail-wrap-2');
    expect((await li.POST('/v1/tenants/{tenant}/me/contacts/{contactId}/release', { params: path })).response.status).toBe(200);
    expect(await eventOf('contact_completed', 'mail-wrap-2')).toMatchObject({ wrapUpCode: '', notes: '' });
  });

  it('refuses a not-ready reason the tenant does not list and takes a listed one', async () => {
    const refused = await li.POST('/v1/tenants/{tenant}/me/not-ready', { params: tenant, body: { reason: 'coffee' } });
    expect(refused.response.status).toBe(400);
    expect((await li.POST('/v1/tenants/{tenant}/me/not-ready', { params: tenant, body: { reason: 'lunch' } })).response.status).toBe(204);
  });
});
