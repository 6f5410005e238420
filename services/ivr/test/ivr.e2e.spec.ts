// The caller's path end to end (IVR-1..IVR-4, VM-1): SIPp callers keying RFC 2833 digits
// into a real Asterisk, the real media gateways, acd, voicemail and ivr on one NATS.
import 'reflect-metadata';
import { AgentKind, type CallRef, CallCommands, Channel, FlowOutcome, ContactState, AcdCommands, QueueChoice, Strategy, TakeReason } from '@lianluo/contracts';
import { type Timestamp, timestampMs } from '@bufbuild/protobuf/wkt';
import { fetchAsApi, shippedDtmfPcap, startSipp, writeDtmfPcap } from '@lianluo/testing';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AGENT_EXTENSION, IvrStack, about } from './ivr-stack';

jest.setTimeout(120_000);

const MENU_FLOW = `
tenant: demo
numbers: ["100"]
start: identify
steps:
  identify: { type: identify_caller, next: vip_check, blacklisted: nuisance }
  vip_check:
    type: condition
    when: [{ if: { value: customer.vip, equals: true }, goto: vip_queue }]
    otherwise: main_menu
  main_menu:
    type: menu
    play: [sound:beep]
    options: { "1": sales_queue, "2": service_menu }
    timeout_ms: 6000
    on_failure: goodbye
  service_menu:
    type: menu
    play: [sound:beep]
    options: { "1": account }
    timeout_ms: 6000
    on_failure: goodbye
  account:
    type: collect
    play: [sound:beep]
    variable: account
    min_length: 4
    max_length: 8
    pattern: "^[0-9]+$"
    next: billing_queue
    on_failure: goodbye
  billing_queue: { type: queue, queue: service, skills: { billing: 3 }, priority: 7, business_value: 100 }
  sales_queue: { type: queue, queue: sales, priority: 1 }
  vip_queue: { type: queue, queue: vip, priority: 50 }
  nuisance: { type: hang_up, play: [sound:beep] }
  goodbye: { type: hang_up }
`;

/** Closed all of today (a holiday in the calendar's zone): the closed branch takes voicemail. */
function closedFlow(today: string): string {
  return `
tenant: demo
numbers: ["200"]
start: hours
calendars:
  office:
    timezone: Asia/Shanghai
    open: [{ days: [mon, tue, wed, thu, fri, sat, sun], from: "00:00", to: "23:59" }]
    holidays: ["${today}"]
steps:
  hours: { type: business_hours, calendar: office, open: open_queue, closed: closed }
  open_queue: { type: queue, queue: service }
  closed: { type: voicemail, queue: service, greeting: [sound:vm-leavemsg] }
`;
}

const OVERFLOW_FLOW = `
tenant: demo
numbers: ["300"]
start: waiting
steps:
  waiting: { type: queue, queue: overflowq, priority: 9, announce_every_ms: 1000 }
`;

const CALLBACK_FLOW = `
tenant: demo
numbers: ["500"]
start: waiting
steps:
  waiting: { type: queue, queue: cbq, priority: 3, announce_every_ms: 60000, offer_every_ms: 1000, callback_key: "2" }
`;

