import { ROUTING_STRATEGIES, strategyWeights } from './routing-strategy';

// The score of an agent as routing-core.lua computes it (lower is offered first).
function score(strategy: (typeof ROUTING_STRATEGIES)[number], agent: { idleSince: number; handled: number; turn: number; skill: number }) {
  const w = strategyWeights(strategy);
  return w.idle * agent.idleSince + w.handled * agent.handled + w.roundRobin * agent.turn - w.skill * agent.skill;
}

describe('strategyWeights', () => {
  const now = 1.7e9;
  const veteran = { idleSince: now - 10, handled: 40, turn: 7, skill: 5 };
  const newcomer = { idleSince: now - 300, handled: 2, turn: 9, skill: 2 };

  it('longest idle and ring-all order by idle time alone', () => {
    expect(score('longest-idle', newcomer)).toBeLessThan(score('longest-idle', veteran));
    expect(strategyWeights('ring-all')).toEqual(strategyWeights('longest-idle'));
  });

  it('fewest contacts wins over any idle time; skills-weighted likewise for proficiency', () => {
    expect(score('fewest-contacts', { ...newcomer, idleSince: now })).toBeLessThan(score('fewest-contacts', { ...veteran, idleSince: 0 }));
    expect(score('skills-weighted', { ...veteran, idleSince: now })).toBeLessThan(score('skills-weighted', { ...newcomer, idleSince: 0 }));
  });

  it('round robin orders by the turn of the last offer', () => {
    expect(score('round-robin', veteran)).toBeLessThan(score('round-robin', newcomer));
  });

  it('weighted takes the queue weights, zero for those left out', () => {
    expect(strategyWeights('weighted', { idle: 1, skill: 60 })).toEqual({ idle: 1, handled: 0, roundRobin: 0, random: 0, skill: 60 });
  });

  it('keeps every named strategy exact in doubles for a million handled contacts', () => {
    for (const strategy of ROUTING_STRATEGIES) {
      const extreme = score(strategy, { idleSince: 4e9, handled: 1e6, turn: 1e6, skill: 40 });
      expect(Math.abs(extreme)).toBeLessThan(Number.MAX_SAFE_INTEGER);
    }
  });
});
