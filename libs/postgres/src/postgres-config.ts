import { envInteger } from '@lianluo/config';
import { z } from 'zod';

/** Where a service keeps its PostgreSQL data: a piece for `configSchema`. */
export const postgresConfig = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, { error: 'must be a postgres:// URL, e.g. postgres://voicemail@127.0.0.1:5432/lianluo' })
    .default('postgres://postgres@127.0.0.1:5432/lianluo'),
  DATABASE_POOL_SIZE: envInteger({ min: 2, max: 100 }).default(10),
});

export type PostgresConfig = z.output<typeof postgresConfig>;
