import { create } from '@bufbuild/protobuf';
import { timestampNow } from '@bufbuild/protobuf/wkt';
import { AcdEvents, Channel, TakeReason, VoicemailCommands } from '@lianluo/contracts';
import { takeCallOfOverflow } from './overflow-take';

const call = { tenant: 'acme', site: 'bj', callId: 'bj-7.7' };

function overflowed(target: { case: 'voicemailMailbox' | 'queue'; value: string }, withCall = true) {
  return create(AcdEvents.contactOverflowed.schema, {
    eventId: 'acd-overflow-1',
    tenant: 'acme',
    occurredAt: timestampNow(),
    contact: { contactId: 'contact-7', queue: 'sales', channel: withCall ? Channel.VOICE : Channel.EMAIL, site: 'bj', ...(withCall ? { call } : {}) },
    waitedMs: 120_000n,
    target,
  });
}

describe('a contact acd overflows', () => {
  it('becomes a take_call of its call for the original queue and the mailbox, once per event', () => {
    const take = takeCallOfOverflow(overflowed({ case: 'voicemailMailbox', value: 'sales-box' }));
    expect(take).toMatchObject({ commandId: 'acd-overflow-1', call, queue: 'sales', mailbox: 'sales-box', contactId: 'contact-7', reason: TakeReason.OVERFLOW });
    expect(VoicemailCommands.takeCall.validate(take as never)).toEqual([]);
  });

  it('is not voicemail’s when it overflows to another queue or has no call to record', () => {
    expect(takeCallOfOverflow(overflowed({ case: 'queue', value: 'billing' }))).toBeUndefined();
    expect(takeCallOfOverflow(overflowed({ case: 'voicemailMailbox', value: 'sales-box' }, false))).toBeUndefined();
  });
});
