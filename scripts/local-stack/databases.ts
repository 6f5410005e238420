import { Client } from 'pg';

const DUPLICATE_DATABASE = '42P04';

/**
 * Creates each database that does not exist yet on the server at `serverUrl` (the services
 * migrate their own schemas at start-up). `names` are checked identifiers (stackSettings).
 */
export async function ensureDatabases(serverUrl: string, names: readonly string[]): Promise<void> {
  const admin = new Client({ connectionString: `${serverUrl}/postgres` });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname = ANY($1)', [names]);
    const existing = new Set(rows.map((row) => row.datname));
    for (const name of names.filter((name) => !existing.has(name))) {
      // A second stack starting at the same moment may create it first: that is as good.
      await admin.query(`CREATE DATABASE ${name}`).catch((error: { code?: string }) => {
        if (error.code !== DUPLICATE_DATABASE) throw error;
      });
    }
  } finally {
    await admin.end();
  }
}
