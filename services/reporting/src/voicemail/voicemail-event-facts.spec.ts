import { create } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { AbandonStage, VoicemailEvents } from '@lianluo/contracts';
import { voicemailEventAbout } from './voicemail-event-facts';

const basics = { eventId: 'm-1:left', call: { tenant: 'acme', site: 'bj', callId: 'call-1' }, occurredAt: timestampFromMs(Date.UTC(2026, 10, 23, 9)), messageId: 'm-1' };

describe('voicemail events as facts', () => {
  it('names the message on the caller’s contact: the queued contact, or else the call', () => {
    const left = create(VoicemailEvents.messageLeft.schema, { ...basics, queue: 'service', contactId: 'call-1', durationMs: 3_000, recordingId: 'r', location: 'l', contentType: 'audio/wav' });
    expect(voicemailEventAbout('message_left', left)).toEqual({ contactId: 'call-1', fact: { kind: 'voicemail-left', messageId: 'm-1', queue: 'service' } });
    const abandoned = create(VoicemailEvents.messageAbandoned.schema, { ...basics, stage: AbandonStage.GREETING });
    expect(voicemailEventAbout('message_abandoned', abandoned)).toEqual({ contactId: 'call-1', fact: { kind: 'voicemail-abandoned', messageId: 'm-1' } });
  });
});
