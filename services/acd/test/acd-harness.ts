// What the acd's NATS tests share: a replica in this process on its own subject namespace
// and key prefix with a clock the test moves, a client sending commands as the IVR, the
// desktops and admin tools do, and a recorder of the events it publishes to JetStream.
import { type DescMessage, type MessageInitShape, type MessageShape, create } from '@bufbuild/protobuf';
import { loadConfig } from '@lianluo/config';
import {
  ALL_ACD_EVENTS,
  type CommandDefinition,
  type CommandError,
  type EventDefinition,
  ErrorKind,
  type ResultOf,
} from '@lianluo/contracts';
import { CommandClient, EventConsumer, MessagingConnection, deleteNamespaceStreams } from '@lianluo/messaging';
import { currentTraceparent, traceIdOf } from '@lianluo/observability';
import { TEST_POSTGRES_SERVER, createTestDatabase, dropTestDatabase, ensureLocalInfra, freePort, serviceAuthEnv, uniqueNamespace } from '@lianluo/testing';
import type { INestApplication } from '@nestjs/common';
import { startAcd } from '../src/acd.app';
import { acdConfigSchema } from '../src/acd.config';
import { connectRedis, deleteNamespace, ManualClock } from './routing-harness';

export interface RecordedAcdEvent {
  /** The subject's last token: `contact_offered`. */
  readonly name: string;
  readonly message: MessageShape<DescMessage> & { contact?: { contactId: string }; agent?: { agentId: string }; callback?: { callbackId: string } };
  /** The trace the event was published in. */
  readonly traceId: string | undefined;
}

/** Reads every acd event of a namespace from JetStream, as reporting would, and lets a test wait for one. */
export class AcdEventsRecorder {
  readonly events: RecordedAcdEvent[] = [];
  private waiters: { match: (e: RecordedAcdEvent) => boolean; resolve: (e: RecordedAcdEvent) => void }[] = [];
  private readonly reactions: ((e: RecordedAcdEvent) => void)[] = [];
  private readonly consumer: EventConsumer;

  constructor(connection: MessagingConnection, durable = 'acd-test-recorder') {
    this.consumer = new EventConsumer(connection, {
      durable,
      definitions: ALL_ACD_EVENTS as readonly EventDefinition[],
      handler: (message, ctx) => {
        const recorded = { name: ctx.subject.split('.').pop() ?? '', message: message as RecordedAcdEvent['message'], traceId: traceIdOf(currentTraceparent()) };
        this.events.push(recorded);
        this.reactions.forEach((react) => react(recorded));
        this.waiters = this.waiters.filter((w) => (w.match(recorded) ? (w.resolve(recorded), false) : true));
      },
    });
  }

  start(): Promise<void> {
    return this.consumer.start();
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  /** Calls `react` for every event from now on (e.g. to play an agent's part). */
  onEvent(react: (e: RecordedAcdEvent) => void): void {
    this.reactions.push(react);
  }

  /** The first event named `name` (about `contactId` or agent `agentId`, when given), now or when it comes. */
  next<M = RecordedAcdEvent['message']>(name: string, about?: { contactId?: string; agentId?: string; where?: (message: M) => boolean }): Promise<M> {
    const about_ = about;
    const match = (e: RecordedAcdEvent) =>
      e.name === name &&
      (about?.contactId === undefined || e.message.contact?.contactId === about.contactId) &&
      (about?.agentId === undefined || e.message.agent?.agentId === about.agentId) &&
      (about?.where === undefined || about.where(e.message as M));
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen.message as M);
    return new Promise((resolve, reject) => {
      // A deadline to fail with what did arrive, not a wait for time to pass.
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.match !== match);
        const about = about_?.contactId ?? about_?.agentId;
        const related = this.events.filter((e) => about === undefined || e.message.contact?.contactId === about || e.message.agent?.agentId === about);
        reject(new Error(`no ${name} about ${about ?? 'anything'} within ${NEXT_DEADLINE_MS} ms; saw ${related.map((e) => e.name).join(', ') || 'nothing'}`));
      }, NEXT_DEADLINE_MS);
      this.waiters.push({
        match,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e.message as M);
        },
      });
    });
  }

  /** Names of the lifecycle events about a contact (position reports left out), in the order JetStream delivered them. */
  namesFor(contactId: string): string[] {
    return this.events.filter((e) => e.message.contact?.contactId === contactId && e.name !== 'contact_position_changed').map((e) => e.name);
  }
}

