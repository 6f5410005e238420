import { inTransaction } from '@lianluo/postgres';
import { Inject, Injectable } from '@nestjs/common';
import { type Pool, type PoolClient } from 'pg';
import { AgentStateProjection } from '../agents/agent-state.projection';
import { ContactProjection } from '../contacts/contact.projection';
import { DATABASE } from '../database/database';
import { EventStoreMetrics } from './event-store.metrics';
import { type RecordOutcome, type ReportedEvent } from './reported-event';

/** Transaction-scoped lock on one contact or agent: its events are projected one at a time. */
async function lock(client: PoolClient, key: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
}

/**
 * The only writer of the event store. Each event is stored and projected in one
 * transaction, and acknowledged only after it commits: an event redelivered (after a crash,
 * a lost ack, a second publish) finds its id taken and changes nothing again.
 */
@Injectable()
export class EventStore {
  constructor(
    @Inject(DATABASE) private readonly pool: Pool,
    private readonly contacts: ContactProjection,
    private readonly agents: AgentStateProjection,
    private readonly metrics: EventStoreMetrics,
  ) {}

  async record(event: ReportedEvent): Promise<RecordOutcome> {
    const outcome = await inTransaction(this.pool, async (client) => {
      // Always contact before agent, so two writers never wait on each other in a circle.
      if (event.contactId !== undefined) await lock(client, JSON.stringify(['contact', event.tenant, event.contactId]));
      if (event.agentId !== undefined) await lock(client, JSON.stringify(['agent', event.tenant, event.agentId]));
      const inserted = await client.query(
        `INSERT INTO event (domain, event_id, name, type_name, tenant, contact_id, agent_id, occurred_at, stream_sequence, payload, fact)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (domain, event_id) DO NOTHING`,
        [
          event.domain,
          event.eventId,
          event.name,
          event.typeName,
          event.tenant,
          event.contactId ?? null,
          event.agentId ?? null,
          new Date(event.occurredAtMs),
          event.streamSequence,
          JSON.stringify(event.payload),
          event.fact === undefined ? null : JSON.stringify(event.fact),
        ],
      );
      if (inserted.rowCount === 0) return 'duplicate' as const;
      const fact = event.fact;
      if (fact?.kind === 'agent-state') {
        if (event.agentId !== undefined) await this.agents.apply(client, event.tenant, event.agentId, event.eventId, event.occurredAtMs, fact);
      } else if (fact !== undefined && event.contactId !== undefined) {
        await this.contacts.apply(client, event.tenant, event.contactId, event.eventId);
      }
      return 'stored' as const;
    });
    this.metrics.recorded.inc({ domain: event.domain, outcome });
    return outcome;
  }
}
