import { create } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { AcdEvents, AgentState, CancelReason, Channel } from '@lianluo/contracts';
import { acdEventAbout } from './acd-event-facts';

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
const contact = { contactId: 'call-1', queue: 'sales', channel: Channel.VOICE, site: 'bj', customerId: 'c-42', call: { tenant: 'acme', site: 'bj', callId: 'call-1' } };
const agent = { agentId: 'a-7', site: 'sz' };
const basics = { eventId: 'e-1', tenant: 'acme', occurredAt: timestampFromMs(T0) };

describe('acd events as facts', () => {
  it('files a contact event under its contact and agent, with what it says of the contact', () => {
    expect(acdEventAbout('contact_queued', create(AcdEvents.contactQueued.schema, { ...basics, contact, position: 3 }))).toEqual({
      contactId: 'call-1',
      fact: { kind: 'queued', queue: 'sales', channel: 'voice', site: 'bj', customerId: 'c-42' },
    });
    expect(acdEventAbout('contact_accepted', create(AcdEvents.contactAccepted.schema, { ...basics, contact, agent, attempt: 1 }))).toEqual({
      contactId: 'call-1',
      agentId: 'a-7',
      fact: { kind: 'agent-answered', agentId: 'a-7', agentSite: 'sz' },
    });
    expect(acdEventAbout('contact_ring_no_answer', create(AcdEvents.contactRingNoAnswer.schema, { ...basics, contact, agent, attempt: 1 })).fact).toEqual({
      kind: 'ring-no-answer',
      agentId: 'a-7',
    });
  });

  it('releases the contact with the wrap-up it is due, or none', () => {
    const completed = (wrapUpEndsAt?: number) =>
      acdEventAbout('contact_completed', create(AcdEvents.contactCompleted.schema, { ...basics, contact, agent, ...(wrapUpEndsAt && { wrapUpEndsAt: timestampFromMs(wrapUpEndsAt) }) })).fact;
    expect(completed(T0 + 30_000)).toEqual({ kind: 'released', agentId: 'a-7', agentSite: 'sz', wrapUpUntilMs: T0 + 30_000 });
    expect(completed()).toEqual({ kind: 'released', agentId: 'a-7', agentSite: 'sz' });
  });

  it("keeps the agent's wrap-up code and notes on the release, and nothing when the agent gave none", () => {
    const completed = (init: { wrapUpCode?: string; notes?: string }) => acdEventAbout('contact_completed', create(AcdEvents.contactCompleted.schema, { ...basics, contact, agent, ...init })).fact;
    expect(completed({ wrapUpCode: 'sale', notes: 'Renewed' })).toEqual({ kind: 'released', agentId: 'a-7', agentSite: 'sz', wrapUpCode: 'sale', notes: 'Renewed' });
    expect(completed({ wrapUpCode: '', notes: '' })).toEqual({ kind: 'released', agentId: 'a-7', agentSite: 'sz' });
    const recorded = acdEventAbout('contact_wrap_up_recorded', create(AcdEvents.contactWrapUpRecorded.schema, { ...basics, contact, agent, wrapUpCode: 'sale', notes: 'Renewed' })).fact;
    expect(recorded).toEqual({ kind: 'wrap-up-recorded', agentId: 'a-7', wrapUpCode: 'sale', notes: 'Renewed' });
  });

  it('tells a customer giving up from a contact withdrawn by its owner or the caller’s choice', () => {
    const abandoned = (reason: CancelReason) => acdEventAbout('contact_abandoned', create(AcdEvents.contactAbandoned.schema, { ...basics, contact, reason })).fact;
    expect(abandoned(CancelReason.ABANDONED)).toEqual({ kind: 'abandoned' });
    expect(abandoned(CancelReason.WITHDRAWN)).toEqual({ kind: 'withdrawn' });
  });

  it('names where an overflow went', () => {
    const overflowed = create(AcdEvents.contactOverflowed.schema, { ...basics, contact, target: { case: 'voicemailMailbox', value: 'sales' } });
    expect(acdEventAbout('contact_overflowed', overflowed).fact).toEqual({ kind: 'overflowed', target: 'voicemail:sales' });
  });

  it('files an agent’s state change under the agent alone', () => {
    const changed = create(AcdEvents.agentStateChanged.schema, { ...basics, agent, state: AgentState.NOT_READY, previousState: AgentState.RESERVED, reasonCode: 'ring-no-answer' });
    expect(acdEventAbout('agent_state_changed', changed)).toEqual({ agentId: 'a-7', fact: { kind: 'agent-state', site: 'sz', state: 'not-ready', reasonCode: 'ring-no-answer' } });
  });

  it('keeps events that say nothing of the record under their contact, and files newer kinds by the fields they carry', () => {
    expect(acdEventAbout('contact_position_changed', create(AcdEvents.contactPositionChanged.schema, { ...basics, contact, position: 2, waiting: 5 }))).toEqual({ contactId: 'call-1' });
    expect(acdEventAbout('something_newer', { contactId: 'cb-1@1', agent })).toEqual({ contactId: 'cb-1@1', agentId: 'a-7' });
  });
});
