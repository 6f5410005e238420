// Live events over WebSocket against a bare NATS subscriber, measured in the same run on the
// same server: with BENCH_CLIENTS (default 1,000) clients connected to one api replica — agents
// following their own offers, BENCH_SUPERVISORS (default 10) of them watching the tenant's
// board — offers to random agents are published to JetStream at BENCH_EVENTS_PER_SECOND
// (default 200) for BENCH_EVENTS (default 4,000) events after 500 untimed ones. Each event's
// time from publish to each WebSocket client it reaches (its agent and every supervisor) is
// set against its time from publish to a plain NATS subscription of the same subjects. The
// issue's target: WebSocket p99 ≤ 2× the bare subscriber's p99.
import { create, toBinary } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { Channel, ContactOfferedSchema } from '@lianluo/contracts';
import { MessagingConnection, deleteNamespaceStreams, subjectOf } from '@lianluo/messaging';
import {
  LiveEventsClient,
  ServiceProcess,
  apiReplicaEnv,
  builtService,
  createTestDatabase,
  dropTestDatabase,
  ensureLocalInfra,
  freePort,
  generateCookieSecret,
  generateSigningJwks,
  signAccessToken,
  uniqueNamespace,
} from '@lianluo/testing';
import { headers as natsHeaders } from 'nats';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1_000);
const SUPERVISORS = Number(process.env.BENCH_SUPERVISORS ?? 10);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 4_000);
const WARM_UP_EVENTS = 500;
const RATE = Number(process.env.BENCH_EVENTS_PER_SECOND ?? 200);
const TENANT = 'bench';

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function summary(label: string, samplesMs: number[]) {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const [p50, p99, max] = [percentile(sorted, 50), percentile(sorted, 99), sorted.at(-1) ?? Number.NaN].map((ms) => ms * 1000);
  console.log(`  ${label.padEnd(40)} ${String(sorted.length).padStart(7)} deliveries  p50 ${p50!.toFixed(0).padStart(6)} µs  p99 ${p99!.toFixed(0).padStart(6)} µs  max ${max!.toFixed(0).padStart(7)} µs`);
  return { p50: p50!, p99: p99! };
}

/** One api replica of its own namespace and database, as the tests start it. */
async function startApi(namespace: string, jwks: { keys: Record<string, string>[] }) {
  const port = await freePort();
  const replica = new ServiceProcess(builtService('api'), apiReplicaEnv({ namespace, port, jwks, cookieSecret: generateCookieSecret() }));
  await replica.start();
  return replica;
}

