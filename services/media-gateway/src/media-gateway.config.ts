import { configSchema, httpConfig, logConfig, natsConfig } from '@lianluo/config';
import { recordingStoreConfig } from '@lianluo/recording-store';
import { z } from 'zod';

const TOKEN = /^[A-Za-z0-9_-]+$/;

/** Environment of one media gateway; every variable is checked at start-up. */
export const mediaGatewayConfigSchema = configSchema(natsConfig, httpConfig(3001), logConfig, recordingStoreConfig, {
  SITE: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be a site token such as bj or sz'),
  ARI_URL: z.url('must be the Asterisk HTTP base URL, e.g. http://127.0.1.1:8088'),
  ARI_USER: z.string().min(1),
  ARI_PASSWORD: z.string().min(1),
  ARI_APP: z.string().regex(TOKEN, 'must be a Stasis application name').default('lianluo'),
  /** Tenant for calls whose endpoint sets no LIANLUO_TENANT channel variable. */
  DEFAULT_TENANT: z.string().regex(TOKEN, 'must be a tenant token').default('demo'),
});

export type MediaGatewayConfig = z.output<typeof mediaGatewayConfigSchema>;
export const MEDIA_GATEWAY_CONFIG = Symbol('MediaGatewayConfig');
