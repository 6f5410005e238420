// Against the local PostgreSQL server (scripts/provision.sh starts it).
import { Pool } from 'pg';
import { ensureLocalInfra } from './ensure-local-infra';
import { TEST_POSTGRES_SERVER, createTestDatabase, dropTestDatabase, endTestPool } from './test-database';
import { uniqueNamespace } from './unique-namespace';

describe('test databases', () => {
  beforeAll(ensureLocalInfra);

  it('ends a pool whose clients the drop may still terminate, then drops the database with them', async () => {
    const name = uniqueNamespace('tdb');
    await createTestDatabase(name);
    const pool = new Pool({ connectionString: `${TEST_POSTGRES_SERVER}/${name}`, max: 2 });
    await pool.query('SELECT 1');
    await endTestPool(pool);
    // What a client still closing reports on the pool when DROP … WITH (FORCE) ends its session.
    const terminated = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    expect(() => pool.emit('error', terminated)).not.toThrow();
    await dropTestDatabase(name);
    const admin = new Pool({ connectionString: `${TEST_POSTGRES_SERVER}/postgres`, max: 1 });
    try {
      expect((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount).toBe(0);
    } finally {
      await admin.end();
    }
  });
});