// Long enough for a loaded 2-core machine; only a test about to fail waits it out.
const NEXT_DEADLINE_MS = 15_000;

/** A command's outcome: the result, or the typed error. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: CommandError };

export class AcdTestClient {
  private commandCount = 0;

  constructor(
    readonly connection: MessagingConnection,
    private readonly client: CommandClient,
    readonly tenant: string,
  ) {}

  /** Sends a command with a fresh command id and this client's tenant. */
  send<Req extends DescMessage, Rep extends DescMessage>(
    definition: CommandDefinition<Req, Rep>,
    fields: Omit<MessageInitShape<Req>, 'commandId' | 'tenant' | '$typeName'>,
  ): Promise<Outcome<ResultOf<Rep>>> {
    const request = create(definition.request, { ...fields, commandId: `cmd-${++this.commandCount}`, tenant: this.tenant } as unknown as MessageInitShape<Req>);
    return this.client.request(definition, request, { timeoutMs: 10_000 });
  }

  /** Sends a command and returns its result, failing the test on an error reply. */
  async ok<Req extends DescMessage, Rep extends DescMessage>(
    definition: CommandDefinition<Req, Rep>,
    fields: Omit<MessageInitShape<Req>, 'commandId' | 'tenant' | '$typeName'>,
  ): Promise<ResultOf<Rep>> {
    const outcome = await this.send(definition, fields);
    if (!outcome.ok) throw new Error(`${definition.name} failed: ${ErrorKind[outcome.error.kind]} ${outcome.error.field} ${outcome.error.message}`);
    return outcome.value;
  }
}

export interface AcdTestBed {
  readonly namespace: string;
  readonly clock: ManualClock;
  readonly app: INestApplication;
  /** Another replica on the same namespace and clock, closed with the bed. */
  startReplica(): Promise<INestApplication>;
  readonly client: AcdTestClient;
  readonly recorder: AcdEventsRecorder;
  close(): Promise<void>;
}

/** The environment of a replica of this test bed: its namespace for subjects, keys and database. */
export async function acdEnv(namespace: string, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    NATS_NAMESPACE: namespace,
    REDIS_KEY_PREFIX: namespace,
    DATABASE_URL: `${TEST_POSTGRES_SERVER}/${namespace}`,
    DATABASE_POOL_SIZE: '2',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(await freePort()),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    ...serviceAuthEnv(),
    ...extra,
  };
}

/** A replica in this process on a namespace of its own, a client for `tenant` and a recorder. */
export async function openAcdTestBed(tenant = 'acme', extra: Record<string, string> = {}): Promise<AcdTestBed> {
  await ensureLocalInfra();
  const namespace = uniqueNamespace('acd');
  await createTestDatabase(namespace);
  const clock = new ManualClock();
  const replicas: INestApplication[] = [];
  const startReplica = async () => {
    const replica = await startAcd(loadConfig(acdConfigSchema, await acdEnv(namespace, extra)), { clock, manualTimers: true });
    replicas.push(replica);
    return replica;
  };
  const app = await startReplica();
  const connection = await MessagingConnection.connect({ servers: 'nats://127.0.0.1:4222', namespace, connectionName: 'acd-test', queueGroup: 'acd-test' });
  const recorder = new AcdEventsRecorder(connection);
  await recorder.start();
  return {
    namespace,
    clock,
    app,
    startReplica,
    client: new AcdTestClient(connection, new CommandClient(connection), tenant),
    recorder,
    close: async () => {
      await recorder.stop();
      for (const replica of replicas) await replica.close();
      await removeNamespace(namespace, connection);
    },
  };
}

/** Removes everything a test run wrote under its namespace: streams, Redis keys, database; closes `connection`. */
export async function removeNamespace(namespace: string, connection: MessagingConnection): Promise<void> {
  await deleteNamespaceStreams(connection);
  await connection.close();
  const redis = await connectRedis('acd-test-cleanup');
  await deleteNamespace(redis, namespace);
  await redis.quit();
  await dropTestDatabase(namespace);
}
