import { Pool } from 'pg';

/** The local PostgreSQL server tests and benches make their databases on (no database in the URL). */
export const TEST_POSTGRES_SERVER = 'postgres://postgres@127.0.0.1:5432';

/** Runs one statement as the server's admin, outside any test database (CREATE/DROP DATABASE). */
async function asAdmin(server: string, sql: string): Promise<void> {
  const admin = new Pool({ connectionString: `${server}/postgres`, max: 1 });
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** Creates a database of a test run's own; dropTestDatabase removes it. */
export function createTestDatabase(name: string, server = TEST_POSTGRES_SERVER): Promise<void> {
  return asAdmin(server, `CREATE DATABASE ${name}`);
}

/** Drops a test run's database, sessions still connected to it included; nothing when it is gone. */
export function dropTestDatabase(name: string, server = TEST_POSTGRES_SERVER): Promise<void> {
  return asAdmin(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/**
 * Ends a pool of a test database before dropTestDatabase. pg's Pool.end resolves once its
 * clients are told to close, not once they have, so the drop's FORCE can still terminate one
 * of them; the pool then reports that termination (57P01) as an error no one listens for, and
 * it fails whichever test is running. Nothing is queried through the pool after this.
 */
export async function endTestPool(pool: Pool): Promise<void> {
  pool.on('error', () => undefined);
  await pool.end();
}
