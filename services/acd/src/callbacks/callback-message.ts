import { create } from '@bufbuild/protobuf';
import { timestampFromMs, timestampMs } from '@bufbuild/protobuf/wkt';
import {
  type CallbackRequest as CallbackRequestMessage,
  CallbackOrigin as CallbackOriginValue,
  CallbackOutcome as CallbackOutcomeValue,
  CallbackSchema,
  CallbackStatus as CallbackStatusValue,
} from '@lianluo/contracts';
import type { Callback, CallbackOrigin, CallbackOutcome, CallbackStatus } from './callback';
import type { CallbackRequestInput } from './callback-request';

/** The domain's names of the contract's callback enums. */
export const CALLBACK_STATUS_VALUES: Record<CallbackStatus, CallbackStatusValue> = {
  scheduled: CallbackStatusValue.SCHEDULED,
  queued: CallbackStatusValue.QUEUED,
  dialling: CallbackStatusValue.DIALLING,
  completed: CallbackStatusValue.COMPLETED,
  failed: CallbackStatusValue.FAILED,
  cancelled: CallbackStatusValue.CANCELLED,
};

export const CALLBACK_OUTCOME_VALUES: Record<CallbackOutcome, CallbackOutcomeValue> = {
  answered: CallbackOutcomeValue.ANSWERED,
  no_answer: CallbackOutcomeValue.NO_ANSWER,
  busy: CallbackOutcomeValue.BUSY,
  failed: CallbackOutcomeValue.FAILED,
  agent_unreachable: CallbackOutcomeValue.AGENT_UNREACHABLE,
};

export const CALLBACK_ORIGIN_VALUES: Record<CallbackOrigin | '', CallbackOriginValue> = {
  '': CallbackOriginValue.UNSPECIFIED,
  ivr: CallbackOriginValue.IVR,
  web: CallbackOriginValue.WEB,
};

const ORIGIN_NAMES: Partial<Record<CallbackOriginValue, CallbackOrigin>> = { [CallbackOriginValue.IVR]: 'ivr', [CallbackOriginValue.WEB]: 'web' };

/** The domain's callback request for a contract's; empty strings and zeros are absent fields. */
export function callbackRequestOf(request: CallbackRequestMessage): CallbackRequestInput {
  const origin = ORIGIN_NAMES[request.origin];
  return {
    callbackId: request.callbackId,
    queue: request.queue,
    number: request.number,
    ...(request.site ? { site: request.site } : {}),
    ...(request.customerId ? { customerId: request.customerId } : {}),
    priority: request.priority,
    requiredSkills: request.requiredSkills,
    ...(request.preferredAgent ? { preferredAgent: request.preferredAgent } : {}),
    data: request.data,
    ...(request.waitingSince ? { waitingSince: timestampMs(request.waitingSince) } : {}),
    ...(request.appointment ? { appointment: timestampMs(request.appointment) } : {}),
    ...(request.maxAttempts > 0 ? { maxAttempts: request.maxAttempts } : {}),
    ...(origin ? { origin } : {}),
  };
}

/** The contract's view of a stored callback. */
export function callbackMessageOf(callback: Callback) {
  return create(CallbackSchema, {
    callbackId: callback.callbackId,
    queue: callback.queue,
    number: callback.number,
    site: callback.site,
    customerId: callback.customerId,
    priority: callback.priority,
    data: callback.data,
    origin: CALLBACK_ORIGIN_VALUES[callback.origin],
    waitingSince: timestampFromMs(callback.waitingSinceMs),
    ...(callback.appointmentMs === undefined ? {} : { appointment: timestampFromMs(callback.appointmentMs) }),
    notBefore: timestampFromMs(callback.notBeforeMs),
    status: CALLBACK_STATUS_VALUES[callback.status],
    attempts: callback.attempts,
    maxAttempts: callback.maxAttempts,
    lastOutcome: callback.lastOutcome === undefined ? CallbackOutcomeValue.UNSPECIFIED : CALLBACK_OUTCOME_VALUES[callback.lastOutcome],
    contactId: callback.contactId ?? '',
  });
}
