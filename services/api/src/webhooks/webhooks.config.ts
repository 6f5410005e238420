import { envBoolean, envInteger, envList, envNumber } from '@lianluo/config';
import { z } from 'zod';
import { CIDR } from './webhook-address-policy';
import { DEFAULT_RETRY_DELAYS_MS } from './retry-schedule';

/** The api's webhook variables, a piece of its configuration schema. */
export const webhooksConfig = {
  /** Whether subscriptions may use http:// URLs (local and development set-ups); https only otherwise. */
  WEBHOOK_ALLOW_HTTP: envBoolean().default(false),
  /** Networks webhooks may reach although they are private, loopback or link-local (CIDRs, e.g. 10.20.0.0/16). */
  WEBHOOK_ALLOWED_NETWORKS: envList(z.string().regex(CIDR, { error: 'must be a network: a.b.c.d/n or x::y/n' })).default([]),
  /** The wait after each failed attempt; a delivery that fails once more is dead-lettered. */
  WEBHOOK_RETRY_DELAYS_MS: envList(envInteger({ min: 0, max: 7 * 86_400_000 }), { min: 0 }).default([...DEFAULT_RETRY_DELAYS_MS]),
  /** Each wait is spread by up to this fraction either way. */
  WEBHOOK_RETRY_JITTER: envNumber({ min: 0, max: 1 }).default(0.1),
  /** How long a receiver has to answer one attempt. */
  WEBHOOK_TIMEOUT_MS: envInteger({ min: 100, max: 60_000 }).default(10_000),
  /** Attempts one replica has in flight at once. */
  WEBHOOK_CONCURRENCY: envInteger({ min: 1, max: 256 }).default(8),
  /** How often a replica looks for due deliveries when nothing woke it (a retry coming due, another replica's events). */
  WEBHOOK_POLL_MS: envInteger({ min: 10, max: 60_000 }).default(1_000),
  /** How long a rotated-out secret still signs, beside the new one, so receivers can switch without losing a message. */
  WEBHOOK_SECRET_GRACE_SECONDS: envInteger({ min: 0, max: 30 * 86_400 }).default(86_400),
  /** How long finished deliveries (delivered or dead-lettered) stay in the log. */
  WEBHOOK_LOG_RETENTION_DAYS: envInteger({ min: 1, max: 3_650 }).default(14),
};
