import type { LogLevel } from '@lianluo/config';
import type { DestinationStream } from 'pino';

export interface ObservabilityOptions {
  /** The service's own name; `SERVICE_NAME` in the environment overrides it. */
  readonly serviceName: string;
  readonly serviceVersion?: string;
  /** Defaults to `SITE` in the environment, when set. */
  readonly site?: string;
  /** Defaults to `LOG_LEVEL` in the environment, else `info`. */
  readonly logLevel?: LogLevel;
  /** Where log lines go; standard output unless a test captures them. */
  readonly logDestination?: DestinationStream;
  /** How long one readiness check may take before it counts as not ready; 2000 by default. */
  readonly readinessCheckTimeoutMs?: number;
  /** Defaults to `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}
