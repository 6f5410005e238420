import { create } from '@bufbuild/protobuf';
import { AcdCommands, Channel, type EnqueueContact } from '@lianluo/contracts';
import { type Session } from './sessions.repository';
import { type Take } from './voicemail-call';

/**
 * The work item that puts a kept message before the agents of its queue (VM-1): a contact
 * of the work-item channel with the caller's priority, naming the message so the agent's
 * desktop can fetch it. Its ids derive from the message id, so sending it again is a no-op.
 */
export function workItemOf(session: Session, take: Take): EnqueueContact {
  const data: Record<string, string> = {
    kind: 'voicemail',
    voicemail_message_id: session.messageId,
    audio: `/voicemails/${session.tenant}/${session.messageId}/audio`,
    duration_ms: String(take.durationMs),
    caller_number: session.callerNumber,
  };
  if (session.mailbox) data.mailbox = session.mailbox;
  if (session.contactId) data.original_contact_id = session.contactId;
  return create(AcdCommands.enqueueContact.request, {
    commandId: `${session.messageId}:enqueue`,
    tenant: session.tenant,
    contact: {
      contactId: `voicemail-${session.messageId}`,
      queue: session.queue,
      channel: Channel.WORKITEM,
      priority: session.priority,
      site: session.site,
      data,
    },
  });
}
