import { Inject, Injectable } from '@nestjs/common';
import { type PoolClient } from 'pg';
import { type QueueContribution, queueIntervalDelta } from '../intervals/queue-contribution';
import { REPORTING_CONFIG, type ReportingConfig } from '../reporting.config';
import { type ContactFact, type TimedContactFact } from './contact-fact';
import { type ContactRecord, foldContact } from './contact-record';

const CONTACT_COLUMNS = [
  'tenant', 'contact_id', 'channel', 'site', 'ani', 'dnis', 'customer_id', 'queue', 'agent_id', 'agent_site',
  'started_at', 'answered_at', 'queued_at', 'offered_at', 'agent_answered_at', 'transferred_at', 'overflowed_at',
  'abandoned_at', 'ended_at', 'wrap_up_ended_at', 'offers', 'transfers', 'hangup_cause', 'outcome', 'wait_seconds',
  'talk_seconds', 'handle_seconds', 'facts', 'first_fact_at',
] as const;

const UPSERT_CONTACT = `
  INSERT INTO contact (${CONTACT_COLUMNS.join(', ')})
  VALUES (${CONTACT_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})
  ON CONFLICT (tenant, contact_id) DO UPDATE SET
  ${CONTACT_COLUMNS.slice(2).map((column) => `${column} = EXCLUDED.${column}`).join(',\n  ')}`;

const time = (ms: number | null) => (ms === null ? null : new Date(ms));

function contactRow(r: ContactRecord): unknown[] {
  return [
    r.tenant, r.contactId, r.channel, r.site, r.ani, r.dnis, r.customerId, r.queue, r.agentId, r.agentSite,
    time(r.startedAt), time(r.answeredAt), time(r.queuedAt), time(r.offeredAt), time(r.agentAnsweredAt), time(r.transferredAt),
    time(r.overflowedAt), time(r.abandonedAt), time(r.endedAt), time(r.wrapUpEndedAt), r.offers, r.transfers, r.hangupCause,
    r.outcome, r.waitSeconds, r.talkSeconds, r.handleSeconds, r.facts, time(r.firstFactAt),
  ];
}

/**
 * Keeps a contact's row (and its queue's interval rows) equal to the fold of every fact
 * stored for it. Runs inside the transaction that stored the new event, holding the
 * contact's lock, so the facts it reads are all there are.
 */
@Injectable()
export class ContactProjection {
  constructor(@Inject(REPORTING_CONFIG) private readonly config: ReportingConfig) {}

  async apply(client: PoolClient, tenant: string, contactId: string, newEventId: string): Promise<ContactRecord> {
    const { rows } = await client.query<{ event_id: string; occurred_at: Date; fact: ContactFact }>(
      `SELECT event_id, occurred_at, fact FROM event
        WHERE tenant = $1 AND contact_id = $2 AND fact IS NOT NULL AND fact->>'kind' <> 'agent-state'`,
      [tenant, contactId],
    );
    const facts: TimedContactFact[] = rows.map((row) => ({ atMs: row.occurred_at.getTime(), eventId: row.event_id, fact: row.fact }));
    const earlier = facts.filter((fact) => fact.eventId !== newEventId);
    const before = earlier.length > 0 ? foldContact(tenant, contactId, earlier) : undefined;
    const after = foldContact(tenant, contactId, facts);
    await client.query(UPSERT_CONTACT, contactRow(after));
    await this.applyIntervalDelta(client, queueIntervalDelta(before, after, this.config.REPORT_TIME_ZONE));
    return after;
  }

  private async applyIntervalDelta(client: PoolClient, delta: QueueContribution[]): Promise<void> {
    if (delta.length === 0) return;
    const values: unknown[] = [];
    const tuples = delta.map(({ key, figures }) => {
      const row = [
        key.tenant, key.queue, key.channel, key.site, key.granularity, new Date(key.intervalStartMs),
        figures.offered, figures.answered, ...figures.answeredWithin, figures.abandoned, figures.overflowed,
        figures.waitMsAnswered, figures.handleMs, figures.handled, figures.abandonWaitMs,
      ];
      const placeholders = row.map((value) => {
        values.push(value);
        return `$${values.length}`;
      });
      return `(${placeholders.join(', ')})`;
    });
    const counted = [
      'offered', 'answered', 'answered_within_10s', 'answered_within_20s', 'answered_within_30s', 'answered_within_60s',
      'abandoned', 'overflowed', 'wait_ms_answered', 'handle_ms', 'handled', 'abandon_wait_ms',
    ];
    await client.query(
      `INSERT INTO queue_interval (tenant, queue, channel, site, granularity, interval_start, ${counted.join(', ')})
       VALUES ${tuples.join(', ')}
       ON CONFLICT (tenant, queue, channel, site, granularity, interval_start) DO UPDATE SET
       ${counted.map((column) => `${column} = queue_interval.${column} + EXCLUDED.${column}`).join(', ')}`,
      values,
    );
  }
}
