import { create } from '@bufbuild/protobuf';
import { timestampNow } from '@bufbuild/protobuf/wkt';
import { RecordTarget, SupervisorMode } from '../gen/lianluo/call/v1/commands_pb';
import { CallCommands, CallEvents, validateCallRef, validateDestination } from './call.catalog';

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

  it('accepts an agent phone or a PSTN number as a destination, and says what is wrong with others', () => {
    expect(validateDestination({ target: { case: 'agent', value: { site: 'sz', extension: '2001' } } } as never)).toEqual([]);
    expect(validateDestination({ target: { case: 'pstn_number', value: '+8610123456' } } as never)).toEqual([]);
    expect(validateDestination(undefined)).toEqual([{ field: 'destination', reason: 'needs an agent phone or a PSTN number' }]);
    expect(validateDestination({ target: { case: 'agent', value: { site: 's z', extension: '20 01' } } } as never).map((v) => v.field)).toEqual([
      'destination.agent.site',
      'destination.agent.extension',
    ]);
    expect(validateDestination({ target: { case: 'pstn_number', value: '12ab' } } as never, 'supervisor').map((v) => v.field)).toEqual(['supervisor.pstn_number']);
  });

  it('refuses unusable transfer, recording, supervision and variable commands with the field named', () => {
    const transfer = create(CallCommands.blindTransfer.request, { commandId: 't', call, timeoutMs: 500 });
    expect(CallCommands.blindTransfer.validate(transfer).map((v) => v.field)).toEqual(['destination', 'timeout_ms']);
    const record = create(CallCommands.record.request, { commandId: 'r', call, format: 'mp3', maxDurationMs: 10, terminateOn: '5' });
    expect(CallCommands.record.validate(record).map((v) => v.field)).toEqual(['target', 'format', 'max_duration_ms', 'terminate_on']);
    const goodRecord = create(CallCommands.record.request, { commandId: 'r', call, target: RecordTarget.CALLER, maxDurationMs: 3_000, terminateOn: '#' });
    expect(CallCommands.record.validate(goodRecord)).toEqual([]);
    const supervise = create(CallCommands.joinSupervisor.request, {
      commandId: 's',
      call,
      legId: 'l',
      supervisor: { target: { case: 'agent', value: { site: 'bj', extension: '1003' } } },
      timeoutMs: 5_000,
    });
    expect(CallCommands.joinSupervisor.validate(supervise).map((v) => v.field)).toEqual(['mode']);
    expect(CallCommands.joinSupervisor.validate({ ...supervise, mode: SupervisorMode.WHISPER })).toEqual([]);
    expect(CallCommands.sendDtmf.validate(create(CallCommands.sendDtmf.request, { commandId: 'd', call, digits: '12x' })).map((v) => v.field)).toEqual(['digits']);
    const variables = create(CallCommands.setVariables.request, { commandId: 'v', call, variables: { LIANLUO_TENANT: 'x', 'bad name': 'y', 'CALLERID(name)': 'ok' } });
    expect(CallCommands.setVariables.validate(variables).map((v) => v.field)).toEqual(['variables[LIANLUO_TENANT]', 'variables[bad name]']);
    expect(CallCommands.getVariable.validate(create(CallCommands.getVariable.request, { commandId: 'g', call, legId: '../x', name: '' })).map((v) => v.field)).toEqual([
      'leg_id',
      'name',
    ]);
  });
});
