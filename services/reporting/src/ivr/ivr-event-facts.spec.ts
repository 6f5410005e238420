import { create } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { FlowOutcome, IvrEvents, QueueChoice } from '@lianluo/contracts';
import { ivrEventAbout } from './ivr-event-facts';

const basics = { eventId: 'e-1', call: { tenant: 'acme', site: 'bj', callId: 'call-1' }, occurredAt: timestampFromMs(Date.UTC(2026, 10, 23, 9)) };

describe('ivr events as facts', () => {
  it('makes the IVR phase of the call’s contact, never keeping what the caller keyed in', () => {
    expect(ivrEventAbout('menu_chosen', create(IvrEvents.menuChosen.schema, { ...basics, flow: 'main', step: 'main_menu', key: '2' }))).toEqual({
      contactId: 'call-1',
      fact: { kind: 'menu-chosen', step: 'main_menu', key: '2' },
    });
    const input = ivrEventAbout('input_collected', create(IvrEvents.inputCollected.schema, { ...basics, flow: 'main', step: 'account', variable: 'account', value: '12345' }));
    expect(input.fact).toEqual({ kind: 'input-collected', step: 'account', variable: 'account' });
    expect(ivrEventAbout('flow_ended', create(IvrEvents.flowEnded.schema, { ...basics, flow: 'main', step: 'q', outcome: FlowOutcome.CALLER_LEFT })).fact).toEqual({
      kind: 'ivr-ended',
      flow: 'main',
      outcome: 'caller-left',
    });
  });

  it('files a choice made in the queue under the contact it names', () => {
    const made = create(IvrEvents.queueChoiceMade.schema, { ...basics, queue: 'service', contactId: 'call-1', choice: QueueChoice.CALLBACK });
    expect(ivrEventAbout('queue_choice_made', made)).toEqual({ contactId: 'call-1', fact: { kind: 'queue-choice', choice: 'callback', queue: 'service' } });
  });
});
