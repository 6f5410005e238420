import { POSTGRES, inTransaction } from '@lianluo/postgres';
import { Inject, Injectable } from '@nestjs/common';
import { type Pool } from 'pg';
import { type CallerIdentity } from '../sessions/call-port';

export interface CustomerRecord {
  readonly id: string;
  readonly name: string;
  readonly numbers: readonly string[];
  readonly vipTier: number;
  readonly lastAgent: string;
  readonly openCases: number;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
}

/** Caller identification (IVR-2): customers by the numbers they call from, and blocked numbers. */
@Injectable()
export class CallersRepository {
  constructor(@Inject(POSTGRES) private readonly pool: Pool) {}

  /** The customer a number belongs to, the agent who last took its call, and whether it is blocked; one round trip per call. */
  async identify(tenant: string, number: string): Promise<CallerIdentity> {
    const { rows } = await this.pool.query<{ blocked: boolean; customer: Record<string, unknown> | null; last_agent: string | null }>(
      `SELECT EXISTS (SELECT 1 FROM blocked_number WHERE tenant = $1 AND number = $2) AS blocked,
              (SELECT agent_id FROM last_agent WHERE tenant = $1 AND number = $2) AS last_agent,
              (SELECT c.attributes || jsonb_build_object(
                        'id', c.id, 'name', c.name, 'vip', c.vip_tier > 0, 'vip_tier', c.vip_tier,
                        'last_agent', c.last_agent, 'open_cases', c.open_cases)
                 FROM customer_number n JOIN customer c ON c.tenant = n.tenant AND c.id = n.customer_id
                WHERE n.tenant = $1 AND n.number = $2) AS customer`,
      [tenant, number],
    );
    const row = rows[0] as { blocked: boolean; customer: Record<string, unknown> | null; last_agent: string | null };
    return { blacklisted: row.blocked, customer: row.customer ?? undefined, lastAgent: row.last_agent ?? undefined };
  }

  /** Creates or replaces a customer with exactly the numbers given. */
  async saveCustomer(tenant: string, customer: CustomerRecord): Promise<void> {
    await inTransaction(this.pool, async (tx) => {
      await tx.query(
        `INSERT INTO customer (tenant, id, name, vip_tier, last_agent, open_cases, attributes)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (tenant, id) DO UPDATE SET name = $3, vip_tier = $4, last_agent = $5, open_cases = $6, attributes = $7, updated_at = now()`,
        [tenant, customer.id, customer.name, customer.vipTier, customer.lastAgent, customer.openCases, customer.attributes],
      );
      await tx.query('DELETE FROM customer_number WHERE tenant = $1 AND customer_id = $2', [tenant, customer.id]);
      // A number moves to the customer who now claims it.
      await tx.query(
        `INSERT INTO customer_number (tenant, number, customer_id) SELECT $1, unnest($2::text[]), $3
         ON CONFLICT (tenant, number) DO UPDATE SET customer_id = EXCLUDED.customer_id`,
        [tenant, customer.numbers, customer.id],
      );
    });
  }

  async deleteCustomer(tenant: string, id: string): Promise<boolean> {
    return ((await this.pool.query('DELETE FROM customer WHERE tenant = $1 AND id = $2', [tenant, id])).rowCount ?? 0) > 0;
  }

  async block(tenant: string, number: string, reason: string): Promise<void> {
    await this.pool.query(
      'INSERT INTO blocked_number (tenant, number, reason) VALUES ($1, $2, $3) ON CONFLICT (tenant, number) DO UPDATE SET reason = $3',
      [tenant, number, reason],
    );
  }

  async unblock(tenant: string, number: string): Promise<boolean> {
    return ((await this.pool.query('DELETE FROM blocked_number WHERE tenant = $1 AND number = $2', [tenant, number])).rowCount ?? 0) > 0;
  }
}
