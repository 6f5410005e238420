import { AgentKind, AgentState, ContactState, RoutingStepKind, Strategy } from '@lianluo/contracts';
import type { AgentKind as AgentKindName } from '../agents/agent-profile';
import type { AgentState as AgentStateShape } from '../agents/agent-state';
import type { ContactState as ContactStateName } from '../contacts/contact';
import type { RoutingStrategy } from '../strategies/routing-strategy';

/** The domain's names of contracts enums, one table each way where both are needed. */
export const CONTACT_STATE_VALUES: Record<ContactStateName, ContactState> = {
  waiting: ContactState.WAITING,
  offered: ContactState.OFFERED,
  assigned: ContactState.ASSIGNED,
  done: ContactState.DONE,
};

export const AGENT_STATE_VALUES: Record<AgentStateShape['kind'], AgentState> = {
  'logged-out': AgentState.LOGGED_OUT,
  ready: AgentState.READY,
  'not-ready': AgentState.NOT_READY,
  reserved: AgentState.RESERVED,
  busy: AgentState.BUSY,
  'wrap-up': AgentState.WRAP_UP,
};

export const STRATEGY_NAMES: Record<Strategy, RoutingStrategy> = {
  [Strategy.UNSPECIFIED]: 'longest-idle',
  [Strategy.LONGEST_IDLE]: 'longest-idle',
  [Strategy.FEWEST_CONTACTS]: 'fewest-contacts',
  [Strategy.ROUND_ROBIN]: 'round-robin',
  [Strategy.RANDOM]: 'random',
  [Strategy.SKILLS_WEIGHTED]: 'skills-weighted',
  [Strategy.RING_ALL]: 'ring-all',
  [Strategy.WEIGHTED]: 'weighted',
};

export const AGENT_KIND_NAMES: Record<AgentKind, AgentKindName> = {
  [AgentKind.UNSPECIFIED]: 'agent',
  [AgentKind.AGENT]: 'agent',
  [AgentKind.EMPLOYEE]: 'employee',
  [AgentKind.SUPERVISOR]: 'supervisor',
};

/** Routing step kinds as the scripts spell them (routing-core.lua `steps_of`). */
export const STEP_KIND_NAMES = {
  [RoutingStepKind.UNSPECIFIED]: undefined,
  [RoutingStepKind.PREFERRED_AGENT]: 'preferred',
  [RoutingStepKind.NAMED_AGENTS]: 'agents',
  [RoutingStepKind.SKILLED]: 'skilled',
  [RoutingStepKind.SUPERVISORS]: 'supervisors',
  [RoutingStepKind.WHOLE_CENTRE]: 'centre',
} as const;

export const STEP_KIND_VALUES: Record<string, RoutingStepKind> = Object.fromEntries(
  Object.entries(STEP_KIND_NAMES)
    .filter(([, name]) => name !== undefined)
    .map(([value, name]) => [name, Number(value) as RoutingStepKind]),
);
