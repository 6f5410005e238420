// The event store against real NATS JetStream and PostgreSQL: the service in-process, its
// own database and subject namespace for this file.
import 'reflect-metadata';
import { CallEvents } from '@lianluo/contracts';
import { MESSAGE_TYPE_HEADER, headersWithTrace, streamNameOf, subjectOf } from '@lianluo/messaging';
import { fetchAsApi, uniqueNamespace, until } from '@lianluo/testing';
import { type INestApplication } from '@nestjs/common';
import { type AgentStateName } from '../src/agents/agent-fact';
import { EventStore } from '../src/events/event-store';
import { callEvent } from './scripted-events';
import { EventSource, ReportingTestBed, TestDatabase, consumerDrained } from './reporting-harness';

jest.setTimeout(60_000);

const namespace = uniqueNamespace('rep');
const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);

describe('event store', () => {
  let bed: ReportingTestBed;
  let database: TestDatabase;
  let source: EventSource;
  let app: INestApplication;
  const drained = () => consumerDrained(source.connection, 'call', 'reporting-call');

  beforeAll(async () => {
    bed = await ReportingTestBed.start(namespace);
    ({ database, source, app } = bed);
  });

  afterAll(async () => {
    await bed?.close();
  });

  it('creates its schema (reporting) with node-pg-migrate when it starts', async () => {
    const { rows } = await database.pool.query<{ name: string }>('SELECT name FROM reporting.pgmigrations ORDER BY run_on, id');
    expect(rows.map((row) => row.name)).toEqual(['1767225600000_event-store', '1767398400000_contact-phases', '1767484800000_contact-wrap-up']);
    expect(await database.count(`SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'`)).toBe(0);
  });

  it('reads the call stream through a durable consumer with explicit acks', async () => {
    const info = await source.connection.jsm.consumers.info(streamNameOf(namespace, 'call'), 'reporting-call');
    expect(info.config.durable_name).toBe('reporting-call');
    expect(info.config.ack_policy).toBe('explicit');
  });

  it('stores an event once however often it is delivered', async () => {
    const events = [
      callEvent('started', 'acme', 'bj', 'dup-1', T0, { ani: '13800000001', dnis: '4001' }),
      callEvent('answered', 'acme', 'bj', 'dup-1', T0 + 1_000),
      callEvent('hungUp', 'acme', 'bj', 'dup-1', T0 + 30_000, { cause: 16 }),
    ];
    for (const event of events) await source.publisher.publish(event.definition, event.message as never);
    // The same answered event twice more, as a producer retrying past the duplicate window would.
    await source.republish(events[1]!.definition, events[1]!.message, 'retry-1');
    await source.republish(events[1]!.definition, events[1]!.message, 'retry-2');
    await until('every delivery is acknowledged', drained);

    expect(await database.count(`SELECT count(*) FROM event WHERE contact_id = 'dup-1'`)).toBe(3);
    const { rows } = await database.pool.query(`SELECT facts, outcome, ani, dnis, site, hangup_cause FROM contact WHERE contact_id = 'dup-1'`);
    expect(rows).toEqual([{ facts: 3, outcome: 'completed', ani: '13800000001', dnis: '4001', site: 'bj', hangup_cause: 16 }]);
  });

  it('folds events that arrive out of order into the record they describe in time order', async () => {
    const inOrder = [
      callEvent('started', 'acme', 'sz', 'ooo-1', T0, { ani: '13800000002' }),
      callEvent('answered', 'acme', 'sz', 'ooo-1', T0 + 2_000),
      callEvent('legAnswered', 'acme', 'sz', 'ooo-1', T0 + 20_000, { legId: 'leg-1' }),
      callEvent('transferred', 'acme', 'sz', 'ooo-1', T0 + 80_000, { toLegId: 'leg-2' }),
      callEvent('hungUp', 'acme', 'sz', 'ooo-1', T0 + 95_000, { cause: 16 }),
    ];
    for (const event of [...inOrder].reverse()) await source.publisher.publish(event.definition, event.message as never);
    await until('every delivery is acknowledged', drained);

    const { rows } = await database.pool.query(
      `SELECT started_at, answered_at, agent_answered_at, transferred_at, ended_at, transfers, outcome, talk_seconds FROM contact WHERE contact_id = 'ooo-1'`,
    );
    expect(rows).toEqual([
      {
        started_at: new Date(T0),
        answered_at: new Date(T0 + 2_000),
        agent_answered_at: new Date(T0 + 20_000),
        transferred_at: new Date(T0 + 80_000),
        ended_at: new Date(T0 + 95_000),
        transfers: 1,
        outcome: 'answered',
        talk_seconds: 75,
      },
    ]);
  });

  it('keeps events about a call it never saw start', async () => {
    const orphan = callEvent('hungUp', 'acme', 'bj', 'never-started', T0 + 5_000, { cause: 19 });
    await source.publisher.publish(orphan.definition, orphan.message as never);
    await until('every delivery is acknowledged', drained);

    expect(await database.count(`SELECT count(*) FROM event WHERE contact_id = 'never-started'`)).toBe(1);
    expect(await database.count(`SELECT count(*) FROM contact WHERE contact_id = 'never-started' AND started_at IS NULL`)).toBe(1);
  });

  it('stores media events in full even though no projection reads them', async () => {
    const dtmf = callEvent('dtmfReceived', 'acme', 'bj', 'dtmf-1', T0, { digit: '5', durationMs: 120 });
    await source.publisher.publish(dtmf.definition, dtmf.message as never);
    await until('every delivery is acknowledged', drained);

    const { rows } = await database.pool.query(`SELECT type_name, payload FROM event WHERE contact_id = 'dtmf-1'`);
    expect(rows).toEqual([
      {
        type_name: 'lianluo.call.v1.CallDtmfReceived',
        payload: expect.objectContaining({ eventId: dtmf.eventId, digit: '5', durationMs: 120, call: { tenant: 'acme', site: 'bj', callId: 'dtmf-1' } }),
      },
    ]);
  });

  it('keeps, undecoded, a call event newer than its contracts', async () => {
    const headers = headersWithTrace();
    headers.set(MESSAGE_TYPE_HEADER, 'lianluo.call.v1.CallTeleported');
    await source.connection.js.publish(subjectOf(namespace, 'acme', 'call', 'event', 'teleported'), new Uint8Array([1, 2, 3]), { msgID: 'teleported-1', headers });
    await until('every delivery is acknowledged', drained);

    const { rows } = await database.pool.query(`SELECT name, type_name, tenant, payload FROM event WHERE event_id = 'teleported-1'`);
    expect(rows).toEqual([{ name: 'teleported', type_name: 'lianluo.call.v1.CallTeleported', tenant: 'acme', payload: { undecodedBase64: 'AQID' } }]);
  });

  it('dead-letters a malformed event and counts it', async () => {
    const subject = subjectOf(namespace, 'acme', 'call', 'event', CallEvents.started.name);
    await source.connection.js.publish(subject, new Uint8Array([0xff, 0xff, 0xff]), { msgID: 'garbage-1' });
    await until('every delivery is acknowledged', drained);

    const deadLetters = await source.connection.jsm.streams.info(streamNameOf(namespace, 'deadletter'));
    expect(deadLetters.state.messages).toBe(1);
    const metrics = await (await fetch(`${await app.getUrl()}/metrics`)).text();
    expect(metrics).toMatch(/lianluo_messages_dead_lettered_total\{[^}]*consumer="reporting-call"[^}]*\} 1/);
  });

  it('chains agent state intervals by time whatever order the changes arrive in, and reports time per state', async () => {
    const store = app.get(EventStore);
    const changes: [number, AgentStateName][] = [[0, 'ready'], [60, 'reserved'], [70, 'busy'], [250, 'wrap-up'], [280, 'ready'], [400, 'not-ready']];
    const events = changes.map(([offsetSeconds, state]) => ({
      domain: 'acd',
      eventId: `agent-7:${offsetSeconds}`,
      name: 'agent_state_changed',
      typeName: 'lianluo.acd.v1.AgentStateChanged',
      tenant: 'acme',
      occurredAtMs: T0 + offsetSeconds * 1000,
      streamSequence: 0,
      payload: { agentId: 'agent-7', state },
      agentId: 'agent-7',
      fact: { kind: 'agent-state' as const, site: 'sz', state, ...(state === 'not-ready' && { reasonCode: 'lunch' }) },
    }));
    for (const index of [3, 0, 5, 1, 4, 2, 3, 0]) await store.record(events[index]!);

    const { rows } = await database.pool.query(
      `SELECT state, extract(epoch FROM started_at - $1::timestamptz)::int AS start, extract(epoch FROM ended_at - $1::timestamptz)::int AS end
         FROM agent_state_interval WHERE agent_id = 'agent-7' ORDER BY started_at`,
      [new Date(T0)],
    );
    expect(rows).toEqual([
      { state: 'ready', start: 0, end: 60 },
      { state: 'reserved', start: 60, end: 70 },
      { state: 'busy', start: 70, end: 250 },
      { state: 'wrap-up', start: 250, end: 280 },
      { state: 'ready', start: 280, end: 400 },
      { state: 'not-ready', start: 400, end: null },
    ]);
    const to = new Date(T0 + 500_000).toISOString();
    const report = (await (await fetchAsApi('reporting', `${await app.getUrl()}/reports/agent-states?tenant=acme&from=${new Date(T0).toISOString()}&to=${to}&agent=agent-7`)).json()) as { items: unknown[] };
    expect(report.items).toEqual([
      { agent: 'agent-7', site: 'sz', readySeconds: 180, reservedSeconds: 10, busySeconds: 180, wrapUpSeconds: 30, notReadySeconds: 100, occupancy: 210 / 400 },
    ]);
  });
});
