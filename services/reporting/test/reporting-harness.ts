// What the reporting tests share: a database of their own, the service in-process or as a
// child process (to kill -9), events published as the other services publish them, and
// waiting for a condition instead of sleeping.
import { loadConfig } from '@lianluo/config';
import { type EventDefinition } from '@lianluo/contracts';
import { toBinary } from '@bufbuild/protobuf';
import { EventPublisher, MessagingConnection, deleteNamespaceStreams, streamNameOf, subjectOf } from '@lianluo/messaging';
import { ServiceProcess, TEST_POSTGRES_SERVER, createTestDatabase, dropTestDatabase, endTestPool, ensureLocalInfra, freePort, serviceAuthEnv, uniqueNamespace } from '@lianluo/testing';
import { type INestApplication } from '@nestjs/common';
import { resolve } from 'node:path';
import { Pool } from 'pg';
import { REPORTING_CONSUMERS, type ReportedDomain } from '../src/events/reporting-consumers';
import { startReporting } from '../src/reporting.app';
import { reportingConfigSchema } from '../src/reporting.config';
import { type ScriptedEvent } from './scripted-events';

/** Every domain reporting consumes, each with its durable consumer. */
export const REPORTED_DOMAINS = Object.keys(REPORTING_CONSUMERS) as ReportedDomain[];

const SERVER = TEST_POSTGRES_SERVER;

/** A database made for one test file, dropped by `drop()`. */
export class TestDatabase {
  readonly pool: Pool;

  private constructor(readonly name: string) {
    // Reporting keeps its tables in schema reporting, as the service's own pool does.
    this.pool = new Pool({ connectionString: this.url, max: 4, options: '-c search_path=reporting' });
  }

  static async create(prefix = 'rep'): Promise<TestDatabase> {
    const name = uniqueNamespace(prefix);
    await createTestDatabase(name);
    return new TestDatabase(name);
  }

  get url(): string {
    return `${SERVER}/${this.name}`;
  }

  async count(sql: string, params: unknown[] = []): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(`SELECT (${sql})::int AS n`, params);
    return rows[0]?.n ?? 0;
  }

  async drop(): Promise<void> {
    await endTestPool(this.pool);
    await dropTestDatabase(this.name);
  }
}

/** The environment a reporting replica needs for this run; `extra` adds or overrides. */
export async function reportingEnv(namespace: string, database: TestDatabase, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    NATS_NAMESPACE: namespace,
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '4',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(await freePort()),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...serviceAuthEnv(),
    ...extra,
  };
}

/** A replica in this process. */
export async function reportingFor(namespace: string, database: TestDatabase, extra: Record<string, string> = {}, clock?: () => number): Promise<INestApplication> {
  return startReporting(loadConfig(reportingConfigSchema, await reportingEnv(namespace, database, extra)), clock);
}

/** What an in-process test file works with: a database, a subject namespace and a replica of its own, all removed by `close()`. */
export class ReportingTestBed {
  private constructor(
    readonly database: TestDatabase,
    readonly source: EventSource,
    readonly app: INestApplication,
  ) {}

  static async start(namespace: string, extra: Record<string, string> = {}, clock?: () => number): Promise<ReportingTestBed> {
    await ensureLocalInfra();
    const database = await TestDatabase.create();
    const source = await EventSource.connect(namespace);
    try {
      return new ReportingTestBed(database, source, await reportingFor(namespace, database, extra, clock));
    } catch (error) {
      await source.close();
      await database.drop();
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.source.close();
    await this.database.drop();
  }
}

/** The value of one sample in Prometheus text exposition, undefined when absent. */
export function sampleOf(exposition: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of exposition.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = Object.fromEntries([...(match[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => present[key] === value)) return Number(match[3]);
  }
  return undefined;
}

/** A reporting replica as its own process (dist/main.js), to kill without warning. */
export function reportingProcess(env: Record<string, string>): ServiceProcess {
  return new ServiceProcess(resolve(__dirname, '..', 'dist', 'main.js'), env);
}

/** The test's side of NATS: publishes events as their owning services do, removes the run's streams at the end. */
export class EventSource {
  private constructor(
    readonly connection: MessagingConnection,
    readonly publisher: EventPublisher,
  ) {}

  static async connect(namespace: string): Promise<EventSource> {
    const connection = await MessagingConnection.connect({ servers: 'nats://127.0.0.1:4222', namespace, connectionName: 'reporting-test', queueGroup: 'reporting-test' });
    return new EventSource(connection, new EventPublisher(connection));
  }

  /** Publishes the event's bytes again under another Nats-Msg-Id: JetStream keeps both, as after a producer retry past the duplicate window. */
  async republish(definition: EventDefinition, message: unknown, suffix: string): Promise<void> {
    const subject = subjectOf(this.connection.namespace, definition.tenantOf(message as never), definition.domain, 'event', definition.name);
    await this.connection.js.publish(subject, toBinary(definition.schema, message as never), { msgID: `${definition.idOf(message as never)}:${suffix}` });
  }

  /** Publishes each event as its service does; every `againEvery`-th one a second time under another id (a retry past the duplicate window). */
  async publishAll(events: readonly ScriptedEvent[], againEvery = 0): Promise<void> {
    for (const [i, event] of events.entries()) {
      await this.publisher.publish(event.definition, event.message as never);
      if (againEvery > 0 && i % againEvery === 0) await this.republish(event.definition, event.message, 'again');
    }
  }

  /** Deletes the run's streams and disconnects. */
  async close(): Promise<void> {
    await deleteNamespaceStreams(this.connection);
    await this.connection.close();
  }
}

/** True once the durable consumer has had every event in its stream acknowledged. */
export async function consumerDrained(connection: MessagingConnection, domain: string, durable: string): Promise<boolean> {
  const info = await connection.jsm.consumers.info(streamNameOf(connection.namespace, domain), durable).catch(() => undefined);
  return info !== undefined && info.num_pending === 0 && info.num_ack_pending === 0 && info.num_redelivered >= 0;
}

/** True once every reporting consumer of `domains` has had every event of its stream acknowledged. */
export async function consumersDrained(connection: MessagingConnection, domains: readonly ReportedDomain[] = REPORTED_DOMAINS): Promise<boolean> {
  for (const domain of domains) if (!(await consumerDrained(connection, domain, REPORTING_CONSUMERS[domain]))) return false;
  return true;
}
