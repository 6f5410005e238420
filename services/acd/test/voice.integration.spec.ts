// Voice integration against NATS with a fake media gateway: a replica dials the agent of
// each voice contact offered through the caller's gateway (call.originate_leg, then
// call.bridge_legs), takes an answer as the accept and a TIMEOUT as ring-no-answer, and
// ends a call's contact when call.hungup says the caller left.
import { create } from '@bufbuild/protobuf';
import { timestampNow } from '@bufbuild/protobuf/wkt';
import { AcdCommands, AgentKind, AgentState, type AgentStateChanged, CallEvents, Channel, type ContactAbandoned, type ContactOffered } from '@lianluo/contracts';
import { EventPublisher, MessagingConnection } from '@lianluo/messaging';
import { VoiceHandlers } from '../src/voice/voice.handlers';
import { type AcdTestBed, openAcdTestBed } from './acd-harness';
import { FakeGateway } from './fake-gateway';

describe('voice contacts through the media gateway', () => {
  let bed: AcdTestBed;
  let gateway: FakeGateway;
  let gatewayConnection: MessagingConnection;
  let callEvents: EventPublisher;
  let n = 0;

  beforeAll(async () => {
    bed = await openAcdTestBed();
    gatewayConnection = await MessagingConnection.connect({ servers: 'nats://127.0.0.1:4222', namespace: bed.namespace, connectionName: 'fake-gateway', queueGroup: 'fake-gateway' });
    gateway = new FakeGateway(gatewayConnection);
    callEvents = new EventPublisher(gatewayConnection);
    await bed.client.ok(AcdCommands.upsertQueue, { queue: { queue: 'sales', wrapUpMs: 10_000 } });
  }, 30_000);

  afterAll(async () => {
    await gateway.stop();
    await bed.close();
    await gatewayConnection.close();
  });

  /** A ready agent at `site` whose phone is extension `extension`. */
  async function agent(name: string, site: string, extension: string): Promise<string> {
    const agentId = `${name}${++n}`;
    await bed.client.ok(AcdCommands.upsertAgent, {
      agent: { agentId, site, kind: AgentKind.AGENT, phone: { case: 'extension', value: extension }, capacity: { voice: 1 }, queues: ['sales'] },
    });
    await bed.client.ok(AcdCommands.loginAgent, { agentId });
    await bed.client.ok(AcdCommands.setAgentReady, { agentId });
    return agentId;
  }

  const call = (callId: string) => ({ tenant: 'acme', site: 'bj', callId });
  const enqueueCall = (callId: string) =>
    bed.client.ok(AcdCommands.enqueueContact, { contact: { contactId: callId, queue: 'sales', channel: Channel.VOICE, site: 'bj', call: call(callId) } });
  const hangUp = (callId: string) =>
    callEvents.publish(CallEvents.hungUp, create(CallEvents.hungUp.schema, { eventId: `${callId}:hungup`, call: call(callId), occurredAt: timestampNow(), cause: 16 }));

  it("dials the agent's phone at its site for the caller's call, and bridges it once answered", async () => {
    const ann = await agent('ann', 'sz', '2001');
    await enqueueCall('call-1');
    const dial = await gateway.dialOf('2001');
    expect(dial).toMatchObject({
      call: call('call-1'),
      destination: { target: { case: 'agent', value: { site: 'sz', extension: '2001' } } },
      timeoutMs: 20_000,
    });
    await bed.recorder.next('contact_accepted', { contactId: 'call-1', agentId: ann });
    await bed.app.get(VoiceHandlers).idle();
    expect(gateway.bridged.find((b) => b.call?.callId === 'call-1')).toMatchObject({ legId: expect.stringMatching(/^leg-2001-/), endTogether: true });
  });

  it('makes an agent who does not answer not ready, and rings the next agent', async () => {
    gateway.answers.set('2002', 'no-answer');
    const bo = await agent('bo', 'bj', '2002');
    await enqueueCall('call-2');
    await bed.recorder.next('contact_ring_no_answer', { contactId: 'call-2', agentId: bo });
    await bed.recorder.next<AgentStateChanged>('agent_state_changed', { agentId: bo, where: (m) => m.state === AgentState.NOT_READY && m.reasonCode === 'ring-no-answer' });
    const cy = await agent('cy', 'sz', '2003');
    expect((await bed.recorder.next<ContactOffered>('contact_offered', { contactId: 'call-2', agentId: cy })).attempt).toBe(2);
    await bed.recorder.next('contact_accepted', { contactId: 'call-2', agentId: cy });
  });

  it('hangs up an agent who answers after the offer was taken back, rather than bridge it', async () => {
    let answer: () => void = () => undefined;
    gateway.answers.set('2004', { until: new Promise<void>((resolve) => (answer = resolve)) });
    const di = await agent('di', 'bj', '2004');
    await enqueueCall('call-4');
    await gateway.dialOf('2004');
    await hangUp('call-4');
    expect(await bed.recorder.next<ContactAbandoned>('contact_abandoned', { contactId: 'call-4' })).toMatchObject({ reason: 1 });
    answer();
    await bed.app.get(VoiceHandlers).idle();
    expect(gateway.hungUpLegs.map((h) => h.call?.callId)).toContain('call-4');
    expect(gateway.bridged.map((b) => b.call?.callId)).not.toContain('call-4');
    await bed.client.ok(AcdCommands.setAgentNotReady, { agentId: di, reasonCode: 'break' });
  });

  it('puts a caller back at their place when the agent hangs up between answering and the bridge', async () => {
    gateway.agentHangsUpBeforeBridge.add('call-9');
    const ed = await agent('ed', 'bj', '2009');
    await enqueueCall('call-9');
    await bed.recorder.next('contact_accepted', { contactId: 'call-9', agentId: ed });
    await bed.recorder.next('contact_transferred', { contactId: 'call-9' });
    gateway.agentHangsUpBeforeBridge.delete('call-9');
    const fay = await agent('fay', 'sz', '2010');
    await bed.recorder.next('contact_accepted', { contactId: 'call-9', agentId: fay });
    await bed.app.get(VoiceHandlers).idle();
    expect(gateway.bridged.filter((b) => b.call?.callId === 'call-9').map((b) => b.legId)).toEqual([expect.stringMatching(/^leg-2010-/)]);
  });

  it('releases a connected call when the caller hangs up, and the agent wraps up', async () => {
    const ed = await agent('ed', 'sz', '2005');
    await enqueueCall('call-5');
    await bed.recorder.next('contact_accepted', { contactId: 'call-5', agentId: ed });
    await hangUp('call-5');
    await bed.recorder.next('contact_completed', { contactId: 'call-5', agentId: ed });
    await bed.recorder.next('agent_state_changed', { agentId: ed, where: (m: AgentStateChanged) => m.state === AgentState.WRAP_UP });
    // The same hang-up again (a redelivery) changes nothing.
    await hangUp('call-5');
    expect(bed.recorder.namesFor('call-5').filter((name) => name === 'contact_completed')).toHaveLength(1);
  });
});
