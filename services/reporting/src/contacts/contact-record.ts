import { type ContactFact, type IvrOutcome, type TimedContactFact } from './contact-fact';

/**
 * Where a contact ended up. `waiting`: queued and not yet answered, abandoned, withdrawn or
 * overflowed; `withdrawn`: taken out of the queue by the caller's choice (voicemail or
 * callback key) or by its owner; `completed`: ended without ever being queued (self-service
 * in the IVR, a message left from the flow).
 */
export type ContactOutcome = 'in-progress' | 'waiting' | 'answered' | 'abandoned' | 'withdrawn' | 'overflowed' | 'completed';

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
  /** The flow the call went through, how it let go of it and when. */
  readonly ivrFlow: string | null;
  readonly ivrOutcome: IvrOutcome | null;
  readonly ivrEndedAt: number | null;
  /** The menu keys the caller chose, in order: `main_menu:2 service_menu:1`. */
  readonly ivrMenuPath: string | null;
  readonly ivrInputs: number;
  readonly queuedAt: number | null;
  readonly offeredAt: number | null;
  readonly agentAnsweredAt: number | null;
  readonly transferredAt: number | null;
  readonly overflowedAt: number | null;
  readonly abandonedAt: number | null;
  readonly withdrawnAt: number | null;
  /** The key the caller pressed while waiting, and when. */
  readonly queueChoice: 'voicemail' | 'callback' | null;
  readonly queueChoiceAt: number | null;
  readonly endedAt: number | null;
  readonly releasedAt: number | null;
  readonly wrapUpEndedAt: number | null;
  /** What the agent said came of the contact on release or after it (the latest that said it). */
  readonly wrapUpCode: string | null;
  readonly notes: string | null;
  readonly voicemailMessageId: string | null;
  readonly voicemailLeftAt: number | null;
  readonly voicemailAbandonedAt: number | null;
  readonly offers: number;
  readonly ringNoAnswers: number;
  readonly rejections: number;
  readonly transfers: number;
  readonly hangupCause: number | null;
  readonly outcome: ContactOutcome;
  /** Queued until answered, abandoned, withdrawn or overflowed. */
  readonly waitSeconds: number | null;
  /** Agent answered until the contact ended or the agent released it, whichever came first. */
  readonly talkSeconds: number | null;
  /** Released until the wrap-up ended. */
  readonly wrapUpSeconds: number | null;
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

const earliest = (...times: (number | null)[]) => times.reduce<number | null>((min, t) => (t !== null && (min === null || t < min) ? t : min), null);

type Released = Extract<ContactFact, { kind: 'released' }> & { readonly atMs: number };

/**
 * Folds every fact known about a contact into its record. The facts are sorted by when they
 * happened first, so the record depends only on which events arrived, never on their order:
 * phases keep their first time (a contact put back after ring-no-answer keeps its place),
 * the end keeps its last.
 *
 * `agentWrapUpEndMs`: when the releasing agent's wrap-up really ended, as its state
 * intervals tell (it may end sooner than due); until that is known, the due time stands.
 */
