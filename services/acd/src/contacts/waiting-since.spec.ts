import { InvalidInput } from '../validation/invalid-input';
import { MAX_WAITING_MS, WAITING_SINCE_SKEW_MS, enqueueTimeOf } from './waiting-since';

describe('enqueueTimeOf', () => {
  const now = 1_700_000_000_000;

  it('keeps the place of a customer who has been waiting', () => {
    expect(enqueueTimeOf(now - 180_000, now)).toBe(now - 180_000);
    expect(enqueueTimeOf(now - MAX_WAITING_MS, now)).toBe(now - MAX_WAITING_MS);
  });

  it('takes now when the customer starts waiting now, or a clock a little ahead says so', () => {
    expect(enqueueTimeOf(undefined, now)).toBe(now);
    expect(enqueueTimeOf(now + WAITING_SINCE_SKEW_MS, now)).toBe(now);
  });

  it('refuses a time in the future or absurdly long ago, naming the field', () => {
    const problemOf = (waitingSinceMs: number) => {
      try {
        enqueueTimeOf(waitingSinceMs, now);
      } catch (error) {
        return (error as InvalidInput).problems[0];
      }
      return undefined;
    };
    expect(problemOf(now + WAITING_SINCE_SKEW_MS + 1)).toEqual({ field: 'waitingSince', reason: `must not be in the future (it is ${WAITING_SINCE_SKEW_MS + 1} ms ahead of the acd's clock)` });
    expect(problemOf(now - MAX_WAITING_MS - 1)).toEqual({ field: 'waitingSince', reason: 'must be within the last 7 days' });
    expect(() => enqueueTimeOf(now + 60_000, now)).toThrow(InvalidInput);
  });
});
