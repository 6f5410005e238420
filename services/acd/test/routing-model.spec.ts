// Model test of the routing scripts: random interleavings of every routing command run
// against real Redis and, side by side, against a plain in-memory reference model. After
// every command the outcome must match the model's prediction, each offer Redis chose must
// be one the model allows, and the whole Redis state must equal the model's: so no
// contact is ever assigned twice, lost, or beyond an agent's capacity. The events the scripts
// wrote to the outbox, folded, must tell the same state for every contact and agent.
import fc from 'fast-check';
import { agentStateOf, type Presence } from '../src/agents/agent-state';
import { outboxEventsOf } from '../src/routing/outbox-event';
import type { Channel } from '../src/contacts/channel';
import { RoutingError } from '../src/routing/routing-error';
import type { Offer, RoutingStore } from '../src/routing/routing-store';
import { meetsSkills, skillProfileOf, type SkillLevels } from '../src/routing/skill-profile';
import type { RoutingStrategy } from '../src/strategies/routing-strategy';
import { openRoutingHarness, type RoutingHarness } from './routing-harness';

const QUEUE = 'q';
const OFFER_TIMEOUT_MS = 10_000;
const CHANNELS: Channel[] = ['voice', 'chat'];
const CONTACTS = 10;
const AGENTS = 4;

interface ModelContact {
  state: 'waiting' | 'offered' | 'assigned' | 'done';
  channel: Channel;
  skills: SkillLevels;
  offers: Set<string>;
  attempt: number;
  deadline: number;
  agent?: string;
}

interface ModelAgent {
  presence: 'ready' | 'not-ready' | 'logged-out';
  reason: string;
  skills: SkillLevels;
  capacity: Partial<Record<Channel, number>>;
  busy: Record<Channel, number>;
  offered: Record<Channel, number>;
  wrapUntil: number | undefined;
}

type Outcome = 'ok' | 'duplicate' | string; // string: a RoutingError kind

/** The reference: what the ACD promises, written as plainly as possible. */
class ReferenceModel {
  readonly contacts = new Map<string, ModelContact>();
  readonly agents = new Map<string, ModelAgent>();
  readonly everAssigned = new Set<string>();

  constructor(
    readonly agentSpecs: Map<string, Pick<ModelAgent, 'skills' | 'capacity'>>,
    readonly wrapUpMs: number,
  ) {}

  hasRoom(agentId: string, channel: Channel): boolean {
    const agent = this.agents.get(agentId);
    if (agent === undefined || agent.presence !== 'ready' || agent.wrapUntil !== undefined) return false;
    return agent.busy[channel] + agent.offered[channel] < (agent.capacity[channel] ?? 0);
  }

  canTake(agentId: string, contact: ModelContact): boolean {
    const agent = this.agents.get(agentId);
    return agent !== undefined && meetsSkills(agent.skills, contact.skills) && this.hasRoom(agentId, contact.channel);
  }

  /** Applies an offer Redis reported, after checking the model allows it. */
  applyOffer(offer: Offer, now: number): void {
    const contact = this.contacts.get(offer.contactId);
    if (contact === undefined) throw new Error(`offer of unknown contact ${offer.contactId}`);
    if (contact.state !== 'waiting' && !(contact.state === 'offered' && contact.attempt === offer.attempt)) {
      throw new Error(`offer of ${offer.contactId} which is ${contact.state}`);
    }
    if (!this.canTake(offer.agentId, contact)) throw new Error(`offer of ${offer.contactId} to ${offer.agentId}, which cannot take it`);
    if (contact.state === 'waiting') {
      contact.state = 'offered';
      contact.attempt += 1;
      contact.deadline = now + OFFER_TIMEOUT_MS;
    }
    if (offer.attempt !== contact.attempt) throw new Error(`offer attempt ${offer.attempt}, model says ${contact.attempt}`);
    contact.offers.add(offer.agentId);
    this.agents.get(offer.agentId)!.offered[contact.channel] += 1;
  }

  withdraw(contactId: string, agentId: string): void {
    const contact = this.contacts.get(contactId)!;
    contact.offers.delete(agentId);
    this.agents.get(agentId)!.offered[contact.channel] -= 1;
  }

