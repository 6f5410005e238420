import { z } from 'zod';

/** Environment of one media gateway; every variable is checked at start-up. */
export const mediaGatewayConfigSchema = z.object({
  SITE: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be a site token such as bj or sz'),
  ARI_URL: z.url('must be the Asterisk HTTP base URL, e.g. http://127.0.1.1:8088'),
  ARI_USER: z.string().min(1),
  ARI_PASSWORD: z.string().min(1),
  ARI_APP: z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be a Stasis application name').default('lianluo'),
  DEFAULT_TENANT: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a tenant token')
    .default('demo')
    .describe('Tenant for calls whose endpoint sets no LIANLUO_TENANT'),
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  NATS_NAMESPACE: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'must be lowercase letters, digits, _ or -').default('lianluo'),
  NATS_USER: z.string().optional(),
  NATS_PASSWORD: z.string().optional(),
  HTTP_HOST: z.string().default('0.0.0.0'),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  COMMAND_DEADLINE_MS: z.coerce.number().int().positive().default(10_000),
});

export type MediaGatewayConfig = z.infer<typeof mediaGatewayConfigSchema>;
export const MEDIA_GATEWAY_CONFIG = Symbol('MediaGatewayConfig');
