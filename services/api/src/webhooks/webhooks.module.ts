import { Module } from '@nestjs/common';
import { WebhookDeliveriesController } from './webhook-deliveries.controller';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { WEBHOOK_DOMAINS, type WebhookDomain } from './webhook-event-types';
import { WebhookEventsHandlers } from './webhook-events.handlers';
import { WebhookMetrics } from './webhook.metrics';
import { WebhookOutbox } from './webhook-outbox';
import { WebhookSubscriptionsRepository } from './webhook-subscriptions.repository';
import { WebhookUrls } from './webhook-urls';
import { WebhooksController } from './webhooks.controller';

/**
 * Webhooks (issue 17): tenants' subscriptions to event types, one durable consumer per
 * domain filling an outbox in PostgreSQL, and a worker per replica sending CloudEvents
 * signed as Standard Webhooks, retrying with backoff, dead-lettering what keeps failing.
 */
@Module({
  controllers: [WebhooksController, WebhookDeliveriesController],
  providers: [
    WebhookSubscriptionsRepository,
    WebhookDeliveriesRepository,
    WebhookOutbox,
    WebhookUrls,
    WebhookMetrics,
    WebhookDeliveryWorker,
    ...(Object.keys(WEBHOOK_DOMAINS) as WebhookDomain[]).map(WebhookEventsHandlers),
  ],
})
export class WebhooksModule {}