describe('a caller through ivr, acd and voicemail on real Asterisk', () => {
  let stack: IvrStack;

  beforeAll(async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    stack = await IvrStack.start({ 'main.yaml': MENU_FLOW, 'closed.yaml': closedFlow(today), 'overflow.yaml': OVERFLOW_FLOW, 'callback.yaml': CALLBACK_FLOW });
    const acd = stack.acd;
    await acd.ok(AcdCommands.upsertSkill, { skill: { name: 'billing' } });
    for (const queue of ['service', 'sales', 'vip', 'cbq']) await acd.ok(AcdCommands.upsertQueue, { queue: { queue, strategy: Strategy.LONGEST_IDLE, offerTimeoutMs: 15_000 } });
    await acd.ok(AcdCommands.upsertQueue, {
      queue: { queue: 'overflowq', strategy: Strategy.LONGEST_IDLE, overflow: { afterMs: 2_000, target: { case: 'voicemailMailbox', value: 'overflowq' } } },
    });
    await acd.ok(AcdCommands.upsertAgent, {
      agent: { agentId: 'a1', site: 'sz', kind: AgentKind.AGENT, phone: { case: 'extension', value: AGENT_EXTENSION }, skills: { billing: 4 }, capacity: { voice: 1, callback: 1 }, queues: ['service', 'cbq'] },
    });
    await acd.ok(AcdCommands.loginAgent, { agentId: 'a1' });
    // Customers and a nuisance number, as the CRM sync would load them.
    await put(`/v1/tenants/demo/customers/c-vip`, { name: 'Wang', numbers: ['13800000002'], vip_tier: 2, last_agent: 'a1' });
    await put(`/v1/tenants/demo/blocked-numbers/13800000003`, { reason: 'nuisance' });
  });

  afterAll(async () => {
    await stack?.close();
  });

  async function put(path: string, body: unknown): Promise<void> {
    const response = await fetchAsApi('ivr', `${stack.ivrUrl}${path.replace('/v1', '')}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`PUT ${path}: ${response.status} ${await response.text()}`);
  }

  const call = (dnis: string, caller: string, dtmfPcap?: string, digitsAfterMs?: number) => stack.call(dnis, caller, dtmfPcap, digitsAfterMs);

  it('2 then 1 and an account number land the call in the skill queue the flow names, with its priority and the account for the agent', async () => {
    const agent = await startSipp({ scenario: 'uas-agent.xml', localPort: stack.phonePorts[AGENT_EXTENSION], values: { answer_after_ms: 300, hangup_after_ms: 1_500 }, timeoutMs: 90_000 });
    await stack.acd.ok(AcdCommands.setAgentReady, { agentId: 'a1' });
    const digits = join(stack.flowsDir, '..', `${stack.namespace}-menu.pcap`);
    await writeDtmfPcap('2112345#', digits, { gapMs: 1_200 });
    const { call: ref, sipp } = await call('100', '13800000001', digits, 1_500);

    const queued = await stack.acdEvents.next<{ contact: { queue: string; channel: Channel }; priority: number; requiredSkills: Record<string, number> }>('contact_queued', about(ref));
    expect(queued).toMatchObject({ contact: { queue: 'service', channel: Channel.VOICE }, priority: 7, requiredSkills: { billing: 3 } });
    const offered = await stack.acdEvents.next<{ agent: { agentId: string }; data: Record<string, string> }>('contact_offered', about(ref));
    expect(offered).toMatchObject({ agent: { agentId: 'a1' }, data: { account: '12345' } });
    await stack.observer.recorder.next('bridged', ref.callId);
    const ended = await stack.ivrEvents.next<{ outcome: FlowOutcome; queue: string; step: string }>('flow_ended', about(ref));
    expect(ended).toMatchObject({ outcome: FlowOutcome.QUEUED, queue: 'service', step: 'billing_queue' });
    const chosen = stack.ivrEvents.events.filter((e) => e.name === 'menu_chosen' && about(ref)(e.message)).map((e) => [e.message.step, e.message.key]);
    expect(chosen).toEqual([
      ['main_menu', '2'],
      ['service_menu', '1'],
    ]);
    expect(stack.ivrEvents.events.find((e) => e.name === 'input_collected' && about(ref)(e.message))?.message).toMatchObject({ variable: 'account', value: '12345' });

    // The agent hangs up after talking; the caller's leg ends with it.
    const [caller, phone] = await Promise.all([sipp, agent.done]);
    expect({ exitCode: caller.exitCode, errors: caller.errors }).toEqual({ exitCode: 0, errors: '' });
    expect(phone.exitCode).toBe(0);
  });

  it('takes a known VIP straight to the VIP queue, and gives a blocked number the nuisance branch', async () => {
    const vip = await call('100', '13800000002');
    const queued = await stack.acdEvents.next<{ contact: { queue: string; customerId: string }; priority: number; preferredAgent: string }>('contact_queued', about(vip.call));
    expect(queued).toMatchObject({ contact: { queue: 'vip', customerId: 'c-vip' }, priority: 50, preferredAgent: 'a1' });
    expect(stack.ivrEvents.events.some((e) => e.name === 'menu_chosen' && about(vip.call)(e.message))).toBe(false);
    await stack.observer.control.must(CallCommands.hangUp, vip.call);
    expect((await vip.sipp).exitCode).toBe(0);

    const nuisance = await call('100', '13800000003');
    const ended = await stack.ivrEvents.next<{ outcome: FlowOutcome; step: string }>('flow_ended', about(nuisance.call));
    expect(ended).toMatchObject({ outcome: FlowOutcome.HUNG_UP, step: 'nuisance' });
    expect((await nuisance.sipp).exitCode).toBe(0);
    expect(stack.acdEvents.events.some((e) => about(nuisance.call)(e.message))).toBe(false);
  });

  it('plays the closed branch outside business hours and takes a message there', async () => {
    // Greeting (vm-leavemsg, 2.1 s) and beep, then 3 s of the caller's speech ended by #.
    const { call: ref, sipp } = await call('200', '13800000004', shippedDtmfPcap('#'), 5_700);
    const ended = await stack.ivrEvents.next<{ outcome: FlowOutcome; step: string }>('flow_ended', about(ref));
    expect(ended).toMatchObject({ outcome: FlowOutcome.VOICEMAIL, step: 'closed' });
    const left = await stack.voicemailEvents.next<{ queue: string; durationMs: number; callerNumber: string }>('message_left', about(ref));
    expect(left).toMatchObject({ queue: 'service', callerNumber: '13800000004' });
    const { rows } = await stack.voicemail.pool.query('SELECT reason FROM session WHERE call_id = $1', [ref.callId]);
    expect(rows).toEqual([{ reason: TakeReason[TakeReason.FLOW].toLowerCase() }]);
    await stack.observer.control.send(CallCommands.hangUp, ref);
    await sipp;
  });

  it('sends a caller nobody answers to voicemail past the wait limit: a 3-second message becomes a work item of the queue, its audio retrievable', async () => {
    // Enqueued at once, an announcement at 1 s, overflow at 2 s (cutting it short); greeting
    // 2.1 s and beep; 3 s of speech, then #.
    const { call: ref, sipp } = await call('300', '13800000005', shippedDtmfPcap('#'), 8_000);
    const overflowed = await stack.acdEvents.next<{ contact: { queue: string } }>('contact_overflowed', about(ref));
    expect(overflowed.contact.queue).toBe('overflowq');
    const left = await stack.voicemailEvents.next<{ messageId: string; queue: string; durationMs: number; priority: number }>('message_left', about(ref));
    expect(left).toMatchObject({ queue: 'overflowq' });
    expect(left.durationMs).toBeGreaterThan(2_000);
    expect(left.durationMs).toBeLessThan(4_500);
    // The hand-off: a work item waiting in acd for the same queue.
    const workItem = `voicemail-${left.messageId}`;
    const queuedItem = await stack.acdEvents.next<{ contact: { queue: string; channel: Channel } }>('contact_queued', (m) => (m as { contact?: { contactId: string } }).contact?.contactId === workItem);
    expect(queuedItem.contact).toMatchObject({ queue: 'overflowq', channel: Channel.WORKITEM });
    expect((await stack.acd.ok(AcdCommands.getContactPosition, { contactId: workItem })).state).toBe(ContactState.WAITING);
    const audio = await fetchAsApi('voicemail', `${stack.voicemailUrl}/voicemails/demo/${left.messageId}/audio`, { headers: { Range: 'bytes=0-11' } });
    expect(audio.status).toBe(206);
    expect(Buffer.from(await audio.arrayBuffer()).subarray(8, 12).toString()).toBe('WAVE');
    // While it waited, the ivr announced its position over the music.
    const played = stack.observer.recorder.of(ref.callId).filter((e) => e.name === 'playback_started').map((e) => String((e.message as { mediaUri?: string }).mediaUri));
    expect(played.some((uri) => uri.includes('queue-thereare'))).toBe(true);
    await stack.observer.control.send(CallCommands.hangUp, ref);
    await sipp;
  });

  it('books a callback the caller asks for while waiting; when an agent is ready the customer is dialled and bridged, keeping the original enqueue time', async () => {
    await stack.acd.ok(AcdCommands.setAgentNotReady, { agentId: 'a1', reasonCode: 'break' });
    // The offer (vm-tocallback, then "2") comes after 1 s; the caller keys 2 at 2.5 s.
    const { call: ref, sipp } = await call('500', '13800000006', shippedDtmfPcap('2'), 2_500);
    const queued = await stack.acdEvents.next<{ occurredAt: Timestamp }>('contact_queued', about(ref));
    const callbackId = `ivr-${ref.callId}`;
    const ofCallback = (m: object) => (m as { callback?: { callbackId: string } }).callback?.callbackId === callbackId;
    const requested = await stack.acdEvents.next<{ waitingSince: Timestamp; callback: { number: string; queue: string } }>('callback_requested', ofCallback);
    expect(requested.callback).toMatchObject({ number: '13800000006', queue: 'cbq' });
    expect(timestampMs(requested.waitingSince)).toBeLessThanOrEqual(timestampMs(queued.occurredAt));
    // The ivr thanks the caller and hangs up; the call's own contact has left the queue.
    const caller = await sipp;
    expect({ exitCode: caller.exitCode, errors: caller.errors }).toEqual({ exitCode: 0, errors: '' });
    expect(await stack.ivrEvents.next<{ choice: QueueChoice }>('queue_choice_made', about(ref))).toMatchObject({ choice: QueueChoice.CALLBACK });
    await stack.acdEvents.next('contact_abandoned', about(ref));

    const customer = await startSipp({ scenario: 'uas-agent.xml', localPort: stack.pstnPort, values: { answer_after_ms: 300, hangup_after_ms: 1_500 }, timeoutMs: 60_000 });
    const agent = await startSipp({ scenario: 'uas-agent.xml', localPort: stack.phonePorts[AGENT_EXTENSION], values: { answer_after_ms: 300 }, timeoutMs: 60_000 });
    await stack.acd.ok(AcdCommands.setAgentReady, { agentId: 'a1' });
    const completed = await stack.acdEvents.next<{ agent: { agentId: string }; call: CallRef; waitedMs: bigint; occurredAt: Timestamp }>('callback_completed', ofCallback);
    expect(completed.agent.agentId).toBe('a1');
    // Waited from the original enqueue, not from the booking.
    expect(Number(completed.waitedMs)).toBeGreaterThanOrEqual(timestampMs(completed.occurredAt) - timestampMs(queued.occurredAt) - 1_000);
    await stack.observer.recorder.next('bridged', completed.call.callId);
    const [customerRun, agentRun] = await Promise.all([customer.done, agent.done]);
    expect([customerRun.exitCode, agentRun.exitCode]).toEqual([0, 0]);
  });

  it('refuses an invalid flow file and keeps serving calls with the flow it had', async () => {
    await writeFile(join(stack.flowsDir, 'main.yaml'), MENU_FLOW.replace('type: condition', 'type: conditional'));
    await waitForRefusal(stack.ivrUrl, 'main.yaml');
    const nuisance = await call('100', '13800000003');
    const ended = await stack.ivrEvents.next<{ outcome: FlowOutcome; step: string }>('flow_ended', about(nuisance.call));
    expect(ended).toMatchObject({ outcome: FlowOutcome.HUNG_UP, step: 'nuisance' });
    await nuisance.sipp;
  });
});

/** Waits until the ivr's /metrics counts a refusal of `file` (it reloads on the file's change). */
async function waitForRefusal(baseUrl: string, file: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    if (new RegExp(`^lianluo_ivr_flow_files_refused_total\\{[^}]*file="${file}"`, 'm').test(metrics)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${file} was not refused`);
}

