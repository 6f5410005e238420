// A contact's spans across media gateway, ivr, acd and voicemail join into one trace: SIPp
// callers into a real Asterisk, both media gateways, acd, voicemail and ivr in this process,
// every span collected in memory. The call's trace is the one its gateway starts (the `call`
// span); the rest must land in it even when something other than the call moves the contact
// on (an agent coming ready, the acd's timers).
import 'reflect-metadata';
import { AcdCommands, AgentKind, type CallRef, CallCommands, Strategy } from '@lianluo/contracts';
import { type ReadableSpan, SpanCollector } from '@lianluo/observability';
import { shippedDtmfPcap, startSipp } from '@lianluo/testing';
import { AGENT_EXTENSION, IvrStack, about } from './ivr-stack';

jest.setTimeout(120_000);

const FLOWS = {
  'hotline.yaml': `
tenant: demo
numbers: ["600"]
start: waiting
steps:
  waiting: { type: queue, queue: traced, announce_every_ms: 60000 }
`,
  'overflow.yaml': `
tenant: demo
numbers: ["610"]
start: waiting
steps:
  waiting: { type: queue, queue: tracedvm, announce_every_ms: 60000 }
`,
};

/** A span of one service's handling, as libs/messaging names it, and the consumer that took it when several do. */
interface Expected {
  readonly name: string;
  readonly consumerGroup?: string;
}

/** How long the spans of a finished call may take to end (they end as their replies go out). */
const SPANS_DEADLINE_MS = 10_000;

describe("a call's trace across media gateway, ivr, acd and voicemail", () => {
  const spans = new SpanCollector();
  let stack: IvrStack;

  beforeAll(async () => {
    stack = await IvrStack.start(FLOWS, undefined, { spanExporter: spans });
    const acd = stack.acd;
    await acd.ok(AcdCommands.upsertQueue, { queue: { queue: 'traced', strategy: Strategy.LONGEST_IDLE, offerTimeoutMs: 15_000 } });
    await acd.ok(AcdCommands.upsertQueue, {
      queue: { queue: 'tracedvm', strategy: Strategy.LONGEST_IDLE, overflow: { afterMs: 2_000, target: { case: 'voicemailMailbox', value: 'tracedvm' } } },
    });
    await acd.ok(AcdCommands.upsertAgent, {
      agent: { agentId: 'a1', site: 'sz', kind: AgentKind.AGENT, phone: { case: 'extension', value: AGENT_EXTENSION }, capacity: { voice: 1 }, queues: ['traced'] },
    });
    await acd.ok(AcdCommands.loginAgent, { agentId: 'a1' });
  });

  afterAll(async () => {
    await stack?.close();
  });

  /** The trace the gateway started for the call: its `call` span's. */
  async function traceOf(ref: CallRef): Promise<string> {
    const callSpan = await spans.until((all) => all.find((span) => span.name === 'call' && span.attributes['lianluo.call_id'] === ref.callId), SPANS_DEADLINE_MS);
    if (!callSpan) throw new Error(`the media gateway started no trace for call ${ref.callId}`);
    return callSpan.spanContext().traceId;
  }

  const matches = (expected: Expected) => (span: ReadableSpan) =>
    span.name === expected.name && (expected.consumerGroup === undefined || span.attributes['messaging.consumer.group.name'] === expected.consumerGroup);
  const label = (expected: Expected) => (expected.consumerGroup ? `${expected.name} by ${expected.consumerGroup}` : expected.name);

  /**
   * Each expected span and where it is: `in the call's trace`, `in another trace` (the
   * break this test is about), or `missing`. Waits until all are in the call's trace or
   * the deadline passes.
   */
  async function whereAre(traceId: string, expected: readonly Expected[]): Promise<string[][]> {
    const inTrace = (all: readonly ReadableSpan[], e: Expected) => all.some((span) => span.spanContext().traceId === traceId && matches(e)(span));
    await spans.until((all) => (expected.every((e) => inTrace(all, e)) ? true : undefined), SPANS_DEADLINE_MS);
    return expected.map((e) => [label(e), inTrace(spans.spans, e) ? "in the call's trace" : spans.spans.some(matches(e)) ? 'in another trace' : 'missing']);
  }

  const allInTrace = (expected: readonly Expected[]) => expected.map((e) => [label(e), "in the call's trace"]);

  it('joins the gateway, the ivr, the acd and the dialling of the agent it offers the call to in the trace of the call', async () => {
    const agentPhone = await startSipp({ scenario: 'uas-agent.xml', localPort: stack.phonePorts[AGENT_EXTENSION], values: { answer_after_ms: 300, hangup_after_ms: 1_000 }, timeoutMs: 60_000 });
    const { call: ref, sipp } = await stack.call('600', '13700000001');
    // The ivr ends its flow once acd has answered the enqueue, which acd does once the
    // enqueue's events are relayed: from here on nothing in the call's trace relays acd's.
    await stack.ivrEvents.next('flow_ended', about(ref));
    // The agent comes ready after the caller queued: its own request (a trace of its own)
    // makes the offer, which must still go on in the caller's trace.
    await stack.acd.ok(AcdCommands.setAgentReady, { agentId: 'a1' });
    await stack.observer.recorder.next('bridged', ref.callId);
    await stack.acdEvents.next('contact_completed', about(ref));
    const [caller, phone] = await Promise.all([sipp, agentPhone.done]);
    expect({ exitCode: caller.exitCode, errors: caller.errors }).toEqual({ exitCode: 0, errors: '' });
    expect(phone.exitCode).toBe(0);

    const expected: Expected[] = [
      { name: 'publish call.started' },
      { name: 'consume call.started', consumerGroup: 'ivr-calls-started' },
      { name: 'command acd.enqueue_contact' },
      { name: 'consume acd.contact_offered', consumerGroup: 'acd-voice-offers' },
      { name: 'command call.originate_leg' },
      { name: 'command call.bridge_legs' },
    ];
    expect(await whereAre(await traceOf(ref), expected)).toEqual(allInTrace(expected));
  });

  it('joins the voicemail that takes a caller the acd overflowed (by its timers) in the trace of the call', async () => {
    // Queued at once, overflowed at 2 s; greeting (2.1 s) and beep, some speech, then #.
    const { call: ref, sipp } = await stack.call('610', '13700000002', shippedDtmfPcap('#'), 8_000);
    await stack.acdEvents.next('contact_overflowed', about(ref));
    await stack.voicemailEvents.next('message_left', about(ref));
    await stack.observer.control.send(CallCommands.hangUp, ref);
    await sipp;

    const expected: Expected[] = [
      { name: 'command acd.enqueue_contact' },
      { name: 'consume acd.contact_overflowed', consumerGroup: 'voicemail-overflows' },
      { name: 'command call.record' },
      { name: 'publish voicemail.message_left' },
    ];
    expect(await whereAre(await traceOf(ref), expected)).toEqual(allInTrace(expected));
  });
});
