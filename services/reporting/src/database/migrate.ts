import { runner } from 'node-pg-migrate';
import { resolve } from 'node:path';
import { type Pool } from 'pg';

/** The SQL migrations, beside src/ and dist/ so the built service finds them too. */
export const MIGRATIONS_DIR = resolve(__dirname, '..', '..', 'migrations');

/**
 * Brings the schema up to date with node-pg-migrate. Its advisory lock lets every replica
 * call this at start-up: one migrates, the others wait and find nothing left to do.
 */
export async function migrate(pool: Pool, log: (message: string) => void): Promise<string[]> {
  const client = await pool.connect();
  try {
    const ran = await runner({
      dbClient: client,
      dir: MIGRATIONS_DIR,
      direction: 'up',
      migrationsTable: 'pgmigrations',
      checkOrder: true,
      log,
    });
    return ran.map((migration) => migration.name);
  } finally {
    client.release();
  }
}
