import { Counter, Histogram, type Registry, register as defaultRegistry } from 'prom-client';

function counter<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]) {
  return (registry.getSingleMetric(name) as Counter<L> | undefined) ?? new Counter({ name, help, labelNames, registers: [registry] });
}

/** Counters every service exposes on /metrics for its NATS traffic (prom-client's default registry). */
export class MessagingMetrics {
  readonly rejected;
  readonly deadLettered;
  readonly handled;
  readonly published;
  readonly handlerSeconds;

  constructor(registry: Registry = defaultRegistry) {
    this.rejected = counter(registry, 'lianluo_messages_rejected_total', 'Messages refused before reaching a handler (undecodable or invalid).', [
      'domain',
      'kind',
      'name',
      'reason',
    ] as const);
    this.deadLettered = counter(registry, 'lianluo_messages_dead_lettered_total', 'Events moved to the dead-letter stream.', [
      'domain',
      'name',
      'consumer',
      'reason',
    ] as const);
    this.handled = counter(registry, 'lianluo_messages_handled_total', 'Messages handled, by outcome.', ['domain', 'kind', 'name', 'outcome'] as const);
    this.published = counter(registry, 'lianluo_events_published_total', 'Events published to JetStream (duplicate=true when de-duplicated).', [
      'domain',
      'name',
      'duplicate',
    ] as const);
    const histogramName = 'lianluo_message_handler_duration_seconds';
    this.handlerSeconds =
      (registry.getSingleMetric(histogramName) as Histogram<'domain' | 'kind' | 'name'> | undefined) ??
      new Histogram({
        name: histogramName,
        help: 'Time spent in message handlers.',
        labelNames: ['domain', 'kind', 'name'] as const,
        buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers: [registry],
      });
  }
}
