import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { type AbandonStage, CallRefSchema, type VoicemailAbandoned, VoicemailEvents, type VoicemailLeft } from '@lianluo/contracts';
import { type Session } from './sessions.repository';
import { type Take } from './voicemail-call';

/** What both events of a session start with; the id makes a second event of the kind a duplicate. */
function basicsOf(session: Session, kind: 'left' | 'abandoned', at: Date) {
  return {
    eventId: `${session.messageId}:${kind}`,
    call: create(CallRefSchema, { tenant: session.tenant, site: session.site, callId: session.callId }),
    occurredAt: timestampFromDate(at),
    messageId: session.messageId,
    queue: session.queue,
    mailbox: session.mailbox,
    callerNumber: session.callerNumber,
    contactId: session.contactId,
  };
}

/** The message_left event of a session whose take was kept. */
export function messageLeftEvent(session: Session, take: Take, at: Date): VoicemailLeft {
  return create(VoicemailEvents.messageLeft.schema, {
    ...basicsOf(session, 'left', at),
    durationMs: take.durationMs,
    recordingId: take.recordingId,
    location: take.location,
    contentType: take.contentType,
    sizeBytes: BigInt(take.sizeBytes),
    priority: session.priority,
  });
}

export function messageAbandonedEvent(session: Session, stage: AbandonStage, recordedMs: number, at: Date): VoicemailAbandoned {
  return create(VoicemailEvents.messageAbandoned.schema, { ...basicsOf(session, 'abandoned', at), stage, recordedMs });
}
