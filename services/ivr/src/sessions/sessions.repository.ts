import { create } from '@bufbuild/protobuf';
import { type CallRef, CallRefSchema } from '@lianluo/contracts';
import { POSTGRES } from '@lianluo/postgres';
import { Inject, Injectable } from '@nestjs/common';
import { type Pool } from 'pg';
import { type FlowCheckpoint } from './call-port';
import { type Queued } from './gateway-call-port';

/** Who called, to what number: what a session needs to start or resume its flow. */
export interface CallerOfSession {
  readonly number: string;
  readonly name: string;
  readonly dialled: string;
}

/** A live session another replica left behind. */
export interface OrphanedSession {
  readonly call: CallRef;
  readonly flow: string;
  readonly caller: CallerOfSession;
  /** Set once the caller waits in a queue. */
  readonly queued: Queued | undefined;
  /** Where its flow stood, while the caller is still in the flow. */
  readonly checkpoint: FlowCheckpoint | undefined;
  /** W3C traceparent of the call's trace ('' when unknown). */
  readonly traceparent: string;
}

interface SessionRow {
  tenant: string;
  call_id: string;
  site: string;
  flow: string;
  caller_number: string;
  caller_name: string;
  dnis: string;
  stage: string;
  queued: Queued | null;
  checkpoint: FlowCheckpoint | null;
  traceparent: string;
}

/** One row per call the ivr took (see the migrations). */
@Injectable()
export class SessionsRepository {
  constructor(@Inject(POSTGRES) private readonly pool: Pool) {}

  /** True for the first delivery of a call's start; a redelivery finds the call taken. */
  async claim(call: CallRef, flow: string, caller: CallerOfSession, owner: string, traceparent: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO session (tenant, call_id, site, flow, caller_number, caller_name, dnis, owner, traceparent)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (tenant, call_id) DO NOTHING`,
      [call.tenant, call.callId, call.site, flow, caller.number, caller.name, caller.dialled, owner, traceparent],
    );
    return rowCount === 1;
  }

  /** Where the flow stands now; a replica taking the session over goes on from here. */
  async checkpoint(call: CallRef, at: FlowCheckpoint): Promise<void> {
    await this.pool.query(`UPDATE session SET checkpoint = $3 WHERE tenant = $1 AND call_id = $2 AND stage = 'flow' AND ended_at IS NULL`, [
      call.tenant,
      call.callId,
      at,
    ]);
  }

  /** The caller now waits in a queue: a replica taking the session over resumes the wait. */
  async queued(call: CallRef, queued: Queued): Promise<void> {
    await this.pool.query(`UPDATE session SET stage = 'waiting', queued = $3 WHERE tenant = $1 AND call_id = $2`, [call.tenant, call.callId, queued]);
  }

  /** The owner is alive: its live sessions are not taken over. */
  async heartbeat(owner: string): Promise<void> {
    await this.pool.query('UPDATE session SET heartbeat_at = now() WHERE owner = $1 AND ended_at IS NULL', [owner]);
  }

  /** Takes over up to `limit` live sessions whose owner has not been heard of for `staleMs`; each goes to one replica. */
  async takeOver(owner: string, staleMs: number, limit: number): Promise<OrphanedSession[]> {
    const { rows } = await this.pool.query<SessionRow>(
      `WITH stale AS (
         SELECT tenant, call_id FROM session
          WHERE ended_at IS NULL AND heartbeat_at < now() - make_interval(secs => $2::double precision / 1000)
          ORDER BY heartbeat_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       UPDATE session s SET owner = $1, heartbeat_at = now()
         FROM stale WHERE s.tenant = stale.tenant AND s.call_id = stale.call_id
       RETURNING s.tenant, s.call_id, s.site, s.flow, s.caller_number, s.caller_name, s.dnis, s.stage, s.queued, s.checkpoint, s.traceparent`,
      [owner, staleMs, limit],
    );
    return rows.map((row) => ({
      call: create(CallRefSchema, { tenant: row.tenant, site: row.site, callId: row.call_id }),
      flow: row.flow,
      caller: { number: row.caller_number, name: row.caller_name, dialled: row.dnis },
      queued: row.stage === 'waiting' && row.queued ? row.queued : undefined,
      checkpoint: row.stage === 'flow' && row.checkpoint ? row.checkpoint : undefined,
      traceparent: row.traceparent,
    }));
  }

  async end(call: CallRef, outcome: string, contactId: string): Promise<void> {
    await this.pool.query('UPDATE session SET outcome = $3, contact_id = $4, ended_at = now() WHERE tenant = $1 AND call_id = $2 AND ended_at IS NULL', [
      call.tenant,
      call.callId,
      outcome,
      contactId,
    ]);
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
}
