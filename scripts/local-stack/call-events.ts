// The events of one call as `npm run call` shows them: whatever the gateway, ivr, acd and
// voicemail publish about it, read from NATS as they happen.
import { type DescMessage, type MessageShape, fromBinary } from '@bufbuild/protobuf';
import {
  ALL_ACD_EVENTS,
  ALL_CALL_EVENTS,
  ALL_IVR_EVENTS,
  ALL_VOICEMAIL_EVENTS,
  type CallRef,
  type EventDefinition,
  FlowOutcome,
} from '@lianluo/contracts';
import { type MessagingConnection, parseSubject } from '@lianluo/messaging';
import { type Subscription } from 'nats';

const DEFINITIONS = new Map<string, EventDefinition>(
  [...ALL_CALL_EVENTS, ...ALL_ACD_EVENTS, ...ALL_IVR_EVENTS, ...ALL_VOICEMAIL_EVENTS].map((definition) => [
    `${definition.domain}.${definition.name}`,
    definition as unknown as EventDefinition,
  ]),
);

/** An event about the call: `acd.contact_queued` and the decoded message. */
export interface CallEvent {
  readonly name: string;
  readonly message: MessageShape<DescMessage> & Record<string, unknown>;
}

type Fields = Record<string, unknown> & {
  call?: CallRef;
  contact?: { contactId?: string; queue?: string; call?: CallRef };
  agent?: { agentId?: string; site?: string };
};

/**
 * Follows the first call from `callerNumber` to `dialledNumber` that starts after `follow`:
 * calls `onEvent` for each event about it (call, ivr, voicemail events name the call; acd
 * events the contact, whose call it is).
 */
export class CallEvents {
  private call: CallRef | undefined;
  private constructor(private readonly subscription: Subscription) {}

  static follow(connection: MessagingConnection, tenant: string, callerNumber: string, dialledNumber: string, onEvent: (event: CallEvent) => void): CallEvents {
    const subscription = connection.nc.subscribe(`${connection.namespace}.${tenant}.*.event.*`);
    const events = new CallEvents(subscription);
    void (async () => {
      for await (const received of subscription) {
        const parts = parseSubject(received.subject);
        const definition = parts && DEFINITIONS.get(`${parts.domain}.${parts.name}`);
        if (!definition) continue;
        const message = fromBinary(definition.schema, received.data) as CallEvent['message'];
        const fields = message as Fields;
        const name = `${parts.domain}.${parts.name}`;
        if (!events.call && name === 'call.started' && fields.ani === callerNumber && fields.dnis === dialledNumber) events.call = fields.call;
        if (events.call && events.isAbout(fields)) onEvent({ name, message });
      }
    })();
    return events;
  }

  /** The call followed, once it has started. */
  get ref(): CallRef | undefined {
    return this.call;
  }

  stop(): void {
    this.subscription.unsubscribe();
  }

  private isAbout(fields: Fields): boolean {
    const callId = this.call?.callId;
    return fields.call?.callId === callId || fields.contact?.call?.callId === callId || fields.contact?.contactId === callId;
  }
}

/** One line about an event, e.g. `acd.contact_queued  queue sales, priority 1, position 1`. */
export function describeCallEvent({ name, message }: CallEvent): string {
  const m = message as Fields;
  const agent = m.agent ? `${m.agent.agentId} (${m.agent.site})` : '';
  const details: Record<string, () => string> = {
    'call.started': () => `call ${m.call?.callId} at ${m.call?.site}, from ${m.ani} to ${m.dnis}`,
    'call.dtmf': () => `key ${m.digit}`,
    'call.playback_started': () => `${m.mediaUri}${m.legId && m.legId !== m.call?.callId ? ` to leg ${m.legId}` : ''}`,
    'call.leg_ringing': () => `${m.destination}`,
    'call.hungup': () => `${m.causeText || `cause ${m.cause}`}`,
    'ivr.menu_chosen': () => `${m.step}: ${m.key}`,
    'ivr.input_collected': () => `${m.step}: ${m.variable} = ${m.value}`,
    'ivr.flow_ended': () => `${FlowOutcome[m.outcome as FlowOutcome]?.toLowerCase()} at step ${m.step}${m.queue ? `, queue ${m.queue}` : ''}`,
    'acd.contact_queued': () => {
      const skills = Object.entries((m.requiredSkills as Record<string, number>) ?? {}).map(([skill, level]) => `${skill} ${level}`);
      return `queue ${m.contact?.queue}, priority ${m.priority}, position ${m.position}${skills.length ? `, skills ${skills.join(', ')}` : ''}${m.preferredAgent ? `, preferred agent ${m.preferredAgent}` : ''}`;
    },
    'acd.contact_offered': () => `to ${agent}, attempt ${m.attempt}`,
    'acd.contact_accepted': () => `by ${agent} after ${Number(m.waitedMs) / 1000} s`,
    'acd.contact_rejected': () => `by ${agent}: ${m.reasonCode}`,
    'acd.contact_ring_no_answer': () => `${agent} did not answer`,
    'acd.contact_abandoned': () => `after ${Number(m.waitedMs) / 1000} s`,
    'acd.contact_overflowed': () => `from queue ${m.contact?.queue} after ${Number(m.waitedMs) / 1000} s`,
    'acd.contact_position_changed': () => `position ${m.position} of ${m.waiting}`,
    'voicemail.message_left': () => `message ${m.messageId}, ${Number(m.durationMs) / 1000} s, queue ${m.queue}`,
  };
  const detail = details[name]?.() ?? '';
  return `${name.padEnd(30)}${detail}`.trimEnd();
}
