import { ReadinessRegistry } from '@lianluo/observability';
import { type DynamicModule, Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { DATABASE } from './database';
import { migrate } from './migrate';

export interface DatabaseOptions {
  readonly url: string;
  readonly poolSize: number;
}

/**
 * The PostgreSQL pool, provided once the schema is migrated: nothing that injects it (event
 * consumers, reports) can run against an old schema.
 */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DATABASE) private readonly pool: Pool) {}

  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DATABASE,
          inject: [ReadinessRegistry],
          useFactory: async (readiness: ReadinessRegistry) => {
            const logger = new Logger('Database');
            const pool = new Pool({ connectionString: options.url, max: options.poolSize });
            // An idle client losing its server must not crash the process; the next query reconnects.
            pool.on('error', (error) => logger.warn({ err: error }, 'idle PostgreSQL connection failed'));
            const ran = await migrate(pool, (message) => logger.debug(message));
            if (ran.length > 0) logger.log({ migrations: ran }, 'database migrated');
            readiness.register('postgresql', async () => (await pool.query('SELECT 1')).rowCount === 1);
            return pool;
          },
        },
      ],
      exports: [DATABASE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
