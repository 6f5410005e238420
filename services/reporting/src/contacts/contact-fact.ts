/**
 * What one event says about a contact, whatever domain it came from: the call domain says
 * when a call arrived, was answered and hung up; acd says when it was queued, offered,
 * taken by an agent, abandoned or overflowed. A contact record is a fold of these.
 */
export type ContactFact =
  | { readonly kind: 'arrived'; readonly channel: string; readonly site?: string; readonly ani?: string; readonly dnis?: string; readonly customerId?: string }
  /** Answered by us (IVR, announcement), not yet by an agent. */
  | { readonly kind: 'answered' }
  | { readonly kind: 'queued'; readonly queue: string; readonly channel?: string; readonly site?: string; readonly customerId?: string }
  | { readonly kind: 'offered'; readonly agentId: string; readonly agentSite?: string }
  /** An agent took the contact: acd's accept, or the agent's leg of a call answering. */
  | { readonly kind: 'agent-answered'; readonly agentId?: string; readonly agentSite?: string }
  | { readonly kind: 'transferred' }
  /** The customer gave up while queued. */
  | { readonly kind: 'abandoned' }
  | { readonly kind: 'overflowed'; readonly target?: string }
  | { readonly kind: 'ended'; readonly cause?: number }
  | { readonly kind: 'wrap-up-ended' };

export type ContactFactKind = ContactFact['kind'];

/** A fact with when it happened and the event that said it (ties broken by event id). */
export interface TimedContactFact {
  readonly atMs: number;
  readonly eventId: string;
  readonly fact: ContactFact;
}
