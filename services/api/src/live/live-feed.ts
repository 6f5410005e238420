import { type Principal } from '../auth/principal';
import { type AppAbility } from '../policy/ability';

/**
 * What a live connection asks to follow. `me`: the agent's own work (its offers, contacts and
 * state); `board`: everything of the tenant, as a supervisor's board shows it.
 */
export const LIVE_FEED_NAMES = ['me', 'board'] as const;
export type LiveFeedName = (typeof LIVE_FEED_NAMES)[number];

export function isLiveFeedName(value: unknown): value is LiveFeedName {
  return typeof value === 'string' && (LIVE_FEED_NAMES as readonly string[]).includes(value);
}

/** The domains whose events the live connections carry (each its own stream and cursor). */
export const LIVE_DOMAINS = ['acd'] as const;

/**
 * Whether the policy lets `principal` open `feed` in `tenant`: `me` is an agent's own work
 * (`act Me`), `board` every event of the tenant, including those about no agent, which only
 * a watcher of the whole tenant may read. Each event pushed is checked again on its own.
 */
export function mayOpenFeed(ability: AppAbility, principal: Principal, feed: LiveFeedName, tenant: string): boolean {
  if (feed === 'me') return principal.agentId !== undefined && ability.can('act', { kind: 'Me', tenant });
  return ability.can('read', { kind: 'LiveEvent', tenant });
}

/** The agent whose events a connection follows: its own on `me`, every agent's (undefined) on `board`. */
export function agentFollowed(principal: Principal, feed: LiveFeedName): string | undefined {
  return feed === 'me' ? principal.agentId : undefined;
}
