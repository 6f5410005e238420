import fc from 'fast-check';
import { type ContactFact, type TimedContactFact } from './contact-fact';
import { foldContact } from './contact-record';

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
let sequence = 0;
const at = (offsetSeconds: number, fact: ContactFact): TimedContactFact => ({ atMs: T0 + offsetSeconds * 1000, eventId: `e${++sequence}`, fact });

describe('foldContact', () => {
  const answeredCall = [
    at(0, { kind: 'arrived', channel: 'voice', site: 'bj', ani: '13800000001', dnis: '4001' }),
    at(1, { kind: 'answered' }),
    at(12, { kind: 'queued', queue: 'billing', customerId: 'c-42' }),
    at(20, { kind: 'offered', agentId: 'a-1', agentSite: 'sz' }),
    at(35, { kind: 'offered', agentId: 'a-2', agentSite: 'bj' }),
    at(40, { kind: 'agent-answered', agentId: 'a-2', agentSite: 'bj' }),
    at(40.5, { kind: 'agent-answered' }),
    at(160, { kind: 'ended', cause: 16 }),
    at(160.2, { kind: 'released', agentId: 'a-2', agentSite: 'bj', wrapUpUntilMs: T0 + 190_000 }),
  ];

  const throughIvrToVoicemail = [
    at(0, { kind: 'arrived', channel: 'voice', site: 'bj', ani: '13800000009', dnis: '100' }),
    at(1, { kind: 'answered' }),
    at(4, { kind: 'menu-chosen', step: 'main_menu', key: '2' }),
    at(7, { kind: 'menu-chosen', step: 'service_menu', key: '1' }),
    at(11, { kind: 'input-collected', step: 'account', variable: 'account' }),
    at(12, { kind: 'ivr-ended', flow: 'main', outcome: 'queued', queue: 'service' }),
    at(12, { kind: 'queued', queue: 'service', channel: 'voice', site: 'bj' }),
    at(13, { kind: 'offered', agentId: 'a-1', agentSite: 'sz' }),
    at(17, { kind: 'ring-no-answer', agentId: 'a-1' }),
    at(18, { kind: 'offered', agentId: 'a-2', agentSite: 'bj' }),
    at(19, { kind: 'rejected', agentId: 'a-2' }),
    at(40, { kind: 'queue-choice', choice: 'voicemail', queue: 'service' }),
    at(40.1, { kind: 'withdrawn' }),
    at(75, { kind: 'voicemail-left', messageId: 'm-9', queue: 'service' }),
    at(76, { kind: 'ended', cause: 16 }),
  ];

  it('times every phase of an answered call and measures wait, talk and handle', () => {
    const record = foldContact('acme', 'call-1', answeredCall);
    expect(record).toMatchObject({
      channel: 'voice',
      site: 'bj',
      queue: 'billing',
      customerId: 'c-42',
      agentId: 'a-2',
      agentSite: 'bj',
      offers: 2,
      outcome: 'answered',
      queuedAt: T0 + 12_000,
      offeredAt: T0 + 20_000,
      agentAnsweredAt: T0 + 40_000,
      waitSeconds: 28,
      talkSeconds: 120,
      releasedAt: T0 + 160_200,
      wrapUpEndedAt: T0 + 190_000,
      wrapUpSeconds: 29.8,
      handleSeconds: 150,
      facts: answeredCall.length,
    });
  });

  it('ends the wrap-up when the agent left it, sooner than it was due, once the agent’s intervals tell', () => {
    const record = foldContact('acme', 'call-1', answeredCall, T0 + 170_200);
    expect(record).toMatchObject({ wrapUpEndedAt: T0 + 170_200, wrapUpSeconds: 10, handleSeconds: 130.2 });
  });

  it("keeps the wrap-up code and notes of the latest release that gave them, none when no release did", () => {
    expect(foldContact('acme', 'call-1', answeredCall)).toMatchObject({ wrapUpCode: null, notes: null });
    const rereleased = foldContact('acme', 'chat-1', [
      at(0, { kind: 'queued', queue: 'service', channel: 'chat' }),
      at(6, { kind: 'agent-answered', agentId: 'a-1' }),
      at(60, { kind: 'released', agentId: 'a-1', wrapUpCode: 'callback-needed', notes: 'Call back after 5' }),
      at(70, { kind: 'released', agentId: 'a-1' }),
    ]);
    expect(rereleased).toMatchObject({ wrapUpCode: 'callback-needed', notes: 'Call back after 5' });
    const codedAfterHangUp = foldContact('acme', 'call-1', [...answeredCall, at(170, { kind: 'wrap-up-recorded', agentId: 'a-2', wrapUpCode: 'sale', notes: 'Renewed' })]);
    expect(codedAfterHangUp).toMatchObject({ wrapUpCode: 'sale', notes: 'Renewed', releasedAt: T0 + 160_200, wrapUpEndedAt: T0 + 190_000 });
  });

  it('ends the wrap-up at the release when the queue has none, and talk at the release when the call never says it ended', () => {
    const workItem = foldContact('acme', 'voicemail-m1', [
      at(0, { kind: 'queued', queue: 'service', channel: 'workitem', site: 'bj' }),
      at(5, { kind: 'offered', agentId: 'a-1' }),
      at(6, { kind: 'agent-answered', agentId: 'a-1' }),
      at(66, { kind: 'released', agentId: 'a-1' }),
    ]);
    expect(workItem).toMatchObject({ channel: 'workitem', outcome: 'answered', talkSeconds: 60, wrapUpEndedAt: T0 + 66_000, wrapUpSeconds: 0, handleSeconds: 60 });
  });

  it('keeps every phase of a call from the IVR through the queue and agents to voicemail in one record', () => {
    const record = foldContact('acme', 'call-9', throughIvrToVoicemail);
    expect(record).toMatchObject({
      ivrFlow: 'main',
      ivrOutcome: 'queued',
      ivrEndedAt: T0 + 12_000,
      ivrMenuPath: 'main_menu:2 service_menu:1',
      ivrInputs: 1,
      queuedAt: T0 + 12_000,
      offers: 2,
      ringNoAnswers: 1,
      rejections: 1,
      queueChoice: 'voicemail',
      queueChoiceAt: T0 + 40_000,
      withdrawnAt: T0 + 40_100,
      outcome: 'withdrawn',
      waitSeconds: 28.1,
      abandonedAt: null,
      voicemailMessageId: 'm-9',
      voicemailLeftAt: T0 + 75_000,
      endedAt: T0 + 76_000,
      talkSeconds: null,
    });
  });

  it('counts a caller who hangs up in the queue as abandoned after the time waited', () => {
    const record = foldContact('acme', 'call-2', [
      at(0, { kind: 'arrived', channel: 'voice' }),
      at(5, { kind: 'queued', queue: 'sales' }),
      at(50, { kind: 'ended', cause: 16 }),
    ]);
    expect(record).toMatchObject({ outcome: 'abandoned', abandonedAt: T0 + 50_000, waitSeconds: 45, talkSeconds: null });
  });

  it('keeps the first queue time of a contact put back after ring-no-answer', () => {
    const record = foldContact('acme', 'call-3', [
      at(5, { kind: 'queued', queue: 'sales' }),
      at(10, { kind: 'offered', agentId: 'a-1' }),
      at(25, { kind: 'queued', queue: 'sales' }),
      at(30, { kind: 'offered', agentId: 'a-2' }),
    ]);
    expect(record).toMatchObject({ outcome: 'waiting', queuedAt: T0 + 5_000, offers: 2, agentId: 'a-2' });
  });

  it('says overflowed for a contact sent to voicemail and completed for self-service', () => {
    expect(foldContact('acme', 'c', [at(0, { kind: 'queued', queue: 'q' }), at(60, { kind: 'overflowed' }), at(90, { kind: 'ended' })]).outcome).toBe('overflowed');
    expect(foldContact('acme', 'c', [at(0, { kind: 'arrived', channel: 'voice' }), at(30, { kind: 'ended' })]).outcome).toBe('completed');
  });

  it.each([
    ['an answered call', answeredCall],
    ['a call from the IVR to voicemail', throughIvrToVoicemail],
  ])('gives the same record of %s whatever order the facts arrive in', (_what, facts) => {
    const expected = foldContact('acme', 'call-1', facts, T0 + 170_200);
    fc.assert(
      fc.property(fc.shuffledSubarray(facts, { minLength: facts.length, maxLength: facts.length }), (arrival) => {
        expect(foldContact('acme', 'call-1', arrival, T0 + 170_200)).toEqual(expected);
      }),
    );
  });
});
