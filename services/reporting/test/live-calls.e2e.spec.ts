// Reporting beside the whole live path (services/ivr/test/ivr-stack.ts): real Asterisk at both
// sites, both media gateways, acd, voicemail and ivr on one NATS namespace, SIPp callers and
// agent phones. A reporting replica (its own process and database) consumes every stream;
// the contact records and agent intervals it keeps must say what the services' events said.
// Times are compared with the events' own times, never with the wall clock.
import 'reflect-metadata';
import { type Timestamp, timestampMs } from '@bufbuild/protobuf/wkt';
import { AcdCommands, AgentState, CallCommands, type CallRef, Channel, Strategy } from '@lianluo/contracts';
import { type ServiceProcess, type SippRun, fetchAsApi, runSipp, shippedDtmfPcap, startSipp, until } from '@lianluo/testing';
import { IvrStack, type PhoneSpec, type RecordedEvent } from '../../ivr/test/ivr-stack';
import { AGENT_STATE_NAMES } from '../src/acd/acd-event-facts';
import { TestDatabase, consumersDrained, reportingEnv, reportingProcess } from './reporting-harness';

jest.setTimeout(180_000);

const HOTLINE_FLOW = `
tenant: demo
numbers: ["400"]
start: main_menu
steps:
  main_menu:
    type: menu
    play: [sound:beep]
    options: { "1": hotline }
    timeout_ms: 6000
    on_failure: goodbye
  hotline: { type: queue, queue: hotline, announce_every_ms: 60000 }
  goodbye: { type: hang_up }
`;

const OVERFLOW_FLOW = `
tenant: demo
numbers: ["300"]
start: waiting
steps:
  waiting: { type: queue, queue: overflowq, announce_every_ms: 60000 }
`;

/** b1 at bj, s1 at sz: bj's callers reach s1 over the inter-site trunk. */
const AGENTS: readonly (PhoneSpec & { id: string })[] = [
  { id: 'b1', site: 'bj', extension: '1101' },
  { id: 's1', site: 'sz', extension: '2101' },
];

interface AcdMessage {
  occurredAt: Timestamp;
  contact?: { contactId: string; queue: string; channel: Channel };
  agent?: { agentId: string; site: string };
  state?: AgentState;
  previousState?: AgentState;
  wrapUpEndsAt?: Timestamp;
}

