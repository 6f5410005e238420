import { type CallData } from '../flows/conditions';

/** Where a flow stood before a step that talks to the caller: enough to go on from there. */
export interface FlowCheckpoint {
  readonly step: string;
  readonly data: CallData;
}

/** What a flow needs from the call it runs on; the NATS adapter and the tests' fake implement it. */
export interface CallPort {
  /** Plays and resolves when the prompts end (early, on a key, when interruptible). */
  play(media: readonly string[], interruptible: boolean): Promise<void>;
  /** Keys the caller presses (type-ahead included); resolves with the keys and why collection ended. */
  collect(rule: CollectRule): Promise<Collected>;
  identify(callerNumber: string): Promise<CallerIdentity>;
  /** GET a JSON document for the call; rejects on timeout, non-2xx or non-JSON. */
  lookup(url: string, timeoutMs: number): Promise<Record<string, unknown>>;
  /** Hands the call to the acd: the flow ends here, the queue takes over. */
  enqueue(request: QueueRequest): Promise<void>;
  /** Hands the call to voicemail: the flow ends here. */
  voicemail(request: VoicemailRequest): Promise<void>;
  requestCallback(request: CallbackRequest): Promise<void>;
  /** Dials a number and connects the caller; rejects when it does not answer. */
  transfer(number: string, timeoutMs: number): Promise<void>;
  hangUp(): Promise<void>;
  /** Tells reporting what the caller chose or entered. */
  record(event: FlowEvent): Promise<void>;
  /** Keeps where the flow stands, for a replica that takes the session over; never fails the flow. */
  checkpoint(at: FlowCheckpoint): Promise<void>;
}

export interface CollectRule {
  readonly maxDigits: number;
  readonly terminator: string;
  readonly firstDigitTimeoutMs: number;
  readonly interDigitTimeoutMs: number;
}

export type CollectEnding = 'max_digits' | 'terminator' | 'first_digit_timeout' | 'inter_digit_timeout' | 'hung_up';

export interface Collected {
  readonly digits: string;
  readonly end: CollectEnding;
}

export interface CallerIdentity {
  readonly blacklisted: boolean;
  /** The customer record (customer 360) when the number is known. */
  readonly customer: Readonly<Record<string, unknown>> | undefined;
  /** The agent who last took a call from this number, known customer or not. */
  readonly lastAgent?: string | undefined;
}

export interface QueueRequest {
  readonly queue: string;
  readonly skills: Readonly<Record<string, number>>;
  readonly priority: number;
  readonly businessValue: number;
  readonly customerId: string | undefined;
  readonly lastAgent: string | undefined;
  /** Everything the flow gathered, for the agent's screen (e.g. the account number). */
  readonly data: Readonly<Record<string, string>>;
  readonly language: string | undefined;
  readonly announceEveryMs: number;
  readonly offerEveryMs: number | undefined;
  readonly voicemailKey: string | undefined;
  readonly callbackKey: string | undefined;
}

export interface VoicemailRequest {
  readonly queue: string | undefined;
  readonly mailbox: string | undefined;
  readonly greeting: readonly string[] | undefined;
  readonly maxMessageMs: number;
  readonly language: string | undefined;
}

export interface CallbackRequest {
  readonly queue: string;
  readonly number: string;
  readonly data: Readonly<Record<string, string>>;
}

export type FlowEvent =
  | { readonly kind: 'menu_chosen'; readonly step: string; readonly key: string }
  | { readonly kind: 'input_collected'; readonly step: string; readonly variable: string; readonly value: string }
  | { readonly kind: 'flow_ended'; readonly step: string; readonly outcome: FlowOutcome };

export type FlowOutcome = 'queued' | 'voicemail' | 'callback' | 'transferred' | 'hung_up' | 'caller_left' | 'failed';

/** Thrown by a port when the caller has gone: the flow stops quietly. */
export { CallerLeft } from '@lianluo/call-client';
