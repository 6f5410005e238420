import { type EventContext, EventHandler, parseSubject } from '@lianluo/messaging';
import { Injectable, type Type } from '@nestjs/common';
import { cloudEventOf } from './cloud-event-of';
import { WEBHOOK_CONSUMERS } from './webhook-consumers';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { WEBHOOK_DOMAINS, type WebhookDomain } from './webhook-event-types';
import { WebhookMetrics } from './webhook.metrics';
import { WebhookOutbox } from './webhook-outbox';

/**
 * The handler of one domain's durable consumer (`api-webhooks-<domain>`): each event into
 * the outbox, once per subscription that takes it, before it is acknowledged. The consumer
 * is ordered (one event in hand across all replicas), so the outbox takes a domain's events
 * in their stream's order. One class per domain, all alike.
 */
export function WebhookEventsHandlers(domain: WebhookDomain): Type<unknown> {
  const definitions = WEBHOOK_DOMAINS[domain];
  const byName = new Map(definitions.map((definition) => [definition.name, definition]));

  @Injectable()
  class Handlers {
    constructor(
      readonly outbox: WebhookOutbox,
      readonly worker: WebhookDeliveryWorker,
      readonly metrics: WebhookMetrics,
    ) {}

    @EventHandler(definitions, { durable: WEBHOOK_CONSUMERS[domain], maxAckPending: 1 })
    async onEvent(message: object, ctx: EventContext): Promise<void> {
      const definition = byName.get(parseSubject(ctx.subject)?.name ?? '');
      if (!definition) throw new Error(`no ${domain} event definition for ${ctx.subject}`);
      const added = await this.outbox.enqueue(cloudEventOf(definition, message as never, new Date()));
      if (added === 0) return;
      this.metrics.enqueued.inc({ domain }, added);
      this.worker.nudge();
    }
  }

  // Logs and Nest's container name it after its domain: AcdWebhookEventsHandlers...
  Object.defineProperty(Handlers, 'name', { value: `${domain[0]?.toUpperCase()}${domain.slice(1)}WebhookEventsHandlers` });
  return Handlers;
}
