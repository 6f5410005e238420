import { type QueueConfig, type RoutingStep as RoutingStepMessage, RoutingStepKind } from '@lianluo/contracts';
import type { QueueDefinitionInput, RoutingStep } from '../queues/queue-definition';
import { STRATEGY_NAMES } from '../routing/proto-enums';

function routingStepOf(step: RoutingStepMessage): RoutingStep {
  const timeoutMs = step.timeoutMs;
  switch (step.kind) {
    case RoutingStepKind.PREFERRED_AGENT:
      return { kind: 'preferred-agent', timeoutMs };
    case RoutingStepKind.NAMED_AGENTS:
      return { kind: 'named-agents', agents: step.agents, timeoutMs };
    case RoutingStepKind.SKILLED:
      return { kind: 'skilled', ...(step.minLevel > 0 ? { minLevel: step.minLevel } : {}), timeoutMs };
    case RoutingStepKind.SUPERVISORS:
      return { kind: 'supervisors', timeoutMs };
    default:
      return { kind: 'whole-centre', timeoutMs };
  }
}

/** The domain's queue definition for a contract's; unset optional fields take the defaults. */
export function queueDefinitionOf(queue: QueueConfig): QueueDefinitionInput {
  const optional = <K extends string>(name: K, value: number | bigint | undefined) => (value === undefined ? {} : { [name]: Number(value) });
  return {
    queue: queue.queue,
    strategy: STRATEGY_NAMES[queue.strategy],
    ...(queue.weights ? { weights: { idle: queue.weights.idle, handled: queue.weights.handled, roundRobin: queue.weights.roundRobin, random: queue.weights.random, skill: queue.weights.skill } } : {}),
    ...optional('offerTimeoutMs', queue.offerTimeoutMs),
    ...optional('wrapUpMs', queue.wrapUpMs),
    ...optional('priorityPointMs', queue.priorityPointMs),
    ...optional('businessValuePointMs', queue.businessValuePointMs),
    ...optional('dueWindowMs', queue.dueWindowMs),
    ...optional('ringAllLimit', queue.ringAllLimit),
    steps: queue.steps.map(routingStepOf),
    ...(queue.overflow
      ? {
          overflow: {
            afterMs: queue.overflow.afterMs,
            ...(queue.overflow.target.case === 'queue' ? { queue: queue.overflow.target.value } : { voicemailMailbox: queue.overflow.target.value ?? '' }),
          },
        }
      : {}),
  };
}
