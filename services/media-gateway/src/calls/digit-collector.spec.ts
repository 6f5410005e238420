import { CollectEnd } from '@lianluo/contracts';
import fc from 'fast-check';
import { type Clock } from './clock';
import { DigitCollector } from './digit-collector';

/** A clock whose time moves only when the test says so. */
class ManualClock implements Clock {
  private time = 0;
  private timers = new Map<number, { at: number; callback: () => void }>();
  private nextId = 1;

  now() {
    return this.time;
  }
  setTimeout(callback: () => void, ms: number) {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, callback });
    return id;
  }
  clearTimeout(handle: unknown) {
    this.timers.delete(handle as number);
  }
  advance(ms: number) {
    this.time += ms;
    for (const [id, timer] of [...this.timers].sort((a, b) => a[1].at - b[1].at)) {
      if (timer.at <= this.time && this.timers.delete(id)) timer.callback();
    }
  }
}

const rule = { maxDigits: 4, terminator: '#', firstDigitTimeoutMs: 5_000, interDigitTimeoutMs: 2_000 };

describe('DigitCollector', () => {
  it('stops at the maximum number of digits', async () => {
    const collector = new DigitCollector(rule, new ManualClock());
    for (const d of '12345') collector.feed(d);
    await expect(collector.result).resolves.toEqual({ digits: '1234', end: CollectEnd.MAX_DIGITS });
  });

  it('stops at the terminator, which is not part of the digits', async () => {
    const collector = new DigitCollector(rule, new ManualClock());
    for (const d of '42#9') collector.feed(d);
    await expect(collector.result).resolves.toEqual({ digits: '42', end: CollectEnd.TERMINATOR });
  });

  it('reports a first-digit timeout when no key comes', async () => {
    const clock = new ManualClock();
    const collector = new DigitCollector(rule, clock);
    clock.advance(4_999);
    expect(collector.done).toBe(false);
    clock.advance(1);
    await expect(collector.result).resolves.toEqual({ digits: '', end: CollectEnd.FIRST_DIGIT_TIMEOUT });
  });

  it('returns what was collected when the caller pauses between keys', async () => {
    const clock = new ManualClock();
    const collector = new DigitCollector(rule, clock);
    clock.advance(4_000);
    collector.feed('7');
    clock.advance(1_999);
    collector.feed('8');
    clock.advance(1_999);
    expect(collector.done).toBe(false);
    clock.advance(1);
    await expect(collector.result).resolves.toEqual({ digits: '78', end: CollectEnd.INTER_DIGIT_TIMEOUT });
  });

  it('returns the digits so far when the call hangs up', async () => {
    const collector = new DigitCollector(rule, new ManualClock());
    collector.feed('5');
    collector.hangUp();
    expect(collector.feed('6')).toBe(0);
    await expect(collector.result).resolves.toEqual({ digits: '5', end: CollectEnd.HUNG_UP });
  });

  it('never returns more digits than allowed nor the terminator, whatever the keys and pauses', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...'0123456789*#'), fc.integer({ min: 0, max: 6_000 })), { maxLength: 12 }),
        async (presses) => {
          const clock = new ManualClock();
          const collector = new DigitCollector(rule, clock);
          for (const [digit, pause] of presses) {
            clock.advance(pause);
            collector.feed(digit);
          }
          clock.advance(10_000);
          const { digits, end } = await collector.result;
          expect(digits.length).toBeLessThanOrEqual(rule.maxDigits);
          expect(digits).not.toContain('#');
          if (end === CollectEnd.MAX_DIGITS) expect(digits).toHaveLength(rule.maxDigits);
        },
      ),
    );
  });
});
