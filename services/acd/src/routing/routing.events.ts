import type { RedisClient } from '@lianluo/redis';
import { type AcdEvent, acdEventOf, outboxEventsOf } from './outbox-event';

/** Publishes one event (to JetStream, de-duplicated by its id, in its own trace); rejects when it could not. */
export type AcdEventSink = (event: AcdEvent) => Promise<unknown>;

export interface RoutingEventsRelayOptions {
  /** This replica's name in the outbox's consumer group. */
  readonly consumer: string;
  /** How long an entry may stay read but unacknowledged before any replica takes it over. */
  readonly claimAfterMs: number;
  /** Entries read per round trip. */
  readonly batch?: number;
}

const GROUP = 'acd';

type StreamEntry = [id: string, fields: string[]];

/**
 * Relays the tenant outboxes the routing scripts write (routing-core.lua `finish`) to
 * JetStream. Every replica reads the same consumer group, so each entry goes to one
 * replica; it is acknowledged and deleted only once all its events are published. An
 * entry a replica read and never acknowledged (it died, NATS was away) is taken over
 * after `claimAfterMs` by `reclaim`; publishing it twice is harmless, because event ids
 * are the entry's and JetStream drops a repeated id.
 */
export class RoutingEventsRelay {
  private readonly groups = new Set<string>();
  private readonly inFlight = new Map<string, { again: boolean; done: Promise<number> }>();
  private readonly batch: number;

  constructor(
    private readonly client: RedisClient,
    private readonly outboxKeyOf: (tenant: string) => string,
    private readonly sink: AcdEventSink,
    private readonly options: RoutingEventsRelayOptions,
  ) {
    this.batch = options.batch ?? 200;
  }

  /**
   * Publishes every event of the tenant's outbox no replica has read yet, and resolves
   * with how many. Calls while one runs for the tenant join it, and it runs once more for
   * them, so everything written before a call is published when the call resolves.
   */
  relay(tenant: string): Promise<number> {
    const running = this.inFlight.get(tenant);
    if (running) {
      running.again = true;
      return running.done;
    }
    const state = { again: true, done: Promise.resolve(0) };
    state.done = (async () => {
      let published = 0;
      try {
        while (state.again) {
          state.again = false;
          published += await this.relayUnread(tenant);
        }
        return published;
      } finally {
        this.inFlight.delete(tenant);
      }
    })();
    this.inFlight.set(tenant, state);
    return state.done;
  }

  /** Takes over and publishes entries read more than `claimAfterMs` ago and never acknowledged. */
  async reclaim(tenant: string): Promise<number> {
    this.groups.delete(tenant); // a timer's pass: check the group is still there
    await this.ensureGroup(tenant);
    let published = 0;
    let cursor = '0-0';
    do {
      const [next, entries] = (await this.client.xautoclaim(
        this.outboxKeyOf(tenant),
        GROUP,
        this.options.consumer,
        this.options.claimAfterMs,
        cursor,
        'COUNT',
        this.batch,
      )) as [string, StreamEntry[]];
      published += await this.publish(tenant, entries);
      cursor = next;
    } while (cursor !== '0-0');
    return published;
  }

  /**
   * Two Redis round trips when there is something to publish (read, then acknowledge), one
   * when there is not: a read that returns less than a batch has emptied the outbox of
   * what was written before this relay was asked for, and whatever a script writes after
   * that, its caller relays.
   */
  private async relayUnread(tenant: string): Promise<number> {
    let published = 0;
    for (;;) {
      const entries = await this.readUnread(tenant);
      published += await this.publish(tenant, entries);
      if (entries.length < this.batch) return published;
    }
  }

  private async readUnread(tenant: string): Promise<StreamEntry[]> {
    const read = async () =>
      (await this.client.xreadgroup('GROUP', GROUP, this.options.consumer, 'COUNT', this.batch, 'STREAMS', this.outboxKeyOf(tenant), '>')) as
        | [string, StreamEntry[]][]
        | null;
    if (!this.groups.has(tenant)) await this.ensureGroup(tenant);
    try {
      return (await read())?.[0]?.[1] ?? [];
    } catch (error) {
      // A Redis that lost its data (restarted empty, failed over) lost the group too.
      if (!String((error as Error).message).includes('NOGROUP')) throw error;
      this.groups.delete(tenant);
      await this.ensureGroup(tenant);
      return (await read())?.[0]?.[1] ?? [];
    }
  }

  private async publish(tenant: string, entries: StreamEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    const events = entries.flatMap(([id, fields]) => eventsOf(tenant, id, fields));
    // Started in order on one connection, so JetStream stores them in order.
    await Promise.all(events.map((event) => this.sink(event)));
    const ids = entries.map(([id]) => id);
    const key = this.outboxKeyOf(tenant);
    await this.client.multi().xack(key, GROUP, ...ids).xdel(key, ...ids).exec();
    return events.length;
  }

  private async ensureGroup(tenant: string): Promise<void> {
    if (this.groups.has(tenant)) return;
    try {
      await this.client.xgroup('CREATE', this.outboxKeyOf(tenant), GROUP, '0', 'MKSTREAM');
    } catch (error) {
      if (!String((error as Error).message).includes('BUSYGROUP')) throw error;
    }
    this.groups.add(tenant);
  }
}

/** The events of one outbox entry; its id and the index make each event's id. */
function eventsOf(tenant: string, entryId: string, fields: string[]): AcdEvent[] {
  return outboxEventsOf(fields[fields.indexOf('events') + 1] ?? '[]').map((raw, index) => acdEventOf(tenant, `${tenant}:${entryId}:${index}`, raw));
}
