// Cost of an ACD routing decision against the cheapest thing Redis can run, measured in the
// same run on the same server with the same client concurrency: BENCH_CLIENTS connections
// (4 replicas), each with one command in flight.
//
//   decision  enqueue-contact.lua (a function of the acd's Redis library, FCALL) offering a
//             new chat to the best ready agent by the queue's strategy (longest idle): the
//             contact-side routing decision, with the events it writes to the outbox
//   no-op     EVALSHA of `return 1` with one key
//
// At 100, 1,000, 10,000 and 100,000 logged-in, ready agents (BENCH_AGENTS overrides). Each
// agent takes 20 chats, so a round of decisions never runs out of agents; between rounds
// the offered contacts are cancelled, untimed, which frees the agents again.
// Printed: decisions/s, p50 and p99 of each, and the ratios the ACD issue sets targets for:
// throughput ≥ 25 % of the no-op rate, p99 ≤ 4× the no-op p99, and the rate at the largest
// agent count within 20 % of the rate at the smallest (cost must not grow with agents).
import { Redis } from 'ioredis';
import { RoutingStore } from '../services/acd/src/routing/routing-store';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const DECISIONS = Number(process.env.BENCH_DECISIONS ?? 8_000);
const AGENT_COUNTS = (process.env.BENCH_AGENTS ?? '100,1000,10000,100000').split(',').map(Number);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TENANT = 'bench';
const QUEUE = 'chat';
const CHATS_PER_AGENT = 20;

interface Measure {
  readonly ratePerSecond: number;
  readonly p50Us: number;
  readonly p99Us: number;
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

/** Runs `total` operations spread over `clients` loops, one in flight each; times each one. */
async function measure(clients: number, total: number, operation: (client: number, i: number) => Promise<unknown>): Promise<Measure> {
  const latenciesUs: number[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = next++; i < total; i = next++) {
        const t0 = process.hrtime.bigint();
        await operation(client, i);
        latenciesUs.push(Number(process.hrtime.bigint() - t0) / 1e3);
      }
    }),
  );
  const elapsedS = Number(process.hrtime.bigint() - started) / 1e9;
  latenciesUs.sort((a, b) => a - b);
  return { ratePerSecond: total / elapsedS, p50Us: percentile(latenciesUs, 0.5), p99Us: percentile(latenciesUs, 0.99) };
}

function merge(parts: { measure: Measure; count: number }[]): Measure {
  const count = parts.reduce((sum, part) => sum + part.count, 0);
  const weighted = (pick: (m: Measure) => number) => parts.reduce((sum, part) => sum + pick(part.measure) * part.count, 0) / count;
  // Rate over the summed time; percentiles as the count-weighted mean of the rounds'.
  const seconds = parts.reduce((sum, part) => sum + part.count / part.measure.ratePerSecond, 0);
  return { ratePerSecond: count / seconds, p50Us: weighted((m) => m.p50Us), p99Us: weighted((m) => m.p99Us) };
}

async function deletePrefix(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 2000);
    cursor = next;
    if (keys.length > 0) await client.unlink(...keys);
  } while (cursor !== '0');
}

async function connect(name: string): Promise<Redis> {
  const client = new Redis(REDIS_URL, { connectionName: name });
  if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
  return client;
}

const line = (label: string, m: Measure) =>
  `  ${label.padEnd(30)} ${m.ratePerSecond.toFixed(0).padStart(8)}/s   p50 ${m.p50Us.toFixed(0).padStart(6)} µs   p99 ${m.p99Us.toFixed(0).padStart(6)} µs`;

/** What a skill profile's first appearance costs: the enqueue that brings it, and the chunks that enrol the rest. */
interface NewProfileCost {
  readonly enqueueMs: number;
  readonly chunks: number;
  readonly longestChunkMs: number;
  readonly totalMs: number;
}

