/** The time routing decisions use, injected so ring-no-answer and wrap-up are testable without sleeping. */
export interface RoutingClock {
  now(): number;
}

export const systemRoutingClock: RoutingClock = { now: () => Date.now() };

/** Nest token of the RoutingClock the store and the timers share. */
export const ROUTING_CLOCK = Symbol('RoutingClock');
