import { timestampMs } from '@bufbuild/protobuf/wkt';
import {
  AcdEvents,
  AgentState,
  type AgentStateChanged,
  CancelReason,
  type ContactAbandoned,
  type ContactCompleted,
  type ContactInfo,
  type ContactOverflowed,
  type ContactQueued,
  type ContactWrapUpRecorded,
  nameOfChannel,
} from '@lianluo/contracts';
import { type AgentFact, type AgentStateName } from '../agents/agent-fact';
import { type ContactFact } from '../contacts/contact-fact';
import { type EventAbout } from '../events/domain-events.handlers';

/** acd's AgentState as reports name it. */
export const AGENT_STATE_NAMES: Partial<Record<AgentState, AgentStateName>> = {
  [AgentState.LOGGED_OUT]: 'logged-out',
  [AgentState.READY]: 'ready',
  [AgentState.NOT_READY]: 'not-ready',
  [AgentState.RESERVED]: 'reserved',
  [AgentState.BUSY]: 'busy',
  [AgentState.WRAP_UP]: 'wrap-up',
};

/** What every acd event may carry: the contact (or, for a callback's attempt, its id) and the agent. */
interface AcdEventFields {
  readonly contact?: ContactInfo | undefined;
  readonly contactId?: string;
  readonly agent?: { readonly agentId: string; readonly site: string } | undefined;
}

/**
 * What an acd event means for its contact or agent. Position reports, escalations and
 * callback bookkeeping mean nothing for the contact record; they are stored all the same.
 */
export function factOfAcdEvent(name: string, message: object): ContactFact | AgentFact | undefined {
  const agent = (message as AcdEventFields).agent;
  const agentId = agent?.agentId ?? '';
  switch (name) {
    case AcdEvents.contactQueued.name: {
      const contact = (message as ContactQueued).contact;
      if (!contact) return undefined;
      const channel = nameOfChannel(contact.channel);
      const site = contact.site || contact.call?.site;
      return {
        kind: 'queued',
        queue: contact.queue,
        ...(channel && { channel }),
        ...(site && { site }),
        ...(contact.customerId && { customerId: contact.customerId }),
      };
    }
    case AcdEvents.contactOffered.name:
      return { kind: 'offered', agentId, ...(agent?.site && { agentSite: agent.site }) };
    case AcdEvents.contactAccepted.name:
      return { kind: 'agent-answered', agentId, ...(agent?.site && { agentSite: agent.site }) };
    case AcdEvents.contactRejected.name:
      return { kind: 'rejected', agentId };
    case AcdEvents.contactRingNoAnswer.name:
      return { kind: 'ring-no-answer', agentId };
    case AcdEvents.contactAbandoned.name:
      // Withdrawn by its owner or by the caller's choice in the queue: not a customer giving up.
      return (message as ContactAbandoned).reason === CancelReason.WITHDRAWN ? { kind: 'withdrawn' } : { kind: 'abandoned' };
    case AcdEvents.contactOverflowed.name: {
      const target = (message as ContactOverflowed).target;
      return { kind: 'overflowed', ...(target.case && { target: `${target.case === 'queue' ? 'queue' : 'voicemail'}:${target.value}` }) };
    }
    case AcdEvents.contactTransferred.name:
      return { kind: 'transferred' };
    case AcdEvents.contactCompleted.name: {
      const { wrapUpEndsAt, wrapUpCode, notes } = message as ContactCompleted;
      return {
        kind: 'released',
        agentId,
        ...(agent?.site && { agentSite: agent.site }),
        ...(wrapUpEndsAt && { wrapUpUntilMs: timestampMs(wrapUpEndsAt) }),
        ...(wrapUpCode && { wrapUpCode }),
        ...(notes && { notes }),
      };
    }
    case AcdEvents.contactWrapUpRecorded.name: {
      const { wrapUpCode, notes } = message as ContactWrapUpRecorded;
      return { kind: 'wrap-up-recorded', agentId, ...(wrapUpCode && { wrapUpCode }), ...(notes && { notes }) };
    }
    case AcdEvents.agentStateChanged.name: {
      const change = message as AgentStateChanged;
      const state = AGENT_STATE_NAMES[change.state];
      if (!state) return undefined;
      return { kind: 'agent-state', site: agent?.site ?? '', state, ...(change.reasonCode && { reasonCode: change.reasonCode }) };
    }
    default:
      return undefined;
  }
}

/**
 * An acd event is about its contact (the call id for a voice contact) and the agent it
 * names; agent_state_changed about the agent alone. Events of kinds newer than this code
 * (callbacks...) are filed by the same fields when they carry them.
 */
export function acdEventAbout(name: string, message: object): EventAbout {
  const { contact, contactId, agent } = message as AcdEventFields;
  const about = contact?.contactId || contactId;
  const fact = factOfAcdEvent(name, message);
  return { ...(about && { contactId: about }), ...(agent?.agentId && { agentId: agent.agentId }), ...(fact && { fact }) };
}
