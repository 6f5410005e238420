import { type JsonValue } from '@bufbuild/protobuf';
import { type AgentFact } from '../agents/agent-fact';
import { type ContactFact } from '../contacts/contact-fact';

/**
 * An event of any domain as the event store takes it: stored whole, and, when its domain
 * knows what it means for a contact or an agent, projected too.
 */
export interface ReportedEvent {
  readonly domain: string;
  readonly eventId: string;
  /** The event's name in its domain (`answered`, `queued`). */
  readonly name: string;
  /** Its protobuf type, e.g. `lianluo.call.v1.CallAnswered`. */
  readonly typeName: string;
  readonly tenant: string;
  readonly occurredAtMs: number;
  readonly streamSequence: number;
  /** The message in protobuf's JSON mapping. */
  readonly payload: JsonValue;
  /** The contact the event is about, if any; kept even when no other event names it. */
  readonly contactId?: string;
  /** The agent the event is about, if any. */
  readonly agentId?: string;
  /** What it means for that contact (a ContactFact) or agent (an AgentFact), if anything. */
  readonly fact?: ContactFact | AgentFact;
}

/** What recording an event changed: nothing when it had been stored before. */
export type RecordOutcome = 'stored' | 'duplicate';
