// Model test of routing steps and overflow: random queues with ordered steps (preferred
// agent, named experts, skilled agents at a minimum level, supervisors, the whole centre)
// and a wait limit, random agents and random interleavings of contacts, agent actions and
// time passing under the injected clock. After every command Redis must agree with a plain
// reference model on each contact's state, queue and routing step; every offer must go to
// an agent the contact's steps so far allow; and no waiting contact may have a free agent
// its steps allow (work conservation across steps).
import fc from 'fast-check';
import type { Offer, RoutingStore } from '../src/routing/routing-store';
import type { RoutingStep } from '../src/queues/queue-definition';
import { meetsSkills, type SkillLevels } from '../src/routing/skill-profile';
import { openRoutingHarness, type RoutingHarness } from './routing-harness';

const MAIN = 'q';
const SPILL = 'q2';
const OFFER_TIMEOUT_MS = 4_000;
const AGENTS = 5;
const CONTACTS = 8;

type Kind = 'agent' | 'supervisor';

interface AgentSpec {
  readonly kind: Kind;
  readonly billing: number;
  readonly queues: readonly string[];
}

interface ModelAgent {
  presence: 'ready' | 'not-ready' | 'logged-out';
  busy: number;
  offered: number;
}

interface ModelContact {
  state: 'waiting' | 'offered' | 'assigned' | 'done';
  queue: string;
  steps: readonly RoutingStep[];
  /** 0-based, as Redis keeps it. */
  step: number;
  stepAt: number;
  overflowAt: number;
  skills: SkillLevels;
  preferred: string;
  offers: Set<string>;
  attempt: number;
  deadline: number;
  agent?: string;
}

interface Scenario {
  readonly steps: readonly RoutingStep[];
  readonly overflow: 'none' | 'voicemail' | 'queue';
  readonly agents: readonly AgentSpec[];
}

const OVERFLOW_AFTER_MS = 7_000;

class StepsModel {
  readonly contacts = new Map<string, ModelContact>();
  readonly agents = new Map<string, ModelAgent>();

  constructor(readonly scenario: Scenario) {}

  spec(agentId: string): AgentSpec {
    return this.scenario.agents[Number(agentId.slice(1))]!;
  }

  hasRoom(agentId: string): boolean {
    const agent = this.agents.get(agentId);
    return agent !== undefined && agent.presence === 'ready' && agent.busy + agent.offered < 1;
  }

  /** Whether step `step` of the contact admits the agent (its room aside). */
  admits(contact: ModelContact, step: RoutingStep, agentId: string): boolean {
    const spec = this.spec(agentId);
    switch (step.kind) {
      case 'preferred-agent':
        return agentId === contact.preferred;
      case 'named-agents':
        return step.agents.includes(agentId);
      case 'skilled': {
        const minLevel = step.minLevel ?? 0;
        const raised = Object.fromEntries(Object.entries(contact.skills).map(([skill, level]) => [skill, Math.max(level, minLevel)]));
        return this.agents.get(agentId)?.presence !== 'logged-out' && spec.queues.includes(contact.queue) && meetsSkills(spec.billing > 0 ? { billing: spec.billing } : {}, raised);
      }
      case 'supervisors':
        return spec.kind === 'supervisor';
      case 'whole-centre':
        return true;
    }
  }

  allowed(contact: ModelContact, agentId: string): boolean {
    return this.hasRoom(agentId) && contact.steps.slice(0, contact.step + 1).some((step) => this.admits(contact, step, agentId));
  }

  queueSteps(queue: string): readonly RoutingStep[] {
    return queue === MAIN && this.scenario.steps.length > 0 ? this.scenario.steps : [{ kind: 'skilled', timeoutMs: 0 }];
  }

