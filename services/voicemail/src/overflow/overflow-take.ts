import { create } from '@bufbuild/protobuf';
import { type ContactOverflowed, TakeReason, type TakeCall, VoicemailCommands } from '@lianluo/contracts';

/**
 * The take_call acd's overflow amounts to (ACD-8), or undefined when the overflow is not
 * voicemail's (another queue) or has no call to record (a contact of another channel).
 * The command id is the event's id, so a redelivered overflow takes the call once.
 * ContactOverflowed carries no priority or caller number yet: the priority is 0 and the
 * number is read from the call.
 */
export function takeCallOfOverflow(event: ContactOverflowed): TakeCall | undefined {
  if (event.target.case !== 'voicemailMailbox' || !event.contact?.call) return undefined;
  return create(VoicemailCommands.takeCall.request, {
    commandId: event.eventId,
    call: event.contact.call,
    queue: event.contact.queue,
    mailbox: event.target.value,
    contactId: event.contact.contactId,
    reason: TakeReason.OVERFLOW,
  });
}
