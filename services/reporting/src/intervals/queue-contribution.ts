import { type ContactRecord } from '../contacts/contact-record';
import { dayStart, quarterHourStart } from './interval-start';

export type Granularity = '15m' | '1d';

/** Answer thresholds the interval rows count; any other threshold is reported from contact records. */
export const INTERVAL_THRESHOLDS_SECONDS = [10, 20, 30, 60] as const;

export interface QueueIntervalKey {
  readonly tenant: string;
  readonly queue: string;
  readonly channel: string;
  readonly site: string;
  readonly granularity: Granularity;
  readonly intervalStartMs: number;
}

export interface QueueIntervalFigures {
  offered: number;
  answered: number;
  answeredWithin: number[];
  abandoned: number;
  overflowed: number;
  waitMsAnswered: number;
  handleMs: number;
  handled: number;
  abandonWaitMs: number;
}

/** What of a contact record its queue's interval rows count. */
export type QueueContributor = Pick<ContactRecord, 'tenant' | 'queue' | 'channel' | 'site' | 'queuedAt' | 'outcome' | 'waitSeconds' | 'handleSeconds'>;

export interface QueueContribution {
  readonly key: QueueIntervalKey;
  readonly figures: QueueIntervalFigures;
}

/**
 * What one contact adds to the 15-minute and daily rows of the queue it was queued in,
 * counted in the interval it was queued. Nothing for a contact never queued.
 */
export function queueContributions(record: QueueContributor, timeZone: string): QueueContribution[] {
  if (record.queue === null || record.queuedAt === null) return [];
  const answered = record.outcome === 'answered';
  const wait = record.waitSeconds ?? 0;
  // Whole milliseconds: sums taken back and added again stay exact.
  const waitMs = Math.round(wait * 1000);
  const figures: QueueIntervalFigures = {
    offered: 1,
    answered: answered ? 1 : 0,
    answeredWithin: INTERVAL_THRESHOLDS_SECONDS.map((threshold) => (answered && wait <= threshold ? 1 : 0)),
    abandoned: record.outcome === 'abandoned' ? 1 : 0,
    overflowed: record.outcome === 'overflowed' ? 1 : 0,
    waitMsAnswered: answered ? waitMs : 0,
    handleMs: Math.round((record.handleSeconds ?? 0) * 1000),
    handled: record.handleSeconds === null ? 0 : 1,
    abandonWaitMs: record.outcome === 'abandoned' ? waitMs : 0,
  };
  const base = { tenant: record.tenant, queue: record.queue, channel: record.channel, site: record.site ?? '' };
  return [
    { key: { ...base, granularity: '15m', intervalStartMs: quarterHourStart(record.queuedAt) }, figures },
    { key: { ...base, granularity: '1d', intervalStartMs: dayStart(record.queuedAt, timeZone) }, figures },
  ];
}

function keyString(key: QueueIntervalKey): string {
  // Granularity then time first: every writer touches rows in the same order (no deadlocks).
  return [key.granularity, String(key.intervalStartMs).padStart(15, '0'), key.tenant, key.queue, key.channel, key.site].join('\u0000');
}

function scaled(figures: QueueIntervalFigures, by: number): QueueIntervalFigures {
  return {
    offered: figures.offered * by,
    answered: figures.answered * by,
    answeredWithin: figures.answeredWithin.map((n) => n * by),
    abandoned: figures.abandoned * by,
    overflowed: figures.overflowed * by,
    waitMsAnswered: figures.waitMsAnswered * by,
    handleMs: figures.handleMs * by,
    handled: figures.handled * by,
    abandonWaitMs: figures.abandonWaitMs * by,
  };
}

function add(a: QueueIntervalFigures, b: QueueIntervalFigures): QueueIntervalFigures {
  return {
    offered: a.offered + b.offered,
    answered: a.answered + b.answered,
    answeredWithin: a.answeredWithin.map((n, i) => n + (b.answeredWithin[i] ?? 0)),
    abandoned: a.abandoned + b.abandoned,
    overflowed: a.overflowed + b.overflowed,
    waitMsAnswered: a.waitMsAnswered + b.waitMsAnswered,
    handleMs: a.handleMs + b.handleMs,
    handled: a.handled + b.handled,
    abandonWaitMs: a.abandonWaitMs + b.abandonWaitMs,
  };
}

const isZero = (f: QueueIntervalFigures) =>
  f.offered === 0 && f.answered === 0 && f.answeredWithin.every((n) => n === 0) && f.abandoned === 0 && f.overflowed === 0 &&
  f.waitMsAnswered === 0 && f.handleMs === 0 && f.handled === 0 && f.abandonWaitMs === 0;

/**
 * The change to apply to interval rows when a contact's record goes from `before` (absent
 * for a new contact) to `after`: its old contribution taken back, its new one added, rows
 * that do not change left out, in one fixed order.
 */
export function queueIntervalDelta(before: QueueContributor | undefined, after: QueueContributor, timeZone: string): QueueContribution[] {
  const rows = new Map<string, QueueContribution>();
  const apply = (contributions: QueueContribution[], sign: number) => {
    for (const { key, figures } of contributions) {
      const id = keyString(key);
      const current = rows.get(id);
      rows.set(id, { key, figures: current ? add(current.figures, scaled(figures, sign)) : scaled(figures, sign) });
    }
  };
  if (before) apply(queueContributions(before, timeZone), -1);
  apply(queueContributions(after, timeZone), 1);
  return [...rows.entries()]
    .filter(([, row]) => !isZero(row.figures))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, row]) => row);
}
