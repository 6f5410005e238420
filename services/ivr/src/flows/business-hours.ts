import { type Calendar } from './flow.schema';

type Weekday = 'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat';


/** Whether a calendar is open at an instant, judged on the calendar's own wall clock. */
export function isOpen(calendar: Calendar, at: Date): boolean {
  const local = wallClock(at, calendar.timezone);
  if (calendar.holidays.includes(local.date)) return false;
  return calendar.open.some((range) => range.days.includes(local.weekday) && range.from <= local.time && local.time <= range.to);
}

/** Date (YYYY-MM-DD), weekday and HH:MM in a time zone. */
export function wallClock(at: Date, timeZone: string): { date: string; weekday: Weekday; time: string } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    weekday: 'short',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = part('weekday').toLowerCase().slice(0, 3) as Weekday;
  return { date: `${part('year')}-${part('month')}-${part('day')}`, weekday, time: `${part('hour')}:${part('minute')}` };
}
