import { POSTGRES, inTransaction } from '@lianluo/postgres';
import { Inject, Injectable } from '@nestjs/common';
import { type Pool, type PoolClient } from 'pg';
import { type AgentFact } from '../agents/agent-fact';
import { AgentStateProjection } from '../agents/agent-state.projection';
import { AgentWrapUps } from '../agents/agent-wrap-ups';
import { ContactProjection } from '../contacts/contact.projection';
import { EventStoreMetrics } from './event-store.metrics';
import { type RecordOutcome, type ReportedEvent } from './reported-event';

/** Transaction-scoped lock on one contact or agent: its events are projected one at a time. */
async function lock(client: PoolClient, key: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
}

async function tryLock(client: PoolClient, key: string): Promise<boolean> {
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked', [key]);
  return rows[0]?.locked === true;
}

const contactKey = (tenant: string, contactId: string) => JSON.stringify(['contact', tenant, contactId]);
const agentKey = (tenant: string, agentId: string) => JSON.stringify(['agent', tenant, agentId]);

/**
 * A release that an agent's state change touches was stored, by a writer holding its
 * contact, after the change looked for such releases: the change starts again, now taking
 * that contact's lock in order.
 */
class ReleaseStoredMeanwhile extends Error {}

/** How often a transaction starts again for ReleaseStoredMeanwhile before the event goes back to its consumer. */
const MAX_ATTEMPTS = 5;

/**
 * The only writer of the event store. Each event is stored and projected in one
 * transaction, and acknowledged only after it commits: an event redelivered (after a crash,
 * a lost ack, a second publish) finds its id taken and changes nothing again.
 *
 * Locks: contacts (in id order) before the agent, by every writer, so no two ever wait on
 * each other in a circle. An agent's state change also refolds the contacts whose wrap-up
 * it ends, so it locks those first.
 */
@Injectable()
export class EventStore {
  constructor(
    @Inject(POSTGRES) private readonly pool: Pool,
    private readonly contacts: ContactProjection,
    private readonly agents: AgentStateProjection,
    private readonly wrapUps: AgentWrapUps,
    private readonly metrics: EventStoreMetrics,
  ) {}

  async record(event: ReportedEvent): Promise<RecordOutcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await inTransaction(this.pool, (client) => this.storeAndProject(client, event));
        this.metrics.recorded.inc({ domain: event.domain, outcome });
        return outcome;
      } catch (error) {
        if (!(error instanceof ReleaseStoredMeanwhile) || attempt === MAX_ATTEMPTS) throw error;
      }
    }
  }

  private async storeAndProject(client: PoolClient, event: ReportedEvent): Promise<RecordOutcome> {
    const { tenant, fact } = event;
    const agentChange = fact?.kind === 'agent-state' && event.agentId !== undefined ? { agentId: event.agentId, fact } : undefined;
    const locked = new Set<string>(event.contactId !== undefined ? [event.contactId] : []);
    if (agentChange) {
      for (const contactId of await this.wrapUps.releasesAffectedBy(client, tenant, agentChange.agentId, event.occurredAtMs, event.eventId)) locked.add(contactId);
    }
    for (const contactId of [...locked].sort()) await lock(client, contactKey(tenant, contactId));
    if (event.agentId !== undefined) await lock(client, agentKey(tenant, event.agentId));

    const inserted = await client.query(
      `INSERT INTO event (domain, event_id, name, type_name, tenant, contact_id, agent_id, occurred_at, stream_sequence, payload, fact)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (domain, event_id) DO NOTHING`,
      [
        event.domain,
        event.eventId,
        event.name,
        event.typeName,
        tenant,
        event.contactId ?? null,
        event.agentId ?? null,
        new Date(event.occurredAtMs),
        event.streamSequence,
        JSON.stringify(event.payload),
        fact === undefined ? null : JSON.stringify(fact),
      ],
    );
    if (inserted.rowCount === 0) return 'duplicate';
    if (agentChange) {
      await this.projectAgentChange(client, tenant, agentChange.agentId, event, agentChange.fact, locked);
    } else if (fact !== undefined && event.contactId !== undefined) {
      await this.contacts.apply(client, tenant, event.contactId);
    }
    return 'stored';
  }

  /** The agent's intervals, then every contact whose wrap-up they now end differently. */
  private async projectAgentChange(client: PoolClient, tenant: string, agentId: string, event: ReportedEvent, fact: AgentFact, locked: ReadonlySet<string>): Promise<void> {
    await this.agents.apply(client, tenant, agentId, event.eventId, event.occurredAtMs, fact);
    const affected = await this.wrapUps.releasesAffectedBy(client, tenant, agentId, event.occurredAtMs, event.eventId);
    for (const contactId of affected) {
      // Waiting here, after the agent's lock, could close a circle: only take what is free.
      if (!locked.has(contactId) && !(await tryLock(client, contactKey(tenant, contactId)))) throw new ReleaseStoredMeanwhile();
    }
    for (const contactId of affected) await this.contacts.apply(client, tenant, contactId);
  }
}
