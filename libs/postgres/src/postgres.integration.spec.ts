// Against the local PostgreSQL (scripts/provision.sh): each run makes its own database.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { inTransaction } from './in-transaction';
import { migrate } from './migrate';

const SERVER = process.env.POSTGRES_TEST_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

describe('PostgreSQL schema and transactions', () => {
  const database = `pg${randomBytes(6).toString('hex')}`;
  let dir: string;
  let pool: Pool;

  beforeAll(async () => {
    const admin = new Pool({ connectionString: `${SERVER}/postgres`, max: 1 });
    await admin.query(`CREATE DATABASE ${database}`).finally(() => admin.end());
    dir = await mkdtemp(join(tmpdir(), 'lianluo-migrations-'));
    await writeFile(join(dir, '1700000000000_first.sql'), '-- Up Migration\nCREATE TABLE note (id int PRIMARY KEY, text text NOT NULL);\n-- Down Migration\nDROP TABLE note;\n');
    pool = new Pool({ connectionString: `${SERVER}/${database}`, max: 4, options: '-c search_path=notes' });
  });

  afterAll(async () => {
    await pool?.end();
    const admin = new Pool({ connectionString: `${SERVER}/postgres`, max: 1 });
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).finally(() => admin.end());
    await rm(dir, { recursive: true, force: true });
  });

  it('migrates a service schema once when replicas start together, creating the schema', async () => {
    const ran = await Promise.all([migrate(pool, { dir, schema: 'notes' }), migrate(pool, { dir, schema: 'notes' })]);
    expect(ran.flat()).toEqual(['1700000000000_first']);
    const { rows } = await pool.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'notes' ORDER BY 1");
    expect(rows.map((r) => r.table_name)).toEqual(['note', 'pgmigrations']);
  });

  it('commits what a transaction did when it returns, and nothing of it when it throws', async () => {
    await inTransaction(pool, (tx) => tx.query("INSERT INTO note VALUES (1, 'kept')"));
    await expect(
      inTransaction(pool, async (tx) => {
        await tx.query("INSERT INTO note VALUES (2, 'lost')");
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await pool.query('SELECT id FROM note ORDER BY id')).rows).toEqual([{ id: 1 }]);
  });
});
