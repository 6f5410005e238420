import { runner } from 'node-pg-migrate';
import { type Pool } from 'pg';

export interface MigrateOptions {
  /** The service's SQL (or JS) migrations, e.g. `resolve(__dirname, '..', 'migrations')`. */
  readonly dir: string;
  /**
   * The schema the service's tables and its migrations table live in, created when missing;
   * the `public` schema when unset. Give each service its own when they share a database.
   */
  readonly schema?: string;
  readonly log?: (message: string) => void;
}

/**
 * Brings the schema up to date with node-pg-migrate and returns the migrations it ran.
 * Every replica calls this at start-up: one migrates while the others wait on an advisory
 * lock, then find nothing left to do. (node-pg-migrate's own lock does not wait: a second
 * replica starting at the same moment would fail with "Another migration is already running".)
 */
export async function migrate(pool: Pool, options: MigrateOptions): Promise<string[]> {
  const client = await pool.connect();
  const lockName = `lianluo-migrations:${options.schema ?? 'public'}`;
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [lockName]);
    const ran = await runner({
      dbClient: client,
      dir: options.dir,
      direction: 'up',
      migrationsTable: 'pgmigrations',
      ...(options.schema ? { schema: options.schema, createSchema: true, migrationsSchema: options.schema } : {}),
      checkOrder: true,
      noLock: true,
      log: options.log ?? (() => undefined),
    });
    return ran.map((migration) => migration.name);
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockName]).catch(() => undefined);
    client.release();
  }
}
