import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';

type AttemptLabels = 'outcome' | 'reason';

/**
 * Webhook deliveries: events put in the outbox, attempts by outcome (delivered, retry,
 * dead — the last attempt failed) and failure reason, and how long receivers took.
 */
@Injectable()
export class WebhookMetrics {
  readonly enqueued: Counter<'domain'>;
  readonly attempts: Counter<AttemptLabels>;
  readonly attemptSeconds: Histogram<'outcome'>;

  constructor(registry: Registry) {
    const existing = <T>(name: string) => registry.getSingleMetric(name) as T | undefined;
    this.enqueued =
      existing<Counter<'domain'>>('lianluo_api_webhook_deliveries_enqueued_total') ??
      new Counter({ name: 'lianluo_api_webhook_deliveries_enqueued_total', help: 'Deliveries put in the webhook outbox (one per subscription an event matched).', labelNames: ['domain'], registers: [registry] });
    this.attempts =
      existing<Counter<AttemptLabels>>('lianluo_api_webhook_attempts_total') ??
      new Counter({
        name: 'lianluo_api_webhook_attempts_total',
        help: 'Webhook attempts by outcome (delivered, retry, dead: the last attempt failed and the delivery is a dead letter) and failure reason.',
        labelNames: ['outcome', 'reason'],
        registers: [registry],
      });
    this.attemptSeconds =
      existing<Histogram<'outcome'>>('lianluo_api_webhook_attempt_seconds') ??
      new Histogram({
        name: 'lianluo_api_webhook_attempt_seconds',
        help: 'How long one webhook attempt took, from sending to the end of the answer.',
        labelNames: ['outcome'],
        buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        registers: [registry],
      });
  }
}
