/** How a failing delivery is tried again. */
export interface RetrySchedule {
  /** The wait after each failed attempt; attempts in all = its length + 1. */
  readonly delaysMs: readonly number[];
  /** Each wait is spread by up to this fraction either way, so receivers that failed together are not retried together. */
  readonly jitter: number;
}

/** Standard Webhooks' suggested schedule: at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
export const DEFAULT_RETRY_DELAYS_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000] as const;

export function maxAttemptsOf(schedule: RetrySchedule): number {
  return schedule.delaysMs.length + 1;
}

/**
 * The wait before the next attempt after attempt `attempt` (1 = the first) failed, or
 * undefined when that was the last: the delivery is dead-lettered.
 */
export function retryDelayMs(schedule: RetrySchedule, attempt: number, random: () => number = Math.random): number | undefined {
  const delay = schedule.delaysMs[attempt - 1];
  if (delay === undefined) return undefined;
  return Math.max(0, Math.round(delay * (1 + schedule.jitter * (2 * random() - 1))));
}
