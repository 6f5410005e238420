import { configSchema, envInteger, httpConfig, logConfig, natsConfig, serviceIdentity } from '@lianluo/config';
import { postgresConfig } from '@lianluo/postgres';
import { serviceAuthConfig } from '@lianluo/service-auth';
import { z } from 'zod';

/** Environment of a reporting replica; every variable is checked at start-up. */
export const reportingConfigSchema = configSchema(serviceIdentity, natsConfig, httpConfig(3005), logConfig, postgresConfig, serviceAuthConfig, {
  /**
   * How long an event may stay unacknowledged before JetStream delivers it again: after a
   * replica dies, the events it held wait this long. Redelivery is harmless (idempotent).
   */
  EVENT_ACK_WAIT_MS: envInteger({ min: 1_000, max: 600_000 }).default(30_000),
  /** Answered within this many seconds counts towards the service level of the live gauge. */
  SERVICE_LEVEL_SECONDS: envInteger({ min: 1, max: 3600 }).default(20),
  /** IANA zone whose midnight starts a daily interval, e.g. Asia/Shanghai. */
  REPORT_TIME_ZONE: z
    .string()
    .refine(isTimeZone, { error: 'must be an IANA time zone such as Asia/Shanghai or UTC' })
    .default('UTC'),
});

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export type ReportingConfig = z.output<typeof reportingConfigSchema>;
export const REPORTING_CONFIG = Symbol('ReportingConfig');
