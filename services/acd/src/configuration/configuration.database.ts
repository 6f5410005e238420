import { ReadinessRegistry } from '@lianluo/observability';
import { type DynamicModule, Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { runner } from 'node-pg-migrate';
import { resolve } from 'node:path';
import { Pool } from 'pg';

/** The acd's PostgreSQL pool, provided only once its schema is migrated. */
export const CONFIGURATION_DATABASE = Symbol('ConfigurationDatabase');

/** The SQL migrations, beside src/ and dist/ so the built service finds them too. */
const MIGRATIONS_DIR = resolve(__dirname, '..', '..', 'migrations');

/**
 * Brings schema `acd` up to date with node-pg-migrate (its own migrations table there, so
 * it shares a database with other services' schemas). Every replica calls this at
 * start-up: a blocking advisory lock makes them take turns, so one migrates and the
 * others wait, then find nothing left to do. (node-pg-migrate's own lock is a try-lock:
 * replicas starting together would fail with "Another migration is already running".)
 */
export async function migrateConfiguration(pool: Pool, log: (message: string) => void = () => undefined): Promise<string[]> {
  const client = await pool.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(hashtext('lianluo-acd-migrations'))`);
    const ran = await runner({
      dbClient: client,
      dir: MIGRATIONS_DIR,
      direction: 'up',
      schema: 'acd',
      createSchema: true,
      migrationsSchema: 'acd',
      migrationsTable: 'pgmigrations',
      checkOrder: true,
      noLock: true,
      log,
    });
    return ran.map((migration) => migration.name);
  } finally {
    await client.query(`SELECT pg_advisory_unlock(hashtext('lianluo-acd-migrations'))`).catch(() => undefined);
    client.release();
  }
}

@Global()
@Module({})
export class ConfigurationDatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(CONFIGURATION_DATABASE) private readonly pool: Pool) {}

  static forRoot(options: { url: string; poolSize: number }): DynamicModule {
    return {
      module: ConfigurationDatabaseModule,
      providers: [
        {
          provide: CONFIGURATION_DATABASE,
          inject: [ReadinessRegistry],
          useFactory: async (readiness: ReadinessRegistry) => {
            const logger = new Logger('ConfigurationDatabase');
            const pool = new Pool({ connectionString: options.url, max: options.poolSize });
            // An idle client losing its server must not crash the process; the next query reconnects.
            pool.on('error', (error) => logger.warn({ err: error }, 'idle PostgreSQL connection failed'));
            const ran = await migrateConfiguration(pool, (message) => logger.debug(message));
            if (ran.length > 0) logger.log({ migrations: ran }, 'configuration schema migrated');
            readiness.register('postgresql', async () => (await pool.query('SELECT 1')).rowCount === 1);
            return pool;
          },
        },
      ],
      exports: [CONFIGURATION_DATABASE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
