/** Where a tenant's events of some types are POSTed. The secret is never part of it: it is shown once. */
export interface WebhookSubscription {
  readonly webhookId: string;
  readonly tenant: string;
  readonly url: string;
  readonly eventTypes: readonly string[];
  readonly description: string;
  readonly enabled: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface NewWebhookSubscription {
  readonly url: string;
  readonly eventTypes: readonly string[];
  readonly description?: string | undefined;
  readonly enabled?: boolean | undefined;
}

export type WebhookSubscriptionChange = Partial<NewWebhookSubscription>;
