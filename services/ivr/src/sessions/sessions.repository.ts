import { POSTGRES } from '@lianluo/postgres';
import { type CallRef } from '@lianluo/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { type Pool } from 'pg';

/** One row per call the ivr took (see the migration). */
@Injectable()
export class SessionsRepository {
  constructor(@Inject(POSTGRES) private readonly pool: Pool) {}

  /** True for the first delivery of a call's start; a redelivery finds the call taken. */
  async claim(call: CallRef, flow: string, callerNumber: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'INSERT INTO session (tenant, call_id, site, flow, caller_number) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant, call_id) DO NOTHING',
      [call.tenant, call.callId, call.site, flow, callerNumber],
    );
    return rowCount === 1;
  }

  /**
   * An agent accepted the contact of one of our calls: that agent is now the caller's last
   * agent. An older acceptance arriving late (redelivery, out of order) changes nothing.
   */
  async agentAccepted(tenant: string, callId: string, agentId: string, at: Date): Promise<void> {
    await this.pool.query(
      `INSERT INTO last_agent (tenant, number, agent_id, accepted_at)
       SELECT tenant, caller_number, $3, $4 FROM session WHERE tenant = $1 AND call_id = $2 AND caller_number <> ''
       ON CONFLICT (tenant, number) DO UPDATE SET agent_id = EXCLUDED.agent_id, accepted_at = EXCLUDED.accepted_at
       WHERE last_agent.accepted_at < EXCLUDED.accepted_at`,
      [tenant, callId, agentId, at],
    );
  }

  async end(call: CallRef, outcome: string, contactId: string): Promise<void> {
    await this.pool.query('UPDATE session SET outcome = $3, contact_id = $4, ended_at = now() WHERE tenant = $1 AND call_id = $2 AND ended_at IS NULL', [
      call.tenant,
      call.callId,
      outcome,
      contactId,
    ]);
  }
}