const ms = (timestamp: Timestamp | undefined) => (timestamp ? timestampMs(timestamp) : NaN);
const date = (timestamp: Timestamp | undefined) => new Date(ms(timestamp));
describe('reporting on live calls through ivr, acd and voicemail', () => {
  let stack: IvrStack;
  let database: TestDatabase;
  let reporting: ServiceProcess;
  const phones = new Map<string, SippRun>();
  const calls: { answered?: CallRef; ringNoAnswer?: CallRef; overflowed?: CallRef } = {};

  beforeAll(async () => {
    [stack, database] = await Promise.all([IvrStack.start({ 'hotline.yaml': HOTLINE_FLOW, 'overflow.yaml': OVERFLOW_FLOW }, AGENTS), TestDatabase.create()]);
    reporting = reportingProcess(await reportingEnv(stack.namespace, database));
    await reporting.start();
    const acd = stack.acd;
    await acd.ok(AcdCommands.upsertQueue, { queue: { queue: 'hotline', strategy: Strategy.LONGEST_IDLE, offerTimeoutMs: 4_000, wrapUpMs: 2_000 } });
    await acd.ok(AcdCommands.upsertQueue, {
      queue: { queue: 'overflowq', strategy: Strategy.LONGEST_IDLE, overflow: { afterMs: 2_000, target: { case: 'voicemailMailbox', value: 'overflowq' } } },
    });
    // Ready one after the other: b1 has been idle longest.
    await stack.readyAgents(AGENTS, ['hotline'], (agent) => answering(agent.extension));

    // 1. Key 1 in the menu; b1, idle longest, answers; 2 s of wrap-up.
    calls.answered = await callHotline('13900000001');
    await leftWrapUp('b1', calls.answered);
    // 2. s1 (idle longest now) lets it ring: ring-no-answer, then b1 answers.
    await answering('2101', 'uas-agent-no-answer.xml');
    calls.ringNoAnswer = await callHotline('13900000002');
    await leftWrapUp('b1', calls.ringNoAnswer);
    // 3. Nobody serves overflowq: past 2 s the call overflows to voicemail and leaves a message (speech, then #).
    calls.overflowed = await overflowToVoicemail('13900000003');

    // Reporting has stored every event the services published about them.
    const published = publishedEventIds();
    await until(
      'reporting has stored every published event',
      async () => (await consumersDrained(stack.observer.connection)) && (await database.count(`SELECT count(*) FROM event WHERE event_id = ANY($1)`, [published])) === published.length,
      60_000,
    );
  });

  afterAll(async () => {
    for (const phone of phones.values()) phone.stop();
    await reporting?.stop();
    await stack?.close();
    await database?.drop();
  });

  /** The agent's phone answers every call and hangs up a second after answering. */
  async function answering(extension: string, scenario = 'uas-agent.xml'): Promise<void> {
    phones.get(extension)?.stop();
    await phones.get(extension)?.done;
    phones.set(extension, await startSipp({ scenario, localPort: stack.phonePorts[extension], calls: 10, values: { answer_after_ms: 200, hangup_after_ms: 1_000 }, timeoutMs: 170_000 }));
  }

  /** A caller at bj dials the hotline and keys 1; resolves once an agent has talked to them and hung up. */
  async function callHotline(caller: string): Promise<CallRef> {
    const started = stack.observer.nextCall();
    const sipp = runSipp({ scenario: 'uac-speaker.xml', target: stack.sites.bj.sipTarget, service: '400', caller, keys: { dtmf_pcap: shippedDtmfPcap('1') }, values: { digits_after_ms: 1_500 }, timeoutMs: 60_000 });
    const call = await started;
    const completed = stack.acdEvents.next('contact_completed', ofContact(call.callId), 60_000);
    const result = await sipp;
    expect({ exitCode: result.exitCode, errors: result.errors }).toEqual({ exitCode: 0, errors: '' });
    await completed;
    return call;
  }

  /** Waits for the agent to leave the wrap-up that releasing `call` started. */
  async function leftWrapUp(agentId: string, call: CallRef): Promise<void> {
    const released = acdOf(call.callId).find((e) => e.name === 'contact_completed') as RecordedEvent;
    await stack.acdEvents.next('agent_state_changed', (m) => {
      const change = m as AcdMessage;
      return change.agent?.agentId === agentId && change.previousState === AgentState.WRAP_UP && ms(change.occurredAt) >= ms((released.message as unknown as AcdMessage).occurredAt);
    });
  }

  async function overflowToVoicemail(caller: string): Promise<CallRef> {
    const started = stack.observer.nextCall();
    const sipp = runSipp({ scenario: 'uac-speaker.xml', target: stack.sites.bj.sipTarget, service: '300', caller, keys: { dtmf_pcap: shippedDtmfPcap('#') }, values: { digits_after_ms: 8_000 }, timeoutMs: 90_000 });
    const call = await started;
    const left = await stack.voicemailEvents.next<{ messageId: string }>('message_left', (m) => (m as { call?: CallRef }).call?.callId === call.callId, 60_000);
    await stack.acdEvents.next('contact_queued', ofContact(`voicemail-${left.messageId}`));
    await stack.observer.control.send(CallCommands.hangUp, call);
    await sipp;
    await stack.observer.recorder.next('hungup', call.callId);
    return call;
  }

  const ofContact = (contactId: string) => (message: object) => (message as AcdMessage).contact?.contactId === contactId;
  const acdOf = (contactId: string) => stack.acdEvents.events.filter((e) => ofContact(contactId)(e.message));
  const ivrOf = (callId: string) => stack.ivrEvents.events.filter((e) => (e.message as { call?: CallRef }).call?.callId === callId);
  const callEventOf = (callId: string, name: string) => stack.observer.recorder.of(callId).find((e) => e.name === name)?.message as { occurredAt?: Timestamp } | undefined;
  const one = (events: RecordedEvent[], name: string) => {
    const found = events.filter((e) => e.name === name);
    expect({ name, count: found.length }).toEqual({ name, count: 1 });
    return found[0]?.message as unknown as AcdMessage;
  };

  function publishedEventIds(): string[] {
    const ids = [...stack.acdEvents.events, ...stack.ivrEvents.events, ...stack.voicemailEvents.events].map((e) => String(e.message.eventId));
    return [...ids, ...stack.observer.recorder.events.map((e) => String((e.message as { eventId?: string }).eventId))];
  }

  async function contactRow(contactId: string): Promise<Record<string, unknown>> {
    const { rows } = await database.pool.query('SELECT * FROM contact WHERE contact_id = $1', [contactId]);
    expect({ contactId, rows: rows.length }).toEqual({ contactId, rows: 1 });
    return rows[0] as Record<string, unknown>;
  }

  /** What acd, ivr and the media gateway said about a call answered by an agent, and the record it must make. */
  function expectedAnsweredRecord(call: CallRef) {
    const acd = acdOf(call.callId);
    const offers = acd.filter((e) => e.name === 'contact_offered').map((e) => e.message as unknown as AcdMessage);
    const accepted = one(acd, 'contact_accepted');
    const completed = one(acd, 'contact_completed');
    const wrapUpEnd = stack.acdEvents.events
      .map((e) => e.message as unknown as AcdMessage)
      .find((m) => m.agent?.agentId === accepted.agent?.agentId && m.previousState === AgentState.WRAP_UP && ms(m.occurredAt) >= ms(completed.occurredAt));
    const ivr = ivrOf(call.callId);
    const flowEnded = ivr.find((e) => e.name === 'flow_ended')?.message as unknown as { occurredAt: Timestamp; flow: string };
    return {
      record: {
        channel: 'voice',
        site: 'bj',
        started_at: date(callEventOf(call.callId, 'started')?.occurredAt),
        answered_at: date(callEventOf(call.callId, 'answered')?.occurredAt),
        ivr_flow: flowEnded.flow,
        ivr_outcome: 'queued',
        ivr_ended_at: date(flowEnded.occurredAt),
        ivr_menu_path: ivr.filter((e) => e.name === 'menu_chosen').map((e) => `${String(e.message.step)}:${String(e.message.key)}`).join(' '),
        queue: 'hotline',
        queued_at: date(one(acd, 'contact_queued').occurredAt),
        offered_at: date(offers[0]?.occurredAt),
        offers: offers.length,
        ring_no_answers: acd.filter((e) => e.name === 'contact_ring_no_answer').length,
        agent_id: accepted.agent?.agentId,
        agent_site: accepted.agent?.site,
        released_at: date(completed.occurredAt),
        wrap_up_ended_at: date(wrapUpEnd?.occurredAt),
        ended_at: date(callEventOf(call.callId, 'hungup')?.occurredAt),
        outcome: 'answered',
      },
      acceptedAtMs: ms(accepted.occurredAt),
      wrapUpDueMs: ms(completed.wrapUpEndsAt),
      offeredTo: offers.map((offer) => offer.agent?.agentId),
    };
  }

  it.each([
    ['answered at once', 'answered', ['b1']],
    ['answered after ring-no-answer', 'ringNoAnswer', ['s1', 'b1']],
  ] as const)('keeps a call %s as one record with its IVR phase, queue wait, agent, talk and wrap-up', async (_what, which, offeredTo) => {
    const call = calls[which] as CallRef;
    const expected = expectedAnsweredRecord(call);
    expect(expected.offeredTo).toEqual(offeredTo);
    const row = await contactRow(call.callId);
    expect(row).toMatchObject({ ...expected.record, ivr_menu_path: 'main_menu:1', offers: offeredTo.length, ring_no_answers: offeredTo.length - 1, agent_id: 'b1', agent_site: 'bj' });
    // The agent took the call when its leg answered, by the time acd accepted it.
    const agentAnsweredAt = (row.agent_answered_at as Date).getTime();
    expect(agentAnsweredAt).toBeGreaterThanOrEqual((row.offered_at as Date).getTime());
    expect(agentAnsweredAt).toBeLessThanOrEqual(expected.acceptedAtMs);
    const seconds = (from: unknown, to: unknown) => ((to as Date).getTime() - (from as Date).getTime()) / 1000;
    const talkEnd = Math.min((row.ended_at as Date).getTime(), (row.released_at as Date).getTime());
    expect(row).toMatchObject({
      wait_seconds: expect.closeTo(seconds(row.queued_at, row.agent_answered_at), 9),
      talk_seconds: expect.closeTo((talkEnd - agentAnsweredAt) / 1000, 9),
      wrap_up_seconds: expect.closeTo(seconds(row.released_at, row.wrap_up_ended_at), 9),
      handle_seconds: expect.closeTo(((row.wrap_up_ended_at as Date).getTime() - agentAnsweredAt) / 1000, 9),
    });
    // acd's timer ends the wrap-up once it is due, not before.
    expect((row.wrap_up_ended_at as Date).getTime()).toBeGreaterThanOrEqual(expected.wrapUpDueMs);
  });

  it('keeps each agent’s intervals as the chain of its state changes acd published', async () => {
    for (const agent of AGENTS) {
      const changes = stack.acdEvents.events
        .filter((e) => e.name === 'agent_state_changed' && (e.message as unknown as AcdMessage).agent?.agentId === agent.id)
        .map((e) => e.message as unknown as AcdMessage & { eventId: string })
        .sort((a, b) => ms(a.occurredAt) - ms(b.occurredAt) || (a.eventId < b.eventId ? -1 : 1));
      const { rows } = await database.pool.query('SELECT state, site, started_at, ended_at FROM agent_state_interval WHERE agent_id = $1 ORDER BY started_at, event_id', [agent.id]);
      expect(rows).toEqual(
        changes.map((change, i) => ({
          state: AGENT_STATE_NAMES[change.state as AgentState],
          site: agent.site,
          started_at: date(change.occurredAt),
          ended_at: i + 1 < changes.length ? date(changes[i + 1]?.occurredAt) : null,
        })),
      );
    }
    // s1 did not answer: acd made it not ready.
    expect(stack.acdEvents.events.some((e) => e.name === 'agent_state_changed' && (e.message as unknown as AcdMessage).agent?.agentId === 's1' && e.message.reasonCode === 'ring-no-answer')).toBe(true);
  });

  it('reports b1’s wrap-up time as the wrap-ups of the calls it took, and both calls answered in the hotline', async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const states = (await (await fetchAsApi('reporting', `${reporting.url}/reports/agent-states?tenant=demo&from=${from}&to=${to}&agent=b1`)).json()) as { items: { wrapUpSeconds: number }[] };
    const { rows } = await database.pool.query<{ wrap_up: number }>(`SELECT sum(wrap_up_seconds)::float8 AS wrap_up FROM contact WHERE agent_id = 'b1'`);
    expect(states.items[0]?.wrapUpSeconds).toBeCloseTo(rows[0]?.wrap_up as number, 6);
    const performance = (await (await fetchAsApi('reporting', `${reporting.url}/reports/performance?tenant=demo&from=${from}&to=${to}&queue=hotline&groupBy=agent`)).json()) as { items: unknown[] };
    expect(performance.items).toEqual([expect.objectContaining({ agent: 'b1', offered: 2, answered: 2, abandoned: 0 })]);
  });

  it('keeps an overflowed call with the message it left, and the message as a work item of its own', async () => {
    const call = calls.overflowed as CallRef;
    const acd = acdOf(call.callId);
    const left = stack.voicemailEvents.events.find((e) => e.name === 'message_left' && (e.message as { call?: CallRef }).call?.callId === call.callId)?.message as unknown as {
      occurredAt: Timestamp;
      messageId: string;
    };
    expect(await contactRow(call.callId)).toMatchObject({
      queue: 'overflowq',
      ivr_outcome: 'queued',
      queued_at: date(one(acd, 'contact_queued').occurredAt),
      overflowed_at: date(one(acd, 'contact_overflowed').occurredAt),
      outcome: 'overflowed',
      voicemail_message_id: left.messageId,
      voicemail_left_at: date(left.occurredAt),
      ended_at: date(callEventOf(call.callId, 'hungup')?.occurredAt),
    });
    const workItem = `voicemail-${left.messageId}`;
    expect(await contactRow(workItem)).toMatchObject({
      channel: 'workitem',
      queue: 'overflowq',
      queued_at: date(one(acdOf(workItem), 'contact_queued').occurredAt),
      outcome: 'waiting',
    });
  });
});
