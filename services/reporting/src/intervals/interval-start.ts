export const QUARTER_HOUR_MS = 15 * 60_000;

/** Start of the 15-minute interval holding `atMs` (every zone in use is whole quarter hours off UTC). */
export function quarterHourStart(atMs: number): number {
  return Math.floor(atMs / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
}

/** Midnight of the day holding `atMs` in `timeZone`, as epoch milliseconds. */
export function dayStart(atMs: number, timeZone: string): number {
  const offsetMs = zoneOffsetMs(atMs, timeZone);
  const localMidnight = Math.floor((atMs + offsetMs) / 86_400_000) * 86_400_000;
  // The offset at midnight itself, in case the day changed it (summer time).
  return localMidnight - zoneOffsetMs(localMidnight - offsetMs, timeZone);
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** How far `timeZone` is ahead of UTC at `atMs`. */
export function zoneOffsetMs(atMs: number, timeZone: string): number {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    formats.set(timeZone, format);
  }
  const name = format.formatToParts(atMs).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name);
  if (!match?.[1]) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return (match[1] === '-' ? -minutes : minutes) * 60_000;
}
