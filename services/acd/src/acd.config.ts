import { configSchema, httpConfig, logConfig, redisConfig } from '@lianluo/config';
import type { z } from 'zod';

/** Environment of an acd replica; every variable is checked at start-up. NATS comes with the contracts. */
export const acdConfigSchema = configSchema(redisConfig, httpConfig(3002), logConfig);

export type AcdConfig = z.output<typeof acdConfigSchema>;
export const ACD_CONFIG = Symbol('AcdConfig');
