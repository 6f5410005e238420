import { POSTGRES } from '@lianluo/postgres';
import { type CallRef } from '@lianluo/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { type Pool } from 'pg';

/** One row per call the ivr took (see the migration). */
@Injectable()
export class SessionsRepository {
  constructor(@Inject(POSTGRES) private readonly pool: Pool) {}

  /** True for the first delivery of a call's start; a redelivery finds the call taken. */
  async claim(call: CallRef, flow: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'INSERT INTO session (tenant, call_id, site, flow) VALUES ($1, $2, $3, $4) ON CONFLICT (tenant, call_id) DO NOTHING',
      [call.tenant, call.callId, call.site, flow],
    );
    return rowCount === 1;
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
