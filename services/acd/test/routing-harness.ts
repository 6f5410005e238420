import { Redis } from 'ioredis';
import { uniqueNamespace } from '@lianluo/testing';
import { RoutingStore, type RoutingStoreOptions } from '../src/routing/routing-store';

/** A clock the test moves by hand. */
export class ManualClock {
  constructor(private nowMs = 1_700_000_000_000) {}
  now(): number {
    return this.nowMs;
  }
  advance(ms: number): void {
    this.nowMs += ms;
  }
}

export const LOCAL_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A connection that is ready to take commands. */
export async function connectRedis(name: string): Promise<Redis> {
  const client = new Redis(LOCAL_REDIS_URL, { connectionName: name, maxRetriesPerRequest: 3 });
  if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
  return client;
}

/** Deletes every key under `prefix` (a test run's own namespace). */
export async function deleteNamespace(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await client.unlink(...keys);
  } while (cursor !== '0');
}

export interface RoutingHarness {
  readonly client: Redis;
  readonly clock: ManualClock;
  readonly prefix: string;
  store(options?: Partial<RoutingStoreOptions>): RoutingStore;
  close(): Promise<void>;
}

/** A store on its own key prefix with a manual clock and a fixed seed; close() deletes what it wrote. */
export async function openRoutingHarness(): Promise<RoutingHarness> {
  const client = await connectRedis('acd-spec');
  const clock = new ManualClock();
  const prefix = uniqueNamespace('acd');
  let seed = 1;
  return {
    client,
    clock,
    prefix,
    store: (options = {}) => new RoutingStore(client, { keyPrefix: prefix, clock, seed: () => seed++, ...options }),
    close: async () => {
      await deleteNamespace(client, prefix);
      await client.quit();
    },
  };
}
