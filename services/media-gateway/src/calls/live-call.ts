import { type CallRef } from '@lianluo/contracts';
import { type Context } from '@opentelemetry/api';
import { type DigitCollector } from './digit-collector';

/** What this gateway keeps about a call while it is in our Stasis application. */
export interface LiveCall {
  readonly ref: CallRef;
  readonly channelId: string;
  /** Caller number and name, presented to legs unless a command says otherwise. */
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
  bridge: { readonly bridgeId: string; readonly endTogether: boolean } | undefined;
}

/** A second channel of a call: an agent's phone or a number dialled out. */
export interface Leg {
  readonly legId: string;
  /** What was dialled, e.g. PJSIP/2001@site-sz. */
  readonly destination: string;
  readonly startedAt: number;
  readonly timeoutMs: number;
  answered: boolean;
  ringingPublished: boolean;
  ended: boolean;
  hangupCause: number | undefined;
  /** Settles the originate command waiting for this leg. */
  outcome: { resolve: () => void; reject: (failure: Error) => void } | undefined;
}

/** Channel variables that carry call state through a gateway restart. */
export const CHANNEL_VARS = {
  tenant: 'LIANLUO_TENANT',
  callId: 'LIANLUO_CALL_ID',
  traceparent: 'LIANLUO_TRACEPARENT',
} as const;
