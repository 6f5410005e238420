import { POSTGRES } from '@lianluo/postgres';
import { Inject, Injectable } from '@nestjs/common';
import { type Pool } from 'pg';
import { type Page, pageOf } from '../http/page-of';
import { type DeliveryStatus, type WebhookAttempt, type WebhookDelivery } from './webhook-delivery';
import { type FailureReason } from './webhook-sender';

interface DeliveryRow {
  seq: string;
  delivery_id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  subject: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  last_failure: FailureReason | null;
  created_at: Date;
  finished_at: Date | null;
}

interface AttemptRow {
  attempt: number;
  attempted_at: Date;
  duration_ms: number;
  status_code: number | null;
  failure: FailureReason | null;
}

const COLUMNS = 'seq, delivery_id, webhook_id, event_id, event_type, subject, status, attempts, next_attempt_at, last_attempt_at, last_status_code, last_failure, created_at, finished_at';

function deliveryOf(row: DeliveryRow): WebhookDelivery {
  return {
    deliveryId: row.delivery_id,
    webhookId: row.webhook_id,
    eventId: row.event_id,
    eventType: row.event_type,
    subject: row.subject,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : undefined,
    lastAttemptAt: row.last_attempt_at ?? undefined,
    lastStatusCode: row.last_status_code ?? undefined,
    lastFailure: row.last_failure ?? undefined,
    createdAt: row.created_at,
    finishedAt: row.finished_at ?? undefined,
  };
}

function attemptOf(row: AttemptRow): WebhookAttempt {
  return { attempt: row.attempt, attemptedAt: row.attempted_at, durationMs: row.duration_ms, statusCode: row.status_code ?? undefined, failure: row.failure ?? undefined };
}


/** What a redelivery request came to. */
export type Redelivery = 'redelivering' | 'not-dead' | 'unknown';

/** The delivery log of a tenant's subscriptions, as admins read it, and the redelivery of dead letters. */
@Injectable()
export class WebhookDeliveriesRepository {
  constructor(@Inject(POSTGRES) private readonly pool: Pool) {}

  /** A page of a subscription's deliveries, newest first, of one status or all; `after` is the previous page's `next`. */
  async list(tenant: string, webhookId: string, status: DeliveryStatus | undefined, limit: number, after: string | undefined): Promise<Page<WebhookDelivery>> {
    const { rows } = await this.pool.query<DeliveryRow>(
      `SELECT ${COLUMNS} FROM webhook_delivery
        WHERE webhook_id = $1 AND tenant = $2 AND ($3::text IS NULL OR status = $3) AND ($4::bigint IS NULL OR seq < $4)
        ORDER BY seq DESC LIMIT $5`,
      [webhookId, tenant, status ?? null, after ?? null, limit + 1],
    );
    const page = pageOf(rows, limit, (row) => row.seq);
    return { items: page.items.map(deliveryOf), next: page.next };
  }

  /** One delivery with its attempts, oldest first. */
  async find(tenant: string, webhookId: string, deliveryId: string): Promise<{ delivery: WebhookDelivery; attempts: WebhookAttempt[] } | undefined> {
    const { rows } = await this.pool.query<DeliveryRow>(`SELECT ${COLUMNS} FROM webhook_delivery WHERE delivery_id = $1 AND webhook_id = $2 AND tenant = $3`, [deliveryId, webhookId, tenant]);
    if (!rows[0]) return undefined;
    const attempts = await this.pool.query<AttemptRow>(`SELECT attempt, attempted_at, duration_ms, status_code, failure FROM webhook_attempt WHERE delivery_id = $1 ORDER BY attempt_id`, [deliveryId]);
    return { delivery: deliveryOf(rows[0]), attempts: attempts.rows.map(attemptOf) };
  }

  /**
   * Puts a dead letter back in line with a fresh set of attempts, at its old place among its
   * subject's deliveries: it goes before any of them still pending.
   */
  async redeliver(tenant: string, webhookId: string, deliveryId: string): Promise<Redelivery> {
    const { rows } = await this.pool.query<{ redelivering: boolean }>(
      `WITH target AS (SELECT delivery_id, status FROM webhook_delivery WHERE delivery_id = $1 AND webhook_id = $2 AND tenant = $3),
            revived AS (
              UPDATE webhook_delivery d SET status = 'pending', attempts = 0, next_attempt_at = now(), lease_until = NULL, finished_at = NULL
                FROM target WHERE d.delivery_id = target.delivery_id AND target.status = 'dead' RETURNING d.delivery_id)
       SELECT EXISTS (SELECT 1 FROM revived) AS redelivering FROM target`,
      [deliveryId, webhookId, tenant],
    );
    if (!rows[0]) return 'unknown';
    return rows[0].redelivering ? 'redelivering' : 'not-dead';
  }
}
