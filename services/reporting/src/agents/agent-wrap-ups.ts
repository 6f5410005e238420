import { Injectable } from '@nestjs/common';
import { type PoolClient } from 'pg';

/** A contact's release by its agent, with the wrap-up it started (contact_completed). */
export interface WrapUpRelease {
  readonly agentId: string;
  readonly releasedAtMs: number;
  readonly wrapUpUntilMs: number;
}

/**
 * Where contact records and agent intervals meet: a contact's wrap-up ends when its agent
 * leaves wrap-up, which only the agent's state changes tell. Both queries read the same
 * rule, so what a state change can alter is exactly what is looked up again:
 *
 * the wrap-up of a release (agent A, at T, due at W) ends where A's first `wrap-up`
 * interval that runs at T or starts by W ends.
 */
@Injectable()
export class AgentWrapUps {
  /** When the agent really left the wrap-up of `release`; undefined while unknown or still running. */
  async endOf(client: PoolClient, tenant: string, release: WrapUpRelease): Promise<number | undefined> {
    const { rows } = await client.query<{ ended_at: Date | null }>(
      `SELECT ended_at FROM agent_state_interval
        WHERE tenant = $1 AND agent_id = $2 AND state = 'wrap-up' AND started_at <= $4 AND (ended_at IS NULL OR ended_at > $3)
        ORDER BY started_at, event_id LIMIT 1`,
      [tenant, release.agentId, new Date(release.releasedAtMs), new Date(release.wrapUpUntilMs)],
    );
    return rows[0]?.ended_at?.getTime() ?? undefined;
  }

  /**
   * The contacts whose wrap-up end may change when the agent's state changes at `atMs`: a
   * change at t, between the agent's intervals starting at s (before) and n (after), ends
   * the one from s at t and starts one lasting until n; only releases due at s or later and
   * made by n can see either.
   */
  async releasesAffectedBy(client: PoolClient, tenant: string, agentId: string, atMs: number, eventId: string): Promise<string[]> {
    const { rows } = await client.query<{ contact_id: string }>(
      `WITH around AS (
         SELECT (SELECT max(started_at) FROM agent_state_interval
                  WHERE tenant = $1 AND agent_id = $2 AND (started_at, event_id) < ($3::timestamptz, $4::text)) AS before,
                (SELECT min(started_at) FROM agent_state_interval
                  WHERE tenant = $1 AND agent_id = $2 AND (started_at, event_id) > ($3::timestamptz, $4::text)) AS after)
       SELECT DISTINCT e.contact_id FROM event e, around
        WHERE e.tenant = $1 AND e.agent_id = $2 AND e.fact->>'kind' = 'released' AND e.fact ? 'wrapUpUntilMs'
          AND (e.fact->>'wrapUpUntilMs')::bigint >= floor(extract(epoch FROM coalesce(around.before, $3::timestamptz)) * 1000)::bigint
          AND e.occurred_at <= coalesce(around.after, 'infinity')
        ORDER BY e.contact_id`,
      [tenant, agentId, new Date(atMs), eventId],
    );
    return rows.map((row) => row.contact_id);
  }
}