async function benchAgents(agents: number, clients: Redis[], admin: Redis): Promise<{ decision: Measure; noop: Measure; newProfile: NewProfileCost }> {
  const prefix = `acdbench${Math.random().toString(36).slice(2, 8)}`;
  const stores = clients.map((client) => new RoutingStore(client, { keyPrefix: prefix }));
  try {
    await stores[0].defineQueue(TENANT, { queue: QUEUE, strategy: 'longest-idle', offerTimeoutMs: 600_000 });
    // Set-up through all connections at once; ioredis pipelines what is in flight.
    const setUp = async (run: (store: RoutingStore, agentId: string) => Promise<unknown>) => {
      const batch = 2_000;
      for (let from = 0; from < agents; from += batch) {
        await Promise.all(
          Array.from({ length: Math.min(batch, agents - from) }, (_, i) => run(stores[(from + i) % stores.length], `agent${from + i}`)),
        );
      }
    };
    // The chat profile exists before agents log in, as in steady state: each login then
    // enrols in it (O(profiles)). A profile first seen after the logins enrols the queue's
    // members in chunks instead (timed below, untimed in the rounds): the enqueue does the
    // first, continueEnrolments the rest, each one short script Redis runs between others.
    await stores[0].enqueue(TENANT, { contactId: 'warm-up', queue: QUEUE, channel: 'chat' });
    await stores[0].cancel(TENANT, 'warm-up');
    await setUp((store, agentId) => store.login(TENANT, { agentId, site: 'bj', capacity: { chat: CHATS_PER_AGENT }, queues: [QUEUE] }));
    await setUp((store, agentId) => store.setReady(TENANT, agentId));
    const msSince = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6;
    const enqueueStarted = process.hrtime.bigint();
    await stores[0].enqueue(TENANT, { contactId: 'new-profile', queue: QUEUE, channel: 'chat', requiredSkills: { rare: 1 } });
    const enqueueMs = msSince(enqueueStarted);
    let chunks = 0;
    let longestChunkMs = 0;
    const enrolStarted = process.hrtime.bigint();
    for (let left = 1; left > 0; chunks++) {
      const chunkStarted = process.hrtime.bigint();
      left = await stores[0].continueEnrolments(TENANT);
      longestChunkMs = Math.max(longestChunkMs, msSince(chunkStarted));
    }
    const newProfile = { enqueueMs, chunks, longestChunkMs, totalMs: enqueueMs + msSince(enrolStarted) };
    await stores[0].cancel(TENANT, 'new-profile');

    const noopClients = clients.map((client) => {
      client.defineCommand('benchNoop', { numberOfKeys: 1, lua: 'return 1' });
      return client as Redis & { benchNoop(key: string): Promise<number> };
    });
    const base = stores[0].baseKey(TENANT);

    const perRound = Math.min(DECISIONS, agents * CHATS_PER_AGENT);
    const decisions: { measure: Measure; count: number }[] = [];
    const noops: { measure: Measure; count: number }[] = [];
    let contact = 0;
    for (let done = 0; done < DECISIONS; done += perRound) {
      const count = Math.min(perRound, DECISIONS - done);
      // No-op and decision rounds alternate, so both see the same machine state.
      noops.push({ count, measure: await measure(clients.length, count, (client) => noopClients[client].benchNoop(base)) });
      const first = contact;
      decisions.push({
        count,
        measure: await measure(clients.length, count, async (client) => {
          const { offers } = await stores[client].enqueue(TENANT, { contactId: `c${contact++}`, queue: QUEUE, channel: 'chat' });
          if (offers.length !== 1) throw new Error(`expected one offer, got ${offers.length}: agents ran out`);
        }),
      });
      for (let c = first; c < contact; c += 2_000) {
        await Promise.all(Array.from({ length: Math.min(2_000, contact - c) }, (_, i) => stores[i % stores.length].cancel(TENANT, `c${c + i}`)));
      }
    }
    return { decision: merge(decisions), noop: merge(noops), newProfile };
  } finally {
    await deletePrefix(admin, prefix);
  }
}

async function main() {
  const admin = await connect('acd-bench-admin');
  const clients = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => connect(`acd-bench-${i}`)));
  try {
    console.log(`acd bench: ${DECISIONS} routing decisions per agent count, ${CLIENTS} clients with one command in flight each`);
    const results: { agents: number; decision: Measure; noop: Measure }[] = [];
    for (const agents of AGENT_COUNTS) {
      const { decision, noop, newProfile } = await benchAgents(agents, clients, admin);
      results.push({ agents, decision, noop });
      console.log(`${agents} agents`);
      console.log(line('no-op EVALSHA (baseline)', noop));
      console.log(line('routing decision', decision));
      console.log(
        `  decision rate / no-op rate ${(decision.ratePerSecond / noop.ratePerSecond).toFixed(2)}×   decision p99 / no-op p99 ${(decision.p99Us / noop.p99Us).toFixed(2)}×`,
      );
      console.log(
        `  first contact of a new skill profile: enqueue ${newProfile.enqueueMs.toFixed(1)} ms, then ${newProfile.chunks} enrolment chunks of at most ${newProfile.longestChunkMs.toFixed(1)} ms (all members enrolled after ${newProfile.totalMs.toFixed(0)} ms)`,
      );
    }
    const smallest = results[0];
    const largest = results[results.length - 1];
    console.log(
      `  rate at ${largest.agents} agents / rate at ${smallest.agents} agents ${(largest.decision.ratePerSecond / smallest.decision.ratePerSecond).toFixed(2)}×`,
    );
  } finally {
    await Promise.all([admin, ...clients].map((client) => client.quit()));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
