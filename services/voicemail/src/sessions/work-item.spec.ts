import { AcdCommands, Channel } from '@lianluo/contracts';
import { type Session } from './sessions.repository';
import { workItemOf } from './work-item';

const session: Session = {
  messageId: '6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f',
  tenant: 'acme',
  site: 'sz',
  callId: 'sz-1.1',
  queue: 'billing',
  mailbox: '',
  callerNumber: '13800138000',
  priority: 70,
  contactId: 'call-42',
  reason: 'overflow',
  minMessageMs: 1_000,
  recordingId: 'r1',
  callerGone: true,
  outcome: undefined,
  traceparent: undefined,
};
const take = { recordingId: 'r1', location: 'file:///r/r1', contentType: 'audio/wav', durationMs: 3_120, sizeBytes: 49_964 };

describe('the work item of a kept message', () => {
  it('queues a work item for the original queue with the caller’s priority and a reference to the message', () => {
    const request = workItemOf(session, take);
    expect(AcdCommands.enqueueContact.validate(request)).toEqual([]);
    expect(request).toMatchObject({
      commandId: `${session.messageId}:enqueue`,
      tenant: 'acme',
      contact: {
        contactId: `voicemail-${session.messageId}`,
        queue: 'billing',
        channel: Channel.WORKITEM,
        priority: 70,
        site: 'sz',
        data: {
          kind: 'voicemail',
          voicemail_message_id: session.messageId,
          audio: `/voicemails/acme/${session.messageId}/audio`,
          duration_ms: '3120',
          caller_number: '13800138000',
          original_contact_id: 'call-42',
        },
      },
    });
  });
});
