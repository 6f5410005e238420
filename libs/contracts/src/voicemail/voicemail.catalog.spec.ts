import { create } from '@bufbuild/protobuf';
import { timestampNow } from '@bufbuild/protobuf/wkt';
import { TakeReason } from '../gen/lianluo/voicemail/v1/commands_pb';
import { AbandonStage } from '../gen/lianluo/voicemail/v1/events_pb';
import { VoicemailCommands, VoicemailEvents } from './voicemail.catalog';

const call = { tenant: 'acme', site: 'bj', callId: 'bj-1.1' };

describe('voicemail contract rules', () => {
  it('accepts a call handed over for a queue with the service defaults', () => {
    const take = create(VoicemailCommands.takeCall.request, { commandId: 't', call, queue: 'sales', reason: TakeReason.OVERFLOW });
    expect(VoicemailCommands.takeCall.validate(take)).toEqual([]);
    expect(VoicemailCommands.takeCall.tenantOf(take)).toBe('acme');
  });

  it('names every field of a take_call it cannot use', () => {
    const take = create(VoicemailCommands.takeCall.request, {
      commandId: '',
      call,
      queue: '',
      mailbox: 'a b',
      language: 'English',
      greeting: ['vm-intro'],
      maxMessageMs: 500,
      silenceStopMs: 120_000,
      priority: 101,
      contactId: 'x:y',
    });
    expect(VoicemailCommands.takeCall.validate(take).map((v) => v.field)).toEqual([
      'command_id',
      'mailbox',
      'contact_id',
      'language',
      'greeting[0]',
      'max_message_ms',
      'silence_stop_ms',
      'priority',
      'reason',
    ]);
    const noTarget = create(VoicemailCommands.takeCall.request, { commandId: 't', call, reason: TakeReason.FLOW });
    expect(VoicemailCommands.takeCall.validate(noTarget)).toEqual([{ field: 'queue', reason: 'is required when there is no mailbox' }]);
  });

  it('refuses a message_left without its recording and an abandonment without its stage', () => {
    const left = create(VoicemailEvents.messageLeft.schema, { eventId: 'm:left', call, occurredAt: timestampNow(), messageId: 'm', queue: 'sales' });
    expect(VoicemailEvents.messageLeft.validate(left).map((v) => v.field)).toEqual(['recording_id', 'location', 'content_type', 'duration_ms']);
    const abandoned = create(VoicemailEvents.messageAbandoned.schema, { eventId: 'm:abandoned', call, occurredAt: timestampNow(), messageId: 'm' });
    expect(VoicemailEvents.messageAbandoned.validate(abandoned).map((v) => v.field)).toEqual(['stage']);
    expect(VoicemailEvents.messageAbandoned.validate({ ...abandoned, stage: AbandonStage.RECORDING })).toEqual([]);
    expect(VoicemailEvents.messageAbandoned.idOf(abandoned)).toBe('m:abandoned');
  });
});
