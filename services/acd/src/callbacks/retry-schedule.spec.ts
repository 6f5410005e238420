import { afterAttempt, type RetrySchedule } from './retry-schedule';

const MINUTE = 60_000;
const schedule: RetrySchedule = { delaysMs: [2 * MINUTE, 10 * MINUTE, 30 * MINUTE], requeueMs: 10_000 };
const now = 1_700_000_000_000;

describe('afterAttempt', () => {
  it('completes a callback whose customer answered', () => {
    expect(afterAttempt({ attempts: 1, maxAttempts: 4 }, { outcome: 'answered', counted: true }, schedule, now)).toEqual({ status: 'completed', attempts: 2 });
  });

  it('tries again after 2, 10, then 30 minutes, and again after 30 for every later attempt', () => {
    const next = (attempts: number) => afterAttempt({ attempts, maxAttempts: 10 }, { outcome: 'no_answer', counted: true }, schedule, now);
    expect(next(0)).toEqual({ status: 'scheduled', attempts: 1, nextAttemptAtMs: now + 2 * MINUTE });
    expect(next(1)).toEqual({ status: 'scheduled', attempts: 2, nextAttemptAtMs: now + 10 * MINUTE });
    expect(next(2)).toEqual({ status: 'scheduled', attempts: 3, nextAttemptAtMs: now + 30 * MINUTE });
    expect(next(5).nextAttemptAtMs).toBe(now + 30 * MINUTE);
  });

  it('fails the callback when the attempts counted against the customer are used up', () => {
    expect(afterAttempt({ attempts: 2, maxAttempts: 3 }, { outcome: 'busy', counted: true }, schedule, now)).toEqual({ status: 'failed', attempts: 3 });
    expect(afterAttempt({ attempts: 0, maxAttempts: 1 }, { outcome: 'failed', counted: true }, schedule, now)).toEqual({ status: 'failed', attempts: 1 });
  });

  it("tries again soon, without counting it, when the agent's phone or the gateway failed", () => {
    expect(afterAttempt({ attempts: 2, maxAttempts: 3 }, { outcome: 'agent_unreachable', counted: false }, schedule, now)).toEqual({
      status: 'scheduled',
      attempts: 2,
      nextAttemptAtMs: now + 10_000,
    });
  });
});
