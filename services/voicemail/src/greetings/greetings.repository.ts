import { POSTGRES } from '@lianluo/postgres';
import { Inject, Injectable } from '@nestjs/common';
import { type Pool } from 'pg';
import { type ConfiguredGreetings } from './greeting-choice';

export interface Greeting {
  readonly tenant: string;
  /** Empty for the tenant's own greeting. */
  readonly queue: string;
  readonly media: readonly string[];
  readonly updatedAt: Date;
}

/** Greetings per tenant and queue in PostgreSQL. */
@Injectable()
export class GreetingsRepository {
  constructor(@Inject(POSTGRES) private readonly pool: Pool) {}

  /** The queue's and the tenant's greetings in one query. */
  async configuredFor(tenant: string, queue: string): Promise<ConfiguredGreetings> {
    const { rows } = await this.pool.query<{ queue: string; media: string[] }>('SELECT queue, media FROM greeting WHERE tenant = $1 AND queue IN ($2, \'\')', [
      tenant,
      queue,
    ]);
    return {
      queue: queue ? rows.find((row) => row.queue === queue)?.media : undefined,
      tenant: rows.find((row) => row.queue === '')?.media,
    };
  }

  async list(tenant: string): Promise<Greeting[]> {
    const { rows } = await this.pool.query<Greeting>('SELECT tenant, queue, media, updated_at AS "updatedAt" FROM greeting WHERE tenant = $1 ORDER BY queue', [tenant]);
    return rows;
  }

  async set(tenant: string, queue: string, media: readonly string[]): Promise<Greeting> {
    const { rows } = await this.pool.query<Greeting>(
      `INSERT INTO greeting (tenant, queue, media) VALUES ($1, $2, $3)
       ON CONFLICT (tenant, queue) DO UPDATE SET media = EXCLUDED.media, updated_at = now()
       RETURNING tenant, queue, media, updated_at AS "updatedAt"`,
      [tenant, queue, media],
    );
    return rows[0] as Greeting;
  }

  /** Whether there was a greeting to remove. */
  async remove(tenant: string, queue: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM greeting WHERE tenant = $1 AND queue = $2', [tenant, queue]);
    return (rowCount ?? 0) > 0;
  }
}
