import { DEFAULT_RETRY_DELAYS_MS, maxAttemptsOf, retryDelayMs } from './retry-schedule';
import { attemptOutcomeOf } from './webhook-delivery.worker';

describe('the retry schedule', () => {
  const schedule = { delaysMs: [1_000, 60_000], jitter: 0 };

  it('waits the scheduled time after each failed attempt, and gives up after the last', () => {
    expect(maxAttemptsOf(schedule)).toBe(3);
    expect(retryDelayMs(schedule, 1)).toBe(1_000);
    expect(retryDelayMs(schedule, 2)).toBe(60_000);
    expect(retryDelayMs(schedule, 3)).toBeUndefined();
  });

  it('spreads each wait by at most the jitter either way', () => {
    const jittered = { delaysMs: [10_000], jitter: 0.1 };
    expect(retryDelayMs(jittered, 1, () => 0)).toBe(9_000);
    expect(retryDelayMs(jittered, 1, () => 0.5)).toBe(10_000);
    expect(retryDelayMs(jittered, 1, () => 0.999999)).toBe(11_000);
  });

  it("follows Standard Webhooks' schedule by default: eight attempts over about 27.6 hours", () => {
    expect(maxAttemptsOf({ delaysMs: DEFAULT_RETRY_DELAYS_MS, jitter: 0 })).toBe(8);
    expect(DEFAULT_RETRY_DELAYS_MS.reduce((sum, delay) => sum + delay, 0)).toBe(99_305_000);
  });

  it('makes a 2xx a delivery, a failure a retry while attempts are left, and the last failure a dead letter', () => {
    expect(attemptOutcomeOf({ ok: true, statusCode: 204 }, 1, schedule)).toEqual({ kind: 'delivered', statusCode: 204 });
    expect(attemptOutcomeOf({ ok: false, reason: 'http_status', statusCode: 500 }, 2, schedule)).toEqual({ kind: 'retry', retryInMs: 60_000, statusCode: 500, failure: 'http_status' });
    expect(attemptOutcomeOf({ ok: false, reason: 'timeout' }, 3, schedule)).toEqual({ kind: 'dead', statusCode: undefined, failure: 'timeout' });
  });
});
