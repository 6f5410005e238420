/** How the IVR let go of a call (ivr's FlowOutcome in reports' words). */
export type IvrOutcome = 'queued' | 'voicemail' | 'callback' | 'transferred' | 'hung-up' | 'caller-left' | 'failed';

/**
 * What one event says about a contact, whatever domain it came from: the call domain says
 * when a call arrived, was answered and hung up; the ivr what the caller did in the flow;
 * acd when the contact was queued, offered, taken, released, abandoned or overflowed;
 * voicemail whether a message was left. A contact record is a fold of these.
 */
export type ContactFact =
  | { readonly kind: 'arrived'; readonly channel: string; readonly site?: string; readonly ani?: string; readonly dnis?: string; readonly customerId?: string }
  /** Answered by us (IVR, announcement), not yet by an agent. */
  | { readonly kind: 'answered' }
  | { readonly kind: 'menu-chosen'; readonly step: string; readonly key: string }
  /** The caller's input is kept whole in the event, never in the contact record. */
  | { readonly kind: 'input-collected'; readonly step: string; readonly variable: string }
  | { readonly kind: 'ivr-ended'; readonly flow: string; readonly outcome: IvrOutcome; readonly queue?: string }
  | { readonly kind: 'queued'; readonly queue: string; readonly channel?: string; readonly site?: string; readonly customerId?: string }
  | { readonly kind: 'offered'; readonly agentId: string; readonly agentSite?: string }
  | { readonly kind: 'rejected'; readonly agentId: string }
  | { readonly kind: 'ring-no-answer'; readonly agentId: string }
  /** An agent took the contact: acd's accept, or the agent's leg of a call answering. */
  | { readonly kind: 'agent-answered'; readonly agentId?: string; readonly agentSite?: string }
  | { readonly kind: 'transferred' }
  /**
   * The agent let the contact go (acd's contact_completed). `wrapUpUntilMs`: when its
   * wrap-up is due to end; absent when there is none. The agent may end it sooner: the
   * agent's state intervals tell when it really did. `wrapUpCode` and `notes`: what the agent
   * said came of it, when it said anything.
   */
  | {
      readonly kind: 'released';
      readonly agentId: string;
      readonly agentSite?: string;
      readonly wrapUpUntilMs?: number;
      readonly wrapUpCode?: string;
      readonly notes?: string;
    }
  /** The agent's wrap-up code and notes, given after the contact was completed without them. */
  | { readonly kind: 'wrap-up-recorded'; readonly agentId: string; readonly wrapUpCode?: string; readonly notes?: string }
  /** The customer gave up while queued. */
  | { readonly kind: 'abandoned' }
  /** Taken out of the queue by its owner or by the caller's choice (voicemail or callback key). */
  | { readonly kind: 'withdrawn' }
  | { readonly kind: 'queue-choice'; readonly choice: 'voicemail' | 'callback'; readonly queue: string }
  | { readonly kind: 'overflowed'; readonly target?: string }
  | { readonly kind: 'voicemail-left'; readonly messageId: string; readonly queue?: string }
  | { readonly kind: 'voicemail-abandoned'; readonly messageId: string }
  | { readonly kind: 'ended'; readonly cause?: number };

export type ContactFactKind = ContactFact['kind'];

/** A fact with when it happened and the event that said it (ties broken by event id). */
export interface TimedContactFact {
  readonly atMs: number;
  readonly eventId: string;
  readonly fact: ContactFact;
}
