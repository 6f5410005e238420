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
    at(190, { kind: 'wrap-up-ended' }),
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
      handleSeconds: 150,
      facts: answeredCall.length,
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

  it('gives the same record whatever order the facts arrive in', () => {
    const expected = foldContact('acme', 'call-1', answeredCall);
    fc.assert(
      fc.property(fc.shuffledSubarray(answeredCall, { minLength: answeredCall.length, maxLength: answeredCall.length }), (arrival) => {
        expect(foldContact('acme', 'call-1', arrival)).toEqual(expected);
      }),
    );
  });
});
