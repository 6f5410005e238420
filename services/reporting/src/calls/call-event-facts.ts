import { type CallEvents } from '@lianluo/contracts';
import { type ContactFact } from '../contacts/contact-fact';
import { type EventAbout } from '../events/domain-events.handlers';

type CallEventName = (typeof CallEvents)[keyof typeof CallEvents]['name'];

interface CallEventFields {
  readonly call?: { readonly site: string } | undefined;
  readonly ani?: string;
  readonly dnis?: string;
  readonly cause?: number;
}

/**
 * What a call event means for its contact (the call id is the contact id of a voice
 * contact). Media details (digits, prompts, bridges) mean nothing for the contact record;
 * those events are stored all the same.
 */
export function contactFactOfCallEvent(name: CallEventName | string, message: CallEventFields): ContactFact | undefined {
  switch (name) {
    case 'started':
      return {
        kind: 'arrived',
        channel: 'voice',
        ...(message.call?.site && { site: message.call.site }),
        ...(message.ani && { ani: message.ani }),
        ...(message.dnis && { dnis: message.dnis }),
      };
    case 'answered':
      return { kind: 'answered' };
    // A leg is the agent's phone (or a transfer target) picking up.
    case 'leg_answered':
      return { kind: 'agent-answered' };
    case 'transferred':
      return { kind: 'transferred' };
    case 'hungup':
      return { kind: 'ended', ...(message.cause !== undefined && { cause: message.cause }) };
    default:
      return undefined;
  }
}

/**
 * An event about a call is about the call's contact: the contact it names (ivr's
 * queue_choice_made, voicemail's events from a queue), or else the call, which is the
 * contact of a voice contact.
 */
export function aboutCall(message: { readonly call?: { readonly callId: string } | undefined; readonly contactId?: string }, fact: ContactFact | undefined): EventAbout {
  return { contactId: message.contactId || message.call?.callId || '', ...(fact && { fact }) };
}

/** A call event is about its call. */
export function callEventAbout(name: string, message: object): EventAbout {
  return aboutCall(message, contactFactOfCallEvent(name, message as CallEventFields));
}
