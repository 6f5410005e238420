import { z } from 'zod';
import { ROUTING_STRATEGIES } from '../strategies/routing-strategy';
import { identifier } from '../validation/identifiers';
import { parseInput } from '../validation/invalid-input';

const weight = z.number().min(0, 'must not be negative').max(1e9, 'must be at most 1e9');
const durationMs = (max: number) => z.number().int('must be whole milliseconds').min(0, 'must not be negative').max(max, `must be at most ${max}`);

/**
 * A queue as routing sees it. Waiting contacts are served by "virtual enqueue time":
 * `enqueuedAt − priority·priorityPointMs − businessValue·businessValuePointMs`, earlier
 * first. So a priority point is worth `priorityPointMs` of waiting, which is how
 * priority ages: a lower-priority contact that has waited long enough overtakes a new
 * VIP. A contact with `dueAt` counts as enqueued no later than `dueAt − dueWindowMs`.
 */
export const queueDefinitionSchema = z
  .object({
    queue: identifier,
    strategy: z.enum(ROUTING_STRATEGIES, { error: `must be one of ${ROUTING_STRATEGIES.join(', ')}` }).default('longest-idle'),
    /** Only for `weighted`: see StrategyWeights. */
    weights: z
      .object({ idle: weight.default(0), handled: weight.default(0), roundRobin: weight.default(0), random: weight.default(0), skill: weight.default(0) })
      .optional(),
    /** How long an offer rings before ring-no-answer. */
    offerTimeoutMs: durationMs(600_000).min(1, 'must be at least 1').default(20_000),
    /** After-contact work before the agent is offered more. */
    wrapUpMs: durationMs(3_600_000).default(0),
    priorityPointMs: durationMs(1e11).default(600_000),
    businessValuePointMs: durationMs(1e9).default(0),
    dueWindowMs: durationMs(1e11).default(3_600_000),
    /** Ring-all offers a contact to at most this many agents at once. */
    ringAllLimit: z.number().int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100').default(20),
  })
  .superRefine((definition, context) => {
    if (definition.strategy === 'weighted' && definition.weights === undefined) {
      context.addIssue({ code: 'custom', path: ['weights'], message: 'required when strategy is weighted' });
    }
    if (definition.strategy !== 'weighted' && definition.weights !== undefined) {
      context.addIssue({ code: 'custom', path: ['weights'], message: 'only allowed when strategy is weighted' });
    }
  });

export type QueueDefinitionInput = z.input<typeof queueDefinitionSchema>;
export type QueueDefinition = z.output<typeof queueDefinitionSchema>;

/** Validates a queue definition; throws InvalidInput naming each bad field. */
export function parseQueueDefinition(input: unknown): QueueDefinition {
  return parseInput(queueDefinitionSchema, input, 'queue');
}
