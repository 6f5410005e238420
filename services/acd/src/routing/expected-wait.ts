/**
 * Expected wait of a contact at `position` (1 = next), from the queue's smoothed
 * interval between offers: the contacts ahead leave at about that pace. Undefined until
 * the queue has offered at least twice; announcements then say nothing rather than guess.
 */
export function expectedWaitMs(position: number, offerIntervalMs: number | undefined): number | undefined {
  if (position < 1 || offerIntervalMs === undefined || !Number.isFinite(offerIntervalMs)) return undefined;
  return Math.round(position * offerIntervalMs);
}
