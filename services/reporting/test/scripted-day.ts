// A day of a two-site centre, generated from a seed: what really happened to each contact
// and each agent (the truth the tests compute their figures from) and the events of every
// domain that tell it, as the media gateway, acd, ivr and voicemail publish them.
import { AgentState, CancelReason, FlowOutcome, QueueChoice } from '@lianluo/contracts';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { type ScriptedEvent, type AcdContact, acdEvent, agentStateEvent, callEvent, ivrEvent, messageLeftEvent } from './scripted-events';

export const TENANT = 'acme';
export const QUEUES = ['sales', 'billing', 'support'] as const;
export const SITES = ['bj', 'sz'] as const;
export const AGENTS = Array.from({ length: 12 }, (_, i) => ({ id: `agent-${String(i + 1).padStart(2, '0')}`, site: SITES[i % 2] as string }));
/** Rings for the contacts that meet a ring-no-answer first; its states are not scripted. */
const RONA_AGENT = { id: 'agent-rona', site: 'sz' };
/** Every agent is ready from 07:00 and logged out at 23:00, so each interval of the day is closed. */
export const SHIFT = { fromMs: 7 * 3600_000, toMs: 23 * 3600_000 } as const;
/** acd releases a call's contact this long after the call hangs up (it reacts to call.hungup). */
export const RELEASE_DELAY_MS = 50;
const WRAP_UP_DUE_MS = [0, 15_000, 30_000, 60_000] as const;

export type Fate = 'answered' | 'abandoned' | 'overflowed' | 'withdrawn' | 'self-service';

/** What happened to one contact, in whole milliseconds. */
export interface ContactTruth {
  readonly contactId: string;
  readonly site: string;
  readonly customerId: string;
  readonly startedAtMs: number;
  readonly fate: Fate;
  /** The key chosen in the flow's main menu: the queue's number, or 9 (self-service). */
  readonly menuKey: string;
  readonly queue?: string;
  readonly queuedAtMs?: number;
  /** Queued until answered, abandoned, withdrawn (voicemail key) or overflowed. */
  readonly waitMs?: number;
  readonly agent?: { id: string; site: string };
  readonly offeredAtMs?: number;
  readonly talkMs?: number;
  /** The wrap-up the agent really did (0 for a queue without wrap-up); it may end before or after it was due. */
  readonly wrapUpMs?: number;
  readonly wrapUpDueMs?: number;
  /** Agent answered to the end of wrap-up. */
  readonly handleMs?: number;
  /** Offered to an agent who did not answer before the one who did. */
  readonly ringNoAnswer?: boolean;
  /** The message left in voicemail (overflowed, or withdrawn by the caller's key). */
  readonly messageId?: string;
}

/** mulberry32: a small seeded generator, so a failing day can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ScriptedDay {
  readonly dayStartMs: number;
  readonly contacts: ContactTruth[];
  /** Call events, as the media gateways publish them. */
  readonly callEvents: ScriptedEvent[];
  /** acd's contact events and agent state changes. */
  readonly acdEvents: ScriptedEvent[];
  readonly ivrEvents: ScriptedEvent[];
  readonly voicemailEvents: ScriptedEvent[];
}

/** A contact before an agent is found for it: every random draw is made here, in a fixed order. */
interface Draft extends ContactTruth {
  readonly agentRoll: number;
}