  /** Starts routing a contact in `queue` at `now` (start_routing): a preferred step without a preferred agent is skipped. */
  start(contact: ModelContact, queue: string, now: number): void {
    contact.queue = queue;
    contact.steps = this.queueSteps(queue);
    contact.step = 0;
    while (contact.steps[contact.step]!.kind === 'preferred-agent' && contact.preferred === '' && contact.step < contact.steps.length - 1) contact.step++;
    contact.stepAt = now;
    contact.overflowAt = queue === MAIN && this.scenario.overflow !== 'none' ? now + OVERFLOW_AFTER_MS : 0;
    contact.state = 'waiting';
  }

  nextStepAt(contact: ModelContact): number | undefined {
    return contact.step < contact.steps.length - 1 ? contact.stepAt + contact.steps[contact.step]!.timeoutMs : undefined;
  }

  applyOffer(offer: Offer, now: number): void {
    const contact = this.contacts.get(offer.contactId)!;
    if (contact.state !== 'waiting') throw new Error(`offer of ${offer.contactId}, which is ${contact.state}`);
    if (!this.allowed(contact, offer.agentId)) {
      throw new Error(`offer of ${offer.contactId} (step ${contact.step} of ${JSON.stringify(contact.steps)}) to ${offer.agentId}, which its steps do not allow`);
    }
    contact.state = 'offered';
    contact.attempt += 1;
    contact.deadline = now + OFFER_TIMEOUT_MS;
    contact.offers = new Set([offer.agentId]);
    this.agents.get(offer.agentId)!.offered += 1;
  }

  withdraw(contactId: string, agentId: string): void {
    this.contacts.get(contactId)!.offers.delete(agentId);
    this.agents.get(agentId)!.offered -= 1;
  }

  checkWorkConservation(): void {
    for (const [id, contact] of this.contacts) {
      if (contact.state !== 'waiting') continue;
      for (const agentId of this.agents.keys()) {
        if (this.allowed(contact, agentId)) throw new Error(`${id} (step ${contact.step}) waits while ${agentId} could take it`);
      }
    }
  }
}

type Op =
  | { kind: 'enqueue'; contact: number; skill: number; preferred: number }
  | { kind: 'cancel'; contact: number }
  | { kind: 'login' | 'logout' | 'ready' | 'not-ready'; agent: number }
  | { kind: 'accept' | 'reject' | 'release'; pick: number }
  | { kind: 'advance'; ms: number };

const agentOp = <K extends 'login' | 'logout' | 'ready' | 'not-ready'>(kind: K) => fc.record({ kind: fc.constant(kind), agent: fc.nat(AGENTS - 1) });
const pickOp = <K extends 'accept' | 'reject' | 'release'>(kind: K) => fc.record({ kind: fc.constant(kind), pick: fc.nat(10) });
const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('enqueue' as const), contact: fc.nat(CONTACTS - 1), skill: fc.nat(3), preferred: fc.integer({ min: -1, max: AGENTS - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), contact: fc.nat(CONTACTS - 1) }) },
  { weight: 1, arbitrary: agentOp('login') },
  { weight: 1, arbitrary: agentOp('logout') },
  { weight: 2, arbitrary: agentOp('ready') },
  { weight: 1, arbitrary: agentOp('not-ready') },
  { weight: 2, arbitrary: pickOp('accept') },
  { weight: 1, arbitrary: pickOp('reject') },
  { weight: 2, arbitrary: pickOp('release') },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.constantFrom(1_000, 3_000, 6_000) }) },
);

const stepArbitrary: fc.Arbitrary<RoutingStep> = fc.oneof(
  fc.record({ kind: fc.constant('preferred-agent' as const), timeoutMs: fc.constantFrom(3_000, 6_000) }),
  fc.record({
    kind: fc.constant('named-agents' as const),
    agents: fc.uniqueArray(fc.nat(AGENTS - 1).map((n) => `a${n}`), { minLength: 1, maxLength: 2 }),
    timeoutMs: fc.constantFrom(3_000, 6_000),
  }),
  fc.record({ kind: fc.constant('skilled' as const), minLevel: fc.constantFrom(4, undefined), timeoutMs: fc.constantFrom(3_000, 6_000) }).map((step) =>
    step.minLevel === undefined ? { kind: step.kind, timeoutMs: step.timeoutMs } : step,
  ),
  fc.record({ kind: fc.constant('supervisors' as const), timeoutMs: fc.constantFrom(3_000, 6_000) }),
  fc.record({ kind: fc.constant('whole-centre' as const), timeoutMs: fc.constantFrom(3_000, 6_000) }),
);