export function foldContact(tenant: string, contactId: string, facts: readonly TimedContactFact[], agentWrapUpEndMs?: number): ContactRecord {
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
  let ivr: { flow: string; outcome: IvrOutcome } | undefined;
  let queueChoice: 'voicemail' | 'callback' | undefined;
  let voicemailMessageId: string | undefined;
  let released: Released | undefined;
  let wrapUpCode: string | undefined;
  let notes: string | undefined;
  const menuPath: string[] = [];
  const first: Partial<Record<ContactFact['kind'], number>> = {};
  const last: Partial<Record<ContactFact['kind'], number>> = {};
  const counts: Partial<Record<ContactFact['kind'], number>> = {};

  for (const { atMs, fact } of sorted) {
    first[fact.kind] ??= atMs;
    last[fact.kind] = atMs;
    counts[fact.kind] = (counts[fact.kind] ?? 0) + 1;
    switch (fact.kind) {
      case 'arrived':
        channel ??= fact.channel;
        site ??= fact.site;
        ani ??= fact.ani;
        dnis ??= fact.dnis;
        customerId ??= fact.customerId;
        break;
      case 'menu-chosen':
        menuPath.push(`${fact.step}:${fact.key}`);
        break;
      case 'ivr-ended':
        ivr ??= fact;
        break;
      case 'queued':
        queue ??= fact.queue;
        channel ??= fact.channel;
        site ??= fact.site;
        customerId ??= fact.customerId;
        break;
      case 'offered':
        if (!answeringAgent) offeredAgent = fact;
        break;
      case 'agent-answered':
        if (!answeringAgent?.agentId) answeringAgent = { ...answeringAgent, ...stripUndefined(fact) };
        break;
      case 'released':
        released = { ...fact, atMs };
        wrapUpCode = fact.wrapUpCode ?? wrapUpCode;
        notes = fact.notes ?? notes;
        break;
      case 'wrap-up-recorded':
        wrapUpCode = fact.wrapUpCode ?? wrapUpCode;
        notes = fact.notes ?? notes;
        break;
      case 'queue-choice':
        queueChoice ??= fact.choice;
        break;
      case 'voicemail-left':
        voicemailMessageId = fact.messageId;
        break;
      case 'voicemail-abandoned':
        voicemailMessageId ??= fact.messageId;
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
  const withdrawnAt = first.withdrawn ?? null;
  const endedAt = last.ended ?? null;
  const releasedAt = released?.atMs ?? null;
  const outcome: ContactOutcome =
    agentAnsweredAt !== null
      ? 'answered'
      : overflowedAt !== null
        ? 'overflowed'
        : queuedAt !== null && withdrawnAt !== null && (abandonedAt === null || withdrawnAt <= abandonedAt)
          ? 'withdrawn'
          : queuedAt !== null && (abandonedAt !== null || endedAt !== null)
            ? 'abandoned'
            : queuedAt !== null
              ? 'waiting'
              : endedAt !== null
                ? 'completed'
                : 'in-progress';
  const waitEnd = { answered: agentAnsweredAt, abandoned: abandonedAt ?? endedAt, withdrawn: withdrawnAt, overflowed: overflowedAt }[outcome as string] ?? null;
  const talkEnd = earliest(endedAt, releasedAt);
  const wrapUpEndedAt = released === undefined ? null : released.wrapUpUntilMs === undefined ? released.atMs : (agentWrapUpEndMs ?? released.wrapUpUntilMs);
  const handleEnd = wrapUpEndedAt !== null && talkEnd !== null ? Math.max(wrapUpEndedAt, talkEnd) : talkEnd;
  const agentId = answeringAgent?.agentId ?? offeredAgent?.agentId ?? null;
  const answered = outcome === 'answered';

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
    ivrFlow: ivr?.flow ?? null,
    ivrOutcome: ivr?.outcome ?? null,
    ivrEndedAt: first['ivr-ended'] ?? null,
    ivrMenuPath: menuPath.length > 0 ? menuPath.join(' ') : null,
    ivrInputs: counts['input-collected'] ?? 0,
    queuedAt,
    offeredAt: first.offered ?? null,
    agentAnsweredAt,
    transferredAt: first.transferred ?? null,
    overflowedAt,
    abandonedAt: outcome === 'abandoned' ? (abandonedAt ?? endedAt) : abandonedAt,
    withdrawnAt,
    queueChoice: queueChoice ?? null,
    queueChoiceAt: first['queue-choice'] ?? null,
    endedAt,
    releasedAt,
    wrapUpEndedAt,
    wrapUpCode: wrapUpCode ?? null,
    notes: notes ?? null,
    voicemailMessageId: voicemailMessageId ?? null,
    voicemailLeftAt: first['voicemail-left'] ?? null,
    voicemailAbandonedAt: first['voicemail-abandoned'] ?? null,
    offers: counts.offered ?? 0,
    ringNoAnswers: counts['ring-no-answer'] ?? 0,
    rejections: counts.rejected ?? 0,
    transfers: counts.transferred ?? 0,
    hangupCause: hangupCause ?? null,
    outcome,
    waitSeconds: outcome === 'waiting' || outcome === 'in-progress' || outcome === 'completed' ? null : seconds(queuedAt, waitEnd),
    talkSeconds: answered ? seconds(agentAnsweredAt, talkEnd) : null,
    wrapUpSeconds: answered && wrapUpEndedAt !== null ? seconds(releasedAt, wrapUpEndedAt) : null,
    handleSeconds: answered ? seconds(agentAnsweredAt, handleEnd) : null,
    facts: facts.length,
    firstFactAt: (sorted[0] as TimedContactFact).atMs,
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([key, v]) => v !== undefined && key !== 'kind')) as Partial<T>;
}
