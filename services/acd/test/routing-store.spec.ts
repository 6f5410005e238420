import type { AgentProfileInput } from '../src/agents/agent-profile';
import { InvalidInput } from '../src/validation/invalid-input';
import { RoutingError } from '../src/routing/routing-error';
import type { RoutingStore } from '../src/routing/routing-store';
import type { QueueDefinitionInput } from '../src/queues/queue-definition';
import { openRoutingHarness, type RoutingHarness } from './routing-harness';

const T = 'acme';

describe('RoutingStore against Redis', () => {
  let harness: RoutingHarness;
  let store: RoutingStore;
  let queueCount = 0;
  let queue: string;

  beforeAll(async () => {
    harness = await openRoutingHarness();
    store = harness.store();
  });

  afterAll(async () => {
    await harness.close();
  });

  // Each test gets fresh queue and agent ids, so tests share the namespace without meeting.
  async function defineQueue(definition: Partial<QueueDefinitionInput> = {}): Promise<string> {
    queue = `q${++queueCount}`;
    await store.defineQueue(T, { queue, offerTimeoutMs: 10_000, ...definition });
    return queue;
  }

  function agent(id: string, overrides: Partial<AgentProfileInput> = {}): AgentProfileInput {
    return { agentId: `${queue}-${id}`, site: 'bj', skills: {}, capacity: { voice: 1 }, queues: [queue], ...overrides };
  }

  async function readyAgent(id: string, overrides: Partial<AgentProfileInput> = {}) {
    await store.login(T, agent(id, overrides));
    return store.setReady(T, `${queue}-${id}`);
  }

  const a = (id: string) => `${queue}-${id}`;
  const c = (id: string) => `${queue}-${id}`;

  describe('enqueue', () => {
    it('waits when no agent is ready and reports position 1', async () => {
      await defineQueue();
      const result = await store.enqueue(T, { contactId: c('c1'), queue, channel: 'voice' });
      expect(result).toEqual({ duplicate: false, state: 'waiting', position: 1, offers: [] });
    });

    it('treats a repeated contact id as a no-op that reports the existing position', async () => {
      await defineQueue();
      await store.enqueue(T, { contactId: c('c1'), queue, channel: 'voice' });
      await store.enqueue(T, { contactId: c('c2'), queue, channel: 'voice' });
      const again = await store.enqueue(T, { contactId: c('c2'), queue, channel: 'voice', priority: 100 });
      expect(again).toEqual({ duplicate: true, state: 'waiting', position: 2, offers: [] });
      expect((await store.position(T, c('c2'))).position).toBe(2);
    });

    it('refuses an unknown queue with a typed error', async () => {
      await expect(store.enqueue(T, { contactId: 'x1', queue: 'nope', channel: 'voice' })).rejects.toMatchObject({
        kind: 'unknown-queue',
      });
    });

    it('refuses bad input naming each field', async () => {
      await defineQueue();
      const attempt = store.enqueue(T, { contactId: 'bad id', queue, channel: 'pigeon' as never, requiredSkills: { billing: 7 } });
      await expect(attempt).rejects.toBeInstanceOf(InvalidInput);
      await expect(attempt).rejects.toThrow(/contactId: .*channel: .*requiredSkills\.billing: must be at most 5/);
    });

    it('offers the contact at once to a ready agent', async () => {
      await defineQueue();
      await readyAgent('a1');
      const result = await store.enqueue(T, { contactId: c('c1'), queue, channel: 'voice' });
      expect(result.state).toBe('offered');
      expect(result.offers).toEqual([{ contactId: c('c1'), agentId: a('a1'), attempt: 1, deadlineMs: harness.clock.now() + 10_000 }]);
    });
  });

  describe('queue definitions', () => {
    it('routes by the definition as it is now: a change, or a deletion and a new definition, applies to the next contact at once', async () => {
      await defineQueue({ offerTimeoutMs: 1_000 });
      await readyAgent('a1', { capacity: { chat: 5 } });
      const deadlines: number[] = [];
      const offerOf = async (contact: string) => {
        const { offers } = await store.enqueue(T, { contactId: c(contact), queue, channel: 'chat' });
        deadlines.push((offers[0]?.deadlineMs ?? 0) - harness.clock.now());
      };
      await offerOf('c1');
      await store.defineQueue(T, { queue, offerTimeoutMs: 2_000 });
      await offerOf('c2');
      // The same change again within the same ms: still a new definition.
      await store.defineQueue(T, { queue, offerTimeoutMs: 3_000 });
      await offerOf('c3');
      for (const contact of ['c1', 'c2', 'c3']) await store.cancel(T, c(contact));
      await store.logout(T, a('a1'));
      await store.deleteQueue(T, queue);
      await store.defineQueue(T, { queue, offerTimeoutMs: 4_000 });
      await readyAgent('a1', { capacity: { chat: 5 } });
      await offerOf('c4');
      expect(deadlines).toEqual([1_000, 2_000, 3_000, 4_000]);
    });
  });

  describe('order of waiting contacts', () => {
    it('serves priority, then business value, then enqueue time', async () => {
      await defineQueue({ priorityPointMs: 1e9, businessValuePointMs: 1_000 });
      const now = harness.clock.now();
      await store.enqueue(T, { contactId: c('early'), queue, channel: 'voice', enqueuedAt: now - 5_000 });
      await store.enqueue(T, { contactId: c('late'), queue, channel: 'voice', enqueuedAt: now });
      await store.enqueue(T, { contactId: c('valuable'), queue, channel: 'voice', businessValue: 10, enqueuedAt: now });
      await store.enqueue(T, { contactId: c('vip'), queue, channel: 'voice', priority: 1, enqueuedAt: now });
      const positions = await Promise.all(['vip', 'valuable', 'early', 'late'].map((id) => store.position(T, c(id))));
      expect(positions.map((p) => p.position)).toEqual([1, 2, 3, 4]);
    });

    it('lets a long-waiting contact overtake a newer one of higher priority (aging)', async () => {
      await defineQueue({ priorityPointMs: 60_000 });
      const now = harness.clock.now();
      await store.enqueue(T, { contactId: c('old'), queue, channel: 'voice', enqueuedAt: now - 120_000 });
      await store.enqueue(T, { contactId: c('vip'), queue, channel: 'voice', priority: 1, enqueuedAt: now });
      expect((await store.position(T, c('old'))).position).toBe(1);
    });

    it('moves a contact ahead as its due time nears', async () => {
      await defineQueue({ dueWindowMs: 60_000 });
      const now = harness.clock.now();
      await store.enqueue(T, { contactId: c('plain'), queue, channel: 'email', enqueuedAt: now - 30_000 });
      await store.enqueue(T, { contactId: c('due'), queue, channel: 'email', enqueuedAt: now, dueAt: now + 10_000 });
      expect((await store.position(T, c('due'))).position).toBe(1);
    });

    it('offers the head of the queue to an agent who becomes ready', async () => {
      await defineQueue();
      await store.enqueue(T, { contactId: c('c1'), queue, channel: 'voice' });
      await store.enqueue(T, { contactId: c('c2'), queue, channel: 'voice', priority: 5 });
      const { offers } = await readyAgent('a1');
      expect(offers.map((o) => o.contactId)).toEqual([c('c2')]);
    });
  });

  describe('skills and capacity', () => {
    it('offers a contact only to agents meeting every minimum proficiency', async () => {
      await defineQueue();
      await readyAgent('novice', { skills: { billing: 2, english: 5 } });
      await readyAgent('expert', { skills: { billing: 4 } });
      const waiting = await store.enqueue(T, { contactId: c('c1'), queue, channel: 'voice', requiredSkills: { billing: 3, english: 2 } });
      expect(waiting.state).toBe('waiting');
      const { offers } = await readyAgent('both', { skills: { billing: 3, english: 2 } });
      expect(offers.map((o) => o.agentId)).toEqual([a('both')]);
    });

    it('fills per-channel capacity: three chats at once, but one call', async () => {
      await defineQueue();
      for (const id of ['ch1', 'ch2', 'ch3', 'ch4']) await store.enqueue(T, { contactId: c(id), queue, channel: 'chat' });
      for (const id of ['v1', 'v2']) await store.enqueue(T, { contactId: c(id), queue, channel: 'voice' });
      const { offers } = await readyAgent('a1', { capacity: { voice: 1, chat: 3 } });
      expect(offers.map((o) => o.contactId).sort()).toEqual([c('ch1'), c('ch2'), c('ch3'), c('v1')].sort());
      expect(await store.agentState(T, a('a1'))).toEqual({ kind: 'reserved' });
    });

    it('rings the phone for one call at a time: no callback during a call, and no call during a callback', async () => {
      await defineQueue();
      await readyAgent('a1', { capacity: { voice: 1, callback: 1, chat: 1 } });
      const [call] = (await store.enqueue(T, { contactId: c('call'), queue, channel: 'voice' })).offers;
      // Chat still fits beside a call; a callback, which rings the same phone, does not.
      expect((await store.enqueue(T, { contactId: c('chat'), queue, channel: 'chat' })).state).toBe('offered');
      expect((await store.enqueue(T, { contactId: c('callback'), queue, channel: 'callback' })).state).toBe('waiting');
      await store.accept(T, call!);
      const released = await store.release(T, c('call'), a('a1'));
      expect(released.offers.map((offer) => offer.contactId)).toEqual([c('callback')]);
      expect((await store.enqueue(T, { contactId: c('call2'), queue, channel: 'voice' })).state).toBe('waiting');
    });

    it('does not offer a channel the agent has no capacity for', async () => {
      await defineQueue();
      await readyAgent('a1', { capacity: { chat: 2 } });
      expect((await store.enqueue(T, { contactId: c('v1'), queue, channel: 'voice' })).state).toBe('waiting');
    });
  });

  describe('strategies', () => {
    async function offeredAgent(contact: string, channel: 'voice' | 'chat' = 'voice', requiredSkills = {}) {
      const result = await store.enqueue(T, { contactId: c(contact), queue, channel, requiredSkills });
      return result.offers.map((o) => o.agentId);
    }

    it('longest idle: the agent free the longest gets the contact', async () => {
      await defineQueue({ strategy: 'longest-idle' });
      await readyAgent('first');
      harness.clock.advance(1_000);
      await readyAgent('second');
      expect(await offeredAgent('c1')).toEqual([a('first')]);
      expect(await offeredAgent('c2')).toEqual([a('second')]);
    });

    it('fewest contacts: the agent who handled the fewest gets the contact', async () => {
      await defineQueue({ strategy: 'fewest-contacts' });
      await readyAgent('busy');
      await readyAgent('fresh');
      const [first] = (await store.enqueue(T, { contactId: c('c1'), queue, channel: 'voice' })).offers;
      await store.accept(T, first);
      await store.release(T, first.contactId, first.agentId);
      harness.clock.advance(1_000);
      // Whoever took c1 has handled one; the other none, though it has been idle for less time or more.
      const other = first.agentId === a('busy') ? a('fresh') : a('busy');
      expect(await offeredAgent('c2')).toEqual([other]);
    });

    it('round robin: offers rotate through the agents', async () => {
      await defineQueue({ strategy: 'round-robin' });
      for (const id of ['r1', 'r2', 'r3']) await readyAgent(id, { capacity: { chat: 5 } });
      const order = [];
      for (let i = 0; i < 6; i++) order.push(...(await offeredAgent(`c${i}`, 'chat')));
      expect(new Set(order.slice(0, 3)).size).toBe(3);
      expect(order.slice(3)).toEqual(order.slice(0, 3));
    });

    it('random: spreads contacts over the eligible agents', async () => {
      await defineQueue({ strategy: 'random' });
      for (const id of ['r1', 'r2', 'r3', 'r4']) await readyAgent(id, { capacity: { chat: 20 } });
      const chosen = new Set<string>();
      for (let i = 0; i < 40; i++) (await offeredAgent(`c${i}`, 'chat')).forEach((agentId) => chosen.add(agentId));
      expect(chosen.size).toBeGreaterThan(1);
    });

    it('skills-weighted: the most proficient agent in the required skills gets the contact', async () => {
      await defineQueue({ strategy: 'skills-weighted' });
      await readyAgent('good', { skills: { billing: 3, english: 3 } });
      await readyAgent('best', { skills: { billing: 5, english: 4 } });
      await readyAgent('other', { skills: { billing: 2, french: 5 } });
      expect(await offeredAgent('c1', 'voice', { billing: 2 })).toEqual([a('best')]);
    });

    it('weighted: combines idle time and proficiency by the queue weights', async () => {
      // One proficiency point is worth 60 s of idleness.
      await defineQueue({ strategy: 'weighted', weights: { idle: 1, skill: 60 } });
      await readyAgent('idle-novice', { skills: { billing: 1 } });
      harness.clock.advance(90_000);
      await readyAgent('fresh-expert', { skills: { billing: 3 } });
      // novice: idle 90 s more (−90 s) vs expert: +2 points (−120 s): the expert wins.
      expect(await offeredAgent('c1', 'voice', { billing: 1 })).toEqual([a('fresh-expert')]);
    });

    it('ring-all: offers to every eligible agent; the first to accept wins and frees the others', async () => {
      await defineQueue({ strategy: 'ring-all' });
      for (const id of ['r1', 'r2', 'r3']) await readyAgent(id);
      const ringing = await offeredAgent('c1');
      expect(ringing.sort()).toEqual([a('r1'), a('r2'), a('r3')]);
      await store.enqueue(T, { contactId: c('c2'), queue, channel: 'voice' });
      const { offers } = await store.accept(T, { contactId: c('c1'), agentId: a('r2'), attempt: 1 });
      // c2 was waiting: it now rings at the two agents freed by r2's answer.
      expect(offers.map((o) => o.agentId).sort()).toEqual([a('r1'), a('r3')]);
      await expect(store.accept(T, { contactId: c('c1'), agentId: a('r1'), attempt: 1 })).rejects.toMatchObject({ kind: 'not-offered' });
    });

    it('prefers the last agent when it is ready (sticky routing)', async () => {
      await defineQueue({ strategy: 'longest-idle' });
      await readyAgent('longest');
      harness.clock.advance(1_000);
      await readyAgent('last');
      const result = await store.enqueue(T, { contactId: c('c1'), queue, channel: 'voice', preferredAgent: a('last') });
      expect(result.offers.map((o) => o.agentId)).toEqual([a('last')]);
    });
  });

  describe('offers', () => {
    it('returns the contact to its original place when the agent does not answer', async () => {
      await defineQueue();
      await readyAgent('sleepy');
      const first = (await store.enqueue(T, { contactId: c('first'), queue, channel: 'voice' })).offers[0];
      harness.clock.advance(1);
      await store.enqueue(T, { contactId: c('second'), queue, channel: 'voice' });
      harness.clock.advance(10_000);
      const expired = await store.expireOffers(T);
      expect(expired.rangOut).toContainEqual({ contactId: first.contactId, agentId: a('sleepy') });
      expect(await store.agentState(T, a('sleepy'))).toEqual({ kind: 'not-ready', reasonCode: 'ring-no-answer' });
      expect(await store.position(T, c('first'))).toMatchObject({ state: 'waiting', position: 1 });
      // The next ready agent gets it, with a new attempt number.
      const { offers } = await readyAgent('awake');
      expect(offers).toEqual([expect.objectContaining({ contactId: c('first'), agentId: a('awake'), attempt: 2 })]);
    });

    it('refuses an answer to an offer that already rang out', async () => {
      await defineQueue();
      await readyAgent('late');
      const offer = (await store.enqueue(T, { contactId: c('c1'), queue, channel: 'voice' })).offers[0];
      harness.clock.advance(10_000);
      await store.expireOffers(T);
      await expect(store.accept(T, offer)).rejects.toBeInstanceOf(RoutingError);
    });

    it('makes a rejecting agent not ready and offers the contact to the next agent', async () => {
      await defineQueue();
      await readyAgent('no');
      const offer = (await store.enqueue(T, { contactId: c('c1'), queue, channel: 'voice' })).offers[0];
      await readyAgent('yes');
      const result = await store.reject(T, offer, 'declined');
      expect(result.returnedToQueue).toBe(true);
      expect(result.offers.map((o) => o.agentId)).toEqual([a('yes')]);
      expect(await store.agentState(T, a('no'))).toEqual({ kind: 'not-ready', reasonCode: 'declined' });
    });

    it('accepting twice is a no-op; the agent is busy', async () => {
      await defineQueue();
      await readyAgent('a1');
      const offer = (await store.enqueue(T, { contactId: c('c1'), queue, channel: 'voice' })).offers[0];
      expect((await store.accept(T, offer)).duplicate).toBe(false);
      expect((await store.accept(T, offer)).duplicate).toBe(true);
      expect(await store.agentState(T, a('a1'))).toEqual({ kind: 'busy' });
    });
  });

  describe('agent lifecycle', () => {
    it('wraps up after release, then takes the next contact when wrap-up ends', async () => {
      await defineQueue({ wrapUpMs: 30_000 });
      await readyAgent('a1');
      const offer = (await store.enqueue(T, { contactId: c('c1'), queue, channel: 'voice' })).offers[0];
      await store.accept(T, offer);
      await store.enqueue(T, { contactId: c('c2'), queue, channel: 'voice' });
      const released = await store.release(T, c('c1'), a('a1'));
      expect(released.wrapUpEndsAt).toBe(harness.clock.now() + 30_000);
      expect(await store.agentState(T, a('a1'))).toEqual({ kind: 'wrap-up' });
      expect((await store.endWrapUps(T)).agents).not.toContain(a('a1'));
      harness.clock.advance(30_000);
      const ended = await store.endWrapUps(T);
      expect(ended.agents).toContain(a('a1'));
      expect(ended.offers.map((o) => o.contactId)).toEqual([c('c2')]);
    });

    it('frees an agent at once, or pauses it, when a release skips the wrap-up; a repeated release changes nothing', async () => {
      await defineQueue({ wrapUpMs: 30_000 });
      await readyAgent('a1');
      const first = (await store.enqueue(T, { contactId: c('c1'), queue, channel: 'voice' })).offers[0];
      await store.accept(T, first);
      await store.enqueue(T, { contactId: c('c2'), queue, channel: 'voice' });
      const released = await store.release(T, c('c1'), a('a1'), { skipWrapUp: true });
      expect(released).toMatchObject({ duplicate: false, wrapUpEndsAt: undefined });
      expect(released.offers.map((o) => o.contactId)).toEqual([c('c2')]);
      expect(await store.release(T, c('c1'), a('a1'), { skipWrapUp: true })).toEqual({ duplicate: true, wrapUpEndsAt: undefined, offers: [] });

      await store.accept(T, released.offers[0]!);
      await store.enqueue(T, { contactId: c('c3'), queue, channel: 'voice' });
      const paused = await store.release(T, c('c2'), a('a1'), { skipWrapUp: true, notReadyReason: 'ring-no-answer' });
      expect(paused.offers).toEqual([]);
      expect(await store.agentState(T, a('a1'))).toEqual({ kind: 'not-ready', reasonCode: 'ring-no-answer' });
    });

    it('ends wrap-up early when the agent says ready', async () => {
      await defineQueue({ wrapUpMs: 30_000 });
      await readyAgent('a1');
      const offer = (await store.enqueue(T, { contactId: c('c1'), queue, channel: 'voice' })).offers[0];
      await store.accept(T, offer);
      await store.release(T, c('c1'), a('a1'));
      await store.setReady(T, a('a1'));
      expect(await store.agentState(T, a('a1'))).toEqual({ kind: 'ready' });
    });

    it('returns ringing contacts when the agent logs out, and refuses logout while busy', async () => {
      await defineQueue();
      await readyAgent('a1', { capacity: { voice: 1, chat: 1 } });
      const voice = (await store.enqueue(T, { contactId: c('v1'), queue, channel: 'voice' })).offers[0];
      await store.enqueue(T, { contactId: c('ch1'), queue, channel: 'chat' });
      await store.accept(T, voice);
      await expect(store.logout(T, a('a1'))).rejects.toMatchObject({ kind: 'agent-busy' });
      await store.release(T, c('v1'), a('a1'));
      const { returned } = await store.logout(T, a('a1'));
      expect(returned).toEqual([c('ch1')]);
      expect(await store.position(T, c('ch1'))).toMatchObject({ state: 'waiting', position: 1 });
      expect(await store.agentState(T, a('a1'))).toEqual({ kind: 'logged-out' });
    });

    it('keeps a not-ready agent out of routing', async () => {
      await defineQueue();
      await readyAgent('a1');
      await store.setNotReady(T, a('a1'), 'lunch');
      expect((await store.enqueue(T, { contactId: c('c1'), queue, channel: 'voice' })).state).toBe('waiting');
      expect(await store.agentState(T, a('a1'))).toEqual({ kind: 'not-ready', reasonCode: 'lunch' });
    });

    it('refuses commands for unknown or logged-out agents and bad profiles', async () => {
      await defineQueue();
      await expect(store.setReady(T, a('ghost'))).rejects.toMatchObject({ kind: 'unknown-agent' });
      await expect(store.login(T, agent('a1', { queues: ['missing'] }))).rejects.toMatchObject({ kind: 'unknown-queue' });
      await expect(store.login(T, agent('a1', { capacity: { voice: 0 } }))).rejects.toThrow('capacity: must allow at least one contact');
      await store.login(T, agent('a1'));
      await store.logout(T, a('a1'));
      await expect(store.setReady(T, a('a1'))).rejects.toMatchObject({ kind: 'not-logged-in' });
    });
  });

  describe('cancel', () => {
    it('removes a waiting contact and remembers it, so a redelivered enqueue is a no-op', async () => {
      await defineQueue();
      await store.enqueue(T, { contactId: c('c1'), queue, channel: 'voice' });
      await store.cancel(T, c('c1'));
      expect((await store.enqueue(T, { contactId: c('c1'), queue, channel: 'voice' })).duplicate).toBe(true);
      expect((await store.cancel(T, c('c1'))).duplicate).toBe(true);
    });

    it('frees the ringing agent, which takes the next contact', async () => {
      await defineQueue();
      await readyAgent('a1');
      await store.enqueue(T, { contactId: c('c1'), queue, channel: 'voice' });
      await store.enqueue(T, { contactId: c('c2'), queue, channel: 'voice' });
      const { offers } = await store.cancel(T, c('c1'));
      expect(offers.map((o) => [o.contactId, o.agentId])).toEqual([[c('c2'), a('a1')]]);
    });
  });

  describe('position and expected wait', () => {
    it('estimates the wait from the pace of recent offers', async () => {
      await defineQueue();
      await readyAgent('a1');
      for (let i = 0; i < 3; i++) {
        const offer = (await store.enqueue(T, { contactId: c(`done${i}`), queue, channel: 'voice' })).offers[0];
        await store.accept(T, offer);
        harness.clock.advance(60_000);
        await store.release(T, offer.contactId, offer.agentId);
      }
      await store.setNotReady(T, a('a1'), 'break');
      await store.enqueue(T, { contactId: c('w1'), queue, channel: 'voice' });
      await store.enqueue(T, { contactId: c('w2'), queue, channel: 'voice' });
      expect(await store.position(T, c('w2'))).toEqual({ state: 'waiting', position: 2, waiting: 2, expectedWaitMs: 120_000 });
    });

    it('goes on from the pace and turn a queue last offered by the previous version kept in its definition hash', async () => {
      await defineQueue();
      await store.enqueue(T, { contactId: c('w1'), queue, channel: 'voice' });
      // As the previous version left it: pace and turn among the definition's fields, no pace hash.
      const queueKey = `${store.baseKey(T)}:queue:${queue}`;
      await harness.client.del(`${queueKey}:pace`);
      await harness.client.hset(queueKey, 'turn', '41', 'lastOfferAt', String(harness.clock.now() - 50_000), 'offerIntervalMs', '30000');
      expect(await store.position(T, c('w1'))).toMatchObject({ position: 1, expectedWaitMs: 30_000 });
      await readyAgent('a1');
      expect(await harness.client.hmget(`${queueKey}:pace`, 'turn', 'offerIntervalMs')).toEqual(['42', '34000.000']);
      expect(await harness.client.hget(`${store.baseKey(T)}:agent:${a('a1')}`, `turn:${queue}`)).toBe('42');
    });
  });

  describe('a skill profile seen for the first time', () => {
    it('enrols the queue members in chunks, so its first contact never holds Redis for a whole centre', async () => {
      await defineQueue();
      // 700 members, one of them able to take the new profile, logged in before it appears.
      const members = Array.from({ length: 700 }, (_, n) => `m${n}`);
      await Promise.all(members.map((id) => readyAgent(id, { skills: id === 'm699' ? { rare: 3 } : {} })));
      const result = await store.enqueue(T, { contactId: c('c1'), queue, channel: 'voice', requiredSkills: { rare: 2 } });
      const ready = `${store.baseKey(T)}:queue:${queue}:ready:voice|rare=2`;
      const enrolled = await harness.client.scard(`${store.baseKey(T)}:agent:${a('m699')}:eligible`);
      // The first chunk only, with the rest left for continueEnrolments.
      expect(result.enrolling).toBe(true);
      expect(await harness.client.hlen(`${store.baseKey(T)}:enrolments`)).toBe(1);
      // The one able member may sit in the first chunk (SSCAN order is Redis's): then it is
      // offered at once, and the rest of the enrolment still goes on.
      if (result.offers.length === 0) expect(enrolled).toBe(0);
      await store.finishEnrolments(T);
      expect(await harness.client.hlen(`${store.baseKey(T)}:enrolments`)).toBe(0);
      expect(await harness.client.zrange(ready, 0, -1)).toEqual([]);
      expect(await store.agentState(T, a('m699'))).toEqual({ kind: 'reserved' });
      expect((await store.position(T, c('c1'))).state).toBe('offered');
    });
  });
});
