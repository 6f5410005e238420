// Cost of the event store over PostgreSQL's fastest way in, measured in the same run on the
// same server: call events ingested per second (stored once by event id and projected into
// contact records, one transaction per event, as the consumer does) against a raw COPY of
// the very rows the store wrote into a table of the same shape and indexes. Twice: through
// EventStore.record directly, and end to end (JetStream → durable consumer → PostgreSQL)
// with the events published ahead of the consumer. Printed as events/s and as the time
// ratio to COPY (lower is better). BENCH_EVENTS (default 8000) sizes it.
import 'reflect-metadata';
import { create, toBinary } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { loadConfig } from '@lianluo/config';
import { CallEvents, type EventDefinition } from '@lianluo/contracts';
import { MessagingConnection, type EventContext, streamNameOf, subjectOf } from '@lianluo/messaging';
import { TEST_POSTGRES_SERVER, createTestDatabase, dropTestDatabase, endTestPool, ensureLocalInfra, freePort, serviceAuthEnv, uniqueNamespace } from '@lianluo/testing';
import { pipeline } from 'node:stream/promises';
import { Readable, Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { contactFactOfCallEvent } from '../services/reporting/dist/calls/call-event-facts';
import { EventStore } from '../services/reporting/dist/events/event-store';
import { reportedEventOf } from '../services/reporting/dist/events/reported-event-of';
import { startReporting } from '../services/reporting/dist/reporting.app';
import { reportingConfigSchema } from '../services/reporting/dist/reporting.config';

const EVENTS = Math.max(400, Number(process.env.BENCH_EVENTS ?? 8_000));
const CALL_PHASES = ['started', 'answered', 'legAnswered', 'hungUp'] as const;

/** EVENTS call events, four per call, calls spread over a day. */
function callEvents(prefix: string): { definition: EventDefinition; message: never }[] {
  const day = Date.UTC(2026, 10, 23, 8);
  const events: { definition: EventDefinition; message: never }[] = [];
  for (let call = 0; events.length < EVENTS; call++) {
    const startedAt = day + ((call * 7919) % 43_200) * 1000;
    for (const [i, phase] of CALL_PHASES.entries()) {
      const definition = CallEvents[phase] as unknown as EventDefinition;
      const message = create(definition.schema, {
        eventId: `${prefix}-${call}-${phase}`,
        call: { tenant: 'bench', site: call % 2 ? 'bj' : 'sz', callId: `${prefix}-${call}` },
        occurredAt: timestampFromMs(startedAt + i * 15_000),
        ...(phase === 'started' && { ani: `13800${call % 1000}`, dnis: '4001' }),
        ...(phase === 'legAnswered' && { legId: `${prefix}-${call}-agent` }),
        ...(phase === 'hungUp' && { cause: 16 }),
      } as never) as never;
      events.push({ definition, message });
    }
  }
  return events.slice(0, EVENTS);
}

async function main() {
  await ensureLocalInfra();
  const namespace = uniqueNamespace('bench');
  await createTestDatabase(namespace);
  const databaseUrl = `${TEST_POSTGRES_SERVER}/${namespace}`;
  // The service keeps its tables in schema reporting.
  const pool = new Pool({ connectionString: databaseUrl, max: 2, options: '-c search_path=reporting' });
  const config = loadConfig(reportingConfigSchema, {
    NATS_NAMESPACE: namespace,
    DATABASE_URL: databaseUrl,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
    ...serviceAuthEnv(),
  });
  const app = await startReporting(config);
  const connection = await MessagingConnection.connect({ servers: config.NATS_URL, namespace, connectionName: 'bench', queueGroup: 'bench' });
  const count = async () => (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM event')).rows[0]?.n ?? 0;
  const rate = (ms: number) => `${Math.round((EVENTS / ms) * 1000).toLocaleString('en').padStart(9)} events/s`;
  try {
    console.log(`reporting bench: ${EVENTS} call events (${EVENTS / 4} calls), database ${namespace}`);

    // 1. The event store's own path, one transaction per event, sequential as one consumer is.
    const store = app.get(EventStore);
    const direct = callEvents('direct').map(({ definition, message }, i) => {
      const ctx: EventContext = { subject: '', tenant: 'bench', eventId: '', deliveryCount: 1, streamSequence: i + 1 };
      const fact = contactFactOfCallEvent(definition.name, message);
      return reportedEventOf(definition, message, ctx, { contactId: (message as { call: { callId: string } }).call.callId, ...(fact && { fact }) });
    });
    let started = performance.now();
    for (const event of direct) await store.record(event);
    const recordMs = performance.now() - started;

    // 2. The same rows by COPY into a table of the same shape and indexes.
    const dump: Buffer[] = [];
    const client = await pool.connect();
    try {
      await pipeline(client.query(copyTo('COPY (SELECT * FROM event) TO STDOUT')), new Writable({ write: (chunk: Buffer, _e, done) => (dump.push(chunk), done()) }));
      await client.query('CREATE TABLE event_copy (LIKE event INCLUDING ALL)');
      started = performance.now();
      await pipeline(Readable.from(dump), client.query(copyFrom('COPY event_copy FROM STDIN')));
    } finally {
      client.release();
    }
    const copyMs = performance.now() - started;

    // 3. End to end: a backlog in JetStream, drained by the running consumer.
    await connection.ensureStream('call');
    const backlog = callEvents('nats');
    started = performance.now();
    for (let i = 0; i < backlog.length; i += 256) {
      await Promise.all(
        backlog.slice(i, i + 256).map(({ definition, message }) =>
          connection.js.publish(subjectOf(namespace, 'bench', 'call', 'event', definition.name), toBinary(definition.schema, message), { msgID: definition.idOf(message) }),
        ),
      );
    }
    while ((await count()) < 2 * EVENTS) await sleep(20);
    const natsMs = performance.now() - started;

    console.log(`  raw COPY of the same rows (baseline)        ${rate(copyMs)}`);
    console.log(`  EventStore.record, a transaction each       ${rate(recordMs)}   ${(recordMs / copyMs).toFixed(1)}× COPY's time`);
    console.log(`  JetStream → consumer → PostgreSQL           ${rate(natsMs)}   ${(natsMs / copyMs).toFixed(1)}× COPY's time`);
  } finally {
    await app.close();
    await connection.jsm.streams.delete(streamNameOf(namespace, 'call')).catch(() => undefined);
    await connection.jsm.streams.delete(streamNameOf(namespace, 'deadletter')).catch(() => undefined);
    await connection.close();
    await endTestPool(pool);
    await dropTestDatabase(namespace);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