const scenarioArbitrary = fc.record({
  // The last step lasts until the contact is taken.
  steps: fc.array(stepArbitrary, { minLength: 1, maxLength: 5 }).map((steps) => steps.map((step, i) => (i === steps.length - 1 ? { ...step, timeoutMs: 0 } : step))),
  overflow: fc.constantFrom<Scenario['overflow']>('voicemail', 'queue', 'none'),
  agents: fc.array(
    fc.record({
      kind: fc.constantFrom<Kind>('agent', 'agent', 'supervisor'),
      billing: fc.constantFrom(0, 2, 4, 5),
      queues: fc.constantFrom<readonly string[]>([MAIN], [MAIN, SPILL], [SPILL]),
    }),
    { minLength: AGENTS, maxLength: AGENTS },
  ),
  startReady: fc.array(fc.boolean(), { minLength: AGENTS, maxLength: AGENTS }),
  ops: fc.array(opArbitrary, { minLength: 10, maxLength: 60 }),
});

describe('routing steps and overflow against a reference model', () => {
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

  async function compareWithRedis(tenant: string, model: StepsModel): Promise<void> {
    const base = store.baseKey(tenant);
    const pipeline = harness.client.pipeline();
    for (const id of model.contacts.keys()) pipeline.hmget(`${base}:contact:${id}`, 'state', 'queue', 'step').smembers(`${base}:contact:${id}:offers`);
    for (const id of model.agents.keys()) pipeline.hmget(`${base}:agent:${id}`, 'presence', 'busy:voice', 'offered:voice');
    const replies = ((await pipeline.exec()) ?? []).map(([error, value]) => {
      if (error) throw error;
      return value;
    });
    let i = 0;
    for (const [id, contact] of model.contacts) {
      const [state, queue, step] = replies[i++] as [string, string, string];
      const offers = (replies[i++] as string[]).sort();
      const live = contact.state === 'waiting' || contact.state === 'offered';
      expect({ id, state, queue: live ? queue : '-', step: live ? Number(step) : '-', offers }).toEqual({
        id,
        state: contact.state,
        queue: live ? contact.queue : '-',
        step: live ? contact.step : '-',
        offers: [...contact.offers].sort(),
      });
    }
    for (const [id, agent] of model.agents) {
      const [presence, busy, offered] = replies[i++] as [string, string | null, string | null];
      expect({ id, presence, busy: Number(busy ?? 0), offered: Number(offered ?? 0) }).toEqual({ id, presence: agent.presence, busy: agent.busy, offered: agent.offered });
    }
  }

  /** The timers' pass (routing-timers.ts), one kind of timer after the other, followed in the model. */
  async function runTimers(tenant: string, model: StepsModel): Promise<void> {
    const now = harness.clock.now();
    // Ring-no-answer, one contact at a time, in deadline order.
    for (;;) {
      const due = [...model.contacts].filter(([, c]) => c.state === 'offered' && c.deadline <= now).sort(([a, x], [b, y]) => x.deadline - y.deadline || (a < b ? -1 : 1))[0];
      const expired = await store.expireOffers(tenant, 1);
      if (due === undefined) {
        expect(expired.rangOut).toEqual([]);
        break;
      }
      const [id, contact] = due;
      expect(expired.rangOut.map((r) => `${r.contactId}>${r.agentId}`)).toEqual([...contact.offers].map((a) => `${id}>${a}`));
      for (const agentId of [...contact.offers]) {
        model.withdraw(id, agentId);
        model.agents.get(agentId)!.presence = 'not-ready';
      }
      contact.state = 'waiting';
      for (const offer of expired.offers) model.applyOffer(offer, now);
    }
    // Steps: every contact whose next step is due moves through all steps due by now.
    const escalated = await store.escalateSteps(tenant, 1_000);
    const expectedEscalations = [...model.contacts]
      .filter(([, c]) => (c.state === 'waiting' || c.state === 'offered') && model.nextStepAt(c) !== undefined && model.nextStepAt(c)! <= now)
      .map(([id]) => id);
    expect([...escalated.contacts].sort()).toEqual(expectedEscalations.sort());
    for (const id of escalated.contacts) {
      const contact = model.contacts.get(id)!;
      for (let at = model.nextStepAt(contact); at !== undefined && at <= now; at = model.nextStepAt(contact)) {
        contact.step += 1;
        contact.stepAt = at;
      }
      for (const offer of escalated.offers.filter((o) => o.contactId === id)) model.applyOffer(offer, now);
    }
    // Overflow: waiting contacts past their queue's wait limit.
    const overflowed = await store.overflowContacts(tenant, 1_000);
    const expectedOverflows = [...model.contacts].filter(([, c]) => c.state === 'waiting' && c.overflowAt > 0 && c.overflowAt <= now).map(([id]) => id);
    expect([...overflowed.contacts].sort()).toEqual(expectedOverflows.sort());
    for (const id of overflowed.contacts) {
      const contact = model.contacts.get(id)!;
      if (model.scenario.overflow === 'voicemail') contact.state = 'done';
      else model.start(contact, SPILL, now);
      for (const offer of overflowed.offers.filter((o) => o.contactId === id)) model.applyOffer(offer, now);
    }
  }

  async function execute(tenant: string, model: StepsModel, op: Op): Promise<void> {
    const now = harness.clock.now();
    const agentId = (n: number) => `a${n}`;
    const pick = <T>(items: T[], n: number): T | undefined => (items.length === 0 ? undefined : items[n % items.length]);
    switch (op.kind) {
      case 'enqueue': {
        const id = `c${op.contact}`;
        if (model.contacts.has(id)) return;
        const skills: SkillLevels = op.skill === 0 ? {} : { billing: op.skill };
        const preferred = op.preferred < 0 ? '' : agentId(op.preferred);
        const contact: ModelContact = { state: 'waiting', queue: MAIN, steps: [], step: 0, stepAt: now, overflowAt: 0, skills, preferred, offers: new Set(), attempt: 0, deadline: 0 };
        model.start(contact, MAIN, now);
        model.contacts.set(id, contact);
        const result = await store.enqueue(tenant, { contactId: id, queue: MAIN, channel: 'voice', requiredSkills: skills, ...(preferred ? { preferredAgent: preferred } : {}) });
        // The preferred agent first, whenever a step so far allows it and it is free.
        if (preferred && model.allowed(contact, preferred)) expect(result.offers.map((o) => o.agentId)).toEqual([preferred]);
        for (const offer of result.offers) model.applyOffer(offer, now);
        break;
      }
      case 'cancel': {
        const id = `c${op.contact}`;
        const contact = model.contacts.get(id);
        if (contact === undefined || contact.state === 'assigned' || contact.state === 'done') return;
        const { offers } = await store.cancel(tenant, id);
        for (const agent of [...contact.offers]) model.withdraw(id, agent);
        contact.state = 'done';
        for (const offer of offers) model.applyOffer(offer, now);
        break;
      }
      case 'login': {
        const id = agentId(op.agent);
        if ((model.agents.get(id)?.presence ?? 'logged-out') !== 'logged-out') return;
        const spec = model.spec(id);
        await store.login(tenant, { agentId: id, site: 'bj', kind: spec.kind, skills: spec.billing > 0 ? { billing: spec.billing } : {}, capacity: { voice: 1 }, queues: [...spec.queues] });
        model.agents.set(id, { presence: 'not-ready', busy: 0, offered: 0 });
        break;
      }
      case 'logout': {
        const id = agentId(op.agent);
        const agent = model.agents.get(id);
        if (agent === undefined || agent.presence === 'logged-out' || agent.busy > 0) return;
        const { offers } = await store.logout(tenant, id);
        agent.presence = 'logged-out';
        for (const [cid, contact] of model.contacts) {
          if (!contact.offers.has(id)) continue;
          model.withdraw(cid, id);
          contact.state = 'waiting';
        }
        for (const offer of offers) model.applyOffer(offer, now);
        break;
      }
      case 'ready':
      case 'not-ready': {
        const id = agentId(op.agent);
        const agent = model.agents.get(id);
        if (agent === undefined || agent.presence === 'logged-out') return;
        agent.presence = op.kind;
        const offers = op.kind === 'ready' ? (await store.setReady(tenant, id)).offers : (await store.setNotReady(tenant, id, 'break'), []);
        for (const offer of offers) model.applyOffer(offer, now);
        break;
      }
      case 'accept':
      case 'reject': {
        const ringing = [...model.contacts].filter(([, c]) => c.state === 'offered').map(([id, c]) => ({ id, c, agent: [...c.offers][0]! }));
        const target = pick(ringing, op.pick);
        if (target === undefined) return;
        const offer = { contactId: target.id, agentId: target.agent, attempt: target.c.attempt };
        if (op.kind === 'accept') {
          await store.accept(tenant, offer);
          model.withdraw(target.id, target.agent);
          target.c.state = 'assigned';
          target.c.agent = target.agent;
          model.agents.get(target.agent)!.busy += 1;
        } else {
          const { offers } = await store.reject(tenant, offer, 'declined');
          model.withdraw(target.id, target.agent);
          model.agents.get(target.agent)!.presence = 'not-ready';
          target.c.state = 'waiting';
          for (const made of offers) model.applyOffer(made, now);
        }
        break;
      }
      case 'release': {
        const assigned = [...model.contacts].filter(([, c]) => c.state === 'assigned');
        const target = pick(assigned, op.pick);
        if (target === undefined) return;
        const [id, contact] = target;
        const { offers } = await store.release(tenant, id, contact.agent!);
        model.agents.get(contact.agent!)!.busy -= 1;
        contact.state = 'done';
        for (const offer of offers) model.applyOffer(offer, now);
        break;
      }
      case 'advance':
        harness.clock.advance(op.ms);
        await runTimers(tenant, model);
        break;
    }
    model.checkWorkConservation();
  }

  it('offers each contact only to agents its routing steps so far allow, escalates on time and overflows past the wait limit', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary, async (scenario) => {
        const tenant = `s${++run}`;
        await store.defineQueue(tenant, { queue: SPILL, offerTimeoutMs: OFFER_TIMEOUT_MS });
        await store.defineQueue(tenant, {
          queue: MAIN,
          offerTimeoutMs: OFFER_TIMEOUT_MS,
          steps: [...scenario.steps],
          ...(scenario.overflow === 'none' ? {} : { overflow: { afterMs: OVERFLOW_AFTER_MS, ...(scenario.overflow === 'queue' ? { queue: SPILL } : { voicemailMailbox: 'vm' }) } }),
        });
        const model = new StepsModel(scenario);
        const start: Op[] = scenario.startReady.flatMap((ready, agent) => (ready ? [{ kind: 'login', agent }, { kind: 'ready', agent }] : [{ kind: 'login', agent }]));
        for (const op of [...start, ...scenario.ops]) {
          await execute(tenant, model, op);
          await compareWithRedis(tenant, model);
        }
      }),
      { numRuns: 100 },
    );
  }, 60_000);
});
