import { AbilityBuilder, type MongoAbility, createMongoAbility } from '@casl/ability';
import { type Principal } from '../auth/principal';

/** What a route or a pushed event does to its subject. `manage` is every action. */
export type Action = 'read' | 'create' | 'update' | 'delete' | 'act' | 'manage';

/**
 * What routes and events are about, each owned by a tenant. `Me` is the agent's own work
 * (state, offers, contacts); `AgentState` any agent's state as a supervisor sees and forces it;
 * `CatalogueCode` the tenant's not-ready reasons and wrap-up codes, which every desktop offers.
 */
export type Subject =
  | 'Me'
  | 'AgentState'
  | 'Contact'
  | 'Queue'
  | 'Agent'
  | 'Skill'
  | 'User'
  | 'Configuration'
  | 'CatalogueCode'
  | 'Report'
  | 'Interaction'
  | 'Customer'
  | 'Voicemail'
  | 'Callback'
  | 'AuditLog'
  | 'Webhook'
  | 'Tenant'
  | 'LiveEvent';

/** A subject as a check sees it: its kind and the tenant it belongs to. */
export interface TenantObject {
  readonly kind: Subject;
  readonly tenant: string;
}

/**
 * An event pushed on a live connection: its tenant, and the agent it is about when it is about
 * one (an offer, an agent's state). An event about no agent has no `agentId`.
 */
export interface LiveEventObject extends TenantObject {
  readonly kind: 'LiveEvent';
  readonly agentId?: string;
}

export type AppAbility = MongoAbility<[Action, Subject | TenantObject | LiveEventObject | 'all']>;

/**
 * The one authorisation policy (PLT-1, PLT-4): what each role may do, always inside the
 * principal's tenant except for a platform operator.
 */
export function abilityOf(principal: Principal): AppAbility {
  const { can, cannot, build } = new AbilityBuilder<AppAbility>(createMongoAbility);
  const tenant = principal.tenant;
  const own = { tenant };
  for (const role of principal.roles) {
    switch (role) {
      case 'platform-operator':
        can('manage', 'all');
        break;
      case 'admin':
        if (tenant === undefined) break;
        can('manage', 'all', own);
        cannot('manage', 'Tenant');
        break;
      case 'supervisor':
        if (tenant === undefined) break;
        can(['read', 'update'], 'AgentState', own);
        can(['read', 'act'], 'Contact', own);
        can('read', ['Queue', 'Agent', 'Skill', 'Report', 'Interaction', 'Customer', 'CatalogueCode'], own);
        can('manage', ['Voicemail', 'Callback'], own);
        can('read', 'LiveEvent', own);
        break;
      case 'agent':
        if (tenant === undefined || principal.agentId === undefined) break;
        can('act', 'Me', own);
        can('read', ['Customer', 'Interaction', 'CatalogueCode'], own);
        can(['read', 'act'], 'Voicemail', own);
        can(['create', 'read'], 'Callback', own);
        // Its own offers, contacts and state; never another agent's, nor the tenant's board.
        can('read', 'LiveEvent', { tenant, agentId: principal.agentId });
        break;
    }
  }
  // Only someone who works as an agent has an agent's own work, whatever else they may do.
  if (principal.agentId === undefined) cannot('act', 'Me');
  return build({ detectSubjectType: (object) => object.kind });
}
