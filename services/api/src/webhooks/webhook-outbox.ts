import { POSTGRES, type Queryable } from '@lianluo/postgres';
import { Inject, Injectable } from '@nestjs/common';
import { type Pool } from 'pg';
import { type WebhookEvent } from './cloud-event-of';
import { type AttemptOutcome, type ClaimedDelivery } from './webhook-delivery';
import { subscribedTypesOf } from './webhook-event-types';

interface ClaimedRow {
  delivery_id: string;
  webhook_id: string;
  event_type: string;
  body: string;
  attempts: number;
  url: string;
  secret: string;
  previous_secret: string | null;
}

/**
 * The deliveries still to make (api.webhook_delivery), as the event consumers fill it and
 * the workers of every replica work it off. A delivery is claimed with FOR UPDATE SKIP
 * LOCKED and leased until its attempt must have ended, so no two replicas attempt it at
 * once; an outcome counts only for the attempt that claimed it.
 */
@Injectable()
export class WebhookOutbox {
  constructor(@Inject(POSTGRES) private readonly pool: Pool) {}

  /**
   * One delivery per enabled subscription of the tenant that takes the event's type and was
   * made before the event happened, in one statement: a subscription gets no events of its
   * past, even when a consumer reads its stream again. An event that comes again (a
   * redelivery, a second publish) finds its rows there and adds none. Returns how many were added.
   */
  async enqueue(event: WebhookEvent, db: Queryable = this.pool): Promise<number> {
    const { rowCount } = await db.query(
      `INSERT INTO webhook_delivery (delivery_id, webhook_id, tenant, event_id, event_type, subject, body)
       SELECT gen_random_uuid(), webhook_id, tenant, $2, $3, $4, $5 FROM webhook_subscription
        WHERE tenant = $1 AND enabled AND event_types && $6::text[] AND created_at <= $7
        ORDER BY webhook_id
       ON CONFLICT (webhook_id, event_id) DO NOTHING`,
      [event.tenant, event.eventId, event.eventType, event.subject, event.body, subscribedTypesOf(event.eventType), event.occurredAt],
    );
    return rowCount ?? 0;
  }

  /**
   * Claims the due delivery waiting longest whose subject has, for its subscription, no
   * earlier delivery pending (in another replica's hands or waiting for its retry) and no
   * later one in hand (after a redelivery), leasing it for `leaseMs`. Undefined when
   * nothing is due.
   */
  async claim(leaseMs: number): Promise<ClaimedDelivery | undefined> {
    const { rows } = await this.pool.query<ClaimedRow>(
      `WITH next AS (
         SELECT d.delivery_id FROM webhook_delivery d JOIN webhook_subscription s ON s.webhook_id = d.webhook_id
          WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND (d.lease_until IS NULL OR d.lease_until <= now()) AND s.enabled
            AND NOT EXISTS (
              SELECT 1 FROM webhook_delivery e
               WHERE e.webhook_id = d.webhook_id AND e.subject = d.subject AND e.status = 'pending' AND e.delivery_id <> d.delivery_id
                 AND (e.seq < d.seq OR e.lease_until > now()))
          ORDER BY d.next_attempt_at, d.seq
          LIMIT 1
          FOR UPDATE OF d SKIP LOCKED
       )
       UPDATE webhook_delivery d SET attempts = d.attempts + 1, last_attempt_at = now(), lease_until = now() + make_interval(secs => $1::double precision / 1000)
         FROM next, webhook_subscription s
        WHERE d.delivery_id = next.delivery_id AND s.webhook_id = d.webhook_id
       RETURNING d.delivery_id, d.webhook_id, d.event_type, d.body, d.attempts, s.url, s.secret,
                 CASE WHEN s.previous_secret_until > now() THEN s.previous_secret END AS previous_secret`,
      [leaseMs],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      deliveryId: row.delivery_id,
      webhookId: row.webhook_id,
      eventType: row.event_type,
      body: row.body,
      attempt: row.attempts,
      url: row.url,
      secrets: row.previous_secret ? [row.secret, row.previous_secret] : [row.secret],
    };
  }

  /**
   * Records how an attempt ended and logs it; false when the attempt had lost its lease (a
   * slower replica than the lease allowed) and another attempt has the delivery now.
   */
  async record(delivery: ClaimedDelivery, attemptedAt: Date, durationMs: number, outcome: AttemptOutcome): Promise<boolean> {
    const statusCode = outcome.statusCode ?? null;
    const failure = outcome.kind === 'delivered' ? null : outcome.failure;
    const { rowCount } = await this.pool.query(
      `WITH finished AS (
         UPDATE webhook_delivery SET
           status = $3,
           next_attempt_at = CASE WHEN $3 = 'pending' THEN now() + make_interval(secs => $4::double precision / 1000) ELSE next_attempt_at END,
           finished_at = CASE WHEN $3 = 'pending' THEN NULL ELSE now() END,
           lease_until = NULL,
           last_status_code = $5, last_failure = $6
          WHERE delivery_id = $1 AND attempts = $2 AND status = 'pending'
         RETURNING delivery_id
       )
       INSERT INTO webhook_attempt (delivery_id, attempt, attempted_at, duration_ms, status_code, failure)
       SELECT delivery_id, $2, $7, $8, $5, $6 FROM finished`,
      [delivery.deliveryId, delivery.attempt, outcome.kind === 'retry' ? 'pending' : outcome.kind, outcome.kind === 'retry' ? outcome.retryInMs : 0, statusCode, failure, attemptedAt, Math.round(durationMs)],
    );
    return rowCount === 1;
  }

  /** Forgets finished deliveries (delivered or dead) older than `days`; how many. */
  async purgeFinished(days: number): Promise<number> {
    const { rowCount } = await this.pool.query(`DELETE FROM webhook_delivery WHERE status <> 'pending' AND finished_at < now() - make_interval(days => $1)`, [days]);
    return rowCount ?? 0;
  }
}
