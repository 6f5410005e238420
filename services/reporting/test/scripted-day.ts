// A day of a two-site centre, generated from a seed: what really happened to each contact
// (the truth the test computes its figures from) and the events that tell it.
import { type ContactFact } from '../src/contacts/contact-fact';
import { type ReportedEvent } from '../src/events/reported-event';
import { type ScriptedEvent, callEvent } from './call-events';

export const TENANT = 'acme';
export const QUEUES = ['sales', 'billing', 'support'] as const;
export const SITES = ['bj', 'sz'] as const;
export const AGENTS = Array.from({ length: 12 }, (_, i) => ({ id: `agent-${String(i + 1).padStart(2, '0')}`, site: SITES[i % 2] as string }));

export type Fate = 'answered' | 'abandoned' | 'overflowed' | 'self-service';

/** What happened to one contact, in whole milliseconds. */
export interface ContactTruth {
  readonly contactId: string;
  readonly site: string;
  readonly customerId: string;
  readonly startedAtMs: number;
  readonly fate: Fate;
  readonly queue?: string;
  readonly queuedAtMs?: number;
  /** Queued until answered, abandoned or overflowed. */
  readonly waitMs?: number;
  readonly agent?: { id: string; site: string };
  readonly talkMs?: number;
  readonly wrapUpMs?: number;
  /** Offered to an agent who did not answer before the one who did. */
  readonly ringNoAnswer?: boolean;
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
  readonly contacts: ContactTruth[];
  /** Call events, published to NATS as the media gateway does. */
  readonly callEvents: ScriptedEvent[];
  /** What acd will publish about the same contacts, recorded straight into the event store until acd's contracts exist. */
  readonly acdEvents: ReportedEvent[];
}

export function scriptedDay(seed: number, dayStartMs: number, count: number): ScriptedDay {
  const next = random(seed);
  const between = (min: number, max: number) => Math.floor(min + next() * (max - min));
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
  const contacts: ContactTruth[] = [];
  for (let i = 0; i < count; i++) {
    const roll = next();
    const fate: Fate = roll < 0.68 ? 'answered' : roll < 0.88 ? 'abandoned' : roll < 0.95 ? 'overflowed' : 'self-service';
    const startedAtMs = dayStartMs + 8 * 3600_000 + between(0, 12 * 3600_000);
    const base = { contactId: `call-${seed}-${i}`, site: pick(SITES), customerId: `cust-${between(1, 40)}`, startedAtMs, fate };
    if (fate === 'self-service') {
      contacts.push(base);
      continue;
    }
    const queued = { ...base, queue: pick(QUEUES), queuedAtMs: startedAtMs + between(3_000, 45_000) };
    if (fate === 'answered') {
      contacts.push({ ...queued, waitMs: between(0, 90_000), agent: pick(AGENTS), talkMs: between(20_000, 600_000), wrapUpMs: between(0, 60_000), ringNoAnswer: next() < 0.1 });
    } else if (fate === 'abandoned') {
      contacts.push({ ...queued, waitMs: between(1_000, 240_000) });
    } else {
      contacts.push({ ...queued, waitMs: 120_000 });
    }
  }
  return { contacts, ...eventsOf(contacts) };
}

function eventsOf(contacts: readonly ContactTruth[]): Pick<ScriptedDay, 'callEvents' | 'acdEvents'> {
  const callEvents: ScriptedEvent[] = [];
  const acdEvents: ReportedEvent[] = [];
  for (const contact of contacts) {
    const call = (name: Parameters<typeof callEvent>[0], atMs: number, fields: Record<string, unknown> = {}) =>
      callEvents.push(callEvent(name, TENANT, contact.site, contact.contactId, atMs, fields));
    const acd = (name: string, atMs: number, fact: ContactFact) =>
      acdEvents.push({
        domain: 'acd',
        eventId: `${contact.contactId}:acd:${name}:${atMs}`,
        name,
        typeName: `lianluo.acd.v1.${name}`,
        tenant: TENANT,
        occurredAtMs: atMs,
        streamSequence: 0,
        payload: { contactId: contact.contactId, fact } as never,
        contactId: contact.contactId,
        fact,
      });
    call('started', contact.startedAtMs, { ani: aniOf(contact.customerId), dnis: '4001' });
    call('answered', contact.startedAtMs + 1_000);
    if (contact.queue === undefined || contact.queuedAtMs === undefined || contact.waitMs === undefined) {
      call('hungUp', contact.startedAtMs + 20_000, { cause: 16 });
      continue;
    }
    const queuedAt = contact.queuedAtMs;
    acd('contact_queued', queuedAt, { kind: 'queued', queue: contact.queue, channel: 'voice', site: contact.site, customerId: contact.customerId });
    const leftQueueAt = queuedAt + contact.waitMs;
    if (contact.fate === 'answered' && contact.agent && contact.talkMs !== undefined && contact.wrapUpMs !== undefined) {
      if (contact.ringNoAnswer && contact.waitMs > 2_000) {
        acd('contact_offered', queuedAt + 1_000, { kind: 'offered', agentId: 'agent-rona', agentSite: 'sz' });
      }
      acd('contact_offered', Math.max(queuedAt, leftQueueAt - 500), { kind: 'offered', agentId: contact.agent.id, agentSite: contact.agent.site });
      acd('contact_accepted', leftQueueAt, { kind: 'agent-answered', agentId: contact.agent.id, agentSite: contact.agent.site });
      call('legAnswered', leftQueueAt, { legId: `${contact.contactId}-agent` });
      const endedAt = leftQueueAt + contact.talkMs;
      call('hungUp', endedAt, { cause: 16 });
      acd('contact_wrapped_up', endedAt + contact.wrapUpMs, { kind: 'wrap-up-ended' });
    } else if (contact.fate === 'abandoned') {
      acd('contact_abandoned', leftQueueAt, { kind: 'abandoned' });
      call('hungUp', leftQueueAt, { cause: 16 });
    } else {
      acd('contact_overflowed', leftQueueAt, { kind: 'overflowed', target: 'voicemail' });
      call('hungUp', leftQueueAt + 30_000, { cause: 16 });
    }
  }
  return { callEvents, acdEvents };
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
  return {
    contacts: contacts.length,
    offered: queued.length,
    answered: answered.length,
    answeredWithinThreshold: answered.filter((c) => (c.waitMs as number) <= serviceLevelSeconds * 1000).length,
    abandoned: abandoned.length,
    overflowed: queued.filter((c) => c.fate === 'overflowed').length,
    serviceLevel: queued.length === 0 ? null : answered.filter((c) => (c.waitMs as number) <= serviceLevelSeconds * 1000).length / queued.length,
    asaSeconds: mean(answered.map((c) => (c.waitMs as number) / 1000)),
    ahtSeconds: mean(answered.map((c) => ((c.talkMs as number) + (c.wrapUpMs as number)) / 1000)),
    abandonRate: queued.length === 0 ? null : abandoned.length / queued.length,
    averageAbandonSeconds: mean(abandoned.map((c) => (c.waitMs as number) / 1000)),
  };
}
