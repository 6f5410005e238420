import type { AttemptEnd, CallbackStatus } from './callback';

/** When a callback whose attempt failed is tried again (ACD_CALLBACK_RETRY_DELAYS_S, ACD_CALLBACK_REQUEUE_MS). */
export interface RetrySchedule {
  /** The wait after the 1st, 2nd, ... counted failed attempt; the last one repeats. */
  readonly delaysMs: readonly number[];
  /** The wait after an attempt that did not count (the agent's phone or the media gateway failed). */
  readonly requeueMs: number;
}

/** What becomes of a callback after an attempt. */
export interface AfterAttempt {
  readonly status: Extract<CallbackStatus, 'completed' | 'failed' | 'scheduled'>;
  /** Attempts counted against the customer, this one included. */
  readonly attempts: number;
  /** When the next attempt may start (status scheduled). */
  readonly nextAttemptAtMs?: number;
}

/**
 * What follows an attempt that ended at `nowMs`: completed once the customer answered;
 * failed once the attempts counted against the customer reach `maxAttempts`; else
 * scheduled again after the schedule's wait.
 */
export function afterAttempt(callback: { readonly attempts: number; readonly maxAttempts: number }, end: AttemptEnd, schedule: RetrySchedule, nowMs: number): AfterAttempt {
  const attempts = callback.attempts + (end.counted ? 1 : 0);
  if (end.outcome === 'answered') return { status: 'completed', attempts };
  if (!end.counted) return { status: 'scheduled', attempts, nextAttemptAtMs: nowMs + schedule.requeueMs };
  if (attempts >= callback.maxAttempts) return { status: 'failed', attempts };
  const delayMs = schedule.delaysMs[Math.min(attempts, schedule.delaysMs.length) - 1] ?? schedule.requeueMs;
  return { status: 'scheduled', attempts, nextAttemptAtMs: nowMs + delayMs };
}
