import { type DescMessage, type MessageInitShape, type MessageShape, create } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import {
  AcdEvents,
  AgentState,
  CancelReason,
  type ChannelName,
  ContactState,
  type EventDefinition,
  type LegDestinationSchema,
  RoutingStepKind,
  channelOfName,
} from '@lianluo/contracts';
import { AGENT_STATE_VALUES, CONTACT_STATE_VALUES, STEP_KIND_VALUES } from './proto-enums';
import { decodeAgentPhone } from '../agents/agent-phone';
import { expectedWaitMs } from './expected-wait';
import { decodeSkills } from './skill-profile';

/** One event of the outbox with its positions named: its type, the routing clock's `at`, and its fields. */
export interface OutboxEvent {
  readonly type: string;
  readonly at: number;
  readonly [field: string]: string | number | boolean;
}

/** What every contact event carries after type and time (routing-core.lua `contact_event`). */
const CONTACT = ['contact', 'queue', 'channel', 'site', 'customer', 'callSite', 'callId'] as const;
/**
 * A contact event: ContactInfo, the event's own fields, then the contact's traceparent. An
 * entry written before contacts kept one lacks that last position and reads it as ''.
 */
const contactEvent = (...fields: string[]): readonly string[] => [...CONTACT, ...fields, 'traceparent'];
const REFUSAL = contactEvent('agent', 'agentSite', 'attempt', 'reason', 'returned');

/**
 * The positions of each event type after `[type, at]`, as the scripts write them: an
 * event is an array, which Redis's Lua builds far faster than a keyed table.
 */
export const OUTBOX_LAYOUT: Readonly<Record<string, readonly string[]>> = {
  queued: contactEvent('priority', 'skills', 'preferred', 'position'),
  offered: contactEvent('agent', 'agentSite', 'endpoint', 'attempt', 'deadline', 'data'),
  accepted: contactEvent('agent', 'agentSite', 'attempt', 'waited'),
  rejected: REFUSAL,
  ring_no_answer: REFUSAL,
  abandoned: contactEvent('reason', 'previous', 'waited'),
  // The wrap-up code and notes follow the traceparent: entries written before them read as ''.
  completed: [...contactEvent('agent', 'agentSite', 'wrapUpUntil'), 'wrapUpCode', 'notes'],
  wrap_up_recorded: contactEvent('agent', 'agentSite', 'wrapUpCode', 'notes'),
  overflowed: contactEvent('targetKind', 'target', 'waited'),
  transferred: contactEvent('fromQueue', 'toAgent', 'byAgent', 'bySupervisor'),
  escalated: contactEvent('step', 'stepKind'),
  position: contactEvent('position', 'waiting', 'interval'),
  agent_state: ['agent', 'site', 'state', 'previous', 'reason'],
};

/** The events of one outbox entry (its `events` field), positions named by OUTBOX_LAYOUT. */
export function outboxEventsOf(encoded: string): OutboxEvent[] {
  return (JSON.parse(encoded) as (string | number | boolean)[][]).map(([type, at, ...values]) => {
    const names = OUTBOX_LAYOUT[String(type)];
    if (names === undefined) throw new Error(`outbox event of unknown type "${String(type)}"`);
    // `at` comes as the scripts' clock text (a number in entries of earlier versions).
    return Object.fromEntries([['type', type], ['at', Number(at)], ...names.map((name, i) => [name, values[i] ?? ''])]) as OutboxEvent;
  });
}

/** An acd event ready to publish: its definition, its message and the trace it belongs to. */
export interface AcdEvent<S extends DescMessage = DescMessage> {
  readonly definition: EventDefinition<S>;
  readonly message: MessageShape<S>;
  /**
   * W3C traceparent of the request that started what the event is about (its contact's
   * enqueue, its callback's request): published with it, whoever relays it. Undefined
   * for events of no such request (agent states): they go in the relay's trace.
   */
  readonly traceparent?: string;
}

const text = (value: unknown): string => (value === undefined || value === null ? '' : String(value));
const count = (value: unknown): number => Math.max(0, Math.round(Number(value) || 0));

function contactInfo(tenant: string, raw: OutboxEvent) {
  const callId = text(raw.callId);
  return {
    contactId: text(raw.contact),
    queue: text(raw.queue),
    channel: channelOfName(text(raw.channel) as ChannelName),
    site: text(raw.site),
    customerId: text(raw.customer),
    ...(callId ? { call: { tenant, site: text(raw.callSite), callId } } : {}),
  };
}

function agentInfo(raw: OutboxEvent) {
  return { agentId: text(raw.agent), site: text(raw.agentSite) };
}

/** The agent's phone as the media gateway's originate_leg takes it. */
function agentPhone(raw: OutboxEvent): MessageInitShape<typeof LegDestinationSchema> | undefined {
  const phone = decodeAgentPhone(text(raw.endpoint));
  if (phone === undefined) return undefined;
  return 'extension' in phone
    ? { target: { case: 'agent', value: { site: text(raw.agentSite), extension: phone.extension } } }
    : { target: { case: 'pstnNumber', value: phone.pstnNumber } };
}

function dataOf(raw: OutboxEvent): Record<string, string> {
  const encoded = text(raw.data);
  return encoded === '' ? {} : (JSON.parse(encoded) as Record<string, string>);
}