  /** The agent declined or rang out: not ready; the contact waits again once nobody rings. */
  decline(contactId: string, agentId: string, reason: string): void {
    this.withdraw(contactId, agentId);
    const agent = this.agents.get(agentId)!;
    agent.presence = 'not-ready';
    agent.reason = reason;
    const contact = this.contacts.get(contactId)!;
    if (contact.offers.size === 0) contact.state = 'waiting';
  }

  /** I4: no waiting contact has an agent able to take it. */
  checkWorkConservation(): void {
    for (const [contactId, contact] of this.contacts) {
      if (contact.state !== 'waiting') continue;
      for (const agentId of this.agents.keys()) {
        if (this.canTake(agentId, contact)) throw new Error(`${contactId} waits while ${agentId} could take it`);
      }
    }
  }

  nextExpiry(now: number): string | undefined {
    const due = [...this.contacts].filter(([, c]) => c.state === 'offered' && c.deadline <= now);
    due.sort(([idA, a], [idB, b]) => a.deadline - b.deadline || (idA < idB ? -1 : 1));
    return due[0]?.[0];
  }
}

type Op =
  | { kind: 'enqueue'; contact: number; channel: Channel; skill: number; priority: number }
  | { kind: 'cancel'; contact: number }
  | { kind: 'login' | 'logout' | 'ready' | 'not-ready'; agent: number }
  | { kind: 'accept' | 'reject'; pick: number }
  | { kind: 'release'; pick: number; after: 'wrap-up' | 'skip-wrap-up' | 'pause' }
  | { kind: 'accept-any' | 'reject-any'; contact: number; agent: number; attempt: number }
  | { kind: 'advance'; ms: number };

// One entry per command: constantFrom is biased towards its first value, which would
// starve the others (release, logout...) of runs.
const agentOp = (kind: 'login' | 'logout' | 'ready' | 'not-ready') => fc.record({ kind: fc.constant(kind), agent: fc.nat(AGENTS - 1) });
const pickOp = <K extends 'accept' | 'reject'>(kind: K) => fc.record({ kind: fc.constant(kind), pick: fc.nat(20) });
const anyOfferOp = (kind: 'accept-any' | 'reject-any') =>
  fc.record({ kind: fc.constant(kind), contact: fc.nat(CONTACTS - 1), agent: fc.nat(AGENTS - 1), attempt: fc.integer({ min: 1, max: 3 }) });
const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('enqueue' as const), contact: fc.nat(CONTACTS - 1), channel: fc.constantFrom(...CHANNELS), skill: fc.nat(3), priority: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), contact: fc.nat(CONTACTS - 1) }) },
  { weight: 1, arbitrary: agentOp('login') },
  { weight: 1, arbitrary: agentOp('logout') },
  { weight: 2, arbitrary: agentOp('ready') },
  { weight: 1, arbitrary: agentOp('not-ready') },
  { weight: 3, arbitrary: pickOp('accept') },
  { weight: 2, arbitrary: pickOp('reject') },
  // The queue's wrap-up, or none (a callback that never reached its customer), or none and paused (its agent's phone failed).
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('release' as const), pick: fc.nat(20), after: fc.constantFrom('wrap-up' as const, 'skip-wrap-up' as const, 'pause' as const) }) },
  { weight: 1, arbitrary: anyOfferOp('accept-any') },
  { weight: 1, arbitrary: anyOfferOp('reject-any') },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.constantFrom(1_000, 4_000, OFFER_TIMEOUT_MS) }) },
);

// Biased (first values) towards agents that can take contacts, so offers are frequent.
const agentSpecArbitrary = fc.record({
  billing: fc.constantFrom(3, 5, 0, 1, 2, 4),
  voice: fc.constantFrom(1, 0),
  chat: fc.constantFrom(2, 3, 0, 1),
});

const scenarioArbitrary = fc.record({
  strategy: fc.constantFrom<RoutingStrategy>('longest-idle', 'fewest-contacts', 'round-robin', 'random', 'skills-weighted', 'ring-all'),
  wrapUpMs: fc.constantFrom(5_000, 0),
  agents: fc.array(agentSpecArbitrary, { minLength: AGENTS, maxLength: AGENTS }),
  // Most agents start logged in and ready, so offers meet other ready agents early on.
  startReady: fc.array(fc.boolean(), { minLength: AGENTS, maxLength: AGENTS }),
  ops: fc.array(opArbitrary, { minLength: 10, maxLength: 70 }),
});

