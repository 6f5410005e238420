// Cost of an ACD routing decision against the cheapest thing Redis can run, measured in the
// same run on the same server with the same client concurrency: BENCH_CLIENTS (4) replicas,
// each a process with one connection and one command in flight.
//
//   decision  enqueue-contact.lua (a function of the acd's Redis library, FCALL) offering a
//             new chat to the best ready agent by the queue's strategy (longest idle): the
//             contact-side routing decision, with the events it writes to the outbox
//   no-op     EVALSHA of `return 1` with one key
//
// At 100, 1,000, 10,000 and 100,000 logged-in, ready agents (BENCH_AGENTS overrides). Each
// agent takes 20 chats; when a round would find them full, the offered contacts are
// cancelled first, untimed, which frees the agents again. No-op and decision rounds of
// BENCH_ROUND (500) operations alternate, and the agent counts (each a tenant of its own,
// all in Redis at once) take turns in a new random order each turn, after at least 10 s of
// untimed turns (BENCH_WARM_UP_S), until each has made BENCH_DECISIONS (16,000) decisions;
// percentiles are over every operation of an agent count's rounds, and of all no-op rounds
// for the baseline.
// Printed: decisions/s, p50 and p99 of each, and the ratios the ACD issue sets targets for:
// throughput ≥ 25 % of the no-op rate, p99 ≤ 4× the no-op p99, and the rate at the largest
// agent count within 20 % of the rate at the smallest (cost must not grow with agents).
import { Redis } from 'ioredis';
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { RoutingStore } from '../services/acd/src/routing/routing-store';
import { type NoopClient, decide, withNoop } from './acd/operations';
import type { ReplicaResult, ReplicaRound } from './acd/replica';
import { cpuSecondsOf } from './calls/process-usage';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const DECISIONS = Number(process.env.BENCH_DECISIONS ?? 16_000);
const ROUND = Number(process.env.BENCH_ROUND ?? 500);
// Untimed turns of rounds first, at least two and for at least BENCH_WARM_UP_S seconds.
const WARM_UP_TURNS = 2;
const WARM_UP_S = Number(process.env.BENCH_WARM_UP_S ?? 10);
// BENCH_PRINT_ROUNDS=1 prints every timed round's figures as it ends.
const PRINT_ROUNDS = process.env.BENCH_PRINT_ROUNDS === '1';
// Each client is a process of its own (bench/acd/replica.ts), as four acd replicas are.
// BENCH_REPLICA_PROCESSES=0: four connections share this process's event loop instead,
// which then limits the no-op more than Redis does.
const REPLICA_PROCESSES = process.env.BENCH_REPLICA_PROCESSES !== '0';
const AGENT_COUNTS = (process.env.BENCH_AGENTS ?? '100,1000,10000,100000').split(',').map(Number);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TENANT = 'bench';
const QUEUE = 'chat';
const CHATS_PER_AGENT = 20;

interface Measure {
  readonly ratePerSecond: number;
  readonly p50Us: number;
  readonly p99Us: number;
  /** CPU per operation, µs: Redis's, and the clients' together. */
  readonly redisCpuUs: number;
  readonly clientCpuUs: number;
}

/** One round's raw figures: every operation's latency and the round's elapsed time. */
interface Round {
  readonly latenciesUs: number[];
  readonly elapsedS: number;
  /** CPU seconds Redis and the clients' processes used during the round (process mode; else 0). */
  readonly redisCpuS: number;
  readonly clientCpuS: number;
}

/** A round as timed, before withCpu adds the CPU used. */
type TimedRound = Omit<Round, 'redisCpuS' | 'clientCpuS'>;

/** The processes whose CPU time a round counts: Redis, and the clients (the replicas, or this process). */
const cpuOf = { redisPid: 0, clientPids: [] as number[] };

/** CPU seconds used so far by Redis and by the clients (/proc, in 10 ms ticks; 0 where unreadable). */
function cpuNow(): { redis: number; clients: number } {
  const clients = cpuOf.clientPids.reduce((sum, pid) => sum + (cpuSecondsOf(pid) ?? 0), 0);
  return { redis: cpuSecondsOf(cpuOf.redisPid) ?? 0, clients };
}

