// The two operations the ACD bench times, shared by its in-process clients and its replica
// processes (bench/acd/replica.ts).
import { type Redis } from 'ioredis';
import { type RoutingStore } from '../../services/acd/src/routing/routing-store';

export type NoopClient = Redis & { benchNoop(key: string): Promise<number> };

/** The baseline: EVALSHA of `return 1` with one key, as `client.benchNoop(key)`. */
export function withNoop(client: Redis): NoopClient {
  client.defineCommand('benchNoop', { numberOfKeys: 1, lua: 'return 1' });
  return client as NoopClient;
}

/** The routing decision: a new chat queued and offered at once to the best ready agent. */
export async function decide(store: RoutingStore, tenant: string, queue: string, contactId: string): Promise<void> {
  const { offers } = await store.enqueue(tenant, { contactId, queue, channel: 'chat' });
  if (offers.length !== 1) throw new Error(`expected one offer, got ${offers.length}: agents ran out`);
}