async function outcomeOf(action: () => Promise<{ duplicate?: boolean; offers?: readonly Offer[] }>): Promise<{ outcome: Outcome; offers: readonly Offer[] }> {
  try {
    const result = await action();
    return { outcome: result.duplicate ? 'duplicate' : 'ok', offers: result.offers ?? [] };
  } catch (error) {
    if (error instanceof RoutingError) return { outcome: error.kind, offers: [] };
    throw error;
  }
}

describe('routing scripts against a reference model', () => {
  let harness: RoutingHarness;
  let store: RoutingStore;
  let run = 0;

  beforeAll(async () => {
    harness = await openRoutingHarness();
    store = harness.store();
  });

  afterAll(async () => {
    await harness.close();
  });

  /** What the outbox said so far, per tenant: the last entry read and the state each event left. */
  const reported = new Map<string, { lastId: string; contacts: Map<string, string>; agents: Map<string, string> }>();

  /**
   * I5: folds the events written since the last look and checks they tell the state: every
   * contact's last lifecycle event matches its state, every agent's last state event its state.
   */
  async function compareEventsWithRedis(tenant: string, model: ReferenceModel, agentHashes: Map<string, Record<string, string>>): Promise<void> {
    const seen = reported.get(tenant) ?? { lastId: '0-0', contacts: new Map(), agents: new Map() };
    reported.set(tenant, seen);
    const entries = await harness.client.xrange(store.outboxKey(tenant), `(${seen.lastId}`, '+');
    for (const [id, fields] of entries) {
      seen.lastId = id;
      for (const event of outboxEventsOf(fields[1]!) as { type: string; contact?: string; agent?: string; returned?: boolean; state?: string; reason?: string }[]) {
        const contactState: Record<string, string | undefined> = {
          queued: 'waiting',
          offered: 'offered',
          accepted: 'assigned',
          rejected: event.returned ? 'waiting' : 'offered',
          ring_no_answer: event.returned ? 'waiting' : 'offered',
          abandoned: 'done',
          completed: 'done',
        };
        if (event.type === 'agent_state') seen.agents.set(event.agent!, event.state === 'not-ready' ? `not-ready/${event.reason}` : event.state!);
        else if (contactState[event.type]) seen.contacts.set(event.contact!, contactState[event.type]!);
      }
    }
    for (const [id, contact] of model.contacts) expect({ id, reported: seen.contacts.get(id) }).toEqual({ id, reported: contact.state });
    for (const [id, hash] of agentHashes) {
      const state = agentStateOf({
        presence: hash.presence as Presence,
        reasonCode: hash.reason,
        busy: { voice: Number(hash['busy:voice'] ?? 0), chat: Number(hash['busy:chat'] ?? 0) },
        offered: { voice: Number(hash['offered:voice'] ?? 0), chat: Number(hash['offered:chat'] ?? 0) },
        wrappingUp: hash.wrapping === '1',
      });
      const expected = state.kind === 'not-ready' ? `not-ready/${state.reasonCode}` : state.kind;
      expect({ id, reported: seen.agents.get(id) ?? 'logged-out' }).toEqual({ id, reported: expected });
    }
  }

  async function compareWithRedis(tenant: string, model: ReferenceModel): Promise<void> {
    const base = store.baseKey(tenant);
    const pipeline = harness.client.pipeline();
    const contactIds = [...model.contacts.keys()];
    const agentIds = [...model.agents.keys()];
    for (const id of contactIds) pipeline.hgetall(`${base}:contact:${id}`).smembers(`${base}:contact:${id}:offers`);
    for (const id of agentIds) pipeline.hgetall(`${base}:agent:${id}`);
    const profiles = new Set([...model.contacts.values()].map((c) => skillProfileOf(c.channel, c.skills)));
    for (const profile of profiles) pipeline.zrange(`${base}:queue:${QUEUE}:ready:${profile}`, 0, -1).zrange(`${base}:queue:${QUEUE}:waiting:${profile}`, 0, -1);
    pipeline.zrange(`${base}:queue:${QUEUE}:waiting`, 0, -1).zrange(`${base}:offer-deadlines`, 0, -1, 'WITHSCORES');
    const replies = ((await pipeline.exec()) ?? []).map(([error, value]) => {
      if (error) throw error;
      return value;
    });

    let i = 0;
    const waiting: string[] = [];
    const deadlines: string[] = [];
    for (const id of contactIds) {
      const hash = replies[i++] as Record<string, string>;
      const offers = (replies[i++] as string[]).sort();
      const contact = model.contacts.get(id)!;
      expect({ id, state: hash.state, offers, agent: hash.state === 'assigned' ? hash.agent : undefined }).toEqual({
        id,
        state: contact.state,
        offers: [...contact.offers].sort(),
        agent: contact.state === 'assigned' ? contact.agent : undefined,
      });
      if (contact.state === 'waiting') waiting.push(id);
      if (contact.state === 'offered') deadlines.push(id, String(contact.deadline));
    }
    const agentHashes = new Map<string, Record<string, string>>();
    for (const id of agentIds) {
      const hash = replies[i++] as Record<string, string>;
      agentHashes.set(id, hash);
      const agent = model.agents.get(id)!;
      for (const channel of CHANNELS) {
        const busy = Number(hash[`busy:${channel}`] ?? 0);
        const offered = Number(hash[`offered:${channel}`] ?? 0);
        expect({ id, channel, busy, offered }).toEqual({ id, channel, busy: agent.busy[channel], offered: agent.offered[channel] });
        // I2, asserted on Redis itself.
        if (agent.presence !== 'logged-out') expect(busy + offered).toBeLessThanOrEqual(agent.capacity[channel] ?? 0);
      }
      expect({ id, presence: hash.presence, wrapping: hash.wrapping === '1' }).toEqual({ id, presence: agent.presence, wrapping: agent.wrapUntil !== undefined });
    }
    for (const profile of profiles) {
      const ready = (replies[i++] as string[]).sort();
      const waitingOfProfile = (replies[i++] as string[]).sort();
      const expectedReady = agentIds.filter((id) => model.canTake(id, { channel: profile.split('|')[0] as Channel, skills: skillsOfProfile(profile) } as ModelContact));
      expect({ profile, ready }).toEqual({ profile, ready: expectedReady.sort() });
      const expectedWaiting = contactIds.filter((id) => model.contacts.get(id)!.state === 'waiting' && skillProfileOf(model.contacts.get(id)!.channel, model.contacts.get(id)!.skills) === profile);
      expect({ profile, waitingOfProfile }).toEqual({ profile, waitingOfProfile: expectedWaiting.sort() });
    }
    expect((replies[i++] as string[]).sort()).toEqual(waiting.sort());
    const deadlinePairs = replies[i++] as string[];
    const redisDeadlines = new Map<string, string>();
    for (let d = 0; d < deadlinePairs.length; d += 2) redisDeadlines.set(deadlinePairs[d], deadlinePairs[d + 1]);
    const modelDeadlines = new Map<string, string>();
    for (let d = 0; d < deadlines.length; d += 2) modelDeadlines.set(deadlines[d], deadlines[d + 1]);
    expect(redisDeadlines).toEqual(modelDeadlines);
    await compareEventsWithRedis(tenant, model, agentHashes);
  }

  function skillsOfProfile(profile: string): SkillLevels {
    const encoded = profile.split('|')[1];
    return encoded === '' ? {} : Object.fromEntries(encoded.split(',').map((pair) => [pair.split('=')[0], Number(pair.split('=')[1])]));
  }

  async function execute(tenant: string, model: ReferenceModel, op: Op): Promise<void> {
    const now = harness.clock.now();
    const agentId = (n: number) => `a${n}`;
    const contactId = (n: number) => `c${n}`;
    const offered = () => [...model.contacts].filter(([, c]) => c.state === 'offered').flatMap(([id, c]) => [...c.offers].sort().map((agent) => ({ id, agent, contact: c })));
    const pick = <T>(items: T[], n: number): T | undefined => (items.length === 0 ? undefined : items[n % items.length]);
    // An outstanding offer of the model (accept, reject), or any triple at all (accept-any, reject-any).
    const offerTarget = (op: Extract<Op, { kind: 'accept' | 'reject' | 'accept-any' | 'reject-any' }>) => {
      if (!('pick' in op)) {
        return { id: contactId(op.contact), agent: agentId(op.agent), contact: model.contacts.get(contactId(op.contact)), attempt: op.attempt };
      }
      const chosen = pick(offered(), op.pick);
      return chosen && { ...chosen, attempt: chosen.contact.attempt };
    };
    let expected: Outcome;
    let result: { outcome: Outcome; offers: readonly Offer[] };

    switch (op.kind) {
      case 'enqueue': {
        const id = contactId(op.contact);
        const skills: SkillLevels = op.skill === 0 ? {} : { billing: op.skill + 1 };
        expected = model.contacts.has(id) ? 'duplicate' : 'ok';
        result = await outcomeOf(() => store.enqueue(tenant, { contactId: id, queue: QUEUE, channel: op.channel, requiredSkills: skills, priority: op.priority }));
        if (expected === 'ok') model.contacts.set(id, { state: 'waiting', channel: op.channel, skills, offers: new Set(), attempt: 0, deadline: 0 });
        break;
      }
      case 'cancel': {
        const id = contactId(op.contact);
        const contact = model.contacts.get(id);
        expected = contact === undefined ? 'unknown-contact' : contact.state === 'done' ? 'duplicate' : contact.state === 'assigned' ? 'contact-assigned' : 'ok';
        result = await outcomeOf(() => store.cancel(tenant, id));
        if (expected === 'ok') {
          for (const agent of [...contact!.offers]) model.withdraw(id, agent);
          contact!.state = 'done';
        }
        break;
      }
      case 'login': {
        const id = agentId(op.agent);
        const agent = model.agents.get(id);
        expected = agent !== undefined && agent.presence !== 'logged-out' ? 'duplicate' : 'ok';
        const spec = model.agentSpecs.get(id)!;
        result = await outcomeOf(() => store.login(tenant, { agentId: id, site: 'bj', skills: spec.skills, capacity: spec.capacity, queues: [QUEUE] }));
        if (expected === 'ok') {
          model.agents.set(id, { presence: 'not-ready', reason: 'login', ...spec, busy: { voice: 0, chat: 0 } as never, offered: { voice: 0, chat: 0 } as never, wrapUntil: undefined });
        }
        break;
      }
      case 'logout': {
        const id = agentId(op.agent);
        const agent = model.agents.get(id);
        const busy = agent !== undefined && CHANNELS.some((ch) => agent.busy[ch] > 0);
        expected = agent === undefined ? 'unknown-agent' : agent.presence === 'logged-out' ? 'duplicate' : busy ? 'agent-busy' : 'ok';
        result = await outcomeOf(() => store.logout(tenant, id));
        if (expected === 'ok') {
          agent!.presence = 'logged-out';
          agent!.wrapUntil = undefined;
          for (const [cid, contact] of model.contacts) {
            if (!contact.offers.has(id)) continue;
            model.withdraw(cid, id);
            if (contact.offers.size === 0) contact.state = 'waiting';
          }
        }
        break;
      }
      case 'ready':
      case 'not-ready': {
        const id = agentId(op.agent);
        const agent = model.agents.get(id);
        expected = agent === undefined ? 'unknown-agent' : agent.presence === 'logged-out' ? 'not-logged-in' : 'ok';
        result = await outcomeOf(async () => (op.kind === 'ready' ? store.setReady(tenant, id) : (await store.setNotReady(tenant, id, 'break'), {})));
        if (expected === 'ok') {
          agent!.presence = op.kind;
          agent!.reason = op.kind === 'ready' ? '' : 'break';
          if (op.kind === 'ready') agent!.wrapUntil = undefined;
        }
        break;
      }
      case 'accept':
      case 'accept-any': {
        const target = offerTarget(op);
        if (target === undefined) return;
        const { contact, attempt } = target;
        const isCurrent = contact !== undefined && contact.attempt === attempt;
        expected =
          isCurrent && contact.state === 'offered' && contact.offers.has(target.agent)
            ? 'ok'
            : isCurrent && contact.state === 'assigned' && contact.agent === target.agent
              ? 'duplicate'
              : 'not-offered';
        result = await outcomeOf(() => store.accept(tenant, { contactId: target.id, agentId: target.agent, attempt }));
        if (expected === 'ok') {
          if (model.everAssigned.has(target.id)) throw new Error(`${target.id} assigned twice`);
          model.everAssigned.add(target.id);
          for (const agent of [...contact!.offers]) model.withdraw(target.id, agent);
          contact!.state = 'assigned';
          contact!.agent = target.agent;
          model.agents.get(target.agent)!.busy[contact!.channel] += 1;
        }
        break;
      }
      case 'reject':
      case 'reject-any': {
        const target = offerTarget(op);
        if (target === undefined) return;
        const { contact, attempt } = target;
        expected = contact !== undefined && contact.state === 'offered' && contact.attempt === attempt && contact.offers.has(target.agent) ? 'ok' : 'not-offered';
        result = await outcomeOf(() => store.reject(tenant, { contactId: target.id, agentId: target.agent, attempt }, 'declined'));
        if (expected === 'ok') model.decline(target.id, target.agent, 'declined');
        break;
      }
      case 'release': {
        const assigned = [...model.contacts].filter(([, c]) => c.state === 'assigned');
        const target = pick(assigned, op.pick);
        if (target === undefined) return;
        const [id, contact] = target;
        expected = 'ok';
        const options = op.after === 'wrap-up' ? {} : { skipWrapUp: true, ...(op.after === 'pause' ? { notReadyReason: 'unreachable' } : {}) };
        result = await outcomeOf(() => store.release(tenant, id, contact.agent!, options));
        const agent = model.agents.get(contact.agent!)!;
        agent.busy[contact.channel] -= 1;
        contact.state = 'done';
        if (model.wrapUpMs > 0 && op.after === 'wrap-up') agent.wrapUntil = Math.max(agent.wrapUntil ?? 0, now + model.wrapUpMs);
        if (op.after === 'pause') Object.assign(agent, { presence: 'not-ready', reason: 'unreachable' });
        break;
      }
      case 'advance': {
        harness.clock.advance(op.ms);
        const later = harness.clock.now();
        // One contact per call, so the model can follow the order of events exactly.
        for (;;) {
          const due = model.nextExpiry(later);
          const expired = await store.expireOffers(tenant, 1);
          if (due === undefined) {
            expect(expired.rangOut).toEqual([]);
            break;
          }
          const contact = model.contacts.get(due)!;
          expect(expired.rangOut.map((r) => `${r.contactId}>${r.agentId}`).sort()).toEqual([...contact.offers].map((a) => `${due}>${a}`).sort());
          for (const agent of [...contact.offers].sort()) model.decline(due, agent, 'ring-no-answer');
          for (const offer of expired.offers) model.applyOffer(offer, later);
        }
        const ending = [...model.agents].filter(([, a]) => a.wrapUntil !== undefined && a.wrapUntil <= later).map(([id]) => id);
        const ended = await store.endWrapUps(tenant);
        expect([...ended.agents].sort()).toEqual(ending.sort());
        for (const id of ending) model.agents.get(id)!.wrapUntil = undefined;
        for (const offer of ended.offers) model.applyOffer(offer, later);
        model.checkWorkConservation();
        return;
      }
    }
    expect({ op, outcome: result.outcome }).toEqual({ op, outcome: expected });
    for (const offer of result.offers) model.applyOffer(offer, now);
    model.checkWorkConservation();
  }

  it('never assigns a contact twice, never loses one and never exceeds capacity', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary, async (scenario) => {
        const tenant = `t${++run}`;
        await store.defineQueue(tenant, { queue: QUEUE, strategy: scenario.strategy, wrapUpMs: scenario.wrapUpMs, offerTimeoutMs: OFFER_TIMEOUT_MS });
        const specs = new Map<string, Pick<ModelAgent, 'skills' | 'capacity'>>(
          scenario.agents.map((spec, n) => [
            `a${n}`,
            {
              skills: (spec.billing === 0 ? {} : { billing: spec.billing }) as SkillLevels,
              // At least one slot somewhere, as validation demands.
              capacity: spec.voice + spec.chat === 0 ? { chat: 1 } : { voice: spec.voice, chat: spec.chat },
            },
          ]),
        );
        const model = new ReferenceModel(specs, scenario.wrapUpMs);
        const start: Op[] = scenario.startReady.flatMap((ready, agent) => (ready ? [{ kind: 'login', agent }, { kind: 'ready', agent }] : []));
        for (const op of [...start, ...scenario.ops]) {
          await execute(tenant, model, op);
          await compareWithRedis(tenant, model);
        }
      }),
      { numRuns: 120 },
    );
  }, 60_000);
});
