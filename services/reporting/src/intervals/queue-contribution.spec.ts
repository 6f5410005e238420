import fc from 'fast-check';
import { type TimedContactFact } from '../contacts/contact-fact';
import { foldContact } from '../contacts/contact-record';
import { dayStart, quarterHourStart } from './interval-start';
import { type QueueIntervalFigures, queueContributions, queueIntervalDelta } from './queue-contribution';

const T0 = Date.UTC(2026, 10, 23, 15, 58, 0);

describe('queue interval rows', () => {
  const facts: TimedContactFact[] = [
    { atMs: T0, eventId: 'a', fact: { kind: 'arrived', channel: 'voice', site: 'sz' } },
    { atMs: T0 + 10_000, eventId: 'b', fact: { kind: 'queued', queue: 'sales' } },
    { atMs: T0 + 25_500, eventId: 'c', fact: { kind: 'agent-answered', agentId: 'a-1' } },
    { atMs: T0 + 90_000, eventId: 'd', fact: { kind: 'ended' } },
  ];

  it('puts a contact in the 15-minute and daily interval it was queued in', () => {
    const record = foldContact('acme', 'c1', facts);
    const [quarter, day] = queueContributions(record, 'Asia/Shanghai');
    expect(quarter?.key).toMatchObject({ granularity: '15m', intervalStartMs: Date.UTC(2026, 10, 23, 15, 45), queue: 'sales', site: 'sz' });
    // 15:58 UTC is 23:58 in Shanghai: the day began at 16:00 UTC the day before.
    expect(day?.key).toMatchObject({ granularity: '1d', intervalStartMs: Date.UTC(2026, 10, 22, 16, 0) });
    expect(quarter?.figures).toMatchObject({ offered: 1, answered: 1, answeredWithin: [0, 1, 1, 1], waitMsAnswered: 15_500, handleMs: 64_500 });
  });

  it('adds up, over any arrival order, to the contribution of the final record', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(facts, { minLength: facts.length, maxLength: facts.length }), (arrival) => {
        const totals = new Map<string, QueueIntervalFigures>();
        for (let i = 0; i < arrival.length; i++) {
          const before = i === 0 ? undefined : foldContact('acme', 'c1', arrival.slice(0, i));
          for (const { key, figures } of queueIntervalDelta(before, foldContact('acme', 'c1', arrival.slice(0, i + 1)), 'UTC')) {
            const id = `${key.granularity}@${key.intervalStartMs}`;
            const sum = totals.get(id);
            totals.set(id, sum ? { ...sum, offered: sum.offered + figures.offered, answered: sum.answered + figures.answered, waitMsAnswered: sum.waitMsAnswered + figures.waitMsAnswered } : figures);
          }
        }
        const final = queueContributions(foldContact('acme', 'c1', facts), 'UTC');
        for (const { key, figures } of final) {
          expect(totals.get(`${key.granularity}@${key.intervalStartMs}`)).toMatchObject({ offered: figures.offered, answered: figures.answered, waitMsAnswered: figures.waitMsAnswered });
        }
      }),
    );
  });

  it('finds midnight in the zone asked', () => {
    expect(dayStart(Date.UTC(2026, 0, 1, 12), 'UTC')).toBe(Date.UTC(2026, 0, 1));
    expect(dayStart(Date.UTC(2026, 0, 1, 12), 'Asia/Shanghai')).toBe(Date.UTC(2025, 11, 31, 16));
    expect(quarterHourStart(Date.UTC(2026, 0, 1, 12, 14, 59))).toBe(Date.UTC(2026, 0, 1, 12));
  });
});
