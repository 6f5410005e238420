import { z } from 'zod';
import { contactData, contactPriority, MAX_REQUIRED_SKILLS } from '../contacts/contact';
import { waitingSinceProblem } from '../contacts/waiting-since';
import { epochMs, identifier, site, skillLevels } from '../validation/identifiers';
import { type InputProblem, InvalidInput, parseInput } from '../validation/invalid-input';
import { CALLBACK_ORIGINS } from './callback';

/** Room for `@<attempt>` in a contact id of at most 128 characters. */
export const MAX_CALLBACK_ID_LENGTH = 120;
export const MAX_CALLBACK_ATTEMPTS = 10;
/** How far ahead an appointment may be. */
export const MAX_APPOINTMENT_AHEAD_MS = 30 * 86_400_000;

/** A number the PSTN trunk dials. */
export const pstnNumber = z.string().regex(/^\+?[0-9]{3,20}$/, 'must be 3 to 20 digits, optionally after +');

/** A customer's request to be called back, as the IVR (request_callback) or a web form sends it. */
export const callbackRequestSchema = z.object({
  callbackId: identifier.max(MAX_CALLBACK_ID_LENGTH, `must be at most ${MAX_CALLBACK_ID_LENGTH} characters`),
  queue: identifier,
  number: pstnNumber,
  /** The site whose gateway dials; the site of the agent who takes it when absent. */
  site: site.optional(),
  customerId: identifier.optional(),
  priority: contactPriority,
  requiredSkills: skillLevels(MAX_REQUIRED_SKILLS).default({}),
  preferredAgent: identifier.optional(),
  data: contactData.default({}),
  /** When the customer started waiting (ms); now when absent. */
  waitingSince: epochMs.optional(),
  /** The customer's appointed time (ms); queued at once when absent. */
  appointment: epochMs.optional(),
  maxAttempts: z.number().int('must be a whole number').min(1, 'must be at least 1').max(MAX_CALLBACK_ATTEMPTS, `must be at most ${MAX_CALLBACK_ATTEMPTS}`).optional(),
  origin: z.enum(CALLBACK_ORIGINS).optional(),
});

export type CallbackRequestInput = z.input<typeof callbackRequestSchema>;

/** A valid request with its times settled against the routing clock. */
export type CallbackPlan = Omit<z.output<typeof callbackRequestSchema>, 'waitingSince' | 'maxAttempts'> & {
  /** Its place in the queue: when the customer started waiting, or the appointment. */
  readonly waitingSinceMs: number;
  /** Not queued before this. */
  readonly notBeforeMs: number;
  readonly maxAttempts: number;
};

/**
 * Validates a callback request at `nowMs`: the fields, then the times (a waiting-since not
 * in the future nor absurdly old; an appointment ahead, within 30 days, and not with a
 * waiting-since: the customer waits from the appointment). Throws InvalidInput naming
 * every bad field.
 */
export function parseCallbackRequest(input: unknown, nowMs: number, defaultMaxAttempts: number): CallbackPlan {
  const request = parseInput(callbackRequestSchema, input, 'callback');
  const problems: InputProblem[] = [];
  const { waitingSince, appointment, maxAttempts, ...rest } = request;
  if (waitingSince !== undefined) {
    const problem = waitingSinceProblem(waitingSince, nowMs);
    if (problem !== undefined) problems.push({ field: 'waitingSince', reason: problem });
    if (appointment !== undefined) problems.push({ field: 'waitingSince', reason: 'must be absent with an appointment: the customer waits from the appointment' });
  }
  if (appointment !== undefined && appointment <= nowMs) problems.push({ field: 'appointment', reason: 'must be in the future' });
  if (appointment !== undefined && appointment > nowMs + MAX_APPOINTMENT_AHEAD_MS) {
    problems.push({ field: 'appointment', reason: `must be at most ${MAX_APPOINTMENT_AHEAD_MS / 86_400_000} days ahead` });
  }
  if (problems.length > 0) throw new InvalidInput('callback', problems);
  const startsAt = appointment ?? Math.min(waitingSince ?? nowMs, nowMs);
  return { ...rest, ...(appointment === undefined ? {} : { appointment }), waitingSinceMs: startsAt, notBeforeMs: appointment ?? nowMs, maxAttempts: maxAttempts ?? defaultMaxAttempts };
}
