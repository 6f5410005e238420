import { InvalidInput } from '../validation/invalid-input';
import { parseCallbackRequest } from './callback-request';

const now = 1_700_000_000_000;
const MINUTE = 60_000;
const DAY = 86_400_000;

function problemsOf(input: unknown): { field: string; reason: string }[] {
  try {
    parseCallbackRequest(input, now, 4);
  } catch (error) {
    if (error instanceof InvalidInput) return [...error.problems];
    throw error;
  }
  return [];
}

describe('parseCallbackRequest', () => {
  it('queues a callback at once, keeping the place of a caller who waited', () => {
    expect(parseCallbackRequest({ callbackId: 'ivr-1', queue: 'sales', number: '+8613800138000', waitingSince: now - 3 * MINUTE, origin: 'ivr' }, now, 4)).toEqual({
      callbackId: 'ivr-1',
      queue: 'sales',
      number: '+8613800138000',
      origin: 'ivr',
      priority: 0,
      requiredSkills: {},
      data: {},
      waitingSinceMs: now - 3 * MINUTE,
      notBeforeMs: now,
      maxAttempts: 4,
    });
  });

  it('waits for an appointment, and the customer waits from then', () => {
    const plan = parseCallbackRequest({ callbackId: 'web-1', queue: 'sales', number: '4008001234', appointment: now + DAY, maxAttempts: 2 }, now, 4);
    expect(plan).toMatchObject({ appointment: now + DAY, waitingSinceMs: now + DAY, notBeforeMs: now + DAY, maxAttempts: 2 });
  });

  it('names every bad field with its reason', () => {
    expect(problemsOf({ callbackId: 'a'.repeat(121), queue: 'sales', number: '12ab', site: 'BJ', priority: 101, maxAttempts: 11 }).map((p) => p.field)).toEqual([
      'callbackId',
      'number',
      'site',
      'priority',
      'maxAttempts',
    ]);
  });

  it('refuses a waiting time in the future or a week and more ago', () => {
    expect(problemsOf({ callbackId: 'c', queue: 'q', number: '4008001234', waitingSince: now + MINUTE })).toEqual([
      { field: 'waitingSince', reason: "must not be in the future (it is 60000 ms ahead of the acd's clock)" },
    ]);
    expect(problemsOf({ callbackId: 'c', queue: 'q', number: '4008001234', waitingSince: now - 8 * DAY })).toEqual([{ field: 'waitingSince', reason: 'must be within the last 7 days' }]);
  });

  it('refuses an appointment in the past, more than 30 days ahead, or with a waiting time', () => {
    expect(problemsOf({ callbackId: 'c', queue: 'q', number: '4008001234', appointment: now })).toEqual([{ field: 'appointment', reason: 'must be in the future' }]);
    expect(problemsOf({ callbackId: 'c', queue: 'q', number: '4008001234', appointment: now + 31 * DAY })).toEqual([{ field: 'appointment', reason: 'must be at most 30 days ahead' }]);
    expect(problemsOf({ callbackId: 'c', queue: 'q', number: '4008001234', appointment: now + DAY, waitingSince: now - MINUTE })).toEqual([
      { field: 'waitingSince', reason: 'must be absent with an appointment: the customer waits from the appointment' },
    ]);
  });
});