export function scriptedDay(seed: number, dayStartMs: number, count: number): ScriptedDay {
  const next = random(seed);
  const between = (min: number, max: number) => Math.floor(min + next() * (max - min));
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
  const drafts: Draft[] = [];
  for (let i = 0; i < count; i++) {
    const roll = next();
    const fate: Fate = roll < 0.64 ? 'answered' : roll < 0.82 ? 'abandoned' : roll < 0.88 ? 'overflowed' : roll < 0.94 ? 'withdrawn' : 'self-service';
    const startedAtMs = dayStartMs + 8 * 3600_000 + between(0, 12 * 3600_000);
    const contactId = `call-${seed}-${i}`;
    const base = { contactId, site: pick(SITES), customerId: `cust-${between(1, 40)}`, startedAtMs, fate, agentRoll: next() };
    if (fate === 'self-service') {
      drafts.push({ ...base, menuKey: '9' });
      continue;
    }
    const queueIndex = Math.floor(next() * QUEUES.length);
    const queued = { ...base, menuKey: String(queueIndex + 1), queue: QUEUES[queueIndex] as string, queuedAtMs: startedAtMs + between(3_000, 45_000) };
    if (fate === 'answered') {
      const waitMs = between(0, 90_000);
      const wrapUpDueMs = pick(WRAP_UP_DUE_MS);
      // Some agents end wrap-up early; the others when acd's timer sweeps, a little after it was due.
      const wrapUpMs = wrapUpDueMs === 0 ? 0 : next() < 0.3 ? between(1_000, wrapUpDueMs) : wrapUpDueMs + between(0, 500);
      const talkMs = between(20_000, 600_000);
      drafts.push({ ...queued, waitMs, talkMs, wrapUpDueMs, wrapUpMs, handleMs: talkMs + RELEASE_DELAY_MS + wrapUpMs, ringNoAnswer: waitMs > 3_000 && next() < 0.1 });
    } else if (fate === 'abandoned') {
      drafts.push({ ...queued, waitMs: between(1_000, 240_000) });
    } else if (fate === 'withdrawn') {
      drafts.push({ ...queued, waitMs: between(5_000, 60_000), messageId: `vm-${contactId}` });
    } else {
      drafts.push({ ...queued, waitMs: 120_000, messageId: `vm-${contactId}` });
    }
  }
  const contacts = withAgents(drafts);
  return { dayStartMs, contacts, ...eventsOf(dayStartMs, contacts) };
}

/**
 * Gives each answered contact an agent free when it was offered (ready since the end of its
 * last wrap-up), so agents' intervals are what acd would report; a contact no agent was free
 * for was abandoned instead.
 */
function withAgents(drafts: readonly Draft[]): ContactTruth[] {
  const freeAt = new Map(AGENTS.map((agent) => [agent.id, 0]));
  const answerAt = (d: Draft) => (d.queuedAtMs as number) + (d.waitMs as number);
  const assigned = new Map<string, ContactTruth>();
  for (const draft of drafts.filter((d) => d.fate === 'answered').sort((a, b) => answerAt(a) - answerAt(b))) {
    const offeredAtMs = Math.max(draft.queuedAtMs as number, answerAt(draft) - 500);
    const free = AGENTS.filter((agent) => (freeAt.get(agent.id) as number) < offeredAtMs);
    const agent = free[Math.floor(draft.agentRoll * free.length)];
    if (!agent) {
      assigned.set(draft.contactId, { ...truthOf(draft), fate: 'abandoned', talkMs: undefined, wrapUpMs: undefined, wrapUpDueMs: undefined, handleMs: undefined, ringNoAnswer: undefined });
      continue;
    }
    freeAt.set(agent.id, answerAt(draft) + (draft.handleMs as number));
    assigned.set(draft.contactId, { ...truthOf(draft), agent, offeredAtMs });
  }
  return drafts.map((draft) => assigned.get(draft.contactId) ?? truthOf(draft));
}

function truthOf(draft: Draft): ContactTruth {
  const { agentRoll: _roll, ...truth } = draft;
  return truth;
}

