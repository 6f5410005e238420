// The routing timers through a real replica, NATS and Redis, with a clock the test moves:
// ring-no-answer and wrap-up ends, and two replicas running their timers at the same time.
import {
  AcdCommands,
  AgentKind,
  AgentState,
  type AgentStateChanged,
  Channel,
  type ContactOffered,
  type ContactRingNoAnswer,
  ContactState,
} from '@lianluo/contracts';
import { RoutingTimers, type TimersPass } from '../src/timers/routing-timers';
import { type AcdTestBed, openAcdTestBed } from './acd-harness';

const OFFER_TIMEOUT_MS = 10_000;
const WRAP_UP_MS = 5_000;

describe('routing timers', () => {
  let bed: AcdTestBed;
  let timers: RoutingTimers;
  let queueCount = 0;
  let queue: string;

  beforeAll(async () => {
    bed = await openAcdTestBed('acme', { ACD_TIMER_BATCH: '7' });
    timers = bed.app.get(RoutingTimers);
  }, 30_000);

  afterAll(async () => {
    await bed.close();
  });

  beforeEach(async () => {
    queue = `q${++queueCount}`;
    await bed.client.ok(AcdCommands.upsertQueue, { queue: { queue, offerTimeoutMs: OFFER_TIMEOUT_MS, wrapUpMs: WRAP_UP_MS } });
  });

  const agentId = (name: string) => `${queue}-${name}`;

  async function readyAgent(name: string): Promise<void> {
    const id = agentId(name);
    await bed.client.ok(AcdCommands.upsertAgent, { agent: { agentId: id, site: 'bj', kind: AgentKind.AGENT, phone: { case: 'extension', value: '1001' }, capacity: { voice: 1 }, queues: [queue] } });
    await bed.client.ok(AcdCommands.loginAgent, { agentId: id });
    await bed.client.ok(AcdCommands.setAgentReady, { agentId: id });
  }

  const enqueue = (contactId: string) => bed.client.ok(AcdCommands.enqueueContact, { contact: { contactId: `${queue}-${contactId}`, queue, channel: Channel.VOICE } });

  it('returns the contact to its original place when the agent does not answer, and offers it to another agent', async () => {
    await readyAgent('ann');
    await enqueue('c1');
    const first = await bed.recorder.next<ContactOffered>('contact_offered', { contactId: `${queue}-c1` });
    expect(await enqueue('c2')).toMatchObject({ state: ContactState.WAITING, position: 1 });

    bed.clock.advance(OFFER_TIMEOUT_MS - 1);
    expect((await timers.tick()).rangOut).toBe(0);
    bed.clock.advance(1);
    expect((await timers.tick()).rangOut).toBe(1);

    const rona = await bed.recorder.next<ContactRingNoAnswer>('contact_ring_no_answer', { contactId: `${queue}-c1` });
    expect(rona).toMatchObject({ attempt: first.attempt, returnedToQueue: true, agent: { agentId: agentId('ann') } });
    const ann = await bed.recorder.next<AgentStateChanged>('agent_state_changed', { agentId: agentId('ann'), where: (m) => m.state === AgentState.NOT_READY && m.reasonCode === 'ring-no-answer' });
    expect(ann.previousState).toBe(AgentState.RESERVED);
    // Back ahead of the contact that came after it.
    expect(await bed.client.ok(AcdCommands.getContactPosition, { contactId: `${queue}-c1` })).toMatchObject({ state: ContactState.WAITING, position: 1, waiting: 2 });
    expect(await bed.client.ok(AcdCommands.acceptOffer, { contactId: `${queue}-c1`, agentId: agentId('ann'), attempt: first.attempt }).catch((e: Error) => e.message)).toMatch(
      /FAILED_PRECONDITION/,
    );

    await readyAgent('bob');
    const second = await bed.recorder.next<ContactOffered>('contact_offered', { contactId: `${queue}-c1`, agentId: agentId('bob') });
    expect(second.attempt).toBe(first.attempt + 1);
  });

  it('ends a wrap-up when it is due and offers the agent what waits', async () => {
    await readyAgent('ann');
    await enqueue('c1');
    const offered = await bed.recorder.next<ContactOffered>('contact_offered', { contactId: `${queue}-c1` });
    await bed.client.ok(AcdCommands.acceptOffer, { contactId: offered.contact!.contactId, agentId: agentId('ann'), attempt: offered.attempt });
    await bed.client.ok(AcdCommands.releaseContact, { contactId: offered.contact!.contactId, agentId: agentId('ann') });
    await enqueue('c2');

    bed.clock.advance(WRAP_UP_MS - 1);
    expect((await timers.tick()).wrapUpsEnded).toBe(0);
    bed.clock.advance(1);
    expect((await timers.tick()).wrapUpsEnded).toBe(1);
    await bed.recorder.next('agent_state_changed', { agentId: agentId('ann'), where: (m: AgentStateChanged) => m.previousState === AgentState.WRAP_UP });
    await bed.recorder.next('contact_offered', { contactId: `${queue}-c2`, agentId: agentId('ann') });
  });

  it('expires each offer and ends each wrap-up once while two replicas run their timers at the same time', async () => {
    const other = (await bed.startReplica()).get(RoutingTimers);
    // Offers left ringing by the tests before ring out first, so the passes below count only these.
    bed.clock.advance(OFFER_TIMEOUT_MS + WRAP_UP_MS);
    await timers.tick();
    const agents = Array.from({ length: 40 }, (_, i) => `a${i}`);
    await Promise.all(agents.map((name) => readyAgent(name)));
    await Promise.all(agents.map((_, i) => enqueue(`c${i}`)));
    const offers = await Promise.all(agents.map((_, i) => bed.recorder.next<ContactOffered>('contact_offered', { contactId: `${queue}-c${i}` })));

    const bothAtOnce = async (): Promise<TimersPass[]> => Promise.all([timers.tick(), other.tick(), timers.tick(), other.tick()]);
    bed.clock.advance(OFFER_TIMEOUT_MS);
    const expiring = await bothAtOnce();
    expect(expiring.reduce((sum, pass) => sum + pass.rangOut, 0)).toBe(agents.length);
    await Promise.all(offers.map((offer) => bed.recorder.next('contact_ring_no_answer', { contactId: offer.contact!.contactId })));
    const ronas = bed.recorder.events.filter((e) => e.name === 'contact_ring_no_answer' && e.message.contact!.contactId.startsWith(`${queue}-`));
    expect(ronas).toHaveLength(agents.length);

    // Everyone answers the second offer, talks, hangs up: forty wrap-ups end at the same moment.
    await Promise.all(agents.map((name) => bed.client.ok(AcdCommands.setAgentReady, { agentId: agentId(name) })));
    const again = await Promise.all(agents.map((_, i) => bed.recorder.next<ContactOffered>('contact_offered', { contactId: `${queue}-c${i}`, where: (m) => m.attempt === 2 })));
    for (const offer of again) {
      await bed.client.ok(AcdCommands.acceptOffer, { contactId: offer.contact!.contactId, agentId: offer.agent!.agentId, attempt: offer.attempt });
      await bed.client.ok(AcdCommands.releaseContact, { contactId: offer.contact!.contactId, agentId: offer.agent!.agentId });
    }
    bed.clock.advance(WRAP_UP_MS);
    const ending = await bothAtOnce();
    expect(ending.reduce((sum, pass) => sum + pass.wrapUpsEnded, 0)).toBe(agents.length);
    await Promise.all(agents.map((name) => bed.recorder.next('agent_state_changed', { agentId: agentId(name), where: (m: AgentStateChanged) => m.previousState === AgentState.WRAP_UP })));
    const wrapUpEnds = bed.recorder.events.filter(
      (e) => e.name === 'agent_state_changed' && e.message.agent!.agentId.startsWith(`${queue}-`) && (e.message as AgentStateChanged).previousState === AgentState.WRAP_UP,
    );
    expect(wrapUpEnds).toHaveLength(agents.length);
  });
});