/** An acd event of `definition` made from `init`, in the trace of `traceparent` when given. */
export function acdEvent<S extends DescMessage>(definition: EventDefinition<S>, init: Record<string, unknown>, traceparent?: string): AcdEvent {
  const message = create(definition.schema, init as MessageInitShape<S>);
  return { definition: definition as EventDefinition, message, ...(traceparent ? { traceparent } : {}) } as AcdEvent;
}

/**
 * The acd event an outbox entry stands for. `eventId` is unique per tenant and stable
 * across relays (outbox entry id and index), so a second relay of the same entry is
 * dropped by JetStream's de-duplication and by every idempotent consumer.
 */
export function acdEventOf(tenant: string, eventId: string, raw: OutboxEvent): AcdEvent {
  const event = eventOfType(tenant, eventId, raw);
  const traceparent = text(raw.traceparent);
  return traceparent === '' ? event : { ...event, traceparent };
}

/** The acd event of an outbox entry's type, its trace aside. */
function eventOfType(tenant: string, eventId: string, raw: OutboxEvent): AcdEvent {
  const basics = { eventId, tenant, occurredAt: timestampFromMs(Number(raw.at)) };
  const contact = () => ({ ...basics, contact: contactInfo(tenant, raw) });
  switch (raw.type) {
    case 'queued':
      return acdEvent(AcdEvents.contactQueued, {
        ...contact(),
        priority: count(raw.priority),
        requiredSkills: decodeSkills(text(raw.skills).split('|')[1] ?? ''),
        preferredAgent: text(raw.preferred),
        position: count(raw.position),
      });
    case 'offered':
      return acdEvent(AcdEvents.contactOffered, {
        ...contact(),
        agent: agentInfo(raw),
        agentPhone: agentPhone(raw),
        attempt: count(raw.attempt),
        deadline: timestampFromMs(Number(raw.deadline)),
        data: dataOf(raw),
      });
    case 'accepted':
      return acdEvent(AcdEvents.contactAccepted, { ...contact(), agent: agentInfo(raw), attempt: count(raw.attempt), waitedMs: BigInt(count(raw.waited)) });
    case 'rejected':
      return acdEvent(AcdEvents.contactRejected, {
        ...contact(),
        agent: agentInfo(raw),
        attempt: count(raw.attempt),
        reasonCode: text(raw.reason),
        returnedToQueue: raw.returned === true,
      });
    case 'ring_no_answer':
      return acdEvent(AcdEvents.contactRingNoAnswer, { ...contact(), agent: agentInfo(raw), attempt: count(raw.attempt), returnedToQueue: raw.returned === true });
    case 'abandoned':
      return acdEvent(AcdEvents.contactAbandoned, {
        ...contact(),
        reason: raw.reason === 'withdrawn' ? CancelReason.WITHDRAWN : CancelReason.ABANDONED,
        previousState: CONTACT_STATE_VALUES[text(raw.previous) as keyof typeof CONTACT_STATE_VALUES] ?? ContactState.UNSPECIFIED,
        waitedMs: BigInt(count(raw.waited)),
      });
    case 'completed':
      return acdEvent(AcdEvents.contactCompleted, {
        ...contact(),
        agent: agentInfo(raw),
        ...(count(raw.wrapUpUntil) > 0 ? { wrapUpEndsAt: timestampFromMs(count(raw.wrapUpUntil)) } : {}),
        wrapUpCode: text(raw.wrapUpCode),
        notes: text(raw.notes),
      });
    case 'wrap_up_recorded':
      return acdEvent(AcdEvents.contactWrapUpRecorded, { ...contact(), agent: agentInfo(raw), wrapUpCode: text(raw.wrapUpCode), notes: text(raw.notes) });
    case 'overflowed':
      return acdEvent(AcdEvents.contactOverflowed, {
        ...contact(),
        waitedMs: BigInt(count(raw.waited)),
        target: raw.targetKind === 'queue' ? { case: 'queue', value: text(raw.target) } : { case: 'voicemailMailbox', value: text(raw.target) },
      });
    case 'transferred':
      return acdEvent(AcdEvents.contactTransferred, {
        ...contact(),
        fromQueue: text(raw.fromQueue),
        toAgentId: text(raw.toAgent),
        byAgentId: text(raw.byAgent),
        bySupervisorId: text(raw.bySupervisor),
      });
    case 'escalated':
      return acdEvent(AcdEvents.contactEscalated, { ...contact(), step: count(raw.step), stepKind: STEP_KIND_VALUES[text(raw.stepKind)] ?? RoutingStepKind.UNSPECIFIED });
    case 'position': {
      const expected = expectedWaitMs(count(raw.position), raw.interval === '' || raw.interval === undefined ? undefined : Number(raw.interval));
      return acdEvent(AcdEvents.contactPositionChanged, {
        ...contact(),
        position: count(raw.position),
        waiting: count(raw.waiting),
        ...(expected === undefined ? {} : { expectedWaitMs: expected }),
      });
    }
    case 'agent_state':
      return acdEvent(AcdEvents.agentStateChanged, {
        ...basics,
        agent: { agentId: text(raw.agent), site: text(raw.site) },
        state: AGENT_STATE_VALUES[text(raw.state) as keyof typeof AGENT_STATE_VALUES] ?? AgentState.UNSPECIFIED,
        previousState: AGENT_STATE_VALUES[text(raw.previous) as keyof typeof AGENT_STATE_VALUES] ?? AgentState.UNSPECIFIED,
        reasonCode: text(raw.reason),
      });
    default:
      throw new Error(`outbox event of unknown type "${raw.type}"`);
  }
}