/** Runs a round and adds the CPU Redis and the clients used meanwhile. */
async function withCpu(run: () => Promise<TimedRound>): Promise<Round> {
  const before = cpuNow();
  const result = await run();
  const after = cpuNow();
  return { ...result, redisCpuS: after.redis - before.redis, clientCpuS: after.clients - before.clients };
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

/** Runs `total` operations spread over `clients` loops, one in flight each; times each one. */
async function measure(
  clients: number,
  total: number,
  operation: (client: number, i: number) => Promise<unknown>,
): Promise<TimedRound> {
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
  return { latenciesUs, elapsedS: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** Rate over the rounds' summed time; percentiles over every operation of every round. */
function merge(rounds: Round[]): Measure {
  const all = rounds.flatMap((round) => round.latenciesUs).sort((a, b) => a - b);
  const sum = (of: (round: Round) => number) => rounds.reduce((total, round) => total + of(round), 0);
  return {
    ratePerSecond: all.length / sum((round) => round.elapsedS),
    p50Us: percentile(all, 0.5),
    p99Us: percentile(all, 0.99),
    redisCpuUs: (sum((round) => round.redisCpuS) / all.length) * 1e6,
    clientCpuUs: (sum((round) => round.clientCpuS) / all.length) * 1e6,
  };
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
  `  ${label.padEnd(30)} ${m.ratePerSecond.toFixed(0).padStart(8)}/s   p50 ${m.p50Us.toFixed(0).padStart(6)} µs   p99 ${m.p99Us.toFixed(0).padStart(6)} µs` +
  `   CPU/op: Redis ${m.redisCpuUs.toFixed(0).padStart(4)} µs, clients ${m.clientCpuUs.toFixed(0).padStart(4)} µs`;

/** What a skill profile's first appearance costs: the enqueue that brings it, and the chunks that enrol the rest. */
interface NewProfileCost {
  readonly enqueueMs: number;
  readonly chunks: number;
  readonly longestChunkMs: number;
  readonly totalMs: number;
}

/** One agent count's tenant: its own key prefix, agents logged in and ready, and its rounds so far. */
interface Population {
  readonly agents: number;
  readonly prefix: string;
  readonly stores: RoutingStore[];
  readonly newProfile: NewProfileCost;
  readonly decisions: Round[];
  readonly noops: Round[];
  /** Contacts queued so far (the next contact id), and how many of the last ones hold an offer. */
  contact: number;
  offered: number;
}

async function populate(agents: number, clients: Redis[]): Promise<Population> {
  const prefix = `acdbench${Math.random().toString(36).slice(2, 8)}`;
  const stores = clients.map((client) => new RoutingStore(client, { keyPrefix: prefix }));
  await stores[0].defineQueue(TENANT, { queue: QUEUE, strategy: 'longest-idle', offerTimeoutMs: 600_000 });
  // Set-up through all connections at once; ioredis pipelines what is in flight.
  const setUp = async (run: (store: RoutingStore, agentId: string) => Promise<unknown>) => {
    const batch = 2_000;
    for (let from = 0; from < agents; from += batch) {
      await Promise.all(Array.from({ length: Math.min(batch, agents - from) }, (_, i) => run(stores[(from + i) % stores.length], `agent${from + i}`)));
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
  return { agents, prefix, stores, newProfile, decisions: [], noops: [], contact: 0, offered: 0 };
}

/** A no-op round and a decision round of `count` operations on the population's tenant; kept unless `warmUp`. */
async function round(population: Population, clients: NoopClient[], count: number, warmUp = false): Promise<void> {
  const { stores } = population;
  if (population.offered + count > population.agents * CHATS_PER_AGENT) {
    // Agents full: the offered contacts are cancelled, untimed, which frees them again.
    const { contact, offered } = population;
    for (let c = contact - offered; c < contact; c += 2_000) {
      await Promise.all(Array.from({ length: Math.min(2_000, contact - c) }, (_, i) => stores[i % stores.length].cancel(TENANT, `c${c + i}`)));
    }
    population.offered = 0;
  }
  let noop: Round;
  let decision: Round;
  if (REPLICA_PROCESSES) {
    const onReplicas = (kind: ReplicaRound['kind']) =>
      roundOnReplicas({ prefix: population.prefix, tenant: TENANT, queue: QUEUE, kind, count: 0, contactIds: [] }, count, population.contact);
    noop = await withCpu(() => onReplicas('noop'));
    decision = await withCpu(() => onReplicas('decision'));
    population.contact += count;
  } else {
    const base = stores[0].baseKey(TENANT);
    noop = await withCpu(() => measure(clients.length, count, (client) => clients[client].benchNoop(base)));
    decision = await withCpu(() => measure(clients.length, count, (client) => decide(stores[client], TENANT, QUEUE, `c${population.contact++}`)));
  }
  population.offered += count;
  if (warmUp) return;
  population.noops.push(noop);
  population.decisions.push(decision);
  if (PRINT_ROUNDS) {
    console.log(`  round ${population.decisions.length}, ${population.agents} agents:`);
    console.log(line('  routing decision', merge([decision])));
    console.log(line('  no-op', merge([noop])));
  }
}

/** A copy of `items` in random order (Fisher–Yates). */
function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

let replicas: ChildProcess[] = [];

/** One round split over the replica processes; its time is the slowest replica's. */
async function roundOnReplicas(template: ReplicaRound, count: number, firstContact: number): Promise<TimedRound> {
  const results = await Promise.all(
    replicas.map(async (replica, r) => {
      const mine = Array.from({ length: count }, (_, i) => i).filter((i) => i % replicas.length === r);
      const round: ReplicaRound =
        template.kind === 'noop' ? { ...template, count: mine.length } : { ...template, contactIds: mine.map((i) => `c${firstContact + i}`) };
      const reply = once(replica, 'message') as Promise<[ReplicaResult]>;
      replica.send(round);
      const [result] = await reply;
      if (result.error) throw new Error(`replica ${r}: ${result.error}`);
      return result;
    }),
  );
  return { latenciesUs: results.flatMap((result) => result.latenciesUs), elapsedS: Math.max(...results.map((result) => result.elapsedS)) };
}

async function main() {
  if (REPLICA_PROCESSES) replicas = Array.from({ length: CLIENTS }, () => fork(join(__dirname, 'acd', 'replica.ts')));
  const admin = await connect('acd-bench-admin');
  cpuOf.redisPid = Number(/^process_id:(\d+)/m.exec(await admin.info('server'))?.[1] ?? 0);
  cpuOf.clientPids = REPLICA_PROCESSES ? replicas.map((replica) => replica.pid ?? 0) : [process.pid];
  const clients = (await Promise.all(Array.from({ length: CLIENTS }, (_, i) => connect(`acd-bench-${i}`)))).map(withNoop);
  const populations: Population[] = [];
  try {
    console.log(`acd bench: ${DECISIONS} routing decisions per agent count, ${CLIENTS} clients (${REPLICA_PROCESSES ? 'one process each, as replicas' : 'connections of one process'}) with one command in flight each`);
    // Every agent count's tenant lives in Redis at once, and their rounds take turns, so a
    // change of the machine's speed during the run (another process, a throttled core)
    // falls on every agent count alike instead of on whichever was measured then. The
    // order of each turn is drawn anew, so neither does whatever falls at one place in it:
    // in a fixed order, the first count's p99 was the worst in 8 of 20 runs.
    for (const agents of AGENT_COUNTS) populations.push(await populate(agents, clients));
    // Untimed turns first. They pay for the JIT warm-up of this process and the replicas,
    // and they outlast what follows the populating of up to 111,100 agents: up to about 7 s
    // after it, both Redis and the replicas spent 1.5–3× their later CPU per decision
    // (BENCH_PRINT_ROUNDS).
    const warmUpStarted = performance.now();
    for (let turn = 0; turn < WARM_UP_TURNS || performance.now() - warmUpStarted < WARM_UP_S * 1000; turn++) {
      for (const population of populations) await round(population, clients, Math.min(ROUND, population.agents * CHATS_PER_AGENT), true);
    }
    for (let done = 0; done < DECISIONS; ) {
      const count = Math.min(ROUND, DECISIONS - done);
      for (const population of shuffled(populations)) await round(population, clients, Math.min(count, population.agents * CHATS_PER_AGENT));
      done += count;
    }
    // The no-op does not depend on the agent count: its rounds, taken between every agent
    // count's decision rounds, make one baseline (four times the samples of one count's).
    const noop = merge(populations.flatMap((population) => population.noops));
    console.log(line('no-op EVALSHA (baseline)', noop));
    const results = populations.map(({ agents, decisions, newProfile }) => ({ agents, decision: merge(decisions), newProfile }));
    for (const { agents, decision, newProfile } of results) {
      console.log(`${agents} agents`);
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
    const growth = largest.decision.ratePerSecond / smallest.decision.ratePerSecond;
    console.log(`  rate at ${largest.agents} agents / rate at ${smallest.agents} agents ${growth.toFixed(2)}×`);
    console.log('targets:');
    const verdict = (met: boolean) => (met ? 'met ' : 'MISS');
    for (const { agents, decision } of results) {
      const rate = decision.ratePerSecond / noop.ratePerSecond;
      const p99 = decision.p99Us / noop.p99Us;
      console.log(`  ${verdict(rate >= 0.25)}  ${String(agents).padStart(6)} agents: decision rate ≥ 0.25× no-op (${rate.toFixed(2)}×)`);
      console.log(`  ${verdict(p99 <= 4)}  ${String(agents).padStart(6)} agents: decision p99 ≤ 4× no-op p99 (${p99.toFixed(2)}×)`);
    }
    console.log(`  ${verdict(Math.abs(growth - 1) <= 0.2)}  rate at ${largest.agents} agents within 20 % of the rate at ${smallest.agents} (${growth.toFixed(2)}×)`);
  } finally {
    for (const replica of replicas) replica.send('stop');
    for (const population of populations) await deletePrefix(admin, population.prefix);
    await Promise.all([admin, ...clients].map((client) => client.quit()));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
