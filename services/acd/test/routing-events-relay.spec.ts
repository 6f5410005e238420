// The outbox relay against Redis, with a sink in place of JetStream: every event the
// scripts wrote is published once per relay, in order, under ids that stay the same when
// another replica relays the entry again after the first died.
import { RoutingEventsRelay } from '../src/routing/routing.events';
import type { AcdEvent } from '../src/routing/outbox-event';
import type { RoutingStore } from '../src/routing/routing-store';
import { openRoutingHarness, type RoutingHarness } from './routing-harness';

const T = 'acme';

describe('RoutingEventsRelay', () => {
  let harness: RoutingHarness;
  let store: RoutingStore;

  beforeAll(async () => {
    harness = await openRoutingHarness();
    store = harness.store();
    await store.defineQueue(T, { queue: 'sales' });
  });

  afterAll(async () => {
    await harness.close();
  });

  function relayInto(published: AcdEvent[], consumer: string, fail = false): RoutingEventsRelay {
    return new RoutingEventsRelay(
      harness.client,
      (tenant) => store.outboxKey(tenant),
      async (event) => {
        if (fail) throw new Error('NATS is away');
        published.push(event);
      },
      { consumer, claimAfterMs: 0 },
    );
  }

  const eventNames = (events: AcdEvent[]) => events.map((e) => `${e.definition.name}:${(e.message as { contact?: { contactId: string } }).contact?.contactId ?? ''}`);

  it('publishes what the scripts wrote, in order, and leaves the outbox empty', async () => {
    await store.login(T, { agentId: 'ann', site: 'bj', capacity: { chat: 1 }, queues: ['sales'] });
    await store.setReady(T, 'ann');
    await store.enqueue(T, { contactId: 'c1', queue: 'sales', channel: 'chat' });
    await store.enqueue(T, { contactId: 'c2', queue: 'sales', channel: 'chat' });
    const published: AcdEvent[] = [];
    expect(await relayInto(published, 'r1').relay(T)).toBe(6);
    expect(eventNames(published)).toEqual([
      'agent_state_changed:',
      'agent_state_changed:',
      'contact_queued:c1',
      'contact_offered:c1',
      'agent_state_changed:',
      'contact_queued:c2',
    ]);
    expect(published.every((e) => e.definition.validate(e.message as never).length === 0)).toBe(true);
    expect(await harness.client.xlen(store.outboxKey(T))).toBe(0);
    expect(await relayInto(published, 'r1').relay(T)).toBe(0);
  });

  it('lets another replica publish what a replica read and never acknowledged, under the same ids', async () => {
    await store.cancel(T, 'c2');
    const lost: AcdEvent[] = [];
    await expect(relayInto(lost, 'dying', true).relay(T)).rejects.toThrow('NATS is away');
    const published: AcdEvent[] = [];
    const survivor = relayInto(published, 'survivor');
    expect(await survivor.relay(T)).toBe(0); // nothing unread: the entry is the dead replica's
    expect(await survivor.reclaim(T)).toBe(1);
    expect(eventNames(published)).toEqual(['contact_abandoned:c2']);
  });

  it('republishes an entry whose relay died after publishing under the same event ids, for JetStream to drop', async () => {
    await store.cancel(T, 'c1');
    const ids = (events: AcdEvent[]) => events.map((e) => e.definition.idOf(e.message as never));
    const beforeDeath: AcdEvent[] = [];
    // Publishes, then dies before acknowledging the entry.
    const dying = new RoutingEventsRelay(
      harness.client,
      (tenant) => store.outboxKey(tenant),
      async (event) => {
        beforeDeath.push(event);
        throw new Error('killed');
      },
      { consumer: 'dying', claimAfterMs: 0 },
    );
    await expect(dying.relay(T)).rejects.toThrow('killed');
    const afterDeath: AcdEvent[] = [];
    expect(await relayInto(afterDeath, 'survivor').reclaim(T)).toBeGreaterThan(0);
    expect(ids(afterDeath)).toEqual(ids(beforeDeath));
    expect(ids(afterDeath)[0]).toMatch(/^acme:\d+-\d+:0$/);
  });

  it('relays everything over several batches, and goes on when Redis lost the outbox and its group', async () => {
    const relay = new RoutingEventsRelay(
      harness.client,
      (tenant) => store.outboxKey(tenant),
      async (event) => void published.push(event),
      { consumer: 'small-batches', claimAfterMs: 60_000, batch: 2 },
    );
    const published: AcdEvent[] = [];
    await relay.relay(T);
    published.length = 0;
    for (const contactId of ['b1', 'b2', 'b3', 'b4', 'b5']) await store.enqueue(T, { contactId, queue: 'sales', channel: 'email' });
    expect(await relay.relay(T)).toBe(5);
    expect(eventNames(published)).toEqual(['b1', 'b2', 'b3', 'b4', 'b5'].map((c) => `contact_queued:${c}`));

    // A Redis restarted empty: the stream the next script writes has no consumer group.
    await harness.client.del(store.outboxKey(T));
    await store.enqueue(T, { contactId: 'b6', queue: 'sales', channel: 'email' });
    expect(await relay.relay(T)).toBe(1);
    expect(eventNames(published).at(-1)).toBe('contact_queued:b6');
    expect(await harness.client.xlen(store.outboxKey(T))).toBe(0);
  });

  it('hands on every event about a contact with the traceparent it was queued with, whichever script wrote it, timers too', async () => {
    const queuedIn = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await store.defineQueue(T, { queue: 'support', offerTimeoutMs: 5_000 });
    await relayInto([], 'before').relay(T);
    await store.enqueue(T, { contactId: 'traced', queue: 'support', channel: 'chat' }, queuedIn);
    await store.enqueue(T, { contactId: 'untraced', queue: 'support', channel: 'chat' }, undefined);
    // The agent's own request offers both; the timers ring them out.
    await store.login(T, { agentId: 'bob', site: 'sz', capacity: { chat: 2 }, queues: ['support'] });
    await store.setReady(T, 'bob');
    harness.clock.advance(5_000);
    await store.expireOffers(T);
    const published: AcdEvent[] = [];
    await relayInto(published, 'traces').relay(T);
    const about = (contactId: string) =>
      published.filter((e) => (e.message as { contact?: { contactId: string } }).contact?.contactId === contactId).map((e) => [e.definition.name, e.traceparent]);
    expect(about('traced')).toEqual([
      ['contact_queued', queuedIn],
      ['contact_offered', queuedIn],
      ['contact_ring_no_answer', queuedIn],
    ]);
    expect(about('untraced').map(([name, traceparent]) => [name, traceparent ?? 'none'])).toEqual([
      ['contact_queued', 'none'],
      ['contact_offered', 'none'],
      ['contact_ring_no_answer', 'none'],
    ]);
    expect(published.filter((e) => e.definition.name === 'agent_state_changed').map((e) => e.traceparent)).not.toContain(queuedIn);
  });
});
