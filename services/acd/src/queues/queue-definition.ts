import { z } from 'zod';
import { ROUTING_STRATEGIES } from '../strategies/routing-strategy';
import { identifier, proficiency } from '../validation/identifiers';
import { parseInput } from '../validation/invalid-input';

export const ROUTING_STEP_KINDS = ['preferred-agent', 'named-agents', 'skilled', 'supervisors', 'whole-centre'] as const;
export type RoutingStepKind = (typeof ROUTING_STEP_KINDS)[number];

const weight = z.number().min(0, 'must not be negative').max(1e9, 'must be at most 1e9');
const durationMs = (max: number) => z.number().int('must be whole milliseconds').min(0, 'must not be negative').max(max, `must be at most ${max}`);

const stepTimeoutMs = durationMs(3_600_000).default(0);

/**
 * One routing step (ACD-3, ACD-4): who may take the contact once the step has started, on
 * top of everyone the steps before it allowed. `timeoutMs` is how long the step lasts
 * before the next one joins; the last step lasts until the contact is taken.
 */
export const routingStepSchema = z.discriminatedUnion(
  'kind',
  [
    /** The contact's preferred (last) agent; skipped for a contact without one. */
    z.object({ kind: z.literal('preferred-agent'), timeoutMs: stepTimeoutMs }).strict(),
    /** The queue's named experts. */
    z.object({ kind: z.literal('named-agents'), agents: z.array(identifier).min(1, 'must name at least one agent').max(20, 'must name at most 20 agents'), timeoutMs: stepTimeoutMs }).strict(),
    /** Members of the queue meeting the contact's skills, each at least `minLevel` when given. */
    z.object({ kind: z.literal('skilled'), minLevel: proficiency.optional(), timeoutMs: stepTimeoutMs }).strict(),
    z.object({ kind: z.literal('supervisors'), timeoutMs: stepTimeoutMs }).strict(),
    /** Anyone of the tenant with room on the contact's channel. */
    z.object({ kind: z.literal('whole-centre'), timeoutMs: stepTimeoutMs }).strict(),
  ],
  { error: `must be a step of kind ${ROUTING_STEP_KINDS.join(', ')}` },
);

export type RoutingStep = z.output<typeof routingStepSchema>;

/** Where contacts go after `afterMs` of waiting with no agent able to take them (ACD-8). */
export const overflowSchema = z
  .object({
    afterMs: durationMs(86_400_000).min(1_000, 'must be at least 1000'),
    queue: identifier.optional(),
    voicemailMailbox: identifier.optional(),
  })
  .strict()
  .refine((overflow) => (overflow.queue === undefined) !== (overflow.voicemailMailbox === undefined), 'must name either a queue or a voicemail mailbox');

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
    /** Ordered routing steps; none means one skilled step that prefers the preferred agent. */
    steps: z.array(routingStepSchema).max(10, 'must be at most 10 steps').default([]),
    overflow: overflowSchema.optional(),
  })
  .superRefine((definition, context) => {
    if (definition.strategy === 'weighted' && definition.weights === undefined) {
      context.addIssue({ code: 'custom', path: ['weights'], message: 'required when strategy is weighted' });
    }
    if (definition.strategy !== 'weighted' && definition.weights !== undefined) {
      context.addIssue({ code: 'custom', path: ['weights'], message: 'only allowed when strategy is weighted' });
    }
    definition.steps.forEach((step, i) => {
      if (i < definition.steps.length - 1 && step.timeoutMs === 0) {
        context.addIssue({ code: 'custom', path: ['steps', i, 'timeoutMs'], message: 'must be set on every step but the last' });
      }
    });
    if (definition.overflow?.queue === definition.queue) {
      context.addIssue({ code: 'custom', path: ['overflow', 'queue'], message: 'must be another queue' });
    }
  });

export type QueueDefinitionInput = z.input<typeof queueDefinitionSchema>;
export type QueueDefinition = z.output<typeof queueDefinitionSchema>;

/** Validates a queue definition; throws InvalidInput naming each bad field. */
export function parseQueueDefinition(input: unknown): QueueDefinition {
  return parseInput(queueDefinitionSchema, input, 'queue');
}

const LUA_STEP_KINDS: Record<RoutingStepKind, string> = {
  'preferred-agent': 'preferred',
  'named-agents': 'agents',
  skilled: 'skilled',
  supervisors: 'supervisors',
  'whole-centre': 'centre',
};

/** Steps as the routing scripts read them: `kind:arg:timeoutMs;...` (routing-core.lua `parse_steps`). */
export function encodeRoutingSteps(steps: readonly RoutingStep[]): string {
  const effective: readonly RoutingStep[] = steps.length > 0 ? steps : [{ kind: 'skilled', timeoutMs: 0 }];
  return effective
    .map((step) => {
      const arg = step.kind === 'named-agents' ? step.agents.join(',') : step.kind === 'skilled' ? String(step.minLevel ?? 0) : '';
      return `${LUA_STEP_KINDS[step.kind]}:${arg}:${step.timeoutMs}`;
    })
    .join(';');
}
