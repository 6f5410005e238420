import { parseQueueDefinition } from './queue-definition';

describe('parseQueueDefinition', () => {
  it('defaults to longest idle with a 20 s ring and no wrap-up', () => {
    expect(parseQueueDefinition({ queue: 'sales' })).toMatchObject({ strategy: 'longest-idle', offerTimeoutMs: 20_000, wrapUpMs: 0 });
  });

  it('needs weights exactly when the strategy is weighted', () => {
    expect(() => parseQueueDefinition({ queue: 'q', strategy: 'weighted' })).toThrow('weights: required when strategy is weighted');
    expect(() => parseQueueDefinition({ queue: 'q', strategy: 'random', weights: { idle: 1 } })).toThrow('weights: only allowed when strategy is weighted');
    expect(parseQueueDefinition({ queue: 'q', strategy: 'weighted', weights: { skill: 60 } }).weights).toEqual({ idle: 0, handled: 0, roundRobin: 0, random: 0, skill: 60 });
  });

  it('refuses an unknown strategy and a zero ring time', () => {
    expect(() => parseQueueDefinition({ queue: 'q', strategy: 'telepathy' })).toThrow(/strategy: must be one of longest-idle/);
    expect(() => parseQueueDefinition({ queue: 'q', offerTimeoutMs: 0 })).toThrow('offerTimeoutMs: must be at least 1');
  });
});
