import { type ContactFact, type TimedContactFact } from './contact-fact';

/**
 * Where a contact ended up. `waiting`: queued and not yet answered, abandoned or
 * overflowed; `completed`: ended without ever being queued (self-service in the IVR).
 */
export type ContactOutcome = 'in-progress' | 'waiting' | 'answered' | 'abandoned' | 'overflowed' | 'completed';

/** One row of the `contact` table: every phase of a contact, with the figures reports add up. */
export interface ContactRecord {
  readonly tenant: string;
  readonly contactId: string;
  readonly channel: string;
  readonly site: string | null;
  readonly ani: string | null;
  readonly dnis: string | null;
  readonly customerId: string | null;
  readonly queue: string | null;
  readonly agentId: string | null;
  readonly agentSite: string | null;
  readonly startedAt: number | null;
  readonly answeredAt: number | null;
  readonly queuedAt: number | null;
  readonly offeredAt: number | null;
  readonly agentAnsweredAt: number | null;
  readonly transferredAt: number | null;
  readonly overflowedAt: number | null;
  readonly abandonedAt: number | null;
  readonly endedAt: number | null;
  readonly wrapUpEndedAt: number | null;
  readonly offers: number;
  readonly transfers: number;
  readonly hangupCause: number | null;
  readonly outcome: ContactOutcome;
  /** Queued until answered, abandoned or overflowed. */
  readonly waitSeconds: number | null;
  /** Agent answered until the contact ended. */
  readonly talkSeconds: number | null;
  /** Talk plus wrap-up. */
  readonly handleSeconds: number | null;
  /** How many of its events said something about it (media events do not). */
  readonly facts: number;
  readonly firstFactAt: number;
}

function byTime(a: TimedContactFact, b: TimedContactFact): number {
  return a.atMs - b.atMs || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);
}

const seconds = (fromMs: number | null, toMs: number | null) => (fromMs === null || toMs === null ? null : Math.max(0, toMs - fromMs) / 1000);

/**
 * Folds every fact known about a contact into its record. The facts are sorted by when they
 * happened first, so the record depends only on which events arrived, never on their order:
 * phases keep their first time (a contact put back after ring-no-answer keeps its place),
 * the end keeps its last.
 */
export function foldContact(tenant: string, contactId: string, facts: readonly TimedContactFact[]): ContactRecord {
  if (facts.length === 0) throw new Error(`contact ${contactId} has no facts to fold`);
  const sorted = [...facts].sort(byTime);
  let channel: string | undefined;
  let site: string | undefined;
  let ani: string | undefined;
  let dnis: string | undefined;
  let customerId: string | undefined;
  let queue: string | undefined;
  let offeredAgent: { agentId: string; agentSite?: string } | undefined;
  let answeringAgent: { agentId?: string; agentSite?: string } | undefined;
  let hangupCause: number | undefined;
  const first: Partial<Record<ContactFact['kind'], number>> = {};
  const last: Partial<Record<ContactFact['kind'], number>> = {};
  let offers = 0;
  let transfers = 0;

  for (const { atMs, fact } of sorted) {
    first[fact.kind] ??= atMs;
    last[fact.kind] = atMs;
    switch (fact.kind) {
      case 'arrived':
        channel ??= fact.channel;
        site ??= fact.site;
        ani ??= fact.ani;
        dnis ??= fact.dnis;
        customerId ??= fact.customerId;
        break;
      case 'queued':
        queue ??= fact.queue;
        channel ??= fact.channel;
        site ??= fact.site;
        customerId ??= fact.customerId;
        break;
      case 'offered':
        offers++;
        if (!answeringAgent) offeredAgent = fact;
        break;
      case 'agent-answered':
        if (!answeringAgent?.agentId) answeringAgent = { ...answeringAgent, ...stripUndefined(fact) };
        break;
      case 'transferred':
        transfers++;
        break;
      case 'ended':
        hangupCause = fact.cause ?? hangupCause;
        break;
      default:
        break;
    }
  }

  const queuedAt = first.queued ?? null;
  const agentAnsweredAt = first['agent-answered'] ?? null;
  const overflowedAt = first.overflowed ?? null;
  const abandonedAt = first.abandoned ?? null;
  const endedAt = last.ended ?? null;
  const wrapUpEndedAt = last['wrap-up-ended'] ?? null;
  const outcome: ContactOutcome =
    agentAnsweredAt !== null
      ? 'answered'
      : overflowedAt !== null
        ? 'overflowed'
        : queuedAt !== null && (abandonedAt !== null || endedAt !== null)
          ? 'abandoned'
          : queuedAt !== null
            ? 'waiting'
            : endedAt !== null
              ? 'completed'
              : 'in-progress';
  const waitEnd = { answered: agentAnsweredAt, abandoned: abandonedAt ?? endedAt, overflowed: overflowedAt }[outcome as string] ?? null;
  const handleEnd = wrapUpEndedAt !== null && endedAt !== null ? Math.max(wrapUpEndedAt, endedAt) : endedAt;
  const agentId = answeringAgent?.agentId ?? offeredAgent?.agentId ?? null;

  return {
    tenant,
    contactId,
    channel: channel ?? 'unknown',
    site: site ?? null,
    ani: ani ?? null,
    dnis: dnis ?? null,
    customerId: customerId ?? null,
    queue: queue ?? null,
    agentId,
    agentSite: answeringAgent?.agentSite ?? (agentId === offeredAgent?.agentId ? offeredAgent?.agentSite : undefined) ?? null,
    startedAt: first.arrived ?? null,
    answeredAt: first.answered ?? null,
    queuedAt,
    offeredAt: first.offered ?? null,
    agentAnsweredAt,
    transferredAt: first.transferred ?? null,
    overflowedAt,
    abandonedAt: outcome === 'abandoned' ? (abandonedAt ?? endedAt) : abandonedAt,
    endedAt,
    wrapUpEndedAt,
    offers,
    transfers,
    hangupCause: hangupCause ?? null,
    outcome,
    waitSeconds: outcome === 'answered' || outcome === 'abandoned' || outcome === 'overflowed' ? seconds(queuedAt, waitEnd) : null,
    talkSeconds: outcome === 'answered' ? seconds(agentAnsweredAt, endedAt) : null,
    handleSeconds: outcome === 'answered' ? seconds(agentAnsweredAt, handleEnd) : null,
    facts: facts.length,
    firstFactAt: (sorted[0] as TimedContactFact).atMs,
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([key, v]) => v !== undefined && key !== 'kind')) as Partial<T>;
}
