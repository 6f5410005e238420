import { z } from 'zod';
import { tenantId } from '../tenants/tenant-address';
import { DELIVERY_STATUSES } from './webhook-delivery';
import { WEBHOOK_EVENT_TYPES } from './webhook-event-types';

/** The request parts of the webhook routes, validated and documented by the same schemas. */
export const webhookAddress = z.object({ tenant: tenantId, webhookId: z.uuid({ error: 'must be a webhook id (a UUID)' }) });
export const deliveryAddress = webhookAddress.extend({ deliveryId: z.uuid({ error: 'must be a delivery id (a UUID)' }) });

const eventTypes = z
  .array(z.enum(WEBHOOK_EVENT_TYPES as [string, ...string[]], { error: 'must be an event type of the contracts, e.g. acd.contact_queued, or a domain wildcard such as acd.*' }))
  .min(1, { error: 'must name at least one event type' })
  .max(200)
  .transform((types) => [...new Set(types)])
  .describe('`<domain>.<event>` (acd.contact_queued, call.answered...) or `<domain>.*`');

export const newWebhookBody = z.strictObject({
  url: z.string().max(2_000).describe('Where events are POSTed: https (http only where the operator allows it)'),
  eventTypes,
  description: z.string().max(500).optional(),
  enabled: z.boolean().optional(),
});

export const webhookChangeBody = newWebhookBody.partial();

const page = {
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after: z.string().regex(/^\d{1,19}$/, { error: 'must be the `next` of the previous page' }).optional().describe('The `next` of the previous page'),
};

export const subscriptionPageQuery = z.strictObject({ ...page, after: z.uuid({ error: 'must be the `next` of the previous page' }).optional().describe('The `next` of the previous page') });
export const deliveryPageQuery = z.strictObject({ ...page, status: z.enum(DELIVERY_STATUSES).optional().describe('Only deliveries of this status') });
export const deadLetterPageQuery = z.strictObject(page);

export type WebhookPath = z.output<typeof webhookAddress>;
export type DeliveryPath = z.output<typeof deliveryAddress>;
