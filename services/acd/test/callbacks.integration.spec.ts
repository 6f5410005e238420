// Callbacks against a real replica, NATS, Redis and PostgreSQL, with the routing clock in
// the test's hands and a stand-in media gateway: requested over NATS and HTTP, queued
// with the customer's place, dialled (customer, then agent, then bridge), retried on the
// schedule, and queued once whatever number of replicas run the scheduler.
import { create } from '@bufbuild/protobuf';
import { timestampFromMs, timestampMs, timestampNow } from '@bufbuild/protobuf/wkt';
import {
  AcdCommands,
  AgentKind,
  AgentState,
  type AgentStateChanged,
  type CallbackAttempted,
  type CallbackCancelled,
  type CallbackCompleted,
  type CallbackFailed,
  CallbackOrigin,
  CallbackOutcome,
  CallbackStatus,
  CallEvents,
  CancelReason,
  Channel,
  type ContactAccepted,
  type ContactQueued,
  ContactState,
  ErrorKind,
} from '@lianluo/contracts';
import { EventPublisher, MessagingConnection } from '@lianluo/messaging';
import { fetchAsApi, probeServiceIdentity } from '@lianluo/testing';
import { AckPolicy } from 'nats';
import { callbackCallId } from '../src/callbacks/callback';
import { RoutingTimers } from '../src/timers/routing-timers';
import { VoiceHandlers } from '../src/voice/voice.handlers';
import { type AcdTestBed, openAcdTestBed } from './acd-harness';
import { FakeGateway } from './fake-gateway';

const MINUTE = 60_000;
const REQUEUE_MS = 5_000;

