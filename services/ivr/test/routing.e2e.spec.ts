// acd's routing end to end (ACD-1..ACD-5): callers to one number, agent phones at both
// sites played by SIPp, on real Asterisk with the media gateways, acd and ivr on one NATS.
import 'reflect-metadata';
import { AcdCommands, type CallRef, RoutingStepKind, Strategy } from '@lianluo/contracts';
import { type SippRun, runSipp, shippedDtmfPcap, startSipp } from '@lianluo/testing';
import { IvrStack, type PhoneSpec } from './ivr-stack';

jest.setTimeout(150_000);

const FLOW = `
tenant: demo
numbers: ["400"]
start: identify
steps:
  identify: { type: identify_caller, next: hotline, blacklisted: hotline }
  hotline: { type: queue, queue: hotline, announce_every_ms: 60000 }
`;

/** One agent at bj, two at sz: the bj callers reach sz agents over the inter-site trunk. */
const AGENTS: readonly (PhoneSpec & { id: string })[] = [
  { id: 'b1', site: 'bj', extension: '1101' },
  { id: 's1', site: 'sz', extension: '2101' },
  { id: 's2', site: 'sz', extension: '2102' },
];

describe('acd routing calls to agent phones at both sites', () => {
  let stack: IvrStack;
  const phones = new Map<string, SippRun>();

  beforeAll(async () => {
    stack = await IvrStack.start({ 'hotline.yaml': FLOW }, AGENTS);
    const acd = stack.acd;
    await acd.ok(AcdCommands.upsertQueue, {
      queue: {
        queue: 'hotline',
        strategy: Strategy.LONGEST_IDLE,
        offerTimeoutMs: 4_000,
        // The caller's last agent first, for a while; then whoever the strategy picks.
        steps: [{ kind: RoutingStepKind.PREFERRED_AGENT, timeoutMs: 20_000 }, { kind: RoutingStepKind.SKILLED }],
      },
    });
    // Ready one after the other: b1 has been idle longest, then s1, then s2.
    await stack.readyAgents(AGENTS, ['hotline'], (agent) => answering(agent.extension));
  });

  afterAll(async () => {
    for (const phone of phones.values()) phone.stop();
    await stack?.close();
  });

  /** The agent's phone answers every call and hangs up a second after answering. */
  async function answering(extension: string, scenario = 'uas-agent.xml'): Promise<void> {
    phones.get(extension)?.stop();
    await phones.get(extension)?.done;
    phones.set(extension, await startSipp({ scenario, localPort: stack.phonePorts[extension], calls: 10, values: { answer_after_ms: 200, hangup_after_ms: 1_000 }, timeoutMs: 140_000 }));
  }

  /** A caller at bj dials the hotline; resolves once an agent has talked to them and hung up. */
  async function callHotline(caller: string): Promise<{ call: CallRef; agents: string[] }> {
    const started = stack.observer.nextCall();
    const sipp = runSipp({ scenario: 'uac-speaker.xml', target: stack.sites.bj.sipTarget, service: '400', caller, keys: { dtmf_pcap: shippedDtmfPcap('#') }, timeoutMs: 60_000 });
    const call = await started;
    const completed = stack.acdEvents.next('contact_completed', (m) => (m as { contact?: { contactId: string } }).contact?.contactId === call.callId, 60_000);
    const result = await sipp;
    expect({ exitCode: result.exitCode, errors: result.errors }).toEqual({ exitCode: 0, errors: '' });
    await completed;
    const offeredTo = stack.acdEvents.events
      .filter((e) => e.name === 'contact_offered' && (e.message as { contact?: { contactId: string } }).contact?.contactId === call.callId)
      .map((e) => (e.message as unknown as { agent: { agentId: string } }).agent.agentId);
    return { call, agents: offeredTo };
  }

  it('distributes calls by the queue strategy (longest idle) across both sites, and a repeat caller reaches their last agent', async () => {
    expect((await callHotline('13900000001')).agents).toEqual(['b1']);
    expect((await callHotline('13900000002')).agents).toEqual(['s1']);
    expect((await callHotline('13900000003')).agents).toEqual(['s2']);
    // b1 has now been idle longest, but this caller last spoke to s2.
    expect((await callHotline('13900000003')).agents).toEqual(['s2']);
  });

  it('makes an agent who does not answer not ready (ring-no-answer) and connects the call to another agent', async () => {
    // b1, idle longest, lets the phone ring.
    await answering('1101', 'uas-agent-no-answer.xml');
    const { call, agents } = await callHotline('13900000004');
    expect(agents).toEqual(['b1', 's1']);
    expect(stack.acdEvents.events.some((e) => e.name === 'contact_ring_no_answer' && (e.message as { contact?: { contactId: string } }).contact?.contactId === call.callId)).toBe(true);
    // b1 went not ready for it, so the next call does not ring there again.
    await stack.acdEvents.next('agent_state_changed', (m) => {
      const change = m as { agent?: { agentId: string }; reasonCode?: string };
      return change.agent?.agentId === 'b1' && change.reasonCode === 'ring-no-answer';
    });
    expect((await callHotline('13900000005')).agents).toEqual(['s2']);
  });
});
