import { Inject, Injectable } from '@nestjs/common';
import { type PoolClient } from 'pg';
import { AgentWrapUps } from '../agents/agent-wrap-ups';
import { type QueueContribution, type QueueContributor, queueIntervalDelta } from '../intervals/queue-contribution';
import { REPORTING_CONFIG, type ReportingConfig } from '../reporting.config';
import { type ContactFact, type TimedContactFact } from './contact-fact';
import { type ContactOutcome, type ContactRecord, foldContact } from './contact-record';

/** Each column of `contact` and what it holds of a record (times as Date, null when unknown). */
const time = (ms: number | null) => (ms === null ? null : new Date(ms));
const COLUMNS: readonly [string, (r: ContactRecord) => unknown][] = [
  ['tenant', (r) => r.tenant],
  ['contact_id', (r) => r.contactId],
  ['channel', (r) => r.channel],
  ['site', (r) => r.site],
  ['ani', (r) => r.ani],
  ['dnis', (r) => r.dnis],
  ['customer_id', (r) => r.customerId],
  ['queue', (r) => r.queue],
  ['agent_id', (r) => r.agentId],
  ['agent_site', (r) => r.agentSite],
  ['started_at', (r) => time(r.startedAt)],
  ['answered_at', (r) => time(r.answeredAt)],
  ['ivr_flow', (r) => r.ivrFlow],
  ['ivr_outcome', (r) => r.ivrOutcome],
  ['ivr_ended_at', (r) => time(r.ivrEndedAt)],
  ['ivr_menu_path', (r) => r.ivrMenuPath],
  ['ivr_inputs', (r) => r.ivrInputs],
  ['queued_at', (r) => time(r.queuedAt)],
  ['offered_at', (r) => time(r.offeredAt)],
  ['agent_answered_at', (r) => time(r.agentAnsweredAt)],
  ['transferred_at', (r) => time(r.transferredAt)],
  ['overflowed_at', (r) => time(r.overflowedAt)],
  ['abandoned_at', (r) => time(r.abandonedAt)],
  ['withdrawn_at', (r) => time(r.withdrawnAt)],
  ['queue_choice', (r) => r.queueChoice],
  ['queue_choice_at', (r) => time(r.queueChoiceAt)],
  ['ended_at', (r) => time(r.endedAt)],
  ['released_at', (r) => time(r.releasedAt)],
  ['wrap_up_ended_at', (r) => time(r.wrapUpEndedAt)],
  ['wrap_up_code', (r) => r.wrapUpCode],
  ['notes', (r) => r.notes],
  ['voicemail_message_id', (r) => r.voicemailMessageId],
  ['voicemail_left_at', (r) => time(r.voicemailLeftAt)],
  ['voicemail_abandoned_at', (r) => time(r.voicemailAbandonedAt)],
  ['offers', (r) => r.offers],
  ['ring_no_answers', (r) => r.ringNoAnswers],
  ['rejections', (r) => r.rejections],
  ['transfers', (r) => r.transfers],
  ['hangup_cause', (r) => r.hangupCause],
  ['outcome', (r) => r.outcome],
  ['wait_seconds', (r) => r.waitSeconds],
  ['talk_seconds', (r) => r.talkSeconds],
  ['wrap_up_seconds', (r) => r.wrapUpSeconds],
  ['handle_seconds', (r) => r.handleSeconds],
  ['facts', (r) => r.facts],
  ['first_fact_at', (r) => time(r.firstFactAt)],
];

/**
 * Writes the record and returns what the row held before, as its queue's interval rows
 * counted it (no row for a new contact): one statement, since every part of it sees the
 * table as it was when it began.
 */
const UPSERT_CONTACT = `
  WITH before AS (
    SELECT queue, channel, site, queued_at, outcome, wait_seconds, handle_seconds FROM contact WHERE tenant = $1 AND contact_id = $2
  ), upserted AS (
    INSERT INTO contact (${COLUMNS.map(([column]) => column).join(', ')})
    VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})
    ON CONFLICT (tenant, contact_id) DO UPDATE SET
    ${COLUMNS.slice(2).map(([column]) => `${column} = EXCLUDED.${column}`).join(',\n    ')}
  )
  SELECT * FROM before`;

interface StoredContribution {
  readonly queue: string | null;
  readonly channel: string;
  readonly site: string | null;
  readonly queued_at: Date | null;
  readonly outcome: ContactOutcome;
  readonly wait_seconds: number | null;
  readonly handle_seconds: number | null;
}

/** Writes `record`; returns what the row it replaced added to its queue's interval rows. */
async function upsertContact(client: PoolClient, record: ContactRecord): Promise<QueueContributor | undefined> {
  const { rows } = await client.query<StoredContribution>(UPSERT_CONTACT, COLUMNS.map(([, value]) => value(record)));
  const row = rows[0];
  return (
    row && {
      tenant: record.tenant,
      queue: row.queue,
      channel: row.channel,
      site: row.site,
      queuedAt: row.queued_at?.getTime() ?? null,
      outcome: row.outcome,
      waitSeconds: row.wait_seconds,
      handleSeconds: row.handle_seconds,
    }
  );
}

/**
 * Keeps a contact's row (and its queue's interval rows) equal to the fold of every fact
 * stored for it, with its agent's wrap-up as the agent's intervals tell it. Runs inside the
 * transaction that stored the new event, holding the contact's lock, so the facts it reads
 * are all there are; the interval rows get the new row's contribution minus the old one's.
 */
@Injectable()
export class ContactProjection {
  constructor(
    @Inject(REPORTING_CONFIG) private readonly config: ReportingConfig,
    private readonly wrapUps: AgentWrapUps,
  ) {}

  async apply(client: PoolClient, tenant: string, contactId: string): Promise<ContactRecord | undefined> {
    const { rows } = await client.query<{ event_id: string; occurred_at: Date; fact: ContactFact }>(
      `SELECT event_id, occurred_at, fact FROM event
        WHERE tenant = $1 AND contact_id = $2 AND fact IS NOT NULL AND fact->>'kind' <> 'agent-state'`,
      [tenant, contactId],
    );
    if (rows.length === 0) return undefined;
    const facts: TimedContactFact[] = rows.map((row) => ({ atMs: row.occurred_at.getTime(), eventId: row.event_id, fact: row.fact }));
    const after = foldContact(tenant, contactId, facts, await this.agentWrapUpEnd(client, tenant, facts));
    const before = await upsertContact(client, after);
    await this.applyIntervalDelta(client, queueIntervalDelta(before, after, this.config.REPORT_TIME_ZONE));
    return after;
  }

  /** The real end of the wrap-up the contact's (last) release started, when the agent's intervals know it. */
  private async agentWrapUpEnd(client: PoolClient, tenant: string, facts: readonly TimedContactFact[]): Promise<number | undefined> {
    let release: TimedContactFact | undefined;
    for (const fact of facts) if (fact.fact.kind === 'released' && (!release || fact.atMs >= release.atMs)) release = fact;
    if (release?.fact.kind !== 'released' || release.fact.wrapUpUntilMs === undefined) return undefined;
    return this.wrapUps.endOf(client, tenant, { agentId: release.fact.agentId, releasedAtMs: release.atMs, wrapUpUntilMs: release.fact.wrapUpUntilMs });
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
