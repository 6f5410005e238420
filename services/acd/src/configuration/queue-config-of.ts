import { create } from '@bufbuild/protobuf';
import { type QueueConfig, QueueConfigSchema, RoutingStepKind, Strategy } from '@lianluo/contracts';
import type { QueueDefinitionInput, RoutingStep } from '../queues/queue-definition';
import { STRATEGY_NAMES } from '../routing/proto-enums';

const STEP_KINDS: Record<RoutingStep['kind'], RoutingStepKind> = {
  'preferred-agent': RoutingStepKind.PREFERRED_AGENT,
  'named-agents': RoutingStepKind.NAMED_AGENTS,
  skilled: RoutingStepKind.SKILLED,
  supervisors: RoutingStepKind.SUPERVISORS,
  'whole-centre': RoutingStepKind.WHOLE_CENTRE,
};

function strategyOf(name: string | undefined): Strategy {
  const found = Object.entries(STRATEGY_NAMES).find(([value, strategy]) => strategy === name && Number(value) !== Strategy.UNSPECIFIED);
  return found ? (Number(found[0]) as Strategy) : Strategy.LONGEST_IDLE;
}

/** The contract's queue configuration for a stored definition (queueDefinitionOf the other way). */
export function queueConfigOf(queue: QueueDefinitionInput): QueueConfig {
  const steps = (queue.steps ?? []) as RoutingStep[];
  return create(QueueConfigSchema, {
    queue: queue.queue,
    strategy: strategyOf(queue.strategy),
    ...(queue.weights ? { weights: queue.weights } : {}),
    offerTimeoutMs: queue.offerTimeoutMs,
    wrapUpMs: queue.wrapUpMs,
    ...(queue.priorityPointMs === undefined ? {} : { priorityPointMs: BigInt(queue.priorityPointMs) }),
    ...(queue.businessValuePointMs === undefined ? {} : { businessValuePointMs: BigInt(queue.businessValuePointMs) }),
    ...(queue.dueWindowMs === undefined ? {} : { dueWindowMs: BigInt(queue.dueWindowMs) }),
    ringAllLimit: queue.ringAllLimit,
    steps: steps.map((step) => ({
      kind: STEP_KINDS[step.kind],
      agents: step.kind === 'named-agents' ? step.agents : [],
      minLevel: step.kind === 'skilled' ? (step.minLevel ?? 0) : 0,
      timeoutMs: step.timeoutMs ?? 0,
    })),
    ...(queue.overflow
      ? {
          overflow: {
            afterMs: queue.overflow.afterMs,
            target: queue.overflow.queue !== undefined ? { case: 'queue', value: queue.overflow.queue } : { case: 'voicemailMailbox', value: queue.overflow.voicemailMailbox ?? '' },
          },
        }
      : {}),
  });
}
