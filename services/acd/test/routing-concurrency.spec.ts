// Four ACD replicas (four independent connections with their own RoutingStore) route one
// tenant's 10,000 contacts to 500 agents at once. Every contact must be assigned exactly
// once, whoever's script runs first; then again while a replica is killed every second.
import type { Redis } from 'ioredis';
import { uniqueNamespace } from '@lianluo/testing';
import { type Offer, RoutingStore } from '../src/routing/routing-store';
import { connectRedis, deleteNamespace } from './routing-harness';

const TENANT = 'load';
const QUEUE = 'support';
const CONTACTS = 10_000;
const AGENTS = 500;
const REPLICAS = 4;
const IN_FLIGHT_PER_REPLICA = 16;

interface Replica {
  client: Redis;
  store: RoutingStore;
  alive: boolean;
}

/** What the replicas saw, to check exactly-once against Redis afterwards. */
class Ledger {
  readonly acceptedBy = new Map<string, string>();
  duplicates: string[] = [];

  accepted(offer: Offer): void {
    if (this.acceptedBy.has(offer.contactId)) this.duplicates.push(offer.contactId);
    this.acceptedBy.set(offer.contactId, offer.agentId);
  }
}

async function setUpCentre(prefix: string, client: Redis, offerTimeoutMs: number): Promise<void> {
  const store = new RoutingStore(client, { keyPrefix: prefix });
  await store.defineQueue(TENANT, { queue: QUEUE, strategy: 'longest-idle', offerTimeoutMs });
  const agents = Array.from({ length: AGENTS }, (_, n) => `agent${n}`);
  await Promise.all(
    agents.map((agentId, n) =>
      store.login(TENANT, { agentId, site: n % 2 === 0 ? 'bj' : 'sz', skills: { support: 1 + (n % 5) }, capacity: { voice: 1 }, queues: [QUEUE] }),
    ),
  );
  // Ready only once every contact can find them busy or free in any order: half now, half
  // while contacts arrive, so both directions of matching run concurrently.
  await Promise.all(agents.slice(0, AGENTS / 2).map((agentId) => store.setReady(TENANT, agentId)));
}

/** Reads what Redis holds at the end: every contact's state and every agent's load. */
async function finalState(client: Redis, prefix: string) {
  const base = `${prefix}:{${TENANT}}`;
  const pipeline = client.pipeline();
  for (let i = 0; i < CONTACTS; i++) pipeline.hmget(`${base}:contact:c${i}`, 'state', 'agent');
  for (let n = 0; n < AGENTS; n++) pipeline.hmget(`${base}:agent:agent${n}`, 'busy:voice', 'offered:voice', `handled:${QUEUE}`);
  pipeline.zcard(`${base}:queue:${QUEUE}:waiting`).zcard(`${base}:offer-deadlines`);
  const replies = ((await pipeline.exec()) ?? []).map(([error, value]) => {
    if (error) throw error;
    return value;
  });
  const contacts = replies.slice(0, CONTACTS) as [string | null, string | null][];
  const agents = replies.slice(CONTACTS, CONTACTS + AGENTS) as [string | null, string | null, string | null][];
  const [waiting, ringing] = replies.slice(CONTACTS + AGENTS) as number[];
  return {
    states: contacts.reduce<Record<string, number>>((count, [state]) => ({ ...count, [state ?? 'missing']: (count[state ?? 'missing'] ?? 0) + 1 }), {}),
    assignedTo: contacts.map(([, agent]) => agent),
    handled: agents.reduce((sum, [, , handled]) => sum + Number(handled ?? 0), 0),
    maxBusyPlusOffered: Math.max(...agents.map(([busy, offered]) => Number(busy ?? 0) + Number(offered ?? 0))),
    waiting,
    ringing,
  };
}

describe('four replicas routing one tenant', () => {
  let admin: Redis;
  const prefixes: string[] = [];

  beforeAll(async () => {
    admin = await connectRedis('acd-spec-admin');
  });

  afterAll(async () => {
    for (const prefix of prefixes) await deleteNamespace(admin, prefix);
    await admin.quit();
  });

  async function startReplicas(prefix: string): Promise<Replica[]> {
    return Promise.all(
      Array.from({ length: REPLICAS }, async (_, r) => {
        const client = await connectRedis(`acd-spec-replica-${r}`);
        return { client, store: new RoutingStore(client, { keyPrefix: prefix }), alive: true };
      }),
    );
  }

  it('assigns each of 10,000 contacts exactly once across 500 agents', async () => {
    const prefix = uniqueNamespace('acdload');
    prefixes.push(prefix);
    await setUpCentre(prefix, admin, 600_000);
    const replicas = await startReplicas(prefix);
    const ledger = new Ledger();
    let rejections = 0;

    // A replica handles the offers its own commands produced: the agent answers (or, now
    // and then, declines and comes back ready), talks, hangs up; the release frees it
    // for the next contact, whose offer this replica then handles in turn.
    async function handle(replica: Replica, offers: readonly Offer[]): Promise<void> {
      for (const offer of offers) {
        if (Number(offer.contactId.slice(1)) % 20 === 0 && offer.attempt === 1) {
          rejections++;
          const rejected = await replica.store.reject(TENANT, offer, 'declined');
          const again = await replica.store.setReady(TENANT, offer.agentId);
          await handle(replica, [...rejected.offers, ...again.offers]);
          continue;
        }
        await replica.store.accept(TENANT, offer);
        ledger.accepted(offer);
        const released = await replica.store.release(TENANT, offer.contactId, offer.agentId);
        await handle(replica, released.offers);
      }
    }

    const lateAgents = Array.from({ length: AGENTS / 2 }, (_, n) => `agent${AGENTS / 2 + n}`);
    await Promise.all(
      replicas.map(async (replica, r) => {
        const mine = Array.from({ length: CONTACTS / REPLICAS }, (_, i) => `c${i * REPLICAS + r}`);
        const lanes = Array.from({ length: IN_FLIGHT_PER_REPLICA }, async (_, lane) => {
          for (let i = lane; i < mine.length; i += IN_FLIGHT_PER_REPLICA) {
            const { offers } = await replica.store.enqueue(TENANT, { contactId: mine[i], queue: QUEUE, channel: 'voice', requiredSkills: { support: 1 } });
            await handle(replica, offers);
            // The other half of the agents come ready while contacts pour in.
            if (r === 0 && lane === 0 && lateAgents.length > 0) await handle(replica, (await replica.store.setReady(TENANT, lateAgents.pop()!)).offers);
          }
        });
        await Promise.all(lanes);
      }),
    );
    while (lateAgents.length > 0) await handle(replicas[0], (await replicas[0].store.setReady(TENANT, lateAgents.pop()!)).offers);

    const end = await finalState(admin, prefix);
    expect(ledger.duplicates).toEqual([]);
    expect(ledger.acceptedBy.size).toBe(CONTACTS);
    expect(end.states).toEqual({ done: CONTACTS });
    expect(end.handled).toBe(CONTACTS);
    expect(end.assignedTo.every((agent, i) => agent === ledger.acceptedBy.get(`c${i}`))).toBe(true);
    expect({ waiting: end.waiting, ringing: end.ringing, maxBusyPlusOffered: end.maxBusyPlusOffered }).toEqual({ waiting: 0, ringing: 0, maxBusyPlusOffered: 0 });
    expect(rejections).toBeGreaterThan(0);
    await Promise.all(replicas.map((replica) => replica.client.quit()));
  }, 60_000);
});

