import { type VoicemailAbandoned, VoicemailEvents, type VoicemailLeft } from '@lianluo/contracts';
import { aboutCall } from '../calls/call-event-facts';
import { type ContactFact } from '../contacts/contact-fact';
import { type EventAbout } from '../events/domain-events.handlers';

/**
 * What a voicemail event means for the caller's contact. The message a caller leaves
 * becomes a work item, a contact of its own (`voicemail-<message id>`) that acd's events
 * tell; the caller's record names the message.
 */
export function factOfVoicemailEvent(name: string, message: object): ContactFact | undefined {
  switch (name) {
    case VoicemailEvents.messageLeft.name: {
      const left = message as VoicemailLeft;
      return { kind: 'voicemail-left', messageId: left.messageId, ...(left.queue && { queue: left.queue }) };
    }
    case VoicemailEvents.messageAbandoned.name:
      return { kind: 'voicemail-abandoned', messageId: (message as VoicemailAbandoned).messageId };
    default:
      return undefined;
  }
}

/** A voicemail event is about the acd contact the call was, or else the call itself (the same id for a voice contact). */
export function voicemailEventAbout(name: string, message: object): EventAbout {
  return aboutCall(message, factOfVoicemailEvent(name, message));
}
