import { z } from 'zod';
import { DIALLED_NUMBER } from '@lianluo/contracts';

/**
 * The flow language (IVR-1): one YAML file per tenant and set of dialled numbers, a map of
 * named steps, each naming where the call goes next. This schema is the single source of
 * truth: flows are parsed with it and flow.schema.json (for editors) is generated from it.
 */

const stepName = z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a step name: lower case, digits and _');
const media = z
  .array(z.string().regex(/^[a-z]+:.+/, 'must be a media URI such as sound:hello-world'))
  .min(1)
  .describe('Media URIs played in order, e.g. sound:hello-world, digits:42, tone:ring');
const durationMs = (max: number) => z.number().int().min(100).max(max);
const dtmfKey = z.string().regex(/^[0-9*#]$/, 'must be one key: 0-9 * #');

/** `customer.vip_tier`, `vars.account`, `caller.number`: a value the call has gathered. */
const dataPath = z
  .string()
  .regex(/^(customer|caller|vars|lookup)(\.[A-Za-z_][A-Za-z0-9_]*)+$/, 'must be a path under customer., caller., vars. or lookup.');

export const conditionSchema = z
  .strictObject({
    value: dataPath,
    equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
    in: z.array(z.union([z.string(), z.number()])).min(1).optional(),
    matches: z.string().optional().describe('A regular expression the value must match'),
    exists: z.boolean().optional(),
  })
  .describe('A test on call data; exactly one of equals, in, matches, exists');

const common = {
  description: z.string().optional(),
};

const promptStep = z.strictObject({
  ...common,
  type: z.literal('prompt'),
  play: media,
  next: stepName,
});

const menuStep = z.strictObject({
  ...common,
  type: z.literal('menu'),
  play: media,
  options: z.record(dtmfKey, stepName).refine((o) => Object.keys(o).length > 0, 'needs at least one option'),
  timeout_ms: durationMs(60_000).default(5_000),
  retries: z.number().int().min(0).max(9).default(2),
  invalid: media.optional().describe('Played after a key that is not an option'),
  no_input: media.optional().describe('Played when no key was pressed in time'),
  on_failure: stepName.describe('Where the call goes when the retries are used up'),
});

const collectStep = z.strictObject({
  ...common,
  type: z.literal('collect'),
  play: media,
  variable: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a variable name'),
  min_length: z.number().int().min(1).max(64).default(1),
  max_length: z.number().int().min(1).max(64),
  terminator: dtmfKey.default('#'),
  pattern: z.string().optional().describe('A regular expression the whole input must match'),
  first_digit_timeout_ms: durationMs(60_000).default(8_000),
  inter_digit_timeout_ms: durationMs(30_000).default(3_000),
  retries: z.number().int().min(0).max(9).default(2),
  invalid: media.optional(),
  confirm: media.optional().describe('Played before reading the input back; 1 confirms, 2 re-enters'),
  next: stepName,
  on_failure: stepName,
});

const setStep = z.strictObject({
  ...common,
  type: z.literal('set'),
  variables: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a variable name'), z.union([z.string(), z.number(), z.boolean()])),
  next: stepName,
});

const conditionStep = z.strictObject({
  ...common,
  type: z.literal('condition'),
  when: z.array(z.strictObject({ if: conditionSchema, goto: stepName })).min(1),
  otherwise: stepName,
});

const hoursStep = z.strictObject({
  ...common,
  type: z.literal('business_hours'),
  calendar: z.string(),
  open: stepName,
  closed: stepName,
});

const languageStep = z.strictObject({
  ...common,
  type: z.literal('language'),
  play: media,
  options: z.record(dtmfKey, z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must be a language tag such as zh or en')),
  timeout_ms: durationMs(60_000).default(5_000),
  default: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/),
  next: stepName,
});

const lookupStep = z.strictObject({
  ...common,
  type: z.literal('http_lookup'),
  url: z.string().regex(/^https?:\/\/\S+$/, 'must be an http(s) URL; {caller.number} and {vars.x} are filled in'),
  timeout_ms: durationMs(30_000).default(2_000),
  next: stepName,
  on_failure: stepName,
});

const identifyStep = z.strictObject({
  ...common,
  type: z.literal('identify_caller'),
  next: stepName,
  blacklisted: stepName.describe('Where nuisance and blacklisted numbers go'),
  withheld: stepName.optional().describe('Where calls without a number go; next when absent'),
});

const queueStep = z.strictObject({
  ...common,
  type: z.literal('queue'),
  queue: z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be a queue id'),
  skills: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/), z.number().int().min(1).max(5)).default({}),
  priority: z.number().int().min(0).max(100).default(0),
  business_value: z.number().int().min(0).max(1_000_000).default(0),
  announce_every_ms: durationMs(600_000).default(30_000).describe('How often position and expected wait are announced'),
  offer_every_ms: durationMs(600_000).optional().describe('How often voicemail / callback are offered while waiting'),
  voicemail_key: dtmfKey.optional(),
  callback_key: dtmfKey.optional(),
});

const voicemailStep = z.strictObject({
  ...common,
  type: z.literal('voicemail'),
  queue: z.string().regex(/^[A-Za-z0-9_-]+$/).optional(),
  mailbox: z.string().regex(/^[A-Za-z0-9_-]+$/).optional(),
  greeting: media.optional(),
  max_message_ms: durationMs(600_000).default(120_000),
});

const callbackStep = z.strictObject({
  ...common,
  type: z.literal('callback'),
  queue: z.string().regex(/^[A-Za-z0-9_-]+$/),
  play: media.optional(),
});

const transferStep = z.strictObject({
  ...common,
  type: z.literal('transfer'),
  number: z.string().regex(/^\+?[0-9]{3,20}$/, 'must be 3 to 20 digits, optionally after +'),
  timeout_ms: durationMs(300_000).default(30_000),
  on_failure: stepName,
});

const hangUpStep = z.strictObject({
  ...common,
  type: z.literal('hang_up'),
  play: media.optional(),
});

export const stepSchema = z.discriminatedUnion('type', [
  promptStep,
  menuStep,
  collectStep,
  setStep,
  conditionStep,
  hoursStep,
  languageStep,
  lookupStep,
  identifyStep,
  queueStep,
  voicemailStep,
  callbackStep,
  transferStep,
  hangUpStep,
]);

const clock = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be HH:MM');
const weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

export const calendarSchema = z.strictObject({
  timezone: z.string().refine((zone) => isTimeZone(zone), 'must be an IANA time zone such as Asia/Shanghai'),
  open: z.array(z.strictObject({ days: z.array(weekday).min(1), from: clock, to: clock })).min(1),
  holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')).default([]),
});

export const flowSchema = z.strictObject({
  tenant: z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be a tenant id'),
  numbers: z.array(z.string().regex(DIALLED_NUMBER, 'must be a dialled number')).min(1).describe('Dialled numbers (DNIS) this flow answers'),
  start: stepName,
  calendars: z.record(z.string(), calendarSchema).default({}),
  steps: z.record(stepName, stepSchema),
});

export type Flow = z.output<typeof flowSchema>;
export type Step = z.output<typeof stepSchema>;
export type Condition = z.output<typeof conditionSchema>;
export type Calendar = z.output<typeof calendarSchema>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
