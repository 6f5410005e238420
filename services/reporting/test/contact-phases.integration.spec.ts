// The acd, ivr and voicemail consumers against real NATS JetStream and PostgreSQL: events
// as those services publish them, in any order and more than once, make one record per
// contact with every phase, and agent intervals that end its wrap-up.
import 'reflect-metadata';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { AcdEvents, AgentState, CancelReason, Channel, FlowOutcome, QueueChoice } from '@lianluo/contracts';
import { MESSAGE_TYPE_HEADER, headersWithTrace, streamNameOf, subjectOf } from '@lianluo/messaging';
import { fetchAsApi, uniqueNamespace, until } from '@lianluo/testing';
import { type INestApplication } from '@nestjs/common';
import { acdEventAbout } from '../src/acd/acd-event-facts';
import { EventStore } from '../src/events/event-store';
import { reportedEventOf } from '../src/events/reported-event-of';
import { EventSource, REPORTED_DOMAINS, ReportingTestBed, TestDatabase, consumersDrained } from './reporting-harness';
import { shuffled } from './scripted-day';
import { type AcdContact, type ScriptedEvent, acdEvent, agentStateEvent, callEvent, ivrEvent, messageLeftEvent } from './scripted-events';

jest.setTimeout(60_000);

const namespace = uniqueNamespace('rep');
const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
const at = (seconds: number) => T0 + Math.round(seconds * 1000);
const TENANT = 'acme';

/** A call at bj through the flow `main` (2, 1, an account number) into queue service. */
function callThroughIvr(callId: string, offsetSeconds: number): { contact: AcdContact; events: ScriptedEvent[] } {
  const t = (seconds: number) => at(offsetSeconds + seconds);
  const contact: AcdContact = { tenant: TENANT, site: 'bj', contactId: callId, queue: 'service', customerId: 'c-42' };
  return {
    contact,
    events: [
      callEvent('started', TENANT, 'bj', callId, t(0), { ani: '13800000042', dnis: '100' }),
      callEvent('answered', TENANT, 'bj', callId, t(1)),
      ivrEvent('menuChosen', TENANT, 'bj', callId, t(4), { flow: 'main', step: 'main_menu', key: '2' }),
      ivrEvent('menuChosen', TENANT, 'bj', callId, t(7), { flow: 'main', step: 'service_menu', key: '1' }),
      ivrEvent('inputCollected', TENANT, 'bj', callId, t(11), { flow: 'main', step: 'account', variable: 'account', value: '12345' }),
      ivrEvent('flowEnded', TENANT, 'bj', callId, t(12), { flow: 'main', step: 'billing_queue', outcome: FlowOutcome.QUEUED, queue: 'service' }),
      acdEvent('contactQueued', contact, t(12), { position: 1 }),
    ],
  };
}

/** `contact` rings at agent `ringing` (no answer), then `taker` takes it, talks `talkSeconds` and wraps up until `readyAfterSeconds` after the release. */
function answeredAfterRingNoAnswer(contact: AcdContact, offsetSeconds: number, ringing: { id: string; site: string }, taker: { id: string; site: string }, readyAfterSeconds: number): ScriptedEvent[] {
  const t = (seconds: number) => at(offsetSeconds + seconds);
  const first = { agentId: ringing.id, site: ringing.site };
  const agent = { agentId: taker.id, site: taker.site };
  return [
    acdEvent('contactOffered', contact, t(13), { agent: first, attempt: 1, deadline: timestampFromMs(t(17)) }),
    acdEvent('contactRingNoAnswer', contact, t(17), { agent: first, attempt: 1, returnedToQueue: true }),
    agentStateEvent(TENANT, ringing, t(17), AgentState.NOT_READY, AgentState.RESERVED, 'ring-no-answer'),
    agentStateEvent(TENANT, taker, t(18), AgentState.RESERVED, AgentState.READY),
    acdEvent('contactOffered', contact, t(18), { agent, attempt: 2, deadline: timestampFromMs(t(22)) }),
    acdEvent('contactAccepted', contact, t(25), { agent, attempt: 2, waitedMs: 13_000n }),
    callEvent('legAnswered', TENANT, 'bj', contact.contactId, t(25), { legId: `${contact.contactId}-agent` }),
    agentStateEvent(TENANT, taker, t(25), AgentState.BUSY, AgentState.RESERVED),
    callEvent('hungUp', TENANT, 'bj', contact.contactId, t(85), { cause: 16 }),
    // Released a moment after the hang-up, with 30 s of wrap-up due.
    acdEvent('contactCompleted', contact, t(85.05), { agent, wrapUpEndsAt: timestampFromMs(t(115.05)) }),
    agentStateEvent(TENANT, taker, t(85.05), AgentState.WRAP_UP, AgentState.BUSY),
    agentStateEvent(TENANT, taker, t(85.05 + readyAfterSeconds), AgentState.READY, AgentState.WRAP_UP),
  ];
}

