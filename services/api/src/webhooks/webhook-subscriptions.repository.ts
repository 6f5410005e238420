import { POSTGRES } from '@lianluo/postgres';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { type Pool } from 'pg';
import { type NewWebhookSubscription, type WebhookSubscription, type WebhookSubscriptionChange } from './webhook-subscription';

interface SubscriptionRow {
  webhook_id: string;
  tenant: string;
  url: string;
  event_types: string[];
  description: string;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'webhook_id, tenant, url, event_types, description, enabled, created_at, updated_at';

function subscriptionOf(row: SubscriptionRow): WebhookSubscription {
  return {
    webhookId: row.webhook_id,
    tenant: row.tenant,
    url: row.url,
    eventTypes: row.event_types,
    description: row.description,
    enabled: row.enabled,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A tenant's webhook subscriptions and their secrets (api.webhook_subscription). */
@Injectable()
export class WebhookSubscriptionsRepository {
  constructor(@Inject(POSTGRES) private readonly pool: Pool) {}

  async create(tenant: string, subscription: NewWebhookSubscription, secret: string): Promise<WebhookSubscription> {
    const { rows } = await this.pool.query<SubscriptionRow>(
      `INSERT INTO webhook_subscription (webhook_id, tenant, url, event_types, description, enabled, secret) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [randomUUID(), tenant, subscription.url, subscription.eventTypes, subscription.description ?? '', subscription.enabled ?? true, secret],
    );
    return subscriptionOf(rows[0]!);
  }

  /** A page of the tenant's subscriptions, oldest first; `after` is the last id of the previous page. */
  async list(tenant: string, limit: number, after: string | undefined): Promise<WebhookSubscription[]> {
    const { rows } = await this.pool.query<SubscriptionRow>(
      `SELECT ${COLUMNS} FROM webhook_subscription
        WHERE tenant = $1 AND ($2::uuid IS NULL OR (created_at, webhook_id) > (SELECT created_at, webhook_id FROM webhook_subscription WHERE webhook_id = $2))
        ORDER BY created_at, webhook_id LIMIT $3`,
      [tenant, after ?? null, limit],
    );
    return rows.map(subscriptionOf);
  }

  async find(tenant: string, webhookId: string): Promise<WebhookSubscription | undefined> {
    const { rows } = await this.pool.query<SubscriptionRow>(`SELECT ${COLUMNS} FROM webhook_subscription WHERE webhook_id = $1 AND tenant = $2`, [webhookId, tenant]);
    return rows[0] && subscriptionOf(rows[0]);
  }

  async update(tenant: string, webhookId: string, change: WebhookSubscriptionChange): Promise<WebhookSubscription | undefined> {
    const { rows } = await this.pool.query<SubscriptionRow>(
      `UPDATE webhook_subscription SET
         url = COALESCE($3, url), event_types = COALESCE($4, event_types), description = COALESCE($5, description), enabled = COALESCE($6, enabled), updated_at = now()
       WHERE webhook_id = $1 AND tenant = $2 RETURNING ${COLUMNS}`,
      [webhookId, tenant, change.url ?? null, change.eventTypes ?? null, change.description ?? null, change.enabled ?? null],
    );
    return rows[0] && subscriptionOf(rows[0]);
  }

  /** Deletes a subscription with its deliveries; false when unknown. */
  async remove(tenant: string, webhookId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(`DELETE FROM webhook_subscription WHERE webhook_id = $1 AND tenant = $2`, [webhookId, tenant]);
    return rowCount === 1;
  }

  /** A new secret signs from now on; the one it replaces signs beside it until the time returned. Undefined when unknown. */
  async rotateSecret(tenant: string, webhookId: string, secret: string, graceSeconds: number): Promise<Date | undefined> {
    const { rows } = await this.pool.query<{ previous_secret_until: Date }>(
      `UPDATE webhook_subscription SET previous_secret = secret, previous_secret_until = now() + make_interval(secs => $4), secret = $3, updated_at = now()
        WHERE webhook_id = $1 AND tenant = $2 RETURNING previous_secret_until`,
      [webhookId, tenant, secret, graceSeconds],
    );
    return rows[0]?.previous_secret_until;
  }
}
