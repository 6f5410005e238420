import { InvalidInput } from '../validation/invalid-input';

/** Another host's clock may run this far ahead of the acd's: a waiting-since up to it is taken as now. */
export const WAITING_SINCE_SKEW_MS = 5_000;
/** The longest a customer may have been waiting (a callback that waited out a long weekend). */
export const MAX_WAITING_MS = 7 * 86_400_000;

/** Why `waitingSinceMs` cannot be a contact's place in its queue at `nowMs`; undefined when it can. */
export function waitingSinceProblem(waitingSinceMs: number, nowMs: number): string | undefined {
  if (waitingSinceMs > nowMs + WAITING_SINCE_SKEW_MS) return `must not be in the future (it is ${waitingSinceMs - nowMs} ms ahead of the acd's clock)`;
  if (waitingSinceMs < nowMs - MAX_WAITING_MS) return `must be within the last ${MAX_WAITING_MS / 86_400_000} days`;
  return undefined;
}

/**
 * The enqueue time of a contact whose customer started waiting at `waitingSinceMs` (now
 * when absent), so a caller who chose a callback after three minutes keeps that place.
 * Throws InvalidInput naming `field` for a time in the future or absurdly long ago.
 */
export function enqueueTimeOf(waitingSinceMs: number | undefined, nowMs: number, field = 'waitingSince'): number {
  if (waitingSinceMs === undefined) return nowMs;
  const problem = waitingSinceProblem(waitingSinceMs, nowMs);
  if (problem !== undefined) throw new InvalidInput('contact', [{ field, reason: problem }]);
  return Math.min(waitingSinceMs, nowMs);
}