function eventsOf(dayStartMs: number, contacts: readonly ContactTruth[]): Omit<ScriptedDay, 'contacts' | 'dayStartMs'> {
  const callEvents: ScriptedEvent[] = [];
  const acdEvents: ScriptedEvent[] = [];
  const ivrEvents: ScriptedEvent[] = [];
  const voicemailEvents: ScriptedEvent[] = [];
  for (const agent of AGENTS) {
    acdEvents.push(agentStateEvent(TENANT, agent, dayStartMs + SHIFT.fromMs, AgentState.READY, AgentState.LOGGED_OUT));
    acdEvents.push(agentStateEvent(TENANT, agent, dayStartMs + SHIFT.toMs, AgentState.LOGGED_OUT, AgentState.READY));
  }
  for (const c of contacts) {
    const call = (name: Parameters<typeof callEvent>[0], atMs: number, fields: Record<string, unknown> = {}) => callEvents.push(callEvent(name, TENANT, c.site, c.contactId, atMs, fields));
    const ivr = (name: Parameters<typeof ivrEvent>[0], atMs: number, fields: Record<string, unknown>) => ivrEvents.push(ivrEvent(name, TENANT, c.site, c.contactId, atMs, fields));
    call('started', c.startedAtMs, { ani: aniOf(c.customerId), dnis: '4001' });
    call('answered', c.startedAtMs + 1_000);
    ivr('menuChosen', c.startedAtMs + 3_000, { flow: 'main', step: 'main_menu', key: c.menuKey });
    if (c.queue === undefined || c.queuedAtMs === undefined || c.waitMs === undefined) {
      ivr('flowEnded', c.startedAtMs + 15_000, { flow: 'main', step: 'goodbye', outcome: FlowOutcome.HUNG_UP });
      call('hungUp', c.startedAtMs + 20_000, { cause: 16 });
      continue;
    }
    const contact: AcdContact = { tenant: TENANT, site: c.site, contactId: c.contactId, queue: c.queue, customerId: c.customerId };
    const acd = (name: Parameters<typeof acdEvent>[0], atMs: number, fields: Record<string, unknown> = {}) => acdEvents.push(acdEvent(name, contact, atMs, fields));
    const queuedAt = c.queuedAtMs;
    const leftQueueAt = queuedAt + c.waitMs;
    ivr('flowEnded', queuedAt, { flow: 'main', step: `${c.queue}_queue`, outcome: FlowOutcome.QUEUED, queue: c.queue });
    acd('contactQueued', queuedAt, { position: 1 });
    if (c.fate === 'answered' && c.agent && c.offeredAtMs !== undefined && c.talkMs !== undefined && c.wrapUpMs !== undefined) {
      const agent = { agentId: c.agent.id, site: c.agent.site };
      let attempt = 1;
      if (c.ringNoAnswer) {
        const rona = { agentId: RONA_AGENT.id, site: RONA_AGENT.site };
        acd('contactOffered', queuedAt + 1_000, { agent: rona, attempt, deadline: timestampFromMs(queuedAt + 2_000) });
        acd('contactRingNoAnswer', queuedAt + 2_000, { agent: rona, attempt, returnedToQueue: true });
        attempt++;
      }
      acd('contactOffered', c.offeredAtMs, { agent, attempt, deadline: timestampFromMs(c.offeredAtMs + 15_000) });
      acd('contactAccepted', leftQueueAt, { agent, attempt, waitedMs: BigInt(c.waitMs) });
      call('legAnswered', leftQueueAt, { legId: `${c.contactId}-agent` });
      const endedAt = leftQueueAt + c.talkMs;
      const releasedAt = endedAt + RELEASE_DELAY_MS;
      call('hungUp', endedAt, { cause: 16 });
      acd('contactCompleted', releasedAt, { agent, ...(c.wrapUpDueMs ? { wrapUpEndsAt: timestampFromMs(releasedAt + c.wrapUpDueMs) } : {}) });
      const state = (atMs: number, now: AgentState, before: AgentState) => acdEvents.push(agentStateEvent(TENANT, c.agent as { id: string; site: string }, atMs, now, before));
      state(c.offeredAtMs, AgentState.RESERVED, AgentState.READY);
      state(leftQueueAt, AgentState.BUSY, AgentState.RESERVED);
      if (c.wrapUpDueMs) {
        state(releasedAt, AgentState.WRAP_UP, AgentState.BUSY);
        state(releasedAt + c.wrapUpMs, AgentState.READY, AgentState.WRAP_UP);
      } else {
        state(releasedAt, AgentState.READY, AgentState.BUSY);
      }
    } else if (c.fate === 'abandoned') {
      acd('contactAbandoned', leftQueueAt, { reason: CancelReason.ABANDONED, waitedMs: BigInt(c.waitMs) });
      call('hungUp', leftQueueAt, { cause: 16 });
    } else if (c.fate === 'withdrawn' && c.messageId) {
      // The caller keyed voicemail while waiting: the ivr withdraws the contact and hands the call over.
      ivr('queueChoiceMade', leftQueueAt - 200, { queue: c.queue, contactId: c.contactId, choice: QueueChoice.VOICEMAIL });
      acd('contactAbandoned', leftQueueAt, { reason: CancelReason.WITHDRAWN, waitedMs: BigInt(c.waitMs) });
      voicemailEvents.push(messageLeftEvent(TENANT, c.site, c.contactId, leftQueueAt + 25_000, c.messageId, c.queue, c.contactId));
      call('hungUp', leftQueueAt + 30_000, { cause: 16 });
    } else if (c.messageId) {
      acd('contactOverflowed', leftQueueAt, { target: { case: 'voicemailMailbox', value: c.queue }, waitedMs: BigInt(c.waitMs) });
      voicemailEvents.push(messageLeftEvent(TENANT, c.site, c.contactId, leftQueueAt + 25_000, c.messageId, c.queue, c.contactId));
      call('hungUp', leftQueueAt + 30_000, { cause: 16 });
    }
  }
  return { callEvents, acdEvents, ivrEvents, voicemailEvents };
}

