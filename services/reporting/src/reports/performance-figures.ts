/** What the database counts for a group of contacts. */
export interface PerformanceCounts {
  readonly contacts: number;
  readonly offered: number;
  readonly answered: number;
  readonly answeredWithinThreshold: number;
  readonly abandoned: number;
  readonly overflowed: number;
  /** Left the queue by the caller's choice (voicemail or callback key) or its owner's: neither answered nor abandoned. */
  readonly withdrawn: number;
  readonly asaSeconds: number | null;
  readonly ahtSeconds: number | null;
  readonly averageAbandonSeconds: number | null;
}

/** The counts with the ratios reports show; a ratio over no offered contacts is null, not 0. */
export interface PerformanceFigures extends PerformanceCounts {
  /** Answered within the threshold / offered (queued). */
  readonly serviceLevel: number | null;
  /** Abandoned / offered. */
  readonly abandonRate: number | null;
}

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

export function performanceFigures(counts: PerformanceCounts): PerformanceFigures {
  return {
    ...counts,
    serviceLevel: ratio(counts.answeredWithinThreshold, counts.offered),
    abandonRate: ratio(counts.abandoned, counts.offered),
  };
}
