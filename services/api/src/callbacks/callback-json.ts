import { type Timestamp, timestampDate } from '@bufbuild/protobuf/wkt';
import { type Callback, CallbackOrigin, CallbackOutcome, CallbackStatus } from '@lianluo/contracts';
import { z } from 'zod';

const iso = (timestamp: Timestamp | undefined) => (timestamp ? timestampDate(timestamp).toISOString() : null);
/** `CallbackStatus.QUEUED` → `queued`; undefined for UNSPECIFIED. */
const word = (name: string | undefined) => (name && name !== 'UNSPECIFIED' ? name.toLowerCase().replaceAll('_', '-') : null);

export const callbackAnswer = z.object({
  callbackId: z.string(),
  queue: z.string(),
  number: z.string(),
  site: z.string().nullable(),
  customerId: z.string().nullable(),
  priority: z.number().int(),
  data: z.record(z.string(), z.string()),
  origin: z.enum(['ivr', 'web']).nullable(),
  status: z.enum(['scheduled', 'queued', 'dialling', 'completed', 'failed', 'cancelled']).nullable(),
  waitingSince: z.iso.datetime().nullable(),
  appointment: z.iso.datetime().nullable(),
  notBefore: z.iso.datetime().nullable(),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  lastOutcome: z.enum(['answered', 'no-answer', 'busy', 'failed', 'agent-unreachable']).nullable(),
  contactId: z.string().nullable(),
  duplicate: z.boolean().describe('The callback id was requested before: nothing changed'),
});

/** A callback as the api answers it: camelCase, enums as words, times in ISO 8601. */
export function callbackJson(callback: Callback, duplicate: boolean): z.input<typeof callbackAnswer> {
  return {
    callbackId: callback.callbackId,
    queue: callback.queue,
    number: callback.number,
    site: callback.site || null,
    customerId: callback.customerId || null,
    priority: callback.priority,
    data: callback.data,
    origin: word(CallbackOrigin[callback.origin]) as z.input<typeof callbackAnswer>['origin'],
    status: word(CallbackStatus[callback.status]) as z.input<typeof callbackAnswer>['status'],
    waitingSince: iso(callback.waitingSince),
    appointment: iso(callback.appointment),
    notBefore: iso(callback.notBefore),
    attempts: callback.attempts,
    maxAttempts: callback.maxAttempts,
    lastOutcome: word(CallbackOutcome[callback.lastOutcome]) as z.input<typeof callbackAnswer>['lastOutcome'],
    contactId: callback.contactId || null,
    duplicate,
  };
}
