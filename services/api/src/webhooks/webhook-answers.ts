import { z } from 'zod';
import { DELIVERY_STATUSES, type WebhookAttempt, type WebhookDelivery } from './webhook-delivery';
import { FAILURE_REASONS } from './webhook-sender';
import { type WebhookSubscription } from './webhook-subscription';

/** What the webhook routes answer, documented (OpenAPI, the typed client) by these schemas. */
export const subscriptionAnswer = z.object({
  webhookId: z.string(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  description: z.string(),
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const newSubscriptionAnswer = subscriptionAnswer.extend({ secret: z.string().describe('The signing secret (`whsec_…`), shown only in this answer') });
export const subscriptionPageAnswer = z.object({ items: z.array(subscriptionAnswer), next: z.string().nullable() });
export const rotatedSecretAnswer = z.object({ webhookId: z.string(), secret: z.string(), previousSecretExpiresAt: z.string() });

export const deliveryAnswer = z.object({
  deliveryId: z.string().describe('Also the `webhook-id` header of each of its attempts'),
  eventId: z.string(),
  eventType: z.string(),
  subject: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  lastStatusCode: z.number().nullable(),
  lastFailure: z.enum(FAILURE_REASONS).nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
const attemptAnswer = z.object({ attempt: z.number(), attemptedAt: z.string(), durationMs: z.number(), statusCode: z.number().nullable(), failure: z.enum(FAILURE_REASONS).nullable() });
export const deliveryDetailAnswer = deliveryAnswer.extend({ attemptLog: z.array(attemptAnswer) });
export const deliveryPageAnswer = z.object({ items: z.array(deliveryAnswer), next: z.string().nullable() });
export const redeliveryAnswer = z.object({ deliveryId: z.string(), status: z.literal('pending') });

const iso = (date: Date | undefined) => date?.toISOString() ?? null;

/** A subscription as the routes answer it (never its secret). */
export function subscriptionJson(subscription: WebhookSubscription): z.output<typeof subscriptionAnswer> {
  return {
    webhookId: subscription.webhookId,
    url: subscription.url,
    eventTypes: [...subscription.eventTypes],
    description: subscription.description,
    enabled: subscription.enabled,
    createdAt: subscription.createdAt.toISOString(),
    updatedAt: subscription.updatedAt.toISOString(),
  };
}

/** A delivery as the log shows it: what, to whom, how far, and the last answer (a status code or a reason, never a message). */
export function deliveryJson(delivery: WebhookDelivery): z.output<typeof deliveryAnswer> {
  return {
    deliveryId: delivery.deliveryId,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    subject: delivery.subject,
    status: delivery.status,
    attempts: delivery.attempts,
    nextAttemptAt: iso(delivery.nextAttemptAt),
    lastAttemptAt: iso(delivery.lastAttemptAt),
    lastStatusCode: delivery.lastStatusCode ?? null,
    lastFailure: delivery.lastFailure ?? null,
    createdAt: delivery.createdAt.toISOString(),
    finishedAt: iso(delivery.finishedAt),
  };
}

export function attemptJson(attempt: WebhookAttempt): z.output<typeof attemptAnswer> {
  return { attempt: attempt.attempt, attemptedAt: attempt.attemptedAt.toISOString(), durationMs: attempt.durationMs, statusCode: attempt.statusCode ?? null, failure: attempt.failure ?? null };
}