describe('acd, ivr and voicemail events in the contact record', () => {
  let bed: ReportingTestBed;
  let database: TestDatabase;
  let source: EventSource;
  let app: INestApplication;
  const drained = () => consumersDrained(source.connection);
  const record = async (contactId: string) => (await database.pool.query('SELECT * FROM contact WHERE contact_id = $1', [contactId])).rows;

  beforeAll(async () => {
    bed = await ReportingTestBed.start(namespace);
    ({ database, source, app } = bed);
  });

  afterAll(async () => {
    await bed?.close();
  });

  it('reads each domain through its own durable consumer with explicit acks', async () => {
    for (const domain of REPORTED_DOMAINS) {
      const info = await source.connection.jsm.consumers.info(streamNameOf(namespace, domain), `reporting-${domain}`);
      expect({ domain, durable: info.config.durable_name, ack: info.config.ack_policy }).toEqual({ domain, durable: `reporting-${domain}`, ack: 'explicit' });
    }
  });

  it('keeps one record per call with its IVR, queue, agent, talk and wrap-up phases, whatever order and however often the events arrive', async () => {
    const { contact, events } = callThroughIvr('call-a', 0);
    const a1 = { id: 'a-1', site: 'sz' };
    const a2 = { id: 'a-2', site: 'bj' };
    // a-2 leaves wrap-up after 9.95 s of the 30 s due; its state changes arrive before the release.
    const all = [...events, ...answeredAfterRingNoAnswer(contact, 0, a1, a2, 9.95)].reverse();
    await source.publishAll(all, 1);
    await until('every event is stored', async () => (await drained()) && (await database.count(`SELECT count(*) FROM event WHERE event_id = ANY($1)`, [all.map((e) => e.eventId)])) === all.length);

    expect(await record('call-a')).toEqual([
      expect.objectContaining({
        channel: 'voice',
        site: 'bj',
        ani: '13800000042',
        customer_id: 'c-42',
        started_at: new Date(at(0)),
        answered_at: new Date(at(1)),
        ivr_flow: 'main',
        ivr_outcome: 'queued',
        ivr_ended_at: new Date(at(12)),
        ivr_menu_path: 'main_menu:2 service_menu:1',
        ivr_inputs: 1,
        queue: 'service',
        queued_at: new Date(at(12)),
        offered_at: new Date(at(13)),
        offers: 2,
        ring_no_answers: 1,
        agent_id: 'a-2',
        agent_site: 'bj',
        agent_answered_at: new Date(at(25)),
        ended_at: new Date(at(85)),
        released_at: new Date(at(85.05)),
        wrap_up_ended_at: new Date(at(95)),
        outcome: 'answered',
        wait_seconds: 13,
        talk_seconds: 60,
        wrap_up_seconds: expect.closeTo(9.95, 9),
        handle_seconds: 70,
        facts: 14,
      }),
    ]);
    // The input itself stays in its event, whole.
    const { rows } = await database.pool.query(`SELECT payload->>'value' AS value FROM event WHERE domain = 'ivr' AND name = 'input_collected' AND contact_id = 'call-a'`);
    expect(rows).toEqual([{ value: '12345' }]);
  });

  it('ends a wrap-up that was due later when the agent’s state change arrives after the release', async () => {
    const { contact, events } = callThroughIvr('call-c', 1000);
    const taker = { id: 'a-4', site: 'sz' };
    const all = [...events, ...answeredAfterRingNoAnswer(contact, 1000, { id: 'a-3', site: 'bj' }, taker, 20)];
    const ready = all.pop() as ScriptedEvent;
    await source.publishAll(all);
    await until('the release is projected', async () => (await drained()) && (await database.count(`SELECT count(*) FROM contact WHERE contact_id = 'call-c' AND released_at IS NOT NULL`)) === 1);
    // Until the agent says otherwise, the wrap-up lasts as long as it was due.
    expect(await record('call-c')).toEqual([expect.objectContaining({ wrap_up_seconds: 30, handle_seconds: 90.05 })]);

    await source.publishAll([ready]);
    await until('the agent’s ready is stored', async () => (await drained()) && (await database.count(`SELECT count(*) FROM event WHERE agent_id = 'a-4' AND fact->>'state' = 'ready'`)) === 1);
    expect(await record('call-c')).toEqual([expect.objectContaining({ wrap_up_ended_at: new Date(at(1105.05)), wrap_up_seconds: 20, handle_seconds: 80.05 })]);
    const { rows } = await database.pool.query(
      `SELECT state, extract(epoch FROM started_at - $1::timestamptz)::float8 AS start, extract(epoch FROM ended_at - $1::timestamptz)::float8 AS end
         FROM agent_state_interval WHERE agent_id = 'a-4' ORDER BY started_at`,
      [new Date(at(1000))],
    );
    expect(rows).toEqual([
      { state: 'reserved', start: 18, end: 25 },
      { state: 'busy', start: 25, end: expect.closeTo(85.05, 9) },
      { state: 'wrap-up', start: expect.closeTo(85.05, 9), end: expect.closeTo(105.05, 9) },
      { state: 'ready', start: expect.closeTo(105.05, 9), end: null },
    ]);
  });

  it("shows the agent's wrap-up code and notes in the customer's interaction history", async () => {
    const { contact, events } = callThroughIvr('call-w', 3000);
    const taker = { agentId: 'a-8', site: 'sz' };
    const t = (seconds: number) => at(3000 + seconds);
    await source.publishAll([
      ...events,
      acdEvent('contactOffered', contact, t(13), { agent: taker, attempt: 1, deadline: timestampFromMs(t(17)) }),
      acdEvent('contactAccepted', contact, t(14), { agent: taker, attempt: 1, waitedMs: 2_000n }),
      acdEvent('contactCompleted', contact, t(80), { agent: taker }),
      // The caller hung up first: the agent's code and notes come after the completion.
      acdEvent('contactWrapUpRecorded', contact, t(95), { agent: taker, wrapUpCode: 'complaint', notes: 'Refund promised; 已答应退款' }),
    ]);
    await until('the wrap-up code is projected', async () => (await drained()) && (await database.count(`SELECT count(*) FROM contact WHERE contact_id = 'call-w' AND notes IS NOT NULL`)) === 1);
    expect(await record('call-w')).toEqual([expect.objectContaining({ wrap_up_code: 'complaint', notes: 'Refund promised; 已答应退款' })]);

    const response = await fetchAsApi('reporting', `${await app.getUrl()}/customers/c-42/interactions?tenant=${TENANT}&pageSize=1000`);
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: { contactId: string; wrapUpCode: string | null; notes: string | null }[] };
    expect(items.find((item) => item.contactId === 'call-w')).toMatchObject({ wrapUpCode: 'complaint', notes: 'Refund promised; 已答应退款' });
    const csv = await (await fetchAsApi('reporting', `${await app.getUrl()}/customers/c-42/interactions?tenant=${TENANT}&format=csv`)).text();
    expect(csv.split('\n')[0]).toContain('wrapUpCode,notes');
  });

  it('keeps a caller who keys voicemail while waiting as withdrawn with the message, and the message’s work item as a contact of its own', async () => {
    const { contact, events } = callThroughIvr('call-b', 2000);
    const t = (seconds: number) => at(2000 + seconds);
    const workItem: AcdContact = { tenant: TENANT, site: 'bj', contactId: 'voicemail-m-b', queue: 'service', channel: Channel.WORKITEM };
    const agent = { agentId: 'a-5', site: 'bj' };
    const all = [
      ...events,
      ivrEvent('queueChoiceMade', TENANT, 'bj', 'call-b', t(30), { queue: 'service', contactId: 'call-b', choice: QueueChoice.VOICEMAIL }),
      acdEvent('contactAbandoned', contact, t(30.1), { reason: CancelReason.WITHDRAWN, waitedMs: 18_100n }),
      messageLeftEvent(TENANT, 'bj', 'call-b', t(60), 'm-b', 'service', 'call-b'),
      callEvent('hungUp', TENANT, 'bj', 'call-b', t(62), { cause: 16 }),
      acdEvent('contactQueued', workItem, t(60.5), { position: 1 }),
      acdEvent('contactOffered', workItem, t(70), { agent, attempt: 1, deadline: timestampFromMs(t(85)) }),
      acdEvent('contactAccepted', workItem, t(71), { agent, attempt: 1, waitedMs: 10_500n }),
      acdEvent('contactCompleted', workItem, t(131), { agent }),
    ];
    await source.publishAll([...all].reverse(), 3);
    await until('both contacts are projected', async () => (await drained()) && (await database.count(`SELECT count(*) FROM contact WHERE contact_id IN ('call-b', 'voicemail-m-b') AND queued_at IS NOT NULL`)) === 2);
    await until('every event is stored', async () => (await database.count(`SELECT count(*) FROM event WHERE contact_id IN ('call-b', 'voicemail-m-b')`)) === all.length);

    expect(await record('call-b')).toEqual([
      expect.objectContaining({
        outcome: 'withdrawn',
        queue_choice: 'voicemail',
        queue_choice_at: new Date(t(30)),
        withdrawn_at: new Date(t(30.1)),
        abandoned_at: null,
        wait_seconds: expect.closeTo(18.1, 9),
        voicemail_message_id: 'm-b',
        voicemail_left_at: new Date(t(60)),
        ended_at: new Date(t(62)),
        agent_id: null,
      }),
    ]);
    expect(await record('voicemail-m-b')).toEqual([
      expect.objectContaining({ channel: 'workitem', queue: 'service', outcome: 'answered', agent_id: 'a-5', wait_seconds: 10.5, talk_seconds: 60, wrap_up_seconds: 0, handle_seconds: 60 }),
    ]);
    // Withdrawn is offered, not abandoned; the work item counts in its own channel's row.
    const { rows } = await database.pool.query(`SELECT channel, offered, answered, abandoned FROM queue_interval WHERE queue = 'service' AND granularity = '1d' AND interval_start = $1 ORDER BY channel`, [new Date(Date.UTC(2026, 10, 23))]);
    expect(rows).toEqual(expect.arrayContaining([{ channel: 'workitem', offered: 1, answered: 1, abandoned: 0 }]));
  });

  it('projects releases and agents’ state changes stored by several writers at once as if one after the other', async () => {
    // Three agents, five calls each, one after the other; each wrap-up ends 5 to 25 s into the 30 s due.
    const t = (seconds: number) => at(3000 + seconds);
    const events: ScriptedEvent[] = [];
    const expected = new Map<string, number>();
    for (const [a, agentId] of ['g-1', 'g-2', 'g-3'].entries()) {
      const agent = { id: agentId, site: 'sz' };
      for (let k = 0; k < 5; k++) {
        const contact: AcdContact = { tenant: TENANT, site: 'bj', contactId: `burst-${a}-${k}`, queue: 'service' };
        const start = k * 100;
        const wrapUpSeconds = 5 + ((a * 5 + k) % 5) * 5;
        expected.set(contact.contactId, wrapUpSeconds);
        events.push(
          acdEvent('contactQueued', contact, t(start)),
          acdEvent('contactAccepted', contact, t(start + 5), { agent: { agentId, site: 'sz' }, attempt: 1 }),
          agentStateEvent(TENANT, agent, t(start + 5), AgentState.BUSY, AgentState.READY),
          acdEvent('contactCompleted', contact, t(start + 50), { agent: { agentId, site: 'sz' }, wrapUpEndsAt: timestampFromMs(t(start + 80)) }),
          agentStateEvent(TENANT, agent, t(start + 50), AgentState.WRAP_UP, AgentState.BUSY),
          agentStateEvent(TENANT, agent, t(start + 50 + wrapUpSeconds), AgentState.READY, AgentState.WRAP_UP),
        );
      }
    }
    const store = app.get(EventStore);
    const reported = events.map(({ definition, message }) => reportedEventOf(definition, message as never, { subject: '', tenant: TENANT, eventId: '', deliveryCount: 1, streamSequence: 0 }, acdEventAbout(definition.name, message as object)));
    // Every event at once, in an order of its own, each one twice.
    await Promise.all([...shuffled(reported, 17), ...shuffled(reported, 19)].map((event) => store.record(event)));

    const { rows } = await database.pool.query<{ contact_id: string; wrap_up_seconds: number }>(`SELECT contact_id, wrap_up_seconds FROM contact WHERE contact_id LIKE 'burst-%' ORDER BY contact_id`);
    expect(Object.fromEntries(rows.map((row) => [row.contact_id, row.wrap_up_seconds]))).toEqual(Object.fromEntries(expected));
  });

  it('keeps, undecoded, an acd event newer than its contracts', async () => {
    const headers = headersWithTrace();
    headers.set(MESSAGE_TYPE_HEADER, 'lianluo.acd.v1.ContactTeleported');
    await source.connection.js.publish(subjectOf(namespace, TENANT, 'acd', 'event', 'contact_teleported'), new Uint8Array([1, 2, 3]), { msgID: 'teleported-acd-1', headers });
    await until('every delivery is acknowledged', drained);

    const { rows } = await database.pool.query(`SELECT domain, name, type_name, payload FROM event WHERE event_id = 'teleported-acd-1'`);
    expect(rows).toEqual([{ domain: 'acd', name: 'contact_teleported', type_name: 'lianluo.acd.v1.ContactTeleported', payload: { undecodedBase64: 'AQID' } }]);
  });

  it('dead-letters a malformed acd event and counts it', async () => {
    const before = (await source.connection.jsm.streams.info(streamNameOf(namespace, 'deadletter'))).state.messages;
    await source.connection.js.publish(subjectOf(namespace, TENANT, 'acd', 'event', AcdEvents.contactQueued.name), new Uint8Array([0xff, 0xff, 0xff]), { msgID: 'garbage-acd-1' });
    await until('every delivery is acknowledged', drained);

    const deadLetters = await source.connection.jsm.streams.info(streamNameOf(namespace, 'deadletter'));
    expect(deadLetters.state.messages).toBe(before + 1);
    const letter = await source.connection.jsm.streams.getMessage(streamNameOf(namespace, 'deadletter'), { seq: deadLetters.state.last_seq });
    expect(letter.header.get('Lianluo-Consumer')).toBe('reporting-acd');
    const metrics = await (await fetch(`${await app.getUrl()}/metrics`)).text();
    expect(metrics).toMatch(/lianluo_messages_dead_lettered_total\{[^}]*consumer="reporting-acd"[^}]*\} 1/);
    expect(await database.count(`SELECT count(*) FROM event WHERE event_id = 'garbage-acd-1'`)).toBe(0);
  });
});
