import { create } from '@bufbuild/protobuf';
import { timestampNow } from '@bufbuild/protobuf/wkt';
import { FlowOutcome, QueueChoice } from '../gen/lianluo/ivr/v1/events_pb';
import { IvrEvents } from './ivr.catalog';

const call = { tenant: 'acme', site: 'bj', callId: 'bj-1.1' };

describe('ivr contract rules', () => {
  it('accepts the events a flow publishes', () => {
    const occurredAt = timestampNow();
    expect(IvrEvents.menuChosen.validate(create(IvrEvents.menuChosen.schema, { eventId: 'e', call, occurredAt, step: 'main', key: '2' }))).toEqual([]);
    expect(IvrEvents.flowEnded.validate(create(IvrEvents.flowEnded.schema, { eventId: 'e', call, occurredAt, step: 'q', outcome: FlowOutcome.QUEUED }))).toEqual([]);
    expect(IvrEvents.menuChosen.tenantOf(create(IvrEvents.menuChosen.schema, { call }))).toBe('acme');
  });

  it('names what is wrong with an event', () => {
    expect(IvrEvents.menuChosen.validate(create(IvrEvents.menuChosen.schema, { eventId: 'e', call, step: '', key: '12' })).map((v) => v.field)).toEqual([
      'occurred_at',
      'step',
      'key',
    ]);
    expect(IvrEvents.flowEnded.validate(create(IvrEvents.flowEnded.schema, { eventId: 'e', call, occurredAt: timestampNow(), step: 's' })).map((v) => v.field)).toEqual([
      'outcome',
    ]);
    expect(IvrEvents.queueChoiceMade.validate(create(IvrEvents.queueChoiceMade.schema, { eventId: 'e', call, occurredAt: timestampNow(), queue: 'q', contactId: 'c', choice: QueueChoice.UNSPECIFIED })).map((v) => v.field)).toEqual([
      'choice',
    ]);
  });
});
