// What each connected person receives: an agent only its own offers, a supervisor the tenant's
// board, nobody another tenant's events; after a replica is killed mid-burst, or a token expires,
// the client reconnects with its cursor and gets every later event once, in order.
import { create } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { AcdEvents, Channel, ContactOfferedSchema } from '@lianluo/contracts';
import { EventPublisher, MessagingConnection } from '@lianluo/messaging';
import { type LiveEventFrame, LiveEventsClient } from '@lianluo/testing';
import { ApiTestbed, type Person, type Tenant } from './api-testbed';

describe('live events', () => {
  let api: ApiTestbed;
  let connection: MessagingConnection;
  let publisher: EventPublisher;
  const clients: LiveEventsClient[] = [];
  let offers = 0;

  beforeAll(async () => {
    api = await ApiTestbed.start();
    await api.startReplica();
    connection = await MessagingConnection.connect({ servers: 'nats://127.0.0.1:4222', namespace: api.namespace, connectionName: 'api-live-test', queueGroup: 'api-live-test' });
    publisher = new EventPublisher(connection);
  }, 120_000);

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  afterAll(async () => {
    await connection?.close();
    await api?.stop();
  });

  /** Publishes `contact.offered` of a new contact to an agent, as acd would; its contact id. */
  const offer = async (tenant: Tenant, agentId: string): Promise<string> => {
    const contactId = `c-${++offers}`;
    const now = Date.now();
    await publisher.publish(
      AcdEvents.contactOffered,
      create(ContactOfferedSchema, {
        eventId: `offer-${contactId}`,
        tenant,
        occurredAt: timestampFromMs(now),
        contact: { contactId, queue: 'support', channel: Channel.EMAIL },
        agent: { agentId, site: 'bj' },
        attempt: 1,
        deadline: timestampFromMs(now + 30_000),
      }),
    );
    return contactId;
  };

  const follow = async (who: Person, feed: 'me' | 'board', tenant: Tenant = 'acme', urls = [api.replicas[0]!.url]) => {
    const client = new LiveEventsClient({ urls, tenant, feed, token: () => api.accessTokenOf(who, tenant) });
    clients.push(client);
    await client.connect();
    return client;
  };

  const contactsOf = (events: readonly LiveEventFrame[]) => events.map((event) => (event.data as { contact: { contactId: string } }).contact.contactId);
  const agentsOf = (events: readonly LiveEventFrame[]) => [...new Set(events.map((event) => (event.data as { agent: { agentId: string } }).agent.agentId))];

  it("pushes each agent its own offers and never another agent's, and the supervisor every offer of its tenant", async () => {
    const li = await follow('li', 'me');
    const wu = await follow('wu', 'me');
    const supervisor = await follow('supervisor', 'board');
    const globexLi = await follow('li', 'me', 'globex');
    const globexSupervisor = await follow('supervisor', 'board', 'globex');
    const toLi: string[] = [];
    const toWu: string[] = [];
    for (let i = 0; i < 5; i++) {
      toLi.push(await offer('acme', 'li'));
      toWu.push(await offer('acme', 'wu'));
    }
    const globexOffer = await offer('globex', 'wu');

    // Events come in stream order: once each has its last one, any other would have come first.
    await li.until(() => contactsOf(li.events).includes(toLi.at(-1)!));
    await wu.until(() => contactsOf(wu.events).includes(toWu.at(-1)!));
    await supervisor.until(() => contactsOf(supervisor.events).includes(toWu.at(-1)!));
    await globexSupervisor.until(() => contactsOf(globexSupervisor.events).includes(globexOffer));

    expect(contactsOf(li.events)).toEqual(toLi);
    expect(agentsOf(li.events)).toEqual(['li']);
    expect(contactsOf(wu.events)).toEqual(toWu);
    expect(li.events.every((event) => event.type === 'acd.contact_offered')).toBe(true);
    expect(contactsOf(supervisor.events)).toEqual(toLi.flatMap((contact, i) => [contact, toWu[i]!]));
    expect(contactsOf(globexSupervisor.events)).toEqual([globexOffer]);
    expect(globexLi.events).toEqual([]);
  }, 60_000);

  it('gives a client reconnecting to another replica, after its replica is killed mid-burst, every later event once and in order', async () => {
    const [first, second] = api.replicas;
    const li = await follow('li', 'me', 'acme', [first!.url, second!.url]);
    const burst = 500;
    const toLi: string[] = [];
    const kill = { started: false };
    const publishing = (async () => {
      for (let i = 0; i < burst; i++) {
        if (i === burst / 2) await li.until(() => kill.started); // the second half goes out while the client reconnects
        toLi.push(await offer('acme', 'li'));
        await offer('acme', 'wu');
      }
    })();
    await li.until(() => li.events.length >= 100);
    kill.started = true;
    await first!.kill();
    await publishing;
    await li.until(() => contactsOf(li.events).includes(toLi.at(-1)!)); // the last comes last: anything missing is missing for good

    expect(li.closes.map((close) => close.code)).toEqual([1006]);
    expect(li.readies).toBe(2);
    expect(contactsOf(li.events)).toEqual(toLi);
  }, 60_000);

  it('closes the connection with 4401 when the token expires; the client comes back with a fresh one and misses nothing', async () => {
    let tokens = 0;
    let whileAway: string | undefined;
    const li = new LiveEventsClient({
      urls: [api.replicas[1]!.url],
      tenant: 'acme',
      feed: 'me',
      token: async () => {
        if (tokens++ === 0) return api.signedToken('li', 'acme', 1);
        whileAway = await offer('acme', 'li'); // published while the client is away, before it reconnects
        return api.accessTokenOf('li', 'acme');
      },
    });
    clients.push(li);
    await li.connect();
    const before = await offer('acme', 'li');
    await li.until(() => li.readies === 2);
    const after = await offer('acme', 'li');
    await li.until(() => contactsOf(li.events).includes(after));

    expect(li.closes.map((close) => close.code)).toEqual([4401]);
    expect(contactsOf(li.events)).toEqual([before, whileAway, after]);
  }, 60_000);

  it('starts a cursor beyond the end of the stream, as after the stream was recreated, at its end instead of skipping what comes', async () => {
    const li = new LiveEventsClient({ urls: [api.replicas[1]!.url], tenant: 'acme', feed: 'me', cursor: 'acd:999999999', token: () => api.accessTokenOf('li', 'acme') });
    clients.push(li);
    await li.connect();
    const next = await offer('acme', 'li');
    await li.until(() => contactsOf(li.events).includes(next));
    expect(contactsOf(li.events)).toEqual([next]);
  }, 60_000);

  it('counts connected clients and pushed events on /metrics', async () => {
    const supervisor = await follow('supervisor', 'board', 'acme', [api.replicas[1]!.url]);
    const contact = await offer('acme', 'wu');
    await supervisor.until(() => contactsOf(supervisor.events).includes(contact));
    const metrics = await (await fetch(`${api.replicas[1]!.url}/metrics`)).text();
    expect(metrics).toMatch(/^lianluo_api_live_clients\{feed="board"[^}]*\} [1-9]/m);
    expect(metrics).toMatch(/^lianluo_api_live_events_pushed_total\{domain="acd",mode="live"[^}]*\} [1-9]/m);
    expect(metrics).toContain('lianluo_api_live_events_dropped_total');
  });
});
