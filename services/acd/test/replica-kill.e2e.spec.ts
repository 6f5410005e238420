// ACD-10 with replicas that die: four acd replicas as their own processes (dist/main.js)
// share NATS, Redis and PostgreSQL; the test plays the IVR (enqueues contacts) and the
// agents (accept every offer it is sent, then hang up) through NATS only, retrying a
// command whose replica died. Every second one replica is killed (SIGKILL: nothing in
// flight finishes) and a new one started (while another is up to take over). Every contact must be assigned exactly once
// and none lost: each ends completed, with one accept event, and the agents' handled
// counters in Redis add up to the number of contacts.
// ACD_KILL_CONTACTS / ACD_KILL_AGENTS size it (defaults keep the suite's time budget).
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { create } from '@bufbuild/protobuf';
import {
  AcdCommands,
  AcdEvents,
  type CommandDefinition,
  type ContactOffered,
  ErrorKind,
  type EventDefinition,
  type ResultOf,
} from '@lianluo/contracts';
import type { DescMessage, MessageInitShape } from '@bufbuild/protobuf';
import { CommandClient, EventConsumer, MessagingConnection } from '@lianluo/messaging';
import { ServiceProcess, createTestDatabase, ensureLocalInfra, uniqueNamespace } from '@lianluo/testing';
import { acdEnv, removeNamespace } from './acd-harness';
import { connectRedis } from './routing-harness';

const CONTACTS = Number(process.env.ACD_KILL_CONTACTS ?? 600);
const AGENTS = Number(process.env.ACD_KILL_AGENTS ?? 60);
const REPLICAS = 4;
const KILL_EVERY_MS = 1_000;
const TENANT = 'acme';
const MAIN = resolve(__dirname, '..', 'dist', 'main.js');

/** Errors of the transport (the replica died, nobody answered in time): the same command again is safe. */
const RETRY = new Set([ErrorKind.UNAVAILABLE, ErrorKind.DEADLINE_EXCEEDED, ErrorKind.INTERNAL]);