/** The number a customer calls from. */
export function aniOf(customerId: string): string {
  return `1380000${customerId.slice(5).padStart(4, '0')}`;
}

/** Shuffles a copy (Fisher–Yates) with the seeded generator: arrival order is not event order. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const next = random(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** The figures of a set of contacts, computed from what happened, not from any event. */
export function expectedFigures(contacts: readonly ContactTruth[], serviceLevelSeconds: number) {
  const queued = contacts.filter((c) => c.queue !== undefined);
  const answered = queued.filter((c) => c.fate === 'answered');
  const abandoned = queued.filter((c) => c.fate === 'abandoned');
  const mean = (values: number[]) => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length);
  const withinThreshold = answered.filter((c) => (c.waitMs as number) <= serviceLevelSeconds * 1000).length;
  return {
    contacts: contacts.length,
    offered: queued.length,
    answered: answered.length,
    answeredWithinThreshold: withinThreshold,
    abandoned: abandoned.length,
    overflowed: queued.filter((c) => c.fate === 'overflowed').length,
    withdrawn: queued.filter((c) => c.fate === 'withdrawn').length,
    serviceLevel: queued.length === 0 ? null : withinThreshold / queued.length,
    asaSeconds: mean(answered.map((c) => (c.waitMs as number) / 1000)),
    ahtSeconds: mean(answered.map((c) => (c.handleMs as number) / 1000)),
    abandonRate: queued.length === 0 ? null : abandoned.length / queued.length,
    averageAbandonSeconds: mean(abandoned.map((c) => (c.waitMs as number) / 1000)),
  };
}

/** Seconds each agent spent in each state over its shift, from the contacts it took. */
export function expectedAgentStates(contacts: readonly ContactTruth[]) {
  return AGENTS.map((agent) => {
    const taken = contacts.filter((c) => c.agent?.id === agent.id);
    const sum = (of: (c: ContactTruth) => number) => taken.reduce((total, c) => total + of(c), 0) / 1000;
    const reservedSeconds = sum((c) => (c.queuedAtMs as number) + (c.waitMs as number) - (c.offeredAtMs as number));
    const busySeconds = sum((c) => (c.talkMs as number) + RELEASE_DELAY_MS);
    const wrapUpSeconds = sum((c) => c.wrapUpMs as number);
    const readySeconds = (SHIFT.toMs - SHIFT.fromMs) / 1000 - reservedSeconds - busySeconds - wrapUpSeconds;
    return { agent: agent.id, site: agent.site, readySeconds, notReadySeconds: 0, reservedSeconds, busySeconds, wrapUpSeconds };
  });
}
