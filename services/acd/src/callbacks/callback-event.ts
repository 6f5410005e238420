import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { AcdEvents, CallbackOutcome as CallbackOutcomeValue } from '@lianluo/contracts';
import { type AcdEvent, acdEvent } from '../routing/outbox-event';
import type { AttemptEnd, Callback, CallbackDial, CallbackFailure, CallbackStatus } from './callback';
import { CALLBACK_ORIGIN_VALUES, CALLBACK_OUTCOME_VALUES, CALLBACK_STATUS_VALUES } from './callback-message';
import type { AfterAttempt } from './retry-schedule';

/**
 * The events of a callback's changes, in the callback's trace. Each id names the callback
 * and the change (`<tenant>:callback:<id>:attempted:2`), so a change reported twice (a
 * relay repeated after a crash) is one event for JetStream and for every consumer.
 */
function basics(callback: Callback, change: string, nowMs: number) {
  return {
    eventId: `${callback.tenant}:callback:${callback.callbackId}:${change}`,
    tenant: callback.tenant,
    occurredAt: timestampFromMs(nowMs),
    callback: { callbackId: callback.callbackId, queue: callback.queue, number: callback.number, site: callback.site, customerId: callback.customerId },
  };
}

function dialInfo(dial: CallbackDial) {
  return {
    attempt: dial.attempt,
    contactId: dial.contactId,
    agent: { agentId: dial.agentId, site: dial.agentSite },
    call: { tenant: dial.tenant, site: dial.callSite, callId: dial.callId },
  };
}

export function callbackRequested(callback: Callback, nowMs: number): AcdEvent {
  return acdEvent(AcdEvents.callbackRequested, {
    ...basics(callback, 'requested', nowMs),
    waitingSince: timestampFromMs(callback.waitingSinceMs),
    ...(callback.appointmentMs === undefined ? {} : { appointment: timestampFromMs(callback.appointmentMs) }),
    priority: callback.priority,
    maxAttempts: callback.maxAttempts,
    origin: CALLBACK_ORIGIN_VALUES[callback.origin],
  }, callback.traceparent);
}

/** The events of an attempt that ended (`callback` as it is after it): attempted, then completed or failed when it settled the callback. */
export function attemptEnded(callback: Callback, dial: CallbackDial, end: AttemptEnd, after: AfterAttempt, nowMs: number): AcdEvent[] {
  const events = [
    acdEvent(AcdEvents.callbackAttempted, {
      ...basics(callback, `attempted:${dial.attempt}`, nowMs),
      ...dialInfo(dial),
      outcome: CALLBACK_OUTCOME_VALUES[end.outcome],
      counted: end.counted,
      countedAttempts: after.attempts,
      ...(after.nextAttemptAtMs === undefined ? {} : { nextAttemptAt: timestampFromMs(after.nextAttemptAtMs) }),
    }, callback.traceparent),
  ];
  if (after.status === 'completed') {
    events.push(acdEvent(AcdEvents.callbackCompleted, { ...basics(callback, 'completed', nowMs), ...dialInfo(dial), waitedMs: BigInt(Math.max(0, nowMs - callback.waitingSinceMs)) }, callback.traceparent));
  }
  if (after.status === 'failed') events.push(callbackFailed(callback, 'attempts-exhausted', nowMs));
  return events;
}

export function callbackFailed(callback: Callback, reason: CallbackFailure, nowMs: number): AcdEvent {
  return acdEvent(AcdEvents.callbackFailed, {
    ...basics(callback, 'failed', nowMs),
    countedAttempts: callback.attempts,
    lastOutcome: callback.lastOutcome === undefined ? CallbackOutcomeValue.UNSPECIFIED : CALLBACK_OUTCOME_VALUES[callback.lastOutcome],
    reasonCode: reason,
  }, callback.traceparent);
}

export function callbackCancelled(callback: Callback, previous: CallbackStatus, reason: 'withdrawn' | 'contact-cancelled', nowMs: number): AcdEvent {
  return acdEvent(AcdEvents.callbackCancelled, {
    ...basics(callback, 'cancelled', nowMs),
    previousStatus: CALLBACK_STATUS_VALUES[previous],
    countedAttempts: callback.attempts,
    reasonCode: reason,
  }, callback.traceparent);
}
