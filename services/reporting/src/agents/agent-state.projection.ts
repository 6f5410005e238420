import { Injectable } from '@nestjs/common';
import { type PoolClient } from 'pg';
import { type AgentFact } from './agent-fact';

/**
 * Keeps an agent's state intervals a chain: each starts at a state change and ends at the
 * next one by time, whatever order the changes arrive in. Runs holding the agent's lock.
 */
@Injectable()
export class AgentStateProjection {
  async apply(client: PoolClient, tenant: string, agentId: string, eventId: string, atMs: number, fact: AgentFact): Promise<void> {
    const at = new Date(atMs);
    // The new interval ends where the next known one starts (open when it is the latest).
    await client.query(
      `INSERT INTO agent_state_interval (tenant, agent_id, started_at, event_id, site, state, reason_code, ended_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7,
         (SELECT min(started_at) FROM agent_state_interval
           WHERE tenant = $1 AND agent_id = $2 AND (started_at, event_id) > ($3::timestamptz, $4::text)))`,
      [tenant, agentId, at, eventId, fact.site, fact.state, fact.reasonCode ?? ''],
    );
    // The one before it now ends here.
    await client.query(
      `UPDATE agent_state_interval SET ended_at = $3
        WHERE (tenant, agent_id, started_at, event_id) = (
          SELECT tenant, agent_id, started_at, event_id FROM agent_state_interval
           WHERE tenant = $1 AND agent_id = $2 AND (started_at, event_id) < ($3::timestamptz, $4::text)
           ORDER BY started_at DESC, event_id DESC LIMIT 1)`,
      [tenant, agentId, at, eventId],
    );
  }
}
