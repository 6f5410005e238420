// The acd's NATS surface against a real replica, NATS and Redis: commands from the IVR,
// desktops and admin tools, typed error replies, and an event in JetStream for every change.
import {
  AcdCommands,
  AgentKind,
  AgentState,
  type AgentStateChanged,
  CancelReason,
  Channel,
  type ContactAbandoned,
  type ContactCompleted,
  type ContactOffered,
  type ContactQueued,
  ContactState,
  ErrorKind,
} from '@lianluo/contracts';
import { type AcdTestBed, openAcdTestBed } from './acd-harness';

const call = (callId: string) => ({ tenant: 'acme', site: 'bj', callId });

describe('acd commands and events over NATS', () => {
  let bed: AcdTestBed;
  let n = 0;

  beforeAll(async () => {
    bed = await openAcdTestBed();
    const { client } = bed;
    await client.ok(AcdCommands.upsertSkill, { skill: { name: 'billing', description: 'Invoices and payments' } });
    await client.ok(AcdCommands.upsertQueue, { queue: { queue: 'sales', wrapUpMs: 5_000 } });
  }, 30_000);

  afterAll(async () => {
    await bed.close();
  });

  /** A configured, logged-in, ready agent of `sales` with its own id. */
  async function readyAgent(extra: { capacity?: Record<string, number> } = {}): Promise<string> {
    const agentId = `ann${++n}`;
    const { client } = bed;
    await client.ok(AcdCommands.upsertAgent, {
      agent: { agentId, site: 'sz', kind: AgentKind.AGENT, phone: { case: 'extension', value: `20${n}` }, skills: { billing: 4 }, capacity: extra.capacity ?? { voice: 1 }, queues: ['sales'] },
    });
    await client.ok(AcdCommands.loginAgent, { agentId });
    await client.ok(AcdCommands.setAgentReady, { agentId });
    return agentId;
  }

  it('reports each agent state change as the agent logs in and says ready', async () => {
    const agentId = await readyAgent();
    const states: number[] = [];
    for (const state of [AgentState.NOT_READY, AgentState.READY]) {
      const event = await bed.recorder.next<AgentStateChanged>('agent_state_changed', { agentId, where: (m) => m.state === state });
      states.push(event.previousState);
      expect(event.agent).toMatchObject({ agentId, site: 'sz' });
    }
    expect(states).toEqual([AgentState.LOGGED_OUT, AgentState.NOT_READY]);
    await bed.client.ok(AcdCommands.setAgentNotReady, { agentId, reasonCode: 'break' });
    expect((await bed.recorder.next<AgentStateChanged>('agent_state_changed', { agentId, where: (m) => m.reasonCode === 'break' })).state).toBe(AgentState.NOT_READY);
  });

  it('offers a call to a ready agent with its phone, then follows it through accept, release and wrap-up', async () => {
    const agentId = await readyAgent();
    const contactId = `call-${n}`;
    const queued = await bed.client.ok(AcdCommands.enqueueContact, {
      contact: { contactId, queue: 'sales', channel: Channel.VOICE, requiredSkills: { billing: 2 }, site: 'bj', call: call(contactId), customerId: 'cust-9', data: { account: '42' } },
    });
    expect(queued).toMatchObject({ state: ContactState.OFFERED, position: 0, duplicate: false });

    const offered = await bed.recorder.next<ContactOffered>('contact_offered', { contactId });
    expect(offered.agent).toMatchObject({ agentId, site: 'sz' });
    expect(offered.agentPhone?.target).toEqual({ case: 'agent', value: expect.objectContaining({ site: 'sz', extension: `20${n}` }) });
    expect(offered.contact).toMatchObject({ queue: 'sales', channel: Channel.VOICE, site: 'bj', customerId: 'cust-9', call: expect.objectContaining(call(contactId)) });
    expect(offered.data).toEqual({ account: '42' });
    expect(offered.attempt).toBe(1);

    await bed.client.ok(AcdCommands.acceptOffer, { contactId, agentId, attempt: offered.attempt });
    const released = await bed.client.ok(AcdCommands.releaseContact, { contactId, agentId });
    expect(released.wrapUpEndsAt).toBeDefined();
    const completed = await bed.recorder.next<ContactCompleted>('contact_completed', { contactId });
    expect(completed.wrapUpEndsAt).toEqual(released.wrapUpEndsAt);
    await bed.recorder.next('agent_state_changed', { agentId, where: (m: AgentStateChanged) => m.state === AgentState.WRAP_UP });
    await bed.client.ok(AcdCommands.endWrapUp, { agentId });
    await bed.recorder.next('agent_state_changed', { agentId, where: (m: AgentStateChanged) => m.state === AgentState.READY && m.previousState === AgentState.WRAP_UP });

    expect(bed.recorder.namesFor(contactId)).toEqual(['contact_queued', 'contact_offered', 'contact_accepted', 'contact_completed']);
  });

  it('treats a repeated enqueue of a contact id as a no-op that returns the existing position', async () => {
    const first = `chat-${++n}a`;
    const second = `chat-${n}b`;
    const enqueue = (contactId: string, priority = 0) => bed.client.ok(AcdCommands.enqueueContact, { contact: { contactId, queue: 'sales', channel: Channel.EMAIL, priority } });
    expect(await enqueue(first)).toMatchObject({ state: ContactState.WAITING, position: 1, duplicate: false });
    expect(await enqueue(second)).toMatchObject({ position: 2, duplicate: false });
    expect(await enqueue(second, 100)).toMatchObject({ state: ContactState.WAITING, position: 2, duplicate: true });
    expect(await bed.client.ok(AcdCommands.getContactPosition, { contactId: second })).toMatchObject({ state: ContactState.WAITING, position: 2, waiting: 2 });

    await bed.client.ok(AcdCommands.cancelContact, { contactId: first, reason: CancelReason.ABANDONED });
    const abandoned = await bed.recorder.next<ContactAbandoned>('contact_abandoned', { contactId: first });
    expect(abandoned).toMatchObject({ reason: CancelReason.ABANDONED, previousState: ContactState.WAITING });
    await bed.client.ok(AcdCommands.cancelContact, { contactId: second, reason: CancelReason.WITHDRAWN });
    await bed.recorder.next('contact_abandoned', { contactId: second });
    const queuedEvents = bed.recorder.events.filter((e) => e.name === 'contact_queued' && e.message.contact?.contactId === second);
    expect(queuedEvents.map((e) => (e.message as ContactQueued).position)).toEqual([2]);
  });

  it('answers bad input and unknown names with typed errors naming the field', async () => {
    const { client } = bed;
    const errorOf = async (outcome: Promise<{ ok: boolean; error?: { kind: ErrorKind; field: string } }>) => {
      const result = await outcome;
      return result.ok ? 'ok' : `${ErrorKind[result.error!.kind]} ${result.error!.field}`;
    };
    expect(await errorOf(client.send(AcdCommands.enqueueContact, { contact: { contactId: 'x1', queue: 'nope', channel: Channel.CHAT } }))).toBe('NOT_FOUND contact.queue');
    expect(await errorOf(client.send(AcdCommands.enqueueContact, { contact: { contactId: 'x1', queue: 'sales', channel: Channel.CHAT, requiredSkills: { billing: 7 } } }))).toBe(
      'INVALID_ARGUMENT contact.required_skills.billing',
    );
    expect(await errorOf(client.send(AcdCommands.enqueueContact, { contact: { contactId: 'x1', queue: 'sales', channel: Channel.CHAT, requiredSkills: { french: 2 } } }))).toBe(
      'NOT_FOUND contact.required_skills.french',
    );
    expect(await errorOf(client.send(AcdCommands.loginAgent, { agentId: 'nobody' }))).toBe('NOT_FOUND agent_id');
    expect(await errorOf(client.send(AcdCommands.setAgentReady, { agentId: 'nobody' }))).toBe('NOT_FOUND agent_id');
    const agent = { agentId: 'bob', site: 'bj', kind: AgentKind.AGENT, queues: ['sales'] };
    expect(await errorOf(client.send(AcdCommands.upsertAgent, { agent: { ...agent, capacity: { voice: 50 } } }))).toBe('INVALID_ARGUMENT agent.capacity.voice');
    expect(await errorOf(client.send(AcdCommands.upsertAgent, { agent: { ...agent, capacity: { voice: 1 }, queues: ['nope'] } }))).toBe('NOT_FOUND agent.queues');
    expect(await errorOf(client.send(AcdCommands.upsertAgent, { agent: { ...agent, capacity: { voice: 1 }, skills: { french: 3 } } }))).toBe('NOT_FOUND agent.skills.french');
    expect(await errorOf(client.send(AcdCommands.upsertQueue, { queue: { queue: 'q2', offerTimeoutMs: 0 } }))).toBe('INVALID_ARGUMENT queue.offer_timeout_ms');
    expect(await errorOf(client.send(AcdCommands.acceptOffer, { contactId: 'x1', agentId: 'bob', attempt: 1 }))).toBe('FAILED_PRECONDITION ');
    expect(await errorOf(client.send(AcdCommands.cancelContact, { contactId: 'never', reason: CancelReason.ABANDONED }))).toBe('NOT_FOUND contact_id');
    expect(await errorOf(client.send(AcdCommands.deleteQueue, { queue: 'sales' }))).toBe('FAILED_PRECONDITION queue');
  });

  it('applies an agent configuration change to a logged-in agent at once', async () => {
    const agentId = await readyAgent({ capacity: { email: 1 } });
    const first = `mail-${n}a`;
    const second = `mail-${n}b`;
    await bed.client.ok(AcdCommands.enqueueContact, { contact: { contactId: first, queue: 'sales', channel: Channel.EMAIL } });
    await bed.recorder.next('contact_offered', { contactId: first, agentId });
    expect(await bed.client.ok(AcdCommands.enqueueContact, { contact: { contactId: second, queue: 'sales', channel: Channel.EMAIL } })).toMatchObject({ state: ContactState.WAITING });
    // Two emails at once from now on: the waiting one is offered without a new login.
    await bed.client.ok(AcdCommands.upsertAgent, {
      agent: { agentId, site: 'sz', kind: AgentKind.AGENT, skills: { billing: 4 }, capacity: { email: 2 }, queues: ['sales'] },
    });
    await bed.recorder.next('contact_offered', { contactId: second, agentId });
  });
});
