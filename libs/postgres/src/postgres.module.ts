import { ReadinessRegistry } from '@lianluo/observability';
import { type DynamicModule, Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { migrate } from './migrate';
import { POSTGRES } from './postgres.token';

export interface PostgresModuleOptions {
  readonly url: string;
  readonly poolSize: number;
  /** The service's migrations folder. */
  readonly migrationsDir: string;
  /** The service's own schema: its tables, its migrations table, and the pool's search_path. */
  readonly schema?: string;
}

/**
 * The service's PostgreSQL pool, provided once its schema is migrated, so nothing that
 * injects it (handlers, consumers, controllers) runs against an old schema. Registers the
 * readiness check `postgresql` and ends the pool on shutdown. Needs ObservabilityModule.
 */
@Global()
@Module({})
export class PostgresModule implements OnApplicationShutdown {
  constructor(@Inject(POSTGRES) private readonly pool: Pool) {}

  static forRoot(options: PostgresModuleOptions): DynamicModule {
    return {
      module: PostgresModule,
      providers: [
        {
          provide: POSTGRES,
          inject: [ReadinessRegistry],
          useFactory: async (readiness: ReadinessRegistry) => {
            const logger = new Logger('Postgres');
            const pool = new Pool({
              connectionString: options.url,
              max: options.poolSize,
              ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
            });
            // An idle client losing its server must not crash the process; the next query reconnects.
            pool.on('error', (error) => logger.warn({ err: error }, 'idle PostgreSQL connection failed'));
            const ran = await migrate(pool, { dir: options.migrationsDir, schema: options.schema, log: (message) => logger.debug(message) });
            if (ran.length > 0) logger.log({ migrations: ran }, 'database migrated');
            readiness.register('postgresql', async () => (await pool.query('SELECT 1')).rowCount === 1);
            return pool;
          },
        },
      ],
      exports: [POSTGRES],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
