/** The agent states of ACD-7 as reports name them. */
export const AGENT_STATES = ['logged-out', 'ready', 'not-ready', 'reserved', 'busy', 'wrap-up'] as const;
export type AgentStateName = (typeof AGENT_STATES)[number];

/** What one event says about an agent: from now on, this state at this site. */
export interface AgentFact {
  readonly kind: 'agent-state';
  readonly site: string;
  readonly state: AgentStateName;
  readonly reasonCode?: string;
}
