import { z } from 'zod';
import { envPort } from './env-port';

/** Where a service's HTTP server (metrics, health, and the API where there is one) listens. */
export function httpConfig(defaultPort: number) {
  return z.object({
    HTTP_PORT: envPort().default(defaultPort),
    HTTP_HOST: z.string().trim().min(1).default('0.0.0.0'),
  });
}

export type HttpConfig = z.output<ReturnType<typeof httpConfig>>;
