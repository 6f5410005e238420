import { createHash } from 'node:crypto';

/** Where a callback is in its life (CallbackStatus in the contract). */
export const CALLBACK_STATUSES = ['scheduled', 'queued', 'dialling', 'completed', 'failed', 'cancelled'] as const;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];

/** How one attempt ended (CallbackOutcome). */
export const CALLBACK_OUTCOMES = ['answered', 'no_answer', 'busy', 'failed', 'agent_unreachable'] as const;
export type CallbackOutcome = (typeof CALLBACK_OUTCOMES)[number];

export const CALLBACK_ORIGINS = ['ivr', 'web'] as const;
export type CallbackOrigin = (typeof CALLBACK_ORIGINS)[number];

/** Why a callback failed without exhausting its attempts, or that it did. */
export type CallbackFailure = 'attempts-exhausted' | 'unknown-queue' | 'unknown-skill' | 'overflowed';

/** A callback as the acd keeps it (one row of acd.callback); times are ms since the epoch. */
export interface Callback {
  readonly tenant: string;
  readonly callbackId: string;
  readonly queue: string;
  readonly number: string;
  /** '' when the site of the agent who takes it dials. */
  readonly site: string;
  readonly customerId: string;
  readonly priority: number;
  readonly requiredSkills: Record<string, number>;
  readonly preferredAgent: string;
  readonly data: Record<string, string>;
  readonly origin: CallbackOrigin | '';
  readonly waitingSinceMs: number;
  readonly appointmentMs: number | undefined;
  readonly notBeforeMs: number;
  readonly status: CallbackStatus;
  /** Attempts counted against the customer. */
  readonly attempts: number;
  readonly maxAttempts: number;
  /** Every attempt so far, counted or not: the n of the last contact `<callbackId>@<n>`. */
  readonly rounds: number;
  readonly lastOutcome: CallbackOutcome | undefined;
  readonly contactId: string | undefined;
  /** The current attempt's agent and call, once it is dialled. */
  readonly agentId: string | undefined;
  readonly agentSite: string | undefined;
  readonly callSite: string | undefined;
  readonly callId: string | undefined;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  /** W3C traceparent of the request that made it: its events and its attempts' contacts continue that trace. */
  readonly traceparent: string | undefined;
}

/** One attempt of a callback and how it ended. */
export interface CallbackAttempt {
  readonly attempt: number;
  readonly contactId: string;
  readonly agentId: string;
  readonly outcome: CallbackOutcome;
  readonly counted: boolean;
  readonly callSite: string;
  readonly callId: string;
  readonly endedAtMs: number;
  readonly nextAttemptAtMs: number | undefined;
}

/** A callback's attempt being dialled: what the dialler needs and what ends it. */
export interface CallbackDial {
  readonly tenant: string;
  readonly callbackId: string;
  readonly attempt: number;
  readonly contactId: string;
  readonly agentId: string;
  readonly agentSite: string;
  readonly number: string;
  readonly callSite: string;
  readonly callId: string;
}

/** How an attempt ended, as the dialler (or the recovery of a dial a dead replica left) saw it. */
export interface AttemptEnd {
  readonly outcome: CallbackOutcome;
  /** False when the agent's phone or the media gateway failed: not the customer's doing. */
  readonly counted: boolean;
  /** Pause the agent with this reason as the contact is released (its phone did not answer). */
  readonly agentNotReady?: string;
}

const SEPARATOR = '@';

/**
 * The contact of a callback's attempt: `<callbackId>@<attempt>`. Every attempt is a
 * contact of its own, because a finished contact id is remembered (a repeated enqueue of
 * it is a no-op). Contact ids are identifiers, which have no `#`.
 */
export function callbackContactId(callbackId: string, attempt: number): string {
  return `${callbackId}${SEPARATOR}${attempt}`;
}

/** The callback and attempt of a callback's contact; undefined for any other contact. */
export function callbackOfContactId(contactId: string): { callbackId: string; attempt: number } | undefined {
  const at = contactId.lastIndexOf(SEPARATOR);
  const attempt = contactId.slice(at + 1);
  if (at < 1 || !/^[1-9][0-9]{0,6}$/.test(attempt)) return undefined;
  return { callbackId: contactId.slice(0, at), attempt: Number(attempt) };
}

/**
 * The id of the call an attempt places (place_call's call.call_id): the same for every
 * retry of the command, so the gateway dials once; unique across tenants, because it
 * becomes the Asterisk channel id at the site.
 */
export function callbackCallId(tenant: string, callbackId: string, attempt: number): string {
  const digest = createHash('sha256').update(`${tenant}/${callbackId}`).digest('hex').slice(0, 24);
  return `cb-${digest}-${attempt}`;
}

/** Whether a call id is one callbackCallId made (a hang-up worth looking up). */
export function isCallbackCallId(callId: string): boolean {
  return /^cb-[0-9a-f]{24}-[0-9]+$/.test(callId);
}
