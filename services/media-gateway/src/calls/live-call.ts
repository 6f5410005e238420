import { type CallRef } from '@lianluo/contracts';
import { type Context } from '@opentelemetry/api';
import { type Dial } from '../dialling/dialler';
import { type DigitCollector } from './digit-collector';

/** What this gateway keeps about a call while it is in our Stasis application. */
export interface LiveCall {
  readonly ref: CallRef;
  readonly channelId: string;
  /** Placed by place_call (the customer's leg of a callback) rather than arrived. */
  readonly placed: boolean;
  /**
   * Presented to legs unless a command says otherwise: the caller's number and name, or
   * for a placed call the number (or extension) it was placed to.
   */
  readonly caller: { readonly number: string; readonly name: string };
  /** Trace of the whole call: every event of it carries this trace id. */
  readonly traceContext: Context;
  /** Keys pressed while no collection was running (type-ahead). */
  typeAhead: string;
  collector: DigitCollector | undefined;
  readonly interruptiblePlaybacks: Set<string>;
  readonly stoppedPlaybacks: Set<string>;
  answeredPublished: boolean;
  /** Q.850 cause of the first hang-up request (ours or the far end's). */
  hangupCause: number | undefined;
  /** Legs dialled for this call (agents, consultations), by leg id = their channel id. */
  readonly legs: Map<string, Leg>;
  /** The bridge where the caller talks to legs, made on first use. */
  bridge: { readonly bridgeId: string; readonly endTogether: boolean } | undefined;
  /** An attended transfer in its consultation step. */
  consultation: Consultation | undefined;
  /** Playback id → the channel that hears it. */
  readonly playbacks: Map<string, string>;
  /** Recordings running for this call, by recording id. */
  readonly recordings: Map<string, ActiveRecording>;
}

export type LegRole = 'agent' | 'supervisor';

export interface Consultation {
  readonly bridgeId: string;
  /** The leg (agent) who consults; back in the call's bridge if the consultation is cancelled. */
  readonly consultingLegId: string;
  readonly consultedLegId: string;
}

export interface ActiveRecording {
  readonly recordingId: string;
  /** Asterisk's name for it: `lianluo/<tenant>/<recordingId>`. */
  readonly name: string;
  readonly format: string;
  /** The caller's channel, or the bridge for a conversation. */
  readonly targetId: string;
}

/** A second channel of a call: an agent's phone or a number dialled out. */
export interface Leg extends Dial {
  readonly legId: string;
  ringingPublished: boolean;
  readonly role: LegRole;
  /** In the call's bridge now (not consulting, not supervising from the side). */
  inBridge: boolean;
  /** Hung up or moved away by a command: its end does not end the call. */
  released: boolean;
  /** A supervisor listening or whispering: the snoop channel and the side bridge. */
  supervision: { readonly snoopId: string; readonly bridgeId: string } | undefined;
}

/** Channel variables that carry call state through a gateway restart. */
export const CHANNEL_VARS = {
  tenant: 'LIANLUO_TENANT',
  callId: 'LIANLUO_CALL_ID',
  traceparent: 'LIANLUO_TRACEPARENT',
} as const;

/**
 * Stasis arguments of channels we create, so a restarted gateway knows what each is:
 * `leg,<call id>,<role>`, `snoop,<call id>,<supervisor leg id>`, `transit,<inbound id>`,
 * and `placed,<number or extension>` for a call place_call made (its channel id is the call id).
 */
export const STASIS_ROLES = { leg: 'leg', snoop: 'snoop', transit: 'transit', placed: 'placed' } as const;

/**
 * Bridge names carry what a restarted gateway needs to know about a bridge:
 * `<call id>|call|end-together` or `|call|keep-caller`, `<call id>|consult|<consulting>|<consulted>`,
 * `<call id>|supervise|<supervisor leg id>`.
 */
export const BRIDGE_NAME_SEPARATOR = '|';
