// The tenant's catalogues of not-ready reasons and wrap-up codes as the acd checks them:
// once a tenant lists codes only those go (the acd's own reasons always do); a tenant that
// lists none takes any code. A real replica, NATS, Redis and PostgreSQL.
import { AcdCommands, AgentKind, AgentState, type AgentStateChanged, Channel, type ContactCompleted, type ContactOffered, type ContactWrapUpRecorded, ErrorKind } from '@lianluo/contracts';
import { CommandClient } from '@lianluo/messaging';
import { type AcdTestBed, AcdTestClient, openAcdTestBed } from './acd-harness';

describe('not-ready reasons and wrap-up codes checked against the tenant catalogues', () => {
  let bed: AcdTestBed;
  /** A tenant whose catalogues stay empty. */
  let uncatalogued: AcdTestClient;
  let n = 0;

  beforeAll(async () => {
    bed = await openAcdTestBed('acme');
    uncatalogued = new AcdTestClient(bed.client.connection, new CommandClient(bed.client.connection), 'globex');
    for (const client of [bed.client, uncatalogued]) await client.ok(AcdCommands.upsertQueue, { queue: { queue: 'sales', wrapUpMs: 5_000 } });
    await bed.client.ok(AcdCommands.upsertNotReadyReason, { reason: { code: 'lunch', label: 'Lunch' } });
    await bed.client.ok(AcdCommands.upsertWrapUpCode, { code: { code: 'sale', label: 'Sale made' } });
  }, 30_000);

  afterAll(async () => {
    await bed.close();
  });

  const errorOf = (outcome: { ok: boolean; error?: { kind: ErrorKind; field: string; message: string } }) =>
    outcome.ok ? 'ok' : `${ErrorKind[outcome.error!.kind]} ${outcome.error!.field}`;

  /** A logged-in, ready agent of `sales` of `client`'s tenant. */
  async function readyAgent(client: AcdTestClient): Promise<string> {
    const agentId = `ann${++n}`;
    await client.ok(AcdCommands.upsertAgent, { agent: { agentId, site: 'sz', kind: AgentKind.AGENT, capacity: { chat: 1 }, queues: ['sales'] } });
    await client.ok(AcdCommands.loginAgent, { agentId });
    await client.ok(AcdCommands.setAgentReady, { agentId });
    return agentId;
  }

  /** A chat offered to and accepted by a fresh agent: the agent and the contact. */
  async function assignedChat(client: AcdTestClient): Promise<{ agentId: string; contactId: string; attempt: number }> {
    const agentId = await readyAgent(client);
    const contactId = `chat-${n}`;
    await client.ok(AcdCommands.enqueueContact, { contact: { contactId, queue: 'sales', channel: Channel.CHAT } });
    const offered = await bed.recorder.next<ContactOffered>('contact_offered', { contactId });
    return { agentId, contactId, attempt: offered.attempt };
  }

  it('refuses a wrap-up code the tenant does not list, naming wrap_up_code, and leaves the contact assigned', async () => {
    const { agentId, contactId, attempt } = await assignedChat(bed.client);
    await bed.client.ok(AcdCommands.acceptOffer, { contactId, agentId, attempt });
    expect(errorOf(await bed.client.send(AcdCommands.releaseContact, { contactId, agentId, wrapUpCode: 'no-sale' }))).toBe('NOT_FOUND wrap_up_code');
    expect(errorOf(await bed.client.send(AcdCommands.releaseContact, { contactId, agentId, wrapUpCode: 'no sale' }))).toBe('INVALID_ARGUMENT wrap_up_code');
    expect(bed.recorder.namesFor(contactId)).not.toContain('contact_completed');
    await bed.client.ok(AcdCommands.releaseContact, { contactId, agentId, wrapUpCode: 'sale' });
  });

  it('carries a listed wrap-up code and the notes on contact_completed', async () => {
    const { agentId, contactId, attempt } = await assignedChat(bed.client);
    await bed.client.ok(AcdCommands.acceptOffer, { contactId, agentId, attempt });
    const released = await bed.client.ok(AcdCommands.releaseContact, { contactId, agentId, wrapUpCode: 'sale', notes: 'Renewed for a year; 续约一年' });
    const completed = await bed.recorder.next<ContactCompleted>('contact_completed', { contactId });
    expect(completed).toMatchObject({ wrapUpCode: 'sale', notes: 'Renewed for a year; 续约一年', wrapUpEndsAt: released.wrapUpEndsAt });
  });

  it('releases without a code or notes whatever the catalogue, and says so on the event', async () => {
    const { agentId, contactId, attempt } = await assignedChat(bed.client);
    await bed.client.ok(AcdCommands.acceptOffer, { contactId, agentId, attempt });
    await bed.client.ok(AcdCommands.releaseContact, { contactId, agentId });
    expect(await bed.recorder.next<ContactCompleted>('contact_completed', { contactId })).toMatchObject({ wrapUpCode: '', notes: '' });
  });

  it('records the wrap-up code and notes given after the contact was completed without them (the caller hung up first)', async () => {
    const { agentId, contactId, attempt } = await assignedChat(bed.client);
    await bed.client.ok(AcdCommands.acceptOffer, { contactId, agentId, attempt });
    await bed.client.ok(AcdCommands.releaseContact, { contactId, agentId });
    expect(errorOf(await bed.client.send(AcdCommands.releaseContact, { contactId, agentId, wrapUpCode: 'no-sale' }))).toBe('NOT_FOUND wrap_up_code');
    expect(await bed.client.ok(AcdCommands.releaseContact, { contactId, agentId, wrapUpCode: 'sale', notes: 'Called back later' })).toMatchObject({ duplicate: true });
    const recorded = await bed.recorder.next<ContactWrapUpRecorded>('contact_wrap_up_recorded', { contactId });
    expect(recorded).toMatchObject({ agent: { agentId, site: 'sz' }, wrapUpCode: 'sale', notes: 'Called back later' });
    expect(bed.recorder.namesFor(contactId).filter((name) => name === 'contact_completed')).toHaveLength(1);
  });

  it('refuses a not-ready reason the tenant does not list, when pausing or declining an offer, naming reason_code', async () => {
    const { agentId, contactId, attempt } = await assignedChat(bed.client);
    expect(errorOf(await bed.client.send(AcdCommands.rejectOffer, { contactId, agentId, attempt, reasonCode: 'coffee' }))).toBe('NOT_FOUND reason_code');
    await bed.client.ok(AcdCommands.rejectOffer, { contactId, agentId, attempt, reasonCode: 'lunch' });
    expect(errorOf(await bed.client.send(AcdCommands.setAgentNotReady, { agentId, reasonCode: 'coffee' }))).toBe('NOT_FOUND reason_code');
    await bed.client.ok(AcdCommands.setAgentReady, { agentId });
    await bed.client.ok(AcdCommands.setAgentNotReady, { agentId, reasonCode: 'lunch' });
    const paused = await bed.recorder.next<AgentStateChanged>('agent_state_changed', { agentId, where: (m) => m.state === AgentState.NOT_READY && m.reasonCode === 'lunch' });
    expect(paused.agent?.agentId).toBe(agentId);
  });

  it("lets the acd's own reasons through a catalogue that does not list them", async () => {
    const agentId = await readyAgent(bed.client);
    for (const reasonCode of ['ring-no-answer', 'unreachable', 'rejected']) {
      expect(errorOf(await bed.client.send(AcdCommands.setAgentNotReady, { agentId, reasonCode }))).toBe('ok');
    }
  });

  it('takes any code from a tenant whose catalogues are empty', async () => {
    const { agentId, contactId, attempt } = await assignedChat(uncatalogued);
    await uncatalogued.ok(AcdCommands.acceptOffer, { contactId, agentId, attempt });
    await uncatalogued.ok(AcdCommands.releaseContact, { contactId, agentId, wrapUpCode: 'whatever', notes: 'n'.repeat(2_000) });
    expect(await bed.recorder.next<ContactCompleted>('contact_completed', { contactId })).toMatchObject({ tenant: 'globex', wrapUpCode: 'whatever' });
    await uncatalogued.ok(AcdCommands.endWrapUp, { agentId });
    await uncatalogued.ok(AcdCommands.setAgentNotReady, { agentId, reasonCode: 'coffee' });
    expect(errorOf(await uncatalogued.send(AcdCommands.releaseContact, { contactId, agentId, notes: 'n'.repeat(2_001) }))).toBe('INVALID_ARGUMENT notes');
  });
});
