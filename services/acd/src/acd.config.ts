import { configSchema, envInteger, envList, httpConfig, logConfig, natsConfig, redisConfig } from '@lianluo/config';
import { postgresConfig } from '@lianluo/postgres';
import { serviceAuthConfig } from '@lianluo/service-auth';
import { z } from 'zod';

/** Environment of an acd replica; every variable is checked at start-up. */
export const acdConfigSchema = configSchema(natsConfig, redisConfig, postgresConfig, httpConfig(3002), logConfig, serviceAuthConfig, {
  /** How often each replica runs the routing timers (ring-no-answer, wrap-up ends, steps, overflow). */
  ACD_TIMER_INTERVAL_MS: envInteger({ min: 10, max: 10_000 }).default(250),
  /** Offers or wrap-ups one timer script takes at a time (a pass repeats while there are more). */
  ACD_TIMER_BATCH: envInteger({ min: 1, max: 1_000 }).default(100),
  /** How often waiting contacts whose place changed are reported (contact_position_changed). */
  ACD_POSITION_INTERVAL_MS: envInteger({ min: 100, max: 600_000 }).default(5_000),
  /** A YAML file of every tenant's skills, queues and agents, upserted at each start-up (a Helm release's seed). */
  ACD_CONFIG_FILE: z.string().min(1).optional(),
  /** How long an outbox entry may stay read but unpublished before another replica takes it over. */
  ACD_OUTBOX_CLAIM_MS: envInteger({ min: 100, max: 600_000 }).default(5_000),
  /** Waits (seconds) after the 1st, 2nd, ... failed callback attempt; the last one repeats. */
  ACD_CALLBACK_RETRY_DELAYS_S: envList(envInteger({ min: 1, max: 86_400 }), { min: 1 }).default([120, 600, 1_800]),
  /** Attempts a callback may take when its request does not say. */
  ACD_CALLBACK_MAX_ATTEMPTS: envInteger({ min: 1, max: 10 }).default(4),
  /** Wait before a callback is queued again after an attempt that did not count (the agent's phone or the gateway failed). */
  ACD_CALLBACK_REQUEUE_MS: envInteger({ min: 0, max: 3_600_000 }).default(10_000),
  /** How long the customer's phone rings, then the agent's once the customer answered. */
  ACD_CALLBACK_RING_MS: envInteger({ min: 1_000, max: 300_000 }).default(30_000),
  ACD_CALLBACK_AGENT_RING_MS: envInteger({ min: 1_000, max: 300_000 }).default(20_000),
});

export type AcdConfig = z.output<typeof acdConfigSchema>;
export const ACD_CONFIG = Symbol('AcdConfig');
