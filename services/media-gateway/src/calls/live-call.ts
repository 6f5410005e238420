import { type CallRef } from '@lianluo/contracts';
import { type Context } from '@opentelemetry/api';
import { type DigitCollector } from './digit-collector';

/** What this gateway keeps about a call while it is in our Stasis application. */
export interface LiveCall {
  readonly ref: CallRef;
  readonly channelId: string;
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
}

/** Channel variables that carry call state through a gateway restart. */
export const CHANNEL_VARS = {
  tenant: 'LIANLUO_TENANT',
  traceparent: 'LIANLUO_TRACEPARENT',
} as const;
