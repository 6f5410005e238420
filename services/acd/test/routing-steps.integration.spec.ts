// Routing steps, overflow, transfers, reassignment and position reports through a real
// replica, NATS and Redis, with the clock moved by hand and the timers run on demand.
import {
  AcdCommands,
  AgentKind,
  Channel,
  type ContactEscalated,
  type ContactOffered,
  type ContactOverflowed,
  type ContactPositionChanged,
  type ContactQueued,
  ContactState,
  type ContactTransferred,
  ErrorKind,
  RoutingStepKind,
} from '@lianluo/contracts';
import { RoutingTimers } from '../src/timers/routing-timers';
import { type AcdTestBed, openAcdTestBed } from './acd-harness';

describe('routing steps, overflow and transfers over NATS', () => {
  let bed: AcdTestBed;
  let timers: RoutingTimers;
  let prefix = '';
  let run = 0;

  beforeAll(async () => {
    bed = await openAcdTestBed();
    timers = bed.app.get(RoutingTimers);
  }, 30_000);

  afterAll(async () => {
    await bed.close();
  });

  // Each test names its own queues and agents.
  beforeEach(() => {
    prefix = `t${++run}`;
  });

  const id = (name: string) => `${prefix}-${name}`;

  async function agent(name: string, options: { kind?: AgentKind; skills?: Record<string, number>; queues: string[]; ready?: boolean }): Promise<void> {
    await bed.client.ok(AcdCommands.upsertAgent, {
      agent: {
        agentId: id(name),
        site: 'sz',
        kind: options.kind ?? AgentKind.AGENT,
        phone: { case: 'extension', value: '2001' },
        skills: options.skills ?? {},
        capacity: { voice: 1 },
        queues: options.queues.map(id),
      },
    });
    await bed.client.ok(AcdCommands.loginAgent, { agentId: id(name) });
    if (options.ready ?? true) await bed.client.ok(AcdCommands.setAgentReady, { agentId: id(name) });
  }

  const call = (name: string, queue: string, extra: { preferredAgent?: string; requiredSkills?: Record<string, number> } = {}) =>
    bed.client.ok(AcdCommands.enqueueContact, {
      contact: { contactId: id(name), queue: id(queue), channel: Channel.VOICE, site: 'bj', call: { tenant: 'acme', site: 'bj', callId: id(name) }, ...extra },
    });

  /** Moves the clock and runs the timers, as the replicas' loops would. */
  async function after(ms: number): Promise<void> {
    bed.clock.advance(ms);
    await timers.tick();
  }

  it('offers a repeat caller to its last agent first, and to any skilled agent once the window passes', async () => {
    await bed.client.ok(AcdCommands.upsertQueue, {
      queue: { queue: id('sales'), steps: [{ kind: RoutingStepKind.PREFERRED_AGENT, timeoutMs: 10_000 }, { kind: RoutingStepKind.SKILLED }] },
    });
    await agent('ann', { queues: ['sales'], ready: false });
    await agent('bob', { queues: ['sales'] });
    // Ann, the last agent, is busy elsewhere: the caller waits for her, not for Bob.
    expect(await call('c1', 'sales', { preferredAgent: id('ann') })).toMatchObject({ state: ContactState.WAITING, position: 1 });
    await after(9_999);
    expect(bed.recorder.namesFor(id('c1'))).toEqual(['contact_queued']);
    await after(1);
    const escalated = await bed.recorder.next<ContactEscalated>('contact_escalated', { contactId: id('c1') });
    expect(escalated).toMatchObject({ step: 1, stepKind: RoutingStepKind.SKILLED });
    await bed.recorder.next('contact_offered', { contactId: id('c1'), agentId: id('bob') });

    // Ann free: the next repeat caller of hers gets her at once.
    await bed.client.ok(AcdCommands.setAgentReady, { agentId: id('ann') });
    expect(await call('c2', 'sales', { preferredAgent: id('ann') })).toMatchObject({ state: ContactState.OFFERED });
    await bed.recorder.next('contact_offered', { contactId: id('c2'), agentId: id('ann') });
  });

  it('falls back from the named expert to other experts, supervisors and the whole centre as each step times out', async () => {
    await bed.client.ok(AcdCommands.upsertQueue, {
      queue: {
        queue: id('tech'),
        steps: [
          { kind: RoutingStepKind.NAMED_AGENTS, agents: [id('expert')], timeoutMs: 5_000 },
          { kind: RoutingStepKind.SKILLED, minLevel: 4, timeoutMs: 5_000 },
          { kind: RoutingStepKind.SUPERVISORS, timeoutMs: 5_000 },
          { kind: RoutingStepKind.WHOLE_CENTRE },
        ],
      },
    });
    await bed.client.ok(AcdCommands.upsertQueue, { queue: { queue: id('other') } });
    await agent('expert', { queues: ['tech'], skills: { network: 5 }, ready: false });
    await agent('senior', { queues: ['tech'], skills: { network: 4 }, ready: false });
    await agent('junior', { queues: ['tech'], skills: { network: 2 } });
    await agent('boss', { queues: ['other'], kind: AgentKind.SUPERVISOR, ready: false });
    await agent('sales', { queues: ['other'], ready: false });

    const offeredTo = async (contact: string) => (await bed.recorder.next<ContactOffered>('contact_offered', { contactId: id(contact) })).agent!.agentId;
    // Junior is free from the start, but only skilled agents at level 4 may take it from step 2.
    await call('c1', 'tech', { requiredSkills: { network: 2 } });
    await after(5_000);
    await bed.client.ok(AcdCommands.setAgentReady, { agentId: id('senior') });
    expect(await offeredTo('c1')).toBe(id('senior'));

    await call('c2', 'tech', { requiredSkills: { network: 5 } });
    await after(10_000);
    await bed.client.ok(AcdCommands.setAgentReady, { agentId: id('sales') });
    await bed.client.ok(AcdCommands.setAgentReady, { agentId: id('boss') });
    expect(await offeredTo('c2')).toBe(id('boss'));
    const steps = bed.recorder.events.filter((e) => e.name === 'contact_escalated' && e.message.contact?.contactId === id('c2')).map((e) => (e.message as ContactEscalated).stepKind);
    expect(steps).toEqual([RoutingStepKind.SKILLED, RoutingStepKind.SUPERVISORS]);

    await call('c3', 'tech', { requiredSkills: { network: 5 } });
    await after(15_000);
    expect(await offeredTo('c3')).toBe(id('sales'));
    // The callers hang up: a contact in the whole-centre step would ring at the next test's agents.
    for (const contact of ['c1', 'c2', 'c3']) await bed.client.ok(AcdCommands.cancelContact, { contactId: id(contact), reason: 1 });
  });

  it('overflows to voicemail when the wait limit passes with no agent free, and to another queue keeping the caller’s seniority', async () => {
    await bed.client.ok(AcdCommands.upsertQueue, { queue: { queue: id('spill') } });
    await bed.client.ok(AcdCommands.upsertQueue, { queue: { queue: id('night'), overflow: { afterMs: 60_000, target: { case: 'voicemailMailbox', value: id('vm') } } } });
    await bed.client.ok(AcdCommands.upsertQueue, { queue: { queue: id('day'), overflow: { afterMs: 30_000, target: { case: 'queue', value: id('spill') } } } });

    await call('c1', 'night');
    await after(59_999);
    expect(bed.recorder.namesFor(id('c1'))).toEqual(['contact_queued']);
    await after(1);
    const toVoicemail = await bed.recorder.next<ContactOverflowed>('contact_overflowed', { contactId: id('c1') });
    expect(toVoicemail).toMatchObject({ target: { case: 'voicemailMailbox', value: id('vm') }, contact: { queue: id('night'), call: expect.objectContaining({ callId: id('c1') }) } });
    expect(Number(toVoicemail.waitedMs)).toBe(60_000);
    expect(await bed.client.ok(AcdCommands.getContactPosition, { contactId: id('c1') })).toMatchObject({ state: ContactState.DONE });

    await call('c3', 'day');
    await after(10_000);
    await call('c2', 'spill');
    await after(20_000);
    await bed.recorder.next('contact_overflowed', { contactId: id('c3'), where: (m: ContactOverflowed) => m.target.case === 'queue' && m.target.value === id('spill') });
    const queued = await bed.recorder.next<ContactQueued>('contact_queued', { contactId: id('c3'), where: (m) => m.contact?.queue === id('spill') });
    // It keeps its seniority: ahead of c2, who called 10 s after it.
    expect(queued.position).toBe(1);
    await agent('ann', { queues: ['spill'] });
    await bed.recorder.next('contact_offered', { contactId: id('c3'), agentId: id('ann') });
  });

  it('lets an agent transfer a call to a queue or a colleague, and a supervisor reassign a waiting one', async () => {
    await bed.client.ok(AcdCommands.upsertQueue, { queue: { queue: id('front') } });
    await bed.client.ok(AcdCommands.upsertQueue, { queue: { queue: id('billing') } });
    await agent('ann', { queues: ['front'] });
    await agent('bob', { queues: ['billing'], ready: false });
    await agent('cat', { queues: ['front'], ready: false });

    await call('c1', 'front');
    const offered = await bed.recorder.next<ContactOffered>('contact_offered', { contactId: id('c1') });
    await bed.client.ok(AcdCommands.acceptOffer, { contactId: id('c1'), agentId: id('ann'), attempt: offered.attempt });
    const transferred = await bed.client.ok(AcdCommands.transferContact, { contactId: id('c1'), byAgentId: id('ann'), target: { case: 'queue', value: id('billing') } });
    expect(transferred).toMatchObject({ state: ContactState.WAITING, position: 1 });
    expect(await bed.recorder.next<ContactTransferred>('contact_transferred', { contactId: id('c1') })).toMatchObject({ fromQueue: id('front'), byAgentId: id('ann'), contact: { queue: id('billing') } });
    await bed.client.ok(AcdCommands.setAgentReady, { agentId: id('bob') });
    const atBob = await bed.recorder.next<ContactOffered>('contact_offered', { contactId: id('c1'), agentId: id('bob') });

    // Bob hands it to Cat, who is on a break: it waits for her alone, then for anyone of billing.
    await bed.client.ok(AcdCommands.acceptOffer, { contactId: id('c1'), agentId: id('bob'), attempt: atBob.attempt });
    await bed.client.ok(AcdCommands.transferContact, { contactId: id('c1'), byAgentId: id('bob'), target: { case: 'agentId', value: id('cat') }, agentWindowMs: 20_000 });
    await bed.client.ok(AcdCommands.setAgentReady, { agentId: id('cat') });
    await bed.recorder.next('contact_offered', { contactId: id('c1'), agentId: id('cat') });

    // A supervisor moves a waiting call to an agent who is free now.
    await bed.client.ok(AcdCommands.setAgentNotReady, { agentId: id('ann'), reasonCode: 'lunch' });
    await agent('dan', { queues: ['billing'], ready: false });
    await call('c2', 'front');
    expect(bed.recorder.namesFor(id('c2'))).toEqual(['contact_queued']);
    const refused = await bed.client.send(AcdCommands.reassignContact, { contactId: id('c2'), supervisorId: 'sup', target: { case: 'agentId', value: id('dan') } });
    expect(refused.ok ? 'ok' : `${ErrorKind[refused.error.kind]} ${refused.error.field}`).toBe('FAILED_PRECONDITION agent_id');
    await bed.client.ok(AcdCommands.setAgentReady, { agentId: id('dan') });
    expect(await bed.client.ok(AcdCommands.reassignContact, { contactId: id('c2'), supervisorId: 'sup', target: { case: 'agentId', value: id('dan') } })).toMatchObject({ state: ContactState.OFFERED });
    expect(await bed.recorder.next<ContactTransferred>('contact_transferred', { contactId: id('c2') })).toMatchObject({ toAgentId: id('dan'), bySupervisorId: 'sup' });
    await bed.recorder.next('contact_offered', { contactId: id('c2'), agentId: id('dan') });
  });

  it('reports a waiting contact’s new place and expected wait as the queue moves', async () => {
    await bed.client.ok(AcdCommands.upsertQueue, { queue: { queue: id('line') } });
    for (const name of ['c1', 'c2', 'c3']) await call(name, 'line');
    await after(5_000);
    const place = (contact: string, position: number) => bed.recorder.next<ContactPositionChanged>('contact_position_changed', { contactId: id(contact), where: (m) => m.position === position });
    expect(await place('c3', 3)).toMatchObject({ waiting: 3 });
    await bed.client.ok(AcdCommands.cancelContact, { contactId: id('c1'), reason: 1 });
    await after(5_000);
    expect(await place('c3', 2)).toMatchObject({ waiting: 2 });
    const reported = bed.recorder.events.filter((e) => e.name === 'contact_position_changed' && e.message.contact?.contactId === id('c3'));
    expect(reported.map((e) => (e.message as ContactPositionChanged).position)).toEqual([3, 2]);
  });
});
