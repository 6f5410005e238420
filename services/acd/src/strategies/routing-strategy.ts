/**
 * How a queue picks among ready agents (ACD-2). Every strategy is a weighting of the
 * same agent facts, so a queue's choice is one sorted set lookup whatever the strategy.
 */
export const ROUTING_STRATEGIES = [
  'longest-idle',
  'fewest-contacts',
  'round-robin',
  'random',
  'skills-weighted',
  'ring-all',
  'weighted',
] as const;

export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];

/**
 * Weights of an agent's score, in seconds of idle time: the agent with the lowest
 * `idle·idleSince + handled·contactsHandled + roundRobin·lastOfferTurn + random·U[0,1)
 * − skill·proficiencySum` is offered first. So `{ idle: 1, skill: 60 }` reads "one
 * proficiency point is worth a minute of idleness".
 */
export interface StrategyWeights {
  /** Per second since the agent last became free or was last offered a contact. */
  readonly idle: number;
  /** Per contact the agent accepted from this queue. */
  readonly handled: number;
  /** Per turn since the agent was last offered a contact of this queue. */
  readonly roundRobin: number;
  /** Spread of a random draw made each time the agent becomes free. */
  readonly random: number;
  /** Per proficiency point in the skills the contact requires. */
  readonly skill: number;
}

const NONE: StrategyWeights = { idle: 0, handled: 0, roundRobin: 0, random: 0, skill: 0 };

// Large enough that a term dominates any idle time (seconds since 1970 are ~1.7e9),
// small enough that scores stay exact doubles for a million contacts handled.
const DOMINANT = 1e9;

/** The weights a named strategy stands for; `weighted` takes the queue's own. */
export function strategyWeights(strategy: RoutingStrategy, custom?: Partial<StrategyWeights>): StrategyWeights {
  switch (strategy) {
    case 'longest-idle':
    case 'ring-all':
      return { ...NONE, idle: 1 };
    case 'fewest-contacts':
      return { ...NONE, handled: DOMINANT, idle: 1 };
    case 'round-robin':
      return { ...NONE, roundRobin: 1 };
    case 'random':
      return { ...NONE, random: 1 };
    case 'skills-weighted':
      return { ...NONE, skill: DOMINANT, idle: 1 };
    case 'weighted':
      return { ...NONE, ...custom };
  }
}