describe('callbacks', () => {
  let bed: AcdTestBed;
  let timers: RoutingTimers;
  let gateway: FakeGateway;
  let gatewayConnection: MessagingConnection;
  let n = 0;

  beforeAll(async () => {
    bed = await openAcdTestBed('acme', { ACD_CALLBACK_RETRY_DELAYS_S: '120,600', ACD_CALLBACK_MAX_ATTEMPTS: '3', ACD_CALLBACK_REQUEUE_MS: String(REQUEUE_MS) });
    timers = bed.app.get(RoutingTimers);
    gatewayConnection = await MessagingConnection.connect({ servers: 'nats://127.0.0.1:4222', namespace: bed.namespace, connectionName: 'fake-gateway', queueGroup: 'fake-gateway' });
    gateway = new FakeGateway(gatewayConnection);
  }, 30_000);

  afterAll(async () => {
    await gateway.stop();
    await bed.close();
    await gatewayConnection.close();
  });

  /** A queue of this test's own (wrap-up 10 s, so a wrap-up would show). */
  async function queue(): Promise<string> {
    const name = `cbq${++n}`;
    await bed.client.ok(AcdCommands.upsertQueue, { queue: { queue: name, wrapUpMs: 10_000 } });
    return name;
  }

  /** A ready agent of `queueName` at site `site` who takes callbacks on extension `extension`. */
  async function agent(queueName: string, extension: string, site = 'sz'): Promise<string> {
    const agentId = `${queueName}-agent-${extension}`;
    await bed.client.ok(AcdCommands.upsertAgent, {
      agent: { agentId, site, kind: AgentKind.AGENT, phone: { case: 'extension', value: extension }, capacity: { voice: 1, callback: 1 }, queues: [queueName] },
    });
    await bed.client.ok(AcdCommands.loginAgent, { agentId });
    await bed.client.ok(AcdCommands.setAgentReady, { agentId });
    await bed.recorder.next('agent_state_changed', { agentId, where: (m: AgentStateChanged) => m.state === AgentState.READY });
    return agentId;
  }

  const requestCallback = (callback: Record<string, unknown>) => bed.client.send(AcdCommands.requestCallback, { callback });
  const callbackEvent = <M extends { callback?: { callbackId: string } }>(name: string, callbackId: string, where: (m: M) => boolean = () => true) =>
    bed.recorder.next<M>(name, { where: (m) => m.callback?.callbackId === callbackId && where(m) });
  const errorOf = (outcome: { ok: boolean; error?: { kind: ErrorKind; field: string } }) => (outcome.ok ? 'ok' : `${ErrorKind[outcome.error!.kind]} ${outcome.error!.field}`);

  it('keeps the place of a caller who waited three minutes ahead of one who waited one', async () => {
    const q = await queue();
    const now = bed.clock.now();
    await bed.client.ok(AcdCommands.enqueueContact, { contact: { contactId: `${q}-call`, queue: q, channel: Channel.VOICE, waitingSince: timestampFromMs(now - MINUTE) } });

    const requested = await bed.client.ok(AcdCommands.requestCallback, {
      callback: { callbackId: `${q}-ivr`, queue: q, number: '+8613800138000', site: 'bj', waitingSince: timestampFromMs(now - 3 * MINUTE), origin: CallbackOrigin.IVR },
    });
    expect(requested.duplicate).toBe(false);
    expect(requested.callback).toMatchObject({ status: CallbackStatus.QUEUED, contactId: `${q}-ivr@1`, attempts: 0, maxAttempts: 3, origin: CallbackOrigin.IVR });
    expect(timestampMs(requested.callback!.waitingSince!)).toBe(now - 3 * MINUTE);

    const queued = await bed.recorder.next<ContactQueued>('contact_queued', { contactId: `${q}-ivr@1` });
    expect(queued.contact).toMatchObject({ channel: Channel.CALLBACK, queue: q, site: 'bj' });
    expect(await bed.client.ok(AcdCommands.getContactPosition, { contactId: `${q}-ivr@1` })).toMatchObject({ state: ContactState.WAITING, position: 1, waiting: 2 });
    expect(await bed.client.ok(AcdCommands.getContactPosition, { contactId: `${q}-call` })).toMatchObject({ position: 2 });
    await callbackEvent('callback_requested', `${q}-ivr`);

    // Withdrawn by its owner: the contact leaves the queue with it.
    expect((await bed.client.ok(AcdCommands.cancelCallback, { callbackId: `${q}-ivr` })).callback?.status).toBe(CallbackStatus.CANCELLED);
    expect(await callbackEvent<CallbackCancelled>('callback_cancelled', `${q}-ivr`)).toMatchObject({ previousStatus: CallbackStatus.QUEUED, reasonCode: 'withdrawn' });
    await bed.recorder.next('contact_abandoned', { contactId: `${q}-ivr@1` });
    expect((await bed.client.ok(AcdCommands.cancelCallback, { callbackId: `${q}-ivr` })).duplicate).toBe(true);
    await bed.client.ok(AcdCommands.cancelContact, { contactId: `${q}-call`, reason: CancelReason.ABANDONED });
  });

  it('refuses a waiting time in the future, naming the field', async () => {
    const q = await queue();
    const ahead = timestampFromMs(bed.clock.now() + MINUTE);
    expect(errorOf(await bed.client.send(AcdCommands.enqueueContact, { contact: { contactId: `${q}-c`, queue: q, channel: Channel.VOICE, waitingSince: ahead } }))).toBe(
      'INVALID_ARGUMENT contact.waiting_since',
    );
    expect(errorOf(await requestCallback({ callbackId: `${q}-cb`, queue: q, number: '4008001234', waitingSince: ahead }))).toBe('INVALID_ARGUMENT callback.waiting_since');
    expect(errorOf(await requestCallback({ callbackId: `${q}-cb`, queue: 'nope', number: '4008001234' }))).toBe('NOT_FOUND callback.queue');
    expect(errorOf(await requestCallback({ callbackId: `${q}-cb`, queue: q, number: 'call me' }))).toBe('INVALID_ARGUMENT callback.number');
    expect(errorOf(await bed.client.send(AcdCommands.cancelCallback, { callbackId: 'never' }))).toBe('NOT_FOUND callback_id');
  });

  it('says duplicate to a repeated request and changes nothing', async () => {
    const q = await queue();
    const request = { callbackId: `${q}-cb`, queue: q, number: '4008001234' };
    const first = await bed.client.ok(AcdCommands.requestCallback, { callback: request });
    const again = await bed.client.ok(AcdCommands.requestCallback, { callback: { ...request, number: '4008009999', priority: 50 } });
    expect(again).toMatchObject({ duplicate: true, callback: { number: '4008001234', priority: 0, contactId: `${q}-cb@1` } });
    expect(again.callback).toEqual(first.callback);
    await callbackEvent('callback_requested', `${q}-cb`);
    expect(bed.recorder.events.filter((e) => e.name === 'contact_queued' && e.message.contact?.contactId === `${q}-cb@1`)).toHaveLength(1);
    await bed.client.ok(AcdCommands.cancelCallback, { callbackId: `${q}-cb` });
  });

  it('waits for an appointment and queues the callback once the clock passes it', async () => {
    const q = await queue();
    const appointment = bed.clock.now() + 10 * MINUTE;
    const requested = await bed.client.ok(AcdCommands.requestCallback, { callback: { callbackId: `${q}-cb`, queue: q, number: '4008001234', appointment: timestampFromMs(appointment) } });
    expect(requested.callback).toMatchObject({ status: CallbackStatus.SCHEDULED, contactId: '' });
    expect(timestampMs(requested.callback!.notBefore!)).toBe(appointment);

    bed.clock.advance(10 * MINUTE - 1);
    expect((await timers.tick()).callbacksQueued).toBe(0);
    expect(errorOf(await bed.client.send(AcdCommands.getContactPosition, { contactId: `${q}-cb@1` }))).toBe('NOT_FOUND contact_id');
    bed.clock.advance(1);
    expect((await timers.tick()).callbacksQueued).toBe(1);
    const queued = await bed.recorder.next<ContactQueued>('contact_queued', { contactId: `${q}-cb@1` });
    expect(timestampMs(queued.occurredAt!)).toBe(appointment);
    await bed.client.ok(AcdCommands.cancelCallback, { callbackId: `${q}-cb` });
  });

  it("dials the customer from the callback's site, then the agent, bridges them, and releases the agent when the call ends", async () => {
    const q = await queue();
    const agentId = await agent(q, '3001', 'sz');
    const callbackId = `${q}-cb`;
    await bed.client.ok(AcdCommands.requestCallback, { callback: { callbackId, queue: q, number: '+8613800138001', site: 'bj', customerId: 'cust-7', data: { reason: 'invoice' } } });

    const completed = await callbackEvent<CallbackCompleted>('callback_completed', callbackId);
    const call = { tenant: 'acme', site: 'bj', callId: callbackCallId('acme', callbackId, 1) };
    expect(completed).toMatchObject({ attempt: 1, contactId: `${callbackId}@1`, agent: { agentId, site: 'sz' }, call: expect.objectContaining(call) });
    expect(gateway.placed.find((p) => p.call?.callId === call.callId)).toMatchObject({
      call: expect.objectContaining(call),
      destination: { target: { case: 'pstnNumber', value: '+8613800138001' } },
      timeoutMs: 30_000,
    });
    expect(gateway.originated.find((o) => o.call?.callId === call.callId)).toMatchObject({ destination: { target: { case: 'agent', value: expect.objectContaining({ site: 'sz', extension: '3001' }) } } });
    expect(gateway.bridged.find((b) => b.call?.callId === call.callId)).toMatchObject({ endTogether: true });
    expect(await callbackEvent<CallbackAttempted>('callback_attempted', callbackId)).toMatchObject({ outcome: CallbackOutcome.ANSWERED, counted: true, countedAttempts: 1 });
    await bed.recorder.next('contact_accepted', { contactId: `${callbackId}@1`, agentId });

    // The customer hangs up: the agent wraps up, as after any call.
    const hungUp = create(CallEvents.hungUp.schema, { eventId: `${call.callId}:hungup`, call, occurredAt: timestampNow(), cause: 16 });
    await new EventPublisher(gatewayConnection).publish(CallEvents.hungUp, hungUp);
    await bed.recorder.next('contact_completed', { contactId: `${callbackId}@1`, agentId });
    await bed.recorder.next('agent_state_changed', { agentId, where: (m: AgentStateChanged) => m.state === AgentState.WRAP_UP });
    const status = await bed.client.send(AcdCommands.cancelCallback, { callbackId });
    expect(errorOf(status)).toBe('FAILED_PRECONDITION callback_id');
  });

  it('frees the agent without blame when the customer does not answer, tries again on the schedule from the same place, and fails after the last attempt', async () => {
    const q = await queue();
    const agentId = await agent(q, '3002', 'bj');
    const callbackId = `${q}-cb`;
    const number = '4008000002';
    gateway.answers.set(number, 'no-answer');
    const waitingSince = bed.clock.now() - 3 * MINUTE;
    await bed.client.ok(AcdCommands.requestCallback, { callback: { callbackId, queue: q, number, waitingSince: timestampFromMs(waitingSince), maxAttempts: 2 } });

    const first = await callbackEvent<CallbackAttempted>('callback_attempted', callbackId, (m) => m.attempt === 1);
    expect(first).toMatchObject({ outcome: CallbackOutcome.NO_ANSWER, counted: true, countedAttempts: 1, contactId: `${callbackId}@1`, agent: { agentId } });
    expect(timestampMs(first.nextAttemptAt!)).toBe(bed.clock.now() + 2 * MINUTE);
    // Its own site dials when the callback names none: the agent's.
    expect(gateway.placed.find((p) => p.destination?.target.value === number)?.call?.site).toBe('bj');
    // Ready again at once: neither paused nor wrapping up (the states after its login and ready).
    const states = () => bed.recorder.events.filter((e) => e.name === 'agent_state_changed' && e.message.agent?.agentId === agentId).map((e) => e.message as AgentStateChanged);
    const readyAgain = (times: number) => (m: AgentStateChanged) =>
      m.state === AgentState.READY && states().filter((s) => s.state === AgentState.READY && s.previousState === AgentState.BUSY).length >= times;
    await bed.recorder.next('agent_state_changed', { agentId, where: readyAgain(1) });
    expect(states().slice(2).map((s) => s.state)).toEqual([AgentState.RESERVED, AgentState.BUSY, AgentState.READY]);

    bed.clock.advance(2 * MINUTE - 1);
    expect((await timers.tick()).callbacksQueued).toBe(0);
    bed.clock.advance(1);
    expect((await timers.tick()).callbacksQueued).toBe(1);
    // The second attempt waited from the customer's first wait, not from its requeue.
    const accepted = await bed.recorder.next<ContactAccepted>('contact_accepted', { contactId: `${callbackId}@2`, agentId });
    expect(Number(accepted.waitedMs)).toBe(bed.clock.now() - waitingSince);

    const second = await callbackEvent<CallbackAttempted>('callback_attempted', callbackId, (m) => m.attempt === 2);
    expect(second).toMatchObject({ outcome: CallbackOutcome.NO_ANSWER, countedAttempts: 2 });
    expect(second.nextAttemptAt).toBeUndefined();
    expect(await callbackEvent<CallbackFailed>('callback_failed', callbackId)).toMatchObject({ reasonCode: 'attempts-exhausted', countedAttempts: 2, lastOutcome: CallbackOutcome.NO_ANSWER });
    await bed.recorder.next('agent_state_changed', { agentId, where: readyAgain(2) });
    expect(states().slice(2).map((s) => s.state)).toEqual([AgentState.RESERVED, AgentState.BUSY, AgentState.READY, AgentState.RESERVED, AgentState.BUSY, AgentState.READY]);
  });

  it("pauses an agent whose phone does not answer the customer's call, hangs the customer up, and tries again soon without counting it", async () => {
    const q = await queue();
    gateway.answers.set('3003', 'no-answer');
    const absent = await agent(q, '3003', 'bj');
    const callbackId = `${q}-cb`;
    await bed.client.ok(AcdCommands.requestCallback, { callback: { callbackId, queue: q, number: '4008000003', site: 'bj' } });

    const attempted = await callbackEvent<CallbackAttempted>('callback_attempted', callbackId, (m) => m.attempt === 1);
    expect(attempted).toMatchObject({ outcome: CallbackOutcome.AGENT_UNREACHABLE, counted: false, countedAttempts: 0 });
    expect(timestampMs(attempted.nextAttemptAt!)).toBe(bed.clock.now() + REQUEUE_MS);
    await bed.recorder.next('agent_state_changed', { agentId: absent, where: (m: AgentStateChanged) => m.state === AgentState.NOT_READY && m.reasonCode === 'ring-no-answer' });
    await bed.app.get(VoiceHandlers).idle();
    expect(gateway.hungUpCalls.map((h) => h.call?.callId)).toContain(callbackCallId('acme', callbackId, 1));

    const present = await agent(q, '3004', 'bj');
    bed.clock.advance(REQUEUE_MS);
    await timers.tick();
    expect(await callbackEvent<CallbackCompleted>('callback_completed', callbackId)).toMatchObject({ attempt: 2, contactId: `${callbackId}@2`, agent: { agentId: present } });
    expect(await callbackEvent<CallbackAttempted>('callback_attempted', callbackId, (m) => m.attempt === 2)).toMatchObject({ counted: true, countedAttempts: 1 });
  });

  it('ends a dial left open past its deadline (its replica died): the agent freed, the call hung up, the callback queued again', async () => {
    const q = await queue();
    const agentId = await agent(q, '3007', 'bj');
    const callbackId = `${q}-cb`;
    let answer: () => void = () => undefined;
    gateway.answers.set('4008000007', { until: new Promise<void>((resolve) => (answer = resolve)) });
    await bed.client.ok(AcdCommands.requestCallback, { callback: { callbackId, queue: q, number: '4008000007' } });
    await bed.recorder.next('contact_accepted', { contactId: `${callbackId}@1`, agentId });

    // Both ring times and a minute's grace.
    bed.clock.advance(30_000 + 20_000 + MINUTE - 1);
    expect((await timers.tick()).callbackDialsRecovered).toBe(0);
    bed.clock.advance(1);
    expect((await timers.tick()).callbackDialsRecovered).toBe(1);
    const attempted = await callbackEvent<CallbackAttempted>('callback_attempted', callbackId);
    expect(attempted).toMatchObject({ outcome: CallbackOutcome.FAILED, counted: false, countedAttempts: 0 });
    expect(timestampMs(attempted.nextAttemptAt!)).toBe(bed.clock.now() + REQUEUE_MS);
    await bed.recorder.next('agent_state_changed', { agentId, where: (m: AgentStateChanged) => m.state === AgentState.READY && m.previousState === AgentState.BUSY });
    expect(gateway.hungUpCalls.map((h) => h.call?.callId)).toContain(callbackCallId('acme', callbackId, 1));

    // The dial that was left ends late: it changes nothing any more.
    gateway.answers.set('4008000007', 'no-answer');
    answer();
    await bed.app.get(VoiceHandlers).idle();
    expect(bed.recorder.events.filter((e) => e.name === 'callback_attempted' && (e.message as CallbackAttempted).callback?.callbackId === callbackId)).toHaveLength(1);
    await bed.client.ok(AcdCommands.cancelCallback, { callbackId });
  });

  it('keeps every event of a callback and of its contact in the trace of its request, even when the timers queue it and another request cancels it', async () => {
    const q = await queue();
    const callbackId = `${q}-cb`;
    await bed.client.ok(AcdCommands.requestCallback, { callback: { callbackId, queue: q, number: '4008001234', appointment: timestampFromMs(bed.clock.now() + MINUTE) } });
    bed.clock.advance(MINUTE);
    expect((await timers.tick()).callbacksQueued).toBe(1);
    await bed.client.ok(AcdCommands.cancelCallback, { callbackId });
    await bed.recorder.next('contact_abandoned', { contactId: `${callbackId}@1` });
    await callbackEvent('callback_cancelled', callbackId);
    const traceOf = (name: string) =>
      bed.recorder.events.find((e) => e.name === name && (e.message.callback?.callbackId === callbackId || e.message.contact?.contactId === `${callbackId}@1`))?.traceId;
    const requested = traceOf('callback_requested');
    expect(requested).toMatch(/^[0-9a-f]{32}$/);
    expect(['contact_queued', 'contact_abandoned', 'callback_cancelled'].map((name) => [name, traceOf(name)])).toEqual([
      ['contact_queued', requested],
      ['contact_abandoned', requested],
      ['callback_cancelled', requested],
    ]);
  });

  it('settles a callback whose contact is cancelled directly, or overflows to voicemail where no call can be recorded', async () => {
    const q = `cbq${++n}`;
    await bed.client.ok(AcdCommands.upsertQueue, { queue: { queue: q, overflow: { afterMs: MINUTE, target: { case: 'voicemailMailbox', value: 'box' } } } });
    await bed.client.ok(AcdCommands.requestCallback, { callback: { callbackId: `${q}-a`, queue: q, number: '4008001234' } });
    await bed.client.ok(AcdCommands.requestCallback, { callback: { callbackId: `${q}-b`, queue: q, number: '4008001234' } });

    await bed.client.ok(AcdCommands.cancelContact, { contactId: `${q}-a@1`, reason: CancelReason.WITHDRAWN });
    expect(await callbackEvent<CallbackCancelled>('callback_cancelled', `${q}-a`)).toMatchObject({ previousStatus: CallbackStatus.QUEUED, reasonCode: 'contact-cancelled' });
    bed.clock.advance(MINUTE);
    expect((await timers.tick()).overflowed).toBe(1);
    expect(await callbackEvent<CallbackFailed>('callback_failed', `${q}-b`)).toMatchObject({ reasonCode: 'overflowed', countedAttempts: 0 });
  });

  it('takes requests over HTTP: 201 with the callback, 400 naming bad fields, its status and attempts, and cancel', async () => {
    const q = await queue();
    const base = `${await bed.app.getUrl()}/v1/tenants/acme/callbacks`;
    const post = (body: unknown) => fetchAsApi('acd', base, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const appointment = new Date(bed.clock.now() + 60 * MINUTE).toISOString();

    const created = await post({ callbackId: `${q}-web`, queue: q, number: '+8613800138005', appointment, data: { topic: 'contract' } });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ callbackId: `${q}-web`, status: 'scheduled', origin: 'web', appointment, notBefore: appointment, attempts: 0, duplicate: false });
    expect((await post({ callbackId: `${q}-web`, queue: q, number: '+8613800138005' })).status).toBe(200);
    const generated = await post({ queue: q, number: '4008001234' });
    expect(generated.status).toBe(201);
    expect(await generated.json()).toMatchObject({ callbackId: expect.stringMatching(/^web-/), status: 'queued' });

    const bad = await post({ queue: q, number: 'twelve', appointment: 'tomorrow', colour: 'blue' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { problems: { field: string }[] }).problems.map((p) => p.field).sort()).toEqual(['body', 'body.appointment']);
    const badNumber = await post({ queue: q, number: 'twelve' });
    expect(badNumber.status).toBe(400);
    expect(await badNumber.json()).toMatchObject({ error: 'invalid_request', problems: [{ field: 'body.number' }] });
    const past = await post({ queue: q, number: '4008001234', appointment: new Date(bed.clock.now() - MINUTE).toISOString() });
    expect(await past.json()).toMatchObject({ problems: [{ field: 'body.appointment', reason: 'must be in the future' }] });
    expect(await (await post({ queue: 'nope', number: '4008001234' })).json()).toMatchObject({ problems: [{ field: 'body.queue' }] });

    const seen = await fetchAsApi('acd', `${base}/${q}-web`);
    expect(seen.status).toBe(200);
    expect(await seen.json()).toMatchObject({ callbackId: `${q}-web`, status: 'scheduled', data: { topic: 'contract' }, history: [] });
    expect((await fetchAsApi('acd', `${base}/never`)).status).toBe(404);
    expect((await fetchAsApi('acd', `${base}/a:b`)).status).toBe(400);
    const cancelled = await fetchAsApi('acd', `${base}/${q}-web`, { method: 'DELETE' });
    expect(await cancelled.json()).toMatchObject({ status: 'cancelled', duplicate: false });
  });

  it('answers 401 on every callbacks route to requests without a valid token of api’s for acd', async () => {
    const q = await queue();
    const routes = [
      { method: 'POST', path: '/v1/tenants/acme/callbacks', body: { callbackId: `${q}-intruder`, queue: q, number: '4008001234' } },
      { method: 'GET', path: `/v1/tenants/acme/callbacks/${q}-intruder` },
      { method: 'DELETE', path: `/v1/tenants/acme/callbacks/${q}-intruder` },
    ] as const;
    const answers = await probeServiceIdentity(await bed.app.getUrl(), 'acd', routes);
    expect(answers).toHaveLength(routes.length * 4);
    expect(answers).toEqual(answers.map((answer) => ({ ...answer, status: 401, body: { error: 'unauthorized', message: expect.any(String) } })));
    // Nothing got through: the callback the refused POSTs asked for does not exist.
    expect((await fetchAsApi('acd', `${await bed.app.getUrl()}/v1/tenants/acme/callbacks/${q}-intruder`)).status).toBe(404);
  });

  it('shows the attempts of a callback over HTTP', async () => {
    const q = await queue();
    await agent(q, '3006', 'sz');
    const callbackId = `${q}-cb`;
    gateway.answers.set('4008000006', 'busy');
    await bed.client.ok(AcdCommands.requestCallback, { callback: { callbackId, queue: q, number: '4008000006', maxAttempts: 1 } });
    await callbackEvent('callback_failed', callbackId);
    const seen = (await (await fetchAsApi('acd', `${await bed.app.getUrl()}/v1/tenants/acme/callbacks/${callbackId}`)).json()) as Record<string, unknown>;
    expect(seen).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastOutcome: 'busy',
      history: [{ attempt: 1, contactId: `${callbackId}@1`, outcome: 'busy', counted: true, call: { site: 'sz', callId: callbackCallId('acme', callbackId, 1) }, nextAttemptAt: null }],
    });
  });

  it('queues each due callback once while two replicas run the scheduler at the same time', async () => {
    const q = await queue();
    const other = (await bed.startReplica()).get(RoutingTimers);
    const appointment = timestampFromMs(bed.clock.now() + MINUTE);
    const ids = Array.from({ length: 30 }, (_, i) => `${q}-cb${i}`);
    await Promise.all(ids.map((callbackId) => bed.client.ok(AcdCommands.requestCallback, { callback: { callbackId, queue: q, number: '4008001234', appointment } })));

    bed.clock.advance(MINUTE);
    const passes = await Promise.all([timers.tick(), other.tick(), timers.tick(), other.tick()]);
    expect(passes.reduce((sum, pass) => sum + pass.callbacksQueued, 0)).toBe(ids.length);
    await Promise.all(ids.map((callbackId) => bed.recorder.next('contact_queued', { contactId: `${callbackId}@1` })));
    const queued = bed.recorder.events.filter((e) => e.name === 'contact_queued' && e.message.contact?.contactId.startsWith(`${q}-cb`));
    expect(queued.map((e) => e.message.contact!.contactId).sort()).toEqual(ids.map((id) => `${id}@1`).sort());
    expect((await bed.client.ok(AcdCommands.getContactPosition, { contactId: `${ids[0]}@1` })).waiting).toBe(ids.length);
  });

  it('removes the durable consumer earlier versions settled callbacks with, when a replica starts', async () => {
    const stream = await gatewayConnection.ensureStream('acd');
    await gatewayConnection.jsm.consumers.add(stream, { durable_name: 'acd-callback-contacts', ack_policy: AckPolicy.Explicit });
    // A replica of its own (bed.close stops it); the last test, so none before it shares the work.
    await bed.startReplica();
    await expect(gatewayConnection.jsm.consumers.info(stream, 'acd-callback-contacts')).rejects.toThrow(/consumer not found/i);
    expect((await gatewayConnection.jsm.consumers.info(stream, 'acd-callback-abandoned')).config.filter_subject).toMatch(/\.acd\.event\.contact_abandoned$/);
  });
});