describe('replicas killed while they route', () => {
  const namespace = uniqueNamespace('acdkill');
  const replicas: ServiceProcess[] = [];
  /** Replicas started and ready, not yet chosen to die. */
  const up = new Set<ServiceProcess>();
  /** Replacements still starting: awaited before the end, so none is stopped half-started. */
  const restarts: Promise<unknown>[] = [];
  let connection: MessagingConnection;
  let client: CommandClient;
  let commandCount = 0;

  async function startReplica(): Promise<ServiceProcess> {
    const replica = new ServiceProcess(
      MAIN,
      await acdEnv(namespace, { ACD_OUTBOX_CLAIM_MS: '1000', ACD_TIMER_INTERVAL_MS: '100', DATABASE_POOL_SIZE: '2', LOG_LEVEL: 'error' }),
    );
    replicas.push(replica);
    await replica.start();
    up.add(replica);
    return replica;
  }

  /** Sends a command until a replica answers it; a retry carries the same command id. */
  async function command<Req extends DescMessage, Rep extends DescMessage>(
    definition: CommandDefinition<Req, Rep>,
    fields: Omit<MessageInitShape<Req>, 'commandId' | 'tenant' | '$typeName'>,
  ): Promise<{ ok: true; value: ResultOf<Rep> } | { ok: false; kind: ErrorKind; message: string }> {
    const request = create(definition.request, { ...fields, commandId: `k${++commandCount}`, tenant: TENANT } as unknown as MessageInitShape<Req>);
    for (let attempt = 1; ; attempt++) {
      const outcome = await client.request(definition, request, { timeoutMs: 3_000 });
      if (outcome.ok) return outcome;
      if (!RETRY.has(outcome.error.kind) || attempt >= 50) return { ok: false, kind: outcome.error.kind, message: outcome.error.message };
      // Nobody serves it this instant (the replicas are restarting): back off as a client would.
      if (outcome.error.kind === ErrorKind.UNAVAILABLE) await sleep(100);
    }
  }

  beforeAll(async () => {
    await ensureLocalInfra();
    await createTestDatabase(namespace);
    connection = await MessagingConnection.connect({ servers: 'nats://127.0.0.1:4222', namespace, connectionName: 'acd-kill-test', queueGroup: 'acd-kill-test' });
    client = new CommandClient(connection);
    await Promise.all(Array.from({ length: REPLICAS }, () => startReplica()));
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(restarts);
    await Promise.all(replicas.map((replica) => replica.stop()));
    await removeNamespace(namespace, connection);
  }, 60_000);

  it(`assigns each of ${CONTACTS} contacts exactly once to ${AGENTS} agents while a replica is killed every second`, async () => {
    const agents = Array.from({ length: AGENTS }, (_, n) => `agent${n}`);
    const yaml = [
      'queues:',
      '  - queue: load',
      '    offerTimeoutMs: 120000',
      'agents:',
      ...agents.map((agentId, n) => `  - { agentId: ${agentId}, site: ${n % 2 ? 'sz' : 'bj'}, capacity: { voice: 1 }, queues: [load] }`),
    ].join('\n');
    const started = Date.now();
    const phase = (what: string) => process.stderr.write(`replica kill test: ${what} after ${Date.now() - started} ms\n`);
    expect(await command(AcdCommands.importConfiguration, { yaml })).toMatchObject({ ok: true });
    await Promise.all(
      agents.map(async (agentId) => {
        expect(await command(AcdCommands.loginAgent, { agentId })).toMatchObject({ ok: true });
        expect(await command(AcdCommands.setAgentReady, { agentId })).toMatchObject({ ok: true });
      }),
    );
    phase('agents ready');

    // The agents: each offer is answered, talked through and hung up.
    const accepted = new Map<string, Set<string>>();
    const completed = new Set<string>();
    let allCompleted: () => void = () => undefined;
    const done = new Promise<void>((resolveDone) => (allCompleted = resolveDone));
    const answering: Promise<unknown>[] = [];
    const record = (definitions: EventDefinition[], durable: string, handle: (name: string, message: never) => void) =>
      new EventConsumer(connection, { durable, definitions, handler: (message, ctx) => handle(ctx.subject.split('.').pop() ?? '', message as never) });
    const offers = record([AcdEvents.contactOffered as EventDefinition], 'kill-test-agents', (_, offer: ContactOffered) => {
      answering.push(
        (async () => {
          const answer = await command(AcdCommands.acceptOffer, { contactId: offer.contact!.contactId, agentId: offer.agent!.agentId, attempt: offer.attempt });
          // Not offered any more (it rang out while a replica died): the contact comes again.
          if (!answer.ok) return;
          await command(AcdCommands.releaseContact, { contactId: offer.contact!.contactId, agentId: offer.agent!.agentId });
        })(),
      );
    });
    const outcomes = record([AcdEvents.contactAccepted, AcdEvents.contactCompleted] as EventDefinition[], 'kill-test-outcomes', (name, message: { contact: { contactId: string }; agent: { agentId: string }; attempt?: number }) => {
      const contactId = message.contact.contactId;
      if (name === 'contact_accepted') accepted.set(contactId, (accepted.get(contactId) ?? new Set()).add(`${message.agent.agentId}#${message.attempt}`));
      else completed.add(contactId);
      if (completed.size === CONTACTS) allCompleted();
    });
    await offers.start();
    await outcomes.start();

    // Every second one replica is killed and a new one started, as long as another one is
    // up to take over (a start takes a second or more, so the kills must not outrun them).
    let kills = 0;
    const killer = setInterval(() => {
      if (up.size < 2) return;
      const victim = [...up][kills % up.size]!;
      up.delete(victim);
      kills++;
      restarts.push(victim.kill().then(() => startReplica()));
    }, KILL_EVERY_MS);

    const progress = setInterval(() => phase(`${accepted.size} accepted, ${completed.size} completed, ${kills} killed`), 5_000);
    // The IVR: contacts arrive 32 at a time.
    const lanes = Array.from({ length: 32 }, async (_, lane) => {
      for (let i = lane; i < CONTACTS; i += 32) {
        const outcome = await command(AcdCommands.enqueueContact, { contact: { contactId: `c${i}`, queue: 'load', channel: 1 } });
        if (!outcome.ok) throw new Error(`enqueue of c${i} failed: ${ErrorKind[outcome.kind]} ${outcome.message}`);
      }
    });
    try {
      await Promise.all(lanes);
      phase('all contacts enqueued');
      await done;
      phase('all contacts completed');
    } finally {
      clearInterval(progress);
      clearInterval(killer);
    }
    await Promise.all(restarts);
    await Promise.all(answering);
    await offers.stop();
    await outcomes.stop();

    const twice = [...accepted].filter(([, assignments]) => assignments.size !== 1);
    expect({ completed: completed.size, acceptedContacts: accepted.size, assignedMoreThanOnce: twice }).toEqual({
      completed: CONTACTS,
      acceptedContacts: CONTACTS,
      assignedMoreThanOnce: [],
    });
    const redis = await connectRedis('acd-kill-check');
    const handled = await Promise.all(agents.map((agentId) => redis.hget(`${namespace}:{${TENANT}}:agent:${agentId}`, 'handled:load')));
    const busyOrRinging = await Promise.all(agents.map((agentId) => redis.hmget(`${namespace}:{${TENANT}}:agent:${agentId}`, 'busy:voice', 'offered:voice')));
    const waiting = await redis.zcard(`${namespace}:{${TENANT}}:queue:load:waiting`);
    await redis.quit();
    expect(handled.reduce((sum, count) => sum + Number(count ?? 0), 0)).toBe(CONTACTS);
    expect(busyOrRinging.flat().every((count) => Number(count ?? 0) === 0)).toBe(true);
    expect(waiting).toBe(0);
    expect(kills).toBeGreaterThan(0);
    console.log(`replica kill test: ${CONTACTS} contacts, ${AGENTS} agents, ${kills} replicas killed`);
  }, Math.max(120_000, CONTACTS * 40));
});
