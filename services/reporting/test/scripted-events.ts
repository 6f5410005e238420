// Events as the media gateway, acd, ivr and voicemail publish them, built with ids derived
// from what they say, so the same script always makes the same events.
import { create } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { AcdEvents, AgentState, CallEvents, Channel, type EventDefinition, IvrEvents, VoicemailEvents } from '@lianluo/contracts';

export interface ScriptedEvent {
  readonly definition: EventDefinition;
  readonly message: unknown;
  readonly eventId: string;
}

function scripted(definition: EventDefinition, eventId: string, fields: Record<string, unknown>): ScriptedEvent {
  return { definition, eventId, message: create(definition.schema, { eventId, ...fields } as never) };
}

type CallEventName = keyof typeof CallEvents;

/** One call event of `callId` at `atMs`; `fields` fill the event-specific part. */
export function callEvent(name: CallEventName, tenant: string, site: string, callId: string, atMs: number, fields: Record<string, unknown> = {}): ScriptedEvent {
  const eventId = `${callId}:${name}:${atMs}:${Object.values(fields).join(',')}`;
  return scripted(CallEvents[name] as unknown as EventDefinition, eventId, { call: { tenant, site, callId }, occurredAt: timestampFromMs(atMs), ...fields });
}

/** A contact as acd names it in its events; a voice contact (the default) is its call. */
export interface AcdContact {
  readonly tenant: string;
  readonly site: string;
  readonly contactId: string;
  readonly queue: string;
  readonly customerId?: string;
  readonly channel?: Channel;
}

type AcdContactEventName = Exclude<keyof typeof AcdEvents, 'agentStateChanged' | `callback${string}`>;

/** One acd event about `contact` at `atMs`; `fields` fill the event-specific part (agent, attempt, reason...). */
export function acdEvent(name: AcdContactEventName, contact: AcdContact, atMs: number, fields: Record<string, unknown> = {}): ScriptedEvent {
  const { tenant, site, contactId, queue, customerId, channel = Channel.VOICE } = contact;
  return scripted(AcdEvents[name] as unknown as EventDefinition, `${contactId}:acd:${name}:${atMs}`, {
    tenant,
    occurredAt: timestampFromMs(atMs),
    contact: { contactId, queue, channel, site, customerId: customerId ?? '', ...(channel === Channel.VOICE && { call: { tenant, site, callId: contactId } }) },
    ...fields,
  });
}

/** acd's agent_state_changed: `agent` is now `state`. */
export function agentStateEvent(tenant: string, agent: { id: string; site: string }, atMs: number, state: AgentState, previous: AgentState, reasonCode = ''): ScriptedEvent {
  return scripted(AcdEvents.agentStateChanged as unknown as EventDefinition, `${agent.id}:state:${atMs}:${state}`, {
    tenant,
    occurredAt: timestampFromMs(atMs),
    agent: { agentId: agent.id, site: agent.site },
    state,
    previousState: previous,
    reasonCode,
  });
}

/** One ivr event about the call at `atMs`. */
export function ivrEvent(name: keyof typeof IvrEvents, tenant: string, site: string, callId: string, atMs: number, fields: Record<string, unknown>): ScriptedEvent {
  return scripted(IvrEvents[name] as unknown as EventDefinition, `${callId}:ivr:${name}:${atMs}`, { call: { tenant, site, callId }, occurredAt: timestampFromMs(atMs), ...fields });
}

/** voicemail's message_left: the caller of `callId` (acd contact `contactId`, if it came from a queue) left message `messageId`. */
export function messageLeftEvent(tenant: string, site: string, callId: string, atMs: number, messageId: string, queue: string, contactId = ''): ScriptedEvent {
  return scripted(VoicemailEvents.messageLeft as unknown as EventDefinition, `${messageId}:left`, {
    call: { tenant, site, callId },
    occurredAt: timestampFromMs(atMs),
    messageId,
    queue,
    contactId,
    durationMs: 3_000,
    recordingId: `rec-${messageId}`,
    location: `local:${messageId}.wav`,
    contentType: 'audio/wav',
  });
}
