import { z } from 'zod';

/** pino's levels; `silent` turns logging off. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const logConfig = z.object({
  LOG_LEVEL: z.string().trim().toLowerCase().pipe(z.enum(LOG_LEVELS)).default('info'),
});

export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogConfig = z.output<typeof logConfig>;
