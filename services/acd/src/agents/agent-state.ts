import type { Channel } from '../contacts/channel';

/** What an agent has chosen: to take contacts, to pause (with a reason), or to be gone. */
export type Presence = 'logged-out' | 'ready' | 'not-ready';

/** What Redis holds about an agent's activity, read back for boards and tests. */
export interface AgentSnapshot {
  readonly presence: Presence;
  readonly reasonCode?: string;
  /** Contacts accepted and not yet released, per channel. */
  readonly busy: Partial<Record<Channel, number>>;
  /** Contacts offered (ringing) and not yet accepted, rejected or timed out, per channel. */
  readonly offered: Partial<Record<Channel, number>>;
  readonly wrappingUp: boolean;
}

/** The agent states of ACD-7, as boards and reports show them. */
export type AgentState =
  | { readonly kind: 'logged-out' }
  | { readonly kind: 'ready' }
  | { readonly kind: 'not-ready'; readonly reasonCode: string }
  | { readonly kind: 'reserved' }
  | { readonly kind: 'busy' }
  | { readonly kind: 'wrap-up' };

const anyAbove0 = (counts: Partial<Record<Channel, number>>) => Object.values(counts).some((count) => (count ?? 0) > 0);

/**
 * One state for a multi-channel agent: a ringing offer shows first (the desktop must
 * react to it), then work in progress, then wrap-up, then the chosen presence. A
 * not-ready agent still finishing a contact shows busy.
 */
export function agentStateOf(snapshot: AgentSnapshot): AgentState {
  if (snapshot.presence === 'logged-out') return { kind: 'logged-out' };
  if (anyAbove0(snapshot.offered)) return { kind: 'reserved' };
  if (anyAbove0(snapshot.busy)) return { kind: 'busy' };
  if (snapshot.wrappingUp) return { kind: 'wrap-up' };
  if (snapshot.presence === 'not-ready') return { kind: 'not-ready', reasonCode: snapshot.reasonCode ?? '' };
  return { kind: 'ready' };
}
