import { ErrorKind } from '@lianluo/contracts';
import { CommandFailure } from '@lianluo/messaging';
import { commandFailureFromAri } from '../calls/calls.errors';
import {
  CALL_REJECTED,
  INVALID_NUMBER_FORMAT,
  NO_ANSWER,
  NO_CIRCUIT_AVAILABLE,
  NO_USER_RESPONDING,
  NUMBER_CHANGED,
  SWITCHING_EQUIPMENT_CONGESTION,
  UNALLOCATED_NUMBER,
  USER_BUSY,
  causeText,
} from '../calls/q850';

/** The called side will not take the call now: busy, refused, congested, or no such number. Dialling again at once does not help. */
const REFUSALS = new Set([USER_BUSY, CALL_REJECTED, NO_CIRCUIT_AVAILABLE, SWITCHING_EQUIPMENT_CONGESTION, UNALLOCATED_NUMBER, NUMBER_CHANGED, INVALID_NUMBER_FORMAT]);

/**
 * Asterisk ends a dial whose ring time ran out with a plain cause (normal clearing), so a
 * dial that rang for (almost) its whole ring time counts as not answered in time.
 */
const RING_TIME_SLACK_MS = 500;

/**
 * The typed error for a dialled channel that ended without answering, from its Q.850 cause
 * and how long it rang: TIMEOUT when nobody answered in time, FAILED_PRECONDITION when the
 * called side refused, UNAVAILABLE when it could not be reached.
 */
export function dialFailure(dial: { readonly destination: string; readonly timeoutMs: number }, cause: number, rangMs: number): CommandFailure {
  if (cause === NO_ANSWER || cause === NO_USER_RESPONDING || rangMs >= dial.timeoutMs - RING_TIME_SLACK_MS) {
    return new CommandFailure(ErrorKind.TIMEOUT, `${dial.destination} did not answer within ${dial.timeoutMs} ms`);
  }
  if (REFUSALS.has(cause)) {
    return new CommandFailure(ErrorKind.FAILED_PRECONDITION, `${dial.destination} refused the call: ${causeText(cause)} (${cause})`);
  }
  return new CommandFailure(ErrorKind.UNAVAILABLE, `${dial.destination} could not be reached: ${causeText(cause)} (${cause})`);
}

/**
 * Why a dial could not even start. Asterisk answers "Allocation failed" when the endpoint
 * cannot be dialled at all (a phone that is not registered, an endpoint without contact):
 * the called side is unreachable, as a refusal is (FAILED_PRECONDITION), not the gateway.
 */
export function originateFailure(error: unknown, destination: string, channelId: string): CommandFailure {
  const text = String((error as Error)?.message ?? error);
  if (/Allocation failed/i.test(text)) return new CommandFailure(ErrorKind.FAILED_PRECONDITION, `${destination} cannot be dialled (not registered or no contact): ${text}`);
  return commandFailureFromAri(error, `originate ${destination} as ${channelId}`);
}
