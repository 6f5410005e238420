import { type FailureReason } from './webhook-sender';

/** pending: waiting for an attempt or in one; delivered: a 2xx came; dead: every attempt failed (a dead letter). */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One event on its way to one subscription, as the delivery log shows it. */
export interface WebhookDelivery {
  readonly deliveryId: string;
  readonly webhookId: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly subject: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: Date | undefined;
  readonly lastAttemptAt: Date | undefined;
  readonly lastStatusCode: number | undefined;
  readonly lastFailure: FailureReason | undefined;
  readonly createdAt: Date;
  readonly finishedAt: Date | undefined;
}

/** One attempt of a delivery. */
export interface WebhookAttempt {
  readonly attempt: number;
  readonly attemptedAt: Date;
  readonly durationMs: number;
  readonly statusCode: number | undefined;
  readonly failure: FailureReason | undefined;
}

/** A delivery a worker has claimed for one attempt, with what it needs to sign and send it. */
export interface ClaimedDelivery {
  readonly deliveryId: string;
  readonly webhookId: string;
  readonly eventType: string;
  readonly body: string;
  /** This attempt's number since the delivery was made (or redelivered); fences the outcome. */
  readonly attempt: number;
  readonly url: string;
  /** The current secret first, then a rotated-out one still in its grace period. */
  readonly secrets: readonly string[];
}

/** How an attempt ended, as the outbox records it. */
export type AttemptOutcome =
  | { readonly kind: 'delivered'; readonly statusCode: number }
  | { readonly kind: 'retry'; readonly retryInMs: number; readonly statusCode?: number | undefined; readonly failure: FailureReason }
  | { readonly kind: 'dead'; readonly statusCode?: number | undefined; readonly failure: FailureReason };
