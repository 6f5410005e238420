import { create } from '@bufbuild/protobuf';
import { timestampNow } from '@bufbuild/protobuf/wkt';
import { CallCommands, CallEvents, validateCallRef } from './call.catalog';

const call = { tenant: 'acme', site: 'bj', callId: 'bj-1.1' };

describe('call contract rules', () => {
  it('requires tenant, site and call id, and keeps tenant and site usable as subject tokens', () => {
    expect(validateCallRef(undefined)).toEqual([{ field: 'call', reason: 'is required' }]);
    expect(validateCallRef(create(CallCommands.answer.request, { call }).call)).toEqual([]);
    const fields = validateCallRef(create(CallCommands.answer.request, { call: { tenant: 'a.b', site: '', callId: '' } }).call).map((v) => v.field);
    expect(fields.sort()).toEqual(['call.call_id', 'call.site', 'call.tenant']);
  });

  it('names each field a command breaks', () => {
    const collect = create(CallCommands.collectDigits.request, { commandId: 'c', call, maxDigits: 0, terminator: 'x', firstDigitTimeoutMs: 0, interDigitTimeoutMs: 5 });
    expect(CallCommands.collectDigits.validate(collect).map((v) => v.field)).toEqual(['max_digits', 'terminator', 'first_digit_timeout_ms']);
    const play = create(CallCommands.play.request, { commandId: 'p', call, media: ['hello-world'] });
    expect(CallCommands.play.validate(play)).toEqual([{ field: 'media[0]', reason: 'must be a media URI such as sound:hello-world (got "hello-world")' }]);
    expect(CallCommands.play.validate(create(CallCommands.play.request, { commandId: 'p', call }))).toEqual([{ field: 'media', reason: 'needs at least one media URI' }]);
    expect(CallCommands.hangUp.validate(create(CallCommands.hangUp.request, { commandId: '', call, cause: 300 })).map((v) => v.field)).toEqual(['command_id', 'cause']);
  });

  it('accepts well-formed events and refuses a DTMF event without a key', () => {
    const dtmf = create(CallEvents.dtmfReceived.schema, { eventId: 'e', call, occurredAt: timestampNow(), digit: '#' });
    expect(CallEvents.dtmfReceived.validate(dtmf)).toEqual([]);
    expect(CallEvents.dtmfReceived.validate({ ...dtmf, digit: '' })).toEqual([{ field: 'digit', reason: 'must be one of 0-9 * # A-D (got "")' }]);
    expect(CallEvents.answered.validate(create(CallEvents.answered.schema, { eventId: 'e', call })).map((v) => v.field)).toEqual(['occurred_at']);
  });

  it('reads the de-duplication id and tenant the publisher needs', () => {
    const started = create(CallEvents.started.schema, { eventId: 'bj-1.1:started', call, occurredAt: timestampNow() });
    expect(CallEvents.started.idOf(started)).toBe('bj-1.1:started');
    expect(CallEvents.started.tenantOf(started)).toBe('acme');
  });
});