async function main() {
  await ensureLocalInfra();
  const namespace = uniqueNamespace('benchlive');
  await createTestDatabase(namespace);
  const jwks = generateSigningJwks();
  const connection = await MessagingConnection.connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222', namespace, connectionName: 'bench-live', queueGroup: 'bench-live' });
  const bare = await MessagingConnection.connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222', namespace, connectionName: 'bench-live-bare', queueGroup: 'bench-live-bare' });
  await connection.ensureStream('acd');
  const api = await startApi(namespace, jwks);
  const clients: LiveEventsClient[] = [];
  try {
    /** When each timed event was published; the warm-up's are not in it. */
    const publishedAt = new Map<string, number>();
    const bareMs: number[] = [];
    const agentMs: number[] = [];
    const boardMs: number[] = [];
    const record = (samples: number[], eventId: string | undefined) => {
      const at = eventId === undefined ? undefined : publishedAt.get(eventId);
      if (at !== undefined) samples.push(performance.now() - at);
    };
    const subscription = bare.nc.subscribe(`${namespace}.${TENANT}.acd.event.>`, { callback: (_error, message) => record(bareMs, message.headers?.get('Nats-Msg-Id')) });

    const agents = Array.from({ length: CLIENTS - SUPERVISORS }, (_, i) => `agent-${i}`);
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    const tokenOf = (subject: string, roles: string[], agentId?: string) =>
      signAccessToken(jwks, { issuer: `${api.url}/oidc`, audience: 'urn:lianluo:api', subject, tenant: TENANT, roles, agentId, expiresAt });
    const people = [
      ...agents.map((agentId) => ({ feed: 'me' as const, token: tokenOf(agentId, ['agent'], agentId) })),
      ...Array.from({ length: SUPERVISORS }, (_, i) => ({ feed: 'board' as const, token: tokenOf(`supervisor-${i}`, ['supervisor']) })),
    ];
    const connecting = performance.now();
    for (let i = 0; i < people.length; i += 50) {
      await Promise.all(
        people.slice(i, i + 50).map(async ({ feed, token }) => {
          const samples = feed === 'me' ? agentMs : boardMs;
          const client = new LiveEventsClient({ urls: [api.url], tenant: TENANT, feed, token: async () => token, keepEvents: false, onEvent: (event) => record(samples, (event.data as { eventId?: string }).eventId) });
          clients.push(client);
          await client.connect();
        }),
      );
    }
    console.log(`live events bench: ${clients.length} WebSocket clients (${SUPERVISORS} on the board) connected in ${((performance.now() - connecting) / 1000).toFixed(1)} s; ${EVENTS} offers at ${RATE}/s after ${WARM_UP_EVENTS} untimed, namespace ${namespace}`);

    const intervalMs = 1000 / RATE;
    const started = performance.now();
    for (let i = 0; i < WARM_UP_EVENTS + EVENTS; i++) {
      const eventId = `offer-${i}`;
      const agentId = agents[Math.floor(Math.random() * agents.length)]!;
      const now = Date.now();
      const offer = create(ContactOfferedSchema, {
        eventId,
        tenant: TENANT,
        occurredAt: timestampFromMs(now),
        contact: { contactId: `c-${i}`, queue: 'support', channel: Channel.EMAIL },
        agent: { agentId, site: 'bj' },
        attempt: 1,
        deadline: timestampFromMs(now + 30_000),
      });
      const data = toBinary(ContactOfferedSchema, offer);
      const wait = started + i * intervalMs - performance.now();
      if (wait > 0) await sleep(wait);
      if (i >= WARM_UP_EVENTS) publishedAt.set(eventId, performance.now());
      const headers = natsHeaders();
      headers.set('Nats-Msg-Id', eventId);
      // A plain publish the stream captures: no acknowledgement to wait for, whose handling
      // in this process would fall among the deliveries being timed.
      connection.nc.publish(subjectOf(namespace, TENANT, 'acd', 'event', 'contact_offered'), data, { headers });
    }
    // Every delivery of the last event, then a moment for stragglers of the ones before it.
    const expected = EVENTS * (1 + SUPERVISORS);
    const deadline = performance.now() + 10_000;
    while ((agentMs.length + boardMs.length < expected || bareMs.length < EVENTS) && performance.now() < deadline) await sleep(20);
    subscription.unsubscribe();

    const baseline = summary('bare NATS subscriber (baseline)', bareMs);
    const live = summary(`WebSocket clients (${clients.length} connected)`, [...agentMs, ...boardMs]);
    summary('  of which agents, their own offers', agentMs);
    summary('  of which supervisors, the board', boardMs);
    const missing = expected - agentMs.length - boardMs.length;
    if (missing !== 0) console.log(`  ${missing} of ${expected} WebSocket deliveries did not arrive`);
    const closes = clients.flatMap((client) => client.closes.map((close) => close.code));
    if (closes.length > 0) console.log(`  connections the server ended (each client reconnected): ${closes.join(', ')}`);
    const ratio = live.p99 / baseline.p99;
    console.log(`  WebSocket p50 / bare p50 ${(live.p50 / baseline.p50).toFixed(2)}×   WebSocket p99 / bare p99 ${ratio.toFixed(2)}×`);
    console.log('targets:');
    console.log(`  ${ratio <= 2 && missing === 0 ? 'met ' : 'MISS'}  event-to-client p99 ≤ 2× bare NATS subscriber p99 with ${clients.length} clients (${ratio.toFixed(2)}×)`);
  } finally {
    await Promise.all(clients.map((client) => client.close()));
    await api.stop();
    await deleteNamespaceStreams(connection);
    await Promise.all([connection.close(), bare.close()]);
    await dropTestDatabase(namespace);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
